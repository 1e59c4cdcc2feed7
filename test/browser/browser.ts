/**
 * Browser journeys: playwright-core drives Debian's Chromium against the real app listening on a
 * random port. Every page a journey visits is checked with axe-core for WCAG 2.2 A/AA, once per
 * distinct page and state (see checkA11y). Where Chromium is not installed, journeys are skipped
 * with the reason, except in CI (CI=true), where a missing Chromium fails every journey file.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { TestContext } from 'node:test'
import axe from 'axe-core'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.ts'
import { type Config, testConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { clockFrom } from '../helpers/clock.ts'
import { freshDatabase } from '../helpers/database.ts'
import { personIdByEmail, SESSION_COOKIE, sessionToken } from '../helpers/sessions.ts'

/**
 * The browser: CHROMIUM_PATH, or else Debian's headless shell (the package chromium-headless-shell,
 * Chromium without the full browser's user interface, as Playwright itself uses for headless runs),
 * or else Debian's full Chromium in its headless mode. The shell drives the same Blink, V8 and
 * accessibility tree for a third less CPU over the journeys: 19.9 s against 29.3 s for the
 * longest journey file, measured side by side (ADR 4).
 */
export const chromiumPath =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((candidate) => fs.existsSync(candidate)) ??
  '/usr/bin/chromium-headless-shell'

const missing: string | false = fs.existsSync(chromiumPath)
  ? false
  : `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium-headless-shell, or set CHROMIUM_PATH)`

// In CI a missing browser is a broken machine, not a reason to pass without the journeys.
if (missing && process.env.CI === 'true') throw new Error(`${missing}. With CI=true the browser tests must run.`)

/** Why browser tests cannot run here, or false when they can. */
export const skipBrowser: string | false = missing

let browser: Promise<Browser> | undefined

export function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // Pages run their scripts (GOV.UK Frontend's, axe's) in V8's interpreter and its baseline
      // compiler, without the optimising compilers: a page lives for a few clicks, and optimising
      // axe's functions for one or two runs cost more than it saved. Chromium's CPU over a journey
      // file fell by 9 to 16% (records-session 15.4 and 15.3 s against 12.8 and 12.9 s; auth 9.4
      // and 8.8 s against 8.3 and 8.2 s, runs alternated; ADR 4).
      '--js-flags=--max-opt=1',
    ],
  })
  return browser
}

export async function closeBrowser() {
  if (browser) await (await browser).close()
  browser = undefined
}

export interface Journey {
  page: Page
  context: BrowserContext
  baseUrl: string
  database: DatabaseHandle
  config: Config
  /**
   * Runs axe on the current page and fails on any WCAG 2.2 A/AA violation. A page already checked
   * in this run in the same state (see a11yKey) has its result already: it is not checked again.
   */
  checkA11y(label?: string): Promise<void>
  /**
   * Signs the person in as the sign-in page would after their password (and second step), by
   * writing their session row and giving the browser its cookie; `person` is an id or an email
   * address. The sign-in pages themselves are tested in auth.test.ts.
   */
  signInAs(person: string): Promise<void>
}

/**
 * Waits for the element to be visible (as Playwright's waiting assertions do), failing with
 * `message` if it is not within the timeout. Use it instead of `isVisible()`, which answers at
 * once, even while the page after a click is still loading.
 */
export async function visible(locator: Locator, message?: string, timeout = 10_000): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout })
  } catch (error) {
    assert.fail(
      `${message ?? 'Expected to be visible'}: ${String(locator)} (${(error as Error).message.split('\n')[0]})`,
    )
  }
}

/**
 * The path with ids, years and tokens made general (/records/3f2a…/edit → /records/:id/edit), and
 * without the query: what a query changes on the page (a banner, a filter) shows in pageState.
 */
export function pathPattern(url: string): string {
  const u = new URL(url)
  const segments = u.pathname
    .split('/')
    .map((segment) => (/\d/.test(segment) || /^[A-Za-z0-9_-]{20,}$/.test(segment) ? ':id' : segment))
  return segments.join('/')
}

/**
 * What axe's result depends on, as a hash: the page's element tree with each element's tag,
 * classes, role, type, style, ARIA state, whether its text and text-like attributes are empty,
 * and whether the ids it points to (a label's `for`, `aria-describedby`…) exist and are unique;
 * runs of identical siblings (table rows, list items) count once. Two visits to one page with
 * different data (names, dates, one row or five) have the same state; an error summary, a banner,
 * a new field, a changed tag or an opened details element make a new one.
 */
async function pageState(page: Page): Promise<string> {
  const tree = await page.evaluate(() => {
    const counts = new Map<string, number>()
    for (const el of document.querySelectorAll('[id]')) counts.set(el.id, (counts.get(el.id) ?? 0) + 1)
    const idState = (id: string) => (counts.get(id) === 1 ? 'ok' : counts.has(id) ? 'duplicate' : 'missing')
    const references = new Set([
      'for',
      'aria-describedby',
      'aria-labelledby',
      'aria-controls',
      'aria-owns',
      'aria-activedescendant',
      'aria-errormessage',
      'aria-details',
      'headers',
      'list',
      'form',
    ])
    const kept = new Set(['class', 'role', 'type', 'style', 'lang', 'dir', 'scope', 'tabindex', 'autocomplete'])
    const textual = new Set(['alt', 'title', 'aria-label', 'placeholder', 'value', 'summary', 'content'])
    const describe = (el: Element): string => {
      const attributes = [...el.attributes]
        .map((a) => {
          if (a.name === 'id') return `id:${idState(a.value)}`
          if (references.has(a.name)) return `${a.name}:${a.value.split(/\s+/).filter(Boolean).map(idState).join(',')}`
          if (a.name === 'href')
            return `href:${a.value === '' ? 'empty' : a.value.startsWith('#') ? idState(a.value.slice(1)) : 'url'}`
          if (kept.has(a.name) || (a.name.startsWith('aria-') && !textual.has(a.name))) return `${a.name}=${a.value}`
          if (textual.has(a.name)) return `${a.name}:${a.value.trim() === '' ? 'empty' : 'text'}`
          return a.name
        })
        .sort()
      const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()) ? ' text' : ''
      const children: string[] = []
      for (const child of el.children) {
        const d = describe(child)
        if (children[children.length - 1] !== d) children.push(d)
      }
      return `<${el.tagName.toLowerCase()} ${attributes.join(' ')}${text}>${children.join('')}</>`
    }
    return describe(document.documentElement)
  })
  return crypto.createHash('sha256').update(tree).digest('hex')
}

/**
 * Pages checked with no violations in this run: in memory, and in HAVEN_TEST_A11Y_CACHE (a
 * directory scripts/test.ts makes for each run) so that journeys in other processes share them.
 */
const checked = new Set<string>()
const sharedChecks = process.env.HAVEN_TEST_A11Y_CACHE

function alreadyChecked(key: string): boolean {
  return checked.has(key) || (!!sharedChecks && fs.existsSync(path.join(sharedChecks, key)))
}

function rememberChecked(key: string) {
  checked.add(key)
  if (sharedChecks) fs.writeFileSync(path.join(sharedChecks, key), '')
}

/**
 * What axe's colour-contrast rule weighs for each piece of text on the page, one string per
 * distinct case: the text's colour, size, weight and shadow, the opacity it is drawn with, whether
 * it or an ancestor is taken out of the flow (and so may sit over something else), the background
 * layers behind it up to the first opaque one, and any ::before or ::after box it draws. Two pieces
 * of text with the same case get the same answer from the rule, wherever they are.
 */
async function contrastCases(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cases = new Set<string>()
    const transparent = 'rgba(0, 0, 0, 0)'
    const drawn = (el: Element) =>
      (['::before', '::after'] as const)
        .map((pseudo) => getComputedStyle(el, pseudo))
        .filter((p) => p.content !== 'none' && p.content !== 'normal')
        .map((p) => `${p.backgroundColor} ${p.color} ${p.position}`)
        .join(',')
    const caseOf = (el: Element): string => {
      const own = getComputedStyle(el)
      let opacity = 1
      let outOfFlow = false
      const layers: string[] = []
      let opaque = false
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e)
        opacity *= Number(style.opacity)
        if (!['static', 'relative'].includes(style.position) || style.transform !== 'none') outOfFlow = true
        if (!opaque && (style.backgroundColor !== transparent || style.backgroundImage !== 'none')) {
          layers.push(`${style.backgroundColor}${style.backgroundImage === 'none' ? '' : ' image'} ${drawn(e)}`)
          opaque = style.backgroundImage === 'none' && style.backgroundColor.startsWith('rgb(')
        }
      }
      return JSON.stringify([
        own.color,
        own.fontSize,
        own.fontWeight,
        own.textShadow,
        opacity,
        outOfFlow,
        layers,
        drawn(el),
      ])
    }
    for (const el of document.body.querySelectorAll('*')) {
      if (el.getClientRects().length === 0) continue
      const hasText =
        ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName) ||
        [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
      if (hasText) cases.add(caseOf(el))
    }
    return [...cases]
  })
}

/** Contrast cases (see contrastCases) that passed axe's rule in this run, shared like the pages. */
const knownContrast = new Set<string>()

function contrastKey(contrastCase: string): string {
  return `contrast-${crypto.createHash('sha256').update(contrastCase).digest('hex')}`
}

function contrastKnown(contrastCase: string): boolean {
  const key = contrastKey(contrastCase)
  return knownContrast.has(key) || (!!sharedChecks && fs.existsSync(path.join(sharedChecks, key)))
}

function rememberContrast(cases: string[]) {
  for (const contrastCase of cases) {
    const key = contrastKey(contrastCase)
    if (knownContrast.has(key)) continue
    knownContrast.add(key)
    if (sharedChecks) fs.writeFileSync(path.join(sharedChecks, key), '')
  }
}

/** One line per check in HAVEN_TEST_A11Y_CACHE/checks.log, which scripts/test.ts sums up. */
function logCheck(outcome: 'checked' | 'checked, contrast known' | 'same', ms: number, pattern: string, label: string) {
  if (sharedChecks)
    fs.appendFileSync(path.join(sharedChecks, 'checks.log'), `${outcome}\t${Math.round(ms)}\t${pattern}\t${label}\n`)
}

/** Where the journeys' app serves axe-core's script, to pages with JavaScript. */
const axePath = '/__test/axe.min.js'

/**
 * The journeys' app serves axe-core as a cached script: a page loads it in about 15 ms, where
 * sending its 580 KB source through the DevTools protocol on every check (as AxeBuilder does)
 * took 120 to 170 ms, measured page by page. A test-only route on the test's own app instance.
 */
function serveAxe(app: Awaited<ReturnType<typeof buildApp>>) {
  app.get(axePath, { config: { access: 'public' } }, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/javascript; charset=utf-8').send(axe.source),
  )
}

/** The WCAG 2.2 A and AA rules, and only the violations in full. */
const axeOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
} satisfies axe.RunOptions

/**
 * Runs axe in the page itself and returns each violation as one line. The page loads axe from
 * the app (see serveAxe). Haven's pages have no frames, so one run covers the page. axe needs
 * JavaScript (it waits on timers), so a journey without it checks its pages in another journey.
 */
async function runAxe(page: Page, javaScript: boolean, contrast: boolean): Promise<string[]> {
  if (!javaScript) throw new Error('axe runs only in a page with JavaScript: check this page in a journey with it')
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: axePath })
  return page.evaluate(
    async (runOptions) => {
      const results = await (window as unknown as { axe: typeof axe }).axe.run(document, runOptions)
      return results.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`,
      )
    },
    contrast ? axeOptions : { ...axeOptions, rules: { 'color-contrast': { enabled: false } } },
  )
}

export async function startJourney(
  t: TestContext,
  options: {
    config?: Partial<Config>
    javaScript?: boolean
    viewport?: { width: number; height: number }
    /** The app's "now": by default it starts at the fixed test instant (test/helpers/clock.ts). */
    clock?: () => Date
  } = {},
): Promise<Journey> {
  const database = await freshDatabase()
  const base = testConfig(options.config)
  const app = await buildApp({ config: base, database, closeDatabase: false, clock: options.clock ?? clockFrom() })
  serveAxe(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const baseUrl = `http://127.0.0.1:${port}`
  const config = Object.freeze({ ...base, baseUrl })
  const context = await (await sharedBrowser()).newContext({
    baseURL: baseUrl,
    timezoneId: 'Europe/London',
    locale: 'en-GB',
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  t.after(async () => {
    await context.close()
    await app.close()
    await database.close()
  })
  return {
    page,
    context,
    baseUrl,
    database,
    config,
    async checkA11y(label?: string) {
      const started = performance.now()
      // A click that navigates returns once the next page starts to load: check it when loaded.
      await page.waitForLoadState('load')
      const viewport = page.viewportSize()
      const pattern = pathPattern(page.url())
      const key = crypto
        .createHash('sha256')
        .update(
          JSON.stringify([
            pattern,
            options.javaScript ?? true,
            viewport?.width,
            viewport?.height,
            await pageState(page),
          ]),
        )
        .digest('hex')
      if (alreadyChecked(key)) {
        logCheck('same', performance.now() - started, pattern, label ?? '')
        return
      }
      // Every rule runs on every page and state; the colour-contrast rule, the dearest (about
      // 200 ms a page), only where the page has text in a case no page passed before.
      const cases = await contrastCases(page)
      const contrast = !cases.every(contrastKnown)
      const problems = await runAxe(page, options.javaScript ?? true, contrast)
      assert.deepEqual(problems, [], `axe found problems on ${label ?? page.url()}`)
      rememberChecked(key)
      if (contrast) rememberContrast(cases)
      logCheck(contrast ? 'checked' : 'checked, contrast known', performance.now() - started, pattern, label ?? '')
    },
    async signInAs(person: string) {
      const personId = person.includes('@') ? await personIdByEmail(database.db, person) : person
      const token = await sessionToken(database.db, personId, { userAgent: 'browser test' })
      await context.clearCookies({ name: SESSION_COOKIE })
      await context.addCookies([{ name: SESSION_COOKIE, value: token, url: baseUrl }])
    },
  }
}
