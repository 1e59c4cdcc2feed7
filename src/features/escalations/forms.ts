/** The case escalation forms (LH-10): raising one, moving it to the next stage, its outcome. */
import { z } from 'zod'
import { isUuid } from '../../domain/ids.ts'
import { longText, text as trimmed, version } from '../../forms/fields.ts'

const note = (label: string, required: string | null) =>
  longText.pipe(
    z
      .string()
      .transform((t) => t.replace(/\r\n?/g, '\n').trim())
      .pipe(
        z
          .string()
          .min(required === null ? 0 : 1, required ?? '')
          .max(5000, `${label} must be 5000 characters or fewer`),
      ),
  )

export const raiseEscalationForm = z.object({
  reason: trimmed.pipe(
    z.enum(['not-progressing', 'multi-agency'], { error: 'Select why the case is being escalated' }),
  ),
  otherAgency: trimmed.pipe(
    z.string().min(1, 'Enter the other agency').max(200, 'The other agency must be 200 characters or fewer'),
  ),
  summary: note('The summary', 'Enter a summary of the concern'),
  record: trimmed.transform((raw) => (isUuid(raw) ? raw : null)),
})

export const escalationStageForm = z.object({
  note: note('The note', null).transform((t) => (t === '' ? null : t)),
  version,
})

export const escalationOutcomeForm = z.object({
  outcome: trimmed.pipe(
    z.enum(['resolved', 'not-resolved', 'withdrawn'], { error: 'Select the outcome of the escalation' }),
  ),
  note: note('What was agreed', 'Enter what was agreed or decided'),
  version,
})
