/**
 * `npm run bench`: runs every benchmark in bench/ (or those named: `npm run bench -- compliance`),
 * one after another, each in its own process so timings don't interfere (`-- --engine=postgres`
 * passes the option to each). Never part of npm test.
 * At the end, every target measured in the run is printed side by side (bench/results.ts), with
 * the machine's load average when each was measured: on a shared machine the timings are
 * pessimistic.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../src/root.ts'
import { type BenchResult, resultPrefix } from './results.ts'

const dir = path.join(projectRoot, 'bench')
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'))
/** Options such as --engine=postgres go to every benchmark. */
const options = process.argv.slice(2).filter((a) => a.startsWith('--'))
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()

type Gathered = BenchResult & { bench: string; met: boolean; load: number }
const gathered: Gathered[] = []

/** Runs one benchmark, passing its output through and gathering its results. */
function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(dir, file), ...options], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: projectRoot,
    })
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith(resultPrefix)) {
          gathered.push({ bench: file, ...(JSON.parse(line.slice(resultPrefix.length)) as Omit<Gathered, 'bench'>) })
        } else process.stdout.write(`${line}\n`)
      }
    })
    child.on('exit', (code) => {
      if (pending) process.stdout.write(pending)
      resolve(code ?? 1)
    })
  })
}

const started = os.loadavg()
let failed = 0
for (const file of benches) {
  console.log(`\n▶ ${file}`)
  if ((await run(file)) !== 0) {
    failed++
    console.log(`✖ ${file} missed its target or failed`)
  }
}

if (gathered.length > 0) {
  const figure = (n: number, unit: string) =>
    unit === 'ms' || unit === 'MB' || unit === 'req/s' ? n.toFixed(0) : n.toFixed(2)
  console.log(
    `\nTargets side by side (load average ${started.map((l) => l.toFixed(1)).join(', ')} at the start, ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} at the end; ${os.cpus().length} cores; Node ${process.version}):`,
  )
  for (const r of gathered) {
    const target =
      r.target === undefined
        ? `no target${r.noTargetBecause ? `: ${r.noTargetBecause}` : ''}`
        : `${r.atLeast ? 'at least' : 'under'} ${r.target} ${r.unit}`
    // A figure without a target is printed for information: neither met nor missed.
    console.log(
      `${r.target === undefined ? '·' : r.met ? '✔' : '✖'} ${r.measure} [${r.engine}]: median ${figure(r.median, r.unit)} ${r.unit}, p95 ${figure(r.p95, r.unit)} ${r.unit} (${target}; load ${r.load.toFixed(1)}) — ${r.data}`,
    )
  }
}
process.exit(failed > 0 ? 1 : 0)
