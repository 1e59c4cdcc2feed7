/**
 * `node scripts/timings.ts <report dir>`: writes test/timings.json, each test file's seconds per
 * step (integration, postgres, browser) as measured in a run with TEST_REPORT_DIR=<report dir>
 * (its `<step>-<n>-files.txt` lists; for the PGlite pass, each file's CPU seconds). scripts/test.ts splits the files between its processes by these costs, so each process
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
const file = path.join(projectRoot, 'test/timings.json')
let timings: Record<string, Record<string, number>> = {}
try {
  timings = JSON.parse(fs.readFileSync(file, 'utf8'))
} catch {
  timings = {}
}
const found: Record<string, Record<string, number>> = {}
for (const name of fs.readdirSync(dir)) {
  const step = /^(\w+)-\d+-files\.txt$/.exec(name)?.[1]
  if (!step) continue
  const seconds = found[step] ?? {}
  found[step] = seconds
  for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
    const match = /^\s*([\d.]+)s\s+(test\/\S+\.test\.ts) \(.*?(?:, ([\d.]+)s CPU)?\)$/.exec(line)
    if (!match?.[1] || !match[2]) continue
    // A PGlite process works alone (its database is in it): its CPU is what a file holds it for,
    // and unlike its wall time does not grow with what else the machine runs. The others wait on
    // Chromium or the server, so their wall time is the cost.
    seconds[match[2]] = step === 'integration' && match[3] ? Number(match[3]) : Number(match[1])
  }
}
for (const [step, seconds] of Object.entries(found))
  timings[step] = Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1]))
fs.writeFileSync(file, `${JSON.stringify(timings, null, 2)}\n`)
console.log(`test/timings.json: ${Object.keys(found).join(', ')} updated`)
