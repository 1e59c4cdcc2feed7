/**
 * The compliance engine (issue 5, MW-03..MW-05, MW-08, LH-02, LH-03, LH-09, CA-02,
 * CA-03, AM-02, AM-09): for every person, whether they must be supervised, why, whether they are
 * up to date, when they are next due, and which rules were broken. Pure: "today" is an input.
 *
 * Definitions:
 * - Only held sessions dated on or before today count, and only types the requirement counts
 *   (MW-08: a group session never resets a one-to-one due date).
 * - A requirement's clock starts on the later of: the day the person came into scope (start date,
 *   after any qualifying period, MW-05), and the day the policy (the earliest consecutive version
 *   carrying the requirement and covering the person) took effect. A session before that start
 *   does not move the clock, but it does mean the person has been supervised.
 * - A new starter is first due one interval after the clock starts (12 weeks of term time after
 *   coming into scope; the end of the next half term ...). Until then they are compliant (or due
 *   soon). Once that date passes with no counting session ever held, they are "never supervised":
 *   overdue, and worse than overdue, because they have had none at all.
 * - Due soon: the due date is today or within `dueSoonDays` days (14 unless given).
 * - Part-time staff are treated exactly as full-time staff (MW-04).
 * - Past intervals are judged by the version of the policy in force when each interval began.
 *
 * Cost: one pass over sessions and cancellations to index them by person, then work per person in
 * proportion to their own sessions: O(sessions + people) with small constants.
 */
import { formatLongDate, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import type { EscalationChain, PersonOverride, PolicyDocument, Requirement } from '../policy/model.ts'
import { decideScope, type ScopeDecision } from '../policy/scope.ts'
import { frameworkTaggedSince, policyInForce, sortVersions } from '../policy/versions.ts'
import { describeDuration, listWithAnd, lowerFirst } from '../policy/wording.ts'
import { describeCancelled, rebookingDecision } from './cancellations.ts'
import { type DayCalendar, dayCalendarFor, type PeriodSpan } from './day-calendar.ts'
import {
  type AnchorKind,
  countBreaches,
  currentCandidates,
  type DueCandidate,
  earliestDue,
  explainDue,
  historicCandidates,
  intervalBreaches,
  isCountPerPeriod,
} from './due.ts'
import {
  type Breach,
  type CancellationFact,
  type EscalationState,
  type FrameworkGap,
  type OpenRebooking,
  type PersonCompliance,
  type RequirementCompliance,
  type SessionFact,
  statusRank,
} from './model.ts'

export interface ComplianceInput {
  /** The policy, or all its versions (past compliance is judged by the version then in force). */
  policy: PolicyDocument | readonly PolicyDocument[]
  calendar: SchoolCalendar
  people: readonly Person[]
  sessions: readonly SessionFact[]
  cancellations?: readonly CancellationFact[]
  overrides?: readonly PersonOverride[]
  today: IsoDate
  /** How many days ahead counts as "due soon". Default 14. */
  dueSoonDays?: number
  /**
   * Who is in scope and how each person stands (status, each requirement's status, last session,
   * next due) only: no breaches, rebookings, framework gaps, escalations or wording of why a
   * date is due (left empty). The same standing as a full run, for about half the work: the
   * governors' report's trend counts nothing else (issue 16).
   */
  standingOnly?: boolean
}

export const defaultDueSoonDays = 14

/**
 * A person's held sessions: indices into the input's sessions, sorted by date, whose day numbers
 * are in Context.sessionDays (no object per session, so no garbage for large histories).
 */
type HeldSessions = number[]

interface Context {
  dc: DayCalendar
  calendar: SchoolCalendar
  versions: readonly PolicyDocument[]
  versionStarts: number[]
  current: PolicyDocument | null
  today: IsoDate
  todayDay: number
  dueSoonDays: number
  standingOnly: boolean
  sessionFacts: readonly SessionFact[]
  sessionDays: Int32Array
  sessions: Map<string, HeldSessions>
  cancellations: Map<string, CancellationFact[]>
  overrides: Map<string, PersonOverride[]>
  /** Candidates of a requirement of a past version, for people with no agreed frequency. */
  plainCandidates: Map<Requirement, DueCandidate[]>
  /** The session types each requirement counts. */
  countingTypes: Map<Requirement, ReadonlySet<string>>
}

function isVersionList(policy: ComplianceInput['policy']): policy is readonly PolicyDocument[] {
  return Array.isArray(policy)
}

function groupBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    for (const key of keys(item)) {
      const list = map.get(key)
      if (list) list.push(item)
      else map.set(key, [item])
    }
  }
  return map
}

/** The version in force on a day (versions sorted oldest first), or null before the first. */
function versionAt(context: Context, day: number): PolicyDocument | null {
  const { versions, versionStarts } = context
  let found: PolicyDocument | null = null
  for (let i = 0; i < versions.length; i++) {
    if ((versionStarts[i] as number) <= day) found = versions[i] as PolicyDocument
    else break
  }
  return found
}

/**
 * Compliance for every person, sorted by name (then id) so that the result does not depend on
 * the order of the input. Throws if two people share an id.
 */
export function assessCompliance(input: ComplianceInput): PersonCompliance[] {
  const versions = sortVersions(isVersionList(input.policy) ? input.policy : [input.policy])
  const dc = dayCalendarFor(input.calendar)
  const todayDay = dc.day(input.today)

  const sessions = new Map<string, HeldSessions>()
  const sessionDays = new Int32Array(input.sessions.length)
  input.sessions.forEach((session, index) => {
    if (session.status !== 'held') return
    const day = dc.day(session.date)
    if (day > todayDay) return
    sessionDays[index] = day
    for (const personId of session.superviseeIds) {
      const list = sessions.get(personId)
      if (list) list.push(index)
      else sessions.set(personId, [index])
    }
  })

  const context: Context = {
    dc,
    calendar: input.calendar,
    versions,
    versionStarts: versions.map((version) => dc.day(version.effectiveFrom)),
    current: policyInForce(versions, input.today),
    today: input.today,
    todayDay,
    dueSoonDays: input.dueSoonDays ?? defaultDueSoonDays,
    standingOnly: input.standingOnly ?? false,
    sessionFacts: input.sessions,
    sessionDays,
    sessions,
    cancellations: groupBy(input.cancellations ?? [], (cancellation) => cancellation.superviseeIds),
    overrides: groupBy(input.overrides ?? [], (override) => [override.personId]),
    plainCandidates: new Map(),
    countingTypes: new Map(),
  }

  const seen = new Set<string>()
  for (const person of input.people) {
    if (seen.has(person.id)) throw new Error(`Two people have the id '${person.id}'`)
    seen.add(person.id)
  }
  const people = [...input.people].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  )
  return people.map((person) => assessPerson(context, person))
}

function assessPerson(context: Context, person: Person): PersonCompliance {
  const { current, dc, today } = context
  const overrides = context.overrides.get(person.id) ?? []
  const rebookings = context.standingOnly
    ? { breaches: [], open: [], escalations: [] }
    : assessRebookings(context, person)
  const result: PersonCompliance = {
    personId: person.id,
    name: person.name,
    required: false,
    reason: '',
    scopeRuleIds: [],
    inScopeFrom: null,
    status: 'not-required',
    lastSession: null,
    nextDue: null,
    requirements: [],
    breaches: rebookings.breaches,
    openRebookings: rebookings.open,
    frameworkGaps: [],
    escalations: rebookings.escalations,
    policyVersion: current?.version ?? null,
  }
  if (current === null) {
    result.reason = `Not required: no supervision policy was in force on ${formatLongDate(today)}`
    return result
  }
  const decision = decideScope(current, person, today, overrides, context.calendar)
  result.reason = decision.reason
  result.scopeRuleIds = decision.ruleIds
  result.inScopeFrom = decision.inScopeFrom
  if (!decision.required) return result

  result.required = true
  const held = context.sessions.get(person.id) ?? []
  const days = context.sessionDays
  held.sort((a, b) => (days[a] as number) - (days[b] as number))
  const breaches: Breach[] = []
  let worst: RequirementCompliance | null = null
  let worstDueDay: number | null = null
  for (const requirementId of decision.requirementIds) {
    const requirement = current.requirements.find((candidate) => candidate.id === requirementId)
    if (!requirement) continue
    const assessed = assessRequirement(context, person, requirement, decision, overrides, held, breaches)
    result.requirements.push(assessed.compliance)
    const compliance = assessed.compliance
    if (
      compliance.lastSession !== null &&
      (result.lastSession === null || compliance.lastSession > result.lastSession)
    ) {
      result.lastSession = compliance.lastSession
    }
    if (compliance.nextDue !== null && (result.nextDue === null || compliance.nextDue < result.nextDue)) {
      result.nextDue = compliance.nextDue
    }
    const rank = statusRank[compliance.status]
    const worstRank = worst === null ? -1 : statusRank[worst.status]
    const earlier = assessed.dueDay !== null && (worstDueDay === null || assessed.dueDay < worstDueDay)
    if (rank > worstRank || (rank === worstRank && earlier)) {
      worst = compliance
      worstDueDay = assessed.dueDay
    }
  }
  result.status = worst?.status ?? 'compliant'
  // Never supervised means no counting session at all: someone who has had one kind of supervision
  // (safeguarding) but never another (management) is overdue, not never supervised (issue 14).
  if (result.status === 'never-supervised' && result.lastSession !== null) result.status = 'overdue'
  if (context.standingOnly) return result
  result.breaches = [...breaches, ...result.breaches].sort(compareBreaches)
  result.frameworkGaps = frameworkGaps(context, current, decision, held)
  if ((result.status === 'overdue' || result.status === 'never-supervised') && worst && worstDueDay !== null) {
    for (const chain of current.escalation) {
      if (chain.trigger !== 'entitlement-unmet') continue
      const state = escalationState(
        dc,
        chain,
        worstDueDay,
        context.todayDay,
        `${worst.description} overdue since ${formatLongDate(dc.iso(worstDueDay + 1))}`,
      )
      if (state) result.escalations.push(state)
    }
  }
  return result
}

function breachDate(breach: Breach): string {
  switch (breach.kind) {
    case 'gap-exceeded':
      return breach.dueBy
    case 'period-missed':
      return breach.dueBy
    case 'rebooking-deadline-missed':
      return breach.deadline
  }
}

function compareBreaches(a: Breach, b: Breach): number {
  const dateA = breachDate(a)
  const dateB = breachDate(b)
  if (dateA !== dateB) return dateA < dateB ? -1 : 1
  const keyA = `${a.kind}\u0000${a.message}`
  const keyB = `${b.kind}\u0000${b.message}`
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0
}

/**
 * The day the requirement's clock starts: the later of the person coming into scope and the
 * earliest version, in the unbroken run of versions up to the current one, that carries the
 * requirement for this person.
 */
function clockStart(
  context: Context,
  person: Person,
  requirement: Requirement,
  decision: ScopeDecision,
  overrides: readonly PersonOverride[],
): { day: number; kind: AnchorKind } {
  const { dc, versions, current } = context
  let policyStart = dc.day((current as PolicyDocument).effectiveFrom)
  const currentIndex = versions.indexOf(current as PolicyDocument)
  for (let i = currentIndex - 1; i >= 0; i--) {
    const version = versions[i] as PolicyDocument
    if (!version.requirements.some((candidate) => candidate.id === requirement.id)) break
    const earlier = decideScope(version, person, context.today, overrides, context.calendar)
    if (!earlier.required || !earlier.requirementIds.includes(requirement.id)) break
    policyStart = context.versionStarts[i] as number
  }
  const scopeStart = decision.inScopeFrom === null ? null : dc.day(decision.inScopeFrom)
  if (scopeStart !== null && scopeStart >= policyStart) return { day: scopeStart, kind: 'scope-start' }
  return { day: policyStart, kind: 'policy-start' }
}

function candidatesAt(
  context: Context,
  requirement: Requirement,
  overrides: readonly PersonOverride[],
  anchorDay: number,
): DueCandidate[] {
  if (overrides.length > 0) return historicCandidates(context.dc, requirement, overrides, anchorDay)
  let candidates = context.plainCandidates.get(requirement)
  if (candidates === undefined) {
    candidates = historicCandidates(context.dc, requirement, [], anchorDay)
    context.plainCandidates.set(requirement, candidates)
  }
  return candidates
}

function assessRequirement(
  context: Context,
  person: Person,
  requirement: Requirement,
  decision: ScopeDecision,
  overrides: readonly PersonOverride[],
  held: HeldSessions,
  breaches: Breach[],
): { compliance: RequirementCompliance; dueDay: number | null } {
  const { dc, todayDay } = context
  let counts = context.countingTypes.get(requirement)
  if (counts === undefined) {
    counts = new Set(requirement.sessionTypes)
    context.countingTypes.set(requirement, counts)
  }
  const start = clockStart(context, person, requirement, decision, overrides)
  let anchor = start.day
  let anchorKind = start.kind
  let last: number | null = null
  const seenPeriods = new Set<string>()
  const countingDays: number[] = []
  for (const index of held) {
    if (!counts.has((context.sessionFacts[index] as SessionFact).typeId)) continue
    const day = context.sessionDays[index] as number
    last = day
    countingDays.push(day)
    if (day <= anchor) continue
    if (!context.standingOnly) {
      const version = versionAt(context, anchor)
      const judged =
        version === context.current
          ? requirement
          : version?.requirements.find((candidate) => candidate.id === requirement.id)
      if (judged) {
        const candidates = candidatesAt(context, judged, overrides, anchor)
        intervalBreaches(dc, judged, candidates, anchor, anchorKind, day, false, seenPeriods, breaches)
      }
    }
    anchor = day
    anchorKind = 'session'
  }

  const candidates = currentCandidates(dc, requirement, person, overrides, context.today)
  if (!context.standingOnly)
    intervalBreaches(dc, requirement, candidates, anchor, anchorKind, todayDay, true, seenPeriods, breaches)
  // Counts per period (issue 14): each finished period judged by the version in force when it began.
  for (const candidate of context.standingOnly ? [] : historicCandidates(dc, requirement, overrides, todayDay)) {
    if (!isCountPerPeriod(candidate.frequency)) continue
    const applies = (period: PeriodSpan) => {
      if (candidate.source === 'agreed') return true
      const version = versionAt(context, period.start)
      const judged = version?.requirements.find((other) => other.id === requirement.id)
      return judged !== undefined && isCountPerPeriod(judged.frequency)
    }
    countBreaches(dc, requirement, candidate, countingDays, start.day, todayDay, seenPeriods, breaches, applies)
  }
  const due = earliestDue(dc, candidates, anchor, anchorKind !== 'session', {
    days: countingDays,
    startDay: start.day,
    refDay: todayDay,
  })
  let status: RequirementCompliance['status'] = 'compliant'
  if (due !== null) {
    if (todayDay > due.day) status = last === null ? 'never-supervised' : 'overdue'
    else if (due.day - todayDay <= context.dueSoonDays) status = 'due-soon'
  }
  return {
    compliance: {
      requirementId: requirement.id,
      description: requirement.description,
      status,
      lastSession: last === null ? null : dc.iso(last),
      nextDue: due === null ? null : dc.iso(due.day),
      dueBecause: context.standingOnly
        ? ''
        : due === null
          ? 'The policy sets no minimum frequency, and none has been agreed for this person'
          : explainDue(dc, due, anchor, anchorKind),
      dueSource: due === null ? null : due.candidate.source,
    },
    dueDay: due === null ? null : due.day,
  }
}

function escalationState(
  dc: DayCalendar,
  chain: EscalationChain,
  dueDay: number,
  todayDay: number,
  about: string,
): EscalationState | null {
  let reached: { step: EscalationChain['steps'][number]; day: number } | null = null
  for (const step of chain.steps) {
    const day = step.afterWorkingDays === 0 ? dueDay + 1 : dc.addWorkingDays(dueDay, step.afterWorkingDays)
    if (day <= todayDay) reached = { step, day }
  }
  if (reached === null) return null
  const { step, day } = reached
  const repeats = step.repeatEveryWorkingDays
    ? Math.floor(dc.workingDaysBetween(day, todayDay) / step.repeatEveryWorkingDays)
    : 0
  return {
    chainId: chain.id,
    trigger: chain.trigger,
    stepId: step.id,
    target: step.target,
    action: step.action,
    since: dc.iso(day),
    repeats,
    about,
  }
}

function assessRebookings(
  context: Context,
  person: Person,
): { breaches: Breach[]; open: OpenRebooking[]; escalations: EscalationState[] } {
  const { dc, todayDay } = context
  const breaches: Breach[] = []
  const open: OpenRebooking[] = []
  const escalations: EscalationState[] = []
  const cancellations = [...(context.cancellations.get(person.id) ?? [])].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  )
  for (const cancellation of cancellations) {
    const policy = versionAt(context, dc.day(cancellation.date))
    if (policy === null) continue
    const decision = rebookingDecision(dc, policy, cancellation)
    if (!decision.applies) continue
    const what = describeCancelled(dc, policy, cancellation)
    if (decision.asSoonAsPossible) {
      if (cancellation.rebookedFor !== null) continue
      const warning = decision.warnFrom !== null && todayDay >= decision.warnFrom
      const waited =
        decision.awaitingReturn || decision.warnFrom === null
          ? ''
          : ` (${dc.workingDaysBetween(dc.day(cancellation.date), todayDay)} working days since it was due)`
      open.push({
        cancellationId: cancellation.id,
        sessionId: cancellation.sessionId,
        sessionDate: cancellation.date,
        deadline: null,
        asSoonAsPossible: true,
        warnFrom: decision.warnFrom === null ? null : dc.iso(decision.warnFrom),
        warning,
        message: decision.awaitingReturn
          ? `${what} must be rebooked as soon as possible after ${person.name} returns`
          : warning
            ? `${what} has still not been rebooked${waited}: rebook it as soon as possible`
            : `${what} must be rebooked as soon as possible`,
      })
      if (warning && context.current) {
        // The warning day plays the part of a missed deadline for the rebooking escalation chain.
        for (const chain of context.current.escalation) {
          if (chain.trigger !== 'rebooking-deadline-missed') continue
          const state = escalationState(
            dc,
            chain,
            (decision.warnFrom as number) - 1,
            todayDay,
            `${what} has still not been rebooked`,
          )
          if (state) escalations.push(state)
        }
      }
      continue
    }
    if (decision.deadline === null) {
      if (cancellation.rebookedFor === null) {
        open.push({
          cancellationId: cancellation.id,
          sessionId: cancellation.sessionId,
          sessionDate: cancellation.date,
          deadline: null,
          asSoonAsPossible: false,
          warnFrom: null,
          warning: false,
          message: `${what} must be rebooked soon after ${person.name} returns: record their return date to set the deadline`,
        })
      }
      continue
    }
    const deadline = dc.iso(decision.deadline)
    const rebookedDay = cancellation.rebookedFor === null ? null : dc.day(cancellation.rebookedFor)
    if (rebookedDay !== null && rebookedDay <= decision.deadline) continue
    if (rebookedDay === null && todayDay <= decision.deadline) {
      open.push({
        cancellationId: cancellation.id,
        sessionId: cancellation.sessionId,
        sessionDate: cancellation.date,
        deadline,
        asSoonAsPossible: false,
        warnFrom: null,
        warning: false,
        message: `${what} must be rebooked for a date on or before ${formatLongDate(deadline)}`,
      })
      continue
    }
    const message =
      rebookedDay === null
        ? `${what} was not rebooked by the deadline of ${formatLongDate(deadline)}`
        : `${what} was rebooked for ${formatLongDate(cancellation.rebookedFor as IsoDate)}, after the deadline of ${formatLongDate(deadline)}`
    breaches.push({
      kind: 'rebooking-deadline-missed',
      cancellationId: cancellation.id,
      sessionId: cancellation.sessionId,
      sessionDate: cancellation.date,
      deadline,
      rebookedFor: cancellation.rebookedFor,
      message,
    })
    if (rebookedDay === null && context.current) {
      for (const chain of context.current.escalation) {
        if (chain.trigger !== 'rebooking-deadline-missed') continue
        const state = escalationState(dc, chain, decision.deadline, todayDay, message)
        if (state) escalations.push(state)
      }
    }
  }
  return { breaches, open, escalations }
}

function frameworkGaps(
  context: Context,
  policy: PolicyDocument,
  decision: ScopeDecision,
  held: HeldSessions,
): FrameworkGap[] {
  const { dc, todayDay } = context
  const gaps: FrameworkGap[] = []
  for (const framework of policy.frameworks) {
    if (!framework.tagSessions || framework.coverageLookback === null) continue
    const lookback = framework.coverageLookback
    const windowStart = dc.addDuration(todayDay, { amount: -lookback.amount, unit: lookback.unit })
    // Only flag someone who has been in scope for the whole window.
    const inScopeFrom = decision.inScopeFrom === null ? null : dc.day(decision.inScopeFrom)
    // LH-02: and under versions that asked for the framework all along: a new version that keeps it
    // does not restart the window (which used to hide every gap after each publication).
    const taggedSince = frameworkTaggedSince(context.versions, framework.id, context.today)
    if (
      (inScopeFrom !== null && inScopeFrom > windowStart) ||
      taggedSince === null ||
      dc.day(taggedSince) > windowStart
    )
      continue
    const covered = new Set<string>()
    for (let i = held.length - 1; i >= 0; i--) {
      const index = held[i] as number
      if ((context.sessionDays[index] as number) <= windowStart) break
      for (const tag of context.sessionFacts[index]?.tags ?? []) covered.add(tag)
    }
    const missing = framework.items.filter((item) => !covered.has(item.id))
    if (missing.length === 0) continue
    gaps.push({
      frameworkId: framework.id,
      itemIds: missing.map((item) => item.id),
      message: `Not covered in the last ${describeDuration(lookback)}: ${listWithAnd(missing.map((item) => lowerFirst(item.name)))}`,
    })
  }
  return gaps
}
