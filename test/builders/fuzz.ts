/**
 * Fuzzing every form (issue 12, "keep it closed"): for each POST route of the app, who may send it
 * (the first of the administrator, the DSL, the supervisor and the supervisee whose empty form is
 * not refused), the names of its fields (from the form on its page, else those its feature's
 * handlers read), and hostile
 * values: NUL, lone surrogates, huge and negative numbers, impossible dates, values of 10 KB to
 * 2 MB. Shared by the bounded test (test/integration/fuzz.test.ts) and the long campaign
 * (bench/fuzz.bench.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { projectRoot } from '../../src/root.ts'
import type { Client } from '../helpers/browser-like.ts'
import { type Fields, formFields } from '../helpers/forms.ts'
import { postFile } from '../helpers/staff.ts'
import type { TestApp } from '../helpers/test-app.ts'
import { concreteUrl } from './route-urls.ts'
import type { TrustFixture, ViewerRole } from './trust.ts'

/**
 * Field names read by the handlers of the feature that registers `route` (every
 * `field(body, '<name>')` in its folder), for routes with no form page to read them from.
 */
function fieldsReadNear(route: string): string[] {
  const features = path.join(projectRoot, 'src/features')
  const files = fs.readdirSync(features, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  const home = files.find((f) => fs.readFileSync(path.join(features, f), 'utf8').includes(`'${route}'`))
  if (!home) return []
  const dir = path.join(features, path.dirname(home))
  const names = new Set<string>()
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')))
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/field\((?:req\.)?body, '([^']+)'/g))
      names.add(m[1]!)
  return [...names]
}

/** Field names tried where neither a form nor the handlers name any. */
export const guessedFields = [
  'name',
  'description',
  'summary',
  'note',
  'reason',
  'text',
  'version',
  'draftVersion',
  'password',
  'code',
  'email',
  'template',
  'from',
  'supervisorId',
  'topic',
  'date-day',
  'date-month',
  'date-year',
  'school',
  'year',
]

/** Routes whose form is a file upload (multipart). */
const uploads = new Set(['/staff/import', '/policy/upload'])

export interface FuzzTarget {
  route: string
  url: string
  role: ViewerRole | null
  /** The form as its page fills it in ({} with no form page). */
  base: Fields
  fields: string[]
  multipart: boolean
}

/** The form posting to `action` on a page, as a browser would send it untouched. */
function formOn(body: string, action: string): Fields | null {
  const path = action.split('?')[0]
  const selector = `form[action="${path}"], form[action^="${path}?"]`
  try {
    return formFields(body, selector)
  } catch {
    return null
  }
}

function fieldNames(route: string, form: Fields | null): string[] {
  if (form && Object.keys(form).length > 0) return Object.keys(form)
  const read = fieldsReadNear(route)
  return read.length > 0 ? read : guessedFields
}

/** Every POST route with who sends it and its field names. */
export async function fuzzTargets(built: TestApp, f: TrustFixture): Promise<FuzzTarget[]> {
  const routes = built.app.registeredRoutes()
  const gets = new Set(routes.filter((r) => r.method.split(',').includes('GET')).map((r) => r.url))
  const targets: FuzzTarget[] = []
  for (const r of routes.filter((r) => r.method === 'POST')) {
    const url = concreteUrl(f, r.url, 'own')
    let role: ViewerRole | null = null
    if (r.access !== 'public') {
      for (const candidate of ['administrator', 'dsl', 'supervisor', 'supervisee'] as const) {
        const res = await (await f.freshBrowser(candidate)).post(url, {}, { csrf: f.csrf })
        if (res.statusCode !== 403 && res.statusCode !== 401) {
          role = candidate
          break
        }
      }
      if (role === null) role = 'administrator'
    }
    const browser = role ? await f.freshBrowser(role) : f.signedOut
    // The form's page: the address itself, or the page above it (the record for /records/:id/complete).
    const pages = [gets.has(r.url) ? url : null, url.replace(/\/[^/?]+(\?.*)?$/, '')].filter((p): p is string => !!p)
    let form: Fields | null = null
    for (const page of pages) {
      const res = await browser.get(page)
      if (res.statusCode === 200) form = formOn(res.body, url)
      if (form) break
    }
    if (form) delete form._csrf
    targets.push({
      route: r.url,
      url,
      role,
      base: form ?? {},
      fields: fieldNames(r.url, form),
      multipart: uploads.has(r.url),
    })
  }
  return targets
}

const large = fc
  .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 10_000, max: 2_000_000 }))
  .map(([chunk, size]) => chunk.repeat(Math.ceil(size / chunk.length)).slice(0, size))

/** A hostile value for one field. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: 'binary' }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x\uDFFF', '\uD83D', '\uFFFE', '%00', '\u202E'),
  },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.integer().map(String),
      fc.constantFrom('-1', '0', '9'.repeat(400), '-99999999999999999999', '1e309', 'NaN', 'Infinity', '0x10', '1.5'),
      fc.bigInt().map(String),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      '0000-00-00',
      '-0001-01-01',
      '99999-01-01',
      '31',
      '32',
      '13',
    ),
  },
)

/**
 * The form as its page fills it in, with one to four fields given hostile values (sometimes
 * repeated, sometimes left out), and now and then one value of 10 KB to 2 MB.
 */
export function hostileForm(target: Pick<FuzzTarget, 'base' | 'fields'>): fc.Arbitrary<Fields> {
  const value = fc.oneof({ weight: 6, arbitrary: hostileValue }, fc.array(hostileValue, { maxLength: 3 }))
  const change = fc.tuple(fc.constantFrom(...target.fields), fc.option(value, { freq: 8 }))
  return fc
    .tuple(
      fc.array(change, { minLength: 1, maxLength: 4 }),
      fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, fc.tuple(fc.constantFrom(...target.fields), large)),
    )
    .map(([changes, big]) => {
      const form: Fields = { ...target.base }
      for (const [name, v] of changes) {
        if (v === null) delete form[name]
        else form[name] = v
      }
      if (big) form[big[0]] = big[1]
      return form
    })
}

/** Free-text fields of a form (not dates, versions, ids, choices or files), at most eight. */
function textFields(target: Pick<FuzzTarget, 'base' | 'fields'>): string[] {
  return target.fields
    .filter((name) => !/(-day|-month|-year|[vV]ersion|Id|Ids|^roles|^flags|^file)$/.test(name))
    .filter((name) => !/^\d+$/.test(String(target.base[name] ?? '')))
    .slice(0, 8)
}

/**
 * Forms every run tries first: each free-text field in turn (up to eight) holding a NUL, then
 * every such field holding a lone surrogate, the rest as the page fills them in.
 */
export function knownHostileForms(target: Pick<FuzzTarget, 'base' | 'fields'>): Fields[] {
  const text = textFields(target)
  return [
    ...text.map((name) => ({ ...target.base, [name]: 'a\u0000b' })),
    ...(text.length > 0 ? [{ ...target.base, ...Object.fromEntries(text.map((name) => [name, 'x\uD800'])) }] : []),
  ]
}

/**
 * The form with every field that names something by its id holding, in turn, things that are not
 * ids (fields the page does not fill in hold a plain "x", so the ids are what is wrong).
 */
export function notIds(target: Pick<FuzzTarget, 'base' | 'fields'>): Fields[] {
  const ids = target.fields.filter((name) => /Id$|Ids$/.test(name))
  if (ids.length === 0) return []
  const plain = Object.fromEntries(target.fields.map((name) => [name, 'x']))
  return ['2026-02-30', 'x\uD800', '-1', '00000000-0000-0000-0000-00000000000g'].map((bad) => ({
    ...plain,
    ...target.base,
    ...Object.fromEntries(ids.map((name) => [name, bad])),
  }))
}

/**
 * Bodies a browser never sends but anyone can: the form with every free-text field holding bytes
 * that are not UTF-8 (a lone surrogate encoded as UTF-8 would encode it, a stray 0xFF), urlencoded.
 */
export function malformedBodies(target: Pick<FuzzTarget, 'base' | 'fields' | 'multipart'>, csrf: string): string[] {
  const text = textFields(target)
  if (target.multipart || text.length === 0) return []
  const encode = (fields: Fields) =>
    Object.entries(fields)
      .filter(([name]) => !text.includes(name))
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
  return ['%ED%A0%80', 'a%FFb', '%C0%80'].map((bytes) =>
    [`_csrf=${csrf}`, ...encode(target.base), ...text.map((name) => `${encodeURIComponent(name)}=${bytes}`)].join('&'),
  )
}

/** Posts a raw urlencoded body with the browser's cookies. */
export function sendRaw(built: TestApp, browser: Client, url: string, body: string): Promise<LightMyRequestResponse> {
  return built.app.inject({
    method: 'POST',
    url,
    remoteAddress: '10.9.0.1',
    headers: {
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: body,
  })
}

/** Sends the values as the form would (urlencoded, or multipart with a file for uploads). */
export async function sendHostile(
  built: TestApp,
  browser: Client,
  target: FuzzTarget,
  values: Record<string, string | string[]>,
  csrf: string,
): Promise<LightMyRequestResponse> {
  if (!target.multipart) return browser.post(target.url, values, { csrf })
  const fields = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]))
  const content = Object.values(fields).join('\n')
  return postFile(built.app, browser, target.url, { filename: 'x.csv', content }, { csrf, fields })
}

/** The tables whose rows a refused request must leave as they were. */
export const keyTables = [
  'person',
  'account',
  'custom_role',
  'supervision_session',
  'session_participant',
  'session_cancellation',
  'session_request',
  'contract',
  'contract_signature',
  'supervision_record',
  'record_signature',
  'record_comment',
  'record_addendum',
  'record_template',
  'policy_version',
  'academic_year',
  'school',
] as const

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = [...keyTables, 'audit_event']
  const columns = tables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')
  const result = await sql<Record<string, number>>`${sql.raw(`select ${columns}`)}`.execute(db)
  return result.rows[0]!
}
