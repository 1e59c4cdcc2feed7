/** Adding, changing and removing a section of the school's own template. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Template } from '../../../domain/records/template.ts'
import { addSection, changeSection, removeSection } from '../../../domain/records/template-edit.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound, whenFound } from '../../../plugins/errors.ts'
import { newSection, readVersion, type SectionFormValues, sectionForm, sectionTyped, showWhenItems } from '../forms.ts'
import { manage, type OwnTemplate, ownTemplate, renderRemove, saveEdit, submitRemoval } from './shared.ts'

/** Saves a section added or changed; what the service refuses points at the section form's fields. */
function saveSection(
  req: FastifyRequest,
  own: OwnTemplate,
  version: number,
  edited: Template,
  change: 'section-added' | 'section-changed',
  index: number,
) {
  const inputs = { title: 'title', hint: 'hint', showWhen: 'showWhen' }
  return saveEdit(req, own, version, edited, change, `sections.${String(index)}`, inputs, 'title')
}

export function sectionRoutes(app: FastifyInstance): void {
  // Sections -----------------------------------------------------------------------------------

  function renderSection(
    reply: FastifyReply,
    template: Template,
    version: number,
    options: {
      mode: 'add' | 'change'
      sectionId?: string
      values: SectionFormValues
      errors?: FormErrors
      status?: number
    },
  ) {
    return reply.code(options.status ?? 200).view('templates/views/section.njk', {
      pageTitle: options.mode === 'add' ? 'Add a section' : 'Change a section',
      backLink: { href: paths.templates.school({ templateId: template.id }), text: template.name },
      errors: options.errors ?? noErrors,
      template: { id: template.id, name: template.name },
      mode: options.mode,
      version,
      values: options.values,
      showWhenItems: showWhenItems(options.values.showWhen ?? 'always'),
      action:
        options.mode === 'add'
          ? paths.templates.newSection({ templateId: template.id })
          : paths.templates.changeSection({ templateId: template.id, sectionId: options.sectionId! }),
      afterItems:
        options.mode === 'add'
          ? [
              { value: '', text: 'At the end' },
              ...template.sections.map((s) => ({ value: s.id, text: `After “${s.title}”` })),
            ]
          : [],
    })
  }

  app.get<{ Params: { templateId: string } }>(
    paths.templates.newSection.pattern,
    { config: manage },
    whenFound(
      (req) => ownTemplate(req, req.params.templateId),
      async (_req, reply, own) => {
        return renderSection(reply, own.template, own.template.version, {
          mode: 'add',
          values: { title: '', hint: '', showWhen: 'always' },
        })
      },
    ),
  )

  app.post<{ Params: { templateId: string } }>(
    paths.templates.newSection.pattern,
    { config: manage },
    whenFound(
      (req) => ownTemplate(req, req.params.templateId),
      async (req, reply, own) => {
        const version = readVersion(req.body)
        if (version === null) return renderClientError(reply, 400)
        const form = parseForm(sectionForm, req.body)
        if (!form.ok)
          return renderSection(reply, own.template, version, {
            mode: 'add',
            values: sectionTyped(req.body),
            errors: form.errors,
            status: 400,
          })
        const { after, ...values } = form.value
        const section = newSection(own.template, values)
        const edited = addSection(
          own.template,
          section,
          own.template.sections.some((s) => s.id === after) ? after : undefined,
        )
        const index = edited.sections.findIndex((s) => s.id === section.id)
        const failed = await saveSection(req, own, version, edited, 'section-added', index)
        if (failed) return renderSection(reply, own.template, own.template.version, { mode: 'add', values, ...failed })
        return reply.redirect(
          `${paths.templates.school({ templateId: own.template.id }, { saved: 'section-added' })}#section-${section.id}`,
          303,
        )
      },
    ),
  )

  app.get<{ Params: { templateId: string; sectionId: string } }>(
    paths.templates.changeSection.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const section = own?.template.sections.find((s) => s.id === req.params.sectionId)
      if (!own || !section) return renderNotFound(req, reply)
      return renderSection(reply, own.template, own.template.version, {
        mode: 'change',
        sectionId: section.id,
        values: { title: section.title, hint: section.hint ?? '', showWhen: section.showWhen ?? 'always' },
      })
    },
  )

  app.post<{ Params: { templateId: string; sectionId: string } }>(
    paths.templates.changeSection.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const index = own?.template.sections.findIndex((s) => s.id === req.params.sectionId) ?? -1
      if (!own || index < 0) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const form = parseForm(sectionForm, req.body)
      if (!form.ok)
        return renderSection(reply, own.template, version, {
          mode: 'change',
          sectionId: req.params.sectionId,
          values: sectionTyped(req.body),
          errors: form.errors,
          status: 400,
        })
      const values = { title: form.value.title, hint: form.value.hint, showWhen: form.value.showWhen }
      const options = { mode: 'change' as const, sectionId: req.params.sectionId, values }
      const edited = changeSection(own.template, req.params.sectionId, values)
      const failed = await saveSection(req, own, version, edited, 'section-changed', index)
      if (failed) return renderSection(reply, own.template, own.template.version, { ...options, ...failed })
      return reply.redirect(
        `${paths.templates.school({ templateId: own.template.id }, { saved: 'section-changed' })}#section-${req.params.sectionId}`,
        303,
      )
    },
  )

  app.get<{ Params: { templateId: string; sectionId: string } }>(
    paths.templates.removeSection.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const section = own?.template.sections.find((s) => s.id === req.params.sectionId)
      if (!own || !section) return renderNotFound(req, reply)
      return renderRemove(reply, own.template, {
        kind: 'section',
        id: section.id,
        name: section.title,
        fieldCount: section.fields.length,
      })
    },
  )

  app.post<{ Params: { templateId: string; sectionId: string } }>(
    paths.templates.removeSection.pattern,
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const section = own?.template.sections.find((s) => s.id === req.params.sectionId)
      if (!own || !section) return renderNotFound(req, reply)
      const what = { kind: 'section' as const, id: section.id, name: section.title, fieldCount: section.fields.length }
      return submitRemoval(req, reply, own, what, (t) => removeSection(t, section.id))
    },
  )
}
