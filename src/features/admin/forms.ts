/** The security settings form: who must use two-step verification. */
import { z } from 'zod'
import type { TwoStepPolicy } from '../../domain/access/permissions.ts'
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
