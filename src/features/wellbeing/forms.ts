/** The further support forms (LH-04, issue 17): one Zod schema each (src/forms/). */
import { z } from 'zod'
import { dateInputSchema, datePartsFrom } from '../../forms/date-input.ts'
import { field } from '../../forms/errors.ts'
import { text, version, withDates } from '../../forms/fields.ts'
import { furtherSupportTextLimit } from '../../services/wellbeing/further-support.ts'

const limit = furtherSupportTextLimit

/** Optional long text: null when blank, refused when too long. */
function optionalText(label: string) {
  return text.pipe(
    z
      .string()
      .max(limit, `${label} must be ${limit} characters or fewer`)
      .transform((v) => (v === '' ? null : v)),
  )
}

/** Starting a stress risk assessment: its review date and actions. */
export const assessmentForm = z.preprocess(
  withDates('reviewOn'),
  z.object({
    reviewOn: dateInputSchema('Review date', { required: true }),
    actions: text.pipe(
      z.string().min(1, 'Enter the actions agreed').max(limit, `Actions must be ${limit} characters or fewer`),
    ),
  }),
)
export const assessmentHrefs = { reviewOn: 'reviewOn-day' }

export function assessmentValues(body: unknown) {
  return { reviewOn: datePartsFrom(body, 'reviewOn'), actions: field(body, 'actions') }
}

/** Closing an assessment: an optional note, at the version read. */
export const closeAssessmentForm = z.object({ note: optionalText('Note'), version })

/** Recording a referral to Occupational Health. */
export const referralForm = z.preprocess(
  withDates('referredOn', 'followUpOn'),
  z.object({
    referredOn: dateInputSchema('Date of the referral', { required: true }),
    reason: text.pipe(z.string().min(1, 'Select the reason for the referral')),
    outcome: optionalText('Outcome'),
    followUpOn: dateInputSchema('Follow-up date'),
  }),
)
export const referralHrefs = { referredOn: 'referredOn-day', followUpOn: 'followUpOn-day', reason: 'reason' }

export function referralValues(body: unknown) {
  return {
    referredOn: datePartsFrom(body, 'referredOn'),
    reason: field(body, 'reason'),
    outcome: field(body, 'outcome'),
    followUpOn: datePartsFrom(body, 'followUpOn'),
  }
}

/** Recording a referral's outcome and follow-up, at the version read. */
export const referralOutcomeForm = z.preprocess(
  withDates('followUpOn'),
  z.object({ outcome: optionalText('Outcome'), followUpOn: dateInputSchema('Follow-up date'), version }),
)
export const referralOutcomeHrefs = { followUpOn: 'followUpOn-day' }

/** Changing a development plan item: its status and due date, at the version read (PL-07). */
export const planItemForm = z.preprocess(
  withDates('dueOn'),
  z.object({
    status: text.pipe(z.string().min(1, 'Select the status')),
    dueOn: dateInputSchema('Due date'),
    version,
  }),
)
/** Each item's form has its own ids (several on one page), named by the item's id. */
export function planItemHrefs(itemId: string) {
  return { status: `status-${itemId}`, dueOn: `dueOn-${itemId}-day` }
}

/**
 * PL-06: a supervisee's answers to the feedback questionnaire. The questions are the policy's, so
 * each answer (`answer-<question id>`) is read as a whole number or nothing; the domain says what
 * is missing (feedbackAnswerProblems).
 */
export const feedbackForm = z.object({
  comment: text.pipe(z.string().max(2000, 'Your comment must be 2000 characters or fewer')),
})

export function feedbackAnswersFrom(body: unknown, questionIds: readonly string[]): Record<string, number | null> {
  return Object.fromEntries(
    questionIds.map((id) => {
      const raw = field(body, `answer-${id}`)
      return [id, /^[1-5]$/.test(raw) ? Number(raw) : null]
    }),
  )
}
