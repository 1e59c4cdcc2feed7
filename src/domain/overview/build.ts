/**
 * The overview from facts (issue 9): every figure on the DSL's overview and the list behind it.
 * Pure: the caller passes "today" and the facts; compliance comes from the engine
 * (assessCompliance), actions are judged by the records domain (isOverdue, isDrifting).
 *
 * Definitions (each figure counts the entries of its list):
 * - In scope: people the policy says must be supervised today. Up to date: in scope and compliant
 *   or due soon. Percentage compliant: up to date over in scope, rounded down (so 299 of 300 is
 *   99%, never 100%).
 * - Overdue: status overdue (supervised before, now past the due date). Never supervised is its
 *   own figure. Due soon: due within the next 14 days (the engine's due-soon window).
 * - Rebooking at risk (CA-03): an open rebooking, for someone still on the staff, whose deadline is
 *   within 2 working days of today; with an "as soon as possible" rule, whose warning day is (the
 *   warning day is shown as the date to rebook by). Missed: a rebooking-deadline-missed breach whose deadline fell
 *   in the last 12 months.
 * - Records awaiting a signature: records completed and waiting for signatures; waiting
 *   for the required signers (the policy's recording.signedBy, both parties when silent) who
 *   have no current signature.
 * - Contracts unsigned (MW-02): contracts issued and not yet signed by every party the policy asks.
 * - Overdue actions: open actions whose due date has passed. Drifting: carried forward at two
 *   sessions running (records domain).
 * - Supervisors (LH-08, PL-05): anyone who led a held session in the last 12 months, is the line
 *   manager of someone on the staff, or is someone's current supervisor; leavers and external
 *   supervisors (their own body trains and supervises them) are left out. Untrained: no recorded
 *   supervisor training. Not supervised: no held session as a supervisee in the last 12 months
 *   (in any school of the organisation), or their own compliance status is overdue or never
 *   supervised.
 * - Balance of functions (LH-02, AM-01, PL-01): for each framework the policy tags sessions with,
 *   the items each supervisee's held sessions of the last 12 months covered (the session's tags
 *   and the framework tags ticked on its record). An item not covered is flagged only for someone
 *   in scope for the whole 12 months under a policy in force for all of it, as the engine does.
 * - Supervisor load: sessions led (held or planned) per half term of the current academic year; a
 *   half term runs from its first day to the day before the next one starts, so a session in the
 *   holiday counts with the half term before it. Over the limit: the busiest week (Monday to
 *   Sunday) of today's half term has more sessions than the weekly limit.
 */

import {
  academicYearIdFor,
  addDays,
  addMonths,
  addWorkingDays,
  isoWeekday,
  parseAcademicYearId,
  periodsFor,
} from '../calendar/index.ts'
import type { ComplianceStatus, PersonCompliance, SessionFact } from '../compliance/index.ts'
import { partiesStillToSign } from '../contracts/access.ts'
import { contractSigners } from '../contracts/signers.ts'
import type { IsoDate, Person } from '../people/person.ts'
import type { Duration, Party } from '../policy/model.ts'
import { policyReview, subtractDuration } from '../policy/time.ts'
import { TrainingState, trainingStatus } from '../policy/training.ts'
import { frameworkTaggedSince } from '../policy/versions.ts'
import { carriedForwardRun, isDrifting, isOverdue } from '../records/actions.ts'
import {
  type ActionEntry,
  type ActionFact,
  atRiskWorkingDays,
  type Balance,
  type BalanceRow,
  type BalanceTerm,
  type ContractEntry,
  type Load,
  type LoadRow,
  lookbackMonths,
  type Overview,
  type OverviewFacts,
  type OverviewFigures,
  type OverviewSummary,
  type PersonEntry,
  type RebookingEntry,
  type RecordEntry,
  type SupervisorEntry,
  type SupervisorRole,
} from './model.ts'

export { frameworkTaggedSince }

const bothParties: readonly Party[] = ['supervisee', 'supervisor']

function byName<T extends { name: string; id?: string }>(a: T, b: T): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1
  return (a.id ?? '') < (b.id ?? '') ? -1 : (a.id ?? '') > (b.id ?? '') ? 1 : 0
}

function byDate(a: IsoDate | null, b: IsoDate | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

/** The first day of the window "the last 12 months": a date must be after it (and not after today). */
export function windowStartFor(today: IsoDate): IsoDate {
  return addMonths(today, -lookbackMonths)
}

function isCurrent(person: { endDate: IsoDate | null }, today: IsoDate): boolean {
  return person.endDate === null || person.endDate >= today
}

function isRecentHeld(session: SessionFact, windowStart: IsoDate, today: IsoDate): boolean {
  return session.status === 'held' && session.date > windowStart && session.date <= today
}

type SupervisorFacts = Pick<OverviewFacts, 'today' | 'people' | 'sessions' | 'assignments'>

/**
 * Who counts as a supervisor (LH-08), and why: led a held session in the last 12 months, line
 * manager of someone on the staff, or someone's current supervisor. The service asks this first,
 * to know whose own supervision to look up.
 */
export function supervisorRoles(facts: SupervisorFacts): Map<string, Set<SupervisorRole>> {
  const { today } = facts
  const windowStart = windowStartFor(today)
  const roles = new Map<string, Set<SupervisorRole>>()
  const add = (id: string, role: SupervisorRole) => {
    const set = roles.get(id)
    if (set) set.add(role)
    else roles.set(id, new Set([role]))
  }
  for (const session of facts.sessions) {
    if (!isRecentHeld(session, windowStart, today)) continue
    for (const id of session.supervisorIds) add(id, 'supervised')
  }
  const current = new Set(facts.people.filter((p) => isCurrent(p, today)).map((p) => p.id))
  for (const person of facts.people) {
    if (current.has(person.id) && person.lineManagerId) add(person.lineManagerId, 'line-manager')
  }
  for (const assignment of facts.assignments) {
    if (assignment.kind === 'supervisor' && current.has(assignment.superviseeId))
      add(assignment.supervisorId, 'current-supervisor')
  }
  return roles
}

/** Every person id the facts name who is not one of the school's people (to look up their names). */
export function otherPersonIds(
  facts: Pick<OverviewFacts, 'people' | 'sessions' | 'assignments' | 'contracts' | 'actions'>,
): string[] {
  const own = new Set(facts.people.map((p) => p.id))
  const ids = new Set<string>()
  const note = (id: string | null) => {
    if (id !== null && !own.has(id)) ids.add(id)
  }
  for (const s of facts.sessions) {
    for (const id of s.supervisorIds) note(id)
    for (const id of s.superviseeIds) note(id)
  }
  for (const p of facts.people) note(p.lineManagerId)
  for (const a of facts.assignments) {
    note(a.supervisorId)
    note(a.superviseeId)
  }
  for (const c of facts.contracts) {
    note(c.supervisorId)
    note(c.superviseeId)
  }
  for (const a of facts.actions) note(a.ownerPersonId)
  return [...ids].sort()
}

/** Up to date: in scope and compliant or due soon (not overdue, not never supervised). */
export function isUpToDate(status: ComplianceStatus): boolean {
  return status === 'compliant' || status === 'due-soon'
}

/**
 * In scope, up to date, and up to date as a whole percentage of in scope, rounded down (299 of 300
 * is 99%, never 100%); null when no one is in scope. The overview's headline, and the governors'
 * report's for any group of people (issue 16).
 */
export function complianceFigures(
  compliance: readonly Pick<PersonCompliance, 'required' | 'status'>[],
): Pick<OverviewFigures, 'inScope' | 'upToDate' | 'percentCompliant'> {
  const required = compliance.filter((c) => c.required)
  const upToDate = required.filter((c) => isUpToDate(c.status)).length
  return {
    inScope: required.length,
    upToDate,
    percentCompliant: required.length === 0 ? null : Math.floor((upToDate * 100) / required.length),
  }
}

/**
 * Every supervisor (LH-08, PL-05) as the overview counts them, with whether each is untrained and
 * whether each is not themselves supervised: the overview lists the two, the governors' report
 * counts all three (issue 16).
 */
export function supervisorStanding(facts: OverviewFacts): {
  all: SupervisorEntry[]
  untrained: SupervisorEntry[]
  unsupervised: SupervisorEntry[]
  expiring: SupervisorEntry[]
} {
  return supervisorEntries(
    facts,
    new Map(facts.people.map((p) => [p.id, p])),
    new Map(facts.compliance.map((c) => [c.personId, c])),
    windowStartFor(facts.today),
  )
}

/**
 * The balance of functions alone (LH-02), as buildOverview works it out: the governors' report
 * shows it and nothing else of the overview's lists, so it does not build the rest. Nor does it
 * work out the term-by-term detail the overview's table shows (each framework's `terms` and each
 * row's `byTerm` are left empty): the report counts people and items over the whole look-back.
 */
export function balanceOfFunctions(facts: OverviewFacts): Balance {
  return balanceOf(
    facts,
    facts.compliance.filter((c) => c.required),
    windowStartFor(facts.today),
    false,
  )
}

export function buildOverview(facts: OverviewFacts): Overview {
  const { today, policy } = facts
  const windowStart = windowStartFor(today)
  const names = new Map<string, string>()
  for (const p of facts.others) names.set(p.id, p.name)
  for (const p of facts.people) names.set(p.id, p.name)
  const nameOf = (id: string) => names.get(id) ?? 'Someone no longer in Haven'
  const peopleById = new Map(facts.people.map((p) => [p.id, p]))
  const sessionsById = new Map(facts.sessions.map((s) => [s.id, s]))
  const complianceById = new Map(facts.compliance.map((c) => [c.personId, c]))

  // Who supervises whom now: the current supervisor, else the line manager.
  const supervisorOf = new Map<string, string>()
  for (const p of facts.people) if (p.lineManagerId) supervisorOf.set(p.id, p.lineManagerId)
  for (const a of facts.assignments) if (a.kind === 'supervisor') supervisorOf.set(a.superviseeId, a.supervisorId)

  const required = facts.compliance.filter((c) => c.required)
  const people: PersonEntry[] = required.map((c) => personEntry(c, peopleById.get(c.personId), supervisorOf, nameOf))
  const count = (status: ComplianceStatus) => required.filter((c) => c.status === status).length
  const standing = complianceFigures(facts.compliance)

  const { atRisk, missed } = rebookings(facts, windowStart)
  const records = recordEntries(facts, sessionsById, nameOf)
  const contracts = contractEntries(facts, nameOf)
  const { overdue: overdueActions, drifting } = actionEntries(facts, sessionsById, nameOf)
  const { untrained, unsupervised, expiring } = supervisorEntries(facts, peopleById, complianceById, windowStart)
  const balance = balanceOf(facts, required, windowStart)
  const load = loadOf(facts, nameOf)

  const current = load.currentPeriodIndex
  const figures: OverviewFigures = {
    ...standing,
    overdue: count('overdue'),
    dueSoon: count('due-soon'),
    neverSupervised: count('never-supervised'),
    rebookingsAtRisk: atRisk.length,
    rebookingsMissed: missed.length,
    recordsAwaitingSignature: records.length,
    contractsUnsigned: contracts.length,
    overdueActions: overdueActions.length,
    driftingActions: drifting.length,
    supervisorsUntrained: untrained.length,
    supervisorsTrainingExpiring: expiring.length,
    supervisorsUnsupervised: unsupervised.length,
    frameworkGaps: new Set(balance.frameworks.flatMap((f) => f.rows.filter((r) => r.flagged).map((r) => r.personId)))
      .size,
    supervisorsOverLimit:
      current === null ? 0 : load.rows.filter((r) => (r.busiestWeek[current] ?? 0) > load.maxPerWeek.value).length,
  }
  const review = policy ? policyReview(policy, today) : null
  const summary: OverviewSummary = {
    today,
    school: facts.school,
    policyVersion: policy?.version ?? null,
    headteacherFeedback: policy?.recording.headteacherFeedback ?? null,
    figures,
    statusCounts: (['compliant', 'due-soon', 'overdue', 'never-supervised'] as const).map((status) => ({
      status,
      count: count(status),
    })),
    policyReview:
      review && (review.state === 'review-soon' || review.state === 'overdue')
        ? { state: review.state, nextReviewDue: review.nextReviewDue, message: review.message }
        : null,
  }
  return {
    summary,
    lists: {
      people,
      rebookingsAtRisk: atRisk,
      rebookingsMissed: missed,
      recordsAwaitingSignature: records,
      contractsUnsigned: contracts,
      overdueActions,
      driftingActions: drifting,
      supervisorsUntrained: untrained,
      supervisorsTrainingExpiring: expiring,
      supervisorsUnsupervised: unsupervised,
      balance,
      load,
    },
  }
}

function personEntry(
  c: PersonCompliance,
  person: Person | undefined,
  supervisorOf: ReadonlyMap<string, string>,
  nameOf: (id: string) => string,
): PersonEntry {
  const supervisor = supervisorOf.get(c.personId)
  return {
    id: c.personId,
    name: c.name,
    jobTitle: person?.jobTitle ?? '',
    status: c.status,
    lastSession: c.lastSession,
    nextDue: c.nextDue,
    supervisorName: supervisor ? nameOf(supervisor) : null,
  }
}

function rebookings(
  facts: OverviewFacts,
  windowStart: IsoDate,
): { atRisk: RebookingEntry[]; missed: RebookingEntry[] } {
  const { today } = facts
  const riskLimit = addWorkingDays(facts.calendar, today, atRiskWorkingDays)
  const current = new Set(facts.people.filter((p) => isCurrent(p, today)).map((p) => p.id))
  const atRisk: RebookingEntry[] = []
  const missed: RebookingEntry[] = []
  for (const c of facts.compliance) {
    if (!current.has(c.personId)) continue
    for (const open of c.openRebookings) {
      // "As soon as possible" (issue 14): at risk once its warning day is as close as a deadline would be.
      const deadline = open.deadline ?? (open.asSoonAsPossible ? open.warnFrom : null)
      if (deadline === null || deadline > riskLimit) continue
      atRisk.push({
        personId: c.personId,
        personName: c.name,
        sessionId: open.sessionId,
        sessionDate: open.sessionDate,
        deadline,
        rebookedFor: null,
      })
    }
    for (const breach of c.breaches) {
      if (breach.kind !== 'rebooking-deadline-missed' || breach.deadline <= windowStart) continue
      missed.push({
        personId: c.personId,
        personName: c.name,
        sessionId: breach.sessionId,
        sessionDate: breach.sessionDate,
        deadline: breach.deadline,
        rebookedFor: breach.rebookedFor,
      })
    }
  }
  const order = (a: RebookingEntry, b: RebookingEntry) =>
    byDate(a.deadline, b.deadline) || (a.personName < b.personName ? -1 : a.personName > b.personName ? 1 : 0)
  return { atRisk: atRisk.sort(order), missed: missed.sort(order) }
}

function recordEntries(
  facts: OverviewFacts,
  sessionsById: ReadonlyMap<string, SessionFact>,
  nameOf: (id: string) => string,
): RecordEntry[] {
  const signedBy = facts.policy?.recording.signedBy.length ? facts.policy.recording.signedBy : bothParties
  const entries: RecordEntry[] = []
  for (const record of facts.records) {
    const session = sessionsById.get(record.sessionId)
    if (!session) continue
    const required = [
      ...(signedBy.includes('supervisor') ? session.supervisorIds : []),
      ...(signedBy.includes('supervisee') ? session.superviseeIds : []),
    ]
    const signed = new Set(record.signedPersonIds)
    entries.push({
      id: record.id,
      sessionId: session.id,
      sessionDate: session.date,
      completedOn: record.completedOn,
      supervisorNames: session.supervisorIds.map(nameOf),
      superviseeNames: session.superviseeIds.map(nameOf),
      waitingFor: [...new Set(required.filter((id) => !signed.has(id)))].map(nameOf),
    })
  }
  return entries.sort((a, b) => byDate(a.sessionDate, b.sessionDate) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function contractEntries(facts: OverviewFacts, nameOf: (id: string) => string): ContractEntry[] {
  return facts.contracts
    .map((c) => ({
      id: c.id,
      superviseeId: c.superviseeId,
      superviseeName: nameOf(c.superviseeId),
      supervisorName: nameOf(c.supervisorId),
      academicYear: c.academicYear,
      issuedOn: c.issuedOn,
      waitingFor: partiesStillToSign(
        contractSigners(facts.policy?.contract?.signedBy, c.signing),
        c.signedRoles.map((role) => ({ role, personId: role === 'supervisee' ? c.superviseeId : c.supervisorId })),
      ),
    }))
    .filter((c) => c.waitingFor.length > 0)
    .sort((a, b) => byDate(a.issuedOn, b.issuedOn) || byName({ name: a.superviseeName }, { name: b.superviseeName }))
}

function actionEntries(
  facts: OverviewFacts,
  sessionsById: ReadonlyMap<string, SessionFact>,
  nameOf: (id: string) => string,
): { overdue: ActionEntry[]; drifting: ActionEntry[] } {
  const overdue: ActionEntry[] = []
  const drifting: ActionEntry[] = []
  const entryOf = (action: ActionFact): ActionEntry => {
    const session = sessionsById.get(action.sessionId)
    return {
      id: action.id,
      recordId: action.recordId,
      sessionId: action.sessionId,
      raisedOn: session?.date ?? null,
      ownerName: action.ownerName || (action.ownerPersonId ? nameOf(action.ownerPersonId) : ''),
      dueOn: action.dueOn,
      status: action.status,
      carriedForwardRun: carriedForwardRun(action.history),
      supervisorNames: (session?.supervisorIds ?? []).map(nameOf),
      superviseeNames: (session?.superviseeIds ?? []).map(nameOf),
    }
  }
  for (const action of facts.actions) {
    const late = isOverdue({ status: action.status, dueOn: action.dueOn }, facts.today)
    const drifts = action.status === 'carried-forward' && isDrifting(action.history)
    if (!late && !drifts) continue
    const entry = entryOf(action)
    if (late) overdue.push(entry)
    if (drifts) drifting.push(entry)
  }
  overdue.sort((a, b) => byDate(a.dueOn, b.dueOn) || byDate(a.raisedOn, b.raisedOn) || (a.id < b.id ? -1 : 1))
  drifting.sort(
    (a, b) => b.carriedForwardRun - a.carriedForwardRun || byDate(a.raisedOn, b.raisedOn) || (a.id < b.id ? -1 : 1),
  )
  return { overdue, drifting }
}

function supervisorEntries(
  facts: OverviewFacts,
  peopleById: ReadonlyMap<string, Person>,
  complianceById: ReadonlyMap<string, PersonCompliance>,
  windowStart: IsoDate,
): {
  all: SupervisorEntry[]
  untrained: SupervisorEntry[]
  unsupervised: SupervisorEntry[]
  expiring: SupervisorEntry[]
} {
  const others = new Map(facts.others.map((p) => [p.id, p]))
  const all: SupervisorEntry[] = []
  const untrained: SupervisorEntry[] = []
  const expiring: SupervisorEntry[] = []
  const unsupervised: SupervisorEntry[] = []
  for (const [id, roles] of supervisorRoles(facts)) {
    const person = peopleById.get(id) ?? others.get(id)
    if (!person) continue
    if (!isCurrent(person, facts.today) || person.employmentType === 'external') continue
    const compliance = complianceById.get(id)
    const status = compliance && compliance.status !== 'not-required' ? compliance.status : null
    const last = facts.lastSupervisedOn.get(id) ?? null
    const entry: SupervisorEntry = {
      id,
      name: person.name,
      jobTitle: person.jobTitle,
      roles: (['supervised', 'line-manager', 'current-supervisor'] as const).filter((r) => roles.has(r)),
      trainedOn: person.supervisorTrainedOn,
      lastSupervisedOn: last,
      status,
    }
    // LH-08: training runs out after the policy's refresh period; run out counts as untrained.
    const training = trainingStatus(person.supervisorTrainedOn, facts.policy?.supervisors ?? null, facts.today)
    entry.trainingExpiresOn = training.expiresOn
    all.push(entry)
    if (training.state === TrainingState.None || training.state === TrainingState.Expired) untrained.push(entry)
    if (training.state === TrainingState.ExpiringSoon) expiring.push(entry)
    const recent = last !== null && last > windowStart && last <= facts.today
    if (!recent || status === 'overdue' || status === 'never-supervised') unsupervised.push(entry)
  }
  return {
    all: all.sort(byName),
    untrained: untrained.sort(byName),
    unsupervised: unsupervised.sort(byName),
    expiring: expiring.sort(byName),
  }
}

const defaultLookback: Duration = { amount: lookbackMonths, unit: 'months' }

function balanceOf(
  facts: OverviewFacts,
  required: readonly PersonCompliance[],
  windowStart: IsoDate,
  /** False leaves out the term-by-term detail (balanceOfFunctions). */
  byTerms = true,
): Balance {
  const { policy, today } = facts
  const frameworks = policy?.frameworks.filter((f) => f.tagSessions) ?? []
  if (frameworks.length === 0) return { windowStart, frameworks: [] }
  const versions = facts.policyVersions ?? (policy ? [policy] : [])
  return {
    windowStart,
    frameworks: frameworks.map((framework) => {
      // LH-02: the policy's own look-back, else the overview's 12 months.
      const lookback = framework.coverageLookback ?? defaultLookback
      const start = subtractDuration(today, lookback, facts.calendar)
      const terms: BalanceTerm[] = byTerms
        ? periodsFor(facts.calendar, 'term', addDays(start, 1), today).map((p) => ({
            id: p.id,
            name: p.name,
            start: p.start,
            end: p.end,
          }))
        : []
      const termOf = (date: IsoDate) => terms.findIndex((t) => date >= t.start && date <= t.end)
      const received = new Map<
        string,
        { sessions: number; tags: Set<string>; byTerm: { sessions: number; tags: Set<string> }[] }
      >()
      for (const session of facts.sessions) {
        if (!isRecentHeld(session, start, today)) continue
        const tags = [...(session.tags ?? []), ...(facts.recordTags.get(session.id) ?? [])]
        const term = termOf(session.date)
        for (const id of session.superviseeIds) {
          let entry = received.get(id)
          if (!entry) {
            entry = {
              sessions: 0,
              tags: new Set(),
              byTerm: terms.map(() => ({ sessions: 0, tags: new Set<string>() })),
            }
            received.set(id, entry)
          }
          entry.sessions++
          for (const tag of tags) entry.tags.add(tag)
          const inTerm = term >= 0 ? entry.byTerm[term] : undefined
          if (inTerm) {
            inTerm.sessions++
            for (const tag of tags) inTerm.tags.add(tag)
          }
        }
      }
      const since = frameworkTaggedSince(versions, framework.id, today)
      const policyCoversWindow = since !== null && since <= start
      const rows: BalanceRow[] = required.map((c) => {
        const got = received.get(c.personId)
        const covered = framework.items.filter((item) => got?.tags.has(item.id)).map((item) => item.id)
        const missing = framework.items.filter((item) => !got?.tags.has(item.id)).map((item) => item.id)
        const wholeWindow = c.inScopeFrom === null || c.inScopeFrom <= start
        return {
          personId: c.personId,
          name: c.name,
          sessions: got?.sessions ?? 0,
          covered,
          missing,
          flagged: missing.length > 0 && wholeWindow && policyCoversWindow,
          byTerm: terms.map((_, i) => {
            const t = got?.byTerm[i]
            return {
              sessions: t?.sessions ?? 0,
              covered: framework.items.filter((item) => t?.tags.has(item.id)).map((item) => item.id),
            }
          }),
        }
      })
      return {
        id: framework.id,
        name: framework.name,
        windowStart: start,
        lookback,
        terms,
        items: framework.items.map((item) => ({
          id: item.id,
          name: item.name,
          coveredBy: rows.filter((r) => r.covered.includes(item.id)).length,
        })),
        rows,
      }
    }),
  }
}

/** Monday of the week a date falls in. */
function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, 1 - isoWeekday(date))
}

function loadOf(facts: OverviewFacts, nameOf: (id: string) => string): Load {
  const { today } = facts
  const academicYear = academicYearIdFor(today)
  const bounds = parseAcademicYearId(academicYear)
  const periods = bounds
    ? periodsFor(facts.calendar, 'half-term', bounds.start, bounds.end).map((p) => ({
        id: p.id,
        name: p.name,
        start: p.start,
        end: p.end,
      }))
    : []
  let currentPeriodIndex: number | null = null
  for (let i = 0; i < periods.length; i++) if (periods[i]!.start <= today) currentPeriodIndex = i
  // A half term reaches to the day before the next begins (the holiday after it counts with it).
  const reach = periods.map((p, i) =>
    i + 1 < periods.length ? addDays(periods[i + 1]!.start, -1) : (bounds?.end ?? p.end),
  )
  const periodOf = (date: IsoDate): number => {
    if (periods.length === 0 || date < periods[0]!.start) return -1
    for (let i = 0; i < periods.length; i++) if (date <= reach[i]!) return i
    return -1
  }
  const rows = new Map<string, { counts: number[]; weeks: Map<string, number>[] }>()
  for (const session of facts.sessions) {
    if (session.status !== 'held' && session.status !== 'planned') continue
    const index = periodOf(session.date)
    if (index < 0) continue
    const week = mondayOf(session.date)
    for (const id of new Set(session.supervisorIds)) {
      let row = rows.get(id)
      if (!row) {
        row = { counts: periods.map(() => 0), weeks: periods.map(() => new Map()) }
        rows.set(id, row)
      }
      row.counts[index] = (row.counts[index] ?? 0) + 1
      const weeks = row.weeks[index]!
      weeks.set(week, (weeks.get(week) ?? 0) + 1)
    }
  }
  const loadRows: LoadRow[] = [...rows]
    .map(([supervisorId, row]) => ({
      supervisorId,
      name: nameOf(supervisorId),
      counts: row.counts,
      busiestWeek: row.weeks.map((weeks) => Math.max(0, ...weeks.values())),
    }))
    .sort((a, b) => byName({ name: a.name, id: a.supervisorId }, { name: b.name, id: b.supervisorId }))
  return { academicYear, periods, currentPeriodIndex, maxPerWeek: facts.maxPerWeek, rows: loadRows }
}
