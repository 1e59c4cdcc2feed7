/**
 * The facts behind the home page's next steps (issue 18), gathered for one person and handed to
 * the pure `homeBlocks` (src/domain/home). It reuses the counts the rest of Haven keeps: the
 * overview's figures (passed in from the overview already read for the page), the requests
 * waiting, the decision queue and the open case escalations.
 */
import type { Db } from '../../db/database.ts'
import { completedRecordsUnsignedBy, sessionsNear, setupCounts } from '../../db/repositories/home.ts'
import type { RequestActor } from '../../domain/access/actor.ts'
import { can, Permission } from '../../domain/access/permissions.ts'
import { sessionRecorder } from '../../domain/access/records.ts'
import { academicYearIdFor, addDays, type IsoDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import {
  type DslFacts,
  type HomeBlocks,
  homeBlocks,
  type PersonFacts,
  type PersonSession,
  type RecordToSign,
  recordsToWriteWithinDays,
  type SetupFacts,
} from '../../domain/home/next-steps.ts'
import type { OverviewFigures } from '../../domain/overview/index.ts'
import { managesSessions } from '../../domain/scheduling/index.ts'
import { storedYearIds } from '../calendar/store.ts'
import { decisionsPending } from '../children/decisions.ts'
import { NoPolicyError } from '../compliance/school-compliance.ts'
import { openCaseEscalationCount } from '../escalations/case-escalations.ts'
import { type OverviewSchool, overviewWithLists } from '../overview/overview.ts'
import { policyBook, policyBooks } from '../policy/on-date.ts'
import { ownSupervisees, supervisorOf } from '../sessions/context.ts'
import { openRequestCount } from '../sessions/requests.ts'
import { schoolsOf } from '../staff/schools.ts'

export interface HomeInput {
  actor: RequestActor
  today: IsoDate
  /** The school the page's overview is about (or the person's own), null when none. */
  school: OverviewSchool | null
  /** The overview's figures already read for the page; null when the person does not see them or there is no policy. */
  figures: OverviewFigures | null
}

/** The year a school is set up for: the academic year today is in. */
function yearOf(today: IsoDate): { id: string; start: IsoDate; end: IsoDate } {
  const id = academicYearIdFor(today)
  const start = parseAcademicYearId(id)!.startYear
  return { id, start: `${String(start)}-09-01`, end: `${String(start + 1)}-08-31` }
}

async function personFacts(db: Db, actor: RequestActor, today: IsoDate, requestsWaiting: number): Promise<PersonFacts> {
  const schoolIds = (await schoolsOf(db, actor.organisationId)).map((s) => s.id)
  const [sessions, unsigned, supervisees, supervisor] = await Promise.all([
    sessionsNear(
      db,
      actor.organisationId,
      schoolIds,
      actor.personId,
      addDays(today, -recordsToWriteWithinDays),
      addDays(today, 120),
    ),
    completedRecordsUnsignedBy(db, schoolIds, actor.personId),
    ownSupervisees(db, actor.personId),
    supervisorOf(db, actor.organisationId, actor.personId),
  ])
  const bookOf = policyBooks(db)
  const mine: PersonSession[] = []
  for (const s of sessions) {
    const book = await bookOf(s.schoolId)
    const me = s.participants.find((p) => p.personId === actor.personId)
    // The one rule the record page asks (ADR 0042): the session's choice, else its relationships'.
    const recorder = sessionRecorder({
      date: s.date,
      supervisorIds: s.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId),
      superviseeIds: s.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId),
      recorderId: s.recorderId,
      relationships: s.relationships,
    })
    // Named on a relationship of a session whose relationships name someone else too: not theirs.
    if (!me && recorder !== actor.personId) continue
    const role = me?.role ?? 'recorder'
    // The supervisors write the record unless it names someone else, who then does.
    const writesRecord = recorder === null ? role === 'supervisor' : recorder === actor.personId
    mine.push({
      id: s.id,
      date: s.date,
      startTime: s.startTime,
      typeName: book.typeName(s.typeId, s.date),
      status: s.status,
      role,
      withNames: s.participants.filter((p) => p.personId !== actor.personId).map((p) => p.name),
      writesRecord,
      recordStatuses: s.recordStatuses,
      preparedBy: s.preparedBy.filter((p) => p.personId !== actor.personId).map((p) => p.name),
      preparedByMe: s.preparedBy.some((p) => p.personId === actor.personId),
    })
  }
  const recordsToSign: RecordToSign[] = []
  for (const r of unsigned) {
    const book = await bookOf(r.schoolId)
    const signedBy = book.on(r.date)?.recording.signedBy ?? []
    // The policy's signers, both parties when it names none (as the record's own page decides).
    if (signedBy.length > 0 && !signedBy.includes(r.role)) continue
    recordsToSign.push({ recordId: r.recordId, date: r.date, typeName: book.typeName(r.typeId, r.date), role: r.role })
  }
  return {
    supervises: supervisees.size > 0,
    supervised: supervisor !== null,
    sessions: mine,
    recordsToSign,
    requestsWaiting,
  }
}

async function setupFacts(db: Db, school: OverviewSchool, today: IsoDate): Promise<SetupFacts> {
  const year = yearOf(today)
  const [policy, saved, counts] = await Promise.all([
    policyBook(db, school.id),
    storedYearIds(db, school.id),
    setupCounts(db, school.id, year, today),
  ])
  let inScope: { id: string; supervised: boolean }[] = []
  if (policy.on(today)) {
    try {
      const overview = await overviewWithLists(db, school, today)
      inScope = overview.lists.people
        .filter((p) => p.status !== 'not-required')
        .map((p) => ({ id: p.id, supervised: p.supervisorName !== null }))
    } catch (error) {
      if (!(error instanceof NoPolicyError)) throw error
    }
  }
  return {
    academicYear: year.id,
    policyAdopted: policy.on(today) !== null,
    calendarSaved: saved.has(year.id),
    staffCount: counts.staffCount,
    inScope: inScope.length,
    inScopeWithoutSupervisor: inScope.filter((p) => !p.supervised).length,
    inScopeWithoutSession: inScope.filter((p) => !counts.withSession.has(p.id)).length,
    inScopeWithoutContract: inScope.filter((p) => !counts.withContract.has(p.id)).length,
  }
}

/** The home page's blocks of next steps for the signed-in person. */
export async function homeNextSteps(db: Db, input: HomeInput): Promise<HomeBlocks> {
  const { today, school } = input
  const actor = school ? input.actor.in(school.id) : input.actor
  const requestsWaiting = school ? await openRequestCount(db, school.id, actor) : 0
  const seesCompliance = school !== null && can(actor, Permission.ComplianceRead)
  let dsl: DslFacts | null = null
  if (seesCompliance) {
    const [decisions, escalations] = await Promise.all([
      can(actor, Permission.RecordsReadAll) ? decisionsPending(db, school.id) : Promise.resolve(null),
      actor.roles.includes('dsl') ? openCaseEscalationCount(db, school.id) : Promise.resolve(null),
    ])
    dsl = {
      requestsWaiting: managesSessions(actor) ? requestsWaiting : null,
      decisionsPending: decisions,
      openEscalations: escalations,
      figures: input.figures,
    }
  }
  const setsUp = school !== null && can(actor, Permission.PolicyManage)
  const [person, setup] = await Promise.all([
    personFacts(db, input.actor, today, requestsWaiting),
    setsUp ? setupFacts(db, school, today) : Promise.resolve(null),
  ])
  return homeBlocks({ today, dsl, setup, person })
}
