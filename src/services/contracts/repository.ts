/**
 * Contract rows as domain shapes, and the queries the contract use cases share. snake_case stays here.
 */
import type { Kysely, Selectable } from 'kysely'
import type { ContractSignatureTable, ContractTable, Database } from '../../db/schema.ts'
import type {
  AgreedTerms,
  ContractContent,
  ContractStatus,
  ContractText,
  SignatureMethod,
} from '../../domain/contracts/index.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'

export type DbOrTrx = Kysely<Database>

export interface ContractRecord {
  id: string
  organisationId: string
  schoolId: string
  superviseeId: string
  supervisorId: string
  templateId: string
  templateVersion: number
  policyVersion: number
  academicYear: string
  status: ContractStatus
  agreed: AgreedTerms
  text: ContractText
  contentHash: string | null
  issuedAt: Date | null
  issuedBy: string | null
  reviewOn: IsoDate | null
  signedAt: Date | null
  supersededAt: Date | null
  supersedesId: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface SignatureRecord {
  contractId: string
  personId: string
  role: Party
  name: string
  signedAt: Date
  contentHash: string
  method: SignatureMethod
}

export { isUuid }

export function contractFromRow(row: Selectable<ContractTable>): ContractRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    schoolId: row.school_id,
    superviseeId: row.supervisee_id,
    supervisorId: row.supervisor_id,
    templateId: row.template_id,
    templateVersion: row.template_version,
    policyVersion: row.policy_version,
    academicYear: row.academic_year,
    status: row.status,
    agreed: row.agreed as AgreedTerms,
    text: row.rendered as ContractText,
    contentHash: row.content_hash,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by,
    reviewOn: row.review_on,
    signedAt: row.signed_at,
    supersededAt: row.superseded_at,
    supersedesId: row.supersedes_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function signatureFromRow(row: Selectable<ContractSignatureTable>): SignatureRecord {
  return {
    contractId: row.contract_id,
    personId: row.person_id,
    role: row.role,
    name: row.name,
    signedAt: row.signed_at,
    contentHash: row.content_hash,
    method: row.method,
  }
}

/** What the content hash of a stored contract is made over. */
export function contentOf(contract: ContractRecord): ContractContent {
  return {
    templateId: contract.templateId,
    templateVersion: contract.templateVersion,
    policyVersion: contract.policyVersion,
    academicYear: contract.academicYear,
    superviseeId: contract.superviseeId,
    supervisorId: contract.supervisorId,
    agreed: contract.agreed,
    reviewOn: contract.reviewOn,
    text: contract.text,
  }
}

/** One contract of the organisation, or null. */
export async function findContract(
  db: DbOrTrx,
  organisationId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ContractRecord | null> {
  if (!isUuid(id)) return null
  let query = db.selectFrom('contract').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId)
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? contractFromRow(row) : null
}

export async function signaturesOf(db: DbOrTrx, contractIds: readonly string[]): Promise<SignatureRecord[]> {
  if (contractIds.length === 0) return []
  const rows = await db
    .selectFrom('contract_signature')
    .selectAll()
    .where('contract_id', 'in', [...contractIds])
    .orderBy('signed_at')
    .execute()
  return rows.map(signatureFromRow)
}

export interface PersonName {
  id: string
  name: string
  email: string
  jobTitle: string
  roles: string[]
  endDate: IsoDate | null
}

export async function peopleByIds(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, PersonName>> {
  const unique = [...new Set(ids)].filter(isUuid)
  if (unique.length === 0) return new Map()
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'job_title', 'roles', 'end_date'])
    .where('id', 'in', unique)
    .execute()
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name, email: r.email, jobTitle: r.job_title, roles: [...r.roles], endDate: r.end_date },
    ]),
  )
}

/** Every contract of a supervisee, newest first: the versions and years of their contract. */
export async function contractsOfSupervisee(db: DbOrTrx, superviseeId: string): Promise<ContractRecord[]> {
  const rows = await db
    .selectFrom('contract')
    .selectAll()
    .where('supervisee_id', '=', superviseeId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
  return rows.map(contractFromRow)
}

/** A school's contracts, optionally of one status, with no content (for lists). */
export async function contractsOfSchool(db: DbOrTrx, schoolId: string, status: ContractStatus | null) {
  let query = db
    .selectFrom('contract as c')
    .innerJoin('person as see', 'see.id', 'c.supervisee_id')
    .innerJoin('person as sor', 'sor.id', 'c.supervisor_id')
    .select([
      'c.id',
      'c.status',
      'c.academic_year',
      'c.review_on',
      'c.issued_at',
      'c.signed_at',
      'c.supervisee_id',
      'c.supervisor_id',
      'see.name as supervisee_name',
      'sor.name as supervisor_name',
    ])
    .where('c.school_id', '=', schoolId)
  if (status) query = query.where('c.status', '=', status)
  return query.orderBy('see.name').orderBy('c.created_at', 'desc').limit(5000).execute()
}

/** Contracts in which a person is the supervisee or the supervisor (not drafts), newest first. */
export async function contractsOfPerson(db: DbOrTrx, personId: string) {
  return db
    .selectFrom('contract as c')
    .innerJoin('person as see', 'see.id', 'c.supervisee_id')
    .innerJoin('person as sor', 'sor.id', 'c.supervisor_id')
    .select([
      'c.id',
      'c.status',
      'c.academic_year',
      'c.review_on',
      'c.issued_at',
      'c.signed_at',
      'c.supervisee_id',
      'c.supervisor_id',
      'see.name as supervisee_name',
      'sor.name as supervisor_name',
    ])
    .where((eb) => eb.or([eb('c.supervisee_id', '=', personId), eb('c.supervisor_id', '=', personId)]))
    .where('c.status', '!=', 'draft')
    .orderBy('c.created_at', 'desc')
    .limit(500)
    .execute()
}

/** Each person's current supervisor, else their line manager (MW-03: 1:1 supervision by the line manager). */
export async function currentSupervisorsOf(
  db: DbOrTrx,
  personIds: readonly string[],
): Promise<Map<string, { id: string; name: string }>> {
  const ids = [...new Set(personIds)].filter(isUuid)
  const result = new Map<string, { id: string; name: string }>()
  if (ids.length === 0) return result
  const assigned = await db
    .selectFrom('supervision_assignment as sa')
    .innerJoin('person as p', 'p.id', 'sa.supervisor_id')
    .select(['sa.supervisee_id', 'sa.supervisor_id', 'p.name'])
    .where('sa.kind', '=', 'supervisor')
    .where('sa.ends_on', 'is', null)
    .where('sa.supervisee_id', 'in', ids)
    .execute()
  for (const a of assigned) result.set(a.supervisee_id, { id: a.supervisor_id, name: a.name })
  const managed = await db
    .selectFrom('person as p')
    .innerJoin('person as m', 'm.id', 'p.line_manager_id')
    .select(['p.id', 'm.id as manager_id', 'm.name as manager_name'])
    .where('p.id', 'in', ids)
    .execute()
  for (const m of managed) if (!result.has(m.id)) result.set(m.id, { id: m.manager_id, name: m.manager_name })
  return result
}
