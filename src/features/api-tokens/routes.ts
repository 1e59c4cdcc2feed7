/**
 * The school's API tokens (issue 15 item 3, ADR 0035): the DSL or an administrator makes one
 * (a name, what it may do, an optional last day), sees it once, lists and revokes them.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission, permissionsOf } from '../../domain/access/permissions.ts'
import { type ApiScope, grantableScopes, scopeLabels, tokenStatus } from '../../domain/api/tokens.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import type { FormErrors } from '../../forms/errors.ts'
import { parseForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { formatDate, formatDateTime } from '../../presenters/format.ts'
import { apiTokens, createApiToken, revokeToken } from '../../services/api/tokens.ts'
import { type FoundSchool, schoolFor, schoolPage } from '../school-scope.ts'
import { tokenForm, tokenFormHrefs } from './forms.ts'

const manage = { access: { permission: Permission.ApiTokensManage } }

const statusLabels = { active: 'Active', expired: 'Expired', revoked: 'Revoked' } as const
const statusTags = { active: 'govuk-tag--green', expired: 'govuk-tag--grey', revoked: 'govuk-tag--red' } as const

async function schoolOf(req: FastifyRequest, slug: unknown): Promise<FoundSchool | null> {
  const found = await schoolFor(req, slug)
  if (!found || !can(req.actor!.in(found.school.id), Permission.ApiTokensManage)) return null
  return found
}

function schoolParam(found: FoundSchool): string | undefined {
  return found.schools.length > 1 ? found.school.slug : undefined
}

const apiTokenRoutes: FastifyPluginAsync = async (app) => {
  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    found: FoundSchool,
    extra: { token?: string; errors?: FormErrors; values?: unknown; revoked?: boolean; status?: number } = {},
  ) {
    const today = londonDateOf(app.clock())
    const grantable = grantableScopes(permissionsOf(req.actor!.rolesIn(found.school.id)))
    const school = schoolParam(found)
    const rows = await apiTokens(app.db, found.school.id)
    const values = (extra.values ?? {}) as Record<string, unknown>
    const chosen = Array.isArray(values.scopes) ? values.scopes : values.scopes ? [values.scopes] : []
    return reply.code(extra.status ?? 200).view('api-tokens/views/index.njk', {
      pageTitle: extra.errors?.summary.length ? 'Error: API tokens' : 'API tokens',
      school: found.school,
      token: extra.token ?? null,
      revoked: extra.revoked ?? false,
      action: paths.api.tokens({ school }),
      openapiHref: paths.api.openapi(),
      scopeItems: grantable.map((s) => ({
        value: s,
        text: scopeLabels[s],
        hint: { text: s },
        checked: chosen.includes(s),
      })),
      values: {
        name: typeof values.name === 'string' ? values.name : '',
        expires: {
          day: String(values['expires-day'] ?? ''),
          month: String(values['expires-month'] ?? ''),
          year: String(values['expires-year'] ?? ''),
        },
      },
      rows: rows.map((t) => {
        const status = tokenStatus(t, today)
        return {
          name: t.name,
          prefix: `${t.prefix}…`,
          scopes: t.scopes.map((s) => scopeLabels[s as ApiScope] ?? s),
          created: `${formatDate(londonDateOf(t.createdAt))}${t.createdByName ? ` by ${t.createdByName}` : ''}`,
          expires: t.expiresOn ? formatDate(t.expiresOn) : 'No end date',
          lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Not used yet',
          status: statusLabels[status],
          tag: statusTags[status],
          revokeAction: status === 'revoked' ? null : paths.api.tokenRevoke({ tokenId: t.id }, { school }),
        }
      }),
      errors: extra.errors ?? { fields: {}, summary: [] },
    })
  }

  app.get<{ Querystring: { school?: string; revoked?: string } }>(
    paths.api.tokens.pattern,
    { config: manage },
    schoolPage(schoolOf, async (req, reply, found) => {
      return render(req, reply, found, { revoked: req.query.revoked === '1' })
    }),
  )

  app.post<{ Querystring: { school?: string } }>(paths.api.tokens.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolOf(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const today = londonDateOf(app.clock())
    const grantable = grantableScopes(permissionsOf(req.actor!.rolesIn(found.school.id)))
    const form = parseForm(tokenForm(grantable, today), req.body, tokenFormHrefs)
    if (!form.ok) return render(req, reply, found, { errors: form.errors, values: req.body, status: 400 })
    const { token } = await createApiToken(app.db, {
      organisationId: found.school.organisationId,
      schoolId: found.school.id,
      actorId: req.actor!.personId,
      ip: req.ip,
      name: form.value.name,
      scopes: form.value.scopes,
      expiresOn: form.value.expires,
      now: app.clock(),
    })
    // The token is shown on this answer only, and never again (only its hash is kept).
    reply.header('cache-control', 'no-store')
    return render(req, reply, found, { token })
  })

  app.post<{ Params: { tokenId: string }; Querystring: { school?: string } }>(
    paths.api.tokenRevoke.pattern,
    { config: manage },
    schoolPage(schoolOf, async (req, reply, found) => {
      const done = await revokeToken(app.db, {
        organisationId: found.school.organisationId,
        schoolId: found.school.id,
        actorId: req.actor!.personId,
        ip: req.ip,
        tokenId: req.params.tokenId,
        now: app.clock(),
      })
      if (!done) return renderNotFound(req, reply)
      return reply.redirect(paths.api.tokens({ school: schoolParam(found), revoked: 1 }), 303)
    }),
  )
}

export default apiTokenRoutes
