/** Paged lists (the outbox, the staff list): the page asked for, and the GOV.UK pagination items. */

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

/** The page number in `?page=` (1 when absent), or null when it is not one. */
export function pageNumber(raw: unknown): number | null {
  if (raw === undefined || raw === '') return 1
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return null
  const n = Number(raw)
  return n >= 1 ? n : null
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
