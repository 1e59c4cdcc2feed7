/**
 * Entering a trust's code, for a school joining a trust here (join.ts, ADR 0050) or on another
 * installation (school-bundle, ADR 0052): the school's administrator enters the code, reads what
 * would happen, and confirms. One form and one sequence for both: refused, the page again with the
 * field's message; not yet confirmed, the page with what would happen; confirmed, done.
 */
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { type FormErrors, field, formErrors } from '../../forms/errors.ts'
import { text } from '../../forms/fields.ts'
import { type FieldProblem, parseForm } from '../../forms/form.ts'

export const trustCodeForm = z.object({
  code: text.pipe(
    z
      .string()
      .min(1, 'Enter the code the trust gave you')
      .max(40, 'Enter the code the trust gave you, as it was given'),
  ),
  confirm: text,
})

/** What the service made of the code: a refusal of one field, what would happen, or done. */
export type CodeOutcome<P> = { refused: FieldProblem } | { preview: P } | { done: true }

export async function answerTrustCode<P>(
  body: unknown,
  step: {
    render: (extra: { code: string; errors?: FormErrors; preview?: P }) => Promise<FastifyReply>
    submit: (value: { code: string; confirm: boolean }) => Promise<CodeOutcome<P>>
    done: () => FastifyReply
  },
): Promise<FastifyReply> {
  const code = field(body, 'code')
  const form = parseForm(trustCodeForm, body)
  if (!form.ok) return step.render({ code, errors: form.errors })
  const outcome = await step.submit({ code: form.value.code, confirm: form.value.confirm === 'yes' })
  if ('refused' in outcome)
    return step.render({ code, errors: formErrors([[outcome.refused.field, outcome.refused.message]]) })
  if ('preview' in outcome) return step.render({ code, preview: outcome.preview })
  return step.done()
}
