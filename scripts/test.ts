/**
 * `npm test`: everything, in one command, failing if any step fails.
 *   1. browser assets   2. type-check   3. lint   4. unit tests (src/)
 *   5. integration tests on PGlite   6. the same on PostgreSQL when TEST_DATABASE_URL is set
 *   7. browser journeys in headless Chromium (skipped, with the reason, when it is not installed)
 * Pass step names to run only some: `npm test -- unit integration`.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../src/root.ts'
import { buildPgliteTemplate, createPostgresTemplate, runAdmin, scratchDir } from '../test/helpers/templates.ts'
import { buildAssets } from './build-assets.ts'

const bin = (name: string) => path.join(projectRoot, 'node_modules/.bin', name)
const node = process.execPath
const concurrency = process.env.TEST_CONCURRENCY ?? '2'
const browserConcurrency = process.env.TEST_BROWSER_CONCURRENCY ?? '2'

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  const started = Date.now()
  console.log(`\n▶ ${label}`)
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, ...env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const ok = result.status === 0
  console.log(`${ok ? '✔' : '✖'} ${label} (${seconds}s)`)
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

const nodeTest = (pattern: string) => ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=dot', pattern]

const steps: Record<string, () => boolean | Promise<boolean>> = {
  assets: () => {
    buildAssets()
    return true
  },
  typecheck: () => run('Type-check', bin('tsc'), ['--noEmit', '-p', '.']),
  lint: () => run('Lint', bin('biome'), ['check', '.']),
  unit: () => run('Unit tests', node, nodeTest('src/**/*.test.ts')),
  integration: async () =>
    run('Integration tests on PGlite', node, nodeTest('test/integration/**/*.test.ts'), await withPgliteTemplate()),
  postgres: async () => {
    if (!process.env.TEST_DATABASE_URL) {
      console.log('\n- Integration tests on PostgreSQL skipped: TEST_DATABASE_URL is not set')
      return true
    }
    const template = await createPostgresTemplate()
    try {
      return run('Integration tests on PostgreSQL', node, nodeTest('test/integration/**/*.test.ts'), {
        HAVEN_TEST_DB: 'postgres',
        HAVEN_TEST_TEMPLATE_DB: template,
      })
    } finally {
      await runAdmin(`drop database if exists ${template} with (force)`)
    }
  },
  browser: async () =>
    run(
      'Browser tests in Chromium',
      node,
      ['--test', `--test-concurrency=${browserConcurrency}`, 'test/browser/**/*.test.ts'],
      await withPgliteTemplate(),
    ),
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in steps))
if (unknown.length > 0) {
  console.error(`Unknown test step: ${unknown.join(', ')}. Steps: ${Object.keys(steps).join(', ')}`)
  process.exit(2)
}
const failed: string[] = []
const started = Date.now()
for (const [name, step] of Object.entries(steps)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  if (!(await step())) failed.push(name)
}
const minutes = ((Date.now() - started) / 60000).toFixed(1)
if (failed.length > 0) {
  console.error(`\n✖ npm test failed in ${minutes} min: ${failed.join(', ')}`)
  process.exit(1)
}
console.log(`\n✔ npm test passed in ${minutes} min`)
