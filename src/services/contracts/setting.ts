/**
 * What a school's contracts are made from: the policy in force (its contract settings and the
 * contract template it names), the school, and how people are named on a contract.
 */
import { contractSchool, currentStaffWithRoles, type DbOrTrx, peopleByIds } from '../../db/repositories/contracts.ts'
import { academicYearIdFor, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { templateForSchool } from '../../domain/contracts/identity.ts'
import { contractSigners } from '../../domain/contracts/signers.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import { type Party, type PolicyDocument, roleName } from '../../domain/policy/index.ts'
import type { Template } from '../../domain/records/template.ts'
import { isPackId, loadPack } from '../../packs/index.ts'
import { packOfTemplate, templateById } from '../../packs/templates.ts'
import { policyBook } from '../policy/on-date.ts'
import { resolveTemplate } from '../records/templates.ts'

export interface ContractSetting {
  school: { id: string; organisationId: string; name: string; slug: string }
  policy: PolicyDocument
  policyVersion: number
  /** The policy's contract template; null when it names none (or one Haven does not have). */
  template: Template | null
  /**
   * The parties the policy names to sign (MW-02; empty when it names none). Who signs a given
   * contract is `contractSigners` (domain/contracts/signers.ts), which also leaves out a party who
   * may not sign: never read this alone.
   */
  policySignedBy: Party[]
  /** Roles the signed contract is returned to (MW-02: the DSL or deputy DSL); the DSL when the policy names none. */
  returnTo: string[]
}

/**
 * The contract setting of the policy on `on` (the one rule, ADR 0021), or of the given
 * version (the one a contract was made under); null when the school has no policy.
 */
export async function contractSetting(
  db: DbOrTrx,
  schoolId: string,
  on: IsoDate,
  options: { policyVersion?: number } = {},
): Promise<ContractSetting | null> {
  const school = await contractSchool(db, schoolId)
  if (!school) return null
  const book = await policyBook(db, schoolId)
  const pinned = options.policyVersion === undefined ? null : book.version(options.policyVersion)
  const policy = pinned ?? book.on(on)
  if (!policy) return null
  const template = await schoolContractTemplate(db, school, policy.templates.contract)
  const returnTo = policy.contract?.returnTo ?? []
  return {
    school,
    policy,
    policyVersion: policy.version,
    template: template && template.kind === 'contract' ? template : null,
    policySignedBy: [...(policy.contract?.signedBy ?? [])],
    returnTo: returnTo.length > 0 ? [...returnTo] : ['dsl'],
  }
}

/**
 * The contract template the policy names (issue 14): the school's own template with that id, else
 * the built-in one; with the seed school's name, in a built-in template or a copy of one, replaced
 * by the school's. Null when the policy names none, or none Haven has.
 */
export async function schoolContractTemplate(
  db: DbOrTrx,
  school: { id: string; name: string },
  templateId: string | null,
): Promise<Template | null> {
  if (!templateId) return null
  const template = await resolveTemplate(db, school.id, templateId)
  if (!template) return null
  const builtInId = templateById(template.id) ? template.id : (template.basedOn?.id ?? null)
  const pack = builtInId ? packOfTemplate(builtInId) : undefined
  const seedSchool = pack && isPackId(pack) ? loadPack(pack).metadata.school : null
  return templateForSchool(template, seedSchool, school.name)
}

/**
 * Who signs this contract (contractSigners): the parties its policy version names, less a party
 * who may not sign. A party no longer found is not asked.
 */
export async function signersOfContract(
  db: DbOrTrx,
  organisationId: string,
  setting: Pick<ContractSetting, 'policySignedBy'> | null,
  contract: { superviseeId: string; supervisorId: string },
): Promise<Party[]> {
  const people = await peopleByIds(db, organisationId, [contract.superviseeId, contract.supervisorId])
  const gone = { maySign: false }
  return contractSigners(setting?.policySignedBy, {
    supervisee: people.get(contract.superviseeId) ?? gone,
    supervisor: people.get(contract.supervisorId) ?? gone,
  })
}

/** How a person is named on a contract: their job title, else their roles, else "member of staff". */
export function roleOnContract(policy: PolicyDocument, person: { jobTitle: string; roles: readonly string[] }): string {
  if (person.jobTitle.trim() !== '') return person.jobTitle.trim()
  const named = person.roles
    .filter((r) => r !== 'administrator')
    .map((r) =>
      roleCatalogue.some((c) => c.id === r) || policy.customRoles.some((c) => c.id === r) ? roleName(policy, r) : r,
    )
  return named.length > 0 ? named.join(', ') : 'Member of staff'
}

/** The academic years contracts may be issued for today: this one and the next. */
export function issuableYears(today: IsoDate): string[] {
  const current = parseAcademicYearId(academicYearIdFor(today))!
  const next = parseAcademicYearId(
    `${String(current.startYear + 1)}-${String((current.startYear + 2) % 100).padStart(2, '0')}`,
  )!
  return [current.id, next.id]
}

/** The day a contract for `year` is reckoned from: today, or the first day of a year not yet begun. */
export function referenceDate(year: string, today: IsoDate): IsoDate {
  const bounds = parseAcademicYearId(year)
  if (!bounds) return today
  return bounds.start > today ? bounds.start : today
}

/** People of the school holding any of the roles, who have not left: who contracts are returned to (MW-02). */
export async function collectorsOf(
  db: DbOrTrx,
  schoolId: string,
  roles: readonly string[],
  today: IsoDate,
): Promise<{ id: string; name: string; email: string }[]> {
  const rows = await currentStaffWithRoles(db, schoolId, roles, today)
  // In the order the policy names the roles: the DSL before the deputy DSL.
  const rank = (r: readonly string[]) => Math.min(...roles.map((role, i) => (r.includes(role) ? i : roles.length)))
  return rows.sort((a, b) => rank(a.roles) - rank(b.roles)).map((r) => ({ id: r.id, name: r.name, email: r.email }))
}
