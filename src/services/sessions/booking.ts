/**
 * Booking a session (issue 6 item 1), rebooking one that did not take place (CA-03), and booking
 * the session a request asked for (CA-04). One transaction: the rules are checked against what
 * is in the database at that moment (a per-organisation lock stops two bookings of the same person
 * racing), then the session, its people, the answered request, the emails and the audit entry are
 * written together, or nothing is.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { rebookingDeadline } from '../../domain/compliance/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  BookingField,
  type BookingProblem,
  type BookingRequest,
  bookingFieldOrder,
  checkBooking,
  mayAnswerRequest,
  mayBook,
} from '../../domain/scheduling/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import type { DbOrTrx } from '../staff/repository.ts'
import {
  bookablePeople,
  gridContext,
  ownSupervisees,
  policyDocuments,
  policyOn,
  type SchoolRef,
  typeNamer,
} from './context.ts'
import { invitationsFor, sessionInvitations } from './invitations.ts'
import { bookedEmail, othersThan, requestBookedEmail, sendToEach } from './notify.ts'
import { loadSession, rebookedFor, scheduledFor } from './repository.ts'

export interface SessionActor extends Actor {
  name: string
}

export interface BookSessionInput {
  school: SchoolRef
  actor: SessionActor
  request: BookingRequest
  /** The person has seen the warnings (clashes, a date after the rebooking deadline) and goes ahead. */
  confirmed: boolean
  /** The cancelled session this one rebooks (CA-03). */
  rebooksSessionId: string | null
  /** The request this answers (CA-04). */
  requestId: string | null
  today: IsoDate
  baseUrl: string
  /** Problems the form found itself (an unreadable date or time): reported with the rest, nothing saved. */
  formProblems?: readonly BookingProblem[]
}

export type BookResult =
  | { ok: true; sessionId: string }
  | { ok: false; kind: 'invalid'; problems: BookingProblem[] }
  | { ok: false; kind: 'confirm'; warnings: string[] }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict'; message: string }

/** Serialises bookings within an organisation, so two people cannot book one supervisee twice at once. */
export async function lockBookings(trx: DbOrTrx, organisationId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`haven:sessions:${organisationId}`}))`.execute(trx)
}

export interface NewSession {
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  venue: string | null
  onlineLink: string | null
  status: 'planned' | 'held'
  unplanned: boolean
  rebooksSessionId: string | null
  createdBy: string
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
}

/** Inserts a session and its people; returns its id. Runs in the caller's transaction. */
export async function insertSession(trx: DbOrTrx, s: NewSession): Promise<string> {
  const row = await trx
    .insertInto('supervision_session')
    .values({
      school_id: s.schoolId,
      type_id: s.typeId,
      date: s.date,
      start_time: s.startTime,
      duration_minutes: s.durationMinutes,
      venue: s.venue,
      online_link: s.onlineLink,
      status: s.status,
      unplanned: s.unplanned,
      rebooks_session_id: s.rebooksSessionId,
      created_by: s.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const attended = s.status === 'held' ? true : null
  await trx
    .insertInto('session_participant')
    .values([
      ...s.supervisorIds.map((id) => ({ session_id: row.id, person_id: id, role: 'supervisor' as const, attended })),
      ...s.superviseeIds.map((id) => ({ session_id: row.id, person_id: id, role: 'supervisee' as const, attended })),
    ])
    .execute()
  return row.id
}

function blankToNull(text: string): string | null {
  const trimmed = text.trim()
  return trimmed === '' ? null : trimmed
}

export async function bookSession(db: Db, input: BookSessionInput): Promise<BookResult> {
  const { school, actor, request, today } = input
  return db.transaction().execute(async (trx): Promise<BookResult> => {
    await lockBookings(trx, school.organisationId)
    const versions = await policyDocuments(trx, school.id)
    const policy = policyOn(versions, request.date ?? today)
    const [people, grid, own] = await Promise.all([
      bookablePeople(trx, school, today),
      gridContext(trx, school.organisationId),
      ownSupervisees(trx, actor.personId),
    ])
    const nameOf = (id: string) => people.get(id)?.name ?? 'Someone'
    const existing =
      request.date === null
        ? []
        : await scheduledFor(
            trx,
            request.date,
            [...request.supervisorIds, ...request.superviseeIds],
            typeNamer(versions),
          )
    const checked = checkBooking(request, { policy, today, people, existing, grid })
    const problems = [...(input.formProblems ?? []), ...(checked.ok ? [] : checked.problems)]
    const permission = mayBook(actor, request, own, nameOf)
    if (!permission.allowed) {
      const field = request.supervisorIds.includes(actor.personId) ? BookingField.Supervisees : BookingField.Supervisors
      problems.push({ field, message: permission.message })
    }

    // CA-03: the session this rebooks must be one that did not take place and is not yet rebooked.
    const warnings = checked.warnings.map((w) => w.message)
    let rebooks = null
    if (input.rebooksSessionId !== null) {
      rebooks = await loadSession(trx, [school.id], input.rebooksSessionId)
      if (!rebooks || (rebooks.status !== 'cancelled' && rebooks.status !== 'did-not-attend'))
        return { ok: false, kind: 'not-found' }
      if (rebookedFor(rebooks) !== null)
        return {
          ok: false,
          kind: 'conflict',
          message: `The session on ${formatLongDate(rebooks.date)} has already been rebooked`,
        }
      const rebookPolicy = policyOn(versions, rebooks.date)
      if (rebookPolicy && rebooks.cancellation && request.date !== null) {
        const calendar = await schoolCalendar(trx, school.id, today)
        const deadline = rebookingDeadline(rebookPolicy, calendar, {
          id: rebooks.cancellation.id,
          sessionId: rebooks.id,
          typeId: rebooks.typeId,
          date: rebooks.date,
          superviseeIds: rebooks.supervisees.map((p) => p.id),
          reasonId: rebooks.cancellation.reasonId,
          returnDate: rebooks.cancellation.returnDate,
          rebookedFor: null,
        })
        if (deadline !== null && request.date > deadline)
          warnings.push(
            `${formatLongDate(request.date)} is after the rebooking deadline of ${formatLongDate(deadline)}: the policy will be recorded as not met`,
          )
      }
    }

    // CA-04: the request this answers must still be open.
    let answered = null
    if (input.requestId !== null) {
      answered = await trx
        .selectFrom('session_request')
        .select(['id', 'status', 'requester_id', 'supervisor_id'])
        .where('id', '=', input.requestId)
        .where('school_id', '=', school.id)
        .forUpdate()
        .executeTakeFirst()
      if (
        !answered ||
        !mayAnswerRequest(actor, { requesterId: answered.requester_id, supervisorId: answered.supervisor_id })
      )
        return { ok: false, kind: 'not-found' }
      if (!request.superviseeIds.includes(answered.requester_id))
        problems.push({
          field: BookingField.Supervisees,
          message: `The session must include ${nameOf(answered.requester_id)}, who asked for it`,
        })
      if (answered.status !== 'open')
        return { ok: false, kind: 'conflict', message: 'This request has already been answered' }
    }

    if (problems.length > 0 || !checked.ok) {
      problems.sort((a, b) => bookingFieldOrder.indexOf(a.field) - bookingFieldOrder.indexOf(b.field))
      return { ok: false, kind: 'invalid', problems }
    }
    if (warnings.length > 0 && !input.confirmed) return { ok: false, kind: 'confirm', warnings }

    const values = {
      schoolId: school.id,
      typeId: checked.type.id,
      date: request.date as IsoDate,
      startTime: request.startTime,
      durationMinutes: request.durationMinutes,
      venue: blankToNull(request.venue),
      onlineLink: blankToNull(request.onlineLink),
    }
    const sessionId = await insertSession(trx, {
      ...values,
      status: 'planned',
      unplanned: false,
      rebooksSessionId: rebooks?.id ?? null,
      createdBy: actor.personId,
      supervisorIds: request.supervisorIds,
      superviseeIds: request.superviseeIds,
    })
    if (answered) {
      await trx
        .updateTable('session_request')
        .set((eb) => ({
          status: 'booked',
          session_id: sessionId,
          answered_by: actor.personId,
          answered_at: new Date(),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', answered.id)
        .execute()
    }

    const when = { id: sessionId, typeName: checked.type.name, ...values }
    const participants = [...request.supervisorIds, ...request.superviseeIds].map((id) => {
      const p = people.get(id)
      return { id, name: p?.name ?? '', email: p?.email ?? '' }
    })
    const requester = answered ? participants.find((p) => p.id === answered.requester_id) : undefined
    const invitation = (
      await sessionInvitations(trx, [sessionId], () => checked.type.name, 'REQUEST', input.baseUrl)
    ).get(sessionId)
    const invite = (r: { id: string }) => invitationsFor(r.id, [invitation])
    const booked = bookedEmail(when, actor.name, input.baseUrl)
    await sendToEach(
      trx,
      school.organisationId,
      othersThan(actor.personId, participants).filter((p) => p.id !== requester?.id),
      booked.subject,
      booked.body,
      invite,
    )
    if (requester && requester.id !== actor.personId) {
      const email = requestBookedEmail(when, actor.name, input.baseUrl)
      await sendToEach(trx, school.organisationId, [requester], email.subject, email.body, invite)
    }
    await recordAudit(trx, {
      action: rebooks ? 'session.rebooked' : 'session.booked',
      subjectType: 'session',
      subjectId: sessionId,
      actorId: actor.personId,
      organisationId: school.organisationId,
      schoolId: school.id,
      detail: {
        typeId: checked.type.id,
        date: values.date,
        supervisorIds: [...request.supervisorIds],
        superviseeIds: [...request.superviseeIds],
        rebooksSessionId: rebooks?.id ?? null,
        requestId: answered?.id ?? null,
        warningsConfirmed: warnings.length,
      },
    })
    return { ok: true, sessionId }
  })
}
