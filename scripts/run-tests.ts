/**
 * `node --test`, but running the files in the order given: the command line sorts them by name,
 * and scripts/test.ts starts the slowest first. Called by scripts/test.ts with one argument, JSON:
 *   { files, concurrency, timeoutMs, isolation?, reporters: [{ reporter, destination }] }
 * where a reporter is 'dot', 'spec' or a module path, and a destination 'stdout' or a file.
 * Exits 1 when any test fails.
 */
import fs from 'node:fs'
import { run } from 'node:test'
import * as reporters from 'node:test/reporters'
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
