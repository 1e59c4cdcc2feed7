/**
 * A node:test reporter that lists test files by the time their tests took, slowest first, each
 * with its top-level tests, slowest first: where the suite's time goes. scripts/test.ts writes it to
 * TEST_REPORT_DIR/<step>-files.txt when TEST_REPORT_DIR is set.
 *
 * Each file also gets the CPU seconds of the test process spent on it (its events to the next
 * one's, as the reporter reads them: the files of a process run one after another, isolation
 * none), which unlike the wall time does not grow when other work shares the cores. A browser
 * file's CPU leaves out Chromium's.
 */
import path from 'node:path'
import { projectRoot } from '../../src/root.ts'

interface TestEvent {
  type: string
  data: { file?: string; name: string; nesting: number; details?: { duration_ms?: number } }
}

export default async function* durations(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const files = new Map<string, { total: number; cpu: number; tests: { name: string; ms: number }[] }>()
  const cpuNow = () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  let cpuBefore = cpuNow()
  for await (const event of source) {
    const file = event.data?.file
    if (file) {
      const entry = files.get(file) ?? { total: 0, cpu: 0, tests: [] }
      files.set(file, entry)
      const cpu = cpuNow()
      entry.cpu += cpu - cpuBefore
      cpuBefore = cpu
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { name, nesting, details } = event.data
    if (!file || nesting !== 0) continue
    const ms = details?.duration_ms ?? 0
    const entry = files.get(file)!
    entry.total += ms
    entry.tests.push({ name, ms })
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(6)
  for (const [file, entry] of [...files].sort((a, b) => b[1].total - a[1].total)) {
    yield `${seconds(entry.total)}s  ${path.relative(projectRoot, file)} (${entry.tests.length} top-level, ${(entry.cpu / 1000).toFixed(1)}s CPU)\n`
    for (const test of entry.tests.sort((a, b) => b.ms - a.ms)) yield `${seconds(test.ms)}s      ${test.name}\n`
  }
}
