/** The contract form's page, shared by a new contract, a draft and a change of terms. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { frequencyChoices } from '../../../domain/contracts/index.ts'
import type { FormErrors } from '../../../forms/errors.ts'
import { renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import type { SaveContractResult } from '../../../services/contracts/issue.ts'
import { contractFormChoices, type SettingWithTemplate } from '../../../services/contracts/prepare.ts'
import { type ContractFormValues, contractErrors } from '../forms.ts'
import { fieldViews, frequencyView } from '../presenters.ts'
import { resultFailure, todayOf } from './shared.ts'

export interface FormPage {
  setting: SettingWithTemplate
  supervisee: { id: string; name: string; schoolId: string }
  academicYear: string
  heading: string
  intro: string | null
  inset: string | null
  action: string
  back: string
  version: number | null
  issueText: string
  allowDraft: boolean
}

/** The contract form, with the values as typed and any errors (status 400 or 409 when refused). */
export async function renderContractForm(
  req: FastifyRequest,
  reply: FastifyReply,
  page: FormPage,
  values: ContractFormValues,
  errors: FormErrors,
  status?: 400 | 409,
) {
  const choices = await contractFormChoices(req.server.db, {
    organisationId: req.actor!.organisationId,
    supervisee: page.supervisee,
    setting: page.setting,
    academicYear: page.academicYear,
    today: todayOf(req),
  })
  if (!choices) return renderNotFound(req, reply)
  const staff = choices.staff.map((r) => ({ id: r.id, name: r.name, roles: r.roles, detail: r.jobTitle || undefined }))
  const context = {
    pageTitle: page.heading,
    backLink: { href: page.back, text: 'Back' },
    supervisee: page.supervisee,
    academicYear: page.academicYear,
    heading: page.heading,
    intro: page.intro,
    inset: page.inset,
    action: page.action,
    version: page.version,
    issueText: page.issueText,
    allowDraft: page.allowDraft,
    supervisorItems: [
      { value: '', text: 'Choose a supervisor', selected: values.supervisorId === '' },
      ...choices.supervisors.map((c) => {
        const where = c.externalOrganisation
          ? `external: ${c.externalOrganisation}`
          : [c.jobTitle, c.schoolName].filter((x) => x).join(', ')
        return { value: c.id, text: where ? `${c.name} (${where})` : c.name, selected: c.id === values.supervisorId }
      }),
    ],
    frequency: frequencyView(frequencyChoices(choices.requirement), values, errors),
    fields: fieldViews(page.setting.template, values.fields, errors, staff),
  }
  return status
    ? renderInvalid(reply, 'contracts/views/form.njk', context, errors, status)
    : reply.view('contracts/views/form.njk', { ...context, errors })
}

/**
 * The answer to a saved contract form: the contract's page (saying what was done), the form again
 * with the service's problems, or the reason it could not be saved.
 */
export function answerSave(
  req: FastifyRequest,
  reply: FastifyReply,
  page: FormPage,
  values: ContractFormValues,
  result: SaveContractResult,
) {
  if (result.ok) return reply.redirect(paths.contracts.show({ id: result.contractId }, { done: result.status }), 303)
  if (result.kind === 'invalid')
    return renderContractForm(req, reply, page, values, contractErrors(page.setting.template, result.errors), 400)
  return resultFailure(req, reply, result)
}
