/**
 * The governors' termly report (issue 16): content-blind figures for a term or a year, with the
 * trend over the three before it, small numbers hidden (suppression.ts). Pure: the service passes
 * the overview's facts for the last day reported (the period's end, or today while it runs), the
 * compliance engine's other inputs, contracts signed and escalations recorded.
 *
 * It reuses the overview's computations (X-04, LH-08, LH-02): compliance is the engine's
 * (assessCompliance), "up to date" and the percentage are the overview's (complianceFigures),
 * supervisors are the overview's (supervisorStanding) and the balance of functions is the
 * overview's (balanceOfFunctions, as buildOverview works it out). Nothing here names a person or reads what was said.
 *
 * Definitions (each for the period, up to the last day reported):
 * - In scope, up to date, percentage: on the last day reported, by the engine; by role (a person
 *   with two roles counts under each) and by kind of supervision (each requirement of the policy:
 *   the people it applies to, and those up to date with it).
 * - Sessions held: sessions held in the period, counted once for each person in scope who received
 *   them, of a type one of their requirements counts (MW-08: a group session does not count for a
 *   one-to-one requirement). Sessions required: what each requirement's own frequency asks of each
 *   person in scope in a period of this length (per half term: 2 in a term; once a term: 1; every
 *   N weeks or months: the period's length, in term time when the rule counts term time only,
 *   divided by the interval, at least 1; per year: a third of the year's in a term), not counting
 *   stricter rules or agreed frequencies.
 * - Cancellations: sessions that did not take place in the period, grouped by the reason given
 *   (MW-06). Rebooking deadlines (CA-03): deadlines that fell in the period, met when the session
 *   was rebooked for a date on or before it, missed otherwise (as the engine judges them).
 * - Contracts signed (MW-02): people whose contract was signed by every party in the period.
 * - Escalations (LH-09, AM-09, CA-03): people for whom an escalation step was recorded in the
 *   period; resolved when, on the last day reported, the engine no longer escalates for them.
 */
import { diffDays, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'
import {
  assessCompliance,
  type CancellationFact,
  type PersonCompliance,
  rebookingDeadline,
  type SessionFact,
} from '../compliance/index.ts'
import { balanceOfFunctions, complianceFigures, isUpToDate, supervisorStanding } from '../overview/build.ts'
import type { OverviewFacts } from '../overview/model.ts'
import type { Person } from '../people/person.ts'
import { roleCatalogue } from '../people/roles.ts'
import type { Frequency, PersonOverride, PolicyDocument } from '../policy/index.ts'
import type { PolicyBook } from '../policy/versions.ts'
import { asAtOf, type ReportPeriod } from './periods.ts'
import { type Count, hidden, type Percent, suppressBreakdown, suppressCount, suppressPercent } from './suppression.ts'

export interface ContractSignedFact {
  superviseeId: string
  /** The day the last party signed (London). */
  signedOn: IsoDate
}

export interface EscalationFact {
  personId: string
  reachedOn: IsoDate
}

/** A case escalated through the local partnership's procedure (LH-10): when raised, and when and how it closed. */
export interface CaseEscalationFact {
  raisedOn: IsoDate
  closedOn: IsoDate | null
  outcome: 'resolved' | 'not-resolved' | 'withdrawn' | null
}

/** CA-01: the focus recorded for a held session (theme-, case- or staff-centred multi-agency supervision). */
export interface SessionFocusFact {
  sessionId: string
  focusId: string
}

/** CA-01: the sessions held in the period of one type the policy lets be focused several ways, by focus. */
export interface FocusedSessions {
  /** The type's name, like "Multi-agency supervision". */
  typeName: string
  byFocus: { label: string; count: Count }[]
  /** Sessions held with no focus recorded (booked before it was asked). */
  notRecorded: Count
  total: Count
}

export interface GovernorsReportInput {
  today: IsoDate
  period: ReportPeriod
  /** Up to three periods of the same kind before it, oldest first. */
  previous: readonly ReportPeriod[]
  /** The overview's facts for the last day reported (asAtOf(period, today)). */
  facts: OverviewFacts
  /** The school's policy book: every version, and the one answer to which applies on a date. */
  book: PolicyBook
  cancellations: readonly CancellationFact[]
  overrides: readonly PersonOverride[]
  contractsSigned: readonly ContractSignedFact[]
  escalations: readonly EscalationFact[]
  /** The school's case escalations (LH-10) raised up to the last day reported; none when omitted. */
  caseEscalations?: readonly CaseEscalationFact[]
  /** CA-01: the focus of the school's held sessions in the period that have one; none when omitted. */
  sessionFocuses?: readonly SessionFocusFact[]
  /**
   * The compliance engine's answer on an earlier term's last day for these facts, the standing at
   * least (who is in scope, each one's status and requirements), by a caller that keeps answers
   * (the evidence pack judges the same term ends for several reports); the engine is run for the
   * standing alone when omitted.
   */
  judge?: (asAt: IsoDate) => readonly PersonCompliance[]
  /**
   * Which of these people the engine escalates for on the last day reported, by a caller whose
   * `facts.compliance` is the engine's standing alone (it has no escalations): the engine's full
   * answer for those people only (each person is judged on their own facts). Read from
   * `facts.compliance` when omitted.
   */
  escalatedAmong?: (personIds: readonly string[]) => ReadonlySet<string>
}

export interface GroupRow {
  label: string
  inScope: Count
  upToDate: Count
  percent: Percent
}

export interface TrendRow {
  periodId: string
  name: string
  inScope: Count
  percent: Percent
  held: Count
  required: Count
  cancellations: Count
  rebookingsMissed: Count
}

export interface GovernorsReport {
  school: { id: string; name: string; slug: string }
  period: ReportPeriod
  /** The last day the figures are for. */
  asAt: IsoDate
  /** False while the period is still running. */
  complete: boolean
  policyVersion: number | null
  headline: GroupRow
  byRole: GroupRow[]
  byKind: GroupRow[]
  sessions: { held: Count; required: Count; percent: Percent }
  cancellations: { total: Count; byReason: { label: string; count: Count }[] }
  rebooking: { met: Count; missed: Count }
  contractsSigned: Count
  supervisors: { total: Count; trained: Count; supervised: Count }
  balance: {
    windowStart: IsoDate
    frameworks: { name: string; supervisees: Count; notCovered: Count; items: { name: string; covered: Count }[] }[]
  }
  escalations: { raised: Count; resolved: Count; open: Count }
  /**
   * Case escalations (LH-10): raised in the period, closed in it with the case resolved, closed in
   * it otherwise (not resolved, or withdrawn), and open on the last day reported (whenever raised).
   */
  caseEscalations: { raised: Count; resolved: Count; closedOtherwise: Count; open: Count }
  /**
   * CA-01: for each type of the policy in force that is focused several ways (multi-agency
   * supervision), the sessions held in the period by focus: sessions, never people or cases.
   */
  focused: FocusedSessions[]
  trend: TrendRow[]
}

const within = (date: IsoDate, start: IsoDate, end: IsoDate) => date >= start && date <= end

/** Days of the period that fall in a half term (term time). */
function termTimeDays(calendar: SchoolCalendar, start: IsoDate, end: IsoDate): number {
  let days = 0
  for (const year of calendar.years) {
    for (const half of year.halfTerms) {
      const from = half.start > start ? half.start : start
      const to = half.end < end ? half.end : end
      if (from <= to) days += diffDays(from, to) + 1
    }
  }
  return days
}

/** How many half terms and terms of the calendar fall in the period. */
function periodUnits(calendar: SchoolCalendar, period: ReportPeriod): { halfTerms: number; terms: number } {
  let halfTerms = 0
  for (const year of calendar.years)
    for (const half of year.halfTerms) if (within(half.start, period.start, period.end)) halfTerms++
  return { halfTerms, terms: period.kind === 'year' ? 3 : 1 }
}

/** What a frequency asks for in the period (see the definitions above). */
export function sessionsAskedFor(calendar: SchoolCalendar, period: ReportPeriod, frequency: Frequency | null): number {
  if (frequency === null || frequency.every <= 0) return 0
  const times = frequency.times ?? 1
  const units = periodUnits(calendar, period)
  switch (frequency.unit) {
    case 'half-terms':
      return Math.ceil((units.halfTerms * times) / frequency.every)
    case 'terms':
      return Math.ceil((units.terms * times) / frequency.every)
    case 'academic-years':
      return Math.ceil(((units.terms / 3) * times) / frequency.every)
    default: {
      const length = frequency.termTimeOnly
        ? termTimeDays(calendar, period.start, period.end)
        : diffDays(period.start, period.end) + 1
      const interval = frequency.unit === 'weeks' ? frequency.every * 7 : frequency.every * 30.4375
      return Math.max(1, Math.floor(length / interval))
    }
  }
}

export interface PeriodFigures {
  inScope: number
  upToDate: number
  held: number
  required: number
  cancellations: CancellationFact[]
  rebookingsMet: number
  rebookingsMissed: number
}

/**
 * The figures of one period from the engine's answer on its last day reported; the trust rollup
 * (src/domain/trust/rollup.ts) counts each academy with it too.
 */
export function periodFigures(
  input: Pick<GovernorsReportInput, 'book' | 'cancellations'> & {
    calendar: SchoolCalendar
    /** Each cancellation's rebooking deadline (rebookingDeadlines), when the caller reports several periods. */
    deadlines?: ReadonlyMap<CancellationFact, IsoDate | null>
  },
  period: ReportPeriod,
  asAt: IsoDate,
  compliance: readonly PersonCompliance[],
  sessions: readonly SessionFact[],
): PeriodFigures {
  const { inScope, upToDate } = complianceFigures(compliance)
  const policy = input.book.on(asAt)
  const required = compliance.filter((c) => c.required)
  const counting = new Map<string, Set<string>>()
  // What each requirement asks of one person in the period, and its types, worked out once.
  const byRequirement = new Map<string, { types: readonly string[]; asked: number } | null>()
  const requirementTerms = (id: string) => {
    let terms = byRequirement.get(id)
    if (terms === undefined) {
      const requirement = policy?.requirements.find((q) => q.id === id)
      terms = requirement
        ? { types: requirement.sessionTypes, asked: sessionsAskedFor(input.calendar, period, requirement.frequency) }
        : null
      byRequirement.set(id, terms)
    }
    return terms
  }
  let asked = 0
  for (const person of required) {
    const types = new Set<string>()
    for (const r of person.requirements) {
      const terms = requirementTerms(r.requirementId)
      if (!terms) continue
      for (const t of terms.types) types.add(t)
      asked += terms.asked
    }
    counting.set(person.personId, types)
  }
  let held = 0
  for (const session of sessions) {
    if (session.status !== 'held' || !within(session.date, period.start, asAt)) continue
    for (const id of session.superviseeIds) if (counting.get(id)?.has(session.typeId)) held++
  }
  const cancellations = input.cancellations.filter((c) => within(c.date, period.start, asAt))
  let met = 0
  let missed = 0
  const deadlines = input.deadlines ?? rebookingDeadlines(input.book, input.calendar, input.cancellations)
  for (const c of input.cancellations) {
    const deadline = deadlines.get(c) ?? null
    if (deadline === null || !within(deadline, period.start, asAt)) continue
    if (c.rebookedFor !== null && c.rebookedFor <= deadline) met++
    else missed++
  }
  return { inScope, upToDate, held, required: asked, cancellations, rebookingsMet: met, rebookingsMissed: missed }
}

/** Each cancellation's rebooking deadline (CA-03) under the policy in force on its date: whatever the period reported. */
export function rebookingDeadlines(
  book: PolicyBook,
  calendar: SchoolCalendar,
  cancellations: readonly CancellationFact[],
): Map<CancellationFact, IsoDate | null> {
  const deadlines = new Map<CancellationFact, IsoDate | null>()
  for (const c of cancellations) {
    const version = book.on(c.date)
    deadlines.set(c, version ? rebookingDeadline(version, calendar, c) : null)
  }
  return deadlines
}

function groupRow(label: string, inScope: number, upToDate: number): GroupRow {
  const percent = suppressPercent(upToDate, inScope)
  const shownInScope = suppressCount(inScope)
  return {
    label,
    inScope: shownInScope,
    // Up to date in a hidden group is hidden with it; otherwise a count like any other.
    upToDate: shownInScope === hidden ? hidden : suppressCount(upToDate),
    percent,
  }
}

/** Rows of a breakdown whose in-scope counts add up to the total: a lone hidden row is protected. */
function protectRows(total: number, rows: { label: string; inScope: number; upToDate: number }[]): GroupRow[] {
  const shown = suppressBreakdown(
    total,
    rows.map((r) => r.inScope),
  )
  return rows.map((r, i) =>
    shown[i] === hidden
      ? { label: r.label, inScope: hidden, upToDate: hidden, percent: r.inScope === 0 ? null : hidden }
      : groupRow(r.label, r.inScope, r.upToDate),
  )
}

function roleName(policy: PolicyDocument | null, id: string): string {
  return (
    roleCatalogue.find((r) => r.id === id)?.name ??
    policy?.customRoles.find((r) => r.id === id)?.name ??
    'A role no longer in the catalogue'
  )
}

export function buildGovernorsReport(input: GovernorsReportInput): GovernorsReport {
  const { facts, period, today } = input
  const asAt = asAtOf(period, today)
  const calendar = facts.calendar
  const policy = facts.policy
  const balance = balanceOfFunctions(facts)
  const compliance = facts.compliance
  const required = compliance.filter((c) => c.required)
  // The deadlines do not depend on the period: worked out once for the period and its trend.
  const deadlines = rebookingDeadlines(input.book, calendar, input.cancellations)
  const current = periodFigures({ ...input, calendar, deadlines }, period, asAt, compliance, facts.sessions)

  // By role.
  const peopleById = new Map<string, Person>(facts.people.map((p) => [p.id, p]))
  const roles = new Map<string, { inScope: number; upToDate: number }>()
  for (const c of required) {
    const held = peopleById.get(c.personId)?.roles ?? []
    for (const role of held.length > 0 ? held : ['']) {
      const entry = roles.get(role) ?? { inScope: 0, upToDate: 0 }
      entry.inScope++
      if (isUpToDate(c.status)) entry.upToDate++
      roles.set(role, entry)
    }
  }
  const roleRows = [...roles]
    .map(([id, v]) => ({ label: id === '' ? 'No role recorded' : roleName(policy, id), ...v }))
    .sort((a, b) => (a.label < b.label ? -1 : 1))

  // By kind of supervision: each requirement of the policy in force.
  const kindRows = (policy?.requirements ?? []).map((requirement) => {
    let inScope = 0
    let upToDate = 0
    for (const c of required) {
      const r = c.requirements.find((x) => x.requirementId === requirement.id)
      if (!r) continue
      inScope++
      if (isUpToDate(r.status)) upToDate++
    }
    return { label: requirement.description, inScope, upToDate }
  })

  // Cancellations by reason (MW-06).
  const reasons = new Map<string, number>()
  for (const c of current.cancellations) reasons.set(c.reasonId, (reasons.get(c.reasonId) ?? 0) + 1)
  const reasonList = [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const reasonCounts = suppressBreakdown(
    current.cancellations.length,
    reasonList.map(([, n]) => n),
  )
  const reasonName = (id: string) =>
    input.book.versions
      .toReversed()
      .flatMap((v) => v.cancellation.reasons)
      .find((r) => r.id === id)?.name ?? 'Another reason'

  // Supervisors (LH-08, PL-05), as the overview counts them.
  const supervisors = supervisorStanding(facts)
  const supervisorCount = supervisors.all.length

  // Escalations (LH-09, AM-09, CA-03).
  const raised = new Set(
    input.escalations.filter((e) => within(e.reachedOn, period.start, asAt)).map((e) => e.personId),
  )
  const stillEscalated =
    input.escalatedAmong?.([...raised]) ??
    new Set(compliance.filter((c) => c.escalations.length > 0).map((c) => c.personId))
  const open = [...raised].filter((id) => stillEscalated.has(id)).length

  // Case escalations (LH-10): cases, not people, so one case is counted once.
  const cases = (input.caseEscalations ?? []).filter((c) => c.raisedOn <= asAt)
  const closedIn = cases.filter((c) => c.closedOn !== null && within(c.closedOn, period.start, asAt))
  const caseEscalations = {
    raised: suppressCount(cases.filter((c) => within(c.raisedOn, period.start, asAt)).length),
    resolved: suppressCount(closedIn.filter((c) => c.outcome === 'resolved').length),
    closedOtherwise: suppressCount(closedIn.filter((c) => c.outcome !== 'resolved').length),
    open: suppressCount(cases.filter((c) => c.closedOn === null || c.closedOn > asAt).length),
  }

  const focused = focusedSessions(input, period, asAt)

  // Contracts signed (MW-02): people, once each.
  const signed = new Set(
    input.contractsSigned.filter((c) => within(c.signedOn, period.start, asAt)).map((c) => c.superviseeId),
  )

  // The trend: the periods before, each judged on its own last day, then this one.
  const trend: TrendRow[] = input.previous.map((p) => {
    const end = asAtOf(p, today)
    const judged =
      input.judge?.(end) ??
      assessCompliance({
        policy: input.book.versions,
        calendar,
        people: facts.people,
        sessions: facts.sessions,
        cancellations: input.cancellations,
        overrides: input.overrides,
        today: end,
        standingOnly: true,
      })
    return trendRow(p, periodFigures({ ...input, calendar, deadlines }, p, end, judged, facts.sessions))
  })
  trend.push(trendRow(period, current))

  return {
    school: facts.school,
    period,
    asAt,
    complete: period.end < today,
    policyVersion: policy?.version ?? null,
    headline: groupRow('Everyone in scope', current.inScope, current.upToDate),
    byRole: protectRows(current.inScope, roleRows),
    // A person may be under several requirements: the rows need not add up to anything.
    byKind: kindRows.map((r) => groupRow(r.label, r.inScope, r.upToDate)),
    sessions: {
      held: suppressCount(current.held),
      required: suppressCount(current.required),
      percent: suppressPercent(current.held, current.required),
    },
    cancellations: {
      total: suppressCount(current.cancellations.length),
      byReason: reasonList.map(([id], i) => ({ label: reasonName(id), count: reasonCounts[i]! })),
    },
    rebooking: { met: suppressCount(current.rebookingsMet), missed: suppressCount(current.rebookingsMissed) },
    contractsSigned: suppressCount(signed.size),
    supervisors: {
      total: suppressCount(supervisorCount),
      trained: suppressCount(supervisorCount - supervisors.untrained.length),
      supervised: suppressCount(supervisorCount - supervisors.unsupervised.length),
    },
    balance: {
      windowStart: balance.windowStart,
      frameworks: balance.frameworks.map((f) => ({
        name: f.name,
        supervisees: suppressCount(f.rows.length),
        notCovered: suppressCount(f.rows.filter((r) => r.flagged).length),
        items: f.items.map((item) => ({ name: item.name, covered: suppressCount(item.coveredBy) })),
      })),
    },
    escalations: {
      raised: suppressCount(raised.size),
      resolved: suppressCount(raised.size - open),
      open: suppressCount(open),
    },
    caseEscalations,
    focused,
    trend,
  }
}

/**
 * CA-01: the sessions held in the period (up to the last day reported) of each type of the policy
 * in force that has focuses, counted by the focus recorded. Small numbers are hidden, and a lone
 * hidden focus is protected by another (suppressBreakdown), as everywhere in the report.
 */
export function focusedSessions(
  input: Pick<GovernorsReportInput, 'facts' | 'sessionFocuses'>,
  period: ReportPeriod,
  asAt: IsoDate,
): FocusedSessions[] {
  const types = (input.facts.policy?.sessionTypes ?? []).filter((t) => (t.focuses ?? []).length > 0)
  const focusOf = new Map((input.sessionFocuses ?? []).map((f) => [f.sessionId, f.focusId]))
  return types.map((type) => {
    const held = input.facts.sessions.filter(
      (s) => s.typeId === type.id && s.status === 'held' && within(s.date, period.start, asAt),
    )
    const counts = type.focuses.map((focus) => held.filter((s) => focusOf.get(s.id) === focus.id).length)
    const notRecorded = held.length - counts.reduce((a, b) => a + b, 0)
    const shown = suppressBreakdown(held.length, [...counts, notRecorded])
    return {
      typeName: type.name,
      byFocus: type.focuses.map((focus, i) => ({ label: focus.name, count: shown[i]! })),
      notRecorded: shown[counts.length]!,
      total: suppressCount(held.length),
    }
  })
}

function trendRow(period: ReportPeriod, f: PeriodFigures): TrendRow {
  return {
    periodId: period.id,
    name: period.name,
    inScope: suppressCount(f.inScope),
    percent: suppressPercent(f.upToDate, f.inScope),
    held: suppressCount(f.held),
    required: suppressCount(f.required),
    cancellations: suppressCount(f.cancellations.length),
    rebookingsMissed: suppressCount(f.rebookingsMissed),
  }
}
