/**
 * The policy editor's draft (issue 5): a working copy of the school's policy, changed section by
 * section in forms and published as a new version. One draft per school. Every save names
 * the draft version it was made from, so when two people edit at once the second save is refused
 * (optimistic locking) and nothing is overwritten. A draft may hold problems while it is being
 * edited; publishing refuses until validatePolicy finds none.
 */

import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  createPolicyDraft,
  type DraftOwner,
  deletePolicyDraft,
  latestPolicyVersion,
  lockPolicyDraft,
  policyDraftOf,
  updatePolicyDraft,
} from '../../db/repositories/policy.ts'
import { trustPolicyVersionsOf } from '../../db/repositories/trust-policy.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { carryReview, type PolicyDocument, type PolicyProblem, validatePolicy } from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { policyVersions, publishProblems, writeVersion } from './store.ts'
import { publishTrustVersionIn } from './trust.ts'

export type { DraftOwner }

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

export async function loadDraft(db: Db, owner: DraftOwner): Promise<PolicyDraft | null> {
  return policyDraftOf(db, owner)
}

/** The owner's versions, oldest first: a school's own, or its trust's (issue 14). */
async function versionsOf(
  db: DbOrTrx,
  owner: DraftOwner,
): Promise<{ version: number; effectiveFrom: IsoDate; document: PolicyDocument }[]> {
  return 'schoolId' in owner ? policyVersions(db, owner.schoolId) : trustPolicyVersionsOf(db, owner.trustId)
}

/**
 * The draft, or the latest version to start one from; null when the school (or the trust) has no
 * policy at all.
 */
export async function workingCopy(db: Db, owner: DraftOwner): Promise<WorkingCopy | null> {
  const [draft, versions] = await Promise.all([loadDraft(db, owner), versionsOf(db, owner)])
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

/** Who saves, and whose draft: the school's, or (with no school) the trust's of the organisation. */
export interface DraftScope {
  schoolId: string | null
  organisationId: string
  actorId: string
}

export function ownerOf(scope: { schoolId: string | null; organisationId: string }): DraftOwner {
  return scope.schoolId === null ? { trustId: scope.organisationId } : { schoolId: scope.schoolId }
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
    const owner = ownerOf(input)
    const existing = await lockPolicyDraft(trx, owner)
    let version: number
    if (input.expectedVersion === 0) {
      if (existing) return { ok: false, conflict: true } as const
      const latest = (await versionsOf(trx, owner)).at(-1)
      const inserted = await createPolicyDraft(trx, owner, {
        document: input.document,
        basedOnVersion: latest?.version ?? 0,
        updatedBy: input.actorId,
      })
      // Someone else created the draft between our read and our insert.
      if (inserted === null) return { ok: false, conflict: true } as const
      version = inserted
    } else {
      if (!existing || existing.version !== input.expectedVersion) return { ok: false, conflict: true } as const
      version = existing.version + 1
      await updatePolicyDraft(trx, owner, {
        document: input.document,
        expectedVersion: input.expectedVersion,
        version,
        updatedBy: input.actorId,
        at: new Date(),
      })
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
    const basedOnVersion = await deletePolicyDraft(trx, ownerOf(input), input.expectedVersion)
    if (basedOnVersion === null) return { ok: false, conflict: true } as const
    await recordAudit(trx, {
      action: 'policy.draft-discarded',
      subjectType: 'policy-draft',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { draftVersion: input.expectedVersion, basedOnVersion },
    })
    return { ok: true, version: 0 } as const
  })
}

export type PublishResult =
  | { ok: true; version: number }
  | { ok: false; conflict: true }
  | { ok: false; problems: PolicyProblem[] }
  | { ok: false; tooEarly: { version: number; effectiveFrom: IsoDate } }
  /** Refused for its effective date (path `effectiveFrom` or `reason`) or a template the school lacks (its path). */
  | { ok: false; refused: PolicyProblem[] }

/**
 * Publishes the draft as the school's next policy version, in force from `effectiveFrom`, which
 * may not be earlier than the latest version's (that would rewrite history, X-01), nor before
 * `today` without a reason (publishProblems); the templates it names must be the school's. In one
 * transaction: the version is written, the roles it declares created, the audit entry recorded
 * and the draft cleared; a draft with any problem, or one changed since `expectedVersion`, writes
 * nothing.
 */
export async function publishDraft(
  db: Db,
  input: DraftScope & { expectedVersion: number; effectiveFrom: IsoDate; today: IsoDate; reason?: string | null },
): Promise<PublishResult> {
  return db.transaction().execute(async (trx): Promise<PublishResult> => {
    const owner = ownerOf(input)
    const draft = await lockPolicyDraft(trx, owner)
    if (!draft || draft.version !== input.expectedVersion) return { ok: false, conflict: true } as const
    const checked = validatePolicy(draft.document)
    if (!checked.ok) return { ok: false, problems: checked.problems } as const
    if (!('schoolId' in owner)) {
      // The trust's policy (issue 14): published as a trust version, checked with every academy's changes.
      const published = await publishTrustVersionIn(trx, {
        organisationId: owner.trustId,
        document: checked.policy,
        effectiveFrom: input.effectiveFrom,
        today: input.today,
        reason: input.reason ?? null,
        actorId: input.actorId,
        detail: { fromDraft: true, basedOnVersion: draft.basedOnVersion },
      })
      if (!published.ok) return { ok: false, refused: published.problems } as const
      await deletePolicyDraft(trx, owner)
      return published
    }
    const schoolId = owner.schoolId
    await latestPolicyVersion(trx, schoolId, { forUpdate: true })
    // A review recorded since the draft was started is kept.
    const reviews = (await policyVersions(trx, schoolId)).filter(
      (v) => v.origin === 'review' && v.version > draft.basedOnVersion,
    )
    const review = reviews.at(-1)
    const policy = review ? carryReview(checked.policy, review.document) : checked.policy
    const refused = await publishProblems(trx, {
      schoolId,
      policy,
      effectiveFrom: input.effectiveFrom,
      today: input.today,
      reason: input.reason ?? null,
      importing: false,
    })
    if (refused.length > 0) return { ok: false, refused } as const
    const version = await writeVersion(trx, {
      schoolId,
      organisationId: input.organisationId,
      policy,
      effectiveFrom: input.effectiveFrom,
      today: input.today,
      reason: input.reason ?? null,
      packId: null,
      actorId: input.actorId,
      origin: 'published',
      action: 'policy.draft-published',
      detail: { basedOnVersion: draft.basedOnVersion },
    })
    await deletePolicyDraft(trx, owner)
    return { ok: true, version } as const
  })
}
