/** The governors' report's one form (issue 16): sending its link to the governors, for a period. */
import { z } from 'zod'
import { text } from '../../forms/fields.ts'

export const sendReportForm = z.object({
  period: text.pipe(z.string().regex(/^\d{4}-\d{2}(\/(autumn|spring|summer))?$/, 'Select a term or year to send')),
  school: text,
})
