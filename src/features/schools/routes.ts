/** Administration: the schools of a trust. An administrator adds a school with its name, short name and region. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { type FormErrors, field } from '../../forms/errors.ts'
import { parseForm, problemErrors, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { addSchool, listSchoolsWithCounts, organisationOf } from '../../services/staff/schools.ts'
import { schoolForm, schoolFormHrefs } from './forms.ts'

const manage = { access: { permission: Permission.OrganisationManage } }

const regionNames: Record<string, string> = {
  'england-and-wales': 'England or Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
}

const schoolsRoutes: FastifyPluginAsync = async (app) => {
  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; errors?: FormErrors; added?: string | null } = {},
  ) {
    const organisationId = req.actor!.organisationId
    const [schools, organisation] = await Promise.all([
      listSchoolsWithCounts(app.db, organisationId),
      organisationOf(app.db, organisationId),
    ])
    const context = {
      pageTitle: 'Schools',
      backLink: { href: paths.admin.index(), text: 'Administration' },
      organisation,
      schools: schools.map((s) => ({ ...s, regionName: regionNames[s.region] ?? s.region })),
      values: extra.values ?? { name: '', slug: '', region: 'england-and-wales' },
      added: extra.added ?? null,
    }
    return renderForm(reply, 'schools/views/schools.njk', context, extra.errors)
  }

  app.get<{ Querystring: { added?: string } }>(paths.schools.index.pattern, { config: manage }, async (req, reply) => {
    const schools = await listSchoolsWithCounts(app.db, req.actor!.organisationId)
    return render(req, reply, { added: schools.find((s) => s.slug === req.query.added)?.name ?? null })
  })

  app.post(paths.schools.index.pattern, { config: manage }, async (req, reply) => {
    const values = { name: field(req.body, 'name'), slug: field(req.body, 'slug'), region: field(req.body, 'region') }
    const form = parseForm(schoolForm, req.body, schoolFormHrefs)
    if (!form.ok) return render(req, reply, { values, errors: form.errors })
    const result = await addSchool(app.db, {
      organisationId: req.actor!.organisationId,
      ...form.value,
      actorId: req.actor!.personId,
    })
    if (!result.ok) return render(req, reply, { values, errors: problemErrors([result]) })
    return reply.redirect(paths.schools.index({ added: form.value.slug }), 303)
  })
}

export default schoolsRoutes
