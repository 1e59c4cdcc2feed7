/**
 * Giving someone a role that opens supervision records (issue 12, ADR 0011): by any path (adding
 * or editing a person, the staff import, first set-up), the grant is audited and the school's DSLs
 * are emailed; given by anyone but a DSL of the school, it waits as a `role_grant` until a DSL
 * approves or refuses it. Runs in the caller's transaction.
 */
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { grantNeedsApproval, mayDecideGrant, opensRecords, recordRolesAdded } from '../../domain/access/role-grants.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import { recordAudit } from '../audit.ts'
import { enqueueEmail } from '../mail/outbox.ts'

type Db = Kysely<Database>

export interface SchoolDsl {
  id: string
  name: string
  email: string
}

function roleName(role: string): string {
  return roleCatalogue.find((r) => r.id === role)?.name ?? role
}

/** The current DSLs of a school (of the organisation, for someone who belongs to no school). */
export async function schoolDsls(
  db: Db,
  scope: { organisationId: string; schoolId: string | null },
  today: IsoDate,
): Promise<SchoolDsl[]> {
  let query = db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('organisation_id', '=', scope.organisationId)
    .where(sql<boolean>`roles @> array['dsl']::text[]`)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', today)]))
  if (scope.schoolId !== null) query = query.where('school_id', '=', scope.schoolId)
  return query.orderBy('name').execute()
}

export interface RoleChange {
  organisationId: string
  schoolId: string | null
  personId: string
  personName: string
  before: readonly string[]
  after: readonly string[]
}

export interface GrantWho {
  /** The person making the change, or null for the command line. */
  actorId: string | null
  /** The school's DSLs before the change (schoolDsls). */
  dsls: readonly SchoolDsl[]
}

/**
 * Applies the rule to one change of roles: returns the roles to save now (without any record-opening
 * role that must wait for approval), having audited each grant, recorded what waits, and emailed the
 * school's DSLs (not the person making the change, nor the person given the role).
 */
export async function applyRecordRoleRule(trx: Db, change: RoleChange, who: GrantWho): Promise<string[]> {
  const added = recordRolesAdded(change.before, change.after)
  if (added.length === 0) return [...change.after]
  const waits = grantNeedsApproval({ actorId: who.actorId, schoolDslIds: who.dsls.map((d) => d.id) })
  for (const role of added) {
    let grantId: string | null = null
    if (waits) {
      const grant = await trx
        .insertInto('role_grant')
        .values({
          organisation_id: change.organisationId,
          school_id: change.schoolId,
          person_id: change.personId,
          role,
          requested_by: who.actorId,
        })
        .onConflict((oc) => oc.columns(['person_id', 'role']).where('decision', 'is', null).doNothing())
        .returning('id')
        .executeTakeFirst()
      grantId = grant?.id ?? null
    }
    await recordAudit(trx, {
      action: waits ? 'staff.record-access-role-requested' : 'staff.record-access-role-granted',
      subjectType: 'person',
      subjectId: change.personId,
      actorId: who.actorId,
      organisationId: change.organisationId,
      schoolId: change.schoolId,
      detail: { role, ...(grantId ? { grantId } : {}) },
    })
  }
  const actor = who.actorId
    ? await trx.selectFrom('person').select('name').where('id', '=', who.actorId).executeTakeFirst()
    : undefined
  const by = actor?.name ?? 'A staff import from the command line'
  const roles = added.map(roleName).join(' and ')
  for (const dsl of who.dsls) {
    if (dsl.id === who.actorId || dsl.id === change.personId) continue
    await enqueueEmail(trx, {
      to: dsl.email,
      organisationId: change.organisationId,
      subject: waits
        ? `Haven: approve or refuse a new ${roles} for your school`
        : `Haven: ${change.personName} has been given the role ${roles}`,
      text: (waits
        ? [
            `${by} asked for ${change.personName} to be given the role ${roles} in Haven.`,
            'This role opens supervision records, so it does not take effect until a DSL of the school approves it.',
            '',
            'Sign in to Haven and open Staff, then "Roles waiting for approval", to approve or refuse it.',
          ]
        : [
            `${by} gave ${change.personName} the role ${roles} in Haven.`,
            'This role opens supervision records.',
            '',
            'If you did not expect this, check the person’s page under Staff in Haven and tell your headteacher.',
          ]
      ).join('\n'),
    })
  }
  return waits ? change.after.filter((r) => !added.includes(r)) : [...change.after]
}

export interface PendingGrant {
  id: string
  personId: string
  personName: string
  role: string
  roleName: string
  requestedByName: string | null
  requestedAt: Date
}

/** Grants waiting for a DSL of the school (for a DSL to decide; the list shows no record content). */
export async function pendingGrants(
  db: Db,
  scope: { organisationId: string; schoolId: string | null },
  personId?: string,
): Promise<PendingGrant[]> {
  let query = db
    .selectFrom('role_grant as g')
    .innerJoin('person as p', 'p.id', 'g.person_id')
    .leftJoin('person as r', 'r.id', 'g.requested_by')
    .select(['g.id', 'g.person_id', 'p.name', 'g.role', 'r.name as requested_by_name', 'g.requested_at'])
    .where('g.organisation_id', '=', scope.organisationId)
    .where('g.decision', 'is', null)
  query =
    scope.schoolId === null ? query.where('g.school_id', 'is', null) : query.where('g.school_id', '=', scope.schoolId)
  if (personId) query = query.where('g.person_id', '=', personId)
  const rows = await query.orderBy('g.requested_at').orderBy('g.id').execute()
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    personName: r.name,
    role: r.role,
    roleName: roleName(r.role),
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
  }))
}

export type DecideResult =
  | { ok: true; personName: string; roleName: string }
  | { ok: false; reason: 'not-found' | 'not-allowed' }

/**
 * A DSL of the person's school approves (the role is added) or refuses a waiting grant. Nobody
 * decides a grant for themselves or one they asked for.
 */
export async function decideGrant(
  db: Db,
  input: {
    organisationId: string
    grantId: string
    approverId: string
    decision: 'approved' | 'refused'
    today: IsoDate
    now?: Date
  },
): Promise<DecideResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.grantId)) return { ok: false, reason: 'not-found' }
  const now = input.now ?? new Date()
  return db.transaction().execute(async (trx): Promise<DecideResult> => {
    const grant = await trx
      .selectFrom('role_grant as g')
      .innerJoin('person as p', 'p.id', 'g.person_id')
      .select(['g.id', 'g.person_id', 'g.school_id', 'g.role', 'g.requested_by', 'p.name'])
      .where('g.id', '=', input.grantId)
      .where('g.organisation_id', '=', input.organisationId)
      .where('g.decision', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!grant) return { ok: false, reason: 'not-found' }
    const dsls = await schoolDsls(trx, { organisationId: input.organisationId, schoolId: grant.school_id }, input.today)
    if (
      !mayDecideGrant(
        input.approverId,
        { personId: grant.person_id, requestedBy: grant.requested_by },
        dsls.map((d) => d.id),
      )
    )
      return { ok: false, reason: 'not-allowed' }
    await trx
      .updateTable('role_grant')
      .set({ decision: input.decision, decided_by: input.approverId, decided_at: now })
      .where('id', '=', grant.id)
      .execute()
    if (input.decision === 'approved' && opensRecords(grant.role)) {
      await trx
        .updateTable('person')
        .set({
          roles: sql<string[]>`array_append(roles, ${grant.role}::text)`,
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', grant.person_id)
        .where(sql<boolean>`not (roles @> array[${grant.role}]::text[])`)
        .execute()
    }
    await recordAudit(trx, {
      action: input.decision === 'approved' ? 'staff.record-access-role-granted' : 'staff.record-access-role-refused',
      subjectType: 'person',
      subjectId: grant.person_id,
      actorId: input.approverId,
      organisationId: input.organisationId,
      schoolId: grant.school_id,
      detail: { role: grant.role, grantId: grant.id, requestedBy: grant.requested_by },
    })
    return { ok: true, personName: grant.name, roleName: roleName(grant.role) }
  })
}
