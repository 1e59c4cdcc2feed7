/**
 * The school's policy versions. A new version never changes an earlier one: compliance on
 * any date is judged by the version in force that day. Saving validates the whole document and
 * writes nothing when there is any problem.
 */

import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  insertPolicyVersion,
  latestPolicyVersion,
  type PolicyVersionOrigin,
  policyVersionsOf,
  type StoredPolicyVersion,
} from '../../db/repositories/policy.ts'
import { insertMissingCustomRoles } from '../../db/repositories/policy-lifecycle.ts'
import { hasAdopted } from '../../db/repositories/trust-policy.ts'
import { academicYearBounds, academicYearIdFor, parseAcademicYearId } from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  adoptForSchool,
  checkEffectiveDate,
  type PolicyDocument,
  type PolicyProblem,
  templateReferenceProblems,
  validatePolicy,
} from '../../domain/policy/index.ts'
import { blankPolicy, isPackId, loadPack } from '../../packs/index.ts'
import { recordAudit } from '../audit.ts'
import { policyTemplateIds, resolveTemplate } from '../records/templates.ts'

export type { StoredPolicyVersion }

export async function policyVersions(db: DbOrTrx, schoolId: string): Promise<StoredPolicyVersion[]> {
  return policyVersionsOf(db, schoolId)
}

export type SavePolicyResult = { ok: true; version: number } | { ok: false; problems: PolicyProblem[] }

/** The kind of the school's template with this id (its own, else a built-in one), or null. */
export async function templateKindLookup(
  db: DbOrTrx,
  schoolId: string,
  policy: PolicyDocument,
): Promise<(templateId: string) => 'record' | 'agenda' | 'preparation' | 'contract' | null> {
  const kinds = new Map<string, 'record' | 'agenda' | 'preparation' | 'contract' | null>()
  for (const id of policyTemplateIds(policy)) kinds.set(id, (await resolveTemplate(db, schoolId, id))?.kind ?? null)
  return (id) => kinds.get(id) ?? null
}

/**
 * Everything a new version must pass besides its own validation (issue 14, X-01): the templates
 * it names exist for the school and are of the right kind, and its effective date rewrites no
 * compliance already judged (checkEffectiveDate: today is the last judged date). Problems carry
 * the field's path: `effectiveFrom`, `reason`, or the template's JSON path.
 */
export async function publishProblems(
  trx: DbOrTrx,
  input: {
    schoolId: string
    policy: PolicyDocument
    effectiveFrom: IsoDate
    today: IsoDate
    reason: string | null
    /** An import of older versions (a file): the automatic first version does not hold it back. */
    importing: boolean
  },
): Promise<PolicyProblem[]> {
  // An academy that adopted its trust's policy changes it through its overrides (ADR 0024).
  if (await hasAdopted(trx, input.schoolId))
    return [
      {
        path: '',
        message:
          "This school follows its trust's policy: the trust's central team changes its additions and overrides on the trust policy pages",
      },
    ]
  const problems = templateReferenceProblems(input.policy, await templateKindLookup(trx, input.schoolId, input.policy))
  const existing = (await policyVersionsOf(trx, input.schoolId)).map((v) => ({
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    automatic: input.importing && v.origin === 'setup',
  }))
  const decision = checkEffectiveDate({
    effectiveFrom: input.effectiveFrom,
    today: input.today,
    existing,
    reason: input.reason,
  })
  if (!decision.ok) problems.unshift(decision.problem)
  return problems
}

/** Writes a checked version, makes the roles it declares the school's own, and audits it. */
export async function writeVersion(
  trx: DbOrTrx,
  input: {
    schoolId: string
    organisationId: string
    policy: PolicyDocument
    effectiveFrom: IsoDate
    today: IsoDate
    reason: string | null
    packId: string | null
    actorId: string | null
    origin: PolicyVersionOrigin
    action: string
    detail?: Record<string, unknown>
  },
): Promise<number> {
  const latest = await latestPolicyVersion(trx, input.schoolId, { forUpdate: true })
  const version = (latest?.version ?? 0) + 1
  const document: PolicyDocument = { ...input.policy, version, effectiveFrom: input.effectiveFrom }
  const backdatingReason = input.effectiveFrom < input.today ? input.reason?.trim() || null : null
  await insertPolicyVersion(trx, input.schoolId, {
    version,
    effectiveFrom: input.effectiveFrom,
    document,
    packId: input.packId,
    createdBy: input.actorId,
    origin: input.origin,
    backdatingReason,
  })
  // Roles the policy declares are created for the school when it is published (issue 14).
  const rolesAdded = await insertMissingCustomRoles(trx, input.organisationId, input.schoolId, document.customRoles)
  await recordAudit(trx, {
    action: input.action,
    subjectType: 'policy',
    subjectId: null,
    actorId: input.actorId,
    organisationId: input.organisationId,
    schoolId: input.schoolId,
    detail: {
      version,
      effectiveFrom: input.effectiveFrom,
      ...(backdatingReason ? { backdatingReason } : {}),
      ...(rolesAdded.length > 0 ? { rolesAdded } : {}),
      ...input.detail,
    },
  })
  return version
}

/**
 * Saves a document as the school's next version, in force from `effectiveFrom`. A version may not
 * take effect before the latest one the school saved (that would rewrite history), nor before
 * today without a reason (X-01, checkEffectiveDate); it may not name a template the school does
 * not have. Nothing is written when there is any problem.
 */
export async function savePolicyVersion(
  db: Db,
  input: {
    schoolId: string
    organisationId: string
    document: unknown
    effectiveFrom?: IsoDate
    packId?: string | null
    actorId: string | null
    /** The school's today; the day compliance was last judged. */
    today: IsoDate
    /** Why a version takes effect before today, when it does. */
    reason?: string | null
    origin?: PolicyVersionOrigin
  },
): Promise<SavePolicyResult> {
  const checked = validatePolicy(input.document)
  if (!checked.ok) return checked
  return db.transaction().execute(async (trx) => {
    await latestPolicyVersion(trx, input.schoolId, { forUpdate: true })
    const effectiveFrom = input.effectiveFrom ?? checked.policy.effectiveFrom
    const reason = input.reason ?? null
    const problems = await publishProblems(trx, {
      schoolId: input.schoolId,
      policy: checked.policy,
      effectiveFrom,
      today: input.today,
      reason,
      importing: true,
    })
    if (problems.length > 0) return { ok: false, problems } as const
    const version = await writeVersion(trx, {
      schoolId: input.schoolId,
      organisationId: input.organisationId,
      policy: checked.policy,
      effectiveFrom,
      today: input.today,
      reason,
      packId: input.packId ?? null,
      actorId: input.actorId,
      origin: input.origin ?? 'uploaded',
      action: 'policy.version-saved',
      detail: { packId: input.packId ?? null },
    })
    return { ok: true, version } as const
  })
}

/** The first day of the academic year containing `today`: when an adopted policy takes effect. */
export function startOfAcademicYear(today: IsoDate): IsoDate {
  return academicYearBounds(parseAcademicYearId(academicYearIdFor(today))!.startYear).start
}

/** What a school tells Haven about its policy at set-up (issue 14): all optional. */
export interface AdoptionDetails {
  trust?: string | null
  ownerName?: string | null
  approvedBy?: string | null
  approvedOn?: IsoDate | null
  nextReviewDue?: IsoDate | null
}

/**
 * A pack's policy, or a blank one, made the school's own (issue 14): its name, lead, approver and
 * dates, none of the seed school's; effective this academic year; its first review one cycle
 * after today unless the school gave a date.
 */
export function adoptablePolicy(
  packId: string,
  schoolName: string,
  today: IsoDate,
  details: AdoptionDetails = {},
): PolicyDocument {
  const effectiveFrom = startOfAcademicYear(today)
  const blank = packId === 'blank' || !isPackId(packId)
  const pack = blank ? blankPolicy({ school: schoolName, effectiveFrom }) : loadPack(packId)
  const own = adoptForSchool(
    pack,
    {
      school: schoolName,
      trust: details.trust ?? null,
      ownerName: details.ownerName ?? null,
      approvedBy: details.approvedBy ?? null,
      approvedOn: details.approvedOn ?? null,
      nextReviewDue: details.nextReviewDue ?? null,
      createdOn: today,
    },
    blank || pack.metadata.school === schoolName ? null : pack.metadata.school,
  )
  return { ...own, effectiveFrom }
}
