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
