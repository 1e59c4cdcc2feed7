/**
 * Changes to a booked session (issue 6 item 3; MW-06, CA-03, AM-05): cancel, postpone (cancel and
 * rebook in one step), did not attend, held, and the day someone returns from absence. Each is one
 * transaction guarded by the session's version (optimistic locking): it bumps the version and the
 * iCalendar sequence, tells the other party through the outbox, and writes an audit entry.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  bumpSession,
  insertCancellation,
  insertSession,
  lockBookings,
  lockSession,
  setAttendance,
  setReturnDate,
} from '../../db/repositories/sessions/index.ts'
import { addDays, formatLongDate } from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  type BookingProblem,
  type BookingRequest,
  type CancellationProblem,
  checkBooking,
  checkCancellation,
  isAbsenceReason,
  maxDaysAhead,
  reasonName,
  rebookingView,
  receivesCarryForward,
  sessionAbilities,
} from '../../domain/scheduling/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { type PolicyBook, policyBook } from '../policy/on-date.ts'
import type { SessionActor } from './booking.ts'
import { carryForwardTo } from './carry-forward.ts'
import { bookablePeople, gridContext, holdersOf, type SchoolRef } from './context.ts'
import { invitationsFor, schoolSessionInvitations } from './invitations.ts'
import { cancelledEmail, othersThan, sendToEach } from './notify.ts'
import { rebookedFor, type SessionDetail, scheduledFor, sessionInSchool } from './repository.ts'

export interface ChangeInput {
  school: SchoolRef
  actor: SessionActor
  sessionId: string
  /** The version the person saw; a different one means someone else changed it meanwhile. */
  expectedVersion: number | null
  today: IsoDate
  baseUrl: string
}

export type ChangeProblem = { field: string; message: string }

export type ChangeResult =
  | { ok: true; sessionId: string }
  | { ok: false; kind: 'invalid'; problems: ChangeProblem[] }
  | { ok: false; kind: 'confirm'; warnings: string[] }
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'forbidden' }

type Trx = DbOrTrx

/** Loads and locks the session, checks the version and what the actor may do with it. */
async function openForChange(
  trx: Trx,
  input: ChangeInput,
  allowed: (abilities: ReturnType<typeof sessionAbilities>) => boolean,
): Promise<{ ok: true; session: SessionDetail } | Exclude<ChangeResult, { ok: true }>> {
  const locked = await lockSession(trx, input.school.id, input.sessionId)
  if (!locked) return { ok: false, kind: 'not-found' }
  const session = await sessionInSchool(trx, input.school.id, input.sessionId)
  if (!session) return { ok: false, kind: 'not-found' }
  const abilities = sessionAbilities(
    input.actor,
    {
      supervisorIds: session.supervisors.map((p) => p.id),
      superviseeIds: session.supervisees.map((p) => p.id),
      status: session.status,
      date: session.date,
      rebooked: rebookedFor(session) !== null,
    },
    input.today,
  )
  if (!abilities.view) return { ok: false, kind: 'not-found' }
  if (input.expectedVersion !== null && input.expectedVersion !== locked.version) return { ok: false, kind: 'conflict' }
  if (!allowed(abilities)) return { ok: false, kind: 'forbidden' }
  return { ok: true, session }
}

function participantsOf(session: SessionDetail) {
  return [...session.supervisors, ...session.supervisees].map((p) => ({ id: p.id, name: p.name, email: p.email }))
}

function when(
  session: Pick<SessionDetail, 'id' | 'date' | 'startTime' | 'durationMinutes' | 'venue' | 'onlineLink'>,
  typeName: string,
) {
  return {
    id: session.id,
    typeName,
    date: session.date,
    startTime: session.startTime,
    durationMinutes: session.durationMinutes,
    venue: session.venue,
    onlineLink: session.onlineLink,
  }
}

export interface CancelInput extends ChangeInput {
  kind: 'cancelled' | 'did-not-attend'
  reasonId: string
  reasonNote: string
  returnDate: IsoDate | null
  /** Problems the form found itself (an unreadable date): reported with the rest, nothing saved. */
  formProblems?: readonly ChangeProblem[]
}

async function recordCancellation(
  trx: Trx,
  input: ChangeInput & { reasonId: string; reasonNote: string; returnDate: IsoDate | null },
  session: SessionDetail,
  kind: 'cancelled' | 'postponed' | 'did-not-attend',
  absence: boolean,
) {
  await insertCancellation(trx, input.school.id, {
    sessionId: session.id,
    kind,
    reasonId: input.reasonId,
    reasonNote: input.reasonNote.trim() === '' ? null : input.reasonNote.trim(),
    returnDate: absence ? input.returnDate : null,
    cancelledBy: input.actor.personId,
  })
}

/** The rebooking deadline in a sentence for an email (CA-03), or null when the policy sets none. */
async function deadlineSentence(
  trx: Trx,
  input: ChangeInput,
  session: SessionDetail,
  reasonId: string,
  returnDate: IsoDate | null,
  book: PolicyBook,
): Promise<string | null> {
  const policy = book.on(session.date)
  if (!policy?.cancellation.rebooking) return null
  const calendar = await schoolCalendar(trx, input.school.id, input.today)
  const view = rebookingView(
    policy,
    calendar,
    {
      id: session.id,
      sessionId: session.id,
      typeId: session.typeId,
      date: session.date,
      superviseeIds: session.supervisees.map((p) => p.id),
      reasonId,
      returnDate,
      rebookedFor: null,
    },
    input.today,
  )
  return view.state === 'no-deadline' ? null : view.message
}

/** MW-06, CA-03, AM-05: cancel a planned session, or record that it did not take place. */
export async function cancelSession(db: Db, input: CancelInput): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const opened = await openForChange(trx, input, (a) => (input.kind === 'cancelled' ? a.cancel : a.markDidNotAttend))
    if (!opened.ok) return opened
    const { session } = opened
    const book = await policyBook(trx, input.school.id)
    const policy = book.on(session.date)
    const problems: ChangeProblem[] = [
      ...checkCancellation(policy, {
        kind: input.kind,
        reasonId: input.reasonId,
        reasonNote: input.reasonNote,
        returnDate: input.returnDate,
        sessionDate: session.date,
      }),
      ...(input.formProblems ?? []),
    ]
    if (problems.length > 0) return { ok: false, kind: 'invalid', problems: ordered(problems) }
    const absence = isAbsenceReason(policy, input.reasonId)
    await recordCancellation(trx, input, session, input.kind, absence)
    await bumpSession(trx, input.school.id, session.id, { status: input.kind })
    if (input.kind === 'did-not-attend')
      await setAttendance(trx, input.school.id, session.id, { role: 'supervisee' }, false)
    const typeName = book.typeName(session.typeId, session.date)
    const deadline = await deadlineSentence(
      trx,
      input,
      session,
      input.reasonId,
      absence ? input.returnDate : null,
      book,
    )
    const email = cancelledEmail(
      when(session, typeName),
      input.kind,
      { byName: input.actor.name, reasonName: reasonName(book.versions, input.reasonId), deadline, newSession: null },
      input.baseUrl,
    )
    const told = await holdersOf(trx, input.school.id, policy?.cancellation.notifyRoles ?? [], input.today)
    // A cancelled session leaves the participants' calendars; one that did not take place stays
    // where it was (as in the calendar feeds), so that email carries no invitation.
    const cancelled =
      input.kind === 'cancelled'
        ? (
            await schoolSessionInvitations(trx, input.school.id, [session.id], () => typeName, 'CANCEL', input.baseUrl)
          ).get(session.id)
        : undefined
    await sendToEach(
      trx,
      input.school.organisationId,
      othersThan(input.actor.personId, [...participantsOf(session), ...told]),
      email,
      (r) => invitationsFor(r.id, [cancelled]),
    )
    await recordAudit(trx, {
      action: input.kind === 'cancelled' ? 'session.cancelled' : 'session.did-not-attend',
      subjectType: 'session',
      subjectId: session.id,
      actorId: input.actor.personId,
      organisationId: input.school.organisationId,
      schoolId: input.school.id,
      detail: { reasonId: input.reasonId, returnDate: absence ? input.returnDate : null },
    })
    return { ok: true, sessionId: session.id }
  })
}

export interface PostponeInput extends ChangeInput {
  reasonId: string
  reasonNote: string
  returnDate: IsoDate | null
  /** The new date and time; the type, people, length and place stay as they were. */
  newDate: IsoDate | null
  newStartTime: string | null
  confirmed: boolean
  formProblems?: readonly ChangeProblem[]
}

const fieldOrder = [
  'reasonId',
  'returnDate',
  'reasonNote',
  'date',
  'startTime',
  'durationMinutes',
  'supervisorIds',
  'superviseeIds',
  'venue',
  'attended',
]

function ordered(problems: ChangeProblem[]): ChangeProblem[] {
  const rank = (f: string) => {
    const i = fieldOrder.indexOf(f)
    return i === -1 ? fieldOrder.length : i
  }
  return [...problems].sort((a, b) => rank(a.field) - rank(b.field))
}

/**
 * AM-05: postpone a session to a new date and time: the session is recorded as postponed (with its
 * reason) and a new one, rebooking it, is booked in the same step, checked like any booking.
 */
export async function postponeSession(db: Db, input: PostponeInput): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    await lockBookings(trx, input.school.organisationId)
    const opened = await openForChange(trx, input, (a) => a.postpone)
    if (!opened.ok) return opened
    const { session } = opened
    const book = await policyBook(trx, input.school.id)
    const policy = book.on(session.date)
    const problems: ChangeProblem[] = [
      ...checkCancellation(policy, {
        kind: 'postponed',
        reasonId: input.reasonId,
        reasonNote: input.reasonNote,
        returnDate: input.returnDate,
        sessionDate: session.date,
      }),
      ...(input.formProblems ?? []),
    ]
    if (input.newDate === null && !problems.some((p) => p.field === 'date'))
      problems.push({ field: 'date', message: 'Enter the new date' })
    if (input.newStartTime === null && !problems.some((p) => p.field === 'startTime'))
      problems.push({ field: 'startTime', message: 'Enter the new start time' })
    const request: BookingRequest = {
      typeId: session.typeId,
      supervisorIds: session.supervisors.map((p) => p.id),
      superviseeIds: session.supervisees.map((p) => p.id),
      date: input.newDate,
      startTime: input.newStartTime,
      durationMinutes: session.durationMinutes ?? 60,
      venue: session.venue ?? '',
      onlineLink: session.onlineLink ?? '',
    }
    const newPolicy = book.on(input.newDate ?? input.today)
    const [people, grid] = await Promise.all([
      bookablePeople(trx, input.school, input.today),
      gridContext(trx, input.school.organisationId),
    ])
    const existing =
      input.newDate === null
        ? []
        : await scheduledFor(
            trx,
            input.school.organisationId,
            input.newDate,
            [...request.supervisorIds, ...request.superviseeIds],
            (typeId) => book.typeName(typeId, input.newDate as IsoDate),
          )
    const checked = checkBooking(request, {
      policy: newPolicy,
      today: input.today,
      people,
      existing,
      grid,
      ignoreSessionIds: [session.id],
      placeOptional: true,
    })
    if (!checked.ok)
      problems.push(...checked.problems.map((p: BookingProblem) => ({ field: p.field, message: p.message })))
    if (problems.length > 0 || !checked.ok) return { ok: false, kind: 'invalid', problems: ordered(problems) }
    const warnings = checked.warnings.map((w) => w.message)
    if (warnings.length > 0 && !input.confirmed) return { ok: false, kind: 'confirm', warnings }

    const absence = isAbsenceReason(policy, input.reasonId)
    await recordCancellation(trx, input, session, 'postponed', absence)
    await bumpSession(trx, input.school.id, session.id, { status: 'cancelled' })
    const newId = await insertSession(trx, {
      schoolId: input.school.id,
      typeId: checked.type.id,
      date: input.newDate as IsoDate,
      startTime: input.newStartTime,
      durationMinutes: request.durationMinutes,
      venue: session.venue,
      onlineLink: session.onlineLink,
      status: 'planned',
      unplanned: false,
      rebooksSessionId: session.id,
      createdBy: input.actor.personId,
      supervisorIds: request.supervisorIds,
      superviseeIds: request.superviseeIds,
    })
    const typeName = book.typeName(session.typeId, session.date)
    const newTypeName = book.typeName(session.typeId, input.newDate as IsoDate)
    const newWhen = when(
      { ...session, id: newId, date: input.newDate as IsoDate, startTime: input.newStartTime },
      newTypeName,
    )
    const email = cancelledEmail(
      when(session, typeName),
      'postponed',
      {
        byName: input.actor.name,
        reasonName: reasonName(book.versions, input.reasonId),
        deadline: null,
        newSession: newWhen,
      },
      input.baseUrl,
    )
    const told = await holdersOf(trx, input.school.id, policy?.cancellation.notifyRoles ?? [], input.today)
    // The old event leaves the participants' calendars and the new one arrives: two invitations.
    const [cancelled, booked] = await Promise.all([
      schoolSessionInvitations(trx, input.school.id, [session.id], () => typeName, 'CANCEL', input.baseUrl),
      schoolSessionInvitations(trx, input.school.id, [newId], () => newTypeName, 'REQUEST', input.baseUrl),
    ])
    await sendToEach(
      trx,
      input.school.organisationId,
      othersThan(input.actor.personId, [...participantsOf(session), ...told]),
      email,
      (r) => invitationsFor(r.id, [cancelled.get(session.id), booked.get(newId)]),
    )
    await recordAudit(trx, {
      action: 'session.postponed',
      subjectType: 'session',
      subjectId: session.id,
      actorId: input.actor.personId,
      organisationId: input.school.organisationId,
      schoolId: input.school.id,
      detail: {
        reasonId: input.reasonId,
        newSessionId: newId,
        newDate: input.newDate,
        warningsConfirmed: warnings.length,
      },
    })
    return { ok: true, sessionId: newId }
  })
}

export interface HeldInput extends ChangeInput {
  /** For a group session: the supervisees who attended. Ignored for a session with one supervisee. */
  attendedIds: readonly string[] | null
}

/**
 * The session took place. In a group, the supervisees who did not come are recorded as absent (it
 * does not count for them). Issues carried forward from unplanned supervision (CA-01) are taken to
 * a formal session as it is held.
 */
export async function markHeld(db: Db, input: HeldInput): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const opened = await openForChange(trx, input, (a) => a.markHeld)
    if (!opened.ok) return opened
    const { session } = opened
    const supervisees = session.supervisees.map((p) => p.id)
    const attended =
      supervisees.length <= 1 || input.attendedIds === null
        ? supervisees
        : supervisees.filter((id) => input.attendedIds?.includes(id))
    if (attended.length === 0)
      return {
        ok: false,
        kind: 'invalid',
        problems: [
          {
            field: 'attended',
            message: 'Select who attended. If nobody came, record that the session did not take place instead',
          },
        ],
      }
    await bumpSession(trx, input.school.id, session.id, { status: 'held' })
    await setAttendance(trx, input.school.id, session.id, { role: 'supervisor' }, true)
    for (const id of supervisees)
      await setAttendance(trx, input.school.id, session.id, { personId: id }, attended.includes(id))
    const type = (await policyBook(trx, input.school.id)).sessionType(session.typeId, session.date) ?? undefined
    const carried = receivesCarryForward(type, session)
      ? await carryForwardTo(trx, input.school.id, {
          sessionId: session.id,
          date: session.date,
          superviseeIds: attended,
        })
      : 0
    await recordAudit(trx, {
      action: 'session.held',
      subjectType: 'session',
      subjectId: session.id,
      actorId: input.actor.personId,
      organisationId: input.school.organisationId,
      schoolId: input.school.id,
      detail: {
        attendedIds: attended,
        absentIds: supervisees.filter((id) => !attended.includes(id)),
        carriedForward: carried,
      },
    })
    return { ok: true, sessionId: session.id }
  })
}

export interface ReturnDateInput extends ChangeInput {
  returnDate: IsoDate | null
  formProblems?: readonly ChangeProblem[]
}

/** CA-03: the day someone missing through absence returns (or is expected to); the deadline counts from it. */
export async function recordReturnDate(db: Db, input: ReturnDateInput): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const opened = await openForChange(trx, input, (a) => a.recordReturn)
    if (!opened.ok) return opened
    const { session } = opened
    if (!session.cancellation) return { ok: false, kind: 'not-found' }
    const policy = (await policyBook(trx, input.school.id)).on(session.date)
    if (!isAbsenceReason(policy, session.cancellation.reasonId)) return { ok: false, kind: 'forbidden' }
    const problems: ChangeProblem[] = [...(input.formProblems ?? [])]
    if (problems.length === 0 && input.returnDate === null)
      problems.push({ field: 'returnDate', message: 'Enter the date they return' })
    if (input.returnDate !== null && input.returnDate < session.date)
      problems.push({
        field: 'returnDate',
        message: `The date they return must be on or after ${formatLongDate(session.date)}, the date of the session`,
      })
    if (input.returnDate !== null && input.returnDate > addDays(session.date, maxDaysAhead))
      problems.push({
        field: 'returnDate',
        message: 'The date they return must be within 2 years of the date of the session',
      })
    if (problems.length > 0) return { ok: false, kind: 'invalid', problems }
    await setReturnDate(trx, input.school.id, session.cancellation.id, input.returnDate)
    await bumpSession(trx, input.school.id, session.id)
    await recordAudit(trx, {
      action: 'session.return-date',
      subjectType: 'session',
      subjectId: session.id,
      actorId: input.actor.personId,
      organisationId: input.school.organisationId,
      schoolId: input.school.id,
      detail: { cancellationId: session.cancellation.id, returnDate: input.returnDate },
    })
    return { ok: true, sessionId: session.id }
  })
}

export type { CancellationProblem }
