/**
 * Supervision contracts (issue 8; MW-02, MW-03, MW-11, AM-05) as plain data: what a contract
 * holds, its states, and who signs it. Pure: no database, no clock.
 *
 * A contract is made from the policy's contract template for one supervisee and one academic
 * year. It is drafted, issued (its content is then fixed and hashed), signed by each party the
 * policy names, and in force until a newer version of it is signed (it is then superseded).
 */
import type { IsoDate } from '../people/person.ts'
import type { Frequency, Party } from '../policy/model.ts'
import type { RenderedClause } from '../records/contract.ts'
import type { EntryValues } from '../records/entry.ts'

export const ContractStatus = {
  /** Being prepared; only people who manage contracts see it. */
  Draft: 'draft',
  /** Issued to both parties; its content is fixed; waiting for signatures. */
  Issued: 'issued',
  /** Signed by every party the policy names; in force. */
  Signed: 'signed',
  /** Replaced by a newer version (changed terms, or the next year's contract). */
  Superseded: 'superseded',
} as const
export type ContractStatus = (typeof ContractStatus)[keyof typeof ContractStatus]

export const contractStatuses: readonly ContractStatus[] = Object.values(ContractStatus)

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === 'string' && (contractStatuses as readonly string[]).includes(value)
}

export const SignatureMethod = {
  /** The person typed their password again. */
  Password: 'password',
  /** The person entered a fresh code from their authenticator app (or a recovery code). */
  TwoStep: 'two-step',
} as const
export type SignatureMethod = (typeof SignatureMethod)[keyof typeof SignatureMethod]

export function isSignatureMethod(value: unknown): value is SignatureMethod {
  return value === SignatureMethod.Password || value === SignatureMethod.TwoStep
}

/** The terms agreed in a contract: stored with it, and part of what is signed. */
export interface AgreedTerms {
  /** The policy requirement the agreed frequency applies to; null when the policy has none. */
  requirementId: string | null
  /** A frequency agreed for this person, at least as often as the policy requires (MW-03); null to follow the policy. */
  frequency: Frequency | null
  /** The contract template's own fields (venue, review date, named dispute person ...), signatures left out. */
  values: EntryValues
}

/** One party to a contract, as named on it. */
export interface ContractPartyRef {
  id: string
  name: string
  /** Their job title or roles, as shown on the contract. */
  role: string
}

/** The contract as issued: its title and clauses with every placeholder filled. */
export interface ContractText {
  title: string
  clauses: RenderedClause[]
}

/** Everything a contract's content hash is made over: what both parties sign. */
export interface ContractContent {
  templateId: string
  templateVersion: number
  policyVersion: number
  academicYear: string
  superviseeId: string
  supervisorId: string
  agreed: AgreedTerms
  reviewOn: IsoDate | null
  text: ContractText
}

/** A signature as the domain sees it. */
export interface ContractSignatureFact {
  personId: string
  role: Party
}

/** The academic year after this one: '2026-27' gives '2027-28'. */
export function nextAcademicYear(id: string): string {
  const m = /^(\d{4})-\d{2}$/.exec(id)
  if (!m) return id
  const start = Number(m[1]) + 1
  return `${String(start)}-${String((start + 1) % 100).padStart(2, '0')}`
}
