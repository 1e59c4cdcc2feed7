/** Administration: the schools of a trust. An administrator adds a school with its name, short name and region. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { type FormErrors, field, formErrors, fromZodError, noErrors } from '../../forms/errors.ts'
import { addSchool, listSchoolsWithCounts } from '../../services/staff/schools.ts'
import { schoolForm } from '../staff/forms.ts'

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
    extra: { values?: Record<string, string>; errors?: FormErrors; status?: number; added?: string | null } = {},
  ) {
    const organisationId = req.session!.person.organisationId
    const [schools, organisation] = await Promise.all([
      listSchoolsWithCounts(app.db, organisationId),
      app.db
        .selectFrom('organisation')
        .select(['kind', 'name'])
        .where('id', '=', organisationId)
        .executeTakeFirstOrThrow(),
    ])
    return reply.code(extra.status ?? 200).view('schools/views/schools.njk', {
      pageTitle: 'Schools',
      backLink: { href: '/admin', text: 'Administration' },
      organisation,
      schools: schools.map((s) => ({ ...s, regionName: regionNames[s.region] ?? s.region })),
      values: extra.values ?? { name: '', slug: '', region: 'england-and-wales' },
      errors: extra.errors ?? noErrors,
      added: extra.added ?? null,
    })
  }

  app.get<{ Querystring: { added?: string } }>('/admin/schools', { config: manage }, async (req, reply) => {
    const schools = await listSchoolsWithCounts(app.db, req.session!.person.organisationId)
    return render(req, reply, { added: schools.find((s) => s.slug === req.query.added)?.name ?? null })
  })

  app.post('/admin/schools', { config: manage }, async (req, reply) => {
    const values = { name: field(req.body, 'name'), slug: field(req.body, 'slug'), region: field(req.body, 'region') }
    const parsed = schoolForm.safeParse(values)
    if (!parsed.success)
      return render(req, reply, { values, errors: fromZodError(parsed.error, { region: 'region' }), status: 400 })
    const result = await addSchool(app.db, {
      organisationId: req.session!.person.organisationId,
      ...parsed.data,
      actorId: req.session!.person.id,
    })
    if (!result.ok)
      return render(req, reply, { values, errors: formErrors([[result.field, result.message]]), status: 400 })
    return reply.redirect(`/admin/schools?added=${encodeURIComponent(parsed.data.slug)}`, 303)
  })
}

export default schoolsRoutes
