/**
 * The evidence pack's forms (issue 16): the period and what the pack holds; then, for record
 * content, the confirmation (the second step), which carries the period and the reason again.
 */
import { z } from 'zod'
import { dateInputSchema } from '../../forms/date-input.ts'
import { formText, text, withDates, yes } from '../../forms/fields.ts'

/** The longest reason accepted, in characters (the database's check says the same). */
export const reasonLimit = 1000

const reason = formText(z.string().max(reasonLimit, 'Reason must be 1,000 characters or fewer'))

export const packForm = z.preprocess(
  withDates('from', 'to'),
  z.object({
    school: text,
    from: dateInputSchema('Start date', { required: true, blank: 'Enter the start date' }),
    to: dateInputSchema('End date', { required: true, blank: 'Enter the end date' }),
    holds: text.transform((v) => (v === 'content' ? ('content' as const) : ('metadata' as const))),
    reason,
  }),
)

const isoDate = text.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Go back and choose the period again'))

export const confirmForm = z.object({
  school: text,
  from: isoDate,
  to: isoDate,
  reason: formText(
    z
      .string()
      .min(1, 'Enter why you need what was written in the records')
      .max(reasonLimit, 'Reason must be 1,000 characters or fewer'),
  ),
  confirm: yes.pipe(z.literal(true, { error: 'Confirm that you need what was written in the records' })),
})
