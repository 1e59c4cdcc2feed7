/** The roles page: the catalogue and the school's own roles; adding one. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import type { FormErrors } from '../../../forms/errors.ts'
import { problemErrors, renderForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { addCustomRole, customRolesFor } from '../../../services/staff/roles.ts'
import { type FoundSchool, schoolFor, schoolPage, schoolQuery } from '../../school-scope.ts'
import { roleForm } from '../forms.ts'
import { manageRoles, read } from './shared.ts'

const rolesRoutes: FastifyPluginAsync = async (app) => {
  async function renderRoles(
    req: FastifyRequest,
    reply: FastifyReply,
    found: FoundSchool,
    extra: { values?: Record<string, string>; errors?: FormErrors; added?: string | null } = {},
  ) {
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    const sq = schoolQuery(found.school, found.schools)
    const context = {
      pageTitle: 'Roles',
      backLink: { href: paths.staff.index(sq), text: 'Staff' },
      school: found.school,
      trust: found.schools.length > 1,
      catalogue: roleCatalogue,
      customRoles: customRoles.map((r) => ({
        ...r,
        scope: r.schoolId === null ? 'Every school in the trust' : found.school.name,
      })),
      canManageRoles: can(req.actor!, Permission.RolesManage),
      action: paths.staff.roles(sq),
      values: extra.values ?? { name: '', description: '', scope: 'school' },
      added: extra.added ?? null,
    }
    return renderForm(reply, 'staff/views/roles.njk', context, extra.errors)
  }

  app.get<{ Querystring: { school?: string; added?: string } }>(
    paths.staff.roles.pattern,
    { config: read },
    schoolPage(schoolFor, async (req, reply, found) => {
      const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
      const added = customRoles.find((r) => r.id === req.query.added)?.name ?? null
      return renderRoles(req, reply, found, { added })
    }),
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.staff.roles.pattern,
    { config: manageRoles },
    schoolPage(schoolFor, async (req, reply, found) => {
      const values = roleForm.parse(req.body ?? {})
      const trustWide = found.schools.length > 1 && values.scope === 'trust'
      const result = await addCustomRole(app.db, {
        organisationId: found.school.organisationId,
        schoolId: trustWide ? null : found.school.id,
        name: values.name,
        description: values.description,
        actorId: req.actor!.personId,
      })
      if (!result.ok)
        return renderRoles(req, reply, found, {
          values,
          errors: problemErrors(result.errors.map(([field, message]) => ({ field, message }))),
        })
      const chosen = found.schools.length > 1 ? found.school.slug : undefined
      return reply.redirect(paths.staff.roles({ added: result.id, school: chosen }), 303)
    }),
  )
}

export default rolesRoutes
