/**
 * Lists that scale (issue 16): the one way every long list (records, sessions, actions, staff,
 * cancellations, requests, contracts, the access trail) reads its page, sort, search and filters
 * from the address, and says which rows a page shows. A value that is not one the list accepts is
 * dropped, never an error: a hand-edited address shows the list unfiltered, not a failure.
 * Pure: no I/O. The repositories page in SQL (db/repositories/paging.ts); the templates show the
 * result with one macro (views/macros/list.njk).
 */
import { isUuid } from '../ids.ts'

export type SortDirection = 'asc' | 'desc'

/** The filters a list may offer, each a parameter of the address of the same name. */
export type ListFilter = 'person' | 'supervisor' | 'from' | 'to' | 'kind' | 'status' | 'record'

export interface ListSpec<S extends string = string> {
  /** The columns the list sorts by; the first is the default. */
  sorts: readonly S[]
  defaultDirection: Readonly<Partial<Record<S, SortDirection>>> | SortDirection
  filters: readonly ListFilter[]
  /** Allowed values of `status` (and `kind`, when the list knows them all). */
  statuses?: readonly string[]
  kinds?: readonly string[]
  pageSize?: number
}

export interface ListQuery<S extends string = string> {
  page: number
  pageSize: number
  sort: S
  direction: SortDirection
  /** Part of a name, trimmed; '' for none. */
  q: string
  person: string | null
  supervisor: string | null
  record: string | null
  from: string | null
  to: string | null
  kind: string | null
  status: string | null
}

export const DEFAULT_PAGE_SIZE = 50
const MAX_SEARCH = 100

function text(raw: unknown): string {
  if (Array.isArray(raw)) return text(raw[0])
  return typeof raw === 'string' ? raw : ''
}

function isoDate(raw: unknown): string | null {
  const t = text(raw).trim()
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return null
  const d = new Date(`${t}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== t ? null : t
}

/** `from=2026-09-01`, or the GOV.UK date input's three fields (`from-day`, `from-month`, `from-year`). */
function dateParam(raw: Record<string, unknown>, name: string): string | null {
  if (text(raw[name]).trim() !== '') return isoDate(raw[name])
  const [d, m, y] = ['day', 'month', 'year'].map((part) => text(raw[`${name}-${part}`]).trim())
  if (!d || !m || !y || !/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return null
  return isoDate(`${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`)
}

/** An ISO date as the date input's three fields, to show again in a filter form. */
export function dateParts(date: string | null): { day: string; month: string; year: string } {
  if (!date) return { day: '', month: '', year: '' }
  const [y, m, d] = date.split('-')
  return { day: String(Number(d)), month: String(Number(m)), year: y! }
}

function oneOf(raw: unknown, allowed: readonly string[] | undefined): string | null {
  const t = text(raw).trim()
  if (t === '') return null
  if (allowed) return allowed.includes(t) ? t : null
  return /^[a-z0-9][a-z0-9-]{0,79}$/.test(t) ? t : null
}

function defaultDirectionOf<S extends string>(spec: ListSpec<S>, sort: S): SortDirection {
  return typeof spec.defaultDirection === 'string' ? spec.defaultDirection : (spec.defaultDirection[sort] ?? 'asc')
}

/** The page, sort, search and filters of a list, from its query string. */
export function parseListQuery<S extends string>(raw: Record<string, unknown>, spec: ListSpec<S>): ListQuery<S> {
  const has = (f: ListFilter) => spec.filters.includes(f)
  const pageText = text(raw.page)
  const page = /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1
  const sortText = text(raw.sort)
  const sort = (spec.sorts as readonly string[]).includes(sortText) ? (sortText as S) : spec.sorts[0]!
  const dirText = text(raw.order)
  const direction: SortDirection = dirText === 'asc' || dirText === 'desc' ? dirText : defaultDirectionOf(spec, sort)
  const uuid = (f: ListFilter) => {
    if (!has(f)) return null
    const t = text(raw[f]).trim()
    return isUuid(t) ? t.toLowerCase() : null
  }
  let from = has('from') ? dateParam(raw, 'from') : null
  let to = has('to') ? dateParam(raw, 'to') : null
  if (from && to && from > to) [from, to] = [to, from]
  return {
    page,
    pageSize: spec.pageSize ?? DEFAULT_PAGE_SIZE,
    sort,
    direction,
    q: text(raw.q).trim().slice(0, MAX_SEARCH),
    person: uuid('person'),
    supervisor: uuid('supervisor'),
    record: uuid('record'),
    from,
    to,
    kind: has('kind') ? oneOf(raw.kind, spec.kinds) : null,
    status: has('status') ? oneOf(raw.status, spec.statuses) : null,
  }
}

/** A query with no page, sort, search or filter beyond the defaults (for the choices a list offers). */
export const emptyListQuery: Omit<ListQuery, 'sort'> = Object.freeze({
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  direction: 'asc' as SortDirection,
  q: '',
  person: null,
  supervisor: null,
  record: null,
  from: null,
  to: null,
  kind: null,
  status: null,
})

/** True when the query narrows the list (a search or any filter). */
export function isFiltered(query: ListQuery): boolean {
  return Boolean(
    query.q || query.person || query.supervisor || query.record || query.from || query.to || query.kind || query.status,
  )
}

/** The query as address parameters, leaving out the defaults (page 1, the default sort). */
export function listParams<S extends string>(
  query: ListQuery<S>,
  spec: ListSpec<S>,
  overrides: Partial<ListQuery<S>> = {},
): Record<string, string | number | undefined> {
  const q = { ...query, ...overrides }
  const defaultSort = q.sort === spec.sorts[0] && q.direction === defaultDirectionOf(spec, q.sort)
  return {
    q: q.q || undefined,
    person: q.person ?? undefined,
    supervisor: q.supervisor ?? undefined,
    record: q.record ?? undefined,
    from: q.from ?? undefined,
    to: q.to ?? undefined,
    kind: q.kind ?? undefined,
    status: q.status ?? undefined,
    sort: defaultSort ? undefined : q.sort,
    order: defaultSort ? undefined : q.direction,
    page: q.page > 1 ? q.page : undefined,
  }
}

export interface PageSummary {
  total: number
  page: number
  pageCount: number
  /** The first and last row shown, counted from 1 (0 and 0 for an empty list). */
  first: number
  last: number
}

/** Which rows of `total` the page shows. A page past the end is `null` (the address names no page). */
export function pageSummary(total: number, page: number, pageSize: number, shown: number): PageSummary | null {
  const pageCount = Math.max(1, Math.ceil(total / pageSize))
  if (page > pageCount) return null
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1
  return { total, page, pageCount, first, last: total === 0 ? 0 : first + shown - 1 }
}

type PaginationItem = { number: number; href: string; current: boolean } | { ellipsis: true }

/** govukPagination items: the first and last pages, and the pages either side of the current one. */
export function paginationItems(page: number, pageCount: number, href: (n: number) => string): PaginationItem[] {
  const items: PaginationItem[] = []
  let previous = 0
  for (let n = 1; n <= pageCount; n++) {
    if (n !== 1 && n !== pageCount && Math.abs(n - page) > 1) continue
    if (n - previous > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page })
    previous = n
  }
  return items
}

/** The govukPagination parameters for `page` of `pageCount`, or null for a single page. */
export function pagination(page: number, pageCount: number, href: (n: number) => string) {
  return pageCount > 1
    ? {
        previous: page > 1 ? { href: href(page - 1) } : undefined,
        next: page < pageCount ? { href: href(page + 1) } : undefined,
        items: paginationItems(page, pageCount, href),
      }
    : null
}

export interface SortHeader {
  key: string
  label: string
  href: string
  /** aria-sort of the column: 'ascending', 'descending' or 'none'. */
  ariaSort: 'ascending' | 'descending' | 'none'
}

/**
 * Everything the list macro shows: the count ("Showing 1 to 50 of 1,240 records"), the pages, and
 * the sortable column headers (links that work without JavaScript).
 */
export function listView<S extends string>(input: {
  query: ListQuery<S>
  spec: ListSpec<S>
  summary: PageSummary
  /** The list's address with the given parameters. */
  href: (params: Record<string, string | number | undefined>) => string
  /** What the rows are, singular and plural: ['record', 'records']. */
  noun: readonly [string, string]
  columns?: Readonly<Partial<Record<S, string>>>
}) {
  const { query, spec, summary, href, noun } = input
  const at = (overrides: Partial<ListQuery<S>>) => href(listParams(query, spec, overrides))
  const columns = Object.entries(input.columns ?? {}) as [S, string][]
  const n = (x: number) => x.toLocaleString('en-GB')
  const nounText = summary.total === 1 ? noun[0] : noun[1]
  return {
    ...summary,
    noun: nounText,
    q: query.q,
    /** "Showing 1 to 50 of 1,240 records", or "No records" for none. */
    caption:
      summary.total === 0
        ? `No ${noun[1]}`
        : `Showing ${n(summary.first)} to ${n(summary.last)} of ${n(summary.total)}${isFiltered(query) ? ' matching' : ''} ${nounText}`,
    fromParts: dateParts(query.from),
    toParts: dateParts(query.to),
    filtered: isFiltered(query),
    pagination: pagination(summary.page, summary.pageCount, (n) => at({ page: n })),
    sort: query.sort,
    direction: query.direction,
    headers: Object.fromEntries(
      columns.map(([key, label]): [string, SortHeader] => {
        const current = query.sort === key
        const next: SortDirection = current
          ? query.direction === 'asc'
            ? 'desc'
            : 'asc'
          : defaultDirectionOf(spec, key)
        return [
          key,
          {
            key,
            label,
            href: at({ sort: key, direction: next, page: 1 }),
            ariaSort: current ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none',
          },
        ]
      }),
    ),
    clearHref: href({}),
  }
}

export type ListView = ReturnType<typeof listView>

/** A filter's choices for govukSelect: "Anyone" (or `any`), then each person or thing by name, the chosen one selected. */
export function choiceItems(
  chosen: string | null,
  choices: readonly { id: string; name: string }[],
  any = 'Anyone',
): { value: string; text: string; selected?: boolean }[] {
  return [{ value: '', text: any }, ...choices.map((c) => ({ value: c.id, text: c.name, selected: c.id === chosen }))]
}

/** What a list page says about its rows: their noun, singular and plural, and its sortable columns' labels. */
export interface ListLabels<S extends string = string> {
  noun: readonly [string, string]
  columns?: Readonly<Partial<Record<S, string>>>
}

/**
 * One page of a list as the list macro shows it (`listView`), from the `total` rows and the number
 * `shown` on this page; null for a page past the end (the address names no page: not found).
 */
export function pageOfList<S extends string>(
  query: ListQuery<S>,
  spec: ListSpec<S>,
  labels: ListLabels<S>,
  rows: { total: number; shown: number; href: (params: Record<string, string | number | undefined>) => string },
): ListView | null {
  const summary = pageSummary(rows.total, query.page, query.pageSize, rows.shown)
  return summary && listView({ query, spec, summary, href: rows.href, ...labels })
}

/** A list page's title: "Records" on the first page, "Records (page 2 of 5)" after it. */
export function pagedTitle(title: string, page: { page: number; pageCount: number }): string {
  return page.page === 1 ? title : `${title} (page ${page.page} of ${page.pageCount})`
}

/** The status filter's choices for govukSelect: "Any" (or `any`), then each of the list's statuses by name. */
export function statusItems(
  spec: ListSpec,
  chosen: string | null,
  label: (status: string) => string,
  any = 'Any',
): { value: string; text: string; selected?: boolean }[] {
  return choiceItems(
    chosen,
    (spec.statuses ?? []).map((s) => ({ id: s, name: label(s) })),
    any,
  )
}
