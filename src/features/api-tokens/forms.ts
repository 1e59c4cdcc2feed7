/** The API token form (ADR 0035): a name, the scopes, and an optional last day. */
import { z } from 'zod'
import { type ApiScope, isApiScope } from '../../domain/api/tokens.ts'
import { dateInputSchema } from '../../forms/date-input.ts'
import { checkboxes, formText, withDates } from '../../forms/fields.ts'

export function tokenForm(grantable: readonly ApiScope[], today: string) {
  return z.preprocess(
    withDates('expires'),
    z.object({
      name: formText(
        z.string().min(1, 'Enter a name for the token').max(100, 'The name must be 100 characters or fewer'),
      ),
      scopes: checkboxes.pipe(
        z
          .array(z.string())
          .refine((list) => list.length > 0, 'Select what the token may do')
          .refine(
            (list) => list.every((s) => isApiScope(s) && grantable.includes(s)),
            'Select only what you may do yourself',
          )
          .transform((list) => list as ApiScope[]),
      ),
      expires: dateInputSchema('last day the token works', { today, when: 'future' }),
    }),
  )
}

export const tokenFormHrefs = { scopes: '#scopes', expires: '#expires-day' }
