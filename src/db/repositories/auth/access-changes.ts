/**
 * Changes waiting for a decision (`access_change`): a record-opening role, or a new email address
 * (ADR 0011). Every read and change takes the organisation's id; lists take the school too.
 */
import type { DbOrTrx } from '../connection.ts'

export interface WaitingChangeRow {
  id: string
  kind: 'role' | 'email'
  personId: string
  personName: string
  role: string | null
  newEmail: string | null
  requestedBy: string | null
  requestedByName: string | null
  requestedAt: Date
}

/** The changes waiting in one school (or, for a school id of null, for people of no school), oldest first. */
export async function waitingChanges(
  db: DbOrTrx,
  scope: { organisationId: string; schoolId: string | null },
  personId?: string,
): Promise<WaitingChangeRow[]> {
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
    role: r.role,
    newEmail: r.new_email,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
  }))
}

export interface LockedChange {
  id: string
  organisationId: string
  schoolId: string | null
  personId: string
  kind: 'role' | 'email'
  role: string | null
  newEmail: string | null
  requestedBy: string | null
  personName: string
}

/** A change still waiting, locked until the transaction ends (it is about to be decided). */
export async function lockWaitingChange(
  trx: DbOrTrx,
  organisationId: string,
  id: string,
): Promise<LockedChange | undefined> {
  const row = await trx
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
    .where('c.organisation_id', '=', organisationId)
    .forUpdate('c')
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        organisationId: row.organisation_id,
        schoolId: row.school_id,
        personId: row.person_id,
        kind: row.kind,
        role: row.role,
        newEmail: row.new_email,
        requestedBy: row.requested_by,
        personName: row.name,
      }
    : undefined
}

export async function recordDecision(
  trx: DbOrTrx,
  organisationId: string,
  id: string,
  decision: { decision: 'approved' | 'refused'; decidedBy: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('access_change')
    .set({ decision: decision.decision, decided_by: decision.decidedBy, decided_at: decision.at })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute()
}

/** Withdraws the person's waiting email change, if any; its id. */
export async function withdrawWaitingEmailChange(
  trx: DbOrTrx,
  personId: string,
  actorId: string | null,
  now: Date,
): Promise<string | null> {
  const withdrawn = await trx
    .updateTable('access_change')
    .set({ decision: 'withdrawn', decided_by: actorId, decided_at: now })
    .where('person_id', '=', personId)
    .where('kind', '=', 'email')
    .where('decision', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return withdrawn?.id ?? null
}

export async function insertEmailChange(
  trx: DbOrTrx,
  change: {
    organisationId: string
    schoolId: string | null
    personId: string
    newEmail: string
    confirmTokenHash: string
    requestedBy: string | null
    requestedAt: Date
  },
): Promise<string> {
  const { id } = await trx
    .insertInto('access_change')
    .values({
      organisation_id: change.organisationId,
      school_id: change.schoolId,
      person_id: change.personId,
      kind: 'email',
      new_email: change.newEmail,
      confirm_token_hash: change.confirmTokenHash,
      requested_by: change.requestedBy,
      requested_at: change.requestedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Asks for a role to be approved; null when the same role already waits for the person. */
export async function insertRoleRequest(
  trx: DbOrTrx,
  request: {
    organisationId: string
    schoolId: string | null
    personId: string
    role: string
    requestedBy: string | null
  },
): Promise<string | null> {
  const grant = await trx
    .insertInto('access_change')
    .values({
      organisation_id: request.organisationId,
      school_id: request.schoolId,
      person_id: request.personId,
      role: request.role,
      requested_by: request.requestedBy,
    })
    .onConflict((oc) => oc.columns(['person_id', 'role']).where('decision', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return grant?.id ?? null
}

/** The roles waiting for approval in one school, as (person, role) pairs. */
export async function waitingRoleRequests(
  db: DbOrTrx,
  target: { organisationId: string; schoolId: string },
): Promise<{ personId: string; role: string | null }[]> {
  const rows = await db
    .selectFrom('access_change')
    .select(['person_id', 'role'])
    .where('organisation_id', '=', target.organisationId)
    .where('school_id', '=', target.schoolId)
    .where('kind', '=', 'role')
    .where('decision', 'is', null)
    .execute()
  return rows.map((r) => ({ personId: r.person_id, role: r.role }))
}

export interface EmailChangeByLink {
  id: string
  organisationId: string
  personId: string
  personName: string
  newEmail: string | null
  decision: string | null
  requestedAt: Date
}

/** The email change a link sent to the old address is for, found by the hash of its secret. */
export async function emailChangeByTokenHash(db: DbOrTrx, tokenHash: string): Promise<EmailChangeByLink | undefined> {
  const row = await db
    .selectFrom('access_change as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.organisation_id', 'c.person_id', 'c.new_email', 'c.decision', 'c.requested_at', 'p.name'])
    .where('c.confirm_token_hash', '=', tokenHash)
    .where('c.kind', '=', 'email')
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        organisationId: row.organisation_id,
        personId: row.person_id,
        personName: row.name,
        newEmail: row.new_email,
        decision: row.decision,
        requestedAt: row.requested_at,
      }
    : undefined
}
