/** The retention forms (issue 15): confirming removal, placing a legal hold, a subject access export. */
import { z } from 'zod'
import { isUuid } from '../../domain/ids.ts'
import { parseRetentionItemKey } from '../../domain/retention/kinds.ts'
import { checkboxes, text } from '../../forms/fields.ts'

export const maxHoldReason = 2000

/** The records ticked, each `kind:id` (a bare id is a supervision record); anything else is dropped. */
const retentionItems = checkboxes.transform((keys) =>
  keys.flatMap((key) => {
    const item = parseRetentionItemKey(key)
    return item && isUuid(item.id) ? [item] : []
  }),
)

export const confirmForm = z.object({ recordIds: retentionItems, confirm: text }).superRefine((v, ctx) => {
  if (v.recordIds.length === 0)
    ctx.addIssue({ code: 'custom', path: ['recordIds'], message: 'Select the records to remove' })
  if (v.confirm !== 'yes')
    ctx.addIssue({
      code: 'custom',
      path: ['confirm'],
      message: 'Confirm that you have checked the records and none must be kept',
    })
})

export const holdForm = z.object({ on: text, personId: text, recordId: text, reason: text }).superRefine((v, ctx) => {
  if (v.on !== 'person' && v.on !== 'record')
    ctx.addIssue({ code: 'custom', path: ['on'], message: 'Select whether the hold is on a person or a record' })
  if (v.on === 'person' && v.personId === '')
    ctx.addIssue({ code: 'custom', path: ['personId'], message: 'Select the person' })
  if (v.on === 'record' && v.recordId === '')
    ctx.addIssue({ code: 'custom', path: ['recordId'], message: 'Select the record' })
  if (v.reason === '') ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter the reason for the hold' })
  if (v.reason.length > maxHoldReason)
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'The reason must be 2,000 characters or fewer' })
})

export const subjectAccessForm = z.object({
  personId: text
    .refine((v) => v !== '', { error: 'Select the person the export is for' })
    .refine((v) => v === '' || isUuid(v), { error: 'Select a person from the list' }),
})
