/**
 * What the contract pages start from (issue 13, point 2: rules out of the handlers): whom a new
 * contract is for and what it starts with (the policy's defaults, or last year's terms with this
 * year's dates when renewing), a contract that may be changed, what the contract form offers
 * (supervisors, the policy's frequencies, the staff a field may name), and what a contract's page
 * lets its manager do next.
 */
import type { Db } from '../../db/database.ts'
import {
  contractsOfSupervisee,
  currentStaffOf,
  currentSupervisorsOf,
  personForPolicy,
  personOf,
} from '../../db/repositories/contracts.ts'
import {
  contractRequirement,
  defaultContractValues,
  type FrequencyAnswer,
  nextAcademicYear,
  requirementIdsFor,
} from '../../domain/contracts/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Requirement } from '../../domain/policy/index.ts'
import type { Template } from '../../domain/records/template.ts'
import { type Candidate, supervisionCandidates } from '../staff/supervision.ts'
import { storedTermsInput } from './issue.ts'
import { type ContractView, type OpenContractInput, openContract } from './read.ts'
import { type ContractSetting, collectorsOf, contractSetting, issuableYears, referenceDate } from './setting.ts'

export type SettingWithTemplate = ContractSetting & { template: Template }

export interface ContractTarget {
  year: string
  supervisee: { id: string; name: string; schoolId: string }
  /** Null when the school has no policy, or it names no contract template Haven has. */
  setting: SettingWithTemplate | null
}

/** The person and year of a new contract; null when the person is not a member of a school of the organisation. */
export async function newContractTarget(
  db: Db,
  input: { organisationId: string; personId: string; year: string; today: IsoDate },
): Promise<ContractTarget | null> {
  const person = await personOf(db, input.organisationId, input.personId)
  if (!person?.schoolId) return null
  const setting = await contractSetting(db, person.schoolId, referenceDate(input.year, input.today))
  return {
    year: input.year,
    supervisee: { id: person.id, name: person.name, schoolId: person.schoolId },
    setting: setting?.template ? (setting as SettingWithTemplate) : null,
  }
}

/** A new contract's values: the policy's, with the first person the contracts are returned to. */
export async function defaultValues(
  db: Db,
  input: { schoolId: string; setting: SettingWithTemplate; year: string; today: IsoDate },
): Promise<Record<string, unknown>> {
  const { setting } = input
  const collector = (await collectorsOf(db, input.schoolId, setting.returnTo, input.today))[0] ?? null
  return defaultContractValues({
    template: setting.template,
    policy: setting.policy,
    issueOn: referenceDate(input.year, input.today),
    collectedBy: collector ? { personId: collector.id, name: collector.name } : null,
  })
}

export type NewContractStart =
  | { kind: 'exists'; contractId: string }
  | { kind: 'start'; supervisorId: string; frequency: FrequencyAnswer; values: Record<string, unknown> }

/**
 * What a new contract starts with: the policy's defaults, or, when renewing, last year's terms
 * with this year's dates; its supervisor is their current one. A person who already has a
 * contract for the year has it changed instead.
 */
export async function newContractStart(
  db: Db,
  input: { organisationId: string; target: ContractTarget & { setting: SettingWithTemplate }; today: IsoDate },
): Promise<NewContractStart> {
  const { target } = input
  const { setting } = target
  const previous = (await contractsOfSupervisee(db, input.organisationId, target.supervisee.id)).filter(
    (c) => c.status !== 'superseded',
  )
  const sameYear = previous.find((c) => c.academicYear === target.year)
  if (sameYear) return { kind: 'exists', contractId: sameYear.id }
  const defaults = await defaultValues(db, {
    schoolId: target.supervisee.schoolId,
    setting,
    year: target.year,
    today: input.today,
  })
  const last = previous.find((c) => c.status === 'signed' || c.status === 'issued')
  const supervisor = (await currentSupervisorsOf(db, input.organisationId, [target.supervisee.id])).get(
    target.supervisee.id,
  )
  const dated = (values: Record<string, unknown>) => {
    const out = { ...values }
    for (const id of ['agreedDate', 'startDate', 'reviewDate']) if (id in defaults) out[id] = defaults[id]
    return out
  }
  return {
    kind: 'start',
    supervisorId: supervisor?.id ?? last?.supervisorId ?? '',
    frequency: last
      ? storedTermsInput(last, requirementOf(setting, last.agreed.requirementId)).frequency
      : { choice: 'policy' },
    values: last ? { ...defaults, ...dated(last.agreed.values) } : defaults,
  }
}

/** The requirement a contract's terms were agreed under (else the policy's first that allows an agreement). */
export function requirementOf(
  setting: Pick<ContractSetting, 'policy'>,
  requirementId: string | null,
): Requirement | null {
  return contractRequirement(setting.policy, requirementId ? [requirementId] : null)
}

/** A contract its manager may change (a draft, or one issued or signed), with the policy it is changed under. */
export async function contractForChange(
  db: Db,
  input: OpenContractInput,
): Promise<{ view: ContractView; setting: SettingWithTemplate } | null> {
  const view = await openContract(db, input)
  if (!view || view.contract.status === 'superseded') return null
  const setting = await contractSetting(
    db,
    view.contract.schoolId,
    referenceDate(view.contract.academicYear, input.today),
  )
  if (!setting?.template) return null
  return { view, setting: setting as SettingWithTemplate }
}

export interface ContractFormChoices {
  requirement: Requirement | null
  supervisors: Candidate[]
  staff: { id: string; name: string; roles: string[]; jobTitle: string }[]
}

/** What the contract form offers: who may supervise them, the frequencies their requirement allows, the school's staff. */
export async function contractFormChoices(
  db: Db,
  input: {
    organisationId: string
    supervisee: { id: string; schoolId: string }
    setting: SettingWithTemplate
    academicYear: string
    today: IsoDate
  },
): Promise<ContractFormChoices | null> {
  const person = await personForPolicy(db, input.organisationId, input.supervisee.id)
  if (!person) return null
  const { policy } = input.setting
  const requirement = contractRequirement(
    policy,
    requirementIdsFor(policy, person, referenceDate(input.academicYear, input.today)),
  )
  const [supervisors, staff] = await Promise.all([
    supervisionCandidates(db, {
      organisationId: input.organisationId,
      schoolId: input.supervisee.schoolId,
      kind: 'supervisor',
      today: input.today,
      excludeIds: [input.supervisee.id],
    }),
    currentStaffOf(db, input.supervisee.schoolId, input.today),
  ])
  return { requirement, supervisors, staff }
}

/** The school's staff who have not left: whom a contract's person fields may name. */
export async function schoolStaff(db: Db, schoolId: string, today: IsoDate) {
  return currentStaffOf(db, schoolId, today)
}

/** What a contract's manager may do next: change its terms, or renew it for next year. */
export function nextSteps(view: ContractView, today: IsoDate): { changeable: boolean; renewYear: string | null } {
  const { contract, history, access } = view
  const nextYear = nextAcademicYear(contract.academicYear)
  const renewable =
    access.manage &&
    contract.status === 'signed' &&
    issuableYears(today).includes(nextYear) &&
    !history.some((h) => h.academicYear === nextYear && h.status !== 'superseded')
  const changeable =
    access.manage &&
    (contract.status === 'issued' || contract.status === 'signed') &&
    !(contract.status === 'signed' && history.some((h) => h.status === 'issued' || h.status === 'draft'))
  return { changeable, renewYear: renewable ? nextYear : null }
}
