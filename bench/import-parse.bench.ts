/**
 * How long planning a staff import takes for a large school's MIS export.
 *
 * Generates a 5,000-row SIMS-style CSV (BOM, CRLF, quoted commas, accents, line managers in a
 * tree) from a fixed seed, then times `planStaffImport` twice over: a first import (everyone new)
 * and a second import of the same file (everyone unchanged). Prints the median of several runs.
 *
 *   node bench/import-parse.bench.ts [rows] [runs]
 */
import { noFlags, type Person } from '../src/domain/people/person.ts'
import { planStaffImport, resolveStaffImport } from '../src/domain/people/staff-csv/index.ts'

const rows = Number(process.argv[2] ?? 5_000)
const runs = Number(process.argv[3] ?? 7)

/** Mulberry32: a small seeded generator, so every run times the same file. */
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
const forenames = [
  'Siân',
  'Zoë',
  'Bartholomew',
  'Idris',
  'Rosalind',
  'Dafydd',
  'Chloé',
  'Noor',
  'Ptolemy',
  'Henrietta',
  'Joaquín',
  'Aoife',
  'Wilhelmina',
  'Tobiah',
  'Perpetua',
  'Lucan',
]
const surnames = [
  "O'Brien",
  'Threlkeld',
  'Fairweather-Quill',
  'Okonkwo-Hale',
  'Pennyfeather',
  'Ashworth',
  'Llewellyn-Marsh',
  'Brightwater',
  'Al-Haddad',
  'Varga-Ennis',
  'Quayle',
  'Ní Bhraonáin',
]
const posts = [
  'Class teacher',
  'Teaching assistant',
  '"Teacher, Year 2"',
  'Learning mentor',
  'Head of year',
  '"Pastoral lead, KS3"',
  'SENDCO',
]
const roles = [
  'class-teacher',
  'Teaching assistant',
  'Learning mentor',
  'year-head',
  'Pastoral lead|Deputy DSL',
  'senco',
  'class-teacher;line-manager',
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

function generate(count: number): Buffer {
  const lines = [
    'Title,Legal Surname,Legal Forename,Preferred Forename,Post,Email Address,Line Manager,Contract Type,FTE,Working Days,Employment Start,Leaving Date,Roles,Trained DSL,EYFS,ECT/NQT,Staff Code',
  ]
  for (let i = 0; i < count; i++) {
    const email = `staff.${i}@bench.example.org`
    // A tree: each person is managed by someone earlier, ten reports each.
    const manager = i === 0 ? '' : `staff.${Math.floor((i - 1) / 10)}@bench.example.org`
    const start = 1995 + Math.floor(random() * 30)
    const leaving = random() < 0.1 ? ukDate(start + 1 + Math.floor(random() * 5)) : ''
    lines.push(
      [
        pick(['Mr', 'Ms', 'Mrs', 'Dr', 'Mx']),
        pick(surnames),
        pick(forenames),
        random() < 0.3 ? pick(forenames) : '',
        pick(posts),
        email,
        manager,
        pick(contracts),
        pick(fte),
        pick(days),
        ukDate(start),
        leaving,
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

function time(label: string, existing: readonly Person[], buffer: Buffer): ReturnType<typeof planStaffImport> {
  let result = planStaffImport({ buffer, existing, schoolId: 'bench' }) // warm-up
  const timings: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    result = planStaffImport({ buffer, existing, schoolId: 'bench' })
    timings.push(performance.now() - started)
  }
  const ms = median(timings)
  console.log(
    `${label.padEnd(34)} median ${ms.toFixed(1).padStart(7)} ms  (min ${Math.min(...timings).toFixed(1)}, max ${Math.max(...timings).toFixed(1)}, ${runs} runs)  ${Math.round(rows / (ms / 1000)).toLocaleString('en-GB')} rows/s`,
  )
  return result
}

const buffer = generate(rows)
console.log(
  `staff CSV: ${rows.toLocaleString('en-GB')} rows, ${(buffer.length / 1024).toFixed(0)} KiB (${buffer.length.toLocaleString('en-GB')} bytes); Node ${process.version}`,
)
const first = time('first import (all new)', [], buffer)
if (!first.ok) throw new Error(`benchmark file did not import: ${JSON.stringify(first.errors.slice(0, 3))}`)
let next = 0
const { creates } = resolveStaffImport(first, () => `p${++next}`)
const existing: Person[] = creates.map((p) => ({ ...p, flags: { ...noFlags, ...p.flags } }))
const again = time('second import (all unchanged)', existing, buffer)
if (!again.ok || again.unchanged.length !== rows) throw new Error('second import was not all unchanged')
