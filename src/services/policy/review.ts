/**
 * The policy review (X-08, LH-01): recording a review from the policy page, and reminding the
 * policy's owner before the review is due.
 *
 * A review is saved as a new version of the policy (origin 'review'), taking effect today, with
 * the same rules as the version in force and the new review dates: the version that was
 * published is never changed, and the history shows who reviewed it and when.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { latestPolicyVersion } from '../../db/repositories/policy.ts'
import { currentStaffForReminders, schoolsWithPolicy } from '../../db/repositories/policy-lifecycle.ts'
import { formatLongDate, type IsoDate } from '../../domain/calendar/index.ts'
import {
  type PolicyProblem,
  policyReview,
  policyReviewReminderKey,
  reviewProblems,
  reviewReminderRecipients,
  withReview,
} from '../../domain/policy/index.ts'
import { paths } from '../../paths/index.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { policyBook } from './on-date.ts'
import { writeVersion } from './store.ts'

export type RecordReviewResult = { ok: true; version: number } | { ok: false; problems: PolicyProblem[] }

/** Records a review of the policy in force today as a new version (problems by field: reviewedOn, reviewedBy). */
export async function recordPolicyReview(
  db: Db,
  input: {
    schoolId: string
    organisationId: string
    actorId: string
    reviewedOn: IsoDate
    reviewedBy: string
    today: IsoDate
  },
): Promise<RecordReviewResult> {
  return db.transaction().execute(async (trx): Promise<RecordReviewResult> => {
    await latestPolicyVersion(trx, input.schoolId, { forUpdate: true })
    const book = await policyBook(trx, input.schoolId)
    const inForce = book.on(input.today)
    if (!inForce)
      return { ok: false, problems: [{ path: 'reviewedOn', message: 'There is no policy in force to review' }] }
    // A version not yet in force is the latest by effective date, when there is one.
    const scheduled = book.latest && book.latest.effectiveFrom > input.today ? book.latest : null
    if (scheduled) {
      return {
        ok: false,
        problems: [
          {
            path: 'reviewedOn',
            message: `Version ${scheduled.version} takes effect on ${formatLongDate(scheduled.effectiveFrom)}: record the review in that version in the policy editor`,
          },
        ],
      }
    }
    const problems = reviewProblems(inForce, input, input.today)
    if (problems.length > 0) return { ok: false, problems }
    const reviewed = withReview(inForce, { reviewedOn: input.reviewedOn, reviewedBy: input.reviewedBy })
    const version = await writeVersion(trx, {
      schoolId: input.schoolId,
      organisationId: input.organisationId,
      policy: reviewed,
      effectiveFrom: input.today,
      today: input.today,
      reason: null,
      packId: null,
      actorId: input.actorId,
      origin: 'review',
      action: 'policy.reviewed',
      detail: {
        reviewedOn: input.reviewedOn,
        reviewedBy: reviewed.metadata.lastReviewedBy,
        nextReviewDue: reviewed.metadata.nextReviewDue,
        reviewOfVersion: inForce.version,
      },
    })
    return { ok: true, version }
  })
}

/**
 * from the reminder date before the policy's review is due (and while it is overdue), one
 * email to the policy's owner for each review date. The dedupe key makes a second run send nothing.
 * Returns how many emails were new.
 */
export async function sendPolicyReviewReminders(
  db: DbOrTrx,
  input: { today: IsoDate; baseUrl: string },
): Promise<number> {
  let sent = 0
  for (const school of await schoolsWithPolicy(db)) {
    const policy = (await policyBook(db, school.schoolId)).on(input.today)
    if (!policy) continue
    const review = policyReview(policy, input.today)
    if ((review.state !== 'review-soon' && review.state !== 'overdue') || review.nextReviewDue === null) continue
    const staff = await currentStaffForReminders(db, school.schoolId, input.today)
    const due = formatLongDate(review.nextReviewDue)
    for (const person of reviewReminderRecipients(policy.metadata, staff)) {
      if (person.email.trim() === '') continue
      const result = await enqueueEmail(db, {
        kind: 'policy.review-due',
        to: person.email,
        organisationId: school.organisationId,
        subject:
          review.state === 'overdue'
            ? `Haven: the supervision policy review for ${school.name} is overdue`
            : `Haven: the supervision policy for ${school.name} is due for review`,
        text: [
          `Hello ${person.name},`,
          '',
          review.state === 'overdue'
            ? `The review of ${policy.metadata.title} was due by ${due}.`
            : `${policy.metadata.title} is due for review by ${due}.`,
          'When it has been reviewed, record the review on the policy page: the date and who reviewed it.',
          '',
          `${input.baseUrl}${paths.policy.review()}`,
        ].join('\n'),
        dedupeKey: policyReviewReminderKey(school.schoolId, person.id, review.nextReviewDue),
      })
      if (result.created) sent++
    }
  }
  return sent
}
