/**
 * The trust rollup (issue 16, item 2; ADR 0033): every academy of the trust side by side for a
 * term and the term before it. Each academy's figures are worked out by the pure
 * `academyFigures` from the compliance engine's answer on the term's last day reported, and kept
 * (trust_rollup_figures) for as long as the academy's overview change version (ADR 0009) and that
 * day hold: the page is one query when nothing has changed, and after a change only the academies
 * that changed are counted again. A view waits for such a recount at most ROLLUP_WAIT_MS; after
 * that it shows the academy's kept figures, saying when they were counted and that they are being
 * updated, and the recount finishes in the background and is kept for the next view (ADR 0044).
 * The recount reads one statement at a time with the process let in between, so a waiting view
 * answers when its wait ends even on PGlite (one connection on this thread).
 *
 * Cross-school supervision (LH-05) is counted once, where the supervisee belongs: an academy's
 * facts take in the sessions recorded at another academy of the trust in which its own people were
 * supervised (`sessionsWhereTheyBelong`). A session's participants raise the change version of
 * every school they belong to (migration 0011), so such a session refreshes the right academy.
 */
import type { Db } from '../../db/database.ts'
import { contractsSignedBetween } from '../../db/repositories/governors.ts'
import {
  isTrust,
  keepAcademyFigures,
  type RollupAcademyRow,
  rollupAcademies,
  rollupThreshold,
  saveRollupThreshold,
  sessionsElsewhere,
  trustIds,
} from '../../db/repositories/trust-rollup.ts'
import type { IsoDate } from '../../domain/calendar/index.ts'
import { assessCompliance, type SessionFact } from '../../domain/compliance/index.ts'
import {
  asAtOf,
  chosenPeriod,
  previousPeriods,
  type ReportPeriod,
  reportPeriods,
} from '../../domain/governors/index.ts'
import {
  type AcademyFigures,
  type AcademyInput,
  academyFigures,
  buildTrustRollup,
  defaultThreshold,
  type RollupSort,
  sessionsWhereTheyBelong,
  type TrustRollup,
} from '../../domain/trust/rollup.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { cancellationFacts, personOverrides, schoolPeople, sessionFacts, type Turn } from '../compliance/facts.ts'
import { policyBook } from '../policy/on-date.ts'

export interface LoadedRollup {
  rollup: TrustRollup
  period: ReportPeriod
  previous: ReportPeriod | null
  /** The terms that can be chosen, newest first. */
  periods: ReportPeriod[]
  /**
   * When some academies' figures shown were counted, if they are being counted again after a
   * change (the oldest such time); null when every figure shown is current.
   */
  figuresAsOf: Date | null
  /** True when the trust's central team has not set a threshold (the default is used). */
  defaultThreshold: boolean
}

interface Counted {
  periodId: string
  asAt: IsoDate
  figures: AcademyFigures | null
}

/** Terms only: the rollup compares a term with the one before. */
function terms(periods: readonly ReportPeriod[]): ReportPeriod[] {
  return periods.filter((p) => p.kind === 'term')
}

/** The academy's sessions, and its people's sessions recorded elsewhere in the trust (LH-05). */
async function sessionsOfAcademy(
  db: Db,
  school: RollupAcademyRow,
  homePeople: ReadonlySet<string>,
  turn: Turn,
): Promise<SessionFact[]> {
  const [own, elsewhere] = await Promise.all([
    sessionFacts(db, school.id, turn),
    turn(() => sessionsElsewhere(db, school.organisationId, school.id)),
  ])
  const bySession = new Map<string, { supervisors: string[]; supervisees: string[] }>()
  for (const p of elsewhere.participants) {
    const entry = bySession.get(p.sessionId) ?? { supervisors: [], supervisees: [] }
    bySession.set(p.sessionId, entry)
    if (p.attended === false) continue
    ;(p.role === 'supervisor' ? entry.supervisors : entry.supervisees).push(p.personId)
  }
  const facts: SessionFact[] = elsewhere.sessions.map((s) => ({
    id: s.id,
    typeId: s.typeId,
    date: s.date,
    status: s.status,
    supervisorIds: bySession.get(s.id)?.supervisors ?? [],
    superviseeIds: bySession.get(s.id)?.supervisees ?? [],
  }))
  return sessionsWhereTheyBelong(own, facts, homePeople)
}

/**
 * Reads run one at a time, each after a turn of the event loop. PGlite is one connection, on this
 * thread, that runs statements in order of arrival: a recount's reads issued together, or one
 * straight after another, would keep a view's timer and its queries waiting until the whole
 * recount had finished (issue 16). Between them, whatever else the process has to do goes first;
 * on PostgreSQL a recount holds one pooled connection at a time rather than five.
 */
function oneAtATime(): Turn {
  let last: Promise<unknown> = Promise.resolve()
  return (read) => {
    const next = last.then(letOthersIn, letOthersIn).then(read)
    last = next
    return next
  }
}

const letOthersIn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Works out an academy's figures for the term asked for and the term before it, from one read of its facts. */
async function countAcademy(
  db: Db,
  school: RollupAcademyRow,
  today: IsoDate,
  periodId: string,
  turn: Turn,
): Promise<{ current: Counted | null; previous: Counted | null }> {
  const [book, calendar, people, cancellations, overrides] = await Promise.all([
    turn(() => policyBook(db, school.id)),
    turn(() => schoolCalendar(db, school.id, today)),
    turn(() => schoolPeople(db, school.id)),
    cancellationFacts(db, school.id, turn),
    turn(() => personOverrides(db, school.id)),
  ])
  const period = chosenPeriod(calendar, today, periodId)
  if (!period) return { current: null, previous: null }
  const before = previousPeriods(calendar, period, 1)[0] ?? null
  if (book.versions.length === 0) {
    return {
      current: { periodId: period.id, asAt: asAtOf(period, today), figures: null },
      previous: before ? { periodId: before.id, asAt: asAtOf(before, today), figures: null } : null,
    }
  }
  const sessions = await sessionsOfAcademy(db, school, new Set(people.map((p) => p.id)), turn)
  const contractsSigned = await turn(() =>
    contractsSignedBetween(db, school.id, (before ?? period).start, asAtOf(period, today)),
  )
  const count = async (p: ReportPeriod): Promise<Counted> => {
    const asAt = asAtOf(p, today)
    const compliance = assessCompliance({
      policy: book.versions,
      calendar,
      people,
      sessions,
      cancellations,
      overrides,
      today: asAt,
    })
    // Before the academy's first policy there is nothing to count.
    const figures =
      book.on(asAt) === null
        ? null
        : academyFigures({ calendar, book, period: p, asAt, compliance, sessions, cancellations, contractsSigned })
    return { periodId: p.id, asAt, figures }
  }
  // Each term's count is a turn of its own too: the engine's work is on this thread.
  return { current: await turn(() => count(period)), previous: before ? await turn(() => count(before)) : null }
}

type Recounted = { current: Counted | null; previous: Counted | null }

const inFlight = new Map<string, Promise<Recounted>>()

/** At most this many academies are counted at once, however many views ask (the engine is CPU-bound). */
const recountsAtOnce = 2
let recounting = 0
const queued: (() => void)[] = []

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  while (recounting >= recountsAtOnce) await new Promise<void>((resolve) => queued.push(resolve))
  recounting++
  try {
    return await work()
  } finally {
    recounting--
    queued.shift()?.()
  }
}

/**
 * The academy's figures, counted again and kept (once per academy, day and version, however many
 * ask at once; two academies at a time). The promise may outlive the request that started it: a
 * view that answered from kept figures leaves the count running (the background recount).
 */
function recount(db: Db, school: RollupAcademyRow, today: IsoDate, periodId: string, now: Date): Promise<Recounted> {
  const key = `${school.id}/${periodId}/${today}/${school.version}`
  let pending = inFlight.get(key)
  if (!pending) {
    pending = inTurn(async () => {
      const turn = oneAtATime()
      const counted = await countAcademy(db, school, today, periodId, turn)
      for (const c of [counted.current, counted.previous]) {
        if (c === null) continue
        await turn(() =>
          keepAcademyFigures(db, school.organisationId, school.id, {
            periodId: c.periodId,
            asAt: c.asAt,
            version: school.version,
            figures: JSON.stringify(c.figures),
            computedAt: now,
          }),
        )
      }
      return counted
    }).finally(() => inFlight.delete(key))
    inFlight.set(key, pending)
  }
  return pending
}

/** Settles when every recount started so far has finished (tests, benchmarks, shutting down). */
export async function rollupRecountsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()])
}

/** The kept figures for a period, when made for that day at the academy's current version. */
function fresh(school: RollupAcademyRow, period: ReportPeriod | null, today: IsoDate): Counted | null | undefined {
  if (period === null) return null
  const kept = school.kept.find((k) => k.periodId === period.id)
  if (!kept || kept.version !== school.version || kept.asAt !== asAtOf(period, today)) return undefined
  return { periodId: period.id, asAt: kept.asAt, figures: JSON.parse(kept.figures) as AcademyFigures | null }
}

/** The kept figures for a period whatever day or version they were made for: shown while they are counted again. */
function keptAnyway(
  school: RollupAcademyRow,
  period: ReportPeriod | null,
): { figures: AcademyFigures | null; computedAt: Date | null } | undefined {
  if (period === null) return { figures: null, computedAt: null }
  const kept = school.kept.find((k) => k.periodId === period.id)
  return kept && { figures: JSON.parse(kept.figures) as AcademyFigures | null, computedAt: kept.computedAt }
}

/**
 * When a view stops waiting for a recount: after `ms` on a timer. A test may end the wait at the
 * next turn of the event loop instead, to see that a recount lets a waiting view go first.
 */
export const rollupWait = {
  timeUp: (ms: number) => new Promise<'time up'>((resolve) => setTimeout(resolve, ms, 'time up').unref()),
}

/**
 * The academies' inputs. Those whose kept figures are current are used as kept. The others are
 * counted again: an academy with no figures kept for the term is waited for; one with figures
 * kept from before its last change (or an earlier day) is waited for at most `waitMs`, and after
 * that its kept figures are shown, marked as being updated, while the count goes on in the
 * background and is kept for the next view (issue 16: the page answers from kept figures).
 */
async function academyInputs(
  db: Db,
  schools: readonly RollupAcademyRow[],
  today: IsoDate,
  period: ReportPeriod,
  before: ReportPeriod | null,
  options: RollupOptions,
): Promise<{ academies: AcademyInput[]; figuresAsOf: Date | null }> {
  const inputs: AcademyInput[] = new Array(schools.length)
  const waits: Promise<void>[] = []
  const waitMs = options.waitMs ?? defaultWaitMs
  // No wait at all means no race either: an embedded database can answer a whole count before a timer fires.
  const deadline = waitMs === 0 ? Promise.resolve('time up' as const) : rollupWait.timeUp(waitMs)
  let figuresAsOf: Date | null = null
  schools.forEach((school, i) => {
    const current = fresh(school, period, today)
    const previous = fresh(school, before, today)
    if (current !== undefined && previous !== undefined) {
      inputs[i] = { school, current: current?.figures ?? null, previous: previous?.figures ?? null }
      return
    }
    const counting = recount(db, school, today, period.id, options.now)
    const use = (counted: Recounted) => {
      inputs[i] = { school, current: counted.current?.figures ?? null, previous: counted.previous?.figures ?? null }
    }
    const keptCurrent = keptAnyway(school, period)
    const keptPrevious = keptAnyway(school, before)
    if (keptCurrent === undefined || keptPrevious === undefined) {
      waits.push(counting.then(use))
      return
    }
    // A count that fails in the background leaves the kept figures stale: the next view tries again.
    counting.catch(() => undefined)
    waits.push(
      (waitMs === 0 ? deadline : Promise.race([counting, deadline])).then((counted) => {
        if (counted !== 'time up') return use(counted)
        inputs[i] = { school, current: keptCurrent.figures, previous: keptPrevious.figures }
        for (const at of [keptCurrent.computedAt, keptPrevious.computedAt])
          if (at !== null && (figuresAsOf === null || at < figuresAsOf)) figuresAsOf = at
      }),
    )
  })
  await Promise.all(waits)
  return {
    academies: inputs.map((a) => ({ ...a, school: { id: a.school.id, name: a.school.name, slug: a.school.slug } })),
    figuresAsOf,
  }
}

/** How long a view waits for an academy counted again before showing its kept figures instead. */
export const defaultWaitMs = 100

export interface RollupOptions {
  /** The app's clock now: when figures counted are said to be from. */
  now: Date
  /** How long to wait for academies counted again before showing their kept figures (default 100 ms). */
  waitMs?: number
}

/**
 * The rollup of the trust for a term (`2026-27/autumn`; the latest term begun when none is given)
 * against the term before. Null when the organisation is not a trust, has no academy, or the term
 * cannot be chosen.
 */
export async function trustRollup(
  db: Db,
  organisationId: string,
  today: IsoDate,
  periodId: string | undefined,
  sort: RollupSort,
  options: RollupOptions,
): Promise<LoadedRollup | null> {
  if (!(await isTrust(db, organisationId))) return null
  const term = await rollupTerm(db, organisationId, today, periodId)
  if (!term) return null
  const { choices, period, before } = term
  // Versions are read before any facts (ADR 0009): figures are never kept under a newer version than their facts.
  const [schools, threshold] = await Promise.all([
    rollupAcademies(db, organisationId, before ? [period.id, before.id] : [period.id]),
    rollupThreshold(db, organisationId),
  ])
  const { academies, figuresAsOf } = await academyInputs(db, schools, today, period, before, options)
  return {
    rollup: buildTrustRollup({ academies, threshold: threshold ?? defaultThreshold, sort }),
    figuresAsOf,
    period,
    previous: before,
    periods: choices,
    defaultThreshold: threshold === null,
  }
}

/**
 * The term asked for (`periodId`; the latest term begun when none is given) and the term before
 * it, with the terms that can be chosen, newest first; null when the trust has no academy or the
 * term cannot be chosen. The terms offered are the first academy's; each academy counts the term
 * of the same id in its own calendar.
 */
async function rollupTerm(
  db: Db,
  organisationId: string,
  today: IsoDate,
  periodId: string | undefined,
): Promise<{ choices: ReportPeriod[]; period: ReportPeriod; before: ReportPeriod | null } | null> {
  const first = (await rollupAcademies(db, organisationId, []))[0]
  if (!first) return null
  const calendar = await schoolCalendar(db, first.id, today)
  const choices = terms(reportPeriods(calendar, today))
  const period =
    periodId === undefined || periodId === '' ? (choices[0] ?? null) : (choices.find((p) => p.id === periodId) ?? null)
  if (!period) return null
  return { choices, period, before: previousPeriods(calendar, period, 1)[0] ?? null }
}

/**
 * Starts counting, in the background, every academy of every trust whose kept figures for the
 * latest term begun, or the term before it, are not current (a day has passed, or the academy has
 * changed since), as a view would (two academies at a time, each kept once counted). The hourly
 * job (jobs/trust-rollup.ts) calls it, so that the first view of a day or of a new term answers
 * from figures already counted instead of counting every academy while the trust's lead waits
 * (about 3 s for 20 academies and 300,000 sessions on PostgreSQL; ADR 57). What needs counting is
 * read with `read` (the job's transaction, before any facts: ADR 0009); the counts run on `db`, after
 * it. Returns how many academies it started.
 */
export async function countRollupsAhead(read: Db, db: Db, today: IsoDate, now: Date): Promise<number> {
  let started = 0
  for (const organisationId of await trustIds(read)) {
    const term = await rollupTerm(read, organisationId, today, undefined)
    if (!term) continue
    const { period, before } = term
    const schools = await rollupAcademies(read, organisationId, before ? [period.id, before.id] : [period.id])
    for (const school of schools) {
      if (fresh(school, period, today) !== undefined && fresh(school, before, today) !== undefined) continue
      // A count that fails leaves the kept figures as they were: the next run, or view, tries again.
      recount(db, school, today, period.id, now).catch(() => undefined)
      started++
    }
  }
  return started
}

/** The trust's threshold as set, or the default. */
export async function trustThreshold(db: Db, organisationId: string): Promise<number> {
  return (await rollupThreshold(db, organisationId)) ?? defaultThreshold
}

/** Sets the trust's threshold, with its audit entry, in one transaction. */
export async function setTrustThreshold(
  db: Db,
  input: { organisationId: string; thresholdPercent: number; actorId: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveRollupThreshold(trx, input.organisationId, input.thresholdPercent, input.actorId)
    await recordAudit(trx, {
      action: 'trust-rollup.threshold-set',
      subjectType: 'organisation',
      subjectId: input.organisationId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      detail: { thresholdPercent: input.thresholdPercent },
    })
  })
}
