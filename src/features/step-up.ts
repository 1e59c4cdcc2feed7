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
import { type FormErrors, field, formErrors } from '../forms/errors.ts'
import { formatTime } from '../presenters/format.ts'
import { type StepUpMethod, type StepUpProof, type StepUpPurpose, stepUp } from '../services/auth/step-up.ts'

export type SignStepUp =
  | { ok: true; proof: StepUpProof }
  | { ok: false; errors: FormErrors; status: 400 | 429; method: StepUpMethod }

function methodOf(req: FastifyRequest): StepUpMethod {
  const chosen = field(req.body, 'method')
  if (chosen === 'password' || chosen === 'two-step') return chosen
  return req.session!.twoStepEnabled &&
    field(req.body, 'password', { trim: false }) === '' &&
    field(req.body, 'code') !== ''
    ? 'two-step'
    : 'password'
}

/** Has the signed-in person prove it is them again, before signing `targetId`. */
export async function signStepUp(req: FastifyRequest, purpose: StepUpPurpose, targetId: string): Promise<SignStepUp> {
  const person = req.session!.person
  const method = methodOf(req)
  const result = await stepUp(req.server.db, {
    personId: person.id,
    organisationId: person.organisationId,
    method,
    secret: method === 'password' ? field(req.body, 'password', { trim: false }) : field(req.body, 'code'),
    purpose,
    targetId,
    ip: req.ip,
  })
  if (result.ok) return result
  const input = method === 'password' ? 'password' : 'code'
  const password = method === 'password'
  const message =
    result.reason === 'throttled'
      ? `Too many attempts. Wait until ${formatTime(result.until)}, then try again`
      : result.reason === 'missing'
        ? password
          ? 'Enter your password'
          : 'Enter the code from your authenticator app'
        : password
          ? 'The password is not correct'
          : 'The code is not correct, or has been used already'
  return {
    ok: false,
    errors: formErrors([[input, message]]),
    status: result.reason === 'throttled' ? 429 : 400,
    method,
  }
}
