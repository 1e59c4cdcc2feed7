/**
 * A node:test reporter that lists test files by the time their tests took, slowest first, each
 * with its top-level tests, slowest first: where the suite's time goes. scripts/test.ts writes it to
 * TEST_REPORT_DIR/<step>-files.txt when TEST_REPORT_DIR is set.
 */
import path from 'node:path'
import { projectRoot } from '../../src/root.ts'

interface TestEvent {
  type: string
  data: { file?: string; name: string; nesting: number; details?: { duration_ms?: number } }
}

export default async function* durations(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const files = new Map<string, { total: number; tests: { name: string; ms: number }[] }>()
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { file, name, nesting, details } = event.data
    if (!file || nesting !== 0) continue
    const ms = details?.duration_ms ?? 0
    const entry = files.get(file) ?? { total: 0, tests: [] }
    entry.total += ms
    entry.tests.push({ name, ms })
    files.set(file, entry)
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(6)
  for (const [file, entry] of [...files].sort((a, b) => b[1].total - a[1].total)) {
    yield `${seconds(entry.total)}s  ${path.relative(projectRoot, file)} (${entry.tests.length} top-level)\n`
    for (const test of entry.tests.sort((a, b) => b.ms - a.ms)) yield `${seconds(test.ms)}s      ${test.name}\n`
  }
}
