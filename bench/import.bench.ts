/**
 * How long a large school's staff import takes end to end on the embedded database: planning the
 * file against the school's people and writing it in one transaction (batched inserts), as
 * `haven import-staff` and the import page do. Target: 5,000 rows in under 10 seconds.
 *
 * Each run starts from a freshly migrated PGlite database with one school and its administrator.
 * Prints the median of the runs, then times importing the same file again (everything unchanged)
 * and a file with everyone's details changed (batched updates).
 *
 *   node bench/import.bench.ts [rows] [runs]
 */

import { openPglite } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { londonDateOf } from '../src/domain/calendar/london.ts'
import { setUpOrganisation } from '../src/services/auth/accounts.ts'
import { applyStaffImport } from '../src/services/staff/import.ts'

const rows = Number(process.argv[2] ?? 5_000)
const runs = Number(process.argv[3] ?? 3)
const targetMs = 10_000

/** Mulberry32: a small seeded generator, so every run imports the same file. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const random = seeded(20261123)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!

// Invented names only.
const forenames = ['Siân', 'Zoë', 'Bartholomew', 'Idris', 'Rosalind', 'Dafydd', 'Chloé', 'Noor', 'Ptolemy', 'Aoife']
const surnames = ["O'Brien", 'Threlkeld', 'Fairweather-Quill', 'Okonkwo-Hale', 'Pennyfeather', 'Ní Bhraonáin']
const posts = ['Class teacher', 'Teaching assistant', '"Teacher, Year 2"', 'Learning mentor', '"Pastoral lead, KS3"']
const roles = [
  'class-teacher',
  'Teaching assistant',
  'Learning mentor',
  'year-head',
  'Pastoral lead|Deputy DSL',
  'senco',
]
const contracts = ['Permanent', 'Fixed Term', 'Supply', 'Casual', 'Permanent']
const fte = ['1', '1.0', '0.6', '0.8', '0.5', '1']
const days = ['Mon-Fri', 'Mon;Tue;Wed', 'Wed-Fri', 'Mon-Fri', 'Mon;Thu']
const yesNo = ['Yes', 'No', 'No', 'No', 'N', 'Y', '']

function ukDate(year: number): string {
  const month = 1 + Math.floor(random() * 12)
  const day = 1 + Math.floor(random() * 28)
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`
}

/** A SIMS-style export: BOM, CRLF, quoted commas, accents, line managers in a tree (ten reports each). */
function generate(count: number): Buffer {
  const lines = [
    'Title,Legal Surname,Legal Forename,Preferred Forename,Post,Email Address,Line Manager,Contract Type,FTE,Working Days,Employment Start,Leaving Date,Roles,Trained DSL,EYFS,ECT/NQT,Staff Code',
  ]
  for (let i = 0; i < count; i++) {
    const start = 1995 + Math.floor(random() * 30)
    lines.push(
      [
        pick(['Mr', 'Ms', 'Mrs', 'Dr', 'Mx']),
        pick(surnames),
        pick(forenames),
        random() < 0.3 ? pick(forenames) : '',
        pick(posts),
        `staff.${i}@bench.example.org`,
        i === 0 ? '' : `staff.${Math.floor((i - 1) / 10)}@bench.example.org`,
        pick(contracts),
        pick(fte),
        pick(days),
        ukDate(start),
        random() < 0.1 ? ukDate(start + 1 + Math.floor(random() * 5)) : '',
        pick(roles),
        pick(yesNo),
        pick(yesNo),
        pick(yesNo),
        `S${String(i).padStart(5, '0')}`,
      ].join(','),
    )
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')])
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const buffer = generate(rows)
// The same people with their details shuffled: almost everyone is updated.
const changed = generate(rows)
const today = londonDateOf(new Date())
console.log(
  `staff CSV: ${rows.toLocaleString('en-GB')} rows, ${(buffer.length / 1024).toFixed(0)} KiB (${buffer.length.toLocaleString('en-GB')} bytes); PGlite; Node ${process.version}`,
)

const template = await (async () => {
  const handle = await openPglite()
  await migrateToLatest(handle.db)
  const dump = await handle.pglite.dumpDataDir('none')
  await handle.close()
  return dump
})()

const firstTimes: number[] = []
const againTimes: number[] = []
const updateTimes: number[] = []
for (let run = 0; run < runs; run++) {
  const handle = await openPglite({ loadDataDir: template })
  try {
    const org = await setUpOrganisation(handle.db, {
      organisationKind: 'single-school',
      organisationName: '',
      schoolName: 'Bench Academy',
      schoolSlug: 'bench',
      region: 'england-and-wales',
      adminName: 'Bench Admin',
      adminEmail: 'admin@bench.example.org',
      password: 'correct staple horse battery',
      alsoDsl: true,
    })
    const input = {
      organisationId: org.organisationId,
      schoolId: org.schoolId,
      actor: null,
      canSetAdditionalSupport: true,
      buffer,
      expectedDigest: null,
      source: 'cli' as const,
      today,
    }
    let started = performance.now()
    const first = await applyStaffImport(handle.db, input)
    firstTimes.push(performance.now() - started)
    if (first.outcome !== 'imported' || first.counts.created !== rows)
      throw new Error(`benchmark import failed: ${JSON.stringify(first).slice(0, 500)}`)
    started = performance.now()
    const again = await applyStaffImport(handle.db, input)
    againTimes.push(performance.now() - started)
    if (again.outcome !== 'imported' || again.counts.unchanged !== rows)
      throw new Error('second import was not all unchanged')
    started = performance.now()
    const updated = await applyStaffImport(handle.db, { ...input, buffer: changed })
    updateTimes.push(performance.now() - started)
    if (updated.outcome !== 'imported' || updated.counts.updated < rows * 0.9)
      throw new Error(`changed file did not update: ${JSON.stringify(updated).slice(0, 300)}`)
  } finally {
    await handle.close()
  }
}

const report = (label: string, times: number[]) =>
  console.log(
    `${label.padEnd(36)} median ${(median(times) / 1000).toFixed(2).padStart(6)} s  (min ${(Math.min(...times) / 1000).toFixed(2)}, max ${(Math.max(...times) / 1000).toFixed(2)}, ${times.length} runs)  ${Math.round(rows / (median(times) / 1000)).toLocaleString('en-GB')} rows/s`,
  )
report('first import (all new, plan + write)', firstTimes)
report('same file again (all unchanged)', againTimes)
report('changed details (almost all updated)', updateTimes)
const ok = median(firstTimes) < targetMs
console.log(`target: under ${targetMs / 1000} s for the first import: ${ok ? 'met' : 'NOT met'}`)
if (!ok) process.exitCode = 1
