/**
 * Disputes between supervisor and supervisee (MW-11, AM-05; issue 17). A disagreement recorded
 * with a record that is not resolved books a meeting with the third person named in the
 * supervisee's contract, or with whoever the policy's route names (a team outside the school,
 * with both parties' agreement; the Chair of Governors when the disagreement is with the
 * Principal). Both parties, and a third person in Haven, are told in advance that it has been
 * arranged, with its date and time; the outcome is recorded afterwards. Emails name no content.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { contractsOfSupervisee } from '../../db/repositories/contracts.ts'
import * as disputes from '../../db/repositories/records/disputes.ts'
import { recordInOrganisation } from '../../db/repositories/records/records.ts'
import { currentStaffOfSchool, personInOrganisation } from '../../db/repositories/records/sessions.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import {
  type DisputeMeetingRoute,
  type DisputeOutcome,
  disputeMeetingRoutes,
  disputeOutcomeWords,
} from '../../domain/records/disputes.ts'
import type { PersonValue } from '../../domain/records/entry.ts'
import { paths } from '../../paths/index.ts'
import { formatClockTime, formatLongDateWithWeekday } from '../../presenters/format.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'
import { type SessionInfo, sessionForRecord } from './context.ts'
import { email } from './records.ts'

export type { DisputeMeetingRow } from '../../db/repositories/records/disputes.ts'

interface Actor {
  personId: string
  name: string
  organisationId: string
  ip?: string | null
}

/** The third person the supervisee's contract names for a dispute (MW-11): the newest signed contract first, else an issued one. */
export async function contractNamedThirdPerson(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
): Promise<PersonValue | null> {
  const contracts = await contractsOfSupervisee(db, organisationId, superviseeId, { live: true })
  const ordered = [...contracts.filter((c) => c.status === 'signed'), ...contracts.filter((c) => c.status === 'issued')]
  for (const c of ordered) {
    const named = c.agreed.values.disputeThirdPerson
    if (named && typeof named === 'object' && 'name' in named && typeof named.name === 'string' && named.name !== '')
      return {
        name: named.name,
        personId: 'personId' in named && typeof named.personId === 'string' ? named.personId : null,
      }
  }
  return null
}

/** The routes a meeting about this session's disagreement may follow, with who each is with. */
export async function disputeRoutesFor(
  db: DbOrTrx,
  session: SessionInfo,
  policy: PolicyDocument | null,
  today: IsoDate,
): Promise<{ routes: DisputeMeetingRoute[]; people: { id: string; name: string; jobTitle: string }[] }> {
  const staff = await currentStaffOfSchool(db, session.organisationId, session.schoolId, today)
  const supervisorIds = new Set(session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId))
  const supervisee = session.participants.find((p) => p.role === 'supervisee')
  const supervisorRoles = staff.filter((s) => supervisorIds.has(s.id)).flatMap((s) => s.roles)
  const participantIds = new Set(session.participants.map((p) => p.personId))
  const routes = disputeMeetingRoutes({
    resolution: policy?.disputeResolution ?? null,
    supervisorRoles,
    contractNamedPerson: supervisee
      ? await contractNamedThirdPerson(db, session.organisationId, supervisee.personId)
      : null,
    holdersOf: (role) => staff.filter((s) => s.roles.includes(role) && !participantIds.has(s.id)),
  })
  const people = staff
    .filter((s) => !participantIds.has(s.id))
    .map((s) => ({ id: s.id, name: s.name, jobTitle: s.jobTitle }))
  return { routes, people }
}

export interface MeetingView {
  id: string
  withName: string
  meetingOn: string
  meetingTime: string | null
  /** The date and time as people read them: "Tuesday 12 January 2027 at 3:30pm". */
  whenText: string
  venue: string | null
  bothAgreed: boolean
  outcome: DisputeOutcome | null
  outcomeWords: string | null
  outcomeNote: string | null
  outcomeRecordedAt: Date | null
  version: number
}

/** The record's dispute meetings, for its parties and the DSL. */
export async function disputeMeetingsOf(db: DbOrTrx, schoolId: string, recordId: string): Promise<MeetingView[]> {
  return (await disputes.disputeMeetingsOfRecord(db, schoolId, recordId)).map((m) => ({
    id: m.id,
    withName: m.thirdPartyName,
    meetingOn: m.meetingOn,
    meetingTime: m.meetingTime,
    whenText: meetingWhen(m.meetingOn, m.meetingTime),
    venue: m.venue,
    bothAgreed: m.bothAgreed,
    outcome: m.outcome,
    outcomeWords: m.outcome ? disputeOutcomeWords[m.outcome] : null,
    outcomeNote: m.outcomeNote,
    outcomeRecordedAt: m.outcomeRecordedAt,
    version: m.version,
  }))
}

export type BookingResult =
  | { ok: true; meetingId: string }
  | {
      ok: false
      reason: 'missing' | 'wrong-state' | 'unknown-route' | 'needs-agreement' | 'needs-person' | 'open-meeting'
    }

/**
 * Books a meeting to resolve the record's disagreement (MW-11, AM-05) and tells both parties, and
 * the third person when they are in Haven, in advance: who it is with, the date, the time and
 * the venue.
 */
export async function bookDisputeMeeting(
  db: Db,
  input: {
    recordId: string
    actor: Actor
    stepId: string
    /** Only when the route names nobody: the person chosen. */
    thirdPersonId: string | null
    bothAgreed: boolean
    meetingOn: IsoDate
    meetingTime: string | null
    venue: string | null
    mailer: { baseUrl: string }
    today: IsoDate
  },
): Promise<BookingResult> {
  return db.transaction().execute(async (trx) => {
    const record = await recordInOrganisation(trx, input.actor.organisationId, input.recordId, { forUpdate: true })
    if (!record) return { ok: false, reason: 'missing' } as const
    if (record.disputedAt === null) return { ok: false, reason: 'wrong-state' } as const
    const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
    if (!session) return { ok: false, reason: 'missing' } as const
    const existing = await disputes.disputeMeetingsOfRecord(trx, record.schoolId, record.id)
    if (existing.some((m) => m.outcome === null)) return { ok: false, reason: 'open-meeting' } as const
    const policy = (await policyBook(trx, session.schoolId)).on(session.date)
    const { routes } = await disputeRoutesFor(trx, session, policy, input.today)
    const route = routes.find((r) => r.stepId === input.stepId)
    if (!route) return { ok: false, reason: 'unknown-route' } as const
    if (route.bothPartiesAgree && !input.bothAgreed) return { ok: false, reason: 'needs-agreement' } as const
    let third: { id: string | null; name: string; email: string } | null = null
    if (route.with.kind === 'person') {
      const person = await personInOrganisation(trx, input.actor.organisationId, route.with.personId)
      third = person ?? { id: null, name: route.with.name, email: '' }
    } else if (route.with.kind === 'named' || route.with.kind === 'team') {
      third = { id: null, name: route.with.name, email: '' }
    } else if (input.thirdPersonId !== null) {
      const participantIds = new Set(session.participants.map((p) => p.personId))
      const person = participantIds.has(input.thirdPersonId)
        ? null
        : await personInOrganisation(trx, input.actor.organisationId, input.thirdPersonId)
      third = person
    }
    if (!third) return { ok: false, reason: 'needs-person' } as const
    const meetingId = await disputes.insertDisputeMeeting(trx, {
      schoolId: record.schoolId,
      recordId: record.id,
      stepId: route.stepId,
      thirdPersonId: third.id,
      thirdPartyName: third.name,
      bothAgreed: input.bothAgreed,
      meetingOn: input.meetingOn,
      meetingTime: input.meetingTime,
      venue: input.venue,
      bookedBy: input.actor.personId,
    })
    const when = meetingWhen(input.meetingOn, input.meetingTime)
    const details = [
      '',
      `Date: ${when}`,
      `With: ${third.name}`,
      ...(input.venue ? [`Venue: ${input.venue}`] : []),
      '',
      `${base(input.mailer)}${paths.records.show({ recordId: record.id })}`,
    ]
    for (const p of session.participants) {
      await email(trx, input.actor.organisationId, p, 'A meeting to resolve a disagreement has been arranged', [
        `A meeting to resolve the disagreement about the record of your supervision session has been arranged by ${input.actor.name}.`,
        ...details,
      ])
    }
    if (third.id !== null && third.email !== '')
      await email(
        trx,
        input.actor.organisationId,
        { name: third.name, email: third.email },
        'A meeting to resolve a disagreement has been arranged',
        [
          `${input.actor.name} has arranged a meeting with you and both parties to resolve a disagreement about a supervision record.`,
          '',
          `Date: ${when}`,
          ...(input.venue ? [`Venue: ${input.venue}`] : []),
        ],
      )
    await recordAudit(trx, {
      action: 'record.dispute-meeting',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: { meetingId, stepId: route.stepId, thirdPersonId: third.id },
      ip: input.actor.ip ?? null,
    })
    return { ok: true, meetingId } as const
  })
}

export type OutcomeResult = { ok: true } | { ok: false; reason: 'missing' | 'conflict' }

/** Records what the meeting decided (MW-11): resolved or not, with a note; both parties are told. */
export async function recordDisputeOutcome(
  db: Db,
  input: {
    recordId: string
    meetingId: string
    version: number
    outcome: DisputeOutcome
    note: string | null
    actor: Actor
    mailer: { baseUrl: string }
    now: Date
  },
): Promise<OutcomeResult> {
  return db.transaction().execute(async (trx) => {
    const record = await recordInOrganisation(trx, input.actor.organisationId, input.recordId)
    if (!record) return { ok: false, reason: 'missing' } as const
    const meeting = await disputes.disputeMeetingOfRecord(trx, record.schoolId, record.id, input.meetingId, {
      forUpdate: true,
    })
    if (!meeting) return { ok: false, reason: 'missing' } as const
    const saved = await disputes.setDisputeOutcome(trx, {
      schoolId: record.schoolId,
      meetingId: meeting.id,
      version: input.version,
      outcome: input.outcome,
      note: input.note,
      recordedBy: input.actor.personId,
      recordedAt: input.now,
    })
    if (!saved) return { ok: false, reason: 'conflict' } as const
    const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
    for (const p of session?.participants ?? []) {
      if (p.personId === input.actor.personId) continue
      await email(trx, input.actor.organisationId, p, 'The outcome of a meeting to resolve a disagreement', [
        `${input.actor.name} has recorded the outcome of the meeting to resolve the disagreement about the record of your supervision session. Read it in Haven:`,
        '',
        `${base(input.mailer)}${paths.records.show({ recordId: record.id })}`,
      ])
    }
    await recordAudit(trx, {
      action: 'record.dispute-outcome',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: { meetingId: meeting.id, outcome: input.outcome },
      ip: input.actor.ip ?? null,
    })
    return { ok: true } as const
  })
}

function meetingWhen(on: IsoDate, time: string | null): string {
  return `${formatLongDateWithWeekday(on)}${time ? ` at ${formatClockTime(time)}` : ''}`
}

function base(mailer: { baseUrl: string }): string {
  return mailer.baseUrl.replace(/\/$/, '')
}
