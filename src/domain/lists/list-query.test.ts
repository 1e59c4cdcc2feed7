import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type ListSpec,
  listParams,
  listView,
  pagedTitle,
  pageOfList,
  pageSummary,
  parseListQuery,
  statusItems,
} from './list-query.ts'

const spec: ListSpec<'date' | 'name'> = {
  sorts: ['date', 'name'],
  defaultDirection: { date: 'desc', name: 'asc' },
  filters: ['person', 'from', 'to', 'status'],
  statuses: ['draft', 'signed'],
}
const person = '3f1c2a5e-8b7d-4c1e-9a2b-1d2e3f4a5b6c'

describe('lists that scale (issue 16): reading a list’s address', () => {
  test('defaults: the first page, the first sort in its own direction, nothing filtered', () => {
    const q = parseListQuery({}, spec)
    assert.deepEqual(
      { page: q.page, pageSize: q.pageSize, sort: q.sort, direction: q.direction, q: q.q },
      { page: 1, pageSize: 50, sort: 'date', direction: 'desc', q: '' },
    )
    assert.equal(q.person, null)
  })

  test('values the list accepts are kept; anything else is dropped, never an error', () => {
    const q = parseListQuery(
      { page: '3', sort: 'name', order: 'desc', q: '  Zed  ', person, from: '2026-09-01', status: 'signed' },
      spec,
    )
    assert.deepEqual(
      [q.page, q.sort, q.direction, q.q, q.person, q.from, q.status],
      [3, 'name', 'desc', 'Zed', person, '2026-09-01', 'signed'],
    )
    const bad = parseListQuery(
      { page: '-1', sort: 'password', order: 'sideways', person: 'x', from: '2026-02-31', status: 'gone', kind: 'a' },
      spec,
    )
    assert.deepEqual(
      [bad.page, bad.sort, bad.direction, bad.person, bad.from, bad.status, bad.kind],
      [1, 'date', 'desc', null, null, null, null],
    )
    assert.equal(parseListQuery({ page: '0' }, spec).page, 1)
    assert.equal(parseListQuery({ page: ['2', '3'] }, spec).page, 2)
  })

  test('dates come from the address or the GOV.UK date input’s three fields, in order', () => {
    const q = parseListQuery({ 'from-day': '5', 'from-month': '9', 'from-year': '2026', to: '2026-09-01' }, spec)
    assert.deepEqual([q.from, q.to], ['2026-09-01', '2026-09-05'], 'a range given backwards is turned round')
    assert.equal(parseListQuery({ 'from-day': '31', 'from-month': '2', 'from-year': '2026' }, spec).from, null)
  })

  test('a filter the list does not offer is not read', () => {
    assert.equal(parseListQuery({ supervisor: person }, spec).supervisor, null)
  })

  test('the address of a page leaves out the defaults', () => {
    const q = parseListQuery({ status: 'draft' }, spec)
    assert.deepEqual(
      Object.entries(listParams(q, spec, { page: 2 })).filter(([, v]) => v !== undefined),
      [
        ['status', 'draft'],
        ['page', 2],
      ],
    )
    assert.deepEqual(
      Object.entries(listParams(q, spec, { sort: 'name', direction: 'asc' })).filter(([, v]) => v !== undefined),
      [
        ['status', 'draft'],
        ['sort', 'name'],
        ['order', 'asc'],
      ],
    )
  })

  test('the count: "Showing 1 to 50 of 1,240 records"; a page past the end is none', () => {
    assert.deepEqual(pageSummary(1240, 1, 50, 50), { total: 1240, page: 1, pageCount: 25, first: 1, last: 50 })
    assert.deepEqual(pageSummary(1240, 25, 50, 40), { total: 1240, page: 25, pageCount: 25, first: 1201, last: 1240 })
    assert.deepEqual(pageSummary(0, 1, 50, 0), { total: 0, page: 1, pageCount: 1, first: 0, last: 0 })
    assert.equal(pageSummary(1240, 26, 50, 0), null)
    const query = parseListQuery({ page: '2' }, spec)
    const view = listView({
      query,
      spec,
      summary: pageSummary(1240, 2, 50, 50)!,
      href: (p) =>
        `/records?${new URLSearchParams(Object.entries(p).filter(([, v]) => v !== undefined) as [string, string][])}`,
      noun: ['record', 'records'],
      columns: { date: 'Date', name: 'Name' },
    })
    assert.equal(view.caption, 'Showing 51 to 100 of 1,240 records')
    assert.equal(view.pagination?.previous?.href, '/records?')
    assert.equal(view.pagination?.next?.href, '/records?page=3')
    // The sorted column says so and links to the other direction; another column sorts its own way first.
    assert.equal(view.headers.date?.ariaSort, 'descending')
    assert.equal(view.headers.date?.href, '/records?sort=date&order=asc')
    assert.equal(view.headers.name?.ariaSort, 'none')
    assert.equal(view.headers.name?.href, '/records?sort=name&order=asc')
  })
})

describe('a page of a list (issue 13: one helper for every list page)', () => {
  const spec: ListSpec<'date'> = {
    sorts: ['date'],
    defaultDirection: 'asc',
    filters: ['status'],
    statuses: ['open', 'done'],
  }
  const labels = { noun: ['thing', 'things'] as const, columns: { date: 'Date' } }

  test('is the list view of the page, or null past the last page', () => {
    const query = parseListQuery({ page: '2' }, spec)
    const href = (p: Record<string, string | number | undefined>) => `/things?page=${p.page ?? ''}`
    const page = pageOfList(query, spec, labels, { total: 60, shown: 10, href })
    const summary = pageSummary(60, 2, query.pageSize, 10)!
    assert.deepEqual(page, listView({ query, spec, summary, href, ...labels }))
    assert.equal(pageOfList(parseListQuery({ page: '3' }, spec), spec, labels, { total: 60, shown: 0, href }), null)
  })

  test('names the page in the title after the first', () => {
    assert.equal(pagedTitle('Records', { page: 1, pageCount: 3 }), 'Records')
    assert.equal(pagedTitle('Records', { page: 2, pageCount: 3 }), 'Records (page 2 of 3)')
  })

  test('offers "Any" then each status by name, the chosen one selected', () => {
    assert.deepEqual(
      statusItems(spec, 'done', (s) => s.toUpperCase()),
      [
        { value: '', text: 'Any' },
        { value: 'open', text: 'OPEN', selected: false },
        { value: 'done', text: 'DONE', selected: true },
      ],
    )
  })
})
