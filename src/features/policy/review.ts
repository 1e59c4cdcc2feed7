/**
 * Record a review of the policy (X-08, LH-01): the date it was reviewed and who reviewed it. The
 * review is saved as a new version with the same rules and the new review dates (never a change
 * to the published version), which clears the review warning on the policy page and the home page.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { z } from 'zod'
import { Permission } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { policyReview } from '../../domain/policy/index.ts'
import { dateInputSchema, datePartsFrom } from '../../forms/date-input.ts'
import { type FormErrors, field } from '../../forms/errors.ts'
import { formText } from '../../forms/fields.ts'
import { parseForm, problemErrors, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { policyBook } from '../../services/policy/on-date.ts'
import { recordPolicyReview } from '../../services/policy/review.ts'
import type { SchoolSummary } from '../../services/staff/schools.ts'
import { currentSchool, today } from './school.ts'

const manage = { access: { permission: Permission.PolicyManage } }

/** The review form: when it was reviewed (a date input) and by whom. */
export const reviewForm = z.preprocess(
  (body) => ({ reviewedOn: datePartsFrom(body, 'reviewedOn'), reviewedBy: field(body, 'reviewedBy') }),
  z.object({
    reviewedOn: dateInputSchema('Date reviewed', {
      required: true,
      blank: 'Enter the date the policy was reviewed',
    }).pipe(z.string()),
    reviewedBy: formText(
      z
        .string()
        .min(1, 'Enter who reviewed the policy')
        .max(200, 'Who reviewed the policy must be 200 characters or fewer'),
    ),
  }),
)
const hrefs = { reviewedOn: 'reviewedOn-day' }

const reviewRoutes: FastifyPluginAsync = async (app) => {
  async function render(
    reply: FastifyReply,
    school: SchoolSummary,
    todayIso: string,
    extra: { values?: Record<string, unknown>; errors?: FormErrors } = {},
  ) {
    const policy = (await policyBook(app.db, school.id)).on(todayIso)
    const review = policy ? policyReview(policy, todayIso) : null
    const context = {
      pageTitle: 'Record a review of the policy',
      school,
      backLink: { href: paths.policy.index(), text: 'Policy' },
      title: policy?.metadata.title ?? null,
      lastReviewed: policy?.metadata.lastReviewedOn ? formatLongDate(policy.metadata.lastReviewedOn) : null,
      reviewMessage: review?.message ?? null,
      values: extra.values ?? { reviewedOn: { day: '', month: '', year: '' }, reviewedBy: '' },
    }
    return renderForm(reply, 'policy/views/review.njk', context, extra.errors)
  }

  app.get(paths.policy.review.pattern, { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school) return renderNotFound(req, reply)
    return render(reply, school, today(req))
  })

  app.post(paths.policy.review.pattern, { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school) return renderNotFound(req, reply)
    const todayIso = today(req)
    const values = { reviewedOn: datePartsFrom(req.body, 'reviewedOn'), reviewedBy: field(req.body, 'reviewedBy') }
    const form = parseForm(reviewForm, req.body, hrefs)
    if (!form.ok) return render(reply, school, todayIso, { values, errors: form.errors })
    const result = await recordPolicyReview(app.db, {
      schoolId: school.id,
      organisationId: school.organisationId,
      actorId: req.actor!.personId,
      reviewedOn: form.value.reviewedOn,
      reviewedBy: form.value.reviewedBy,
      today: todayIso,
    })
    if (!result.ok) {
      const errors = problemErrors(
        result.problems.map((p) => ({ field: p.path, message: p.message })),
        hrefs,
      )
      return render(reply, school, todayIso, { values, errors })
    }
    return reply.redirect(paths.policy.index({ reviewed: result.version }), 303)
  })
}

export default reviewRoutes
