/** Adding, changing and removing a field of the school's own template. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Field, FieldKind, Template } from '../../../domain/records/template.ts'
import {
  addField,
  changeField,
  fieldKindNames,
  fieldsWithSections,
  locateField,
  removeField,
  usedIds,
} from '../../../domain/records/template-edit.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import {
  emptyFieldForm,
  type FieldFormValues,
  fieldFormValues,
  fieldInputOf,
  fieldKindForm,
  fileToItems,
  readFieldForm,
  readVersion,
  showWhenItems,
} from '../forms.ts'
import { manage, type OwnTemplate, ownTemplate, renderRemove, saveEdit, submitRemoval } from './shared.ts'

export function fieldRoutes(app: FastifyInstance): void {
  // Fields -------------------------------------------------------------------------------------

  function renderKindChoice(
    reply: FastifyReply,
    template: Template,
    sectionId: string,
    errors: FormErrors = noErrors,
    status = 200,
  ) {
    return reply.code(status).view('templates/views/field-kind.njk', {
      pageTitle: 'What kind of field do you want to add?',
      backLink: { href: paths.templates.school({ templateId: template.id }), text: template.name },
      errors,
      template: { id: template.id, name: template.name },
      action: paths.templates.newField({ templateId: template.id, sectionId }),
      kinds: Object.entries(fieldKindNames).map(([value, k]) => ({ value, text: k.name, hint: { text: k.hint } })),
    })
  }

  function renderField(
    reply: FastifyReply,
    template: Template,
    version: number,
    options: {
      mode: 'add' | 'change'
      sectionId: string
      values: FieldFormValues
      errors?: FormErrors
      status?: number
    },
  ) {
    const section = template.sections.find((s) => s.id === options.sectionId)
    return reply.code(options.status ?? 200).view('templates/views/field.njk', {
      pageTitle:
        options.mode === 'add'
          ? `Add a field: ${fieldKindNames[options.values.kind].name.toLowerCase()}`
          : `Change a field: ${options.values.label || options.values.fieldId}`,
      backLink: { href: paths.templates.school({ templateId: template.id }), text: template.name },
      errors: options.errors ?? noErrors,
      template: { id: template.id, name: template.name },
      sectionTitle: section?.title ?? '',
      mode: options.mode,
      version,
      kindName: fieldKindNames[options.values.kind].name,
      values: options.values,
      showWhenItems: showWhenItems(options.values.showWhen),
      fileToItems: fileToItems(options.values.fileTo, 'answer'),
      action:
        options.mode === 'add'
          ? paths.templates.newField({ templateId: template.id, sectionId: options.sectionId })
          : paths.templates.changeField({ templateId: template.id, fieldId: options.values.fieldId }),
    })
  }

  app.get<{ Params: { templateId: string; sectionId: string }; Querystring: { kind?: string } }>(
    paths.templates.newField.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      if (!own?.template.sections.some((s) => s.id === req.params.sectionId)) return renderNotFound(req, reply)
      if (req.query.kind === undefined || req.query.kind === '')
        return renderKindChoice(reply, own.template, req.params.sectionId)
      const chosen = parseForm(fieldKindForm, req.query)
      if (!chosen.ok) return renderKindChoice(reply, own.template, req.params.sectionId, chosen.errors, 400)
      const kind = chosen.value.kind
      return renderField(reply, own.template, own.template.version, {
        mode: 'add',
        sectionId: req.params.sectionId,
        values: emptyFieldForm(kind),
      })
    },
  )

  app.post<{ Params: { templateId: string; sectionId: string } }>(
    paths.templates.newField.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const sectionIndex = own?.template.sections.findIndex((s) => s.id === req.params.sectionId) ?? -1
      if (!own || sectionIndex < 0) return renderNotFound(req, reply)
      const chosen = parseForm(fieldKindForm, req.body)
      if (!chosen.ok) return renderKindChoice(reply, own.template, req.params.sectionId, chosen.errors, 400)
      const kind = chosen.value.kind
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const read = readFieldForm(kind, req.body, { taken: usedIds(own.template) })
      return submitField(req, reply, own, version, { mode: 'add', sectionId: req.params.sectionId }, read, (f) =>
        addField(own.template, req.params.sectionId, f),
      )
    },
  )

  /** Saves the template with the field added or changed, or shows the field form again with what is wrong. */
  async function submitField(
    req: FastifyRequest,
    reply: FastifyReply,
    own: OwnTemplate,
    version: number,
    page: { mode: 'add' | 'change'; sectionId: string },
    read: ReturnType<typeof readFieldForm>,
    apply: (field: Field) => Template,
  ) {
    const options = { ...page, values: read.values }
    if (!read.field)
      return renderField(reply, own.template, version, {
        ...options,
        errors: problemErrors(read.errors.map(([field, message]) => ({ field, message }))),
        status: 400,
      })
    const edited = apply(read.field)
    const at = locateField(edited, read.field.id)!
    const change = page.mode === 'add' ? 'field-added' : 'field-changed'
    const failed = await saveEdit(
      req,
      own,
      version,
      edited,
      change,
      `sections.${String(at.sectionIndex)}.fields.${String(at.fieldIndex)}`,
      fieldInputOf,
      'label',
    )
    if (failed) return renderField(reply, own.template, own.template.version, { ...options, ...failed })
    const back = paths.templates.school({ templateId: own.template.id }, { saved: change })
    return reply.redirect(`${back}#field-${read.field.id}`, 303)
  }

  function fieldOf(template: Template, fieldId: string): { field: Field; sectionId: string } | null {
    const found = fieldsWithSections(template).find((x) => x.field.id === fieldId)
    return found ? { field: found.field, sectionId: found.section.id } : null
  }

  app.get<{ Params: { templateId: string; fieldId: string } }>(
    paths.templates.changeField.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      return renderField(reply, own.template, own.template.version, {
        mode: 'change',
        sectionId: found.sectionId,
        values: fieldFormValues(found.field),
      })
    },
  )

  app.post<{ Params: { templateId: string; fieldId: string } }>(
    paths.templates.changeField.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const kind: FieldKind = found.field.kind
      const read = readFieldForm(kind, req.body, { existing: found.field, taken: usedIds(own.template) })
      return submitField(req, reply, own, version, { mode: 'change', sectionId: found.sectionId }, read, (f) =>
        changeField(own.template, found.field.id, f),
      )
    },
  )

  app.get<{ Params: { templateId: string; fieldId: string } }>(
    paths.templates.removeField.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      return renderRemove(reply, own.template, { kind: 'field', id: found.field.id, name: found.field.label })
    },
  )

  app.post<{ Params: { templateId: string; fieldId: string } }>(
    paths.templates.removeField.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      const what = { kind: 'field' as const, id: found.field.id, name: found.field.label }
      return submitRemoval(req, reply, own, what, (t) => removeField(t, found.field.id))
    },
  )
}
