/**
 * The step-up of a sign form, for every feature that signs (records, contracts; ADR 15): which way
 * the person chose and what they typed, the step-up itself (services/auth/step-up.ts), and the
 * same messages on every form when it does not pass.
 *
 * A form says how with a `method` field (`password` or `two-step`); a form with both fields and no
 * `method` means the code when the password is left blank and a code is given, for someone who
 * uses two-step verification.
 */
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { FormErrors } from '../forms/errors.ts'
import { formText } from '../forms/fields.ts'
import { problemErrors } from '../forms/form.ts'
import { formatTime } from '../presenters/format.ts'
import { type StepUpMethod, type StepUpProof, type StepUpPurpose, stepUp } from '../services/auth/step-up.ts'

export interface StepUpForm {
  method: StepUpMethod
  secret: string
}

/** A step-up that did not pass: the message for the form's field, and the status to answer with. */
export interface StepUpRefused {
  ok: false
  errors: FormErrors
  status: 400 | 429
  method: StepUpMethod
}

/** The step-up fields of a sign form, as typed; whether one is blank is decided once the method is known. */
const stepUpFields = z.object({
  method: formText(z.string()),
  password: formText(z.string(), { trim: false }),
  code: formText(z.string()),
})

function methodOf(fields: z.output<typeof stepUpFields>, twoStepEnabled: boolean): StepUpMethod {
  const chosen = fields.method
  if (chosen === 'password' || chosen === 'two-step') return chosen
  return twoStepEnabled && fields.password === '' && fields.code !== '' ? 'two-step' : 'password'
}

function refused(method: StepUpMethod, reason: 'missing' | 'wrong' | 'throttled', until?: Date): StepUpRefused {
  const password = method === 'password'
  const messages = {
    missing: password ? 'Enter your password' : 'Enter the code from your authenticator app',
    wrong: password ? 'The password is not correct' : 'The code is not correct, or has been used already',
    throttled: `Too many attempts. Wait until ${formatTime(until)}, then try again`,
  }
  return {
    ok: false,
    errors: problemErrors([{ field: password ? 'password' : 'code', message: messages[reason] }]),
    status: reason === 'throttled' ? 429 : 400,
    method,
  }
}

/**
 * What a sign form was sent with, or the message when the field is blank. Read before anything
 * else, so that a form sent empty is answered the same whoever sends it.
 */
export function readStepUp(req: FastifyRequest): { ok: true; form: StepUpForm } | StepUpRefused {
  const read = stepUpFields.safeParse(req.body)
  const fields = read.success ? read.data : { method: '', password: '', code: '' }
  const method = methodOf(fields, req.session!.twoStepEnabled)
  const secret = method === 'password' ? fields.password : fields.code
  return secret.replace(/\s+/g, '') === '' ? refused(method, 'missing') : { ok: true, form: { method, secret } }
}

/** Has the signed-in person prove it is them again, before signing `targetId`. */
export async function signStepUp(
  req: FastifyRequest,
  form: StepUpForm,
  purpose: StepUpPurpose,
  targetId: string,
): Promise<{ ok: true; proof: StepUpProof } | StepUpRefused> {
  const actor = req.actor!
  const result = await stepUp(req.server.db, {
    personId: actor.personId,
    organisationId: actor.organisationId,
    ...form,
    purpose,
    targetId,
    ip: req.ip,
  })
  if (result.ok) return result
  return refused(form.method, result.reason, result.reason === 'throttled' ? result.until : undefined)
}
