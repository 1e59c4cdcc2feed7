/**
 * Typed URL builders (issue 13, point 4). Each page's address is written once, as the pattern the
 * route is registered with (`/records/:recordId/sign`); the builder made from it fills the
 * parameters (encoded) and adds a query string, leaving out empty values. Routes use
 * `builder.pattern`; redirects, presenters and templates call the builder. Pure: no I/O.
 */

type ParamsOf<T extends string> = T extends `${string}:${infer P}/${infer Rest}`
  ? P | ParamsOf<`/${Rest}`>
  : T extends `${string}:${infer P}`
    ? P
    : never

/** Query values: empty strings, null and undefined are left out; arrays repeat the key. */
export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]> | string

type Build<T extends string> = [ParamsOf<T>] extends [never]
  ? (query?: Query) => string
  : (params: Record<ParamsOf<T>, string | number>, query?: Query) => string

export type PathBuilder<T extends string> = Build<T> & { readonly pattern: T }

export function queryString(query: Query | undefined): string {
  if (query === undefined) return ''
  if (typeof query === 'string') return query.replace(/^\?/, '')
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue
    if (Array.isArray(value)) for (const v of value) search.append(key, v)
    else search.append(key, String(value))
  }
  return search.toString()
}

/** `path` with `query` added after `?` (or `&` when it already has one); no change for an empty query. */
export function withQueryString(path: string, query: Query | undefined): string {
  const qs = queryString(query)
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path
}

export function path<const T extends string>(pattern: T): PathBuilder<T> {
  const hasParams = pattern.includes(':')
  const build = (...args: unknown[]): string => {
    const [params, query] = hasParams
      ? [args[0] as Record<string, unknown>, args[1] as Query | undefined]
      : [{}, args[0] as Query | undefined]
    const filled = pattern.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
      const value = params[name]
      if (value === undefined || value === null || value === '')
        throw new Error(`path ${pattern}: no value for :${name}`)
      return encodeURIComponent(String(value))
    })
    return withQueryString(filled, query)
  }
  return Object.assign(build, { pattern }) as unknown as PathBuilder<T>
}
