/**
 * Issuing contracts (MW-01, MW-02, MW-03): one at a time or to everyone in scope at the start of
 * the year; drafts (edited in place, with optimistic locking on contract.version); and new
 * versions when terms change, which supersede the old one (kept, and viewable).
 *
 * A contract is made from the policy in force and its contract template, filled with the people,
 * the policy's values and the agreed terms (domain/contracts). Issuing fixes its content and
 * hash, emails both parties, and writes an audit entry, in one transaction.
 */
import { createHash } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import {
  type ContractRecord,
  contractsOfSupervisee,
  currentSupervisorsOf,
  type DbOrTrx,
  findContract,
  insertContract as insertContractRow,
  lockSupervisee,
  peopleByIds,
  personForPolicy,
  personOf,
  setContractStatus,
  updateDraftContract,
  yearContractStatuses,
} from '../../db/repositories/contracts.ts'
import {
  type AgreedTerms,
  answerFor,
  type BulkCandidate,
  type BulkPlan,
  checkAgreedFrequency,
  checkContractValues,
  contractContentHash,
  contractFormFields,
  contractRequirement,
  contractSigners,
  type FrequencyAnswer,
  planBulkIssue,
  type RenderedContractText,
  renderContractText,
  requirementIdsFor,
  reviewOnOf,
  toSignBatchKey,
  unsignedReminderKey,
} from '../../domain/contracts/index.ts'
import { isUuid } from '../../domain/ids.ts'
import { batchByRecipient } from '../../domain/mail/kinds.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Party, Requirement } from '../../domain/policy/index.ts'
import type { EntryValues, PersonValue } from '../../domain/records/entry.ts'
import type { Template } from '../../domain/records/template.ts'
import { recordAudit } from '../audit.ts'
import { NoPolicyError, schoolCompliance } from '../compliance/school-compliance.ts'
import { isSupervisionCandidate } from '../staff/supervision.ts'
import { emailContractsToSign, emailContractToSign } from './emails.ts'
import { type ContractSetting, contractSetting, referenceDate, roleOnContract } from './setting.ts'

/** What a person enters to issue or change a contract. */
export interface TermsInput {
  supervisorId: string
  frequency: FrequencyAnswer
  /**
   * The template's own fields as the form sends them: text; `{ day, month, year }` (or YYYY-MM-DD)
   * for dates; a person's id (or `{ personId }`) for people.
   */
  values: Record<string, unknown>
}

export type ContractErrors = [string, string][]

export type SaveContractResult =
  | { ok: true; contractId: string; status: 'draft' | 'issued' }
  | { ok: false; kind: 'invalid'; errors: ContractErrors }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'no-policy' }
  | { ok: false; kind: 'no-template' }
  /** Someone else changed the contract since it was read. */
  | { ok: false; kind: 'conflict' }
  /** The person already has a contract for the year (or a newer version waiting): change that one. */
  | { ok: false; kind: 'has-contract'; contractId: string }

interface Actor {
  organisationId: string
  actorId: string
  today: IsoDate
  baseUrl: string
}

interface SuperviseeRow {
  id: string
  schoolId: string
  name: string
  email: string
  jobTitle: string
  roles: string[]
}

const errorOf = (kind: 'not-found' | 'no-policy' | 'no-template' | 'conflict') => ({ ok: false, kind }) as const

// ---------------------------------------------------------------------------------------------
// Preparing a contract's content

interface PreparedContract {
  terms: AgreedTerms
  text: RenderedContractText
  reviewOn: IsoDate
  supervisorId: string
  requirement: Requirement | null
}

/** Turns a person field's answer (an id, or `{ personId }`) into `{ personId, name }`, or an error. */
async function resolvePeople(
  trx: DbOrTrx,
  template: Template,
  organisationId: string,
  raw: Record<string, unknown>,
  today: IsoDate,
): Promise<{ values: Record<string, unknown>; errors: ContractErrors }> {
  const values: Record<string, unknown> = {}
  const errors: ContractErrors = []
  for (const field of contractFormFields(template)) {
    const given = raw[field.id]
    if (field.kind !== 'person') {
      if (given !== undefined) values[field.id] = given
      continue
    }
    const id =
      typeof given === 'string'
        ? given.trim()
        : typeof given === 'object' && given !== null && 'personId' in given && typeof given.personId === 'string'
          ? given.personId
          : ''
    if (id === '') {
      values[field.id] = null
      continue
    }
    const person = await personOf(trx, organisationId, id)
    const roles = field.roles ?? []
    const fits =
      person !== null &&
      (person.endDate === null || person.endDate >= today) &&
      (roles.length === 0 || person.roles.some((r) => roles.includes(r)))
    if (!fits) {
      errors.push([field.id, `Select ${field.errorName ?? field.label.toLowerCase()} from the list`])
      values[field.id] = null
      continue
    }
    values[field.id] = { personId: person.id, name: person.name } satisfies PersonValue
  }
  return { values, errors }
}

async function prepareContract(
  trx: DbOrTrx,
  setting: ContractSetting & { template: Template },
  supervisee: SuperviseeRow,
  input: TermsInput,
  options: { organisationId: string; today: IsoDate; on: IsoDate; mode: 'draft' | 'complete' },
): Promise<{ ok: true; prepared: PreparedContract } | { ok: false; errors: ContractErrors }> {
  const { template, policy } = setting
  const errors: ContractErrors = []

  // The supervisor: someone who may supervise this person (same school, a trust leader, or external).
  const supervisorOk =
    isUuid(input.supervisorId) &&
    input.supervisorId !== supervisee.id &&
    (await isSupervisionCandidate(trx, {
      organisationId: options.organisationId,
      schoolId: supervisee.schoolId,
      kind: 'supervisor',
      candidateId: input.supervisorId,
      today: options.today,
    }))
  if (!supervisorOk) errors.push(['supervisorId', 'Select a supervisor from the list'])

  // MW-03: only a frequency the policy allows.
  const person = await personForPolicy(trx, options.organisationId, supervisee.id)
  if (!person) throw new Error(`The supervisee ${supervisee.id} is not in the organisation`)
  const requirement = contractRequirement(policy, requirementIdsFor(policy, person, options.on))
  const frequency = checkAgreedFrequency(requirement, input.frequency)
  if (!frequency.ok) errors.push([frequency.field, frequency.message])

  const people = await resolvePeople(trx, template, options.organisationId, input.values, options.today)
  errors.push(...people.errors)
  const checked = checkContractValues(template, people.values as EntryValues, {
    issueOn: options.today,
    mode: options.mode,
  })
  if (!checked.ok) {
    for (const field of contractFormFields(template)) {
      const message = checked.errors[field.id]
      if (message === undefined || errors.some(([f]) => f === field.id)) continue
      // A person is chosen from a list: "Select", as the Design System words it.
      errors.push([field.id, field.kind === 'person' ? message.replace(/^Enter /, 'Select ') : message])
    }
  }
  if (errors.length > 0 || !checked.ok || !frequency.ok) return { ok: false, errors }

  const supervisor = await personOf(trx, options.organisationId, input.supervisorId)
  if (!supervisor) throw new Error(`The supervisor ${input.supervisorId} is not in the organisation`)
  const terms: AgreedTerms = {
    requirementId: requirement?.id ?? null,
    frequency: frequency.frequency,
    values: checked.values,
  }
  const text = renderContractText({
    template,
    policy,
    requirement,
    schoolName: setting.school.name,
    supervisee: { name: supervisee.name, role: roleOnContract(policy, supervisee) },
    supervisor: {
      name: supervisor.name,
      role: roleOnContract(policy, supervisor),
    },
    terms,
  })
  if (options.mode === 'complete' && text.missing.length > 0) {
    const fields = contractFormFields(template)
    for (const gap of text.missing) {
      const field = fields.find((f) => gap.split('|').includes(f.id))
      errors.push([
        field?.id ?? 'form',
        field ? `Enter ${field.errorName ?? field.label.toLowerCase()}` : `The contract has a gap: ${gap}`,
      ])
    }
    return { ok: false, errors }
  }
  return {
    ok: true,
    prepared: {
      terms,
      text,
      reviewOn: reviewOnOf(checked.values, policy, options.today),
      supervisorId: supervisor.id,
      requirement,
    },
  }
}

function hashOf(
  setting: ContractSetting & { template: Template },
  superviseeId: string,
  academicYear: string,
  prepared: PreparedContract,
): string {
  return contractContentHash({
    templateId: setting.template.id,
    templateVersion: setting.template.version,
    policyVersion: setting.policyVersion,
    academicYear,
    superviseeId,
    supervisorId: prepared.supervisorId,
    agreed: prepared.terms,
    reviewOn: prepared.reviewOn,
    text: { title: prepared.text.title, clauses: prepared.text.clauses },
  })
}

/** Who is asked to sign an issued contract: each party who signs it (contractSigners: the policy's, less anyone who may not sign) and is still there. */
async function partiesToTell(
  trx: DbOrTrx,
  contractId: string,
  setting: ContractSetting,
  ids: Record<Party, string>,
  actor: Actor,
): Promise<ToSign[]> {
  const people = await peopleByIds(trx, actor.organisationId, [ids.supervisee, ids.supervisor])
  const mayNotSign = { maySign: false }
  const signers = contractSigners(setting.policySignedBy, {
    supervisee: people.get(ids.supervisee) ?? mayNotSign,
    supervisor: people.get(ids.supervisor) ?? mayNotSign,
  })
  const out: ToSign[] = []
  for (const party of signers) {
    const person = people.get(ids[party])
    if (!person || person.email.trim() === '' || (person.endDate !== null && person.endDate < actor.today)) continue
    out.push({ personId: ids[party], email: person.email, contractId, party })
  }
  return out
}

interface ToSign {
  personId: string
  email: string
  contractId: string
  party: Party
}

/**
 * Asks each person to sign what was issued to them: one email per person (issue 18), listing every
 * contract when there are several. The week's reminder keys make the job not repeat them.
 */
async function askToSign(trx: DbOrTrx, toSign: readonly ToSign[], actor: Actor): Promise<void> {
  for (const group of batchByRecipient(toSign)) {
    const [first] = group
    if (!first) continue
    const common = { to: first.email, organisationId: actor.organisationId, baseUrl: actor.baseUrl, reminder: false }
    if (group.length === 1) {
      await emailContractToSign(trx, {
        ...common,
        contractId: first.contractId,
        party: first.party,
        dedupeKey: unsignedReminderKey(first.contractId, first.party, actor.today),
      })
    } else {
      await emailContractsToSign(trx, {
        ...common,
        contracts: group,
        dedupeKey: toSignBatchKey(first.personId, actor.today),
      })
    }
  }
}

/** Asks each party of one contract to sign it. */
async function notifyParties(
  trx: DbOrTrx,
  contractId: string,
  setting: ContractSetting,
  ids: Record<Party, string>,
  actor: Actor,
) {
  await askToSign(trx, await partiesToTell(trx, contractId, setting, ids, actor), actor)
}

async function insertContract(
  trx: DbOrTrx,
  input: {
    setting: ContractSetting & { template: Template }
    supervisee: SuperviseeRow
    academicYear: string
    prepared: PreparedContract
    status: 'draft' | 'issued'
    supersedesId: string | null
    actor: Actor
  },
): Promise<string> {
  const { setting, prepared, actor } = input
  const issued = input.status === 'issued'
  return insertContractRow(trx, {
    organisationId: actor.organisationId,
    schoolId: setting.school.id,
    superviseeId: input.supervisee.id,
    supervisorId: prepared.supervisorId,
    templateId: setting.template.id,
    templateVersion: setting.template.version,
    policyVersion: setting.policyVersion,
    academicYear: input.academicYear,
    status: input.status,
    agreed: prepared.terms,
    text: { title: prepared.text.title, clauses: prepared.text.clauses },
    contentHash: issued ? hashOf(setting, input.supervisee.id, input.academicYear, prepared) : null,
    issuedAt: issued ? new Date() : null,
    issuedBy: issued ? actor.actorId : null,
    reviewOn: prepared.reviewOn,
    supersedesId: input.supersedesId,
    createdBy: actor.actorId,
  })
}

async function openAndInForce(trx: DbOrTrx, organisationId: string, superviseeId: string) {
  const contracts = await contractsOfSupervisee(trx, organisationId, superviseeId, { live: true, forUpdate: true })
  return {
    open: contracts.find((c) => c.status === 'draft' || c.status === 'issued') ?? null,
    inForce: contracts.find((c) => c.status === 'signed') ?? null,
  }
}

function withTemplate(
  setting: ContractSetting | null,
): (ContractSetting & { template: Template }) | 'no-policy' | 'no-template' {
  if (!setting) return 'no-policy'
  if (!setting.template) return 'no-template'
  return setting as ContractSetting & { template: Template }
}

// ---------------------------------------------------------------------------------------------
// One contract

export interface NewContractInput extends Actor {
  schoolId: string
  superviseeId: string
  academicYear: string
  terms: TermsInput
  /** 'draft' saves it for later; 'issue' issues it to both parties now. */
  mode: 'draft' | 'issue'
  /**
   * A change of terms: the contract this replaces and the version the person saw. Without it, a
   * person who already has a contract for the year is refused (change that one instead).
   */
  replaces?: { id: string; version: number }
}

/**
 * MW-02: a new contract for one person (or, with `replaces`, a new version of theirs). An older
 * contract still waiting for signatures is superseded at once; one in force stays in force until
 * the new version is fully signed.
 */
export async function createContract(db: Db, input: NewContractInput): Promise<SaveContractResult> {
  const on = referenceDate(input.academicYear, input.today)
  return db.transaction().execute(async (trx): Promise<SaveContractResult> => {
    const supervisee = await lockSupervisee(trx, input.organisationId, input.schoolId, input.superviseeId)
    if (!supervisee) return errorOf('not-found')
    const setting = withTemplate(await contractSetting(trx, supervisee.schoolId, on))
    if (typeof setting === 'string') return errorOf(setting)
    const { open, inForce } = await openAndInForce(trx, input.organisationId, supervisee.id)

    let replaced: ContractRecord | null = null
    if (input.replaces) {
      replaced = [open, inForce].find((c) => c?.id === input.replaces?.id) ?? null
      if (!replaced || replaced.version !== input.replaces.version || replaced.status === 'draft')
        return errorOf('conflict')
      if (replaced === inForce && open) return { ok: false, kind: 'has-contract', contractId: open.id }
    } else {
      const sameYear = [open, inForce].find((c) => c !== null && c.academicYear === input.academicYear)
      if (sameYear) return { ok: false, kind: 'has-contract', contractId: sameYear.id }
    }

    const prepared = await prepareContract(trx, setting, supervisee, input.terms, {
      organisationId: input.organisationId,
      today: input.today,
      on,
      mode: input.mode === 'issue' ? 'complete' : 'draft',
    })
    if (!prepared.ok) return { ok: false, kind: 'invalid', errors: prepared.errors }

    // The one contract waiting for signatures (or a draft) gives way to the new one; the one in
    // force stays until the new version is signed, but its version moves on so that a second
    // change made from the same page is refused.
    if (open) await setContractStatus(trx, input.organisationId, open.id, 'superseded', new Date())
    if (replaced && replaced === inForce) {
      await setContractStatus(trx, input.organisationId, replaced.id, null, new Date())
    }
    const status = input.mode === 'issue' ? 'issued' : 'draft'
    const contractId = await insertContract(trx, {
      setting,
      supervisee,
      academicYear: input.academicYear,
      prepared: prepared.prepared,
      status,
      supersedesId: replaced?.id ?? open?.id ?? inForce?.id ?? null,
      actor: input,
    })
    if (status === 'issued') {
      await notifyParties(
        trx,
        contractId,
        setting,
        { supervisee: supervisee.id, supervisor: prepared.prepared.supervisorId },
        input,
      )
    }
    await recordAudit(trx, {
      action: status === 'issued' ? 'contract.issued' : 'contract.drafted',
      subjectType: 'contract',
      subjectId: contractId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: setting.school.id,
      detail: {
        superviseeId: supervisee.id,
        supervisorId: prepared.prepared.supervisorId,
        academicYear: input.academicYear,
        supersedesId: replaced?.id ?? open?.id ?? inForce?.id ?? null,
        agreedFrequency: prepared.prepared.terms.frequency !== null,
      },
    })
    return { ok: true, contractId, status }
  })
}

export interface DraftUpdateInput extends Actor {
  contractId: string
  expectedVersion: number
  terms: TermsInput
  mode: 'draft' | 'issue'
}

/** Saves a draft again, or issues it; refused when someone else changed it since it was read. */
export async function updateDraft(db: Db, input: DraftUpdateInput): Promise<SaveContractResult> {
  return db.transaction().execute(async (trx): Promise<SaveContractResult> => {
    const contract = await findContract(trx, input.organisationId, input.contractId, { forUpdate: true })
    if (!contract) return errorOf('not-found')
    if (contract.status !== 'draft' || contract.version !== input.expectedVersion) return errorOf('conflict')
    const supervisee = await lockSupervisee(trx, input.organisationId, contract.schoolId, contract.superviseeId)
    if (!supervisee) return errorOf('not-found')
    const on = referenceDate(contract.academicYear, input.today)
    const setting = withTemplate(await contractSetting(trx, contract.schoolId, on))
    if (typeof setting === 'string') return errorOf(setting)
    const prepared = await prepareContract(trx, setting, supervisee, input.terms, {
      organisationId: input.organisationId,
      today: input.today,
      on,
      mode: input.mode === 'issue' ? 'complete' : 'draft',
    })
    if (!prepared.ok) return { ok: false, kind: 'invalid', errors: prepared.errors }
    const p = prepared.prepared
    const issuing = input.mode === 'issue'
    const now = new Date()
    const updated = await updateDraftContract(
      trx,
      input.organisationId,
      contract.id,
      input.expectedVersion,
      {
        supervisorId: p.supervisorId,
        templateId: setting.template.id,
        templateVersion: setting.template.version,
        policyVersion: setting.policyVersion,
        agreed: p.terms,
        text: { title: p.text.title, clauses: p.text.clauses },
        reviewOn: p.reviewOn,
        status: issuing ? 'issued' : 'draft',
        contentHash: issuing ? hashOf(setting, supervisee.id, contract.academicYear, p) : null,
        issuedAt: issuing ? now : null,
        issuedBy: issuing ? input.actorId : null,
      },
      now,
    )
    if (!updated) return errorOf('conflict')
    if (issuing) {
      await notifyParties(trx, contract.id, setting, { supervisee: supervisee.id, supervisor: p.supervisorId }, input)
    }
    await recordAudit(trx, {
      action: issuing ? 'contract.issued' : 'contract.draft-saved',
      subjectType: 'contract',
      subjectId: contract.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: contract.schoolId,
      detail: { superviseeId: supervisee.id, supervisorId: p.supervisorId, academicYear: contract.academicYear },
    })
    return { ok: true, contractId: contract.id, status: issuing ? 'issued' : 'draft' }
  })
}

/** The form's answers for a stored contract: to edit a draft, change terms, or renew it for another year. */
export function storedTermsInput(
  contract: Pick<ContractRecord, 'supervisorId' | 'agreed'>,
  requirement: Requirement | null,
): TermsInput {
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(contract.agreed.values)) {
    if (key === 'agreedFrequency') continue
    values[key] = typeof value === 'object' && value !== null && 'personId' in value ? (value.personId ?? '') : value
  }
  return { supervisorId: contract.supervisorId, frequency: answerFor(requirement, contract.agreed.frequency), values }
}

// ---------------------------------------------------------------------------------------------
// Everyone in scope (MW-01, MW-02)

export interface BulkPreview {
  setting: ContractSetting & { template: Template }
  plan: BulkPlan
  /** Names the plan, so an issue made from an out-of-date preview is refused. */
  digest: string
}

function digestOf(plan: BulkPlan): string {
  const ids = plan.issue.map((c) => `${c.personId}:${c.supervisorId}`).sort()
  return createHash('sha256').update(ids.join('\n')).digest('base64url').slice(0, 22)
}

/** Who would get a contract for the year: everyone the policy requires, unless they have one or have no supervisor. */
export async function bulkPreview(
  db: Db,
  input: { schoolId: string; academicYear: string; today: IsoDate },
): Promise<BulkPreview | 'no-policy' | 'no-template'> {
  const on = referenceDate(input.academicYear, input.today)
  const setting = withTemplate(await contractSetting(db, input.schoolId, on))
  if (typeof setting === 'string') return setting
  let compliance: Awaited<ReturnType<typeof schoolCompliance>>
  try {
    compliance = await schoolCompliance(db, input.schoolId, on)
  } catch (error) {
    if (error instanceof NoPolicyError) return 'no-policy'
    throw error
  }
  const required = compliance.filter((c) => c.required)
  const ids = required.map((c) => c.personId)
  const organisationId = setting.school.organisationId
  const [supervisors, contracts, leavers] = await Promise.all([
    currentSupervisorsOf(db, organisationId, ids),
    yearContractStatuses(db, input.schoolId, ids, input.academicYear),
    peopleByIds(db, organisationId, ids),
  ])
  const supervisorPeople = await peopleByIds(
    db,
    organisationId,
    [...supervisors.values()].map((s) => s.id),
  )
  const leftSupervisors = new Set(
    [...supervisorPeople.values()].filter((p) => p.endDate !== null && p.endDate < input.today).map((p) => p.id),
  )
  const left = new Set([...leavers.values()].filter((p) => p.endDate !== null && p.endDate < on).map((p) => p.id))
  const candidates: BulkCandidate[] = required
    .filter((c) => !left.has(c.personId))
    .map((c) => {
      const supervisor = supervisors.get(c.personId)
      const usable = supervisor && !leftSupervisors.has(supervisor.id) ? supervisor : null
      return {
        personId: c.personId,
        name: c.name,
        required: true,
        reason: c.reason,
        supervisorId: usable?.id ?? null,
        supervisorName: usable?.name ?? null,
        contractForYear: contracts.find((k) => k.superviseeId === c.personId)?.status ?? null,
      }
    })
  const plan = planBulkIssue(candidates)
  return { setting, plan, digest: digestOf(plan) }
}

export type BulkIssueResult =
  | { ok: true; issued: number }
  | { ok: false; kind: 'invalid'; errors: ContractErrors }
  | { ok: false; kind: 'changed' }
  | { ok: false; kind: 'no-policy' | 'no-template' | 'nobody' }

/**
 * MW-02: issues a contract for the year to everyone in the preview, with the values given once
 * for all (venue, review date, who it is returned to ...) and the policy's frequency. All or
 * nothing: one problem and no contract is issued.
 */
export async function bulkIssue(
  db: Db,
  input: Actor & { schoolId: string; academicYear: string; digest: string; values: Record<string, unknown> },
): Promise<BulkIssueResult> {
  const preview = await bulkPreview(db, input)
  if (typeof preview === 'string') return { ok: false, kind: preview }
  if (preview.digest !== input.digest) return { ok: false, kind: 'changed' }
  if (preview.plan.issue.length === 0) return { ok: false, kind: 'nobody' }
  const on = referenceDate(input.academicYear, input.today)
  const { setting } = preview
  return db.transaction().execute(async (trx): Promise<BulkIssueResult> => {
    let issued = 0
    const toSign: ToSign[] = []
    for (const candidate of preview.plan.issue) {
      const supervisee = await lockSupervisee(trx, input.organisationId, input.schoolId, candidate.personId)
      if (!supervisee) return { ok: false, kind: 'changed' }
      const { open, inForce } = await openAndInForce(trx, input.organisationId, supervisee.id)
      if ([open, inForce].some((c) => c !== null && c.academicYear === input.academicYear))
        return { ok: false, kind: 'changed' }
      const prepared = await prepareContract(
        trx,
        setting,
        supervisee,
        { supervisorId: candidate.supervisorId, frequency: { choice: 'policy' }, values: input.values },
        { organisationId: input.organisationId, today: input.today, on, mode: 'complete' },
      )
      if (!prepared.ok) {
        if (prepared.errors.some(([f]) => f === 'supervisorId')) return { ok: false, kind: 'changed' }
        return { ok: false, kind: 'invalid', errors: prepared.errors }
      }
      if (open) await setContractStatus(trx, input.organisationId, open.id, 'superseded', new Date())
      const contractId = await insertContract(trx, {
        setting,
        supervisee,
        academicYear: input.academicYear,
        prepared: prepared.prepared,
        status: 'issued',
        supersedesId: open?.id ?? inForce?.id ?? null,
        actor: input,
      })
      toSign.push(
        ...(await partiesToTell(
          trx,
          contractId,
          setting,
          { supervisee: supervisee.id, supervisor: candidate.supervisorId },
          input,
        )),
      )
      issued++
    }
    // Issue 18: a supervisor of ten hears once, with the ten contracts listed.
    await askToSign(trx, toSign, input)
    await recordAudit(trx, {
      action: 'contract.issued-to-everyone',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { academicYear: input.academicYear, issued },
    })
    return { ok: true, issued }
  })
}
