/**
 * Issue 14 (ADR 0050): a school on the same installation joins a trust. The trust's invitations
 * (scoped by the trust's organisation), and the move itself: every row of the school's
 * organisation is re-scoped to the trust, in the caller's transaction.
 */
import { sql } from 'kysely'
import type { DbOrTrx } from './connection.ts'

export interface StoredInvitation {
  id: string
  organisationId: string
  effectiveFrom: string
  expiresOn: string
  createdAt: Date
  acceptedAt: Date | null
  schoolName: string | null
  withdrawnAt: Date | null
}

/** The invitation's own columns, read by every query of invitations (aliased `i`). */
const invitationColumns = [
  'i.id',
  'i.organisation_id',
  'i.effective_from',
  'i.expires_on',
  'i.created_at',
  'i.accepted_at',
  'i.withdrawn_at',
] as const

function invitationOf(r: {
  id: string
  organisation_id: string
  effective_from: string
  expires_on: string
  created_at: Date
  accepted_at: Date | null
  withdrawn_at: Date | null
}): Omit<StoredInvitation, 'schoolName'> {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    effectiveFrom: r.effective_from,
    expiresOn: r.expires_on,
    createdAt: r.created_at,
    acceptedAt: r.accepted_at,
    withdrawnAt: r.withdrawn_at,
  }
}

export async function insertInvitation(
  db: DbOrTrx,
  organisationId: string,
  input: { codeHash: string; effectiveFrom: string; expiresOn: string; createdBy: string },
): Promise<string> {
  const row = await db
    .insertInto('trust_join_invitation')
    .values({
      organisation_id: organisationId,
      code_hash: input.codeHash,
      effective_from: input.effectiveFrom,
      expires_on: input.expiresOn,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The trust's invitations, newest first. */
export async function invitationsOf(db: DbOrTrx, organisationId: string): Promise<StoredInvitation[]> {
  const rows = await db
    .selectFrom('trust_join_invitation as i')
    .leftJoin('school as s', 's.id', 'i.school_id')
    .select([...invitationColumns, 's.name as school_name'])
    .where('i.organisation_id', '=', organisationId)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .execute()
  return rows.map((r) => ({ ...invitationOf(r), schoolName: r.school_name }))
}

/** The invitation with this code's hash, locked until the transaction ends; null when there is none. */
export async function lockInvitationByCode(
  trx: DbOrTrx,
  codeHash: string,
): Promise<(StoredInvitation & { trustName: string; trustKind: string }) | null> {
  const row = await trx
    .selectFrom('trust_join_invitation as i')
    .innerJoin('organisation as o', 'o.id', 'i.organisation_id')
    .select([...invitationColumns, 'o.name as trust_name', 'o.kind as trust_kind'])
    .where('i.code_hash', '=', codeHash)
    .forUpdate('i')
    .executeTakeFirst()
  if (!row) return null
  return { ...invitationOf(row), schoolName: null, trustName: row.trust_name, trustKind: row.trust_kind }
}

export async function markInvitationAccepted(
  trx: DbOrTrx,
  id: string,
  input: { schoolId: string; acceptedBy: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('trust_join_invitation')
    .set({ accepted_at: input.at, accepted_by: input.acceptedBy, school_id: input.schoolId })
    .where('id', '=', id)
    .execute()
}

/** Locks the organisation's row until the transaction ends (a second acceptance waits, then finds it joined). */
export async function lockOrganisation(
  trx: DbOrTrx,
  organisationId: string,
): Promise<{ kind: 'trust' | 'single-school'; name: string; joinedOrganisationId: string | null } | null> {
  const row = await trx
    .selectFrom('organisation')
    .select(['kind', 'name', 'joined_organisation_id'])
    .where('id', '=', organisationId)
    .forUpdate()
    .executeTakeFirst()
  return row ? { kind: row.kind, name: row.name, joinedOrganisationId: row.joined_organisation_id } : null
}

/** A custom role of the school whose name or id the trust's unique indexes would refuse once moved. */
export interface CustomRoleClash {
  id: string
  name: string
  trustId: string
  trustName: string
}

/**
 * The school's custom roles that the trust's unique indexes would refuse once moved: the same name
 * (case aside), or the same id (made from the name, so "Head of Maths (KS4)" is "Head of Maths KS4").
 */
export async function clashingCustomRoles(db: DbOrTrx, from: string, to: string): Promise<CustomRoleClash[]> {
  const rows = await db
    .selectFrom('custom_role as a')
    .innerJoin('custom_role as b', (join) =>
      join.on(sql<boolean>`(lower(a.name) = lower(b.name) or a.id = b.id)`).on('b.organisation_id', '=', to),
    )
    .select(['a.id', 'a.name', 'b.id as trust_id', 'b.name as trust_name'])
    .where('a.organisation_id', '=', from)
    .orderBy('a.name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, trustId: r.trust_id, trustName: r.trust_name }))
}

/**
 * Makes each of the school's custom roles `same` (found by clashingCustomRoles with the id of one of
 * the trust's) that role: the same id is the same role (Haven makes a role's id from its name, and
 * refuses a new role whose name means one it has). The school's row goes, so its people's roles are
 * the trust's; the trust's role, if it was one academy's, becomes the whole trust's, since two
 * academies now use it; and it takes the school's description where it had none.
 */
export async function mergeSameCustomRoles(
  trx: DbOrTrx,
  from: string,
  to: string,
  same: readonly CustomRoleClash[],
): Promise<void> {
  for (const role of same) {
    const own = await trx
      .deleteFrom('custom_role')
      .where('organisation_id', '=', from)
      .where('id', '=', role.id)
      .returning('description')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('custom_role')
      .set({
        school_id: null,
        description: sql<string>`case when description = '' then ${own.description} else description end`,
      })
      .where('organisation_id', '=', to)
      .where('id', '=', role.id)
      .execute()
  }
}

/** People of both organisations with the same email address: one person per address in an organisation. */
export async function clashingEmails(
  db: DbOrTrx,
  from: string,
  to: string,
): Promise<{ email: string; trustName: string }[]> {
  const rows = await db
    .selectFrom('person as a')
    .innerJoin('person as b', (join) => join.onRef('b.email', '=', 'a.email').on('b.organisation_id', '=', to))
    .select(['a.email', 'b.name as trust_name'])
    .where('a.organisation_id', '=', from)
    .orderBy('a.email')
    .execute()
  return rows.map((r) => ({ email: r.email, trustName: r.trust_name }))
}

/**
 * Tables whose rows keep their organisation when its school joins a trust: the audit log is
 * append-only and hash-chained (ADR 0006), so its entries stay, verifiable, under the organisation
 * they were written for; invitations belong to the trust that made them.
 */
const staysWithOrganisation = new Set(['audit_event', 'trust_join_invitation'])

/**
 * Re-scopes every row of organisation `from` to organisation `to`: every table with an
 * `organisation_id` column, found in the catalogue so that a table added later moves too, except
 * the audit log. Returns how many rows of each table moved. Then marks `from` as joined.
 */
export async function moveOrganisationInto(
  trx: DbOrTrx,
  from: string,
  to: string,
  at: Date,
): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'organisation_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(trx)
  const moved: Record<string, number> = {}
  for (const { table_name } of tables.rows) {
    if (staysWithOrganisation.has(table_name)) continue
    const result =
      await sql`update ${sql.table(table_name)} set organisation_id = ${to} where organisation_id = ${from}`.execute(
        trx,
      )
    const count = Number(result.numAffectedRows ?? 0)
    if (count > 0) moved[table_name] = count
  }
  await trx
    .updateTable('organisation')
    .set({ joined_organisation_id: to, joined_at: at })
    .where('id', '=', from)
    .execute()
  return moved
}

/** People of the organisation with no school of their own: a single school's, they become the school's when it joins. */
export async function giveCentralPeopleTheSchool(
  trx: DbOrTrx,
  organisationId: string,
  schoolId: string,
): Promise<number> {
  const result = await trx
    .updateTable('person')
    .set({ school_id: schoolId })
    .where('organisation_id', '=', organisationId)
    .where('school_id', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Takes the administrator role from the organisation's people (they keep their other roles); returns whose. */
export async function standDownAdministrators(trx: DbOrTrx, organisationId: string): Promise<string[]> {
  const rows = await trx
    .updateTable('person')
    .set((eb) => ({ roles: eb.fn('array_remove', [eb.ref('roles'), eb.val('administrator')]) }))
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.val('administrator'), '=', eb.fn.any('roles')))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}
