/**
 * Templates (issue 7, X-01): the built-in templates of the five policy packs and the school's own
 * copies. A school copies a template and edits its copy one change per page (add, change or
 * remove a section, or a field of any kind); each save is a new version, and records keep the
 * version they were written on. Reading needs `policy.read`; copying and editing `policy.manage`.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../domain/access/permissions.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import type { Field, FieldKind, Template } from '../../domain/records/template.ts'
import {
  addField,
  addSection,
  changeField,
  changeSection,
  describePath,
  fieldKindNames,
  fieldsWithSections,
  locateField,
  removeField,
  removeSection,
  usedIds,
} from '../../domain/records/template-edit.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../forms/errors.ts'
import { builtInTemplates, packOfTemplate, templateById } from '../../packs/templates.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { policyOnDate } from '../../services/records/context.ts'
import {
  copyToSchool,
  policyTemplateIds,
  saveTemplateVersion,
  schoolTemplate,
  schoolTemplateVersions,
  type TemplateActor,
  templateSummaries,
  versionAuthors,
} from '../../services/records/templates.ts'
import { schoolFor } from '../school-scope.ts'
import {
  emptyFieldForm,
  type FieldFormValues,
  fieldFormValues,
  fieldInputOf,
  isFieldKind,
  newSection,
  problemPairs,
  readFieldForm,
  readSectionForm,
  type SectionFormValues,
} from './forms.ts'

const read = { access: { permission: Permission.PolicyRead } }
const manage = { access: { permission: Permission.PolicyManage } }

const kindLabels: Record<string, string> = {
  record: 'Record',
  agenda: 'Agenda',
  preparation: 'Preparation',
  contract: 'Contract',
}
const packNames: Record<string, string> = {
  meanwood: 'Meanwood CE Primary School',
  'lode-heath': 'Lode Heath School',
  cornerstone: 'The Cornerstone Academy',
  'the-place': 'The PLACE Independent School',
  'ashbury-meadow': 'Ashbury Meadow',
}

const conflictText =
  'Someone else changed this template while you were editing it. Your change has not been saved. Check the template as it is now, then make your change again.'

/** The school a templates page is about: the person's own, else the first they reach. */
async function schoolOf(req: FastifyRequest) {
  return (await schoolFor(req, undefined))?.school ?? null
}

function templateActor(req: FastifyRequest, schoolId: string): TemplateActor {
  const p = req.session!.person
  return { actorId: p.id, organisationId: p.organisationId, schoolId, ip: req.ip }
}

function readVersion(body: unknown): number | null {
  const raw = field(body, 'version')
  return /^\d{1,6}$/.test(raw) ? Number(raw) : null
}

const templatesRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

  app.get<{ Querystring: { removed?: string } }>('/templates', { config: read }, async (req, reply) => {
    const school = await schoolOf(req)
    if (!school) return renderNotFound(req, reply)
    const policy = await policyOnDate(db, school.id, londonDateOf(new Date()))
    const all = await templateSummaries(db, school.id, policy)
    return reply.view('templates/views/list.njk', {
      pageTitle: 'Templates',
      backLink: { href: '/records', text: 'Records' },
      school,
      own: all.filter((t) => t.source === 'school').map((t) => ({ ...t, kindLabel: kindLabels[t.kind] })),
      builtIn: all
        .filter((t) => t.source === 'built-in')
        .map((t) => ({
          ...t,
          kindLabel: kindLabels[t.kind],
          packName: t.packId ? (packNames[t.packId] ?? t.packId) : '',
        })),
      canManage: can(req.actor, Permission.PolicyManage),
    })
  })

  function overviewOf(template: Template) {
    return template.sections.map((s) => ({
      id: s.id,
      title: s.title,
      hint: s.hint ?? '',
      fields: s.fields.map((f) => ({
        id: f.id,
        label: f.label,
        kindName: fieldKindNames[f.kind].name,
        required: f.required,
        details: fieldDetails(f),
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

  app.get<{ Params: { templateId: string } }>(
    '/templates/built-in/:templateId',
    { config: read },
    async (req, reply) => {
      const template = templateById(req.params.templateId)
      if (!template) return renderNotFound(req, reply)
      const school = await schoolOf(req)
      const policy = school ? await policyOnDate(db, school.id, londonDateOf(new Date())) : null
      return reply.view('templates/views/template.njk', {
        pageTitle: template.name,
        backLink: { href: '/templates', text: 'Templates' },
        template: {
          id: template.id,
          name: template.name,
          description: template.description,
          kind: kindLabels[template.kind],
          version: template.version,
          source: template.source ?? null,
          notes: template.notes ?? [],
        },
        builtIn: true,
        packName: packNames[packOfTemplate(template.id) ?? ''] ?? '',
        usedByPolicy: policyTemplateIds(policy).has(template.id),
        sections: overviewOf(template),
        canManage: can(req.actor, Permission.PolicyManage),
        copyHref: `/templates/copy?from=${encodeURIComponent(`built-in:${template.id}`)}`,
        versions: [],
        copied: false,
        saved: null,
      })
    },
  )

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
      backLink: { href: '/templates', text: 'Templates' },
      errors,
      from,
      source: { name: source.name },
      values,
    })
  }

  app.get<{ Querystring: { from?: string } }>('/templates/copy', { config: manage }, async (req, reply) => {
    const school = await schoolOf(req)
    const from = req.query.from ?? ''
    const source = school ? await sourceTemplate(school.id, from) : null
    if (!school || !source) return renderNotFound(req, reply)
    return renderCopy(reply, from, source, { name: `${school.name}: ${source.name}`.slice(0, 200) })
  })

  app.post('/templates/copy', { config: manage }, async (req, reply) => {
    const school = await schoolOf(req)
    const from = field(req.body, 'from')
    const source = school ? await sourceTemplate(school.id, from) : null
    if (!school || !source) return renderNotFound(req, reply)
    const name = field(req.body, 'name')
    if (name === '')
      return renderCopy(reply, from, source, { name }, formErrors([['name', 'Enter a name for your copy']]), 400)
    if (name.length > 200)
      return renderCopy(
        reply,
        from,
        source,
        { name },
        formErrors([['name', 'The name must be 200 characters or fewer']]),
        400,
      )
    const id = await copyToSchool(db, templateActor(req, school.id), source, name)
    return reply.redirect(`/templates/school/${id}?copied=1`, 303)
  })

  // A school's own template ---------------------------------------------------------------------

  async function ownTemplate(req: FastifyRequest, templateId: string) {
    const school = await schoolOf(req)
    if (!school) return null
    const template = await schoolTemplate(db, school.id, templateId)
    return template ? { school, template } : null
  }

  app.get<{ Params: { templateId: string }; Querystring: { version?: string; copied?: string; saved?: string } }>(
    '/templates/school/:templateId',
    { config: read },
    async (req, reply) => {
      const school = await schoolOf(req)
      if (!school) return renderNotFound(req, reply)
      const versions = await schoolTemplateVersions(db, school.id, req.params.templateId)
      const latest = versions[0]
      if (!latest) return renderNotFound(req, reply)
      const wanted =
        req.query.version !== undefined ? versions.find((v) => String(v.version) === req.query.version) : latest
      if (!wanted) return renderNotFound(req, reply)
      const template = wanted.template
      const policy = await policyOnDate(db, school.id, londonDateOf(new Date()))
      const authors = await versionAuthors(db, req.actor!.organisationId, versions)
      return reply.view('templates/views/template.njk', {
        pageTitle: template.name,
        backLink: { href: '/templates', text: 'Templates' },
        template: {
          id: template.id,
          name: template.name,
          description: template.description,
          kind: kindLabels[template.kind],
          version: wanted.version,
          source: template.source ?? null,
          notes: template.notes ?? [],
          basedOn: template.basedOn ?? null,
        },
        builtIn: false,
        latest: wanted.version === latest.version,
        latestVersion: latest.version,
        usedByPolicy: policyTemplateIds(policy).has(template.id),
        sections: overviewOf(template),
        canManage: can(req.actor, Permission.PolicyManage) && wanted.version === latest.version,
        copyHref: `/templates/copy?from=${encodeURIComponent(`school:${template.id}`)}`,
        versions: versions.map((v) => ({
          version: v.version,
          createdAt: v.createdAt,
          by: (v.createdBy && authors.get(v.createdBy)) || null,
        })),
        copied: req.query.copied === '1',
        saved: req.query.saved ?? null,
        base: `/templates/school/${template.id}`,
      })
    },
  )

  /**
   * Applies one edit to the latest version and saves the next one. Returns null on success (the
   * caller redirects), or form errors to show.
   */
  async function saveEdit(
    req: FastifyRequest,
    schoolId: string,
    template: Template,
    basedOn: number,
    edited: Template,
    change: string,
    problemPrefix: string,
    inputs: Record<string, string>,
    fallback: string,
  ): Promise<{ errors: FormErrors; status: number } | null> {
    const result = await saveTemplateVersion(db, templateActor(req, schoolId), {
      templateId: template.id,
      basedOnVersion: basedOn,
      template: edited,
      change,
    })
    if (result.ok) return null
    if ('conflict' in result) return { errors: formErrors([[fallback, conflictText]]), status: 409 }
    return {
      errors: formErrors(
        problemPairs(result.problems, problemPrefix, inputs, fallback, (p) => describePath(edited, p)),
      ),
      status: 400,
    }
  }

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
      backLink: { href: `/templates/school/${template.id}`, text: template.name },
      errors: options.errors ?? noErrors,
      template: { id: template.id, name: template.name },
      mode: options.mode,
      version,
      values: options.values,
      action:
        options.mode === 'add'
          ? `/templates/school/${template.id}/sections/new`
          : `/templates/school/${template.id}/sections/${options.sectionId}/change`,
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
    '/templates/school/:templateId/sections/new',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      if (!own) return renderNotFound(req, reply)
      return renderSection(reply, own.template, own.template.version, { mode: 'add', values: { title: '', hint: '' } })
    },
  )

  app.post<{ Params: { templateId: string } }>(
    '/templates/school/:templateId/sections/new',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      if (!own) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const { values, errors } = readSectionForm(req.body)
      if (errors.length > 0)
        return renderSection(reply, own.template, version, {
          mode: 'add',
          values,
          errors: formErrors(errors),
          status: 400,
        })
      const after = field(req.body, 'after')
      const section = newSection(own.template, values)
      const edited = addSection(
        own.template,
        section,
        own.template.sections.some((s) => s.id === after) ? after : undefined,
      )
      const index = edited.sections.findIndex((s) => s.id === section.id)
      const failed = await saveEdit(
        req,
        own.school.id,
        own.template,
        version,
        edited,
        'section-added',
        `sections.${String(index)}`,
        { title: 'title', hint: 'hint' },
        'title',
      )
      if (failed) return renderSection(reply, own.template, own.template.version, { mode: 'add', values, ...failed })
      return reply.redirect(`/templates/school/${own.template.id}?saved=section-added#section-${section.id}`, 303)
    },
  )

  app.get<{ Params: { templateId: string; sectionId: string } }>(
    '/templates/school/:templateId/sections/:sectionId/change',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const section = own?.template.sections.find((s) => s.id === req.params.sectionId)
      if (!own || !section) return renderNotFound(req, reply)
      return renderSection(reply, own.template, own.template.version, {
        mode: 'change',
        sectionId: section.id,
        values: { title: section.title, hint: section.hint ?? '' },
      })
    },
  )

  app.post<{ Params: { templateId: string; sectionId: string } }>(
    '/templates/school/:templateId/sections/:sectionId/change',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const index = own?.template.sections.findIndex((s) => s.id === req.params.sectionId) ?? -1
      if (!own || index < 0) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const { values, errors } = readSectionForm(req.body)
      const options = { mode: 'change' as const, sectionId: req.params.sectionId, values }
      if (errors.length > 0)
        return renderSection(reply, own.template, version, { ...options, errors: formErrors(errors), status: 400 })
      const edited = changeSection(own.template, req.params.sectionId, { title: values.title, hint: values.hint })
      const failed = await saveEdit(
        req,
        own.school.id,
        own.template,
        version,
        edited,
        'section-changed',
        `sections.${String(index)}`,
        { title: 'title', hint: 'hint' },
        'title',
      )
      if (failed) return renderSection(reply, own.template, own.template.version, { ...options, ...failed })
      return reply.redirect(
        `/templates/school/${own.template.id}?saved=section-changed#section-${req.params.sectionId}`,
        303,
      )
    },
  )

  function renderRemove(
    reply: FastifyReply,
    template: Template,
    what: { kind: 'section' | 'field'; id: string; name: string; fieldCount?: number },
    errors: FormErrors = noErrors,
    status = 200,
  ) {
    return reply.code(status).view('templates/views/remove.njk', {
      pageTitle: what.kind === 'section' ? 'Remove a section' : 'Remove a field',
      backLink: { href: `/templates/school/${template.id}`, text: template.name },
      errors,
      template: { id: template.id, name: template.name },
      what,
      version: template.version,
      action: `/templates/school/${template.id}/${what.kind === 'section' ? 'sections' : 'fields'}/${what.id}/remove`,
    })
  }

  app.get<{ Params: { templateId: string; sectionId: string } }>(
    '/templates/school/:templateId/sections/:sectionId/remove',
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
    '/templates/school/:templateId/sections/:sectionId/remove',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const section = own?.template.sections.find((s) => s.id === req.params.sectionId)
      if (!own || !section) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const what = { kind: 'section' as const, id: section.id, name: section.title, fieldCount: section.fields.length }
      const confirm = field(req.body, 'confirm')
      if (confirm === 'no') return reply.redirect(`/templates/school/${own.template.id}`, 303)
      if (confirm !== 'yes')
        return renderRemove(
          reply,
          own.template,
          what,
          formErrors([['confirm', 'Select yes if you want to remove the section']]),
          400,
        )
      const edited = removeSection(own.template, section.id)
      const failed = await saveEdit(
        req,
        own.school.id,
        own.template,
        version,
        edited,
        'section-removed',
        'sections',
        {},
        'confirm',
      )
      if (failed) return renderRemove(reply, own.template, what, failed.errors, failed.status)
      return reply.redirect(`/templates/school/${own.template.id}?saved=section-removed`, 303)
    },
  )

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
      backLink: { href: `/templates/school/${template.id}`, text: template.name },
      errors,
      template: { id: template.id, name: template.name },
      action: `/templates/school/${template.id}/sections/${sectionId}/fields/new`,
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
      backLink: { href: `/templates/school/${template.id}`, text: template.name },
      errors: options.errors ?? noErrors,
      template: { id: template.id, name: template.name },
      sectionTitle: section?.title ?? '',
      mode: options.mode,
      version,
      kindName: fieldKindNames[options.values.kind].name,
      values: options.values,
      action:
        options.mode === 'add'
          ? `/templates/school/${template.id}/sections/${options.sectionId}/fields/new`
          : `/templates/school/${template.id}/fields/${options.values.fieldId}/change`,
    })
  }

  app.get<{ Params: { templateId: string; sectionId: string }; Querystring: { kind?: string } }>(
    '/templates/school/:templateId/sections/:sectionId/fields/new',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      if (!own?.template.sections.some((s) => s.id === req.params.sectionId)) return renderNotFound(req, reply)
      const kind = req.query.kind
      if (kind === undefined || kind === '') return renderKindChoice(reply, own.template, req.params.sectionId)
      if (!isFieldKind(kind))
        return renderKindChoice(
          reply,
          own.template,
          req.params.sectionId,
          formErrors([['kind', 'Select the kind of field']]),
          400,
        )
      return renderField(reply, own.template, own.template.version, {
        mode: 'add',
        sectionId: req.params.sectionId,
        values: emptyFieldForm(kind),
      })
    },
  )

  app.post<{ Params: { templateId: string; sectionId: string } }>(
    '/templates/school/:templateId/sections/:sectionId/fields/new',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const sectionIndex = own?.template.sections.findIndex((s) => s.id === req.params.sectionId) ?? -1
      if (!own || sectionIndex < 0) return renderNotFound(req, reply)
      const kind = field(req.body, 'kind')
      if (!isFieldKind(kind))
        return renderKindChoice(
          reply,
          own.template,
          req.params.sectionId,
          formErrors([['kind', 'Select the kind of field']]),
          400,
        )
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const read = readFieldForm(kind, req.body, { taken: usedIds(own.template) })
      const options = { mode: 'add' as const, sectionId: req.params.sectionId, values: read.values }
      if (!read.field)
        return renderField(reply, own.template, version, { ...options, errors: formErrors(read.errors), status: 400 })
      const edited = addField(own.template, req.params.sectionId, read.field)
      const at = locateField(edited, read.field.id)!
      const failed = await saveEdit(
        req,
        own.school.id,
        own.template,
        version,
        edited,
        'field-added',
        `sections.${String(at.sectionIndex)}.fields.${String(at.fieldIndex)}`,
        fieldInputOf,
        'label',
      )
      if (failed) return renderField(reply, own.template, own.template.version, { ...options, ...failed })
      return reply.redirect(`/templates/school/${own.template.id}?saved=field-added#field-${read.field.id}`, 303)
    },
  )

  function fieldOf(template: Template, fieldId: string): { field: Field; sectionId: string } | null {
    const found = fieldsWithSections(template).find((x) => x.field.id === fieldId)
    return found ? { field: found.field, sectionId: found.section.id } : null
  }

  app.get<{ Params: { templateId: string; fieldId: string } }>(
    '/templates/school/:templateId/fields/:fieldId/change',
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
    '/templates/school/:templateId/fields/:fieldId/change',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const kind: FieldKind = found.field.kind
      const read = readFieldForm(kind, req.body, { existing: found.field, taken: usedIds(own.template) })
      const options = { mode: 'change' as const, sectionId: found.sectionId, values: read.values }
      if (!read.field)
        return renderField(reply, own.template, version, { ...options, errors: formErrors(read.errors), status: 400 })
      const edited = changeField(own.template, found.field.id, read.field)
      const at = locateField(edited, found.field.id)!
      const failed = await saveEdit(
        req,
        own.school.id,
        own.template,
        version,
        edited,
        'field-changed',
        `sections.${String(at.sectionIndex)}.fields.${String(at.fieldIndex)}`,
        fieldInputOf,
        'label',
      )
      if (failed) return renderField(reply, own.template, own.template.version, { ...options, ...failed })
      return reply.redirect(`/templates/school/${own.template.id}?saved=field-changed#field-${found.field.id}`, 303)
    },
  )

  app.get<{ Params: { templateId: string; fieldId: string } }>(
    '/templates/school/:templateId/fields/:fieldId/remove',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      return renderRemove(reply, own.template, { kind: 'field', id: found.field.id, name: found.field.label })
    },
  )

  app.post<{ Params: { templateId: string; fieldId: string } }>(
    '/templates/school/:templateId/fields/:fieldId/remove',
    { config: manage },
    async (req, reply) => {
      const own = await ownTemplate(req, req.params.templateId)
      const found = own ? fieldOf(own.template, req.params.fieldId) : null
      if (!own || !found) return renderNotFound(req, reply)
      const version = readVersion(req.body)
      if (version === null) return renderClientError(reply, 400)
      const what = { kind: 'field' as const, id: found.field.id, name: found.field.label }
      const confirm = field(req.body, 'confirm')
      if (confirm === 'no') return reply.redirect(`/templates/school/${own.template.id}`, 303)
      if (confirm !== 'yes')
        return renderRemove(
          reply,
          own.template,
          what,
          formErrors([['confirm', 'Select yes if you want to remove the field']]),
          400,
        )
      const edited = removeField(own.template, found.field.id)
      const failed = await saveEdit(
        req,
        own.school.id,
        own.template,
        version,
        edited,
        'field-removed',
        'sections',
        {},
        'confirm',
      )
      if (failed) return renderRemove(reply, own.template, what, failed.errors, failed.status)
      return reply.redirect(`/templates/school/${own.template.id}?saved=field-removed`, 303)
    },
  )

  // Keep the list of built-in templates warm: a broken built-in fails at start-up, not on a page.
  builtInTemplates()
}

export default templatesRoutes
