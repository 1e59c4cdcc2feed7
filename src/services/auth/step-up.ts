/**
 * Step-up: a signed-in person proves it is them again before an act that carries their name,
 * signing a record or a contract (X-05, X-06; ADR 15). One way for every such act:
 *
 * - their password, or (when they use two-step verification) a fresh code from their
 *   authenticator app or one of their recovery codes (`checkSecondStep`, which keeps its own
 *   throttle on the code, shared with signing in);
 * - one throttle per person, `step-up:<person>`, whatever they are signing and whichever way they
 *   prove it: wrong attempts on a record count toward a contract, and the other way round
 *   (ASVS V2.2);
 * - every attempt that is checked, and every attempt refused because of the throttle, is audited
 *   alike: `auth.step-up` or `auth.step-up-failed`, on the account, naming what was being signed.
 *   A blank field is not an attempt: it is neither counted nor audited.
 *
 * What passes is a `StepUpProof`, which only this module can make. `signRecord` and
 * `signContract` take one and spend it (`spendStepUp`): it is for one signature, by the person it
 * was made for, and an object that only looks like one is refused at run time as well as by the
 * type checker.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { signInThrottle } from '../../domain/auth/throttle.ts'
import { recordAudit } from '../audit.ts'
import { checkSecondStep, confirmPassword } from './accounts.ts'
import { blockedUntil, clearThrottle, recordFailure, throttleKey } from './throttles.ts'

export type StepUpMethod = 'password' | 'two-step'

/** What the person proves themselves for: named in the audit entry, not in the throttle (one per person). */
export type StepUpPurpose = 'sign-record' | 'sign-contract'

const issuing = Symbol('step-up')
/** Proofs made and not yet spent. */
const unspent = new WeakSet<object>()

/** That `personId` has just proved it is them, and how. Made only by `stepUp`; spent by one signature. */
class StepUpProof {
  readonly #genuine = true
  readonly personId: string
  readonly method: StepUpMethod
  readonly at: Date
  constructor(token: typeof issuing, personId: string, method: StepUpMethod, at: Date) {
    if (token !== issuing) throw new StepUpRequiredError()
    this.personId = personId
    this.method = method
    this.at = at
    Object.freeze(this)
    unspent.add(this)
  }
  static isGenuine(value: unknown): value is StepUpProof {
    return typeof value === 'object' && value !== null && #genuine in value
  }
}

export type { StepUpProof }

/** A signature was asked for without a proof of step-up: a mistake in the code, never the user's. */
export class StepUpRequiredError extends Error {
  override name = 'StepUpRequiredError'
  constructor(message = 'signing needs a proof of step-up made for the signer and not yet used') {
    super(message)
  }
}

/**
 * Checks that `proof` was made by `stepUp` for `personId` and has not been used, and uses it up.
 * Returns how the person proved it was them (kept with their signature).
 */
export function spendStepUp(proof: StepUpProof, personId: string): StepUpMethod {
  if (!StepUpProof.isGenuine(proof) || !unspent.has(proof) || proof.personId !== personId)
    throw new StepUpRequiredError()
  unspent.delete(proof)
  return proof.method
}

export interface StepUpAttempt {
  personId: string
  organisationId: string
  method: StepUpMethod
  /** The password, or the code from their authenticator app (or a recovery code). */
  secret: string
  purpose: StepUpPurpose
  /** The record or contract being signed, for the audit entry. */
  targetId: string
  ip?: string | null
  now?: Date
}

export type StepUpResult =
  | { ok: true; proof: StepUpProof }
  | { ok: false; reason: 'missing' | 'wrong' }
  | { ok: false; reason: 'throttled'; until: Date }

/** The throttle key of a person's step-ups (hashed like every throttle key). */
export const stepUpKey = (personId: string) => throttleKey('step-up', personId)

/** Checks the password or code of the signed-in person; on success, a proof to sign with. */
export async function stepUp(db: DbOrTrx, attempt: StepUpAttempt): Promise<StepUpResult> {
  const now = attempt.now ?? new Date()
  const secret = attempt.method === 'two-step' ? attempt.secret.replace(/\s+/g, '') : attempt.secret
  if (secret === '') return { ok: false, reason: 'missing' }
  const key = stepUpKey(attempt.personId)
  const audit = (action: 'auth.step-up' | 'auth.step-up-failed', reason?: 'wrong' | 'throttled') =>
    recordAudit(db, {
      action,
      subjectType: 'account',
      subjectId: attempt.personId,
      actorId: attempt.personId,
      organisationId: attempt.organisationId,
      detail: { purpose: attempt.purpose, method: attempt.method, reason, targetId: attempt.targetId },
      ip: attempt.ip ?? null,
    })

  const blocked = await blockedUntil(db, key, now)
  if (blocked) {
    await audit('auth.step-up-failed', 'throttled')
    return { ok: false, reason: 'throttled', until: blocked }
  }
  let passed: boolean
  if (attempt.method === 'password') passed = await confirmPassword(db, attempt.personId, secret)
  else {
    const checked = await checkSecondStep(db, attempt.personId, secret, now)
    if (checked.outcome === 'throttled') {
      await audit('auth.step-up-failed', 'throttled')
      return { ok: false, reason: 'throttled', until: checked.until }
    }
    passed = checked.outcome === 'ok'
  }
  if (passed) {
    await clearThrottle(db, key)
    await audit('auth.step-up')
    return { ok: true, proof: new StepUpProof(issuing, attempt.personId, attempt.method, now) }
  }
  const failure = await recordFailure(db, signInThrottle, key, now)
  await audit('auth.step-up-failed', 'wrong')
  const until = failure.blocked ? await blockedUntil(db, key, now) : null
  return until ? { ok: false, reason: 'throttled', until } : { ok: false, reason: 'wrong' }
}
