/** Browsing templates: the list, a built-in template and a version of one of the school's own. */
import type { FastifyInstance } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { londonDateOf } from '../../../domain/calendar/london.ts'
import { builtInTemplates, packOfTemplate, templateById } from '../../../packs/templates.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { policyBook } from '../../../services/policy/on-date.ts'
import {
  policyTemplateIds,
  schoolTemplateVersions,
  templateSummaries,
  versionAuthors,
} from '../../../services/records/templates.ts'
import { kindLabels, overviewOf, packNames, read, schoolOf } from './shared.ts'

/**
 * What a school's template was copied from, by name ("The Cornerstone Academy Supervision Record,
 * version 1"), never by its id (issue 18); null when it is not a copy.
 */
function copiedFrom(
  basedOn: { id: string; version: number } | null | undefined,
  all: readonly { id: string; name: string }[],
): string | null {
  if (!basedOn) return null
  const from = all.find((t) => t.id === basedOn.id)
  return `${from?.name ?? 'another template'}, version ${basedOn.version}`
}

export function browseRoutes(app: FastifyInstance): void {
  const db = app.db

  app.get<{ Querystring: { removed?: string } }>(
    paths.templates.index.pattern,
    { config: read },
    async (req, reply) => {
      const school = await schoolOf(req)
      if (!school) return renderNotFound(req, reply)
      const policy = (await policyBook(db, school.id)).on(londonDateOf(app.clock()))
      const all = await templateSummaries(db, school.id, policy)
      return reply.view('templates/views/list.njk', {
        pageTitle: 'Templates',
        backLink: { href: paths.records.index(), text: 'Records' },
        school,
        own: all
          .filter((t) => t.source === 'school')
          .map((t) => ({ ...t, kindLabel: kindLabels[t.kind], copiedFrom: copiedFrom(t.basedOn, all) })),
        builtIn: all
          .filter((t) => t.source === 'built-in')
          .map((t) => ({
            ...t,
            kindLabel: kindLabels[t.kind],
            packName: t.packId ? (packNames[t.packId] ?? t.packId) : '',
          })),
        canManage: can(req.actor, Permission.PolicyManage),
      })
    },
  )

  app.get<{ Params: { templateId: string } }>(paths.templates.builtIn.pattern, { config: read }, async (req, reply) => {
    const template = templateById(req.params.templateId)
    if (!template) return renderNotFound(req, reply)
    const school = await schoolOf(req)
    const policy = school ? (await policyBook(db, school.id)).on(londonDateOf(app.clock())) : null
    return reply.view('templates/views/template.njk', {
      pageTitle: template.name,
      backLink: { href: paths.templates.index(), text: 'Templates' },
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
      copyHref: paths.templates.copy({ from: `built-in:${template.id}` }),
      versions: [],
      copied: false,
      saved: null,
    })
  })

  app.get<{ Params: { templateId: string }; Querystring: { version?: string; copied?: string; saved?: string } }>(
    paths.templates.school.pattern,
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
      const policy = (await policyBook(db, school.id)).on(londonDateOf(app.clock()))
      const authors = await versionAuthors(db, req.actor!.organisationId, versions)
      return reply.view('templates/views/template.njk', {
        pageTitle: template.name,
        backLink: { href: paths.templates.index(), text: 'Templates' },
        template: {
          id: template.id,
          name: template.name,
          description: template.description,
          kind: kindLabels[template.kind],
          version: wanted.version,
          source: template.source ?? null,
          notes: template.notes ?? [],
          copiedFrom: copiedFrom(template.basedOn, await templateSummaries(db, school.id, policy)),
        },
        builtIn: false,
        latest: wanted.version === latest.version,
        latestVersion: latest.version,
        usedByPolicy: policyTemplateIds(policy).has(template.id),
        sections: overviewOf(template),
        canManage: can(req.actor, Permission.PolicyManage) && wanted.version === latest.version,
        copyHref: paths.templates.copy({ from: `school:${template.id}` }),
        versions: versions.map((v) => ({
          version: v.version,
          createdAt: v.createdAt,
          by: (v.createdBy && authors.get(v.createdBy)) || null,
        })),
        copied: req.query.copied === '1',
        saved: req.query.saved ?? null,
      })
    },
  )

  /**
   * Applies one edit to the latest version and saves the next one. Returns null on success (the
   * caller redirects), or form errors to show.
   */

  // Keep the list of built-in templates warm: a broken built-in fails at start-up, not on a page.
  builtInTemplates()
}
