/**
 * `node --test`, but running the files in the order given: the command line sorts them by name,
 * and scripts/test.ts starts the slowest first. Called by scripts/test.ts with one argument, JSON:
 *   { files, concurrency, timeoutMs, isolation?, reporters: [{ reporter, destination }] }
 * where a reporter is 'dot', 'spec' or a module path, and a destination 'stdout' or a file.
 * Exits 1 when any test fails.
 */
import asyncHooks from 'node:async_hooks'
import fs from 'node:fs'
import { pathToFileURL } from 'node:url'

interface Options {
  files: string[]
  concurrency: number
  timeoutMs: number
  isolation?: 'none' | 'process'
  reporters: { reporter: string; destination: string }[]
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options

// HAVEN_TEST_CPU_LOG=<file>: this process's CPU seconds, with every child it waited for (Chromium),
// appended at exit, so scripts/test.ts can say what each step cost while steps run side by side.
const cpuLog = process.env.HAVEN_TEST_CPU_LOG
if (cpuLog)
  process.on('exit', () => {
    try {
      const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? []
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0)
      if (Number.isFinite(ticks)) fs.appendFileSync(cpuLog, `${process.env.HAVEN_TEST_STEP ?? ''}\t${ticks / 100}\n`)
    } catch {
      // Not Linux: the step's CPU is not reported.
    }
  })

// node:test follows every promise with an async hook (init and destroy) to tell which test made
// it, and with the test files run in this process (isolation none) that hook runs for every promise
// the app makes: awaiting a promise inside a test costs about 20 times as much as outside one
// (2 million awaits: 4.5 s against 0.2 s). The runner's hook is made here not to follow promises
// (Node's trackPromises option): the tests and suites themselves, timers and sockets are still
// followed, so before(), after() and test() called in a suite or at the top of a file find their
// parent as before, and an error thrown after a test has ended still fails the run, reported as
// "asynchronous activity after the test ended" rather than against the test (ADR 4). This must
// happen before node:test is loaded: its harness takes createHook when it loads.
if (process.env.HAVEN_TEST_TRACK_PROMISES !== 'true') {
  const createHook = asyncHooks.createHook
  asyncHooks.createHook = (callbacks: asyncHooks.HookCallbacks) =>
    createHook(
      callbacks.init && callbacks.destroy && !callbacks.before ? { ...callbacks, trackPromises: false } : callbacks,
    )
}
const { run } = await import('node:test')
const reporters = await import('node:test/reporters')

const stream = run({
  files: options.files,
  concurrency: options.concurrency,
  timeout: options.timeoutMs,
  isolation: options.isolation ?? 'process',
})
stream.setMaxListeners(10 + options.reporters.length * 10)
// A test marked todo that fails is a known gap, reported but not a failed run (as `node --test`).
stream.on('test:fail', (event: { todo?: boolean | string }) => {
  if (!event.todo) process.exitCode = 1
})

for (const { reporter, destination } of options.reporters) {
  const transform =
    reporter === 'spec'
      ? new reporters.spec()
      : reporter === 'dot'
        ? reporters.dot
        : (await import(pathToFileURL(reporter).href)).default
  stream.compose(transform).pipe(destination === 'stdout' ? process.stdout : fs.createWriteStream(destination))
}
