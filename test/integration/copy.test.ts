/**
 * Copy written for users (issue 18, point 6): every page the authorisation matrix reaches, as each
 * role that may open it, is read for what a person should never see: a requirement ID (CA-03,
 * LH-08: they belong in tests and commits), "1 people", and a date as JavaScript prints it
 * ("Thu Dec 03 2026 20:45:11 GMT+0000") or as a raw ISO date ("2026-12-03").
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parse } from 'node-html-parser'
import { concreteUrl } from '../builders/route-urls.ts'
import { buildTrustFixture, type TrustFixture, type ViewerRole } from '../builders/trust.ts'
import { onOneEngine } from '../helpers/engines.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

/** Who reads the pages: each sees the pages (and the parts of pages) their roles open. */
const readers: ViewerRole[] = ['dsl', 'supervisor', 'supervisee', 'administrator', 'headteacher']

/** What a person should never read, each with why. */
const forbidden: [RegExp, string][] = [
  [/\b(MW|LH|CA|PL|AM|X)-\d{2}\b/, 'a requirement ID'],
  [/\b1 people\b/, '"1 people"'],
  [
    /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4}\b/,
    'a JavaScript date',
  ],
  [/GMT[+-]\d{4}/, 'a JavaScript date'],
]
/**
 * A date as stored, outside hints and the staff import's list of the date formats a file may use
 * (which shows it as one way a file may write a date).
 */
const isoDate = /\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?\b/
const dateFormatsExplained = /\(day first(, as MIS exports write it)?\) or \d{4}-\d{2}-\d{2}/g

/** The text a person reads on a page: its title and body text, and the text of its controls. */
function readableText(body: string, withoutHints = false): string {
  const root = parse(body)
  for (const hidden of root.querySelectorAll(
    withoutHints ? 'script, style, template, .govuk-hint' : 'script, style, template',
  ))
    hidden.remove()
  const title = root.querySelector('title')?.textContent ?? ''
  const labels = root
    .querySelectorAll('[aria-label], [alt], [title], input[type=submit], button[value]')
    .map((el) => [el.getAttribute('aria-label'), el.getAttribute('alt'), el.getAttribute('title')].join(' '))
  return [title, root.querySelector('body')?.textContent ?? '', ...labels].join('\n').replace(/\s+/g, ' ')
}

describe('copy written for users', onOneEngine(), () => {
  let built: TestApp
  let f: TrustFixture
  const cleanup: ((...args: never[]) => unknown)[] = []
  const found: string[] = []
  let pagesRead = 0
  /** The links on the pages each reader read. */
  const links = new Map<ViewerRole, Set<string>>()
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })

  before(async () => {
    built = await buildTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    f = await buildTrustFixture(built)
    const routes = built.app
      .registeredRoutes()
      .filter((r) => r.method.split(',').includes('GET'))
      .map((r) => r.url)
      .filter(
        (url) =>
          !url.startsWith('/feeds/') &&
          !url.startsWith('/api/') &&
          !url.startsWith('/assets') &&
          !/\.(csv|pdf|ics|txt|json)$/.test(url),
      )
    // A session cancelled (the list of cancellations shows when and by whom), and a search that
    // finds one person.
    const planned = f.plannedSessions.own
    const cancelForm = parse((await f.browsers.dsl.get(`/sessions/${planned}/cancel`)).body)
    const cancelled = await f.browsers.dsl.post(`/sessions/${planned}/cancel`, {
      version: cancelForm.querySelector('input[name=version]')?.getAttribute('value') ?? '1',
      reasonId: cancelForm.querySelector('input[name=reasonId]')?.getAttribute('value') ?? '',
      reasonNote: 'Exam invigilation',
    })
    assert.equal(cancelled.statusCode, 303, cancelled.body.slice(0, 500))
    const supervisee = await built.database.db
      .selectFrom('person')
      .select('name')
      .where('id', '=', f.people.supervisee)
      .executeTakeFirstOrThrow()
    const extra = [`/staff?q=${encodeURIComponent(supervisee.name)}`]
    for (const reader of readers) links.set(reader, new Set())
    for (const url of [...[...new Set(routes)].map((r) => concreteUrl(f, r)), ...extra]) {
      for (const reader of readers) {
        const res = await f.browsers[reader].get(url)
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue
        pagesRead++
        const text = readableText(res.body)
        const checks: [RegExp, string, string][] = [
          ...forbidden.map(([pattern, what]): [RegExp, string, string] => [pattern, what, text]),
          [isoDate, 'a raw ISO date', readableText(res.body, true).replace(dateFormatsExplained, '')],
        ]
        for (const [pattern, what, read] of checks) {
          const match = pattern.exec(read)
          if (match)
            found.push(
              `${url} as ${reader}: ${what} (“${read.slice(Math.max(0, match.index - 40), match.index + 40)}”)`,
            )
        }
        for (const a of parse(res.body).querySelectorAll('main a[href^="/"]'))
          links.get(reader)!.add(a.getAttribute('href')!)
      }
    }
  })

  test('no page shows a requirement ID, "1 people", or a date as a program prints it', () => {
    assert.ok(pagesRead > 150, `only ${pagesRead} pages were read`)
    assert.deepEqual(found, [])
  })

  test('no page links a reader to a page they may not open', async () => {
    const refused: string[] = []
    for (const [reader, hrefs] of links) {
      for (const href of hrefs) {
        if (/\.(csv|pdf|ics)(\?|$)/.test(href)) continue
        const res = await f.browsers[reader].get(href)
        if (res.statusCode === 403) refused.push(`${href} as ${reader}`)
      }
    }
    assert.deepEqual(refused, [])
  })
})
