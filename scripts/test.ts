/**
 * `npm test`: everything, in one command, failing if any step fails.
 *   1. browser assets   2. type-check   3. lint   4. unit tests (src/)
 *   5. integration tests on PGlite   6. the same on PostgreSQL when TEST_DATABASE_URL is set
 *   7. browser journeys in headless Chromium (skipped, with the reason, when it is not installed)
 * Steps can be grouped into stages whose steps run side by side (a step that runs beside another
 * prints its output when it ends, so the two never interleave); on 2 cores every step already uses
 * both, so each stage holds one step.
 * Pass step names to run only some: `npm test -- unit integration`.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../src/root.ts'
import { buildPgliteTemplate, createPostgresTemplate, runAdmin, scratchDir } from '../test/helpers/templates.ts'
import { buildAssets } from './build-assets.ts'

const bin = (name: string) => path.join(projectRoot, 'node_modules/.bin', name)
const node = process.execPath
const concurrency = process.env.TEST_CONCURRENCY ?? '2'
const browserConcurrency = process.env.TEST_BROWSER_CONCURRENCY ?? '2'

interface RunOptions {
  env?: Record<string, string>
  /** Hold the output until the step ends (when it runs beside another). */
  buffered?: boolean
}

function run(label: string, command: string, args: string[], options: RunOptions = {}): Promise<boolean> {
  const started = Date.now()
  const say = (text: string) => process.stdout.write(text)
  if (!options.buffered) say(`\n▶ ${label}\n`)
  const child = spawn(command, args, {
    cwd: projectRoot,
    stdio: options.buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, ...options.env },
  })
  const output: Buffer[] = []
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk))
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const ok = code === 0
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      if (options.buffered) say(`\n▶ ${label}\n${Buffer.concat(output).toString()}`)
      say(`${ok ? '✔' : '✖'} ${label} (${seconds}s)\n`)
      resolve(ok)
    })
    child.on('error', (error) => {
      say(`✖ ${label}: ${error.message}\n`)
      resolve(false)
    })
  })
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

type Step = (options: { buffered: boolean }) => Promise<boolean>

const steps: Record<string, Step> = {
  assets: async () => {
    buildAssets()
    return true
  },
  typecheck: (o) => run('Type-check', bin('tsc'), ['--noEmit', '-p', '.'], o),
  lint: (o) => run('Lint', bin('biome'), ['check', '.'], o),
  unit: (o) => run('Unit tests', node, nodeTest('src/**/*.test.ts'), o),
  integration: async (o) =>
    run('Integration tests on PGlite', node, nodeTest('test/integration/**/*.test.ts'), {
      ...o,
      env: await withPgliteTemplate(),
    }),
  postgres: async (o) => {
    if (!process.env.TEST_DATABASE_URL) {
      console.log('\n- Integration tests on PostgreSQL skipped: TEST_DATABASE_URL is not set')
      return true
    }
    const template = await createPostgresTemplate()
    try {
      return await run('Integration tests on PostgreSQL', node, nodeTest('test/integration/**/*.test.ts'), {
        ...o,
        env: { HAVEN_TEST_DB: 'postgres', HAVEN_TEST_TEMPLATE_DB: template },
      })
    } finally {
      await runAdmin(`drop database if exists ${template} with (force)`)
    }
  },
  browser: async (o) =>
    run(
      'Browser tests in Chromium',
      node,
      ['--test', `--test-concurrency=${browserConcurrency}`, 'test/browser/**/*.test.ts'],
      {
        ...o,
        env: await withPgliteTemplate(),
      },
    ),
}

/** Stages run one after another; the steps of a stage run side by side. */
const stages: (keyof typeof steps)[][] = [
  ['assets'],
  ['typecheck'],
  ['lint'],
  ['unit'],
  ['integration'],
  ['postgres'],
  ['browser'],
]

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in steps))
if (unknown.length > 0) {
  console.error(`Unknown test step: ${unknown.join(', ')}. Steps: ${Object.keys(steps).join(', ')}`)
  process.exit(2)
}
const failed: string[] = []
const started = Date.now()
for (const stage of stages) {
  const chosen = stage.filter((name) => wanted.length === 0 || wanted.includes(name))
  const buffered = chosen.length > 1
  const results = await Promise.all(chosen.map((name) => steps[name]!({ buffered })))
  chosen.forEach((name, i) => {
    if (!results[i]) failed.push(name)
  })
}
const minutes = ((Date.now() - started) / 60000).toFixed(1)
if (failed.length > 0) {
  console.error(`\n✖ npm test failed in ${minutes} min: ${failed.join(', ')}`)
  process.exit(1)
}
console.log(`\n✔ npm test passed in ${minutes} min`)
