/**
 * Supervision contracts and their signatures (issue 8; issue 13): rows as domain shapes, and every
 * query the contract services and pages make. A contract is found within its organisation (a trust
 * manages the contracts of its schools from one address) or its school; a row of another is
 * simply not found. snake_case stays here.
 */
import { type Selectable, sql } from 'kysely'
import type {
  AgreedTerms,
  ContractContent,
  ContractStatus,
  ContractText,
  SignatureMethod,
} from '../../domain/contracts/index.ts'
import { isUuid } from '../../domain/ids.ts'
import type { ListQuery } from '../../domain/lists/list-query.ts'
import type { IsoDate, Person } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'
import type { ContractSignatureTable, ContractTable } from '../schema.ts'
import type { DbOrTrx } from './connection.ts'
import { direction, nameContains, type Page, pageOf } from './paging.ts'
import { personFromRow } from './staff/rows.ts'

export type { DbOrTrx }

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

function contractFromRow(row: Selectable<ContractTable>): ContractRecord {
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

function signatureFromRow(row: Selectable<ContractSignatureTable>): SignatureRecord {
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

// ---------------------------------------------------------------------------------------------
// Contracts

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

/**
 * A supervisee's contracts in the organisation, newest first: every version and year, or only those
 * not superseded (`live`: a draft, one waiting for signatures, one in force), locked when asked.
 */
export async function contractsOfSupervisee(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  options: { live?: boolean; forUpdate?: boolean } = {},
): Promise<ContractRecord[]> {
  if (!isUuid(superviseeId)) return []
  let query = db
    .selectFrom('contract')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('supervisee_id', '=', superviseeId)
  if (options.live) query = query.where('status', 'in', ['draft', 'issued', 'signed'])
  if (options.forUpdate) query = query.forUpdate()
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute()
  return rows.map(contractFromRow)
}

/** A contract as a list shows it: no content. */
export interface ContractListRow {
  id: string
  status: ContractStatus
  academicYear: string
  reviewOn: IsoDate | null
  issuedAt: Date | null
  signedAt: Date | null
  supervisee: { id: string; name: string; maySign: boolean }
  supervisor: { id: string; name: string; maySign: boolean }
}

const listColumns = [
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
  'see.capabilities as supervisee_capabilities',
  'sor.capabilities as supervisor_capabilities',
] as const

/** Contracts with their supervisee (`see`) and supervisor (`sor`), for a list. */
function contractsWithParties(db: DbOrTrx) {
  return db
    .selectFrom('contract as c')
    .innerJoin('person as see', 'see.id', 'c.supervisee_id')
    .innerJoin('person as sor', 'sor.id', 'c.supervisor_id')
}

type ContractsWithParties = ReturnType<typeof contractsWithParties>

function listQuery(db: DbOrTrx) {
  return contractsWithParties(db).select(listColumns)
}

/**
 * One page of a list of contracts (issue 16): narrowed by status and a name search (supervisee or
 * supervisor), counted, sorted by `column` then `thenBy` and the newest first, in a stable order.
 */
async function contractsPage(
  base: ContractsWithParties,
  list: ListQuery<string>,
  column: string,
  thenBy: string[] = [],
): Promise<Page<ContractListRow>> {
  let query = base
  if (list.status && (contractStatuses as readonly string[]).includes(list.status))
    query = query.where('c.status', '=', list.status as ContractStatus)
  if (list.q) {
    const q = list.q
    query = query.where((eb) => eb.or([nameContains('see.name', q), nameContains('sor.name', q)]))
  }
  const page = await pageOf(
    query,
    (q) => {
      let sorted = q.select(listColumns).orderBy(sql`${sql.ref(column)} ${direction(list.direction)}`)
      for (const c of thenBy) sorted = sorted.orderBy(sql.ref(c))
      return sorted.orderBy('c.created_at', 'desc').orderBy('c.id')
    },
    list,
  )
  return { total: page.total, rows: page.rows.map(listRowOf) }
}

type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number]

function listRowOf(r: ListRow): ContractListRow {
  return {
    id: r.id,
    status: r.status,
    academicYear: r.academic_year,
    reviewOn: r.review_on,
    issuedAt: r.issued_at,
    signedAt: r.signed_at,
    supervisee: {
      id: r.supervisee_id,
      name: r.supervisee_name,
      maySign: r.supervisee_capabilities.includes('sign'),
    },
    supervisor: {
      id: r.supervisor_id,
      name: r.supervisor_name,
      maySign: r.supervisor_capabilities.includes('sign'),
    },
  }
}

export type ContractsListSort = 'supervisee' | 'supervisor' | 'year' | 'review'

const contractStatuses: readonly ContractStatus[] = ['draft', 'issued', 'signed', 'superseded']

/**
 * One page of a school's contracts (issue 16: counted, never cut short), filtered by supervisee,
 * supervisor, status and a name search, sorted by a column then the newest first, in the query.
 */
export async function contractsOfSchoolPage(
  db: DbOrTrx,
  schoolId: string,
  list: ListQuery<ContractsListSort>,
): Promise<Page<ContractListRow>> {
  let base = contractsWithParties(db).where('c.school_id', '=', schoolId)
  if (list.person) base = base.where('c.supervisee_id', '=', list.person)
  if (list.supervisor) base = base.where('c.supervisor_id', '=', list.supervisor)
  const column = { supervisee: 'see.name', supervisor: 'sor.name', year: 'c.academic_year', review: 'c.review_on' }[
    list.sort
  ]
  return contractsPage(base, list, column, ['see.name'])
}

/** How many of the school's contracts there are of each status. */
export async function contractCountsOfSchool(db: DbOrTrx, schoolId: string): Promise<Record<ContractStatus, number>> {
  const rows = await db
    .selectFrom('contract')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('school_id', '=', schoolId)
    .groupBy('status')
    .execute()
  const counts: Record<ContractStatus, number> = { draft: 0, issued: 0, signed: 0, superseded: 0 }
  for (const r of rows) counts[r.status] = Number(r.n)
  return counts
}

export type MyContractsSort = 'year' | 'review'

function contractsOfPersonBase(db: DbOrTrx, organisationId: string, personId: string) {
  return contractsWithParties(db)
    .where('c.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('c.supervisee_id', '=', personId), eb('c.supervisor_id', '=', personId)]))
    .where('c.status', '!=', 'draft')
}

/**
 * One page of the contracts of the organisation in which a person is the supervisee or the
 * supervisor (not drafts), issue 16: counted and never cut short; filtered by status and the other
 * party's name, sorted by year or review date, then the newest first.
 */
export async function contractsOfPersonPage(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  list: ListQuery<MyContractsSort>,
): Promise<Page<ContractListRow>> {
  const column = { year: 'c.academic_year', review: 'c.review_on' }[list.sort]
  return contractsPage(contractsOfPersonBase(db, organisationId, personId), list, column)
}

/** Every issued contract of the organisation a person is a party to (those that may wait for their signature), newest first. */
export async function issuedContractsOfPerson(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<ContractListRow[]> {
  const rows = await contractsOfPersonBase(db, organisationId, personId)
    .where('c.status', '=', 'issued')
    .select(listColumns)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute()
  return rows.map(listRowOf)
}

/** The supervisees and the supervisors of the school's contracts, each once, by name (for the list's filters). */
export async function contractPeopleOfSchool(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ supervisees: { id: string; name: string }[]; supervisors: { id: string; name: string }[] }> {
  const of = (column: 'c.supervisee_id' | 'c.supervisor_id') =>
    db
      .selectFrom('contract as c')
      .innerJoin('person as p', 'p.id', column)
      .where('c.school_id', '=', schoolId)
      .select(['p.id', 'p.name'])
      .distinct()
      .orderBy('p.name')
      .orderBy('p.id')
      .execute()
  const [supervisees, supervisors] = await Promise.all([of('c.supervisee_id'), of('c.supervisor_id')])
  return { supervisees, supervisors }
}

/** The status of each of these people's contract for the year (superseded ones left out), in the school. */
export async function yearContractStatuses(
  db: DbOrTrx,
  schoolId: string,
  superviseeIds: readonly string[],
  academicYear: string,
): Promise<{ superviseeId: string; status: ContractStatus }[]> {
  const ids = [...new Set(superviseeIds)].filter(isUuid)
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('contract')
    .select(['supervisee_id', 'status'])
    .where('school_id', '=', schoolId)
    .where('supervisee_id', 'in', ids)
    .where('academic_year', '=', academicYear)
    .where('status', '!=', 'superseded')
    .execute()
  return rows.map((r) => ({ superviseeId: r.supervisee_id, status: r.status }))
}

/** A new contract's content, as the service made it. */
export type NewContract = Pick<
  ContractRecord,
  | 'organisationId'
  | 'schoolId'
  | 'superviseeId'
  | 'supervisorId'
  | 'templateId'
  | 'templateVersion'
  | 'policyVersion'
  | 'academicYear'
  | 'agreed'
  | 'text'
  | 'contentHash'
  | 'issuedAt'
  | 'issuedBy'
  | 'supersedesId'
> & { status: 'draft' | 'issued'; reviewOn: IsoDate; createdBy: string }

export async function insertContract(db: DbOrTrx, contract: NewContract): Promise<string> {
  const row = await db
    .insertInto('contract')
    .values({
      organisation_id: contract.organisationId,
      school_id: contract.schoolId,
      supervisee_id: contract.superviseeId,
      supervisor_id: contract.supervisorId,
      template_id: contract.templateId,
      template_version: contract.templateVersion,
      policy_version: contract.policyVersion,
      academic_year: contract.academicYear,
      status: contract.status,
      agreed: JSON.stringify(contract.agreed),
      rendered: JSON.stringify(contract.text),
      content_hash: contract.contentHash,
      issued_at: contract.issuedAt,
      issued_by: contract.issuedBy,
      review_on: contract.reviewOn,
      supersedes_id: contract.supersedesId,
      created_by: contract.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A draft's new content (issued when `status` is 'issued'). */
export type DraftChange = Pick<
  NewContract,
  | 'supervisorId'
  | 'templateId'
  | 'templateVersion'
  | 'policyVersion'
  | 'agreed'
  | 'text'
  | 'reviewOn'
  | 'status'
  | 'contentHash'
  | 'issuedAt'
  | 'issuedBy'
>

/** Changes a draft of the organisation if it is still the version read; false when it is not. */
export async function updateDraftContract(
  db: DbOrTrx,
  organisationId: string,
  id: string,
  expectedVersion: number,
  change: DraftChange,
  now: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable('contract')
    .set({
      supervisor_id: change.supervisorId,
      template_id: change.templateId,
      template_version: change.templateVersion,
      policy_version: change.policyVersion,
      agreed: JSON.stringify(change.agreed),
      rendered: JSON.stringify(change.text),
      review_on: change.reviewOn,
      status: change.status,
      content_hash: change.contentHash,
      issued_at: change.issuedAt,
      issued_by: change.issuedBy,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}

/** Moves a contract on: a new status (superseded or signed, with when), and always a new version. */
export async function setContractStatus(
  db: DbOrTrx,
  organisationId: string,
  id: string,
  status: 'superseded' | 'signed' | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('contract')
    .set({
      ...(status === 'superseded' ? { status, superseded_at: now } : {}),
      ...(status === 'signed' ? { status, signed_at: now } : {}),
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute()
}

/** The supervisee's other contracts in force, locked: superseded when a new one comes into force. */
export async function otherSignedContractIds(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  exceptId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('contract')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('supervisee_id', '=', superviseeId)
    .where('status', '=', 'signed')
    .where('id', '!=', exceptId)
    .forUpdate()
    .execute()
  return rows.map((r) => r.id)
}

/** The schools with a contract waiting for signatures or in force: where the reminder job looks. */
export async function schoolsWithLiveContracts(db: DbOrTrx): Promise<string[]> {
  const rows = await db
    .selectFrom('contract')
    .select('school_id')
    .distinct()
    .where('status', 'in', ['issued', 'signed'])
    .orderBy('school_id')
    .execute()
  return rows.map((r) => r.school_id)
}

/** A contract as the reminders need it. */
export interface ReminderContract {
  id: string
  organisationId: string
  schoolId: string
  superviseeId: string
  supervisorId: string
  reviewOn: IsoDate | null
}

/** A school's contracts waiting for signatures. */
export async function issuedContractsOfSchool(db: DbOrTrx, schoolId: string): Promise<ReminderContract[]> {
  const rows = await db
    .selectFrom('contract')
    .select(['id', 'organisation_id', 'school_id', 'supervisee_id', 'supervisor_id', 'review_on'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'issued')
    .execute()
  return rows.map(reminderContractOf)
}

/** A school's contracts in force that have a review date. */
export async function signedContractsWithReview(db: DbOrTrx, schoolId: string): Promise<ReminderContract[]> {
  const rows = await db
    .selectFrom('contract')
    .select(['id', 'organisation_id', 'school_id', 'supervisee_id', 'supervisor_id', 'review_on'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'signed')
    .where('review_on', 'is not', null)
    .execute()
  return rows.map(reminderContractOf)
}

function reminderContractOf(r: {
  id: string
  organisation_id: string
  school_id: string
  supervisee_id: string
  supervisor_id: string
  review_on: IsoDate | null
}): ReminderContract {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    schoolId: r.school_id,
    superviseeId: r.supervisee_id,
    supervisorId: r.supervisor_id,
    reviewOn: r.review_on,
  }
}

// ---------------------------------------------------------------------------------------------
// Signatures

/** The signatures of the organisation's contracts, oldest first. */
export async function signaturesOf(
  db: DbOrTrx,
  organisationId: string,
  contractIds: readonly string[],
): Promise<SignatureRecord[]> {
  const ids = [...new Set(contractIds)].filter(isUuid)
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('contract_signature as s')
    .innerJoin('contract as c', 'c.id', 's.contract_id')
    .selectAll('s')
    .where('c.organisation_id', '=', organisationId)
    .where('s.contract_id', 'in', ids)
    .orderBy('s.signed_at')
    .execute()
  return rows.map(signatureFromRow)
}

export async function insertSignature(db: DbOrTrx, signature: SignatureRecord): Promise<void> {
  await db
    .insertInto('contract_signature')
    .values({
      contract_id: signature.contractId,
      person_id: signature.personId,
      role: signature.role,
      name: signature.name,
      signed_at: signature.signedAt,
      content_hash: signature.contentHash,
      method: signature.method,
    })
    .execute()
}

// ---------------------------------------------------------------------------------------------
// Agreed frequencies (MW-03): the compliance engine reads them from person_override

/** Ends the terms an earlier contract agreed for the person. */
export async function endContractOverrides(db: DbOrTrx, schoolId: string, personId: string, now: Date): Promise<void> {
  await db
    .updateTable('person_override')
    .set({ ended_at: now })
    .where('school_id', '=', schoolId)
    .where('person_id', '=', personId)
    .where('source', '=', 'contract')
    .where('ended_at', 'is', null)
    .execute()
}

export async function insertContractOverride(
  db: DbOrTrx,
  input: { schoolId: string; personId: string; override: unknown; setBy: string; now: Date },
): Promise<void> {
  await db
    .insertInto('person_override')
    .values({
      school_id: input.schoolId,
      person_id: input.personId,
      override: JSON.stringify(input.override),
      source: 'contract',
      set_by: input.setBy,
      set_at: input.now,
    })
    .execute()
}

// ---------------------------------------------------------------------------------------------
// People, schools and supervisors as contracts name them

export interface PersonName {
  id: string
  name: string
  email: string
  jobTitle: string
  roles: string[]
  endDate: IsoDate | null
  /** Whether they may sign (person.capabilities includes `sign`, ADR 25). */
  maySign: boolean
}

export interface ContractPerson extends PersonName {
  schoolId: string | null
}

/** People of the organisation by id. */
export async function peopleByIds(
  db: DbOrTrx,
  organisationId: string,
  ids: readonly string[],
): Promise<Map<string, ContractPerson>> {
  const unique = [...new Set(ids)].filter(isUuid)
  if (unique.length === 0) return new Map()
  const rows = await db
    .selectFrom('person')
    .select(['id', 'school_id', 'name', 'email', 'job_title', 'roles', 'end_date', 'capabilities'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', unique)
    .execute()
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        schoolId: r.school_id,
        name: r.name,
        email: r.email,
        jobTitle: r.job_title,
        roles: [...r.roles],
        endDate: r.end_date,
        maySign: r.capabilities.includes('sign'),
      },
    ]),
  )
}

/** One person of the organisation, or null. */
export async function personOf(db: DbOrTrx, organisationId: string, id: string): Promise<ContractPerson | null> {
  return (await peopleByIds(db, organisationId, [id])).get(id) ?? null
}

/** One person of the organisation as the policy reads them (who must be supervised, how often), or null. */
export async function personForPolicy(db: DbOrTrx, organisationId: string, id: string): Promise<Person | null> {
  if (!isUuid(id)) return null
  const row = await db
    .selectFrom('person')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? personFromRow(row) : null
}

/** The supervisee of a contract being made, locked: a member of a school of the organisation (of `schoolId`, if given). */
export async function lockSupervisee(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string | null,
  personId: string,
): Promise<(PersonName & { schoolId: string }) | null> {
  if (!isUuid(personId)) return null
  let query = db
    .selectFrom('person')
    .select(['id', 'school_id', 'name', 'email', 'job_title', 'roles', 'end_date', 'capabilities'])
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
  if (schoolId !== null) query = query.where('school_id', '=', schoolId)
  const row = await query.forUpdate().executeTakeFirst()
  if (!row || row.school_id === null) return null
  return {
    id: row.id,
    schoolId: row.school_id,
    name: row.name,
    email: row.email,
    jobTitle: row.job_title,
    roles: [...row.roles],
    endDate: row.end_date,
    maySign: row.capabilities.includes('sign'),
  }
}

/** The school's staff who have not left, by name: whom a contract's person fields may name. */
export async function currentStaffOf(
  db: DbOrTrx,
  schoolId: string,
  today: IsoDate,
): Promise<{ id: string; name: string; roles: string[]; jobTitle: string }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'roles', 'job_title'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .limit(3000)
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, roles: [...r.roles], jobTitle: r.job_title }))
}

/** People of the school holding any of the roles, who have not left, by name. */
export async function currentStaffWithRoles(
  db: DbOrTrx,
  schoolId: string,
  roles: readonly string[],
  today: IsoDate,
): Promise<{ id: string; name: string; email: string; roles: string[] }[]> {
  if (roles.length === 0) return []
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'roles'])
    .where('school_id', '=', schoolId)
    .where(sql<boolean>`roles && array[${sql.join([...roles])}]::text[]`)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, roles: [...r.roles] }))
}

/** Each person's current supervisor, else their line manager (MW-03: 1:1 supervision by the line manager). */
export async function currentSupervisorsOf(
  db: DbOrTrx,
  organisationId: string,
  personIds: readonly string[],
): Promise<Map<string, { id: string; name: string }>> {
  const ids = [...new Set(personIds)].filter(isUuid)
  const result = new Map<string, { id: string; name: string }>()
  if (ids.length === 0) return result
  const assigned = await db
    .selectFrom('supervision_assignment as sa')
    .innerJoin('person as p', 'p.id', 'sa.supervisor_id')
    .select(['sa.supervisee_id', 'sa.supervisor_id', 'p.name'])
    .where('sa.organisation_id', '=', organisationId)
    .where('sa.kind', '=', 'supervisor')
    .where('sa.ends_on', 'is', null)
    .where('sa.supervisee_id', 'in', ids)
    .execute()
  for (const a of assigned) result.set(a.supervisee_id, { id: a.supervisor_id, name: a.name })
  const managed = await db
    .selectFrom('person as p')
    .innerJoin('person as m', 'm.id', 'p.line_manager_id')
    .select(['p.id', 'm.id as manager_id', 'm.name as manager_name'])
    .where('p.organisation_id', '=', organisationId)
    .where('p.id', 'in', ids)
    .execute()
  for (const m of managed) if (!result.has(m.id)) result.set(m.id, { id: m.manager_id, name: m.manager_name })
  return result
}

/** The school a contract is made in, or null. */
export async function contractSchool(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ id: string; organisationId: string; name: string; slug: string } | null> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'name', 'slug'])
    .where('id', '=', schoolId)
    .executeTakeFirst()
  return row ? { id: row.id, organisationId: row.organisation_id, name: row.name, slug: row.slug } : null
}
