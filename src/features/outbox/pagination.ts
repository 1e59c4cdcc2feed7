/** Paged lists (the outbox, the staff list): the page asked for; the GOV.UK pagination items are the lists' own (domain/lists). */
export { pagination, paginationItems } from '../../domain/lists/list-query.ts'

/** The page number in `?page=` (1 when absent), or null when it is not one. */
export function pageNumber(raw: unknown): number | null {
  if (raw === undefined || raw === '') return 1
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return null
  const n = Number(raw)
  return n >= 1 ? n : null
}
