/** Copying a template (built-in or the school's own) as the school's own. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Template } from '../../../domain/records/template.ts'
import { type FormErrors, field, noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { templateById } from '../../../packs/templates.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { copyToSchool, schoolTemplate } from '../../../services/records/templates.ts'
import { copyForm } from '../forms.ts'
import { manage, schoolOf, templateActor } from './shared.ts'

export function copyRoutes(app: FastifyInstance): void {
  const db = app.db

  // Copying ------------------------------------------------------------------------------------

  async function sourceTemplate(schoolId: string, from: string): Promise<Template | null> {
    const [kind, id] = from.split(':', 2)
    if (!id) return null
    if (kind === 'built-in') return templateById(id) ?? null
    if (kind === 'school') return schoolTemplate(db, schoolId, id)
    return null
  }

  function renderCopy(
    reply: FastifyReply,
    from: string,
    source: Template,
    values: { name: string },
    errors: FormErrors = noErrors,
    status = 200,
  ) {
    return reply.code(status).view('templates/views/copy.njk', {
      pageTitle: 'Copy a template',
      backLink: { href: paths.templates.index(), text: 'Templates' },
      errors,
      from,
      source: { name: source.name },
      values,
    })
  }

  app.get<{ Querystring: { from?: string } }>(paths.templates.copy.pattern, { config: manage }, async (req, reply) => {
    const school = await schoolOf(req)
    const from = req.query.from ?? ''
    const source = school ? await sourceTemplate(school.id, from) : null
    if (!school || !source) return renderNotFound(req, reply)
    return renderCopy(reply, from, source, { name: `${school.name}: ${source.name}`.slice(0, 200) })
  })

  app.post(paths.templates.copy.pattern, { config: manage }, async (req, reply) => {
    const school = await schoolOf(req)
    const form = parseForm(copyForm, req.body)
    const from = form.ok ? form.value.from : field(req.body, 'from')
    const source = school ? await sourceTemplate(school.id, from) : null
    if (!school || !source) return renderNotFound(req, reply)
    if (!form.ok) return renderCopy(reply, from, source, { name: field(req.body, 'name') }, form.errors, 400)
    const { name } = form.value
    const id = await copyToSchool(db, templateActor(req, school.id), source, name)
    return reply.redirect(paths.templates.school({ templateId: id }, { copied: '1' }), 303)
  })
}
