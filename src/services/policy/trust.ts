/**
 * A trust's own policy and its academies' adoptions of it (issue 14, X-01, ADR 0024). The trust's
 * central team publishes trust versions; each academy adopts the trust's policy from a date and
 * keeps its additions and overrides as versions of its own. Neither kind of version is ever
 * changed, and a new one may not take effect before the last one, nor before today without a
 * reason (checkEffectiveDate, as for a school's own versions: today is the last judged date).
 * What an academy's policy is on a date is answered by its book (./on-date.ts).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { policyVersionsOf } from '../../db/repositories/policy.ts'
import { insertMissingCustomRoles } from '../../db/repositories/policy-lifecycle.ts'
import { organisationSummary, type SchoolSummary, schoolsOf } from '../../db/repositories/schools.ts'
import {
  adoptionsOf,
  insertAdoption,
  insertTrustPolicyVersion,
  lockLatestAdoption,
  lockLatestTrustVersion,
  makeTrust,
  type StoredAdoption,
  type StoredTrustVersion,
  trustPolicyVersionsOf,
} from '../../db/repositories/trust-policy.ts'
import type { IsoDate } from '../../domain/calendar/index.ts'
import {
  type AcademyOverrides,
  type AdoptionVersion,
  composeAcademyPolicy,
  noOverrides,
  type SourcedPolicy,
} from '../../domain/policy/adoption.ts'
import { looserFrequencyProblems } from '../../domain/policy/adoption-frequency.ts'
import {
  checkEffectiveDate,
  type ExistingVersion,
  type PolicyDocument,
  type PolicyProblem,
  templateReferenceProblems,
  validatePolicy,
} from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from './on-date.ts'
import { templateKindLookup } from './store.ts'

export type { StoredAdoption, StoredTrustVersion }

export type TrustResult = { ok: true; version: number } | { ok: false; problems: PolicyProblem[] }

const notATrust: PolicyProblem = {
  path: '',
  message: 'Only a trust keeps a trust policy: make the organisation a trust first',
}

export interface TrustPolicyOverview {
  kind: 'trust' | 'single-school'
  name: string
  trustVersions: StoredTrustVersion[]
  academies: { school: SchoolSummary; adoptions: StoredAdoption[] }[]
}

/** The trust's versions and, for each of its schools, its adoption versions. */
export async function trustPolicyOverview(db: DbOrTrx, organisationId: string): Promise<TrustPolicyOverview> {
  const [organisation, trustVersions, schools] = await Promise.all([
    organisationSummary(db, organisationId),
    trustPolicyVersionsOf(db, organisationId),
    schoolsOf(db, organisationId),
  ])
  const academies = await Promise.all(
    schools.map(async (school) => ({ school, adoptions: await adoptionsOf(db, organisationId, school.id) })),
  )
  return { kind: organisation.kind, name: organisation.name, trustVersions, academies }
}

function effectiveDateProblem(
  effectiveFrom: IsoDate,
  today: IsoDate,
  existing: ExistingVersion[],
  reason: string | null,
): PolicyProblem | null {
  const decision = checkEffectiveDate({ effectiveFrom, today, existing, reason })
  return decision.ok ? null : decision.problem
}

/**
 * Publishes a version of the trust's policy, in force from `effectiveFrom` in every academy that
 * adopted it, except for the rules an academy overrides. `document` is a whole policy (checked
 * like a school's), or null to start from `fromSchoolId`'s policy on that date (a school becoming
 * the trust's model keeps its own history: only the trust gets a copy).
 */
export async function publishTrustVersion(
  db: Db,
  input: {
    organisationId: string
    document: unknown
    fromSchoolId?: string | null
    effectiveFrom: IsoDate
    today: IsoDate
    reason: string | null
    actorId: string | null
  },
): Promise<TrustResult> {
  return db.transaction().execute((trx) => publishTrustVersionIn(trx, input))
}

/**
 * publishTrustVersion in the caller's transaction: the trust policy's editor publishes its draft
 * and clears it in one (issue 14). `detail` is added to the audit entry.
 */
export async function publishTrustVersionIn(
  trx: DbOrTrx,
  input: {
    organisationId: string
    document: unknown
    fromSchoolId?: string | null
    effectiveFrom: IsoDate
    today: IsoDate
    reason: string | null
    actorId: string | null
    detail?: Record<string, unknown>
  },
): Promise<TrustResult> {
  const organisation = await organisationSummary(trx, input.organisationId)
  if (organisation.kind !== 'trust') return { ok: false, problems: [notATrust] }
  const latest = await lockLatestTrustVersion(trx, input.organisationId)
  let document: unknown = input.document
  if (input.fromSchoolId) {
    const schools = await schoolsOf(trx, input.organisationId)
    const school = schools.find((s) => s.id === input.fromSchoolId)
    const from = school ? (await policyBook(trx, school.id)).on(input.effectiveFrom) : null
    if (!from) return { ok: false, problems: [{ path: 'source', message: 'Select a school that has a policy' }] }
    const { sources: _sources, ...copied } = from as SourcedPolicy
    document = { ...copied, metadata: { ...copied.metadata, school: organisation.name, trust: organisation.name } }
  }
  const checked = validatePolicy(document)
  if (!checked.ok) return checked
  const existing = (await trustPolicyVersionsOf(trx, input.organisationId)).map((v) => ({
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    automatic: false,
  }))
  const problem = effectiveDateProblem(input.effectiveFrom, input.today, existing, input.reason)
  if (problem) return { ok: false, problems: [problem] }
  const version = latest + 1
  // Each academy's changes must still make a valid policy with the new version (an extra
  // requirement naming a session type the trust dropped, say): refused, naming the academy.
  const trustDocument = { ...checked.policy, version, effectiveFrom: input.effectiveFrom }
  const academyProblems: PolicyProblem[] = []
  for (const school of await schoolsOf(trx, input.organisationId)) {
    const adoption = (await adoptionsOf(trx, input.organisationId, school.id)).at(-1)
    if (!adoption) continue
    const { sources: _sources, ...composed } = composeAcademyPolicy(trustDocument, adoption, {
      name: school.name,
      trustName: organisation.name,
    })
    // A trust amendment may not leave an academy's frequency looser than the trust's (issue 14).
    academyProblems.push(
      ...looserFrequencyProblems(trustDocument, adoption.overrides).map((p) => ({
        path: p.path,
        message: `With ${school.name}'s changes: ${p.message}`,
      })),
    )
    const result = validatePolicy(composed)
    if (!result.ok)
      academyProblems.push(
        ...result.problems.map((p) => ({ path: p.path, message: `With ${school.name}'s changes: ${p.message}` })),
      )
  }
  if (academyProblems.length > 0) return { ok: false, problems: academyProblems }
  const backdatingReason = input.effectiveFrom < input.today ? input.reason?.trim() || null : null
  await insertTrustPolicyVersion(trx, input.organisationId, {
    version,
    effectiveFrom: input.effectiveFrom,
    document: trustDocument,
    backdatingReason,
    createdBy: input.actorId,
  })
  await recordAudit(trx, {
    action: 'trust-policy.version-published',
    subjectType: 'policy',
    subjectId: null,
    actorId: input.actorId,
    organisationId: input.organisationId,
    schoolId: null,
    detail: {
      version,
      effectiveFrom: input.effectiveFrom,
      ...(input.fromSchoolId ? { fromSchoolId: input.fromSchoolId } : {}),
      ...(backdatingReason ? { backdatingReason } : {}),
      ...input.detail,
    },
  })
  return { ok: true, version }
}

/** One version of the trust's policy, or null. */
export async function trustVersion(
  db: DbOrTrx,
  organisationId: string,
  version: number,
): Promise<StoredTrustVersion | null> {
  return (await trustPolicyVersionsOf(db, organisationId)).find((v) => v.version === version) ?? null
}

export interface AcademyAdoption {
  school: SchoolSummary
  trustName: string
  trustVersions: StoredTrustVersion[]
  adoptions: StoredAdoption[]
  /** The overrides of the latest adoption version: what the next change starts from. */
  overrides: AcademyOverrides
  /** The newest trust version with the latest overrides: the rules the forms offer. */
  preview: SourcedPolicy | null
}

/** An academy of the trust with its adoption, or null when the school is not the trust's. */
export async function academyAdoption(
  db: DbOrTrx,
  organisationId: string,
  schoolSlug: string,
): Promise<AcademyAdoption | null> {
  const [organisation, schools, trustVersions] = await Promise.all([
    organisationSummary(db, organisationId),
    schoolsOf(db, organisationId),
    trustPolicyVersionsOf(db, organisationId),
  ])
  const school = schools.find((s) => s.slug === schoolSlug)
  if (!school) return null
  const adoptions = await adoptionsOf(db, organisationId, school.id)
  const latestAdoption = adoptions.at(-1)
  const overrides = latestAdoption?.overrides ?? noOverrides
  const latestTrust = trustVersions.at(-1)
  const preview = latestTrust
    ? composeAcademyPolicy(
        latestTrust.document,
        { version: latestAdoption?.version ?? 1, effectiveFrom: latestTrust.effectiveFrom, overrides },
        { name: school.name, trustName: organisation.name },
      )
    : null
  return { school, trustName: organisation.name, trustVersions, adoptions, overrides, preview }
}

/**
 * Saves the academy's next adoption version: `change` turns the latest overrides into the new
 * ones (the first adoption starts from none). The trust's newest version with the new overrides
 * must be a valid policy naming templates the academy has; the date may not be before the
 * academy's last adoption (or, for its first, its own last saved version), nor before today
 * without a reason. Nothing is written when there is any problem.
 */
export interface AdoptionInput {
  organisationId: string
  schoolId: string
  change: (overrides: AcademyOverrides) => AcademyOverrides
  effectiveFrom: IsoDate
  today: IsoDate
  reason: string | null
  actorId: string | null
  action: string
}

export async function saveAdoption(db: Db, input: AdoptionInput): Promise<TrustResult> {
  return db.transaction().execute((trx) => saveAdoptionIn(trx, input))
}

/** saveAdoption in the caller's transaction: a school becoming or joining a trust adopts in the same one. */
export async function saveAdoptionIn(trx: DbOrTrx, input: AdoptionInput): Promise<TrustResult> {
  {
    const organisation = await organisationSummary(trx, input.organisationId)
    if (organisation.kind !== 'trust') return { ok: false, problems: [notATrust] }
    const schools = await schoolsOf(trx, input.organisationId)
    const school = schools.find((s) => s.id === input.schoolId)
    if (!school) return { ok: false, problems: [{ path: '', message: 'The school is not part of the trust' }] }
    const latest = await lockLatestAdoption(trx, input.organisationId, school.id)
    const adoptions = await adoptionsOf(trx, input.organisationId, school.id)
    const trustVersions = await trustPolicyVersionsOf(trx, input.organisationId)
    const newestTrust = trustVersions.at(-1)
    if (!newestTrust)
      return {
        ok: false,
        problems: [{ path: '', message: 'The trust has no policy yet: publish the trust policy first' }],
      }
    const overrides = input.change(adoptions.at(-1)?.overrides ?? noOverrides)
    const version = latest + 1
    const adoption: AdoptionVersion = { version, effectiveFrom: input.effectiveFrom, overrides }
    const problems: PolicyProblem[] = []
    // Every trust version the adoption would meet must make a valid policy with it.
    for (const trust of trustVersions.filter((t) => t.effectiveFrom >= input.effectiveFrom || t === newestTrust)) {
      // An academy may make the trust's frequencies stricter, never looser (issue 14).
      problems.push(...looserFrequencyProblems(trust.document, overrides))
      if (problems.length > 0) break
      const { sources: _sources, ...composed } = composeAcademyPolicy(trust.document, adoption, {
        name: school.name,
        trustName: organisation.name,
      })
      const checked = validatePolicy(composed)
      if (!checked.ok) problems.push(...checked.problems)
      else
        problems.push(
          ...templateReferenceProblems(checked.policy, await templateKindLookup(trx, school.id, checked.policy)),
        )
      if (problems.length > 0) break
    }
    const existing: ExistingVersion[] =
      adoptions.length > 0
        ? adoptions.map((a) => ({ version: a.version, effectiveFrom: a.effectiveFrom, automatic: false }))
        : (await policyVersionsOf(trx, school.id)).map((v) => ({
            version: v.version,
            effectiveFrom: v.effectiveFrom,
            automatic: v.origin === 'setup',
          }))
    const problem = effectiveDateProblem(input.effectiveFrom, input.today, existing, input.reason)
    if (problem) problems.unshift(problem)
    if (problems.length > 0) return { ok: false, problems }
    const backdatingReason = input.effectiveFrom < input.today ? input.reason?.trim() || null : null
    await insertAdoption(
      trx,
      { organisationId: input.organisationId, schoolId: school.id },
      { version, effectiveFrom: input.effectiveFrom, overrides, backdatingReason, createdBy: input.actorId },
    )
    // The roles the trust's policy declares are created for the academy, as publishing does (issue 14).
    await insertMissingCustomRoles(trx, input.organisationId, school.id, newestTrust.document.customRoles)
    await recordAudit(trx, {
      action: input.action,
      subjectType: 'policy',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: school.id,
      detail: {
        adoptionVersion: version,
        effectiveFrom: input.effectiveFrom,
        ...(backdatingReason ? { backdatingReason } : {}),
      },
    })
    return { ok: true, version }
  }
}

export type BecomeTrustResult = { ok: true } | { ok: false; field: string; message: string }

/**
 * A single school becomes a trust (issue 14, ADR 0050), in one transaction: the organisation is
 * renamed and made a trust; the trust's first version is the school's own policy in force on
 * `firstAcademyFrom`; and the school, the trust's first academy, follows it from that date with no
 * changes of its own. Its people, its own policy versions (which still govern every day before),
 * sessions, records and audit stay as they are, so no past day is judged again. Nothing is
 * written when any step is refused.
 */
export async function becomeTrust(
  db: Db,
  input: {
    organisationId: string
    name: string
    firstAcademyFrom: IsoDate
    today: IsoDate
    reason: string | null
    actorId: string
  },
): Promise<BecomeTrustResult> {
  class Refused extends Error {
    readonly result: Extract<BecomeTrustResult, { ok: false }>
    constructor(result: Extract<BecomeTrustResult, { ok: false }>) {
      super(result.message)
      this.result = result
    }
  }
  try {
    return await db.transaction().execute(async (trx): Promise<BecomeTrustResult> => {
      const schools = await schoolsOf(trx, input.organisationId)
      if (!(await makeTrust(trx, input.organisationId, input.name)))
        return { ok: false, field: 'name', message: 'The organisation is already a trust' }
      const school = schools.length === 1 ? schools[0]! : null
      const fail = (problems: PolicyProblem[]) => {
        const first = problems[0]
        const field = first?.path === 'effectiveFrom' || first?.path === 'reason' ? first.path : 'effectiveFrom'
        throw new Refused({
          ok: false,
          field,
          message: first?.message ?? 'The school could not follow the trust policy',
        })
      }
      if (school) {
        const published = await publishTrustVersionIn(trx, {
          organisationId: input.organisationId,
          document: null,
          fromSchoolId: school.id,
          effectiveFrom: input.firstAcademyFrom,
          today: input.today,
          reason: input.reason,
          actorId: input.actorId,
        })
        if (!published.ok) fail(published.problems)
        const adopted = await saveAdoptionIn(trx, {
          organisationId: input.organisationId,
          schoolId: school.id,
          change: () => noOverrides,
          effectiveFrom: input.firstAcademyFrom,
          today: input.today,
          reason: input.reason,
          actorId: input.actorId,
          action: 'trust-policy.adopted',
        })
        if (!adopted.ok) fail(adopted.problems)
      }
      await recordAudit(trx, {
        action: 'organisation.became-trust',
        subjectType: 'organisation',
        subjectId: input.organisationId,
        actorId: input.actorId,
        organisationId: input.organisationId,
        schoolId: school?.id ?? null,
        detail: school ? { firstAcademyFrom: input.firstAcademyFrom } : {},
      })
      return { ok: true }
    })
  } catch (error) {
    if (error instanceof Refused) return error.result
    throw error
  }
}

export type { PolicyDocument }
