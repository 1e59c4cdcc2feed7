/**
 * One person's further support (LH-04): their stress risk assessments and referrals to
 * Occupational Health, starting an assessment, closing it, recording a referral and its outcome.
 * Open to any signed-in person; the service decides who may read or change what, and anyone
 * else gets "page not found" (the page does not say whether there is anything to hide).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { londonDateOf } from '../../../domain/calendar/index.ts'
import { reviewOverdue } from '../../../domain/wellbeing/further-support.ts'
import { datePartsOf } from '../../../forms/date-input.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { editConflictMessage, parseForm, problemErrors, renderForm, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  assessmentDetail,
  closeAssessmentToday,
  type FurtherSupportResult,
  furtherSupportPage,
  recordReferral,
  recordReferralOutcome,
  referralDetail,
  startAssessment,
  startableFor,
} from '../../../services/wellbeing/further-support.ts'
import {
  assessmentForm,
  assessmentHrefs,
  assessmentValues,
  closeAssessmentForm,
  referralForm,
  referralHrefs,
  referralOutcomeForm,
  referralOutcomeHrefs,
  referralValues,
} from '../forms.ts'
import { reasonItems, reasonLabel } from '../presenters.ts'

const signedIn = { access: 'signed-in' as const }

type PersonParams = { Params: { personId: string }; Querystring: { saved?: string } }
type AssessmentParams = { Params: { personId: string; assessmentId: string }; Querystring: { saved?: string } }
type ReferralParams = { Params: { personId: string; referralId: string }; Querystring: { saved?: string } }

const savedMessages: Record<string, string> = {
  assessment: 'The stress risk assessment has been started.',
  closed: 'The stress risk assessment has been closed.',
  referral: 'The referral to Occupational Health has been recorded.',
  outcome: 'The outcome of the referral has been saved.',
}

function todayOf(req: FastifyRequest): string {
  return londonDateOf(req.server.clock())
}

const assessmentConflict = editConflictMessage('this assessment', 'it below')
const referralConflict = editConflictMessage('this referral', 'it below')

const personRoutes: FastifyPluginAsync = async (app) => {
  app.get<PersonParams>(paths.wellbeing.person.pattern, { config: signedIn }, async (req, reply) => {
    const page = await furtherSupportPage(app.db, { actor: req.actor!, personId: req.params.personId })
    if (!page) return renderNotFound(req, reply)
    const today = todayOf(req)
    return reply.view('wellbeing/views/person.njk', {
      pageTitle: page.own ? 'Your further support' : `Further support for ${page.person.name}`,
      page,
      saved: savedMessages[req.query.saved ?? ''] ?? null,
      assessments: page.assessments.map((a) => ({ ...a, overdue: reviewOverdue(a, today) })),
      referrals: page.referrals.map((r) => ({ ...r, reasonText: reasonLabel(r.reason) })),
    })
  })

  // Starting a stress risk assessment.
  async function renderNewAssessment(
    req: FastifyRequest<PersonParams>,
    reply: FastifyReply,
    extra: { values?: ReturnType<typeof assessmentValues>; errors?: FormErrors } = {},
  ) {
    const person = await startableFor(app.db, { actor: req.actor!, personId: req.params.personId })
    if (!person) return renderNotFound(req, reply)
    const context = {
      pageTitle: `Start a stress risk assessment for ${person.name}`,
      backLink: { href: paths.wellbeing.person({ personId: person.id }), text: 'Back' },
      person,
      values: extra.values ?? { reviewOn: datePartsOf(''), actions: '' },
    }
    return renderForm(reply, 'wellbeing/views/assessment-new.njk', context, extra.errors)
  }

  app.get<PersonParams>(paths.wellbeing.newAssessment.pattern, { config: signedIn }, async (req, reply) =>
    renderNewAssessment(req, reply),
  )

  app.post<PersonParams>(paths.wellbeing.newAssessment.pattern, { config: signedIn }, async (req, reply) => {
    const values = assessmentValues(req.body)
    const form = parseForm(assessmentForm, req.body, assessmentHrefs)
    if (!form.ok) return renderNewAssessment(req, reply, { values, errors: form.errors })
    const result = await startAssessment(app.db, {
      actor: req.actor!,
      personId: req.params.personId,
      reviewOn: form.value.reviewOn!,
      actions: form.value.actions,
      today: todayOf(req),
    })
    return afterChange(req, reply, result, 'assessment', (errors) =>
      renderNewAssessment(req, reply, { values, errors }),
    )
  })

  // One assessment, and closing it.
  async function renderAssessment(
    req: FastifyRequest<AssessmentParams>,
    reply: FastifyReply,
    extra: { note?: string; errors?: FormErrors; status?: 400 | 409 } = {},
  ) {
    const detail = await assessmentDetail(app.db, {
      actor: req.actor!,
      personId: req.params.personId,
      assessmentId: req.params.assessmentId,
    })
    if (!detail) return renderNotFound(req, reply)
    const context = {
      pageTitle: 'Stress risk assessment',
      backLink: { href: paths.wellbeing.person({ personId: detail.person.id }), text: 'Back' },
      detail,
      overdue: reviewOverdue(detail.assessment, todayOf(req)),
      saved: savedMessages[req.query.saved ?? ''] ?? null,
      note: extra.note ?? '',
    }
    if (extra.errors)
      return renderInvalid(reply, 'wellbeing/views/assessment.njk', context, extra.errors, extra.status ?? 400)
    return reply.view('wellbeing/views/assessment.njk', { ...context, errors: noErrors })
  }

  app.get<AssessmentParams>(paths.wellbeing.assessment.pattern, { config: signedIn }, async (req, reply) =>
    renderAssessment(req, reply),
  )

  app.post<AssessmentParams>(paths.wellbeing.closeAssessment.pattern, { config: signedIn }, async (req, reply) => {
    const note = typeof (req.body as { note?: unknown })?.note === 'string' ? (req.body as { note: string }).note : ''
    const form = parseForm(closeAssessmentForm, req.body)
    if (!form.ok) return renderAssessment(req, reply, { note, errors: form.errors })
    const result = await closeAssessmentToday(app.db, {
      actor: req.actor!,
      personId: req.params.personId,
      assessmentId: req.params.assessmentId,
      version: form.value.version,
      note: form.value.note,
      today: todayOf(req),
    })
    if (!result.ok && result.kind === 'conflict')
      return renderAssessment(req, reply, {
        note,
        errors: formErrors([['note', assessmentConflict]]),
        status: 409,
      })
    return afterChange(req, reply, result, 'closed', (errors) => renderAssessment(req, reply, { note, errors }))
  })

  // Recording a referral to Occupational Health.
  async function renderNewReferral(
    req: FastifyRequest<PersonParams>,
    reply: FastifyReply,
    extra: { values?: ReturnType<typeof referralValues>; errors?: FormErrors } = {},
  ) {
    const person = await startableFor(app.db, { actor: req.actor!, personId: req.params.personId })
    if (!person) return renderNotFound(req, reply)
    const values = extra.values ?? {
      referredOn: datePartsOf(todayOf(req)),
      reason: '',
      outcome: '',
      followUpOn: datePartsOf(''),
    }
    const context = {
      pageTitle: `Record a referral to Occupational Health for ${person.name}`,
      backLink: { href: paths.wellbeing.person({ personId: person.id }), text: 'Back' },
      person,
      values,
      reasons: reasonItems(values.reason),
    }
    return renderForm(reply, 'wellbeing/views/referral-new.njk', context, extra.errors)
  }

  app.get<PersonParams>(paths.wellbeing.newReferral.pattern, { config: signedIn }, async (req, reply) =>
    renderNewReferral(req, reply),
  )

  app.post<PersonParams>(paths.wellbeing.newReferral.pattern, { config: signedIn }, async (req, reply) => {
    const values = referralValues(req.body)
    const form = parseForm(referralForm, req.body, referralHrefs)
    if (!form.ok) return renderNewReferral(req, reply, { values, errors: form.errors })
    const result = await recordReferral(app.db, {
      actor: req.actor!,
      personId: req.params.personId,
      referredOn: form.value.referredOn!,
      reason: form.value.reason,
      outcome: form.value.outcome,
      followUpOn: form.value.followUpOn,
      today: todayOf(req),
    })
    return afterChange(req, reply, result, 'referral', (errors) => renderNewReferral(req, reply, { values, errors }))
  })

  // One referral, and its outcome.
  async function renderReferral(
    req: FastifyRequest<ReferralParams>,
    reply: FastifyReply,
    extra: {
      values?: { outcome: string; followUpOn: ReturnType<typeof datePartsOf> }
      errors?: FormErrors
      status?: 400 | 409
    } = {},
  ) {
    const detail = await referralDetail(app.db, {
      actor: req.actor!,
      personId: req.params.personId,
      referralId: req.params.referralId,
    })
    if (!detail) return renderNotFound(req, reply)
    const context = {
      pageTitle: 'Referral to Occupational Health',
      backLink: { href: paths.wellbeing.person({ personId: detail.person.id }), text: 'Back' },
      detail,
      reasonText: reasonLabel(detail.referral.reason),
      saved: savedMessages[req.query.saved ?? ''] ?? null,
      values: extra.values ?? {
        outcome: detail.referral.outcome ?? '',
        followUpOn: datePartsOf(detail.referral.followUpOn ?? ''),
      },
    }
    if (extra.errors)
      return renderInvalid(reply, 'wellbeing/views/referral.njk', context, extra.errors, extra.status ?? 400)
    return reply.view('wellbeing/views/referral.njk', { ...context, errors: noErrors })
  }

  app.get<ReferralParams>(paths.wellbeing.referral.pattern, { config: signedIn }, async (req, reply) =>
    renderReferral(req, reply),
  )

  app.post<ReferralParams>(paths.wellbeing.referral.pattern, { config: signedIn }, async (req, reply) => {
    const values = { outcome: referralValues(req.body).outcome, followUpOn: referralValues(req.body).followUpOn }
    const form = parseForm(referralOutcomeForm, req.body, referralOutcomeHrefs)
    if (!form.ok) return renderReferral(req, reply, { values, errors: form.errors })
    const result = await recordReferralOutcome(app.db, {
      actor: req.actor!,
      personId: req.params.personId,
      referralId: req.params.referralId,
      version: form.value.version,
      outcome: form.value.outcome,
      followUpOn: form.value.followUpOn,
    })
    if (!result.ok && result.kind === 'conflict')
      return renderReferral(req, reply, { values, errors: formErrors([['outcome', referralConflict]]), status: 409 })
    return afterChange(req, reply, result, 'outcome', (errors) => renderReferral(req, reply, { values, errors }))
  })

  /** After a change: back to the page with a banner, "not found", or the form again with the service's message. */
  function afterChange(
    req: FastifyRequest<{ Params: { personId: string } }>,
    reply: FastifyReply,
    result: FurtherSupportResult,
    saved: string,
    again: (errors: FormErrors) => Promise<FastifyReply> | FastifyReply,
  ) {
    if (result.ok) {
      const personId = req.params.personId
      const to =
        saved === 'closed'
          ? paths.wellbeing.assessment({ personId, assessmentId: result.id }, { saved })
          : saved === 'outcome'
            ? paths.wellbeing.referral({ personId, referralId: result.id }, { saved })
            : paths.wellbeing.person({ personId }, { saved })
      return reply.redirect(to, 303)
    }
    if (result.kind === 'field')
      return again(problemErrors([result], { reviewOn: 'reviewOn-day', referredOn: 'referredOn-day' }))
    return renderNotFound(req, reply)
  }
}

export default personRoutes
