/**
 * How long the compliance engine takes for a large trust: 10,000 people with 5 years of history
 * (about 300,000 sessions), judged against the Lode Heath pack (the richest rules: a term frequency
 * with a 3-month maximum gap, a stricter half-termly rule for flagged staff, supervisors' own
 * supervision, the five-functions coverage check and an escalation chain), plus cancellations
 * judged against the Cornerstone rebooking rule in a second run.
 *
 * Data comes from a fixed seed, so every run times the same input. Prints the data size and the
 * median and 95th percentile of several runs; exits non-zero if the median exceeds 1,000 ms.
 *
 *   node bench/compliance.bench.ts [people] [runs]
 */
import { englandDefaultCalendar, fromDayNumber, toDayNumber } from '../src/domain/calendar/index.ts'
import { assessCompliance, type CancellationFact, type SessionFact } from '../src/domain/compliance/index.ts'
import { noFlags, type Person } from '../src/domain/people/person.ts'
import type { PolicyDocument } from '../src/domain/policy/index.ts'
import { loadPack } from '../src/packs/index.ts'

const peopleCount = Number(process.argv[2] ?? 10_000)
const runs = Number(process.argv[3] ?? 9)
const limitMs = 1_000
const today = '2026-07-01'
const historyStart = '2021-07-01'

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

const random = seeded(20261123)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
const roleSets = [
  ['dsl'],
  ['deputy-dsl'],
  ['year-head'],
  ['pastoral-lead'],
  ['senco'],
  ['child-family-support-worker'],
  ['specialist-support-worker'],
  ['class-teacher'],
  ['teaching-assistant'],
  ['year-head', 'class-teacher'],
]
const functions = [
  'management-oversight',
  'professional-development',
  'multi-agency-working',
  'voice-of-the-child',
  'personal-support',
]

function generate(count: number): { people: Person[]; sessions: SessionFact[]; cancellations: CancellationFact[] } {
  const first = toDayNumber(historyStart)
  const last = toDayNumber(today)
  const people: Person[] = []
  const sessions: SessionFact[] = []
  const cancellations: CancellationFact[] = []
  for (let i = 0; i < count; i++) {
    const id = `p${i}`
    const startDay = first - 2000 + Math.floor(random() * 3600)
    people.push({
      id,
      schoolId: `school-${i % 40}`,
      name: `Person ${i}`,
      email: `${id}@bench.example.org`,
      jobTitle: 'Staff',
      roles: pick(roleSets),
      lineManagerId: i === 0 ? null : `p${Math.floor((i - 1) / 10)}`,
      employmentType: random() < 0.9 ? 'permanent' : pick(['agency', 'temporary', 'fixed-term'] as const),
      partTime: random() < 0.3,
      workingDays: [1, 2, 3, 4, 5],
      startDate: fromDayNumber(startDay),
      endDate: random() < 0.05 ? fromDayNumber(last - Math.floor(random() * 400)) : null,
      flags: {
        ...noFlags,
        earlyCareer: random() < 0.08,
        inProbation: random() < 0.05,
        additionalSupport: random() < 0.03,
        pastoralResponsibilities: random() < 0.3,
      },
      supervisorTrainedOn: random() < 0.15 ? fromDayNumber(first + Math.floor(random() * 1500)) : null,
    })
    // About 30 sessions over 5 years: every 40 to 80 days.
    let day = Math.max(first, startDay) + Math.floor(random() * 60)
    let n = 0
    while (day <= last) {
      const roll = random()
      const typeId = roll < 0.8 ? 'one-to-one' : roll < 0.9 ? 'group' : 'ad-hoc'
      const status = random() < 0.94 ? 'held' : pick(['cancelled', 'did-not-attend', 'planned'] as const)
      const sessionId = `s${i}-${n++}`
      sessions.push({
        id: sessionId,
        typeId,
        date: fromDayNumber(day),
        supervisorIds: [`p${Math.floor(random() * count)}`],
        superviseeIds: [id],
        status,
        tags: [pick(functions), pick(functions)],
      })
      if (status === 'cancelled') {
        const absence = random() < 0.4
        cancellations.push({
          id: `c${sessionId}`,
          sessionId,
          typeId: 'formal-planned',
          date: fromDayNumber(day),
          superviseeIds: [id],
          reasonId: absence ? 'staff-absence' : 'unavoidable-circumstances',
          returnDate: absence ? fromDayNumber(day + 3 + Math.floor(random() * 20)) : null,
          rebookedFor: random() < 0.85 ? fromDayNumber(day + Math.floor(random() * 12)) : null,
        })
      }
      day += 35 + Math.floor(random() * 31)
    }
  }
  return { people, sessions, cancellations }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)] as number
}

const calendar = englandDefaultCalendar('england-and-wales', 2020, 2026)
const lodeHeath: PolicyDocument = { ...loadPack('lode-heath'), effectiveFrom: historyStart }
const cornerstone: PolicyDocument = { ...loadPack('cornerstone'), effectiveFrom: historyStart }
const data = generate(peopleCount)
const held = data.sessions.filter((session) => session.status === 'held').length
console.log(
  `compliance: ${data.people.length.toLocaleString('en-GB')} people, ${data.sessions.length.toLocaleString('en-GB')} sessions (${held.toLocaleString('en-GB')} held), ${data.cancellations.length.toLocaleString('en-GB')} cancellations, history ${historyStart} to ${today}; Node ${process.version}`,
)

let failed = false
for (const [label, policy] of [
  ['Lode Heath pack', lodeHeath],
  ['Cornerstone pack (with rebooking)', cornerstone],
] as const) {
  const input = { policy, calendar, ...data, today }
  const coldStart = performance.now()
  const result = assessCompliance(input)
  const cold = performance.now() - coldStart
  const timings: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    assessCompliance(input)
    timings.push(performance.now() - started)
  }
  const median = percentile(timings, 50)
  const counts = new Map<string, number>()
  for (const person of result) counts.set(person.status, (counts.get(person.status) ?? 0) + 1)
  const breaches = result.reduce((sum, person) => sum + person.breaches.length, 0)
  console.log(
    `${label.padEnd(34)} median ${median.toFixed(0).padStart(5)} ms, p95 ${percentile(timings, 95).toFixed(0).padStart(5)} ms, first run ${cold.toFixed(0)} ms (${runs} runs)`,
  )
  console.log(
    `${''.padEnd(34)} ${[...counts].map(([status, n]) => `${status} ${n}`).join(', ')}; ${breaches.toLocaleString('en-GB')} breaches`,
  )
  if (median > limitMs) {
    console.error(`${label}: median ${median.toFixed(0)} ms is over the ${limitMs} ms budget`)
    failed = true
  }
}
if (failed) process.exit(1)
