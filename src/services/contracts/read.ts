/**
 * Reading contracts: one contract with its signatures, history and what it means for the
 * person's next due date (MW-03); the school's contracts by status (MW-02: who has still to
 * sign); a person's own contracts. Opening a contract is recorded in the audit log.
 */

import type { Db } from '../../db/database.ts'
import {
  type ContractListRow,
  type ContractRecord,
  type ContractsListSort,
  contentOf,
  contractCountsOfSchool,
  contractPeopleOfSchool,
  contractsOfPersonPage,
  contractsOfSchoolPage,
  contractsOfSupervisee,
  findContract,
  issuedContractsOfPerson,
  type MyContractsSort,
  type PersonName,
  peopleByIds,
  type SignatureRecord,
  signaturesOf,
} from '../../db/repositories/contracts.ts'
import {
  type ContractAccess,
  type ContractStatus,
  contractAccess,
  contractContentHash,
  contractSigners,
  partiesStillToSign,
} from '../../domain/contracts/index.ts'
import type { ListQuery, ListSpec } from '../../domain/lists/list-query.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { NoPolicyError, schoolCompliance } from '../compliance/school-compliance.ts'
import { type ContractSetting, contractSetting, signersOfContract } from './setting.ts'

export interface NextDue {
  status: string
  nextDue: IsoDate | null
  dueBecause: string
  required: boolean
}

/** The person's next due date as the compliance engine sees it today (it reads agreed frequencies from person_override). */
export async function nextDueFor(db: Db, schoolId: string, personId: string, today: IsoDate): Promise<NextDue | null> {
  try {
    const all = await schoolCompliance(db, schoolId, today)
    const found = all.find((c) => c.personId === personId)
    if (!found) return null
    const first = found.requirements.find((r) => r.nextDue === found.nextDue) ?? found.requirements[0]
    return {
      status: found.status,
      nextDue: found.nextDue,
      dueBecause: first?.dueBecause ?? found.reason,
      required: found.required,
    }
  } catch (error) {
    if (error instanceof NoPolicyError) return null
    throw error
  }
}

export interface ContractView {
  contract: ContractRecord
  signatures: SignatureRecord[]
  access: ContractAccess
  setting: ContractSetting | null
  supervisee: PersonName
  supervisor: PersonName
  issuedBy: PersonName | null
  /** Who signs this contract (contractSigners): the policy's parties, less one who may not sign. */
  signedBy: Party[]
  stillToSign: Party[]
  /** False when the stored content no longer matches its hash: shown as a warning. */
  intact: boolean
  /** Every version and year of this person's contract, newest first. */
  history: (Pick<
    ContractRecord,
    'id' | 'academicYear' | 'status' | 'issuedAt' | 'signedAt' | 'createdAt' | 'reviewOn'
  > & {
    supervisorName: string
  })[]
  nextDue: NextDue | null
}

export interface OpenContractInput {
  organisationId: string
  contractId: string
  personId: string
  /** Whether they manage the contracts of this school (only schools within their reach). */
  canManage: (schoolId: string) => boolean
  today: IsoDate
  ip: string | null
  audit?: 'view' | 'pdf'
}

/**
 * A contract as the person asking may see it, or null when there is no such contract or they
 * may not see it (the same answer, so that nothing is revealed). Records the view in the audit log.
 */
export async function openContract(db: Db, input: OpenContractInput): Promise<ContractView | null> {
  const contract = await findContract(db, input.organisationId, input.contractId)
  if (!contract) return null
  const [signatures, setting] = await Promise.all([
    signaturesOf(db, input.organisationId, [contract.id]),
    contractSetting(db, contract.schoolId, input.today, { policyVersion: contract.policyVersion }),
  ])
  const signedBy = await signersOfContract(db, input.organisationId, setting, contract)
  const manages = input.canManage(contract.schoolId)
  const access = contractAccess({
    personId: input.personId,
    canManage: manages,
    contract,
    signedBy,
    signatures,
  })
  if (!access.view) return null
  const history = await contractsOfSupervisee(db, input.organisationId, contract.superviseeId)
  const people = await peopleByIds(db, input.organisationId, [
    contract.superviseeId,
    contract.supervisorId,
    ...(contract.issuedBy ? [contract.issuedBy] : []),
    ...history.map((h) => h.supervisorId),
  ])
  const supervisee = people.get(contract.superviseeId)
  const supervisor = people.get(contract.supervisorId)
  if (!supervisee || !supervisor) return null
  const intact = contract.contentHash === null || contractContentHash(contentOf(contract)) === contract.contentHash
  const nextDue = await nextDueFor(db, contract.schoolId, contract.superviseeId, input.today)
  await recordAudit(db, {
    action: input.audit === 'pdf' ? 'contract.downloaded' : 'contract.viewed',
    subjectType: 'contract',
    subjectId: contract.id,
    actorId: input.personId,
    organisationId: input.organisationId,
    schoolId: contract.schoolId,
    ip: input.ip,
  })
  return {
    contract,
    signatures,
    access,
    setting,
    supervisee,
    supervisor,
    issuedBy: contract.issuedBy ? (people.get(contract.issuedBy) ?? null) : null,
    signedBy,
    stillToSign: contract.status === 'issued' ? partiesStillToSign(signedBy, signatures) : [],
    intact,
    history: history
      .filter((h) => manages || h.status !== 'draft')
      .map((h) => ({
        id: h.id,
        academicYear: h.academicYear,
        status: h.status,
        issuedAt: h.issuedAt,
        signedAt: h.signedAt,
        createdAt: h.createdAt,
        reviewOn: h.reviewOn,
        supervisorName: people.get(h.supervisorId)?.name ?? '',
      })),
    nextDue,
  }
}

export type ContractListItem = ContractListRow & { stillToSign: Party[] }

async function withStillToSign(
  db: Db,
  organisationId: string,
  rows: readonly ContractListRow[],
  setting: ContractSetting | null,
): Promise<ContractListItem[]> {
  const signatures = await signaturesOf(
    db,
    organisationId,
    rows.filter((r) => r.status === 'issued').map((r) => r.id),
  )
  return rows.map((r) => ({
    ...r,
    stillToSign:
      r.status === 'issued'
        ? partiesStillToSign(
            contractSigners(setting?.policySignedBy, r),
            signatures.filter((s) => s.contractId === r.id),
          )
        : [],
  }))
}

/** The school's contracts list (issue 16): sorted by a column, filtered by who and status. */
export const contractsListSpec: ListSpec<ContractsListSort> = {
  sorts: ['supervisee', 'supervisor', 'year', 'review'],
  defaultDirection: { supervisee: 'asc', supervisor: 'asc', year: 'desc', review: 'asc' },
  filters: ['person', 'supervisor', 'status'],
  statuses: ['draft', 'issued', 'signed', 'superseded'],
}

/** One page of a school's contracts (issue 16: counted, never cut short), with the counts by status. */
export async function schoolContracts(
  db: Db,
  input: { organisationId: string; schoolId: string; list: ListQuery<ContractsListSort>; today: IsoDate },
): Promise<{
  total: number
  items: ContractListItem[]
  counts: Record<ContractStatus, number>
  setting: ContractSetting | null
  /** Everyone the school's contracts name, for the supervisee and supervisor filters. */
  people: { supervisees: { id: string; name: string }[]; supervisors: { id: string; name: string }[] }
}> {
  const setting = await contractSetting(db, input.schoolId, input.today)
  const [page, counts, people] = await Promise.all([
    contractsOfSchoolPage(db, input.schoolId, input.list),
    contractCountsOfSchool(db, input.schoolId),
    contractPeopleOfSchool(db, input.schoolId),
  ])
  return {
    total: page.total,
    items: await withStillToSign(db, input.organisationId, page.rows, setting),
    counts,
    setting,
    people,
  }
}

/**
 * MW-02: the contracts waiting for a person's signature (all of them), and one page of every
 * contract they are a party to (issue 16: counted, never cut short), with what each has still to sign.
 */
export async function myContracts(
  db: Db,
  input: {
    organisationId: string
    personId: string
    schoolId: string | null
    today: IsoDate
    list: ListQuery<MyContractsSort>
  },
): Promise<{ toSign: ContractListItem[]; total: number; items: ContractListItem[] }> {
  const [issued, page] = await Promise.all([
    issuedContractsOfPerson(db, input.organisationId, input.personId),
    contractsOfPersonPage(db, input.organisationId, input.personId, input.list),
  ])
  const setting = input.schoolId ? await contractSetting(db, input.schoolId, input.today) : null
  const [withIssued, items] = await Promise.all([
    withStillToSign(db, input.organisationId, issued, setting),
    withStillToSign(db, input.organisationId, page.rows, setting),
  ])
  const partyOf = (c: ContractListItem): Party => (c.supervisee.id === input.personId ? 'supervisee' : 'supervisor')
  return { toSign: withIssued.filter((c) => c.stillToSign.includes(partyOf(c))), total: page.total, items }
}

/** A person's own contracts (issue 16): paged, filtered by status, searched by name, sorted by year or review date. */
export const myContractsListSpec: ListSpec<MyContractsSort> = {
  sorts: ['year', 'review'],
  defaultDirection: { year: 'desc', review: 'asc' },
  filters: ['status'],
  statuses: ['issued', 'signed', 'superseded'],
}
