/**
 * How long the annual planner takes for a large school or trust: 5,000 people planned for a year
 * against the Cornerstone pack (a formal one-to-one every half term: six sessions each, the most
 * sessions to place), and against the Lode Heath pack (a term frequency with a 3-month maximum
 * gap, the grid of who may supervise whom, supervisors' own supervision). About one supervisor to
 * twelve supervisees, 30% part time, some sessions already planned, and the school's limits of
 * 3 sessions a day and 10 a week for each supervisor.
 *
 * Data comes from a fixed seed, so every run times the same input. Prints the data size, the
 * sessions proposed and the median and 95th percentile of several runs; exits non-zero if the
 * median exceeds 2,000 ms.
 *
 *   node bench/planner.bench.ts [people] [runs]
 */
import { englandDefaultCalendar, fromDayNumber, toDayNumber } from '../src/domain/calendar/index.ts'
import { noFlags, type Person, type Weekday } from '../src/domain/people/person.ts'
import { defaultPlanLimits, type ExistingSession, type PlanInput, planYear } from '../src/domain/planning/index.ts'
import type { PolicyDocument } from '../src/domain/policy/index.ts'
import { loadPack } from '../src/packs/index.ts'

const peopleCount = Number(process.argv[2] ?? 5_000)
const runs = Number(process.argv[3] ?? 7)
const limitMs = 2_000
const yearId = '2026-27'

/** Mulberry32: a small seeded generator. */
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

const random = seeded(20260901)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
const superviseeRoles = [
  ['year-head'],
  ['pastoral-lead'],
  ['senco'],
  ['child-family-support-worker'],
  ['lac-coordinator'],
]
const partTimePatterns: Weekday[][] = [
  [1, 2, 3],
  [3, 4, 5],
  [2, 3, 4],
  [1, 2, 4, 5],
]

function generate(count: number): { people: Person[]; existing: ExistingSession[]; supervisors: Map<string, string> } {
  const people: Person[] = []
  const supervisors = new Map<string, string>()
  const existing: ExistingSession[] = []
  const supervisorCount = Math.max(1, Math.round(count / 13))
  for (let i = 0; i < count; i++) {
    const id = `p${String(i).padStart(5, '0')}`
    const isSupervisor = i < supervisorCount
    const partTime = !isSupervisor && random() < 0.3
    people.push({
      id,
      schoolId: 'school-1',
      name: `Person ${String(i).padStart(5, '0')}`,
      email: `${id}@bench.example.org`,
      jobTitle: 'Staff',
      roles: isSupervisor ? ['dsl'] : pick(superviseeRoles),
      // Supervisors report to one another in a tree; the first reports to no one.
      lineManagerId: isSupervisor
        ? i === 0
          ? null
          : `p${String(Math.floor((i - 1) / 12)).padStart(5, '0')}`
        : `p${String(Math.floor(random() * supervisorCount)).padStart(5, '0')}`,
      employmentType: 'permanent',
      partTime,
      workingDays: partTime ? pick(partTimePatterns) : [1, 2, 3, 4, 5],
      startDate: '2020-09-01',
      endDate: null,
      flags: { ...noFlags, pastoralResponsibilities: true },
      supervisorTrainedOn: '2020-01-01',
    })
    // A supervisor recorded for a quarter of the staff (the rest are supervised by their line manager).
    if (!isSupervisor && random() < 0.25)
      supervisors.set(id, `p${String(Math.floor(random() * supervisorCount)).padStart(5, '0')}`)
  }
  // Last year's final sessions (the clock) and a few already planned this year.
  const first = toDayNumber('2026-06-08')
  for (const person of people.slice(supervisorCount)) {
    const supervisorId = supervisors.get(person.id) ?? person.lineManagerId ?? 'p00000'
    existing.push({
      id: `held-${person.id}`,
      typeId: 'formal-planned',
      date: fromDayNumber(first + Math.floor(random() * 30)),
      startTime: '09:00',
      durationMinutes: 60,
      status: 'held',
      supervisorIds: [supervisorId],
      superviseeIds: [person.id],
    })
    if (random() < 0.1) {
      existing.push({
        id: `planned-${person.id}`,
        typeId: 'formal-planned',
        date: fromDayNumber(toDayNumber('2026-09-14') + Math.floor(random() * 25)),
        startTime: '14:00',
        durationMinutes: 60,
        status: 'planned',
        supervisorIds: [supervisorId],
        superviseeIds: [person.id],
      })
    }
  }
  return { people, existing, supervisors }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)] as number
}

const calendar = englandDefaultCalendar('england-and-wales', 2024, 2028)
const data = generate(peopleCount)
console.log(
  `planner: ${data.people.length.toLocaleString('en-GB')} people, ${data.existing.length.toLocaleString('en-GB')} existing sessions, year ${yearId}, limits ${defaultPlanLimits.maxPerDay} a day and ${defaultPlanLimits.maxPerWeek} a week; Node ${process.version}`,
)

let failed = false
for (const [label, packId] of [
  ['Cornerstone pack (half-termly)', 'cornerstone'],
  ['Lode Heath pack (termly, 3-month gap)', 'lode-heath'],
] as const) {
  const policy: PolicyDocument = { ...loadPack(packId), effectiveFrom: '2024-09-01' }
  const input: PlanInput = {
    policy,
    calendar,
    people: data.people,
    supervisorsOf: (person) =>
      [data.supervisors.get(person.id), person.lineManagerId].filter((id): id is string => !!id),
    existingSessions: data.existing.map((s) => ({
      ...s,
      typeId: packId === 'cornerstone' ? 'formal-planned' : 'one-to-one',
    })),
    yearId,
    limits: defaultPlanLimits,
    schoolId: 'school-1',
  }
  const coldStart = performance.now()
  const result = planYear(input)
  const cold = performance.now() - coldStart
  const timings: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    planYear(input)
    timings.push(performance.now() - started)
  }
  const median = percentile(timings, 50)
  const planned = new Set(result.proposals.map((p) => p.superviseeId)).size
  console.log(
    `${label.padEnd(38)} median ${median.toFixed(0).padStart(5)} ms, p95 ${percentile(timings, 95).toFixed(0).padStart(5)} ms, first run ${cold.toFixed(0)} ms (${runs} runs)`,
  )
  console.log(
    `${''.padEnd(38)} ${result.proposals.length.toLocaleString('en-GB')} sessions proposed for ${planned.toLocaleString('en-GB')} people; ${result.unplaceable.length.toLocaleString('en-GB')} not placed`,
  )
  if (median > limitMs) {
    console.error(`${label}: median ${median.toFixed(0)} ms is over the ${limitMs} ms budget`)
    failed = true
  }
}
if (failed) process.exit(1)
