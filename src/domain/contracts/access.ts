/**
 * Who may see and sign a contract (MW-02, X-06). People who manage contracts (contracts.manage:
 * the DSL, deputy DSL and administrators) see every contract of their school; the supervisee and
 * the supervisor see theirs once it is issued; each signs for their own party, once, while the
 * contract is issued and the policy asks for their signature.
 */
import type { Party } from '../policy/model.ts'
import type { ContractSignatureFact, ContractStatus } from './model.ts'

export interface ContractAccessInput {
  personId: string
  /** Whether the person holds contracts.manage for the contract's school. */
  canManage: boolean
  contract: { superviseeId: string; supervisorId: string; status: ContractStatus }
  /** The parties the policy asks to sign (policy.contract.signedBy; both when the policy is silent). */
  signedBy: readonly Party[]
  signatures: readonly ContractSignatureFact[]
}

export interface ContractAccess {
  view: boolean
  /** The party this person may sign for now, or null. */
  signAs: Party | null
  /** Whether they may change the terms, issue it, or renew it. */
  manage: boolean
}

export function partyOf(personId: string, contract: { superviseeId: string; supervisorId: string }): Party | null {
  if (personId === contract.superviseeId) return 'supervisee'
  if (personId === contract.supervisorId) return 'supervisor'
  return null
}

/** The parties that have still to sign, in the policy's order. */
export function partiesStillToSign(signedBy: readonly Party[], signatures: readonly ContractSignatureFact[]): Party[] {
  return signedBy.filter((party) => !signatures.some((s) => s.role === party))
}

export function contractAccess(input: ContractAccessInput): ContractAccess {
  const party = partyOf(input.personId, input.contract)
  const status = input.contract.status
  const view = input.canManage || (party !== null && status !== 'draft')
  const signAs =
    party !== null && status === 'issued' && partiesStillToSign(input.signedBy, input.signatures).includes(party)
      ? party
      : null
  return { view, signAs, manage: input.canManage }
}
