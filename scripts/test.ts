/**
 * `npm test`: everything, in one command, failing if any step fails.
 *   1. browser assets   2. type-check   3. lint   4. unit tests (src/)
 *   5. integration tests on PGlite   6. the same on PostgreSQL when TEST_DATABASE_URL is set
 *   7. browser journeys in headless Chromium (skipped, with the reason, when it is not installed)
 * Pass step names to run only some: `npm test -- unit integration`.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../src/root.ts'
import { buildPgliteTemplate, createPostgresTemplate, runAdmin, scratchDir } from '../test/helpers/templates.ts'
import { buildAssets } from './build-assets.ts'

const bin = (name: string) => path.join(projectRoot, 'node_modules/.bin', name)
const node = process.execPath
// As many test files at once as the machine has cores (2 on the reference machine).
const cores = String(os.availableParallelism())
const concurrency = process.env.TEST_CONCURRENCY ?? cores
const browserConcurrency = process.env.TEST_BROWSER_CONCURRENCY ?? cores

// Node keeps the code it compiled for each module (Haven's TypeScript once stripped, and the
// dependencies) in this directory, so every test process after the first loads the app in about
// 0.9 s of CPU instead of 1.4 s. Node checks each entry against the source, so it is never stale.
process.env.NODE_COMPILE_CACHE ??= scratchDir('haven-compile-cache-')

// The browser journeys by time, slowest first, as last measured (TEST_REPORT_DIR, browser-files.txt).
const slowestBrowserFiles = [
  'test/browser/records-session.test.ts',
  'test/browser/policy-editor.test.ts',
  'test/browser/sessions-booking.test.ts',
  'test/browser/contracts.test.ts',
  'test/browser/auth.test.ts',
  'test/browser/staff.test.ts',
  'test/browser/policy-calendar.test.ts',
  'test/browser/planner-journey.test.ts',
]

// The integration files that take longest, slowest first, as measured one by one on 3 December
// 2026 (CPU seconds: the authorisation matrix 40, then 13 to 18 each); the matrix and the fuzzing
// are one test each of thousands of requests, and schema.test.ts migrates two databases from
// nothing. The rest follow, largest first.
const slowestIntegrationFiles = [
  'test/integration/authorization-matrix.test.ts',
  'test/integration/fuzz.test.ts',
  'test/integration/schema.test.ts',
  'test/integration/sessions-booking.test.ts',
  'test/integration/security-input.test.ts',
  'test/integration/staff-import.test.ts',
  'test/integration/security-accounts.test.ts',
  'test/integration/records-flow.test.ts',
]

/**
 * CPU seconds used so far by this process and every child it has waited for (Linux: cutime and
 * cstime in /proc/self/stat), so a step's cost can be compared on a busy machine, where wall time
 * depends on what else is running.
 */
function cpuSeconds(): number {
  const own = process.cpuUsage()
  let children = 0
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? []
    children = (Number(fields[13]) + Number(fields[14])) / 100
  } catch {
    children = 0
  }
  return (own.user + own.system) / 1e6 + (Number.isFinite(children) ? children : 0)
}

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  const started = Date.now()
  const cpu = cpuSeconds()
  console.log(`\n▶ ${label}`)
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, ...env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const ok = result.status === 0
  console.log(`${ok ? '✔' : '✖'} ${label} (${seconds}s, ${(cpuSeconds() - cpu).toFixed(1)}s CPU)`)
  return ok
}

// One migrated PGlite template for the whole run: every test process starts from it.
let pgliteTemplate: Promise<Record<string, string>> | undefined
function withPgliteTemplate(): Promise<Record<string, string>> {
  pgliteTemplate ??= (async () => {
    const root = scratchDir('haven-test-tpl-')
    await buildPgliteTemplate(root)
    return { HAVEN_TEST_PGLITE_TEMPLATE: root }
  })()
  return pgliteTemplate
}

/**
 * One node:test run (scripts/run-tests.ts: `node --test`, keeping the files in the order given).
 * The timeout stops a test that hangs (a lost lock, a page that never loads) with its name instead
 * of holding the run until CI gives up (issue 12). Five minutes for an integration test: the
 * authorisation matrix and the fuzzing are one test each of thousands of requests, and took over
 * two minutes on a loaded 2-core machine.
 * TEST_REPORT_DIR=<dir> also writes every test file's time, with its tests, slowest first, to
 * <dir>/<step>-files.txt: where the time goes.
 */
function nodeTest(
  step: string,
  files: string[],
  options: { timeoutMs: number; concurrency?: string; isolation?: 'none' },
): string[] {
  const dir = process.env.TEST_REPORT_DIR
  const reporters = [{ reporter: step === 'browser' ? 'spec' : 'dot', destination: 'stdout' }]
  if (dir)
    reporters.push({
      reporter: path.join(projectRoot, 'test/helpers/durations-reporter.ts'),
      destination: path.join(dir, `${step}-files.txt`),
    })
  const spec = {
    files,
    concurrency: Number(options.concurrency ?? concurrency),
    timeoutMs: options.timeoutMs,
    isolation: options.isolation,
    reporters,
  }
  return [path.join(projectRoot, 'scripts/run-tests.ts'), JSON.stringify(spec)]
}

/**
 * The test files matching `pattern`, the slowest first: with two at a time, a long file started
 * last leaves one core idle while it finishes. `slowest` names files by their last measured time
 * (TEST_REPORT_DIR's <step>-files.txt); files not named follow, largest first.
 */
function slowestFirst(pattern: string, slowest: string[] = []): string[] {
  const files = fs.globSync(pattern, { cwd: projectRoot }).sort()
  const rank = (file: string) => {
    const i = slowest.indexOf(file)
    return i === -1 ? slowest.length : i
  }
  const size = (file: string) => fs.statSync(path.join(projectRoot, file)).size
  return files.sort((a, b) => rank(a) - rank(b) || size(b) - size(a))
}

const minute = 60_000

const steps: Record<string, () => boolean | Promise<boolean>> = {
  assets: () => {
    buildAssets()
    return true
  },
  typecheck: () => run('Type-check', bin('tsc'), ['--noEmit', '-p', '.']),
  lint: () => run('Lint', bin('biome'), ['check', '.']),
  // Pure functions: one process for every file (starting one per file cost most of the time).
  unit: () =>
    run(
      'Unit tests',
      node,
      nodeTest('unit', fs.globSync('src/**/*.test.ts', { cwd: projectRoot }).sort(), {
        timeoutMs: minute,
        isolation: 'none',
      }),
    ),
  integration: async () =>
    run(
      'Integration tests on PGlite',
      node,
      nodeTest('integration', slowestFirst('test/integration/**/*.test.ts', slowestIntegrationFiles), {
        timeoutMs: 5 * minute,
      }),
      await withPgliteTemplate(),
    ),
  postgres: async () => {
    if (!process.env.TEST_DATABASE_URL) {
      console.log('\n- Integration tests on PostgreSQL skipped: TEST_DATABASE_URL is not set')
      return true
    }
    const template = await createPostgresTemplate()
    try {
      return run(
        'Integration tests on PostgreSQL',
        node,
        nodeTest('postgres', slowestFirst('test/integration/**/*.test.ts', slowestIntegrationFiles), {
          timeoutMs: 5 * minute,
        }),
        // HAVEN_TEST_PASS=postgres-again: tests marked engine-independent have run on PGlite already.
        { HAVEN_TEST_DB: 'postgres', HAVEN_TEST_TEMPLATE_DB: template, HAVEN_TEST_PASS: 'postgres-again' },
      )
    } finally {
      await runAdmin(`drop database if exists ${template} with (force)`)
    }
  },
  browser: async () => {
    // Pages checked with axe, shared by the journeys so each page and state is checked once.
    const a11y = scratchDir('haven-test-a11y-')
    const ok = run(
      'Browser tests in Chromium',
      node,
      nodeTest('browser', slowestFirst('test/browser/**/*.test.ts', slowestBrowserFiles), {
        timeoutMs: 4 * minute,
        concurrency: browserConcurrency,
      }),
      { ...(await withPgliteTemplate()), HAVEN_TEST_A11Y_CACHE: a11y },
    )
    const log = path.join(a11y, 'checks.log')
    if (fs.existsSync(log)) {
      const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)
      const same = lines.filter((l) => l.startsWith('same')).length
      const seconds = lines.reduce((sum, l) => sum + Number(l.split('\t')[1]), 0) / 1000
      console.log(
        `  axe: ${lines.length - same} pages and states checked, ${same} visits found one already checked (${seconds.toFixed(1)}s in all)`,
      )
      if (process.env.TEST_REPORT_DIR) fs.copyFileSync(log, path.join(process.env.TEST_REPORT_DIR, 'axe-checks.txt'))
    }
    return ok
  },
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in steps))
if (unknown.length > 0) {
  console.error(`Unknown test step: ${unknown.join(', ')}. Steps: ${Object.keys(steps).join(', ')}`)
  process.exit(2)
}
const failed: string[] = []
const started = Date.now()
const startedCpu = cpuSeconds()
const timings: string[] = []
for (const [name, step] of Object.entries(steps)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  const stepStarted = Date.now()
  const stepCpu = cpuSeconds()
  if (!(await step())) failed.push(name)
  timings.push(
    `  ${name.padEnd(12)} ${((Date.now() - stepStarted) / 1000).toFixed(1).padStart(6)}s wall ${(cpuSeconds() - stepCpu).toFixed(1).padStart(6)}s CPU`,
  )
}
console.log(`\nTime per step (CPU counts every process the step started):\n${timings.join('\n')}`)
const minutes = `${((Date.now() - started) / 60000).toFixed(1)} min (${((cpuSeconds() - startedCpu) / 60).toFixed(1)} min CPU)`
if (failed.length > 0) {
  console.error(`\n✖ npm test failed in ${minutes}: ${failed.join(', ')}`)
  process.exit(1)
}
console.log(`\n✔ npm test passed in ${minutes}`)
