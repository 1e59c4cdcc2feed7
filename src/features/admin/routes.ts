/** Administration: the organisation's security settings (who must use two-step verification). */
import type { FastifyPluginAsync } from 'fastify'
import { defaultTwoStepRoles, Permission } from '../../domain/access/permissions.ts'
import { defaultIssuer } from '../../domain/auth/sign-in-provider.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import { noErrors } from '../../forms/errors.ts'
import { parseForm, renderInvalid } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { setTwoStepPolicy, twoStepPolicyOf } from '../../services/auth/accounts.ts'
import { saveSignInProvider, signInProviderOf } from '../../services/auth/provider-sign-in.ts'
import { securityForm, securityValues, signInProviderForm, signInProviderValues } from './forms.ts'

const manage = { access: { permission: Permission.OrganisationManage } }

const adminRoutes: FastifyPluginAsync = async (app) => {
  app.get(paths.admin.index.pattern, { config: manage }, async (_req, reply) =>
    reply.view('admin/views/index.njk', { pageTitle: 'Administration' }),
  )

  app.get<{ Querystring: { saved?: string } }>(paths.admin.security.pattern, { config: manage }, async (req, reply) => {
    const policy = await twoStepPolicyOf(app.db, req.actor!.organisationId)
    return reply.view('admin/views/security.njk', {
      pageTitle: 'Two-step verification',
      values: { mode: policy.mode, roles: policy.mode === 'roles' ? policy.roles : defaultTwoStepRoles },
      roles: roleCatalogue,
      errors: noErrors,
      saved: req.query.saved === '1',
    })
  })

  app.post(paths.admin.security.pattern, { config: manage }, async (req, reply) => {
    const form = parseForm(securityForm, req.body)
    if (!form.ok)
      return renderInvalid(
        reply,
        'admin/views/security.njk',
        { pageTitle: 'Two-step verification', values: securityValues(req.body), roles: roleCatalogue },
        form.errors,
      )
    await setTwoStepPolicy(app.db, req.actor!.organisationId, form.value, req.actor!.personId)
    return reply.redirect(paths.admin.security({ saved: 1 }))
  })

  // Signing in with Microsoft or Google (issue 18 item 2, ADR 0048) -------------------------------

  const providerPage = {
    pageTitle: 'Sign in with Microsoft or Google',
    secretSet: app.config.oidcClientSecret !== undefined,
    redirectUri: `${app.config.baseUrl}${paths.auth.providerCallback()}`,
  }

  app.get<{ Querystring: { saved?: string } }>(
    paths.admin.signInProvider.pattern,
    { config: manage },
    async (req, reply) => {
      const provider = await signInProviderOf(app.db, req.actor!.organisationId)
      return reply.view('admin/views/sign-in-provider.njk', {
        ...providerPage,
        values: provider
          ? {
              ...provider,
              tenantId: provider.tenantId ?? '',
              // The issuer is shown only when it is not the provider's own, so changing provider changes it.
              issuer: provider.issuer === defaultIssuer(provider.kind, provider.tenantId) ? '' : provider.issuer,
            }
          : { kind: 'none', tenantId: '', domain: '', issuer: '', clientId: '' },
        errors: noErrors,
        saved: req.query.saved === '1',
      })
    },
  )

  app.post(paths.admin.signInProvider.pattern, { config: manage }, async (req, reply) => {
    const form = parseForm(signInProviderForm, req.body)
    if (!form.ok)
      return renderInvalid(
        reply,
        'admin/views/sign-in-provider.njk',
        { ...providerPage, values: signInProviderValues(req.body) },
        form.errors,
      )
    await saveSignInProvider(app.db, req.actor!.organisationId, form.value, req.actor!.personId)
    return reply.redirect(paths.admin.signInProvider({ saved: 1 }))
  })
}

export default adminRoutes
