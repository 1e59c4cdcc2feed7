/** A draft edited in place, or issued as it stands; and a change of terms, which issues a new version (MW-02). */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { createContract, storedTermsInput, updateDraft } from '../../../services/contracts/issue.ts'
import { contractForChange, requirementOf, type SettingWithTemplate } from '../../../services/contracts/prepare.ts'
import type { ContractView } from '../../../services/contracts/read.ts'
import { contractFormSchema, formProblem, formValuesOf, issueDraftFormSchema, termsInputOf } from '../forms.ts'
import { answerSave, type FormPage, renderContractForm } from './form-page.ts'
import { conflictMessage, manage, todayOf } from './shared.ts'

type Params = { Params: { id: string } }

/** The contract's form page: a draft edited in place, or a change of terms that issues a new version. */
function editFormPage(view: ContractView, setting: SettingWithTemplate): FormPage {
  const draft = view.contract.status === 'draft'
  return {
    setting,
    supervisee: { id: view.supervisee.id, name: view.supervisee.name, schoolId: view.contract.schoolId },
    academicYear: view.contract.academicYear,
    heading: draft ? 'Change the draft contract' : 'Change the terms of the contract',
    intro: draft ? null : 'A new version of the contract is issued for both to sign. Every version is kept.',
    inset: draft
      ? null
      : view.contract.status === 'signed'
        ? 'The signed contract stays in force until both have signed the new version.'
        : 'The version waiting for signatures is replaced by the new one; signatures already given are kept with the old version.',
    action: paths.contracts.edit({ id: view.contract.id }),
    back: paths.contracts.show({ id: view.contract.id }),
    version: view.contract.version,
    issueText: draft ? 'Issue the contract' : 'Issue the new version',
    allowDraft: draft,
  }
}

/** The contract as stored, as the form shows it. */
function storedValues(view: ContractView, setting: SettingWithTemplate) {
  const input = storedTermsInput(view.contract, requirementOf(setting, view.contract.agreed.requirementId))
  return formValuesOf(setting.template, input, view.contract.agreed.values)
}

async function editable(req: FastifyRequest<Params>) {
  return contractForChange(req.server.db, {
    organisationId: req.actor!.organisationId,
    contractId: req.params.id,
    personId: req.actor!.personId,
    canManage: (schoolId) => req.actor!.inReach(schoolId),
    today: todayOf(req),
    ip: req.ip,
  })
}

const editRoutes: FastifyPluginAsync = async (app) => {
  app.get<Params>(paths.contracts.edit.pattern, { config: manage }, async (req, reply) => {
    const found = await editable(req)
    if (!found) return renderNotFound(req, reply)
    const { view, setting } = found
    return renderContractForm(req, reply, editFormPage(view, setting), storedValues(view, setting), noErrors)
  })

  app.post<Params>(paths.contracts.edit.pattern, { config: manage }, async (req, reply) => {
    const found = await editable(req)
    if (!found) return renderNotFound(req, reply)
    const { view, setting } = found
    const page = editFormPage(view, setting)
    const form = parseForm(contractFormSchema(setting.template), req.body)
    if (!form.ok) return renderNotFound(req, reply)
    const { values, version, action } = form.value
    if (version === null) return renderContractForm(req, reply, page, values, formProblem('form', conflictMessage), 409)
    const common = {
      organisationId: req.actor!.organisationId,
      actorId: req.actor!.personId,
      today: todayOf(req),
      baseUrl: app.config.baseUrl,
    }
    const result =
      view.contract.status === 'draft'
        ? await updateDraft(app.db, {
            ...common,
            contractId: view.contract.id,
            expectedVersion: version,
            terms: termsInputOf(values),
            mode: action,
          })
        : await createContract(app.db, {
            ...common,
            schoolId: view.contract.schoolId,
            superviseeId: view.contract.superviseeId,
            academicYear: view.contract.academicYear,
            terms: termsInputOf(values),
            mode: 'issue',
            replaces: { id: view.contract.id, version },
          })
    if (!result.ok && result.kind === 'conflict')
      return renderContractForm(
        req,
        reply,
        { ...page, version: view.contract.version },
        values,
        formProblem('form', conflictMessage),
        409,
      )
    return answerSave(req, reply, page, values, result)
  })

  app.post<Params>(paths.contracts.issueDraft.pattern, { config: manage }, async (req, reply) => {
    const found = await editable(req)
    if (found?.view.contract.status !== 'draft') return renderNotFound(req, reply)
    const { view, setting } = found
    const form = parseForm(issueDraftFormSchema, req.body)
    const version = form.ok ? form.value.version : null
    const result = await updateDraft(app.db, {
      organisationId: req.actor!.organisationId,
      actorId: req.actor!.personId,
      today: todayOf(req),
      baseUrl: app.config.baseUrl,
      contractId: view.contract.id,
      expectedVersion: version ?? -1,
      terms: storedTermsInput(view.contract, requirementOf(setting, view.contract.agreed.requirementId)),
      mode: 'issue',
    })
    return answerSave(req, reply, editFormPage(view, setting), storedValues(view, setting), result)
  })
}

export default editRoutes
