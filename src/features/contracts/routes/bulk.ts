/** Issuing contracts to everyone in scope at the start of the year (MW-01, MW-02). */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { bulkIssue, bulkPreview } from '../../../services/contracts/issue.ts'
import { defaultValues } from '../../../services/contracts/prepare.ts'
import { contractSetting, referenceDate } from '../../../services/contracts/setting.ts'
import { type FoundSchool, schoolFor } from '../../school-scope.ts'
import { bulkFormSchema, contractErrors, type FieldValues, fieldsFromStored, formProblem } from '../forms.ts'
import { fieldViews } from '../presenters.ts'
import {
  manage,
  noPolicyMessage,
  noTemplateMessage,
  returnToText,
  schoolParam,
  staffOptions,
  todayOf,
  yearOf,
} from './shared.ts'

type Query = { Querystring: { school?: string; year?: string } }

const changedMessage =
  'Who gets a contract changed while you were reading this page. Nothing has been issued. Check the list again, then issue the contracts'

async function renderBulk(
  req: FastifyRequest,
  reply: FastifyReply,
  found: FoundSchool,
  year: string,
  extra: { fields?: FieldValues; errors?: FormErrors; status?: 400 | 409 } = {},
) {
  const db = req.server.db
  const today = todayOf(req)
  const school = schoolParam(found)
  const preview = await bulkPreview(db, { schoolId: found.school.id, academicYear: year, today })
  const errors = extra.errors ?? noErrors
  const base = {
    pageTitle: `Issue contracts for ${year}`,
    backLink: { href: paths.contracts.index({ school }), text: 'Contracts' },
    backHref: paths.contracts.index({ school }),
    school: found.school,
    academicYear: year,
  }
  const answer = (context: Record<string, unknown>) =>
    extra.status
      ? renderInvalid(reply, 'contracts/views/bulk.njk', context, errors, extra.status)
      : reply.view('contracts/views/bulk.njk', { ...context, errors })
  if (typeof preview === 'string')
    return answer({ ...base, problem: preview === 'no-policy' ? noPolicyMessage : noTemplateMessage })
  const { setting, plan } = preview
  const fields =
    extra.fields ??
    fieldsFromStored(setting.template, await defaultValues(db, { schoolId: found.school.id, setting, year, today }))
  return answer({
    ...base,
    problem: null,
    templateName: setting.template.name,
    returnTo: returnToText(setting),
    action: paths.contracts.issue({ year, school }),
    digest: preview.digest,
    issueRows: plan.issue.map((c) => [{ text: c.name }, { text: c.supervisorName }, { text: c.reason }]),
    skippedRows: plan.skipped.map((s) => [
      { text: s.candidate.name },
      {
        text:
          s.reason === 'has-contract'
            ? `Already has a contract for ${year}`
            : 'Has no supervisor or line manager yet: set one on their staff page, then issue theirs',
      },
    ]),
    fields: fieldViews(setting.template, fields, errors, await staffOptions(req, found.school.id)),
  })
}

const bulkRoutes: FastifyPluginAsync = async (app) => {
  app.get<Query>(paths.contracts.issue.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    const year = yearOf(req, req.query.year)
    if (!found || !year) return renderNotFound(req, reply)
    return renderBulk(req, reply, found, year)
  })

  app.post<Query>(paths.contracts.issue.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    const year = yearOf(req, req.query.year)
    if (!found || !year) return renderNotFound(req, reply)
    const today = todayOf(req)
    const setting = await contractSetting(app.db, found.school.id, referenceDate(year, today))
    if (!setting?.template) return renderBulk(req, reply, found, year, { status: 400 })
    const form = parseForm(bulkFormSchema(setting.template), req.body)
    if (!form.ok) return renderBulk(req, reply, found, year, { errors: form.errors, status: 400 })
    const { fields, digest } = form.value
    const result = await bulkIssue(app.db, {
      organisationId: req.actor!.organisationId,
      actorId: req.actor!.personId,
      today,
      baseUrl: app.config.baseUrl,
      schoolId: found.school.id,
      academicYear: year,
      digest,
      values: fields,
    })
    if (result.ok)
      return reply.redirect(
        paths.contracts.index({ status: 'issued', issued: result.issued, school: schoolParam(found) }),
        303,
      )
    if (result.kind === 'invalid')
      return renderBulk(req, reply, found, year, {
        fields,
        errors: contractErrors(setting.template, result.errors),
        status: 400,
      })
    const message =
      result.kind === 'changed'
        ? changedMessage
        : result.kind === 'nobody'
          ? 'There is no one to issue a contract to'
          : 'Contracts cannot be issued until the school has a policy that names a contract template'
    return renderBulk(req, reply, found, year, {
      fields,
      errors: formProblem('digest', message),
      status: result.kind === 'changed' ? 409 : 400,
    })
  })
}

export default bulkRoutes
