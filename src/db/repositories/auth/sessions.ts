/**
 * Sign-in sessions (`user_session`). A session belongs to one person, not to a school: it is found
 * by the hash of its secret token, or among the person's own sessions by their id.
 */
import type { DbOrTrx } from '../connection.ts'
import { lastDayOfAccess } from './last-day.ts'

export interface NewSignInSession {
  idHash: string
  personId: string
  createdAt: Date
  expiresAt: Date
  secondStepDone: boolean
  userAgent: string
}

export async function insertSignInSession(db: DbOrTrx, session: NewSignInSession): Promise<void> {
  await db
    .insertInto('user_session')
    .values({
      id_hash: session.idHash,
      person_id: session.personId,
      created_at: session.createdAt,
      last_seen_at: session.createdAt,
      expires_at: session.expiresAt,
      second_step_done: session.secondStepDone,
      user_agent: session.userAgent,
    })
    .execute()
}

/** A stored session with its person and account, as the cookie's token finds it. */
export interface StoredSignInSession {
  idHash: string
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  secondStepDone: boolean
  reauthenticatedAt: Date | null
  endedAt: Date | null
  person: {
    id: string
    organisationId: string
    schoolId: string | null
    name: string
    email: string
    roles: string[]
    endDate: string | null
  }
  totpEnabledAt: Date | null
  disabledAt: Date | null
}

export async function signInSessionByHash(db: DbOrTrx, idHash: string): Promise<StoredSignInSession | undefined> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('person as p', 'p.id', 's.person_id')
    .innerJoin('account as a', 'a.person_id', 'p.id')
    .select([
      's.id_hash',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.second_step_done',
      's.reauthenticated_at',
      's.ended_at',
      'p.id',
      'p.organisation_id',
      'p.school_id',
      'p.name',
      'p.email',
      'p.roles',
      lastDayOfAccess('p'),
      'a.totp_enabled_at',
      'a.disabled_at',
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    idHash: row.id_hash,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    secondStepDone: row.second_step_done,
    reauthenticatedAt: row.reauthenticated_at,
    endedAt: row.ended_at,
    person: {
      id: row.id,
      organisationId: row.organisation_id,
      schoolId: row.school_id,
      name: row.name,
      email: row.email,
      roles: row.roles,
      endDate: row.end_date,
    },
    totpEnabledAt: row.totp_enabled_at,
    disabledAt: row.disabled_at,
  }
}

export async function touchSignInSession(db: DbOrTrx, idHash: string, now: Date): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()
}

export async function endSignInSession(db: DbOrTrx, idHash: string, now: Date): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ ended_at: now })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute()
}

/** Ends every open session of a person, except (optionally) one. Returns how many ended. */
export async function endSignInSessionsOf(
  db: DbOrTrx,
  personId: string,
  now: Date,
  exceptIdHash?: string,
): Promise<number> {
  let q = db
    .updateTable('user_session')
    .set({ ended_at: now })
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Ends the person's open session whose hash starts with `prefix`; whether one ended. */
export async function endSignInSessionByPrefix(
  db: DbOrTrx,
  personId: string,
  prefix: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('user_session')
    .set({ ended_at: now })
    .where('person_id', '=', personId)
    .where('id_hash', 'like', `${prefix}%`)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export interface LiveSignInSession {
  idHash: string
  createdAt: Date
  lastSeenAt: Date
  userAgent: string
}

/** The person's sessions not ended, not expired and seen since `seenSince`, most recently seen first. */
export async function liveSignInSessionsOf(
  db: DbOrTrx,
  personId: string,
  now: Date,
  seenSince: Date,
): Promise<LiveSignInSession[]> {
  const rows = await db
    .selectFrom('user_session')
    .select(['id_hash', 'created_at', 'last_seen_at', 'user_agent', 'expires_at'])
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', seenSince)
    .orderBy('last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    idHash: r.id_hash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
  }))
}

/** Gives the session a new id with the second step done (privilege rose). */
export async function rotateSignInSession(db: DbOrTrx, idHash: string, newIdHash: string, now: Date): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ id_hash: newIdHash, second_step_done: true, reauthenticated_at: now, last_seen_at: now })
    .where('id_hash', '=', idHash)
    .execute()
}
