/**
 * The first-run form (issue 13: one Zod schema per form). The web page reads the body with it and
 * `haven create-admin` reads its options with it, so both refuse the same answers with the same
 * messages: the schema's own, the trust name (needed only for a trust) and the password rules.
 */
import { z } from 'zod'
import { normaliseEmail } from '../../domain/people/person-rules.ts'
import { dateInputSchema, datePartsFrom } from '../../forms/date-input.ts'
import type { FormErrors } from '../../forms/errors.ts'
import { emailAddress, formText } from '../../forms/fields.ts'
import { type FormResult, parseForm } from '../../forms/form.ts'
import { packIds } from '../../packs/index.ts'
import { newPasswordProblem } from '../../services/auth/passwords.ts'
import { schoolFields } from '../schools/forms.ts'

/** Every check runs, whatever else is wrong, so the page lists every problem at once. */
const always = { when: () => true }

/** Optional text up to 200 characters: blank is null. */
function optionalName(label: string) {
  return formText(z.string().max(200, `${label} must be 200 characters or fewer`)).transform((v) =>
    v === '' ? null : v,
  )
}

/**
 * The policy's own identity (issue 14): the lead, who approved it and when, when it is next
 * reviewed. All optional: a school that leaves the approval blank is warned on its policy page,
 * never shown an approval it did not give; with no review date, the first review is a cycle on.
 */
const policyIdentity = {
  policyLead: optionalName('Policy lead'),
  approvedBy: optionalName('Who approved the policy'),
  approvedOn: dateInputSchema('Date the policy was approved'),
  nextReviewDue: dateInputSchema('Date of the next review'),
}

export const setupForm = z.preprocess(
  (body) => ({
    ...(typeof body === 'object' && body !== null ? body : {}),
    approvedOn: datePartsFrom(body, 'approvedOn'),
    nextReviewDue: datePartsFrom(body, 'nextReviewDue'),
  }),
  z
    .object({
      organisationKind: formText(
        z.enum(['trust', 'single-school'], { error: 'Select whether you are a trust or a single school' }),
      ),
      organisationName: formText(z.string().max(200, 'Trust name must be 200 characters or fewer')),
      schoolName: schoolFields.name,
      schoolSlug: schoolFields.slug,
      region: schoolFields.region,
      packId: formText(z.enum([...packIds, 'blank'], { error: 'Select the policy to start from' })),
      adminName: formText(
        z.string().min(1, 'Enter your full name').max(200, 'Full name must be 200 characters or fewer'),
      ),
      adminEmail: emailAddress.transform(normaliseEmail),
      password: formText(z.string(), { trim: false }),
      alsoDsl: formText(z.string()).transform((answer) => answer === 'yes'),
      ...policyIdentity,
    })
    .refine((form) => form.organisationKind !== 'trust' || form.organisationName !== '', {
      path: ['organisationName'],
      message: 'Enter the name of the trust',
      ...always,
    })
    .superRefine((form, ctx) => {
      const problem = newPasswordProblem(String(form.password), {
        email: String(form.adminEmail),
        name: String(form.adminName),
      })
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
    }, always)
    .refine((form) => !form.approvedOn || !form.nextReviewDue || form.nextReviewDue > form.approvedOn, {
      path: ['nextReviewDue'],
      message: 'Date of the next review must be after the date the policy was approved',
      ...always,
    }),
)

export type SetupForm = z.output<typeof setupForm>

/** The fields in the order of the form. */
export const setupFields = [
  'organisationKind',
  'organisationName',
  'schoolName',
  'schoolSlug',
  'region',
  'packId',
  'policyLead',
  'approvedBy',
  'approvedOn-day',
  'nextReviewDue-day',
  'adminName',
  'adminEmail',
  'password',
]

/** The summary in the order of the form (the trust name and password checks come after the fields'). */
function inFormOrder(errors: FormErrors): FormErrors {
  const rank = (href: string) => setupFields.indexOf(href.slice(1))
  return { fields: errors.fields, summary: errors.summary.toSorted((a, b) => rank(a.href) - rank(b.href)) }
}

/** Reads the setup answers (a form's body, or the command's options with `alsoDsl` as 'yes' or ''). */
export function readSetupForm(body: unknown): FormResult<SetupForm> {
  const form = parseForm(setupForm, body, { approvedOn: 'approvedOn-day', nextReviewDue: 'nextReviewDue-day' })
  return form.ok ? form : { ok: false, errors: inFormOrder(form.errors) }
}
