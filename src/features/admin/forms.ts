/** The security settings form: who must use two-step verification. */
import { z } from 'zod'
import type { TwoStepPolicy } from '../../domain/access/permissions.ts'
import {
  defaultIssuer,
  isEmailDomain,
  isIssuerUrl,
  isTenantId,
  type ProviderKind,
  providerKinds,
  type SignInProvider,
} from '../../domain/auth/sign-in-provider.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import { field, fieldList } from '../../forms/errors.ts'

const known = new Set(roleCatalogue.map((r) => r.id))

/** The form as typed (roles outside the catalogue left out), to show again. */
export function securityValues(body: unknown): { mode: string; roles: string[] } {
  return { mode: field(body, 'mode'), roles: fieldList(body, 'roles').filter((r) => known.has(r)) }
}

export const securityForm = z.preprocess(
  securityValues,
  z
    .object({ mode: z.string(), roles: z.array(z.string()) })
    .superRefine((values, ctx) => {
      if (values.mode !== 'everyone' && values.mode !== 'roles')
        ctx.addIssue({ code: 'custom', path: ['mode'], message: 'Select who must use two-step verification' })
      if (values.mode === 'roles' && values.roles.length === 0)
        ctx.addIssue({ code: 'custom', path: ['roles'], message: 'Select at least one role' })
    })
    .transform(
      (values): TwoStepPolicy =>
        values.mode === 'everyone' ? { mode: 'everyone' } : { mode: 'roles', roles: values.roles },
    ),
)

/** The sign-in provider form as typed, to show again (ADR 0048). */
export function signInProviderValues(body: unknown) {
  return {
    kind: field(body, 'kind'),
    tenantId: field(body, 'tenantId').trim(),
    domain: field(body, 'domain').trim(),
    issuer: field(body, 'issuer').trim(),
    clientId: field(body, 'clientId').trim(),
  }
}

/** How staff sign in with Microsoft or Google: null to offer email and password only. */
export const signInProviderForm = z.preprocess(
  signInProviderValues,
  z
    .object({ kind: z.string(), tenantId: z.string(), domain: z.string(), issuer: z.string(), clientId: z.string() })
    .superRefine((v, ctx) => {
      const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
      if (v.kind !== 'none' && !(providerKinds as readonly string[]).includes(v.kind))
        return problem('kind', 'Select how staff sign in')
      if (v.kind === 'none') return
      if (v.kind === 'microsoft') {
        if (v.tenantId === '') problem('tenantId', 'Enter the tenant ID')
        else if (!isTenantId(v.tenantId))
          problem('tenantId', 'Enter the tenant ID in the correct format, like 3f2504e0-4f89-11d3-9a0c-0305e82c3301')
      }
      if (v.domain === '') problem('domain', 'Enter the email domain your staff sign in with')
      else if (!isEmailDomain(v.domain.replace(/^@/, '')))
        problem('domain', 'Enter the email domain in the correct format, like oakfield.sch.uk')
      if (v.issuer !== '' && !isIssuerUrl(v.issuer))
        problem('issuer', 'Enter the issuer URL in the correct format, starting with https://')
      if (v.clientId === '') problem('clientId', 'Enter the client ID')
      else if (v.clientId.length > 200) problem('clientId', 'Client ID must be 200 characters or fewer')
    })
    .transform((v): SignInProvider | null => {
      if (v.kind === 'none') return null
      const kind = v.kind as ProviderKind
      const tenantId = kind === 'microsoft' ? v.tenantId.toLowerCase() : null
      return {
        kind,
        tenantId,
        domain: v.domain.replace(/^@/, '').toLowerCase(),
        issuer: v.issuer === '' ? defaultIssuer(kind, tenantId) : v.issuer.replace(/\/$/, ''),
        clientId: v.clientId,
      }
    }),
)
