/**
 * Changes waiting for a decision (issue 12, ADR 0011): a record-opening role (role-grants.ts) or a
 * new email address (email-changes.ts). A DSL of the person's school decides either, never for
 * themselves nor one they asked for; the person may also confirm or refuse their own new address
 * from the link sent to the old one. Every decision is audited.
 */
import {
  type LockedChange,
  lockWaitingChange,
  recordDecision,
  waitingChanges,
} from '../../db/repositories/auth/access-changes.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { mayDecideGrant } from '../../domain/access/role-grants.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { recordAudit } from '../audit.ts'
import { applyEmailChange, emailChangeByToken } from './email-changes.ts'
import { grantRole, roleName } from './role-grants.ts'
import { schoolDsls } from './school-dsls.ts'

type Db = DbOrTrx

export interface PendingChange {
  id: string
  kind: 'role' | 'email'
  personId: string
  personName: string
  /** For a role: its name. */
  roleName: string | null
  /** For an email change: the new address. */
  newEmail: string | null
  requestedBy: string | null
  requestedByName: string | null
  requestedAt: Date
}

/** Changes waiting for a DSL of the school (the list shows no record content). */
export async function pendingChanges(
  db: Db,
  scope: { organisationId: string; schoolId: string | null },
  personId?: string,
): Promise<PendingChange[]> {
  const rows = await waitingChanges(db, scope, personId)
  return rows.map(({ role, ...change }) => ({ ...change, roleName: role === null ? null : roleName(role) }))
}

type Decision = 'approved' | 'refused'

export type DecideResult =
  | { ok: true; kind: 'role' | 'email'; personName: string }
  | { ok: false; reason: 'not-found' | 'not-allowed' | 'email-taken' }

/** Records the decision, applies an approval, and audits it. `by` says who decided: a DSL or the person. */
async function settle(
  trx: Db,
  change: LockedChange,
  decision: Decision,
  deciderId: string,
  by: 'dsl' | 'person',
  now: Date,
  baseUrl: string,
): Promise<DecideResult> {
  if (decision === 'approved') {
    if (change.kind === 'role' && change.role)
      await grantRole(trx, { organisationId: change.organisationId, personId: change.personId }, change.role)
    if (change.kind === 'email' && change.newEmail) {
      const applied = await applyEmailChange(
        trx,
        { personId: change.personId, organisationId: change.organisationId, newEmail: change.newEmail },
        deciderId,
        now,
        baseUrl,
      )
      if (applied === 'email-taken') return { ok: false, reason: 'email-taken' }
    }
  }
  await recordDecision(trx, change.organisationId, change.id, { decision, decidedBy: deciderId, at: now })
  const common = {
    subjectType: 'person',
    subjectId: change.personId,
    actorId: deciderId,
    organisationId: change.organisationId,
    schoolId: change.schoolId,
  }
  if (change.kind === 'role')
    await recordAudit(trx, {
      ...common,
      action: decision === 'approved' ? 'staff.record-access-role-granted' : 'staff.record-access-role-refused',
      detail: { role: change.role, grantId: change.id, requestedBy: change.requestedBy },
    })
  else
    await recordAudit(trx, {
      ...common,
      action: decision === 'approved' ? 'staff.email-change-approved' : 'staff.email-change-refused',
      detail: { changeId: change.id, requestedBy: change.requestedBy, by },
    })
  return { ok: true, kind: change.kind, personName: change.personName }
}

/**
 * A DSL of the person's school approves or refuses a waiting change. Nobody decides a change for
 * themselves or one they asked for.
 */
export async function decideChange(
  db: Db,
  input: {
    organisationId: string
    changeId: string
    approverId: string
    decision: Decision
    today: IsoDate
    now?: Date
    /** Haven's address, for links in the emails an approval sends. */
    baseUrl: string
  },
): Promise<DecideResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.changeId)) return { ok: false, reason: 'not-found' }
  const now = input.now ?? new Date()
  return db.transaction().execute(async (trx): Promise<DecideResult> => {
    const change = await lockWaitingChange(trx, input.organisationId, input.changeId)
    if (!change) return { ok: false, reason: 'not-found' }
    const dsls = await schoolDsls(trx, { organisationId: input.organisationId, schoolId: change.schoolId }, input.today)
    const grant = { personId: change.personId, requestedBy: change.requestedBy }
    if (
      !mayDecideGrant(
        input.approverId,
        grant,
        dsls.map((d) => d.id),
      )
    )
      return { ok: false, reason: 'not-allowed' }
    return settle(trx, change, input.decision, input.approverId, 'dsl', now, input.baseUrl)
  })
}

export type AnswerResult =
  | { ok: true; decision: Decision; newEmail: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'email-taken' }

/** The person confirms or refuses their own new address, with the link sent to the old one. */
export async function answerEmailChange(
  db: Db,
  token: string,
  decision: Decision,
  baseUrl: string,
  now = new Date(),
): Promise<AnswerResult> {
  const link = await emailChangeByToken(db, token, now)
  if (!link.ok) return link
  return db.transaction().execute(async (trx): Promise<AnswerResult> => {
    const change = await lockWaitingChange(trx, link.organisationId, link.id)
    if (!change) return { ok: false, reason: 'used' }
    const result = await settle(trx, change, decision, change.personId, 'person', now, baseUrl)
    if (!result.ok) return { ok: false, reason: result.reason === 'email-taken' ? 'email-taken' : 'used' }
    return { ok: true, decision, newEmail: link.newEmail }
  })
}
