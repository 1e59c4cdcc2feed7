/** A contract for one person (MW-02): choosing them, then the contract form; renewing starts from last year's terms. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { createContract } from '../../../services/contracts/issue.ts'
import { newContractStart, newContractTarget, type SettingWithTemplate } from '../../../services/contracts/prepare.ts'
import { issuableYears } from '../../../services/contracts/setting.ts'
import { schoolFor } from '../../school-scope.ts'
import { contractFormSchema, formValuesOf, termsInputOf } from '../forms.ts'
import { answerSave, type FormPage, renderContractForm } from './form-page.ts'
import { manage, resultFailure, returnToText, schoolParam, staffOptions, todayOf, yearOf } from './shared.ts'

type Query = { Querystring: Record<string, string | undefined> }

/** The person and year of a new contract, from the query; null when either is not one we know. */
async function targetOf(req: FastifyRequest<Query>) {
  const year = yearOf(req, req.query.year)
  const personId = req.query.person
  if (!year || !personId) return null
  return newContractTarget(req.server.db, {
    organisationId: req.actor!.organisationId,
    personId,
    year,
    today: todayOf(req),
  })
}

function newFormPage(
  target: { year: string; supervisee: { id: string; name: string; schoolId: string } },
  setting: SettingWithTemplate,
): FormPage {
  return {
    setting,
    supervisee: target.supervisee,
    academicYear: target.year,
    heading: `Issue a supervision contract for ${target.year}`,
    intro: `The contract is made from the policy’s template, “${setting.template.name}”, with ${target.supervisee.name}’s details. Both sign it; signed contracts are returned to ${returnToText(setting)}.`,
    inset: null,
    action: paths.contracts.new({ person: target.supervisee.id, year: target.year }),
    back: paths.contracts.index(),
    version: null,
    issueText: 'Issue the contract',
    allowDraft: true,
  }
}

const newContractRoutes: FastifyPluginAsync = async (app) => {
  app.get<Query>(paths.contracts.new.pattern, { config: manage }, async (req, reply) => {
    if (req.query.person === undefined || req.query.person === '') {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const people = await staffOptions(req, found.school.id)
      return reply.view('contracts/views/choose-person.njk', {
        pageTitle: 'Issue a contract to one person',
        backLink: { href: paths.contracts.index({ school: schoolParam(found) }), text: 'Contracts' },
        school: found.school,
        schoolQuery: found.schools.length > 1,
        errors: noErrors,
        personItems: [
          { value: '', text: 'Choose someone' },
          ...people.map((p) => ({ value: p.id, text: p.detail ? `${p.name} (${p.detail})` : p.name })),
        ],
        yearItems: issuableYears(todayOf(req)).map((y) => ({ value: y, text: y })),
      })
    }
    const target = await targetOf(req)
    if (!target) return renderNotFound(req, reply)
    const { setting } = target
    if (!setting) return resultFailure(req, reply, { ok: false, kind: 'no-template' })
    const start = await newContractStart(app.db, {
      organisationId: req.actor!.organisationId,
      target: { ...target, setting },
      today: todayOf(req),
    })
    if (start.kind === 'exists')
      return reply.redirect(paths.contracts.show({ id: start.contractId }, { notice: 'exists' }), 303)
    const values = formValuesOf(
      setting.template,
      { supervisorId: start.supervisorId, frequency: start.frequency, values: {} },
      start.values,
    )
    return renderContractForm(req, reply, newFormPage(target, setting), values, noErrors)
  })

  app.post<Query>(paths.contracts.new.pattern, { config: manage }, async (req, reply) => {
    const target = await targetOf(req)
    if (!target) return renderNotFound(req, reply)
    const { setting } = target
    if (!setting) return resultFailure(req, reply, { ok: false, kind: 'no-template' })
    const page = newFormPage(target, setting)
    const form = parseForm(contractFormSchema(setting.template), req.body)
    if (!form.ok) return renderNotFound(req, reply)
    const { values, action } = form.value
    const result = await createContract(app.db, {
      organisationId: req.actor!.organisationId,
      actorId: req.actor!.personId,
      today: todayOf(req),
      baseUrl: app.config.baseUrl,
      schoolId: target.supervisee.schoolId,
      superviseeId: target.supervisee.id,
      academicYear: target.year,
      terms: termsInputOf(values),
      mode: action,
    })
    return answerSave(req, reply, page, values, result)
  })
}

export default newContractRoutes
