/**
 * One page of a list, in SQL (issue 16): the rows that match counted, and only the page asked for
 * read, in a stable order (the sort column, then the row's id, so no row is shown twice or missed
 * between pages). Every list's repository builds its scoped, filtered query and hands it here.
 */
import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely'
import type { SortDirection } from '../../domain/lists/list-query.ts'

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
