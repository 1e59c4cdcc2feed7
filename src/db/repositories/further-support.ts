/**
 * Further support (LH-04, issue 17): stress risk assessments and referrals to Occupational Health,
 * and the person's additional-support flag an open assessment holds. Every query is scoped by
 * school in its where clause; the service decides who may read what.
 */
import { sql } from 'kysely'
import type { FlagPeriod, IsoDate } from '../../domain/people/person.ts'
import type { SupportFlag } from '../../domain/wellbeing/further-support.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredAssessment {
  id: string
  personId: string
  assessor: { id: string; name: string } | null
  startedOn: IsoDate
  reviewOn: IsoDate
  actions: string
  flagBefore: SupportFlag
  closedOn: IsoDate | null
  closedBy: { id: string; name: string } | null
  closingNote: string | null
  version: number
}

export interface StoredReferral {
  id: string
  personId: string
  referredBy: { id: string; name: string } | null
  referredOn: IsoDate
  reason: string
  outcome: string | null
  followUpOn: IsoDate | null
  version: number
}

const named = (id: string | null, name: string | null) => (id ? { id, name: name ?? 'Unknown' } : null)

function assessmentQuery(db: DbOrTrx, schoolId: string) {
  return db
    .selectFrom('stress_risk_assessment as a')
    .leftJoin('person as assessor', 'assessor.id', 'a.assessor_id')
    .leftJoin('person as closer', 'closer.id', 'a.closed_by')
    .select([
      'a.id',
      'a.person_id',
      'a.assessor_id',
      'assessor.name as assessor_name',
      'a.started_on',
      'a.review_on',
      'a.actions',
      'a.flag_before',
      'a.closed_on',
      'a.closed_by',
      'closer.name as closed_by_name',
      'a.closing_note',
      'a.version',
    ])
    .where('a.school_id', '=', schoolId)
}

type AssessmentRow = Awaited<ReturnType<ReturnType<typeof assessmentQuery>['executeTakeFirstOrThrow']>>

function assessmentFromRow(r: AssessmentRow): StoredAssessment {
  return {
    id: r.id,
    personId: r.person_id,
    assessor: named(r.assessor_id, r.assessor_name),
    startedOn: r.started_on,
    reviewOn: r.review_on,
    actions: r.actions,
    flagBefore: r.flag_before,
    closedOn: r.closed_on,
    closedBy: named(r.closed_by, r.closed_by_name),
    closingNote: r.closing_note,
    version: r.version,
  }
}

/** A person's assessments, open first, newest first. */
export async function assessmentsOf(db: DbOrTrx, schoolId: string, personId: string): Promise<StoredAssessment[]> {
  const rows = await assessmentQuery(db, schoolId)
    .where('a.person_id', '=', personId)
    .orderBy(sql`a.closed_on is null`, 'desc')
    .orderBy('a.started_on', 'desc')
    .orderBy('a.created_at', 'desc')
    .execute()
  return rows.map(assessmentFromRow)
}

/** One assessment of the person, or null; locked for update when asked. */
export async function findAssessment(
  db: DbOrTrx,
  schoolId: string,
  personId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredAssessment | null> {
  let query = assessmentQuery(db, schoolId).where('a.person_id', '=', personId).where('a.id', '=', id)
  if (options.forUpdate) query = query.forUpdate('a')
  const row = await query.executeTakeFirst()
  return row ? assessmentFromRow(row) : null
}

export async function insertAssessment(
  db: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    personId: string
    assessorId: string
    startedOn: IsoDate
    reviewOn: IsoDate
    actions: string
    flagBefore: SupportFlag
  },
): Promise<string> {
  const row = await db
    .insertInto('stress_risk_assessment')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      person_id: input.personId,
      assessor_id: input.assessorId,
      started_on: input.startedOn,
      review_on: input.reviewOn,
      actions: input.actions,
      flag_before: JSON.stringify(input.flagBefore),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Updates an open assessment's review date and actions at the version read; false when it lost. */
export async function updateAssessment(
  db: DbOrTrx,
  input: { schoolId: string; id: string; version: number; reviewOn: IsoDate; actions: string },
): Promise<boolean> {
  const result = await db
    .updateTable('stress_risk_assessment')
    .set({ review_on: input.reviewOn, actions: input.actions, version: sql`version + 1` })
    .where('school_id', '=', input.schoolId)
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .where('closed_on', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Closes an open assessment at the version read; false when it lost or was already closed. */
export async function closeAssessment(
  db: DbOrTrx,
  input: { schoolId: string; id: string; version: number; closedOn: IsoDate; closedBy: string; note: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('stress_risk_assessment')
    .set({ closed_on: input.closedOn, closed_by: input.closedBy, closing_note: input.note, version: sql`version + 1` })
    .where('school_id', '=', input.schoolId)
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .where('closed_on', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** The person's additional-support flag and its dates, locking the person's row. */
export async function lockSupportFlag(db: DbOrTrx, schoolId: string, personId: string): Promise<SupportFlag | null> {
  const row = await db
    .selectFrom('person')
    .select(['additional_support', 'flag_dates'])
    .where('school_id', '=', schoolId)
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) return null
  const period = row.flag_dates['additional-support']
  return { set: row.additional_support, since: period?.since ?? null, until: period?.until ?? null }
}

/** Sets the person's additional-support flag with its dates, and counts the change on their version. */
export async function setSupportFlag(db: DbOrTrx, schoolId: string, personId: string, period: FlagPeriod) {
  await db
    .updateTable('person')
    .set({
      additional_support: true,
      flag_dates: sql`jsonb_set(flag_dates, '{additional-support}', ${JSON.stringify(period)}::jsonb)`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('school_id', '=', schoolId)
    .where('id', '=', personId)
    .execute()
}

function referralQuery(db: DbOrTrx, schoolId: string) {
  return db
    .selectFrom('occupational_health_referral as r')
    .leftJoin('person as referrer', 'referrer.id', 'r.referred_by')
    .select([
      'r.id',
      'r.person_id',
      'r.referred_by',
      'referrer.name as referred_by_name',
      'r.referred_on',
      'r.reason',
      'r.outcome',
      'r.follow_up_on',
      'r.version',
    ])
    .where('r.school_id', '=', schoolId)
}

type ReferralRow = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>

function referralFromRow(r: ReferralRow): StoredReferral {
  return {
    id: r.id,
    personId: r.person_id,
    referredBy: named(r.referred_by, r.referred_by_name),
    referredOn: r.referred_on,
    reason: r.reason,
    outcome: r.outcome,
    followUpOn: r.follow_up_on,
    version: r.version,
  }
}

/** A person's referrals, newest first. */
export async function referralsOf(db: DbOrTrx, schoolId: string, personId: string): Promise<StoredReferral[]> {
  const rows = await referralQuery(db, schoolId)
    .where('r.person_id', '=', personId)
    .orderBy('r.referred_on', 'desc')
    .orderBy('r.created_at', 'desc')
    .execute()
  return rows.map(referralFromRow)
}

export async function findReferral(
  db: DbOrTrx,
  schoolId: string,
  personId: string,
  id: string,
): Promise<StoredReferral | null> {
  const row = await referralQuery(db, schoolId)
    .where('r.person_id', '=', personId)
    .where('r.id', '=', id)
    .executeTakeFirst()
  return row ? referralFromRow(row) : null
}

export async function insertReferral(
  db: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    personId: string
    referredBy: string
    referredOn: IsoDate
    reason: string
    outcome: string | null
    followUpOn: IsoDate | null
  },
): Promise<string> {
  const row = await db
    .insertInto('occupational_health_referral')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      person_id: input.personId,
      referred_by: input.referredBy,
      referred_on: input.referredOn,
      reason: input.reason,
      outcome: input.outcome,
      follow_up_on: input.followUpOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Records a referral's outcome and follow-up at the version read; false when it lost. */
export async function updateReferralOutcome(
  db: DbOrTrx,
  input: { schoolId: string; id: string; version: number; outcome: string | null; followUpOn: IsoDate | null },
): Promise<boolean> {
  const result = await db
    .updateTable('occupational_health_referral')
    .set({ outcome: input.outcome, follow_up_on: input.followUpOn, version: sql`version + 1` })
    .where('school_id', '=', input.schoolId)
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Content-blind figures for the school's overview: counts only, no names. */
export interface FurtherSupportCounts {
  openAssessments: number
  reviewsOverdue: number
  assessmentsStarted: number
  referrals: number
  /** Referrals whose follow-up falls from today up to `soon`. */
  followUpsSoon: number
}

/** The counts on `today`; started and referred counted from `from` (the academic year's start). */
export async function furtherSupportCounts(
  db: DbOrTrx,
  schoolId: string,
  dates: { today: IsoDate; from: IsoDate; soon: IsoDate },
): Promise<FurtherSupportCounts> {
  const { today, from, soon } = dates
  const [a, r] = await Promise.all([
    db
      .selectFrom('stress_risk_assessment')
      .select([
        sql<number>`count(*) filter (where closed_on is null)::int`.as('open'),
        sql<number>`count(*) filter (where closed_on is null and review_on < ${today})::int`.as('overdue'),
        sql<number>`count(*) filter (where started_on >= ${from} and started_on <= ${today})::int`.as('started'),
      ])
      .where('school_id', '=', schoolId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('occupational_health_referral')
      .select([
        sql<number>`count(*) filter (where referred_on >= ${from} and referred_on <= ${today})::int`.as('referred'),
        sql<number>`count(*) filter (where follow_up_on >= ${today} and follow_up_on <= ${soon})::int`.as('due'),
      ])
      .where('school_id', '=', schoolId)
      .executeTakeFirstOrThrow(),
  ])
  return {
    openAssessments: a.open,
    reviewsOverdue: a.overdue,
    assessmentsStarted: a.started,
    referrals: r.referred,
    followUpsSoon: r.due,
  }
}
