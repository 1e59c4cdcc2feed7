/**
 * Further support (LH-04, LH-03; issue 17): a person's supervisor or line manager (or the DSL)
 * starts a stress risk assessment, with a review date and actions, or records a referral to
 * Occupational Health. Each is read only by the person, whoever recorded it and the DSL; anyone
 * else is told the page is not there. While an assessment is open the person's additional-support
 * flag holds, so the policy's stricter frequency applies; closing the last one ends it (ADR 0029).
 * Every change and every reading of the content is audited (ids and codes only).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  assessmentsOf,
  closeAssessment,
  findAssessment,
  findReferral,
  furtherSupportCounts,
  insertAssessment,
  insertReferral,
  lockSupportFlag,
  referralsOf,
  type StoredAssessment,
  type StoredReferral,
  setSupportFlag,
  updateReferralOutcome,
} from '../../db/repositories/further-support.ts'
import { currentAssignment } from '../../db/repositories/staff/supervision.ts'
import type { RequestActor } from '../../domain/access/actor.ts'
import { academicYearIdFor, addDays, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  flagOnClosing,
  flagWhileOpen,
  mayChangeFurtherSupport,
  mayReadFurtherSupport,
  mayStartFurtherSupport,
  ReferralReason,
  type SupportSubject,
} from '../../domain/wellbeing/further-support.ts'
import { recordAudit } from '../audit.ts'
import { overviewSchoolFor } from '../overview/overview.ts'
import { getStoredPerson } from '../staff/people.ts'

export type { FurtherSupportCounts } from '../../db/repositories/further-support.ts'
export type { StoredAssessment, StoredReferral }

/** The longest actions, outcome or note accepted, in characters. */
export const furtherSupportTextLimit = 5000

export interface Subject extends SupportSubject {
  name: string
  organisationId: string
  schoolId: string
}

/** The person, in their school, with who currently manages and supervises them (also for development plans). */
export async function subjectOf(db: DbOrTrx, organisationId: string, personId: string): Promise<Subject | null> {
  const stored = await getStoredPerson(db, organisationId, personId)
  if (!stored || stored.person.schoolId === null) return null
  const supervisor = await currentAssignment(db, organisationId, personId, 'supervisor')
  return {
    id: stored.person.id,
    name: stored.person.name,
    organisationId,
    schoolId: stored.person.schoolId,
    lineManagerId: stored.person.lineManagerId,
    supervisorIds: supervisor ? [supervisor.supervisorId] : [],
  }
}

export interface FurtherSupportInput {
  actor: RequestActor
  personId: string
}

export interface FurtherSupportPage {
  person: { id: string; name: string }
  /** Whether the viewer may start an assessment or record a referral. */
  mayStart: boolean
  /** Whether the viewer is the person themself. */
  own: boolean
  assessments: StoredAssessment[]
  referrals: StoredReferral[]
}

/**
 * A person's further support as the viewer may see it: everything for the person and the DSL,
 * only what they recorded for a supervisor or line manager. Null when the viewer may neither read
 * nor start any (the page is not there for them). Reading content is audited.
 */
export async function furtherSupportPage(db: Db, input: FurtherSupportInput): Promise<FurtherSupportPage | null> {
  const subject = await subjectOf(db, input.actor.organisationId, input.personId)
  if (!subject) return null
  const actor = input.actor.in(subject.schoolId)
  const [allAssessments, allReferrals] = await Promise.all([
    assessmentsOf(db, subject.schoolId, subject.id),
    referralsOf(db, subject.schoolId, subject.id),
  ])
  const assessments = allAssessments.filter((a) =>
    mayReadFurtherSupport(actor, { personId: a.personId, recordedBy: a.assessor?.id ?? null }),
  )
  const referrals = allReferrals.filter((r) =>
    mayReadFurtherSupport(actor, { personId: r.personId, recordedBy: r.referredBy?.id ?? null }),
  )
  const mayStart = mayStartFurtherSupport(actor, subject)
  const own = actor.personId === subject.id
  if (!mayStart && !own && assessments.length === 0 && referrals.length === 0) return null
  if (assessments.length + referrals.length > 0)
    await recordAudit(db, {
      action: 'further-support.read',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { assessments: assessments.map((a) => a.id), referrals: referrals.map((r) => r.id) },
    })
  return { person: { id: subject.id, name: subject.name }, mayStart, own, assessments, referrals }
}

/** Whether the viewer may start further support for the person; their name when they may. */
export async function startableFor(db: Db, input: FurtherSupportInput): Promise<{ id: string; name: string } | null> {
  const subject = await subjectOf(db, input.actor.organisationId, input.personId)
  if (!subject || !mayStartFurtherSupport(input.actor.in(subject.schoolId), subject)) return null
  return { id: subject.id, name: subject.name }
}

export type FurtherSupportResult =
  | { ok: true; id: string }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'field'; field: string; message: string }

/**
 * LH-04: starts a stress risk assessment from today, with a review date and actions. In the same
 * transaction the person's additional-support flag is set from today with no end (LH-03), keeping
 * the flag as it stood before so closing gives it back.
 */
export async function startAssessment(
  db: Db,
  input: FurtherSupportInput & { reviewOn: IsoDate; actions: string; today: IsoDate },
): Promise<FurtherSupportResult> {
  if (input.reviewOn < input.today)
    return { ok: false, kind: 'field', field: 'reviewOn', message: 'Review date must be today or in the future' }
  return db.transaction().execute(async (trx): Promise<FurtherSupportResult> => {
    const subject = await subjectOf(trx, input.actor.organisationId, input.personId)
    if (!subject) return { ok: false, kind: 'not-found' }
    const actor = input.actor.in(subject.schoolId)
    if (!mayStartFurtherSupport(actor, subject)) return { ok: false, kind: 'not-found' }
    const flag = await lockSupportFlag(trx, subject.schoolId, subject.id)
    if (!flag) return { ok: false, kind: 'not-found' }
    // With another assessment open, the flag as it stood before that one is what closing gives back.
    const alreadyOpen = (await assessmentsOf(trx, subject.schoolId, subject.id)).find((a) => a.closedOn === null)
    const flagBefore = alreadyOpen?.flagBefore ?? flag
    const id = await insertAssessment(trx, {
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      personId: subject.id,
      assessorId: actor.personId,
      startedOn: input.today,
      reviewOn: input.reviewOn,
      actions: input.actions,
      flagBefore,
    })
    await setSupportFlag(trx, subject.schoolId, subject.id, flagWhileOpen(flag, input.today))
    await recordAudit(trx, {
      action: 'further-support.assessment-started',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { assessmentId: id },
    })
    return { ok: true, id }
  })
}

export interface AssessmentDetail {
  person: { id: string; name: string }
  assessment: StoredAssessment
  mayClose: boolean
}

/**
 * One assessment or referral of the person, for a viewer who may read it, with its reading audited
 * (ids only); null when there is none or the viewer may not read it.
 */
async function readOne<T extends { id: string }>(
  db: Db,
  input: FurtherSupportInput,
  itemId: string,
  kind: 'assessments' | 'referrals',
  find: (schoolId: string, personId: string) => Promise<T | null | undefined>,
  recordedBy: (found: T) => string | null,
) {
  if (!isUuid(itemId)) return null
  const subject = await subjectOf(db, input.actor.organisationId, input.personId)
  if (!subject) return null
  const found = await find(subject.schoolId, subject.id)
  if (!found) return null
  const actor = input.actor.in(subject.schoolId)
  const item = { personId: subject.id, recordedBy: recordedBy(found) }
  if (!mayReadFurtherSupport(actor, item)) return null
  await recordAudit(db, {
    action: 'further-support.read',
    subjectType: 'person',
    subjectId: subject.id,
    actorId: actor.personId,
    organisationId: subject.organisationId,
    schoolId: subject.schoolId,
    detail: { assessments: [], referrals: [], [kind]: [found.id] },
  })
  return { person: { id: subject.id, name: subject.name }, found, mayChange: mayChangeFurtherSupport(actor, item) }
}

/** One assessment, for a viewer who may read it (audited); null otherwise. */
export async function assessmentDetail(
  db: Db,
  input: FurtherSupportInput & { assessmentId: string },
): Promise<AssessmentDetail | null> {
  const read = await readOne(
    db,
    input,
    input.assessmentId,
    'assessments',
    (schoolId, personId) => findAssessment(db, schoolId, personId, input.assessmentId),
    (a) => a.assessor?.id ?? null,
  )
  if (!read) return null
  return {
    person: read.person,
    assessment: read.found,
    mayClose: read.found.closedOn === null && read.mayChange,
  }
}

/**
 * Closes an open assessment today, with an optional note, at the version read. When it was the
 * person's last open assessment, the additional-support flag ends today, unless it already held
 * with no end before the assessment opened (then it was set for another reason and stays).
 */
export async function closeAssessmentToday(
  db: Db,
  input: FurtherSupportInput & { assessmentId: string; version: number | null; note: string | null; today: IsoDate },
): Promise<FurtherSupportResult> {
  if (!isUuid(input.assessmentId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<FurtherSupportResult> => {
    const subject = await subjectOf(trx, input.actor.organisationId, input.personId)
    if (!subject) return { ok: false, kind: 'not-found' }
    const actor = input.actor.in(subject.schoolId)
    const flag = await lockSupportFlag(trx, subject.schoolId, subject.id)
    const assessment = await findAssessment(trx, subject.schoolId, subject.id, input.assessmentId, { forUpdate: true })
    if (!flag || !assessment) return { ok: false, kind: 'not-found' }
    const item = { personId: subject.id, recordedBy: assessment.assessor?.id ?? null }
    if (!mayChangeFurtherSupport(actor, item)) return { ok: false, kind: 'not-found' }
    if (input.version === null || assessment.closedOn !== null) return { ok: false, kind: 'conflict' }
    const closed = await closeAssessment(trx, {
      schoolId: subject.schoolId,
      id: assessment.id,
      version: input.version,
      closedOn: input.today,
      closedBy: actor.personId,
      note: input.note,
    })
    if (!closed) return { ok: false, kind: 'conflict' }
    const stillOpen = (await assessmentsOf(trx, subject.schoolId, subject.id)).some((a) => a.closedOn === null)
    const after = stillOpen
      ? null
      : flagOnClosing(assessment.flagBefore, assessment.startedOn, input.today, {
          since: flag.since,
          until: flag.until,
        })
    if (after) await setSupportFlag(trx, subject.schoolId, subject.id, after)
    await recordAudit(trx, {
      action: 'further-support.assessment-closed',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { assessmentId: assessment.id, flagEnded: after !== null },
    })
    return { ok: true, id: assessment.id }
  })
}

export interface ReferralInput {
  referredOn: IsoDate
  reason: string
  outcome: string | null
  followUpOn: IsoDate | null
}

/** LH-04: records a referral to Occupational Health (date, reason category, outcome, follow-up). */
export async function recordReferral(
  db: Db,
  input: FurtherSupportInput & ReferralInput & { today: IsoDate },
): Promise<FurtherSupportResult> {
  if (input.referredOn > input.today)
    return {
      ok: false,
      kind: 'field',
      field: 'referredOn',
      message: 'Date of the referral must be today or in the past',
    }
  if (!(Object.values(ReferralReason) as string[]).includes(input.reason))
    return { ok: false, kind: 'field', field: 'reason', message: 'Select the reason for the referral' }
  return db.transaction().execute(async (trx): Promise<FurtherSupportResult> => {
    const subject = await subjectOf(trx, input.actor.organisationId, input.personId)
    if (!subject) return { ok: false, kind: 'not-found' }
    const actor = input.actor.in(subject.schoolId)
    if (!mayStartFurtherSupport(actor, subject)) return { ok: false, kind: 'not-found' }
    const id = await insertReferral(trx, {
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      personId: subject.id,
      referredBy: actor.personId,
      referredOn: input.referredOn,
      reason: input.reason,
      outcome: input.outcome,
      followUpOn: input.followUpOn,
    })
    await recordAudit(trx, {
      action: 'further-support.referral-recorded',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { referralId: id, reason: input.reason },
    })
    return { ok: true, id }
  })
}

export interface ReferralDetail {
  person: { id: string; name: string }
  referral: StoredReferral
  mayChange: boolean
}

/** One referral, for a viewer who may read it (audited); null otherwise. */
export async function referralDetail(
  db: Db,
  input: FurtherSupportInput & { referralId: string },
): Promise<ReferralDetail | null> {
  const read = await readOne(
    db,
    input,
    input.referralId,
    'referrals',
    (schoolId, personId) => findReferral(db, schoolId, personId, input.referralId),
    (r) => r.referredBy?.id ?? null,
  )
  return read ? { person: read.person, referral: read.found, mayChange: read.mayChange } : null
}

/** Records a referral's outcome and follow-up date, at the version read. */
export async function recordReferralOutcome(
  db: Db,
  input: FurtherSupportInput & {
    referralId: string
    version: number | null
    outcome: string | null
    followUpOn: IsoDate | null
  },
): Promise<FurtherSupportResult> {
  if (!isUuid(input.referralId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<FurtherSupportResult> => {
    const subject = await subjectOf(trx, input.actor.organisationId, input.personId)
    if (!subject) return { ok: false, kind: 'not-found' }
    const actor = input.actor.in(subject.schoolId)
    const referral = await findReferral(trx, subject.schoolId, subject.id, input.referralId)
    if (!referral) return { ok: false, kind: 'not-found' }
    if (!mayChangeFurtherSupport(actor, { personId: subject.id, recordedBy: referral.referredBy?.id ?? null }))
      return { ok: false, kind: 'not-found' }
    if (input.version === null) return { ok: false, kind: 'conflict' }
    const saved = await updateReferralOutcome(trx, {
      schoolId: subject.schoolId,
      id: referral.id,
      version: input.version,
      outcome: input.outcome,
      followUpOn: input.followUpOn,
    })
    if (!saved) return { ok: false, kind: 'conflict' }
    await recordAudit(trx, {
      action: 'further-support.referral-updated',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { referralId: referral.id },
    })
    return { ok: true, id: referral.id }
  })
}

/** How far ahead a follow-up counts as coming up, in days. */
const followUpWindowDays = 28

/**
 * LH-04: the content-blind figures for management, for the viewer's school (or, for someone of the
 * trust centrally, the school chosen): counts only, this academic year. Null when there is no school.
 */
export async function furtherSupportFigures(
  db: Db,
  person: { organisationId: string; schoolId: string | null },
  slug: string | undefined,
  today: IsoDate,
) {
  const found = await overviewSchoolFor(db, person, slug)
  if (!found) return null
  const year = parseAcademicYearId(academicYearIdFor(today))!
  return {
    ...found,
    from: year.start,
    soonDays: followUpWindowDays,
    counts: await furtherSupportCounts(db, found.school.id, {
      today,
      from: year.start,
      soon: addDays(today, followUpWindowDays),
    }),
  }
}
