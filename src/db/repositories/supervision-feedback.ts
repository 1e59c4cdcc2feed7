/**
 * Supervisee feedback on supervision (PL-06; issue 17): the requests that ask a supervisee, and
 * their answers. Every query is scoped by school (or, for a person's own requests, by their
 * organisation) in its where clause. Answers are read for aggregation only: the respondent's id
 * goes to the domain to count people and is never returned with a name.
 */
import { sql } from 'kysely'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { FeedbackResponse } from '../../domain/wellbeing/supervision-feedback.ts'
import type { DbOrTrx } from './connection.ts'
import { namesOf } from './staff/supervision.ts'

/** Asks a supervisee for one round; null when they were already asked for it. */
export async function insertFeedbackRequest(
  db: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    personId: string
    supervisorId: string | null
    sessionId: string | null
    roundKey: string
    askedOn: IsoDate
  },
): Promise<string | null> {
  const row = await db
    .insertInto('feedback_request')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      person_id: input.personId,
      supervisor_id: input.supervisorId,
      session_id: input.sessionId,
      round_key: input.roundKey,
      asked_on: input.askedOn,
    })
    .onConflict((oc) => oc.columns(['school_id', 'person_id', 'round_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export interface StoredFeedbackRequest {
  id: string
  schoolId: string
  schoolName: string
  personId: string
  supervisorId: string | null
  supervisorName: string | null
  sessionDate: IsoDate | null
  askedOn: IsoDate
  answeredOn: IsoDate | null
}

function requestQuery(db: DbOrTrx, organisationId: string) {
  return db
    .selectFrom('feedback_request as r')
    .innerJoin('school as sc', 'sc.id', 'r.school_id')
    .leftJoin('person as sup', 'sup.id', 'r.supervisor_id')
    .leftJoin('supervision_session as s', 's.id', 'r.session_id')
    .select([
      'r.id',
      'r.school_id',
      'sc.name as school_name',
      'r.person_id',
      'r.supervisor_id',
      'sup.name as supervisor_name',
      's.date as session_date',
      'r.asked_on',
      'r.answered_on',
    ])
    .where('r.organisation_id', '=', organisationId)
}

function toRequest(r: {
  id: string
  school_id: string
  school_name: string
  person_id: string
  supervisor_id: string | null
  supervisor_name: string | null
  session_date: IsoDate | null
  asked_on: IsoDate
  answered_on: IsoDate | null
}): StoredFeedbackRequest {
  return {
    id: r.id,
    schoolId: r.school_id,
    schoolName: r.school_name,
    personId: r.person_id,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    sessionDate: r.session_date,
    askedOn: r.asked_on,
    answeredOn: r.answered_on,
  }
}

/** One request of the organisation, or null. */
export async function feedbackRequestInOrganisation(
  db: DbOrTrx,
  organisationId: string,
  requestId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredFeedbackRequest | null> {
  if (!isUuid(requestId)) return null
  let query = requestQuery(db, organisationId).where('r.id', '=', requestId)
  if (options.forUpdate) query = query.forUpdate('r')
  const row = await query.executeTakeFirst()
  return row ? toRequest(row) : null
}

/** A person's questionnaires still to answer, oldest first. */
export async function openFeedbackRequestsOf(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<StoredFeedbackRequest[]> {
  const rows = await requestQuery(db, organisationId)
    .where('r.person_id', '=', personId)
    .where('r.answered_on', 'is', null)
    .orderBy('r.asked_on')
    .orderBy('r.id')
    .execute()
  return rows.map(toRequest)
}

/** Records the answers to a request not yet answered; false when it was answered meanwhile. */
export async function answerFeedbackRequest(
  db: DbOrTrx,
  schoolId: string,
  input: {
    requestId: string
    supervisorId: string | null
    answeredOn: IsoDate
    answers: Record<string, number>
    comment: string | null
  },
): Promise<boolean> {
  const updated = await db
    .updateTable('feedback_request')
    .set({ answered_on: input.answeredOn })
    .where('school_id', '=', schoolId)
    .where('id', '=', input.requestId)
    .where('answered_on', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (!updated) return false
  await db
    .insertInto('feedback_response')
    .values({
      school_id: schoolId,
      request_id: input.requestId,
      supervisor_id: input.supervisorId,
      answered_on: input.answeredOn,
      answers: JSON.stringify(input.answers),
      comment: input.comment,
    })
    .execute()
  return true
}

/** The school's answers between two days (both included), for aggregation only. */
export async function feedbackResponsesOf(
  db: DbOrTrx,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<FeedbackResponse[]> {
  const rows = await db
    .selectFrom('feedback_response as a')
    .innerJoin('feedback_request as r', 'r.id', 'a.request_id')
    .select(['r.person_id', 'a.supervisor_id', 'a.answered_on', 'a.answers', 'a.comment'])
    .where('a.school_id', '=', schoolId)
    .where('r.school_id', '=', schoolId)
    .where('a.answered_on', '>=', from)
    .where('a.answered_on', '<=', to)
    .execute()
  return rows.map((r) => ({
    respondentId: r.person_id,
    supervisorId: r.supervisor_id,
    answeredOn: r.answered_on,
    answers: typeof r.answers === 'string' ? (JSON.parse(r.answers) as Record<string, number>) : r.answers,
    comment: r.comment,
  }))
}

/** How many questionnaires the school asked between two days (both included). */
export async function feedbackAskedBetween(db: DbOrTrx, schoolId: string, from: IsoDate, to: IsoDate): Promise<number> {
  const row = await db
    .selectFrom('feedback_request')
    .select(sql<string>`count(*)`.as('n'))
    .where('school_id', '=', schoolId)
    .where('asked_on', '>=', from)
    .where('asked_on', '<=', to)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A questionnaire still unanswered and not yet reminded (PL-06), with where to send the reminder. */
export interface UnremindedFeedbackRequest {
  id: string
  organisationId: string
  schoolId: string
  personId: string
  name: string
  email: string
  /** The person's last day, if they have left. */
  endDate: IsoDate | null
  askedOn: IsoDate
}

/** The schools with a questionnaire asked on or before `askedBy`, unanswered and never reminded (the reminder job's work). */
export async function schoolsWithUnremindedFeedback(db: DbOrTrx, askedBy: IsoDate): Promise<string[]> {
  const rows = await db
    .selectFrom('feedback_request')
    .select('school_id')
    .distinct()
    .where('answered_on', 'is', null)
    .where('reminded_on', 'is', null)
    .where('asked_on', '<=', askedBy)
    .orderBy('school_id')
    .execute()
  return rows.map((r) => r.school_id)
}

/**
 * A school's questionnaires asked on or before `askedBy`, still unanswered and never reminded
 * (its policy then says which are due), oldest first, locked so two instances do not remind the
 * same one.
 */
export async function unremindedFeedbackRequests(
  db: DbOrTrx,
  schoolId: string,
  askedBy: IsoDate,
): Promise<UnremindedFeedbackRequest[]> {
  const rows = await db
    .selectFrom('feedback_request as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'r.id',
      'r.organisation_id',
      'r.school_id',
      'r.person_id',
      'p.name',
      'p.email',
      'p.end_date',
      'r.asked_on',
    ])
    .where('r.school_id', '=', schoolId)
    .where('r.answered_on', 'is', null)
    .where('r.reminded_on', 'is', null)
    .where('r.asked_on', '<=', askedBy)
    .orderBy('r.asked_on')
    .orderBy('r.id')
    .forUpdate('r')
    .skipLocked()
    .execute()
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    schoolId: r.school_id,
    personId: r.person_id,
    name: r.name,
    email: r.email,
    endDate: r.end_date,
    askedOn: r.asked_on,
  }))
}

/** Marks a school's questionnaire as reminded on a day; false when it was reminded or answered meanwhile. */
export async function markFeedbackReminded(
  db: DbOrTrx,
  schoolId: string,
  requestId: string,
  on: IsoDate,
): Promise<boolean> {
  const row = await db
    .updateTable('feedback_request')
    .set({ reminded_on: on })
    .where('school_id', '=', schoolId)
    .where('id', '=', requestId)
    .where('answered_on', 'is', null)
    .where('reminded_on', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Names of the school's supervisors, by id. */
export const supervisorNames = namesOf
