/**
 * A trust's own policy and its academies' adoptions of it, as stored (issue 14, migration
 * 0016-trusts, ADR 0024). Both are versions never changed once written. Trust versions are scoped
 * by the trust's organisation, adoptions by the school (and its organisation) in every `where`.
 */
import type { IsoDate } from '../../domain/people/person.ts'
import type { AcademyOverrides, AdoptionVersion } from '../../domain/policy/adoption.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredTrustVersion {
  version: number
  effectiveFrom: IsoDate
  document: PolicyDocument
  backdatingReason: string | null
  createdAt: Date
}

export interface StoredAdoption extends AdoptionVersion {
  backdatingReason: string | null
  createdAt: Date
}

/** Every version of the trust's policy, oldest first (by number). */
export async function trustPolicyVersionsOf(db: DbOrTrx, organisationId: string): Promise<StoredTrustVersion[]> {
  const rows = await db
    .selectFrom('trust_policy_version')
    .select(['version', 'effective_from', 'document', 'backdating_reason', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('version')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    effectiveFrom: r.effective_from,
    document: r.document as PolicyDocument,
    backdatingReason: r.backdating_reason,
    createdAt: r.created_at,
  }))
}

/** The number of the trust's latest version, locked for the transaction; 0 when it has none. */
export async function lockLatestTrustVersion(trx: DbOrTrx, organisationId: string): Promise<number> {
  const row = await trx
    .selectFrom('trust_policy_version')
    .select('version')
    .where('organisation_id', '=', organisationId)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
  return row?.version ?? 0
}

export async function insertTrustPolicyVersion(
  db: DbOrTrx,
  organisationId: string,
  input: {
    version: number
    effectiveFrom: IsoDate
    document: PolicyDocument
    backdatingReason: string | null
    createdBy: string | null
  },
): Promise<void> {
  await db
    .insertInto('trust_policy_version')
    .values({
      organisation_id: organisationId,
      version: input.version,
      effective_from: input.effectiveFrom,
      document: JSON.stringify(input.document),
      backdating_reason: input.backdatingReason,
      created_by: input.createdBy,
    })
    .execute()
}

/** Every version of the school's adoption of its trust's policy, oldest first (by number). */
export async function adoptionsOf(db: DbOrTrx, organisationId: string, schoolId: string): Promise<StoredAdoption[]> {
  const rows = await db
    .selectFrom('policy_adoption')
    .select(['version', 'effective_from', 'overrides', 'backdating_reason', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('school_id', '=', schoolId)
    .orderBy('version')
    .execute()
  return rows.map(adoptionFromRow)
}

function adoptionFromRow(r: {
  version: number
  effective_from: string
  overrides: unknown
  backdating_reason: string | null
  created_at: Date
}): StoredAdoption {
  return {
    version: r.version,
    effectiveFrom: r.effective_from,
    overrides: r.overrides as AcademyOverrides,
    backdatingReason: r.backdating_reason,
    createdAt: r.created_at,
  }
}

/** The number of the school's latest adoption version, locked for the transaction; 0 when it has none. */
export async function lockLatestAdoption(trx: DbOrTrx, organisationId: string, schoolId: string): Promise<number> {
  const row = await trx
    .selectFrom('policy_adoption')
    .select('version')
    .where('organisation_id', '=', organisationId)
    .where('school_id', '=', schoolId)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
  return row?.version ?? 0
}

export async function insertAdoption(
  db: DbOrTrx,
  at: { organisationId: string; schoolId: string },
  input: {
    version: number
    effectiveFrom: IsoDate
    overrides: AcademyOverrides
    backdatingReason: string | null
    createdBy: string | null
  },
): Promise<void> {
  await db
    .insertInto('policy_adoption')
    .values({
      organisation_id: at.organisationId,
      school_id: at.schoolId,
      version: input.version,
      effective_from: input.effectiveFrom,
      overrides: JSON.stringify(input.overrides),
      backdating_reason: input.backdatingReason,
      created_by: input.createdBy,
    })
    .execute()
}

/** Whether the school has adopted its trust's policy (any adoption version). */
export async function hasAdopted(db: DbOrTrx, schoolId: string): Promise<boolean> {
  const row = await db
    .selectFrom('policy_adoption')
    .select('version')
    .where('school_id', '=', schoolId)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export interface AdoptionSources {
  academy: { name: string; trustName: string }
  trust: StoredTrustVersion[]
  adoptions: StoredAdoption[]
}

/**
 * What an academy's policy is composed from: its name and its trust's, the trust's versions and
 * the school's adoption versions. Empty lists when the school has adopted nothing (one query then).
 */
export async function adoptionSourcesOf(db: DbOrTrx, schoolId: string): Promise<AdoptionSources | null> {
  const adoptions = await db
    .selectFrom('policy_adoption as a')
    .innerJoin('school as s', (j) =>
      j.onRef('s.id', '=', 'a.school_id').onRef('s.organisation_id', '=', 'a.organisation_id'),
    )
    .innerJoin('organisation as o', 'o.id', 'a.organisation_id')
    .select([
      'a.version',
      'a.effective_from',
      'a.overrides',
      'a.backdating_reason',
      'a.created_at',
      'a.organisation_id',
      's.name as school_name',
      'o.name as trust_name',
    ])
    .where('a.school_id', '=', schoolId)
    .orderBy('a.version')
    .execute()
  const first = adoptions[0]
  if (!first) return null
  return {
    academy: { name: first.school_name, trustName: first.trust_name },
    trust: await trustPolicyVersionsOf(db, first.organisation_id),
    adoptions: adoptions.map(adoptionFromRow),
  }
}

/** Makes a single-school organisation a trust, under the trust's name (its schools, people and records stay). */
export async function makeTrust(db: DbOrTrx, organisationId: string, name: string): Promise<boolean> {
  const result = await db
    .updateTable('organisation')
    .set({ kind: 'trust', name })
    .where('id', '=', organisationId)
    .where('kind', '=', 'single-school')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
