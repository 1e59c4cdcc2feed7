/**
 * Browser journeys: playwright-core drives Debian's Chromium against the real app listening on a
 * random port. Every page a journey visits is checked with axe-core for WCAG 2.2 A/AA.
 * Where Chromium is not installed, journeys are skipped with the reason, except in CI
 * (CI=true), where a missing Chromium fails every journey file.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { TestContext } from 'node:test'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.ts'
import { type Config, testConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { freshDatabase } from '../helpers/database.ts'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const missing: string | false = fs.existsSync(chromiumPath)
  ? false
  : `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`

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
  /** Runs axe on the current page and fails on any WCAG 2.2 A/AA violation. */
  checkA11y(label?: string): Promise<void>
}

export async function startJourney(
  t: TestContext,
  options: { config?: Partial<Config>; javaScript?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Journey> {
  const database = await freshDatabase()
  const base = testConfig(options.config)
  const app = await buildApp({ config: base, database, closeDatabase: false })
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
      // Legacy mode runs axe in the page itself instead of finishing in a new blank page: half
      // the time, and the same results, as Haven's pages have no frames.
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .setLegacyMode(true)
        .analyze()
      const problems = results.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`,
      )
      assert.deepEqual(problems, [], `axe found problems on ${label ?? page.url()}`)
    },
  }
}
