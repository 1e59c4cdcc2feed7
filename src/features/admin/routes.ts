/** Administration: the organisation's security settings (who must use two-step verification). */
import type { FastifyPluginAsync } from 'fastify'
import { defaultTwoStepRoles, Permission, type TwoStepPolicy } from '../../domain/access/permissions.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import { field, fieldList, formErrors, noErrors } from '../../forms/errors.ts'
import { setTwoStepPolicy, twoStepPolicyOf } from '../../services/auth/accounts.ts'

const manage = { access: { permission: Permission.OrganisationManage } }

const adminRoutes: FastifyPluginAsync = async (app) => {
  app.get('/admin', { config: manage }, async (_req, reply) =>
    reply.view('admin/views/index.njk', { pageTitle: 'Administration' }),
  )

  app.get<{ Querystring: { saved?: string } }>('/admin/security', { config: manage }, async (req, reply) => {
    const policy = await twoStepPolicyOf(app.db, req.session!.person.organisationId)
    return reply.view('admin/views/security.njk', {
      pageTitle: 'Two-step verification',
      values: { mode: policy.mode, roles: policy.mode === 'roles' ? policy.roles : defaultTwoStepRoles },
      roles: roleCatalogue,
      errors: noErrors,
      saved: req.query.saved === '1',
    })
  })

  app.post('/admin/security', { config: manage }, async (req, reply) => {
    const mode = field(req.body, 'mode')
    const known = new Set(roleCatalogue.map((r) => r.id))
    const roles = fieldList(req.body, 'roles').filter((r) => known.has(r))
    const pairs: [string, string][] = []
    if (mode !== 'everyone' && mode !== 'roles') pairs.push(['mode', 'Select who must use two-step verification'])
    if (mode === 'roles' && roles.length === 0) pairs.push(['roles', 'Select at least one role'])
    if (pairs.length > 0) {
      return reply.code(400).view('admin/views/security.njk', {
        pageTitle: 'Two-step verification',
        values: { mode, roles },
        roles: roleCatalogue,
        errors: formErrors(pairs),
      })
    }
    const policy: TwoStepPolicy = mode === 'everyone' ? { mode: 'everyone' } : { mode: 'roles', roles }
    await setTwoStepPolicy(app.db, req.session!.person.organisationId, policy, req.session!.person.id)
    return reply.redirect('/admin/security?saved=1')
  })
}

export default adminRoutes
