/**
 * `npm run bench`: runs every benchmark in bench/ (or those named: `npm run bench -- compliance`),
 * one after another, each in its own process so timings don't interfere. Never part of npm test.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../src/root.ts'

const dir = path.join(projectRoot, 'bench')
const wanted = process.argv.slice(2)
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()
let failed = 0
for (const file of benches) {
  console.log(`\n▶ ${file}`)
  const result = spawnSync(process.execPath, [path.join(dir, file)], { stdio: 'inherit', cwd: projectRoot })
  if (result.status !== 0) {
    failed++
    console.log(`✖ ${file} missed its target or failed`)
  }
}
process.exit(failed > 0 ? 1 : 0)
