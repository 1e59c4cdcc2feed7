/**
 * CA-04: any member of staff can ask for a supervision meeting at any time (safeguarding or
 * wellbeing). The request goes to their supervisor (or line manager) and the DSLs, by email and on
 * their pages, and is answered: booked (bookSession with the request's id links the session) or
 * declined with a reason the requester reads in Haven.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { addDays } from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  managesSessions,
  maxDaysAhead,
  mayAnswerRequest,
  mayViewRequest,
  requestTopics,
} from '../../domain/scheduling/index.ts'
import { recordAudit } from '../audit.ts'
import { type DbOrTrx, isUuid } from '../staff/repository.ts'
import type { SessionActor } from './booking.ts'
import { designatedLeads, policyDocuments, policyOn, type SchoolRef, supervisorOf } from './context.ts'
import { othersThan, requestDeclinedEmail, requestEmail, sendToEach } from './notify.ts'

export const requestNoteLimit = 2000
export const declineReasonLimit = 2000

export type RequestStatus = 'open' | 'booked' | 'declined'

export interface SessionRequest {
  id: string
  schoolId: string
  requester: { id: string; name: string }
  topic: string
  note: string
  preferredDates: IsoDate[]
  supervisor: { id: string; name: string } | null
  status: RequestStatus
  sessionId: string | null
  declineReason: string | null
  answeredBy: { id: string; name: string } | null
  answeredAt: Date | null
  version: number
  createdAt: Date
}

export interface CreateRequestInput {
  school: SchoolRef
  actor: SessionActor
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
    const versions = await policyDocuments(trx, school.id)
    const topics = requestTopics(policyOn(versions, today))
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

    const supervisorId = await supervisorOf(trx, actor.personId)
    const row = await trx
      .insertInto('session_request')
      .values({
        organisation_id: school.organisationId,
        school_id: school.id,
        requester_id: actor.personId,
        topic: input.topic,
        note: input.note.trim(),
        preferred_dates: [...new Set(input.preferredDates)].sort(),
        supervisor_id: supervisorId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const leads = await designatedLeads(trx, school.id, today)
    const supervisor = supervisorId
      ? await trx.selectFrom('person').select(['id', 'name', 'email']).where('id', '=', supervisorId).executeTakeFirst()
      : undefined
    const email = requestEmail(actor.name, input.topic, input.preferredDates, row.id, input.baseUrl)
    await sendToEach(
      trx,
      school.organisationId,
      othersThan(actor.personId, [...(supervisor ? [supervisor] : []), ...leads]),
      email.subject,
      email.body,
    )
    await recordAudit(trx, {
      action: 'session-request.created',
      subjectType: 'session-request',
      subjectId: row.id,
      actorId: actor.personId,
      organisationId: school.organisationId,
      schoolId: school.id,
      detail: { supervisorId, dslIds: leads.map((l) => l.id) },
    })
    return { ok: true, id: row.id }
  })
}

function requestQuery(db: DbOrTrx) {
  return db
    .selectFrom('session_request as r')
    .innerJoin('person as rq', 'rq.id', 'r.requester_id')
    .leftJoin('person as sv', 'sv.id', 'r.supervisor_id')
    .leftJoin('person as an', 'an.id', 'r.answered_by')
    .select([
      'r.id',
      'r.school_id',
      'r.topic',
      'r.note',
      sql<string[]>`r.preferred_dates::text[]`.as('preferred_dates'),
      'r.status',
      'r.session_id',
      'r.decline_reason',
      'r.answered_at',
      'r.version',
      'r.created_at',
      'rq.id as requester_id',
      'rq.name as requester_name',
      'sv.id as supervisor_id',
      'sv.name as supervisor_name',
      'an.id as answered_by_id',
      'an.name as answered_by_name',
    ])
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['execute']>>[number]

function toRequest(r: RequestRow): SessionRequest {
  return {
    id: r.id,
    schoolId: r.school_id,
    requester: { id: r.requester_id, name: r.requester_name },
    topic: r.topic,
    note: r.note,
    preferredDates: [...r.preferred_dates],
    supervisor: r.supervisor_id ? { id: r.supervisor_id, name: r.supervisor_name ?? '' } : null,
    status: r.status,
    sessionId: r.session_id,
    declineReason: r.decline_reason,
    answeredBy: r.answered_by_id ? { id: r.answered_by_id, name: r.answered_by_name ?? '' } : null,
    answeredAt: r.answered_at,
    version: r.version,
    createdAt: r.created_at,
  }
}

/** One request, if the actor may see it (the requester, the supervisor it went to, the DSLs). */
export async function loadRequest(
  db: DbOrTrx,
  schoolIds: readonly string[],
  actor: SessionActor,
  id: string,
): Promise<SessionRequest | null> {
  if (!isUuid(id) || schoolIds.length === 0) return null
  const row = await requestQuery(db).where('r.id', '=', id).where('r.school_id', 'in', schoolIds).executeTakeFirst()
  if (!row) return null
  const request = toRequest(row)
  return mayViewRequest(actor, { requesterId: request.requester.id, supervisorId: request.supervisor?.id ?? null })
    ? request
    : null
}

/** The requests an actor answers (open first), and their own. */
export async function requestsFor(
  db: Db,
  schoolId: string,
  actor: SessionActor,
): Promise<{ toAnswer: SessionRequest[]; own: SessionRequest[] }> {
  let answerQuery = requestQuery(db).where('r.school_id', '=', schoolId).where('r.requester_id', '!=', actor.personId)
  if (!managesSessions(actor)) answerQuery = answerQuery.where('r.supervisor_id', '=', actor.personId)
  const [toAnswer, own] = await Promise.all([
    answerQuery
      .orderBy((eb) => eb.case().when('r.status', '=', 'open').then(0).else(1).end())
      .orderBy('r.created_at', 'desc')
      .limit(200)
      .execute(),
    requestQuery(db).where('r.requester_id', '=', actor.personId).orderBy('r.created_at', 'desc').limit(50).execute(),
  ])
  return { toAnswer: toAnswer.map(toRequest), own: own.map(toRequest) }
}

/** How many open requests wait for this actor's answer. */
export async function openRequestCount(db: Db, schoolId: string, actor: SessionActor): Promise<number> {
  let query = db
    .selectFrom('session_request')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', '=', 'open')
    .where('requester_id', '!=', actor.personId)
  if (!managesSessions(actor)) query = query.where('supervisor_id', '=', actor.personId)
  const row = await query.executeTakeFirstOrThrow()
  return Number(row.n)
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
    const row = await trx
      .selectFrom('session_request')
      .select(['id', 'status', 'version', 'requester_id', 'supervisor_id'])
      .where('id', '=', input.requestId)
      .where('school_id', '=', input.school.id)
      .forUpdate()
      .executeTakeFirst()
    if (!row || !mayAnswerRequest(input.actor, { requesterId: row.requester_id, supervisorId: row.supervisor_id }))
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
    await trx
      .updateTable('session_request')
      .set((eb) => ({
        status: 'declined',
        decline_reason: reason,
        answered_by: input.actor.personId,
        answered_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', row.id)
      .execute()
    const requester = await trx
      .selectFrom('person')
      .select(['id', 'name', 'email'])
      .where('id', '=', row.requester_id)
      .executeTakeFirstOrThrow()
    const email = requestDeclinedEmail(input.actor.name, row.id, input.baseUrl)
    await sendToEach(
      trx,
      input.school.organisationId,
      othersThan(input.actor.personId, [requester]),
      email.subject,
      email.body,
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
