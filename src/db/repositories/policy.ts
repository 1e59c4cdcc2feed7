/**
 * A school's supervision policy as stored (issue 13, point 1): its versions (never changed once
 * written, X-01) and the editor's one draft. Every function takes the school and puts it in the
 * `where` clause.
 */
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredPolicyVersion {
  version: number
  effectiveFrom: IsoDate
  packId: string | null
  createdAt: Date
  createdBy: string | null
  document: PolicyDocument
  /** Where it came from: 'setup', 'published', 'uploaded' or 'review' (migration 0014-identity). */
  origin: PolicyVersionOrigin
  /** Why it takes effect before the day it was saved, when it does. */
  backdatingReason: string | null
}

export type PolicyVersionOrigin = 'setup' | 'published' | 'uploaded' | 'review'

/** Every version of the school's policy, oldest first. */
export async function policyVersionsOf(db: DbOrTrx, schoolId: string): Promise<StoredPolicyVersion[]> {
  const rows = await db
    .selectFrom('policy_version')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('version')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    effectiveFrom: r.effective_from,
    packId: r.pack_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
    document: r.document as PolicyDocument,
    origin: r.origin as PolicyVersionOrigin,
    backdatingReason: r.backdating_reason,
  }))
}

/** The document of the school's latest policy version, or null when it has none. */
export async function latestPolicyDocument(db: DbOrTrx, schoolId: string): Promise<PolicyDocument | null> {
  const latest = await db
    .selectFrom('policy_version')
    .select('document')
    .where('school_id', '=', schoolId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return latest ? (latest.document as PolicyDocument) : null
}

/** The number and start of the school's latest version (locked when `forUpdate`), or null. */
export async function latestPolicyVersion(
  db: DbOrTrx,
  schoolId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ version: number; effectiveFrom: IsoDate } | null> {
  let query = db
    .selectFrom('policy_version')
    .select(['version', 'effective_from'])
    .where('school_id', '=', schoolId)
    .orderBy('version', 'desc')
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? { version: row.version, effectiveFrom: row.effective_from } : null
}

/** Writes a version of the school's policy. */
export async function insertPolicyVersion(
  db: DbOrTrx,
  schoolId: string,
  input: {
    version: number
    effectiveFrom: IsoDate
    document: PolicyDocument
    packId: string | null
    createdBy?: string | null
    origin?: PolicyVersionOrigin
    backdatingReason?: string | null
  },
): Promise<void> {
  await db
    .insertInto('policy_version')
    .values({
      school_id: schoolId,
      version: input.version,
      effective_from: input.effectiveFrom,
      document: JSON.stringify(input.document),
      pack_id: input.packId,
      ...(input.createdBy === undefined ? {} : { created_by: input.createdBy }),
      ...(input.origin === undefined ? {} : { origin: input.origin }),
      backdating_reason: input.backdatingReason ?? null,
    })
    .execute()
}

// --- The editor's draft ----------------------------------------------------------------------

/**
 * Whose draft: a school's (`policy_draft`) or its trust's (`trust_policy_draft`, issue 14). The two
 * tables have the same columns but their key, so each function below is written once, against the
 * school's table's types, and `draftTable` names the table and key the owner's draft is in.
 */
export type DraftOwner = { schoolId: string } | { trustId: string }

function draftTable(owner: DraftOwner): { table: 'policy_draft'; key: 'school_id'; id: string } {
  if ('schoolId' in owner) return { table: 'policy_draft', key: 'school_id', id: owner.schoolId }
  // The trust's table, typed as the school's: same columns, keyed by the trust's organisation.
  return { table: 'trust_policy_draft' as 'policy_draft', key: 'organisation_id' as 'school_id', id: owner.trustId }
}

export interface StoredPolicyDraft {
  document: PolicyDocument
  basedOnVersion: number
  version: number
  updatedBy: string | null
  updatedByName: string | null
  updatedAt: Date
}

/** The owner's draft, with the name of whoever saved it last; null when there is none. */
export async function policyDraftOf(db: DbOrTrx, owner: DraftOwner): Promise<StoredPolicyDraft | null> {
  const { table, key, id } = draftTable(owner)
  const row = await db
    .selectFrom(`${table} as d`)
    .leftJoin('person as p', 'p.id', 'd.updated_by')
    .select([
      'd.document',
      'd.based_on_version',
      'd.version',
      'd.updated_by',
      'd.updated_at',
      'p.name as updated_by_name',
    ])
    .where(`d.${key}`, '=', id)
    .executeTakeFirst()
  if (!row) return null
  return {
    document: row.document as PolicyDocument,
    basedOnVersion: row.based_on_version,
    version: row.version,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name ?? null,
    updatedAt: row.updated_at,
  }
}

/** The owner's draft, locked for the rest of the transaction; null when there is none. */
export async function lockPolicyDraft(
  trx: DbOrTrx,
  owner: DraftOwner,
): Promise<{ document: PolicyDocument; version: number; basedOnVersion: number } | null> {
  const { table, key, id } = draftTable(owner)
  const row = await trx
    .selectFrom(table)
    .select(['document', 'version', 'based_on_version'])
    .where(key, '=', id)
    .forUpdate()
    .executeTakeFirst()
  return row
    ? { document: row.document as PolicyDocument, version: row.version, basedOnVersion: row.based_on_version }
    : null
}

/** Creates the owner's draft; its version, or null when someone else created one first. */
export async function createPolicyDraft(
  trx: DbOrTrx,
  owner: DraftOwner,
  input: { document: PolicyDocument; basedOnVersion: number; updatedBy: string },
): Promise<number | null> {
  const { table, key, id } = draftTable(owner)
  const inserted = await trx
    .insertInto(table)
    .values({
      [key]: id,
      document: JSON.stringify(input.document),
      based_on_version: input.basedOnVersion,
      updated_by: input.updatedBy,
    } as { school_id: string; document: string; based_on_version: number; updated_by: string })
    .onConflict((oc) => oc.column(key).doNothing())
    .returning('version')
    .executeTakeFirst()
  return inserted?.version ?? null
}

/** Replaces the owner's draft of version `expectedVersion` with `document` as `version`. */
export async function updatePolicyDraft(
  trx: DbOrTrx,
  owner: DraftOwner,
  input: { document: PolicyDocument; expectedVersion: number; version: number; updatedBy: string; at: Date },
): Promise<void> {
  const { table, key, id } = draftTable(owner)
  await trx
    .updateTable(table)
    .set({
      document: JSON.stringify(input.document),
      version: input.version,
      updated_by: input.updatedBy,
      updated_at: input.at,
    })
    .where(key, '=', id)
    .where('version', '=', input.expectedVersion)
    .execute()
}

/**
 * Deletes the owner's draft (only when it is at `expectedVersion`, if given); the version it was
 * based on, or null when nothing was deleted.
 */
export async function deletePolicyDraft(
  trx: DbOrTrx,
  owner: DraftOwner,
  expectedVersion?: number,
): Promise<number | null> {
  const { table, key, id } = draftTable(owner)
  let query = trx.deleteFrom(table).where(key, '=', id)
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion)
  const deleted = await query.returning('based_on_version').executeTakeFirst()
  return deleted?.based_on_version ?? null
}
