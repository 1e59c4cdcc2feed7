/** What the templates pages share: the school they are about, its template being edited, saving an edit, and the removal page. */

import type { FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import type { Field, Template } from '../../../domain/records/template.ts'
import { supervisionConditionLabels } from '../../../domain/records/template-conditions.ts'
import { describePath, fieldKindNames } from '../../../domain/records/template-edit.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { editConflictMessage, parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError } from '../../../plugins/errors.ts'
import { saveTemplateVersion, schoolTemplate, type TemplateActor } from '../../../services/records/templates.ts'
import { schoolFor } from '../../school-scope.ts'
import { problemPairs, readVersion, removeForm } from '../forms.ts'

export const read = { access: { permission: Permission.PolicyRead } }
export const manage = { access: { permission: Permission.PolicyManage } }

export const kindLabels: Record<string, string> = {
  record: 'Record',
  agenda: 'Agenda',
  preparation: 'Preparation',
  contract: 'Contract',
}
export const packNames: Record<string, string> = {
  meanwood: 'Meanwood CE Primary School',
  'lode-heath': 'Lode Heath School',
  cornerstone: 'The Cornerstone Academy',
  'the-place': 'The PLACE Independent School',
  'ashbury-meadow': 'Ashbury Meadow',
}

export const conflictText = editConflictMessage('this template', 'the template as it is now')

/** The school a templates page is about: the person's own, else the first they reach. */
export async function schoolOf(req: FastifyRequest) {
  return (await schoolFor(req, undefined))?.school ?? null
}

export function templateActor(req: FastifyRequest, schoolId: string): TemplateActor {
  const { personId, organisationId } = req.actor!
  return { actorId: personId, organisationId, schoolId, ip: req.ip }
}

export function overviewOf(template: Template) {
  return template.sections.map((s) => ({
    id: s.id,
    title: s.title,
    hint: s.hint ?? '',
    shownWhen: s.showWhen ? supervisionConditionLabels[s.showWhen].label : '',
    fields: s.fields.map((f) => ({
      id: f.id,
      label: f.label,
      kindName: fieldKindNames[f.kind].name,
      required: f.required,
      details: fieldDetails(f),
      // Issue 14: when it is shown and where its answer is filed, in words.
      shownWhen: f.showWhen ? supervisionConditionLabels[f.showWhen].label : '',
      filedTo: f.fileTo === 'staff-file' ? 'The answer is also filed in the staff member’s file' : '',
    })),
  }))
}

function fieldDetails(f: Field): string {
  switch (f.kind) {
    case 'single-choice':
    case 'multiple-choice':
    case 'framework-tags':
      return f.options.map((o) => o.label).join(', ')
    case 'table':
      return `Columns: ${f.columns.map((c) => c.label).join(', ')}`
    case 'signatures':
      return `Signed by: ${f.signatories.map((s) => s.label).join(', ')}`
    case 'scale':
      return `From ${String(f.min ?? 0)} to ${String(f.max ?? 10)}`
    case 'child-or-family':
      return f.allow.length > 1 ? 'A child or a family' : `A ${f.allow[0] ?? 'child'}`
    default:
      return f.hint ?? ''
  }
}

export async function ownTemplate(req: FastifyRequest, templateId: string) {
  const school = await schoolOf(req)
  if (!school) return null
  const template = await schoolTemplate(req.server.db, school.id, templateId)
  return template ? { school, template } : null
}

export async function saveEdit(
  req: FastifyRequest,
  own: OwnTemplate,
  basedOn: number,
  edited: Template,
  change: string,
  problemPrefix: string,
  inputs: Record<string, string>,
  fallback: string,
): Promise<{ errors: FormErrors; status: number } | null> {
  const result = await saveTemplateVersion(req.server.db, templateActor(req, own.school.id), {
    templateId: own.template.id,
    basedOnVersion: basedOn,
    template: edited,
    change,
  })
  if (result.ok) return null
  if ('conflict' in result) return { errors: formErrors([[fallback, conflictText]]), status: 409 }
  return {
    errors: formErrors(problemPairs(result.problems, problemPrefix, inputs, fallback, (p) => describePath(edited, p))),
    status: 400,
  }
}

export function renderRemove(
  reply: FastifyReply,
  template: Template,
  what: { kind: 'section' | 'field'; id: string; name: string; fieldCount?: number },
  errors: FormErrors = noErrors,
  status = 200,
) {
  return reply.code(status).view('templates/views/remove.njk', {
    pageTitle: what.kind === 'section' ? 'Remove a section' : 'Remove a field',
    backLink: { href: paths.templates.school({ templateId: template.id }), text: template.name },
    errors,
    template: { id: template.id, name: template.name },
    what,
    version: template.version,
    action:
      what.kind === 'section'
        ? paths.templates.removeSection({ templateId: template.id, sectionId: what.id })
        : paths.templates.removeField({ templateId: template.id, fieldId: what.id }),
  })
}

export type OwnTemplate = NonNullable<Awaited<ReturnType<typeof ownTemplate>>>

/**
 * The removal page's answer, for a section or a field: "no" goes back to the template; "yes"
 * saves the template without it as the next version.
 */
export async function submitRemoval(
  req: FastifyRequest,
  reply: FastifyReply,
  own: OwnTemplate,
  what: { kind: 'section' | 'field'; id: string; name: string; fieldCount?: number },
  remove: (template: Template) => Template,
) {
  const version = readVersion(req.body)
  if (version === null) return renderClientError(reply, 400)
  const form = parseForm(removeForm(what.kind), req.body)
  if (!form.ok) return renderRemove(reply, own.template, what, form.errors, 400)
  const back = paths.templates.school({ templateId: own.template.id })
  if (form.value.confirm === 'no') return reply.redirect(back, 303)
  const change = what.kind === 'section' ? 'section-removed' : 'field-removed'
  const failed = await saveEdit(req, own, version, remove(own.template), change, 'sections', {}, 'confirm')
  if (failed) return renderRemove(reply, own.template, what, failed.errors, failed.status)
  return reply.redirect(paths.templates.school({ templateId: own.template.id }, { saved: change }), 303)
}
