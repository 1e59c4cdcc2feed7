/** The trust rollup's one form (issue 16): the percentage below which an academy is flagged. */
import { z } from 'zod'
import { formText } from '../../forms/fields.ts'

export const thresholdForm = z.object({
  threshold: formText(
    z
      .string()
      .min(1, 'Enter the percentage below which an academy is flagged')
      .regex(/^\d{1,3}$/, 'The percentage must be a whole number, like 80')
      .transform(Number)
      .refine((n) => n >= 0 && n <= 100, 'The percentage must be between 0 and 100'),
  ),
})
