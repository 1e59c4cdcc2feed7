/**
 * The policy editor's draft (issue 5): a working copy of the school's policy, changed section by
 * section in forms and published as a new version. One draft per school. Every save names
 * the draft version it was made from, so when two people edit at once the second save is refused
 * (optimistic locking) and nothing is overwritten. A draft may hold problems while it is being
 * edited; publishing refuses until validatePolicy finds none.
 */

import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { type PolicyDocument, type PolicyProblem, validatePolicy } from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { policyVersions } from './store.ts'

export interface PolicyDraft {
  /** May hold problems (validatePolicy lists them); its shape is always a policy document's. */
  document: PolicyDocument
  basedOnVersion: number
  /** Optimistic-locking version: 1 for a new draft, one more at every save. */
  version: number
  updatedBy: string | null
  updatedByName: string | null
  updatedAt: Date
}

/** What the editor works on: the draft, or a copy of the latest version when there is none yet. */
export interface WorkingCopy {
  document: PolicyDocument
  /** The draft's version; 0 when there is no draft yet (the first save creates it). */
  draftVersion: number
  draft: PolicyDraft | null
  latestVersion: number
  latestEffectiveFrom: IsoDate | null
}

export async function loadDraft(db: Db, schoolId: string): Promise<PolicyDraft | null> {
  const row = await db
    .selectFrom('policy_draft as d')
    .leftJoin('person as p', 'p.id', 'd.updated_by')
    .select([
      'd.document',
      'd.based_on_version',
      'd.version',
      'd.updated_by',
      'd.updated_at',
      'p.name as updated_by_name',
    ])
    .where('d.school_id', '=', schoolId)
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

/** The draft, or the latest version to start one from; null when the school has no policy at all. */
export async function workingCopy(db: Db, schoolId: string): Promise<WorkingCopy | null> {
  const [draft, versions] = await Promise.all([loadDraft(db, schoolId), policyVersions(db, schoolId)])
  const latest = versions.at(-1) ?? null
  if (draft) {
    return {
      document: draft.document,
      draftVersion: draft.version,
      draft,
      latestVersion: latest?.version ?? 0,
      latestEffectiveFrom: latest?.effectiveFrom ?? null,
    }
  }
  if (!latest) return null
  return {
    document: structuredClone(latest.document),
    draftVersion: 0,
    draft: null,
    latestVersion: latest.version,
    latestEffectiveFrom: latest.effectiveFrom,
  }
}

export type DraftSaveResult = { ok: true; version: number } | { ok: false; conflict: true }

export interface DraftScope {
  schoolId: string
  organisationId: string
  actorId: string
}

/**
 * Saves the draft. `expectedVersion` is the draft version the change was made from (0: there was
 * no draft); anything else in the database means someone else saved first, and nothing is written.
 * `section` is a code recorded in the audit log (never content).
 */
export async function saveDraft(
  db: Db,
  input: DraftScope & { document: PolicyDocument; expectedVersion: number; section: string },
): Promise<DraftSaveResult> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('policy_draft')
      .select('version')
      .where('school_id', '=', input.schoolId)
      .forUpdate()
      .executeTakeFirst()
    let version: number
    if (input.expectedVersion === 0) {
      if (existing) return { ok: false, conflict: true } as const
      const latest = await trx
        .selectFrom('policy_version')
        .select('version')
        .where('school_id', '=', input.schoolId)
        .orderBy('version', 'desc')
        .executeTakeFirst()
      const inserted = await trx
        .insertInto('policy_draft')
        .values({
          school_id: input.schoolId,
          document: JSON.stringify(input.document),
          based_on_version: latest?.version ?? 0,
          updated_by: input.actorId,
        })
        .onConflict((oc) => oc.column('school_id').doNothing())
        .returning('version')
        .executeTakeFirst()
      // Someone else created the draft between our read and our insert.
      if (!inserted) return { ok: false, conflict: true } as const
      version = inserted.version
    } else {
      if (!existing || existing.version !== input.expectedVersion) return { ok: false, conflict: true } as const
      version = existing.version + 1
      await trx
        .updateTable('policy_draft')
        .set({ document: JSON.stringify(input.document), version, updated_by: input.actorId, updated_at: new Date() })
        .where('school_id', '=', input.schoolId)
        .where('version', '=', input.expectedVersion)
        .execute()
    }
    await recordAudit(trx, {
      action: 'policy.draft-saved',
      subjectType: 'policy-draft',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { section: input.section, draftVersion: version },
    })
    return { ok: true, version } as const
  })
}

/** Throws the draft away. Refused (conflict) when it changed since `expectedVersion`. */
export async function discardDraft(db: Db, input: DraftScope & { expectedVersion: number }): Promise<DraftSaveResult> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('policy_draft')
      .where('school_id', '=', input.schoolId)
      .where('version', '=', input.expectedVersion)
      .returning('based_on_version')
      .executeTakeFirst()
    if (!deleted) return { ok: false, conflict: true } as const
    await recordAudit(trx, {
      action: 'policy.draft-discarded',
      subjectType: 'policy-draft',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { draftVersion: input.expectedVersion, basedOnVersion: deleted.based_on_version },
    })
    return { ok: true, version: 0 } as const
  })
}

export type PublishResult =
  | { ok: true; version: number }
  | { ok: false; conflict: true }
  | { ok: false; problems: PolicyProblem[] }
  | { ok: false; tooEarly: { version: number; effectiveFrom: IsoDate } }

/**
 * Publishes the draft as the school's next policy version, in force from `effectiveFrom`, which
 * may not be earlier than the latest version's (that would rewrite history, X-01). In one
 * transaction: the version is written, the audit entry recorded and the draft cleared; a draft
 * with any problem, or one changed since `expectedVersion`, writes nothing.
 */
export async function publishDraft(
  db: Db,
  input: DraftScope & { expectedVersion: number; effectiveFrom: IsoDate },
): Promise<PublishResult> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom('policy_draft')
      .select(['document', 'version', 'based_on_version'])
      .where('school_id', '=', input.schoolId)
      .forUpdate()
      .executeTakeFirst()
    if (!draft || draft.version !== input.expectedVersion) return { ok: false, conflict: true } as const
    const checked = validatePolicy(draft.document)
    if (!checked.ok) return { ok: false, problems: checked.problems } as const
    const latest = await trx
      .selectFrom('policy_version')
      .select(['version', 'effective_from'])
      .where('school_id', '=', input.schoolId)
      .orderBy('version', 'desc')
      .forUpdate()
      .executeTakeFirst()
    if (latest && input.effectiveFrom < latest.effective_from) {
      return { ok: false, tooEarly: { version: latest.version, effectiveFrom: latest.effective_from } } as const
    }
    const version = (latest?.version ?? 0) + 1
    const document: PolicyDocument = { ...checked.policy, version, effectiveFrom: input.effectiveFrom }
    await trx
      .insertInto('policy_version')
      .values({
        school_id: input.schoolId,
        version,
        effective_from: input.effectiveFrom,
        document: JSON.stringify(document),
        pack_id: null,
        created_by: input.actorId,
      })
      .execute()
    await trx.deleteFrom('policy_draft').where('school_id', '=', input.schoolId).execute()
    await recordAudit(trx, {
      action: 'policy.draft-published',
      subjectType: 'policy',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { version, effectiveFrom: input.effectiveFrom, basedOnVersion: draft.based_on_version },
    })
    return { ok: true, version } as const
  })
}
