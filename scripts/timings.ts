/**
 * `node scripts/timings.ts <report dir>`: writes test/timings.json, each integration test file's
 * seconds as measured in a run with TEST_REPORT_DIR=<report dir> (the `integration-<n>-files.txt` and `browser-<n>-files.txt`
 * lists). scripts/test.ts splits the files between its processes by these costs, so each process
 * finishes at about the same time; a file not listed is costed by its size.
 */
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../src/root.ts'

const dir = process.argv[2]
if (!dir) {
  console.error('Usage: node scripts/timings.ts <report dir>')
  process.exit(2)
}
const seconds: Record<string, number> = {}
for (const name of fs.readdirSync(dir).filter((f) => /^(?:integration|browser)-\d+-files\.txt$/.test(f))) {
  for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
    const match = /^\s*([\d.]+)s\s+(test\/\S+\.test\.ts) \(/.exec(line)
    if (match?.[1] && match[2]) seconds[match[2]] = Number(match[1])
  }
}
const sorted = Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1]))
fs.writeFileSync(path.join(projectRoot, 'test/timings.json'), `${JSON.stringify(sorted, null, 2)}\n`)
console.log(`test/timings.json: ${Object.keys(sorted).length} files`)
