/**
 * Who signs a contract (MW-02, X-05; issue 14): the one rule every contract page, email, list and
 * signature asks. The parties the policy names (both, supervisee first, when it names none), less
 * a party who may not sign (a person without the `sign` capability, ADR 25): they are not asked,
 * cannot sign, and the contract comes into force without them, as a record does.
 */
import type { Party } from '../policy/model.ts'

const bothParties: readonly Party[] = ['supervisee', 'supervisor']

/** Whether each party to the contract may sign (person.capabilities includes `sign`). */
export interface ContractPartiesSigning {
  supervisee: { maySign: boolean }
  supervisor: { maySign: boolean }
}

/**
 * The parties who sign this contract, in the policy's order. `policySignedBy` is the policy's
 * `contract.signedBy` (null, undefined or empty: both parties).
 */
export function contractSigners(
  policySignedBy: readonly Party[] | null | undefined,
  parties: ContractPartiesSigning,
): Party[] {
  const named = policySignedBy && policySignedBy.length > 0 ? policySignedBy : bothParties
  return [...new Set(named)].filter((party) => parties[party].maySign)
}
