/**
 * Signing a contract (MW-02, X-05, X-06), by the same mechanism as records: the signer proves it
 * is them again (services/auth/step-up.ts: their password or a fresh code from their
 * authenticator app, one throttle and one audit for every signing), and the signature records who,
 * when, how, and the SHA-256 of exactly what they signed. When the last party the policy names has
 * signed, the contract is in force: an older one is superseded, the agreed frequency is written to
 * person_override for the compliance engine (MW-03), and the signed contract is returned to the
 * people who collect contracts (the DSL or deputy DSL).
 *
 * `contractToSign` is asked before the step-up, so no code is used up on a contract the person
 * cannot sign; `signContract` signs only with the proof the step-up gives.
 */
import type { Db } from '../../db/database.ts'
import {
  contentOf,
  type DbOrTrx,
  endContractOverrides,
  findContract,
  insertContractOverride,
  insertSignature,
  otherSignedContractIds,
  personOf,
  setContractStatus,
  signaturesOf,
} from '../../db/repositories/contracts.ts'
import {
  contractAccess,
  contractContentHash,
  contractFrequencyOverride,
  partiesStillToSign,
} from '../../domain/contracts/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { type StepUpProof, spendStepUp } from '../auth/step-up.ts'
import { emailContractReturned } from './emails.ts'
import { collectorsOf, contractSetting, signersOfContract } from './setting.ts'

export interface SignInput {
  organisationId: string
  contractId: string
  personId: string
  /**
   * Whether they manage the contracts of a school (they may then see, though not sign, contracts
   * they are no party to): true only for schools within their reach (src/domain/access/schools.ts).
   */
  canManage: (schoolId: string) => boolean
  /** The hash shown on the page the person signed from: they sign exactly what they read. */
  expectedHash: string
  now: Date
  today: IsoDate
  baseUrl: string
}

export type SignRefusal = { ok: false; kind: 'not-found' | 'not-yours' | 'changed' }
export type SignResult = { ok: true; role: Party; complete: boolean } | SignRefusal

/** Whether the person may sign the contract as it was shown to them; the parties who sign, if so. */
export async function contractToSign(
  db: Db,
  input: Pick<SignInput, 'organisationId' | 'contractId' | 'personId' | 'canManage' | 'expectedHash' | 'today'>,
): Promise<{ ok: true; signedBy: Party[] } | SignRefusal> {
  const before = await findContract(db, input.organisationId, input.contractId)
  if (!before) return { ok: false, kind: 'not-found' }
  const beforeSignatures = await signaturesOf(db, input.organisationId, [before.id])
  const setting = await contractSetting(db, before.schoolId, input.today, { policyVersion: before.policyVersion })
  const signedBy = await signersOfContract(db, input.organisationId, setting, before)
  const access = contractAccess({
    personId: input.personId,
    canManage: input.canManage(before.schoolId),
    contract: before,
    signedBy,
    signatures: beforeSignatures,
  })
  if (!access.view) return { ok: false, kind: 'not-found' }
  if (access.signAs === null) return { ok: false, kind: 'not-yours' }
  if (before.contentHash === null || input.expectedHash !== before.contentHash) return { ok: false, kind: 'changed' }
  return { ok: true, signedBy }
}

/**
 * Adds the signed-in person's signature to a contract they are a party to, with their proof of
 * step-up, which it uses up: without one, it throws `StepUpRequiredError` and signs nothing.
 */
export async function signContract(db: Db, proof: StepUpProof, input: SignInput): Promise<SignResult> {
  const method = spendStepUp(proof, input.personId)
  const signable = await contractToSign(db, input)
  if (!signable.ok) return signable
  const { signedBy } = signable

  return db.transaction().execute(async (trx): Promise<SignResult> => {
    const contract = await findContract(trx, input.organisationId, input.contractId, { forUpdate: true })
    if (contract?.status !== 'issued' || contract.contentHash !== input.expectedHash) {
      return { ok: false, kind: 'changed' }
    }
    // The stored content must still be what was issued.
    if (contractContentHash(contentOf(contract)) !== contract.contentHash) return { ok: false, kind: 'changed' }
    const signatures = await signaturesOf(trx, input.organisationId, [contract.id])
    const role = contractAccess({ personId: input.personId, canManage: false, contract, signedBy, signatures }).signAs
    if (role === null) return { ok: false, kind: 'not-yours' }
    const signer = await personOf(trx, input.organisationId, input.personId)
    if (!signer) return { ok: false, kind: 'not-yours' }
    await insertSignature(trx, {
      contractId: contract.id,
      personId: input.personId,
      role,
      name: signer.name,
      signedAt: input.now,
      contentHash: contract.contentHash,
      method,
    })
    const complete = partiesStillToSign(signedBy, [...signatures, { personId: input.personId, role }]).length === 0
    if (complete) await bringIntoForce(trx, { ...input, contractId: contract.id })
    else await setContractStatus(trx, input.organisationId, contract.id, null, input.now)
    await recordAudit(trx, {
      action: 'contract.signed',
      subjectType: 'contract',
      subjectId: contract.id,
      actorId: input.personId,
      organisationId: input.organisationId,
      schoolId: contract.schoolId,
      detail: { role, method, contentHash: contract.contentHash, complete },
    })
    return { ok: true, role, complete }
  })
}

/**
 * The last signature: the contract is in force. The one it replaces is superseded; the agreed
 * frequency replaces any earlier contract's in person_override (MW-03); the people who collect
 * contracts are told it has been returned (MW-02).
 */
async function bringIntoForce(trx: DbOrTrx, input: SignInput) {
  const contract = (await findContract(trx, input.organisationId, input.contractId))!
  const previous = await otherSignedContractIds(trx, input.organisationId, contract.superviseeId, contract.id)
  for (const id of previous) await setContractStatus(trx, input.organisationId, id, 'superseded', input.now)
  await setContractStatus(trx, input.organisationId, contract.id, 'signed', input.now)

  // Terms from an earlier contract end; this contract's agreed frequency, if any, takes over.
  await endContractOverrides(trx, contract.schoolId, contract.superviseeId, input.now)
  const override = contractFrequencyOverride({
    superviseeId: contract.superviseeId,
    terms: contract.agreed,
    academicYear: contract.academicYear,
    signedOn: input.today,
  })
  if (override) {
    await insertContractOverride(trx, {
      schoolId: contract.schoolId,
      personId: contract.superviseeId,
      override,
      setBy: input.personId,
      now: input.now,
    })
  }

  // MW-02: returned to the DSL or deputy DSL (the person the contract names, else everyone in those roles).
  const named = contract.agreed.values.collectedBy
  const namedId =
    typeof named === 'object' && named !== null && 'personId' in named && typeof named.personId === 'string'
      ? named.personId
      : null
  const setting = await contractSetting(trx, contract.schoolId, input.today)
  let recipients = await collectorsOf(trx, contract.schoolId, setting?.returnTo ?? ['dsl'], input.today)
  if (namedId) {
    const person = await personOf(trx, input.organisationId, namedId)
    if (person && (person.endDate === null || person.endDate >= input.today)) recipients = [person]
  }
  for (const person of recipients) {
    if (person.id === contract.superviseeId || person.email.trim() === '') continue
    await emailContractReturned(trx, {
      to: person.email,
      organisationId: input.organisationId,
      baseUrl: input.baseUrl,
      contractId: contract.id,
    })
  }
}
