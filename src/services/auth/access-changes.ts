/**
 * Changes waiting for a decision (issue 12, ADR 0011): a record-opening role (role-grants.ts) or a
 * new email address (email-changes.ts). A DSL of the person's school decides either, never for
 * themselves nor one they asked for; the person may also confirm or refuse their own new address
 * from the link sent to the old one. Every decision is audited.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { mayDecideGrant } from '../../domain/access/role-grants.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { recordAudit } from '../audit.ts'
import { applyEmailChange, emailChangeByToken } from './email-changes.ts'
import { grantRole, roleName } from './role-grants.ts'
import { schoolDsls } from './school-dsls.ts'

type Db = Kysely<Database>

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
  let query = db
    .selectFrom('access_change as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .leftJoin('person as r', 'r.id', 'c.requested_by')
    .select([
      'c.id',
      'c.kind',
      'c.person_id',
      'p.name',
      'c.role',
      'c.new_email',
      'c.requested_by',
      'r.name as requested_by_name',
      'c.requested_at',
    ])
    .where('c.organisation_id', '=', scope.organisationId)
    .where('c.decision', 'is', null)
  query =
    scope.schoolId === null ? query.where('c.school_id', 'is', null) : query.where('c.school_id', '=', scope.schoolId)
  if (personId) query = query.where('c.person_id', '=', personId)
  const rows = await query.orderBy('c.requested_at').orderBy('c.id').execute()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    personId: r.person_id,
    personName: r.name,
    roleName: r.role === null ? null : roleName(r.role),
    newEmail: r.new_email,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
  }))
}

type Decision = 'approved' | 'refused'

export type DecideResult =
  | { ok: true; kind: 'role' | 'email'; personName: string }
  | { ok: false; reason: 'not-found' | 'not-allowed' | 'email-taken' }

interface WaitingChange {
  id: string
  organisation_id: string
  school_id: string | null
  person_id: string
  kind: 'role' | 'email'
  role: string | null
  new_email: string | null
  requested_by: string | null
  name: string
}

async function lockWaiting(trx: Db, organisationId: string | null, id: string): Promise<WaitingChange | undefined> {
  let query = trx
    .selectFrom('access_change as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.organisation_id',
      'c.school_id',
      'c.person_id',
      'c.kind',
      'c.role',
      'c.new_email',
      'c.requested_by',
      'p.name',
    ])
    .where('c.id', '=', id)
    .where('c.decision', 'is', null)
  if (organisationId !== null) query = query.where('c.organisation_id', '=', organisationId)
  return query.forUpdate('c').executeTakeFirst()
}

/** Records the decision, applies an approval, and audits it. `by` says who decided: a DSL or the person. */
async function settle(
  trx: Db,
  change: WaitingChange,
  decision: Decision,
  deciderId: string,
  by: 'dsl' | 'person',
  now: Date,
): Promise<DecideResult> {
  if (decision === 'approved') {
    if (change.kind === 'role' && change.role) await grantRole(trx, change.person_id, change.role)
    if (change.kind === 'email' && change.new_email) {
      const applied = await applyEmailChange(
        trx,
        { personId: change.person_id, organisationId: change.organisation_id, newEmail: change.new_email },
        deciderId,
        now,
      )
      if (applied === 'email-taken') return { ok: false, reason: 'email-taken' }
    }
  }
  await trx
    .updateTable('access_change')
    .set({ decision, decided_by: deciderId, decided_at: now })
    .where('id', '=', change.id)
    .execute()
  const common = {
    subjectType: 'person',
    subjectId: change.person_id,
    actorId: deciderId,
    organisationId: change.organisation_id,
    schoolId: change.school_id,
  }
  if (change.kind === 'role')
    await recordAudit(trx, {
      ...common,
      action: decision === 'approved' ? 'staff.record-access-role-granted' : 'staff.record-access-role-refused',
      detail: { role: change.role, grantId: change.id, requestedBy: change.requested_by },
    })
  else
    await recordAudit(trx, {
      ...common,
      action: decision === 'approved' ? 'staff.email-change-approved' : 'staff.email-change-refused',
      detail: { changeId: change.id, requestedBy: change.requested_by, by },
    })
  return { ok: true, kind: change.kind, personName: change.name }
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
  },
): Promise<DecideResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.changeId)) return { ok: false, reason: 'not-found' }
  const now = input.now ?? new Date()
  return db.transaction().execute(async (trx): Promise<DecideResult> => {
    const change = await lockWaiting(trx, input.organisationId, input.changeId)
    if (!change) return { ok: false, reason: 'not-found' }
    const dsls = await schoolDsls(
      trx,
      { organisationId: input.organisationId, schoolId: change.school_id },
      input.today,
    )
    const grant = { personId: change.person_id, requestedBy: change.requested_by }
    if (
      !mayDecideGrant(
        input.approverId,
        grant,
        dsls.map((d) => d.id),
      )
    )
      return { ok: false, reason: 'not-allowed' }
    return settle(trx, change, input.decision, input.approverId, 'dsl', now)
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
  now = new Date(),
): Promise<AnswerResult> {
  const link = await emailChangeByToken(db, token, now)
  if (!link.ok) return link
  return db.transaction().execute(async (trx): Promise<AnswerResult> => {
    const change = await lockWaiting(trx, null, link.id)
    if (!change) return { ok: false, reason: 'used' }
    const result = await settle(trx, change, decision, change.person_id, 'person', now)
    if (!result.ok) return { ok: false, reason: result.reason === 'email-taken' ? 'email-taken' : 'used' }
    return { ok: true, decision, newEmail: link.newEmail }
  })
}
