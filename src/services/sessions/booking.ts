/**
 * Booking a session (issue 6 item 1), rebooking one that did not take place (CA-03), and booking
 * the session a request asked for (CA-04). One transaction: the rules are checked against what
 * is in the database at that moment (a per-organisation lock stops two bookings of the same person
 * racing), then the session, its people, the answered request, the emails and the audit entry are
 * written together, or nothing is.
 */

import type { Db } from '../../db/database.ts'
import {
  answerRequest,
  insertSession,
  lockBookings,
  lockRequest,
  type NewSession,
} from '../../db/repositories/sessions/index.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { recorderChosenAtBooking } from '../../domain/access/records.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { rebookingDeadline } from '../../domain/compliance/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  BookingField,
  type BookingProblem,
  type BookingRequest,
  bookingFieldOrder,
  checkBooking,
  chosenFocus,
  closedDayWarning,
  mayAnswerRequest,
  mayBook,
} from '../../domain/scheduling/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { policyBook } from '../policy/on-date.ts'
import { bookablePeople, contactOf, gridContext, ownSupervisees, type SchoolRef } from './context.ts'
import { invitationsFor, schoolSessionInvitations } from './invitations.ts'
import { bookedEmail, othersThan, requestBookedEmail, sendToEach } from './notify.ts'
import { rebookedFor, scheduledFor, sessionInSchool } from './repository.ts'

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
  /** Issue 14: who completes the record: 'supervisor', 'supervisee', or anything else for the relationship's choice. */
  recorder?: string
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

export { insertSession, lockBookings, type NewSession }

function blankToNull(text: string): string | null {
  const trimmed = text.trim()
  return trimmed === '' ? null : trimmed
}

export async function bookSession(db: Db, input: BookSessionInput): Promise<BookResult> {
  const { school, actor, request, today } = input
  return db.transaction().execute(async (trx): Promise<BookResult> => {
    await lockBookings(trx, school.organisationId)
    const book = await policyBook(trx, school.id)
    const policy = book.on(request.date ?? today)
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
            school.organisationId,
            request.date,
            [...request.supervisorIds, ...request.superviseeIds],
            (typeId) => book.typeName(typeId, request.date as IsoDate),
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
    // Issue 18: a weekend, bank holiday, closure or holiday is allowed, once the person has seen why it is unusual.
    const calendar = request.date === null ? null : await schoolCalendar(trx, school.id, today)
    const closed = calendar && request.date !== null ? closedDayWarning(calendar, request.date) : null
    if (closed !== null) warnings.push(closed)
    let rebooks = null
    if (input.rebooksSessionId !== null) {
      rebooks = await sessionInSchool(trx, school.id, input.rebooksSessionId)
      if (!rebooks || (rebooks.status !== 'cancelled' && rebooks.status !== 'did-not-attend'))
        return { ok: false, kind: 'not-found' }
      if (rebookedFor(rebooks) !== null)
        return {
          ok: false,
          kind: 'conflict',
          message: `The session on ${formatLongDate(rebooks.date)} has already been rebooked`,
        }
      const rebookPolicy = book.on(rebooks.date)
      if (rebookPolicy && rebooks.cancellation && request.date !== null) {
        const deadline = rebookingDeadline(rebookPolicy, calendar ?? (await schoolCalendar(trx, school.id, today)), {
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
      answered = await lockRequest(trx, school.id, input.requestId)
      if (
        !answered ||
        !mayAnswerRequest(actor, { requesterId: answered.requesterId, supervisorId: answered.supervisorId })
      )
        return { ok: false, kind: 'not-found' }
      if (!request.superviseeIds.includes(answered.requesterId))
        problems.push({
          field: BookingField.Supervisees,
          message: `The session must include ${nameOf(answered.requesterId)}, who asked for it`,
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
      recorderId: recorderChosenAtBooking(input.recorder ?? '', request),
      focusId: chosenFocus(checked.type, request.focusId),
    })
    if (answered) await answerRequest(trx, school.id, answered.id, { status: 'booked', sessionId }, actor.personId)

    const when = { id: sessionId, typeName: checked.type.name, ...values }
    const participants = [...request.supervisorIds, ...request.superviseeIds].map((id) => {
      const p = people.get(id)
      return { id, name: p?.name ?? '', email: p?.email ?? '' }
    })
    const requester = answered ? participants.find((p) => p.id === answered.requesterId) : undefined
    const invitation = (
      await schoolSessionInvitations(trx, school.id, [sessionId], () => checked.type.name, 'REQUEST', input.baseUrl)
    ).get(sessionId)
    const invite = (r: { id: string }) => invitationsFor(r.id, [invitation])
    const booked = bookedEmail(when, actor.name, input.baseUrl)
    await sendToEach(
      trx,
      school.organisationId,
      othersThan(actor.personId, participants).filter((p) => p.id !== requester?.id),
      booked,
      invite,
    )
    if (requester && requester.id !== actor.personId) {
      const email = requestBookedEmail(when, actor.name, input.baseUrl)
      await sendToEach(trx, school.organisationId, [requester], email, invite)
    }
    // Issue 14: whoever asked on the person's behalf hears that it is booked.
    if (answered?.requestedById && answered.requestedById !== answered.requesterId) {
      const asker = await contactOf(trx, school.organisationId, answered.requestedById)
      const email = requestBookedEmail(when, actor.name, input.baseUrl)
      if (asker && !participants.some((p) => p.id === asker.id))
        await sendToEach(trx, school.organisationId, othersThan(actor.personId, [asker]), email)
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
