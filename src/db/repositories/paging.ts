/**
 * One page of a list, in SQL (issue 16): the rows that match counted, and only the page asked for
 * read, in a stable order (the sort column, then the row's id, so no row is shown twice or missed
 * between pages). Every list's repository builds its scoped, filtered query and hands it here.
 */
import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely'
import type { ListQuery, SortDirection } from '../../domain/lists/list-query.ts'

export interface PageRequest {
  page: number
  pageSize: number
}

export interface Page<T> {
  total: number
  rows: T[]
}

/**
 * Counts the rows of `base` and reads one page of them. `rows` adds the columns and the order to
 * the same query; the order must end with a unique column.
 */
export async function pageOf<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, object>,
  rows: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  request: PageRequest,
): Promise<Page<O>> {
  const [count, page] = await Promise.all([
    base.select(sql<string | number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    rows(base)
      .limit(request.pageSize)
      .offset((request.page - 1) * request.pageSize)
      .execute(),
  ])
  return { total: Number((count as { n: string | number }).n), rows: page as O[] }
}

/** `%`, `_` and `\` match themselves in a LIKE pattern: the text anywhere, any case. */
export function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** `lower(column) like '%text%'`: a name search. */
export function nameContains(column: Expression<string> | string, text: string): Expression<SqlBool> {
  const ref = typeof column === 'string' ? sql.ref(column) : column
  return sql<SqlBool>`lower(${ref}) like ${containing(text)}`
}

/** An order direction as SQL, for `orderBy(sql\`...\`)` with nulls last either way. */
export function direction(dir: SortDirection) {
  return dir === 'desc' ? sql.raw('desc nulls last') : sql.raw('asc nulls last')
}

/** Column references of a session, for the filters below (`s.id`, `s.date`, `s.type_id` by default). */
interface SessionColumns {
  id: string
  date: string
  typeId: string
}
const sessionColumns: SessionColumns = { id: 's.id', date: 's.date', typeId: 's.type_id' }

/** The session has this person among its participants (in this role, when given). */
export function takesPart(
  personId: string,
  role?: 'supervisor' | 'supervisee',
  session: SessionColumns = sessionColumns,
): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from session_participant fp where fp.session_id = ${sql.ref(session.id)} and fp.person_id = ${personId}${role ? sql` and fp.role = ${role}` : sql``})`
}

/** Someone of the session has a name containing the text. */
export function participantNamed(text: string, session: SessionColumns = sessionColumns): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from session_participant qp join person qn on qn.id = qp.person_id where qp.session_id = ${sql.ref(session.id)} and lower(qn.name) like ${containing(text)})`
}

/**
 * The filters every list of sessions shares (issue 16): supervisee (`person`), supervisor, dates,
 * kind of session and a name search, as conditions on the session's columns.
 */
export function sessionListFilters(
  list: Pick<ListQuery, 'person' | 'supervisor' | 'from' | 'to' | 'kind' | 'q'>,
  session: SessionColumns = sessionColumns,
): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = []
  if (list.person) out.push(takesPart(list.person, 'supervisee', session))
  if (list.supervisor) out.push(takesPart(list.supervisor, 'supervisor', session))
  if (list.from) out.push(sql<SqlBool>`${sql.ref(session.date)} >= ${list.from}`)
  if (list.to) out.push(sql<SqlBool>`${sql.ref(session.date)} <= ${list.to}`)
  if (list.kind) out.push(sql<SqlBool>`${sql.ref(session.typeId)} = ${list.kind}`)
  if (list.q) out.push(participantNamed(list.q, session))
  return out
}
