/**
 * `npm test`: everything, in one command, failing if any step fails.
 *   1. browser assets   2. side by side: type-check, lint and unit tests (src/),
 *      integration tests on PGlite, the same on PostgreSQL when TEST_DATABASE_URL is set,
 *      browser journeys in headless Chromium (skipped, with the reason, when it is not installed)
 * Pass step names to run only some: `npm test -- unit integration`.
 */
import { spawn } from 'node:child_process'
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
// One browser process more than cores: a journey waits on its page about a third of the time, so
// a third process fills the cores (measured side by side, loaded machine: 423 s against 496 s;
// four processes were slower than two in an earlier session, ADR 4).
const browserConcurrency = process.env.TEST_BROWSER_CONCURRENCY ?? String(os.availableParallelism() + 1)
// How much lower each database pass's priority is than the journeys' they run beside (nice values):
// the journeys first, then the PostgreSQL pass (it waits on the server), then PGlite, which fills
// whatever CPU is left.
const postgresNiceness = 0
const pgliteNiceness = 10

// Node keeps the code it compiled for each module (Haven's TypeScript once stripped, and the
// dependencies) in this directory, so every test process after the first loads the app in about
// 0.9 s of CPU instead of 1.4 s. Node checks each entry against the source, so it is never stale.
process.env.NODE_COMPILE_CACHE ??= scratchDir('haven-compile-cache-')

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

/**
 * The machine's busy CPU seconds since it started, every process counted (Linux: /proc/stat), or
 * undefined elsewhere. cpuSeconds misses Chromium's page processes (its zygote clears their
 * environment and they are never waited for by a test process) and the PostgreSQL server's: over
 * a whole run they were about a third of the work (ADR 4). On a machine running only the tests
 * (CI), this is what the run cost.
 */
function machineCpuSeconds(): number | undefined {
  try {
    const [user, nice, system, , , irq, softirq, steal] = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number)
    const busy = [user, nice, system, irq, softirq, steal].reduce((sum: number, ticks) => sum + (ticks ?? 0), 0)
    return Number.isFinite(busy) ? busy / 100 : undefined
  } catch {
    return undefined
  }
}

/**
 * Runs a command with its output held and printed whole when it ends, so that commands run side
 * by side (see the checks step) print one after another.
 */
function runHeld(label: string, command: string, args: string[]): Promise<boolean> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env: process.env })
    const output: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk))
    const done = (ok: boolean) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      process.stdout.write(`\n▶ ${label}\n${Buffer.concat(output).toString()}`)
      console.log(`${ok ? '✔' : '✖'} ${label} (${seconds}s)`)
      resolve(ok)
    }
    child.on('exit', (code) => done(code === 0))
    child.on('error', () => done(false))
  })
}

/**
 * The files split into `count` shards of about equal cost, by longest processing time first: each
 * file, dearest first, goes to the shard with the least so far. A file's cost is its last measured
 * time in this step in test/timings.json (seconds, written by `TEST_REPORT_DIR`'s files lists, see
 * scripts/timings.ts), or its size for a file not measured yet.
 */
function costOf(step: string): (file: string) => number {
  let measured: Record<string, number> = {}
  try {
    measured = JSON.parse(fs.readFileSync(path.join(projectRoot, 'test/timings.json'), 'utf8'))[step] ?? {}
  } catch {
    measured = {}
  }
  const secondsPerByte = 1 / 2000
  return (file: string) => measured[file] ?? fs.statSync(path.join(projectRoot, file)).size * secondsPerByte
}

function shards(step: string, files: string[], count: number): string[][] {
  const cost = costOf(step)
  const groups = Array.from({ length: count }, () => ({ files: [] as string[], cost: 0 }))
  for (const file of [...files].sort((a, b) => cost(b) - cost(a))) {
    const least = groups.reduce((a, b) => (b.cost < a.cost ? b : a))
    least.files.push(file)
    least.cost += cost(file)
  }
  return groups.filter((g) => g.files.length > 0).map((g) => g.files)
}

/**
 * The files split into chunks of falling size for processes that each take the next chunk when
 * done (runQueue): each of `weights` is a round's share of the step's cost, split evenly among
 * `slots` chunks, so the last chunks are small and go to whichever process is free first.
 */
function chunksOf(step: string, files: string[], slots: number, weights: number[]): string[][] {
  const cost = costOf(step)
  const targets = weights.flatMap((weight) => Array.from({ length: slots }, () => weight / slots))
  const total = files.reduce((sum, file) => sum + cost(file), 0)
  const chunks = targets.map((target) => ({ files: [] as string[], wanted: target * total }))
  for (const file of [...files].sort((a, b) => cost(b) - cost(a))) {
    const emptiest = chunks.reduce((a, b) => (b.wanted > a.wanted ? b : a))
    emptiest.files.push(file)
    emptiest.wanted -= cost(file)
  }
  return chunks.map((chunk) => chunk.files).filter((chunk) => chunk.length > 0)
}

/** One step's test files in processes of their own (runQueue). */
interface Pass {
  label: string
  step: string
  /** The files of each process, one chunk per process, in the order they are started. */
  chunks: string[][]
  timeoutMs: number
  /** The environment of the step's processes (awaited when its first process starts). */
  env: () => Promise<Record<string, string>>
  niceness?: number
  /** Whether its processes use the CPU all the time (busyProcessFlags). */
  busy?: boolean
}

/**
 * V8 without its helper threads (garbage collection and compilation on the process's own thread)
 * for the database passes' processes: each is busy all the time on a machine whose cores are all
 * busy, where helper threads only add work (7% less CPU over four integration files, measured
 * side by side; ADR 4). The journeys keep them: they mostly wait on Chromium.
 */
const busyProcessFlags = ['--single-threaded']

/** Each step's wall time, from its first process's start to its last one's end. */
const stepWall = new Map<string, number>()

/**
 * Runs the passes' chunks, in the order given, in `slots` processes at once: a slot whose process
 * ends starts the next chunk, so no core waits while work is left. Each process runs its chunk's
 * files one after another (`--test-isolation=none`): the app's modules, compiled templates,
 * warmed-up code and the database are loaded once per process instead of once per file, which
 * halved the integration tests' CPU time (docs/adr/0004-one-test-command.md). Returns the steps
 * that failed.
 */
async function runQueue(passes: Pass[], slots: number): Promise<string[]> {
  const queue = passes.flatMap((pass) =>
    pass.chunks.map((files, i) => ({ pass, files, name: `${pass.step}-${i + 1}` })),
  )
  const state = new Map(passes.map((pass) => [pass, { started: 0, left: pass.chunks.length, ok: true }]))
  const slot = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { pass, files, name } = next
      const progress = state.get(pass)!
      if (!progress.started) {
        progress.started = Date.now()
        const count = pass.chunks.reduce((sum, chunk) => sum + chunk.length, 0)
        console.log(`\n▶ ${pass.label} (${count} files in ${pass.chunks.length} processes)`)
      }
      const env = await pass.env()
      const ok = await new Promise<boolean>((resolve) => {
        const args = [
          ...(pass.busy ? busyProcessFlags : []),
          ...nodeTest(name, files, { timeoutMs: pass.timeoutMs, concurrency: '1', isolation: 'none' }),
        ]
        const child = spawn(node, args, {
          cwd: projectRoot,
          stdio: 'inherit',
          env: { ...process.env, ...env, HAVEN_TEST_CPU_LOG: cpuLog, HAVEN_TEST_STEP: pass.step },
        })
        if (pass.niceness && child.pid) lowerPriority(child.pid, pass.niceness)
        child.on('exit', (code) => resolve(code === 0))
        child.on('error', () => resolve(false))
      })
      progress.ok &&= ok
      if (--progress.left === 0) {
        const wall = (Date.now() - progress.started) / 1000
        stepWall.set(pass.step, wall)
        console.log(
          `${progress.ok ? '✔' : '✖'} ${pass.label} (${wall.toFixed(1)}s, ${stepCpu(pass.step).toFixed(1)}s CPU)`,
        )
      }
    }
  }
  await Promise.all(Array.from({ length: slots }, slot))
  return passes.filter((pass) => !state.get(pass)!.ok).map((pass) => pass.step)
}

// Each test process appends its CPU seconds (with Chromium's, for the journeys) to this file as it
// exits (scripts/run-tests.ts), so each step's cost is known while steps run side by side.
const cpuLog = path.join(scratchDir('haven-test-cpu-'), 'cpu.log')

/** CPU seconds the test processes of `step` used (every process of the step has exited). */
function stepCpu(step: string): number {
  if (!fs.existsSync(cpuLog)) return 0
  return fs
    .readFileSync(cpuLog, 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([name]) => name?.replace(/-\d+$/, '') === step)
    .reduce((sum, [, seconds]) => sum + Number(seconds), 0)
}

/** Runs a process below this one's priority (a higher nice value), where the system allows. */
function lowerPriority(pid: number, by: number) {
  try {
    os.setPriority(pid, Math.min(19, os.getPriority() + by))
  } catch {
    // Left at this process's priority.
  }
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
  const reporters = [{ reporter: step.startsWith('browser') ? 'spec' : 'dot', destination: 'stdout' }]
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

const minute = 60_000

// One migrated PostgreSQL template for the run, dropped when the run ends.
let postgresTemplate: Promise<string> | undefined
function withPostgresTemplate(): Promise<string> {
  postgresTemplate ??= createPostgresTemplate()
  return postgresTemplate
}
async function dropPostgresTemplate() {
  if (postgresTemplate) await runAdmin(`drop database if exists ${await postgresTemplate} with (force)`)
}

/** Whether this run goes on to the PostgreSQL pass (asked for, or every step, with a database). */
function postgresPassFollows(): boolean {
  const asked = process.argv.slice(2)
  return !!process.env.TEST_DATABASE_URL && (asked.length === 0 || asked.includes('postgres'))
}

const steps: Record<string, () => boolean | Promise<boolean>> = {
  assets: () => {
    buildAssets()
    return true
  },
  typecheck: () => runHeld('Type-check', bin('tsc'), ['--noEmit', '-p', '.']),
  lint: () => runHeld('Lint', bin('biome'), ['check', '.']),
  // Pure functions: one process for every file (starting one per file cost most of the time).
  unit: () =>
    runHeld(
      'Unit tests',
      node,
      nodeTest('unit', fs.globSync('src/**/*.test.ts', { cwd: projectRoot }).sort(), {
        timeoutMs: minute,
        isolation: 'none',
      }),
    ),
  browser: async () => {
    // Pages checked with axe, shared by the journeys so each page and state is checked once.
    const a11y = scratchDir('haven-test-a11y-')
    const slots = Number(browserConcurrency)
    const failed = await runQueue(
      [
        {
          label: 'Browser tests in Chromium',
          step: 'browser',
          chunks: shards('browser', fs.globSync('test/browser/**/*.test.ts', { cwd: projectRoot }).sort(), slots),
          timeoutMs: 4 * minute,
          env: async () => ({ ...(await withPgliteTemplate()), HAVEN_TEST_A11Y_CACHE: a11y }),
        },
      ],
      slots,
    )
    const log = path.join(a11y, 'checks.log')
    if (fs.existsSync(log)) {
      const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)
      const same = lines.filter((l) => l.startsWith('same')).length
      const contrastKnown = lines.filter((l) => l.startsWith('checked, contrast known')).length
      const seconds = lines.reduce((sum, l) => sum + Number(l.split('\t')[1]), 0) / 1000
      console.log(
        `  axe: ${lines.length - same} pages and states checked (${contrastKnown} with every colour contrast case passed already), ${same} visits found one already checked (${seconds.toFixed(1)}s in all)`,
      )
      if (process.env.TEST_REPORT_DIR) fs.copyFileSync(log, path.join(process.env.TEST_REPORT_DIR, 'axe-checks.txt'))
    }
    return failed.length === 0
  },
}

const integrationFiles = () => fs.globSync('test/integration/**/*.test.ts', { cwd: projectRoot }).sort()
const slots = Number(concurrency)

/**
 * The integration tests, run once on PGlite and once on PostgreSQL. Asked for together, the two
 * passes share one queue (runQueue): the PGlite pass in one chunk per slot, then the PostgreSQL
 * pass in chunks of falling size, so that a process of the PGlite pass that ends first starts on
 * the PostgreSQL pass instead of leaving its core idle (the two PGlite processes ended up to 90 s
 * apart), and the last chunks of the run are small.
 */
const passes: Record<string, () => Pass | null> = {
  integration: () => ({
    label: 'Integration tests on PGlite',
    step: 'integration',
    chunks: chunksOf('integration', integrationFiles(), slots, [1]),
    timeoutMs: 5 * minute,
    env: async () => ({
      ...(await withPgliteTemplate()),
      // The schema test compares a copy of each engine's template, both migrated from nothing.
      ...(process.env.TEST_DATABASE_URL ? { HAVEN_TEST_TEMPLATE_DB: await withPostgresTemplate() } : {}),
      // Tests marked onOneEngine() wait for the PostgreSQL pass when this run has one.
      ...(postgresPassFollows() ? { HAVEN_TEST_PASS: 'pglite-then-postgres' } : {}),
    }),
    niceness: pgliteNiceness,
    busy: true,
  }),
  postgres: () => {
    if (!process.env.TEST_DATABASE_URL) {
      console.log('\n- Integration tests on PostgreSQL skipped: TEST_DATABASE_URL is not set')
      return null
    }
    return {
      label: 'Integration tests on PostgreSQL',
      step: 'postgres',
      chunks: chunksOf('postgres', integrationFiles(), slots, [0.7, 0.3]),
      timeoutMs: 5 * minute,
      // HAVEN_TEST_PASS=postgres-again: tests marked engineIndependent() have run on PGlite
      // already; those marked onOneEngine() run here only.
      env: async () => ({
        HAVEN_TEST_DB: 'postgres',
        HAVEN_TEST_TEMPLATE_DB: await withPostgresTemplate(),
        HAVEN_TEST_PASS: 'postgres-again',
      }),
      niceness: postgresNiceness,
      busy: true,
    }
  },
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in steps) && !(name in passes))
if (unknown.length > 0) {
  console.error(
    `Unknown test step: ${unknown.join(', ')}. Steps: ${[...Object.keys(steps), ...Object.keys(passes)].join(', ')}`,
  )
  process.exit(2)
}
const isWanted = (name: string) => wanted.length === 0 || wanted.includes(name)
/**
 * The order of the steps: stages one after another; in a stage, lanes side by side; in a lane,
 * steps one after another.
 * - Everything after the assets is one stage, so no core waits at a stage's end while work is
 *   left (the checks alone used about three quarters of two cores, for about half a minute).
 * - The browser journeys wait on their pages about half the time, and the two database passes use
 *   every core they are given. So the passes run beside the journeys, at lower priorities
 *   (postgresNiceness, pgliteNiceness): the journeys go about as fast as they would alone, and the
 *   passes take the CPU they leave (ADR 4). The two passes share one queue of processes (see
 *   passes). The type-check, the lint and the unit tests, each one process, run one after another
 *   in a lane of their own. The templates the tests start from are built as the stage starts.
 */
const stages: string[][][] = [[['assets']], [['browser'], ['integration', 'postgres'], ['typecheck', 'lint', 'unit']]]
if (isWanted('integration') || isWanted('browser')) void withPgliteTemplate().catch(() => {})
if (isWanted('postgres') && process.env.TEST_DATABASE_URL) void withPostgresTemplate().catch(() => {})
const failed: string[] = []
const started = Date.now()
const startedCpu = cpuSeconds()
const startedMachineCpu = machineCpuSeconds()
const timings: string[] = []
const shardedSteps = new Set(['integration', 'postgres', 'browser'])
for (const stage of stages) {
  const lanes = stage.map((lane) => lane.filter(isWanted)).filter((lane) => lane.length > 0)
  await Promise.all(
    lanes.map(async (lane) => {
      const laneStarted = Date.now()
      const queued = lane.filter((name) => name in passes)
      if (queued.length > 0) {
        const lanePasses = queued.map((name) => passes[name]!()).filter((pass) => pass !== null)
        failed.push(...(await runQueue(lanePasses, slots)))
        if (queued.includes('postgres')) await dropPostgresTemplate()
      }
      for (const name of lane.filter((name) => name in steps)) if (!(await steps[name]!())) failed.push(name)
      for (const name of lane)
        if (shardedSteps.has(name) && stepWall.has(name))
          timings.push(
            `  ${name.padEnd(22)} ${stepWall.get(name)!.toFixed(1).padStart(6)}s wall ${stepCpu(name).toFixed(1).padStart(6)}s CPU`,
          )
      const checks = lane.filter((name) => !shardedSteps.has(name) && name !== 'assets')
      if (checks.length > 0)
        timings.push(
          `  ${checks.join(', ').padEnd(22)} ${((Date.now() - laneStarted) / 1000).toFixed(1).padStart(6)}s wall`,
        )
    }),
  )
}
await dropPostgresTemplate()
console.log(
  `\nTime per step (CPU counts the processes the step started and waited for, not Chromium's page processes nor the database server's; the checks' CPU is in the total):\n${timings.join('\n')}`,
)
const wallMinutes = (Date.now() - started) / 60000
const endedMachineCpu = machineCpuSeconds()
const machine =
  startedMachineCpu !== undefined && endedMachineCpu !== undefined
    ? `; the machine's ${os.availableParallelism()} cores busy for ${((endedMachineCpu - startedMachineCpu) / 60).toFixed(1)} of ${(wallMinutes * os.availableParallelism()).toFixed(1)} core-minutes, Chromium's page processes and the database server included`
    : ''
const minutes = `${wallMinutes.toFixed(1)} min (${((cpuSeconds() - startedCpu) / 60).toFixed(1)} min CPU in the test processes${machine})`
if (failed.length > 0) {
  console.error(`\n✖ npm test failed in ${minutes}: ${failed.join(', ')}`)
  process.exit(1)
}
console.log(`\n✔ npm test passed in ${minutes}`)
