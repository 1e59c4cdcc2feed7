/**
 * Supervisee feedback on supervision (PL-06; issue 17): the questionnaire, answered by the
 * supervisee it asks and seen by nobody else; and the annual evaluation of supervision quality
 * for management (the overview's readers), as a page and as CSV, figures only.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts'
import { feedbackScale, minimumResponses } from '../../../domain/wellbeing/supervision-feedback.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  academicYearName,
  answerQuestionnaire,
  feedbackReport,
  feedbackReportCsv,
  type QuestionnairePage,
  questionnairePage,
} from '../../../services/wellbeing/supervision-feedback.ts'
import { feedbackAnswersFrom, feedbackForm } from '../forms.ts'

type RequestParams = { Params: { requestId: string } }
type ReportQuery = { Querystring: { school?: string; year?: string } }

const feedbackRoutes: FastifyPluginAsync = async (app) => {
  function renderQuestionnaire(
    reply: FastifyReply,
    page: QuestionnairePage,
    values: { answers: Record<string, number | null>; comment: string },
    errors: FormErrors | null,
  ) {
    const { request, questionnaire } = page
    const context = {
      pageTitle: 'Tell us about your supervision',
      request,
      sessionDate: request.sessionDate ? formatLongDate(request.sessionDate) : null,
      questionnaire,
      comment: values.comment,
      questions: questionnaire.questions.map((q) => ({
        id: q.id,
        name: `answer-${q.id}`,
        text: q.text,
        items: feedbackScale.map((s) => ({
          value: String(s.value),
          text: s.text,
          checked: values.answers[q.id] === s.value,
        })),
      })),
    }
    if (errors) return renderInvalid(reply, 'wellbeing/views/feedback.njk', context, errors)
    return reply.view('wellbeing/views/feedback.njk', { ...context, errors: noErrors })
  }

  async function answeredOrMissing(req: FastifyRequest<RequestParams>, reply: FastifyReply, answered: boolean) {
    if (!answered) return renderNotFound(req, reply)
    return reply.view('wellbeing/views/feedback-done.njk', { pageTitle: 'Thank you for your feedback' })
  }

  app.get<RequestParams>(paths.wellbeing.feedback.pattern, { config: { access: 'signed-in' } }, async (req, reply) => {
    const page = await questionnairePage(app.db, req.actor!, req.params.requestId)
    if (!page) return renderNotFound(req, reply)
    if (page.request.answeredOn !== null) return answeredOrMissing(req, reply, true)
    return renderQuestionnaire(reply, page, { answers: {}, comment: '' }, null)
  })

  app.post<RequestParams>(paths.wellbeing.feedback.pattern, { config: { access: 'signed-in' } }, async (req, reply) => {
    const page = await questionnairePage(app.db, req.actor!, req.params.requestId)
    if (!page) return renderNotFound(req, reply)
    const answers = feedbackAnswersFrom(
      req.body,
      page.questionnaire.questions.map((q) => q.id),
    )
    const comment = field(req.body, 'comment')
    const hrefs = Object.fromEntries(page.questionnaire.questions.map((q) => [q.id, `answer-${q.id}`]))
    const form = parseForm(feedbackForm, req.body)
    if (!form.ok) return renderQuestionnaire(reply, page, { answers, comment }, form.errors)
    const result = await answerQuestionnaire(app.db, {
      actor: req.actor!,
      requestId: req.params.requestId,
      answers,
      comment: form.value.comment,
      today: londonDateOf(app.clock()),
    })
    if (result.ok) return reply.redirect(paths.wellbeing.feedback({ requestId: req.params.requestId }), 303)
    if (result.kind === 'invalid')
      return renderQuestionnaire(
        reply,
        result.page,
        { answers, comment },
        formErrors(
          result.problems.map((p) => [p.field, p.message] as const),
          hrefs,
        ),
      )
    return answeredOrMissing(req, reply, result.kind === 'answered')
  })

  app.get<ReportQuery>(
    paths.wellbeing.feedbackReport.pattern,
    { config: { access: { permission: Permission.ComplianceRead } } },
    async (req, reply) => {
      const report = await feedbackReport(app.db, {
        actor: req.actor!,
        slug: req.query.school,
        yearId: req.query.year,
        today: londonDateOf(app.clock()),
      })
      if (!report) return renderNotFound(req, reply)
      const query = { ...(report.choices.length ? { school: report.school.slug } : {}), year: report.academicYearId }
      return reply.view('wellbeing/views/feedback-report.njk', {
        pageTitle: 'Supervision quality',
        backLink: {
          href: paths.overview.index(report.choices.length ? { school: report.school.slug } : undefined),
          text: 'Overview',
        },
        report,
        yearName: academicYearName(report.academicYearId),
        minimumResponses,
        csvHref: paths.wellbeing.feedbackReportCsv(query),
        yearItems: report.years.map((y) => ({
          value: y.id,
          text: y.name,
          selected: y.id === report.academicYearId,
        })),
        supervisors: report.evaluation.supervisors.map((s) => ({
          name: report.names.get(s.supervisorId) ?? 'Someone no longer in Haven',
          figures: s.figures,
        })),
      })
    },
  )

  app.get<ReportQuery>(
    paths.wellbeing.feedbackReportCsv.pattern,
    { config: { access: { permission: Permission.ComplianceRead } } },
    async (req, reply) => {
      const exported = await feedbackReportCsv(app.db, {
        actor: req.actor!,
        slug: req.query.school,
        yearId: req.query.year,
        today: londonDateOf(app.clock()),
      })
      if (!exported) return renderNotFound(req, reply)
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="supervision-quality-${exported.slug}-${exported.academicYearId}.csv"`,
        )
        .send(exported.csv)
    },
  )
}

export default feedbackRoutes
