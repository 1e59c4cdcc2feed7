/**
 * CA-04: any member of staff can ask for a supervision meeting at any time (safeguarding or
 * wellbeing). The request goes to their supervisor (or line manager) and the DSLs, by email and on
 * their pages, and is answered: booked (bookSession with the request's id links the session) or
 * declined with a reason the requester reads in Haven.
 *
 * Issue 14 (ADR 0023): a request may be made on someone else's behalf by whoever may book for them
 * (their supervisor or line manager, the chair who supervises the headteacher, the DSL). The request
 * is the person's (`requester`); `requestedBy` records who asked.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import type { Page } from '../../db/repositories/paging.ts'
import {
  answerRequest,
  contactOf,
  insertRequest,
  lockRequest,
  openRequestsFor,
  type RequestStatus,
  type RequestsSort,
  requestInSchools,
  requestPeople,
  requestsMadeByPage,
  requestsToAnswerPage,
  type SessionRequest,
} from '../../db/repositories/sessions/index.ts'
import { addDays } from '../../domain/calendar/index.ts'
import { isUuid } from '../../domain/ids.ts'
import type { ListQuery, ListSpec } from '../../domain/lists/list-query.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  managesSessions,
  maxDaysAhead,
  mayAnswerRequest,
  mayAskForSupervision,
  mayAskOnBehalf,
  mayViewRequest,
  requestTopics,
} from '../../domain/scheduling/index.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'
import type { SessionActor } from './booking.ts'
import { designatedLeads, ownSupervisees, type SchoolRef, superviseeChoices, supervisorOf } from './context.ts'
import { othersThan, requestDeclinedEmail, requestEmail, sendToEach } from './notify.ts'

export const requestNoteLimit = 2000

/** CA-04: why someone with no supervisor may not ask, under a policy that does not let every member of staff ask. */
export const notOpenToEveryone =
  "Under your school's policy, only staff who have a supervisor or line manager can ask for a supervision session here. Speak to your designated safeguarding lead"

export const declineReasonLimit = 2000

/** Issue 14: why someone may not ask on this person's behalf. */
export const notOnTheirBehalf =
  'You can only ask for a session for someone you supervise or line-manage. Choose yourself or one of the people listed'

/**
 * Issue 14: the people the actor may ask for a session for, besides themselves: everyone of the
 * school for whoever manages its sessions, else the people they supervise or line-manage.
 */
export async function onBehalfChoices(
  db: DbOrTrx,
  school: SchoolRef,
  actor: SessionActor,
  today: IsoDate,
): Promise<{ id: string; name: string }[]> {
  const own = await ownSupervisees(db, actor.personId)
  if (!managesSessions(actor) && own.size === 0) return []
  const people = await superviseeChoices(db, school.organisationId, school.id, {
    allOfSchool: managesSessions(actor),
    on: today,
    alsoIds: [...own],
  })
  return people.filter((p) => mayAskOnBehalf(actor, p.id, own)).map((p) => ({ id: p.id, name: p.name }))
}

export type { RequestStatus, SessionRequest }

export interface CreateRequestInput {
  school: SchoolRef
  actor: SessionActor
  /** Issue 14: the person the session is for, when the actor asks on their behalf; null or the actor: themselves. */
  forPersonId?: string | null
  topic: string
  note: string
  preferredDates: readonly IsoDate[]
  formProblems?: readonly { field: string; message: string }[]
  today: IsoDate
  baseUrl: string
}

export type RequestResult = { ok: true; id: string } | { ok: false; problems: { field: string; message: string }[] }

export async function createRequest(db: Db, input: CreateRequestInput): Promise<RequestResult> {
  const { school, actor, today } = input
  return db.transaction().execute(async (trx): Promise<RequestResult> => {
    const policy = (await policyBook(trx, school.id)).on(today)
    const topics = requestTopics(policy)
    const forId = input.forPersonId && input.forPersonId !== actor.personId ? input.forPersonId : null
    // Issue 14: only someone who may book for the person may ask on their behalf.
    const forPerson = forId ? (await onBehalfChoices(trx, school, actor, today)).find((p) => p.id === forId) : null
    if (forId && !forPerson) return { ok: false, problems: [{ field: 'forPerson', message: notOnTheirBehalf }] }
    const personId = forPerson?.id ?? actor.personId
    const supervisorId = await supervisorOf(trx, school.organisationId, personId)
    if (!forPerson && !mayAskForSupervision(policy, supervisorId !== null))
      return { ok: false, problems: [{ field: 'topic', message: notOpenToEveryone }] }
    const problems = [...(input.formProblems ?? [])]
    if (!topics.includes(input.topic))
      problems.unshift({ field: 'topic', message: 'Select what you would like to talk about' })
    if (input.note.length > requestNoteLimit)
      problems.push({
        field: 'note',
        message: `Your note must be ${requestNoteLimit.toLocaleString('en-GB')} characters or fewer`,
      })
    input.preferredDates.forEach((date, i) => {
      if (date < today)
        problems.push({
          field: `preferredDate${i + 1}`,
          message: 'The date that suits you must be today or in the future',
        })
      else if (date > addDays(today, maxDaysAhead))
        problems.push({
          field: `preferredDate${i + 1}`,
          message: 'The date that suits you must be within the next 2 years',
        })
    })
    if (problems.length > 0) return { ok: false, problems }

    const id = await insertRequest(trx, school, {
      requesterId: personId,
      requestedBy: actor.personId,
      topic: input.topic,
      note: input.note.trim(),
      preferredDates: [...new Set(input.preferredDates)].sort(),
      supervisorId,
    })
    const leads = await designatedLeads(trx, school.id, today)
    const supervisor = supervisorId ? await contactOf(trx, school.organisationId, supervisorId) : null
    const email = requestEmail(
      actor.name,
      input.topic,
      input.preferredDates,
      id,
      input.baseUrl,
      forPerson?.name ?? null,
    )
    // Issue 14: asked on someone's behalf, the person it is for hears of it too.
    const person = forPerson ? await contactOf(trx, school.organisationId, forPerson.id) : null
    await sendToEach(
      trx,
      school.organisationId,
      othersThan(actor.personId, [...(supervisor ? [supervisor] : []), ...leads, ...(person ? [person] : [])]),
      email,
    )
    await recordAudit(trx, {
      action: 'session-request.created',
      subjectType: 'session-request',
      subjectId: id,
      actorId: actor.personId,
      organisationId: school.organisationId,
      schoolId: school.id,
      detail: {
        supervisorId,
        dslIds: leads.map((l) => l.id),
        ...(forPerson ? { onBehalfOf: forPerson.id, requestedBy: actor.personId } : {}),
      },
    })
    return { ok: true, id }
  })
}

/** One request, if the actor may see it (the person it is for, who asked, the supervisor it went to, the DSLs). */
export async function loadRequest(
  db: DbOrTrx,
  schoolIds: readonly string[],
  actor: SessionActor,
  id: string,
): Promise<SessionRequest | null> {
  const request = await requestInSchools(db, schoolIds, id)
  if (!request) return null
  return mayViewRequest(actor, {
    requesterId: request.requester.id,
    requestedById: request.requestedBy?.id ?? null,
    supervisorId: request.supervisor?.id ?? null,
  })
    ? request
    : null
}

/** The requests lists (issue 16): open first or by date asked; filtered by who, when and status. */
export const requestsListSpec: ListSpec<RequestsSort> = {
  sorts: ['status', 'asked'],
  defaultDirection: { status: 'asc', asked: 'desc' },
  filters: ['person', 'supervisor', 'from', 'to', 'status'],
  statuses: ['open', 'booked', 'declined'],
}

/**
 * A page of the requests an actor answers in the school (open first), and a page of their own
 * (issue 16: counted and never cut short), both narrowed by the same search and filters.
 */
export async function requestsFor(
  db: DbOrTrx,
  school: { id: string; organisationId: string },
  actor: SessionActor,
  lists: { toAnswer: ListQuery<RequestsSort>; own: ListQuery<RequestsSort> },
): Promise<{
  toAnswer: Page<SessionRequest>
  own: Page<SessionRequest>
  /** Everyone the actor's requests name, for the person and supervisor filters. */
  people: { requesters: { id: string; name: string }[]; supervisors: { id: string; name: string }[] }
}> {
  const all = managesSessions(actor)
  const [toAnswer, own, people] = await Promise.all([
    requestsToAnswerPage(db, school.id, actor.personId, all, lists.toAnswer),
    requestsMadeByPage(db, school.organisationId, actor.personId, lists.own),
    requestPeople(db, { schoolId: school.id, organisationId: school.organisationId }, actor.personId, all),
  ])
  return { toAnswer, own, people }
}

/** How many open requests wait for this actor's answer. */
export function openRequestCount(db: DbOrTrx, schoolId: string, actor: SessionActor): Promise<number> {
  return openRequestsFor(db, schoolId, actor.personId, managesSessions(actor))
}

export interface DeclineInput {
  school: SchoolRef
  actor: SessionActor
  requestId: string
  expectedVersion: number | null
  reason: string
  baseUrl: string
}

export type DeclineResult =
  | { ok: true }
  | { ok: false; kind: 'invalid'; problems: { field: string; message: string }[] }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict' }

/** CA-04: decline a request with a reason; the requester is told and reads the reason in Haven. */
export async function declineRequest(db: Db, input: DeclineInput): Promise<DeclineResult> {
  if (!isUuid(input.requestId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<DeclineResult> => {
    const row = await lockRequest(trx, input.school.id, input.requestId)
    if (!row || !mayAnswerRequest(input.actor, { requesterId: row.requesterId, supervisorId: row.supervisorId }))
      return { ok: false, kind: 'not-found' }
    if (row.status !== 'open' || (input.expectedVersion !== null && input.expectedVersion !== row.version))
      return { ok: false, kind: 'conflict' }
    const reason = input.reason.trim()
    if (reason === '')
      return {
        ok: false,
        kind: 'invalid',
        problems: [{ field: 'reason', message: 'Enter why you are declining the request' }],
      }
    if (reason.length > declineReasonLimit)
      return {
        ok: false,
        kind: 'invalid',
        problems: [
          {
            field: 'reason',
            message: `The reason must be ${declineReasonLimit.toLocaleString('en-GB')} characters or fewer`,
          },
        ],
      }
    await answerRequest(trx, input.school.id, row.id, { status: 'declined', reason }, input.actor.personId)
    const requester = await contactOf(trx, input.school.organisationId, row.requesterId)
    // Issue 14: whoever asked on the person's behalf is told as well.
    const asker =
      row.requestedById && row.requestedById !== row.requesterId
        ? await contactOf(trx, input.school.organisationId, row.requestedById)
        : null
    const email = requestDeclinedEmail(input.actor.name, row.id, input.baseUrl)
    await sendToEach(
      trx,
      input.school.organisationId,
      othersThan(input.actor.personId, [...(requester ? [requester] : []), ...(asker ? [asker] : [])]),
      email,
    )
    await recordAudit(trx, {
      action: 'session-request.declined',
      subjectType: 'session-request',
      subjectId: row.id,
      actorId: input.actor.personId,
      organisationId: input.school.organisationId,
      schoolId: input.school.id,
    })
    return { ok: true }
  })
}
