/**
 * Server-side sessions (ASVS V3). The cookie holds a random token; the database holds only its
 * hash. Sessions end after SESSION_IDLE_MINUTES without activity and SESSION_ABSOLUTE_HOURS after
 * sign-in, whichever is first, and can be ended one by one or everywhere.
 */

import type { Db } from '../../db/database.ts'
import { employmentEnded, touchIntervalMs } from '../../domain/access/accounts.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'

export interface SessionSettings {
  idleMinutes: number
  absoluteHours: number
}

export interface SessionPerson {
  id: string
  organisationId: string
  schoolId: string | null
  name: string
  email: string
  roles: string[]
}

export interface LoadedSession {
  idHash: string
  person: SessionPerson
  secondStepDone: boolean
  twoStepEnabled: boolean
  createdAt: Date
  reauthenticatedAt: Date | null
}

export async function createSession(
  db: Db,
  input: { personId: string; secondStepDone: boolean; userAgent: string; now: Date; settings: SessionSettings },
): Promise<{ token: string; idHash: string }> {
  const token = randomToken()
  const idHash = hashToken(token)
  await db
    .insertInto('user_session')
    .values({
      id_hash: idHash,
      person_id: input.personId,
      created_at: input.now,
      last_seen_at: input.now,
      expires_at: new Date(input.now.getTime() + input.settings.absoluteHours * 3600_000),
      second_step_done: input.secondStepDone,
      user_agent: input.userAgent.slice(0, 200),
    })
    .execute()
  return { token, idHash }
}

export async function loadSession(
  db: Db,
  token: string,
  now: Date,
  settings: SessionSettings,
): Promise<LoadedSession | null> {
  if (!token || token.length > 100) return null
  const idHash = hashToken(token)
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
      'p.end_date',
      'a.totp_enabled_at',
      'a.disabled_at',
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst()
  if (!row || row.ended_at || row.disabled_at) return null
  const idleLimit = row.last_seen_at.getTime() + settings.idleMinutes * 60_000
  if (
    row.expires_at.getTime() <= now.getTime() ||
    idleLimit <= now.getTime() ||
    // Belt and braces: a leaver's sessions are ended when the end date is recorded (ADR 0011).
    employmentEnded(row.end_date, londonDateOf(now))
  ) {
    await endSession(db, idHash, now)
    return null
  }
  // last_seen_at is refreshed now and then rather than on every request, but often enough next to
  // the idle limit that an active person is never signed out.
  if (now.getTime() - row.last_seen_at.getTime() >= touchIntervalMs(settings.idleMinutes)) {
    await db.updateTable('user_session').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()
  }
  return {
    idHash,
    person: {
      id: row.id,
      organisationId: row.organisation_id,
      schoolId: row.school_id,
      name: row.name,
      email: row.email,
      roles: row.roles,
    },
    secondStepDone: row.second_step_done,
    twoStepEnabled: row.totp_enabled_at !== null,
    createdAt: row.created_at,
    reauthenticatedAt: row.reauthenticated_at,
  }
}

export async function endSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ ended_at: now })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute()
}

/** Ends every session of a person, except (optionally) the one they are using. Returns how many ended. */
export async function endAllSessions(db: Db, personId: string, now: Date, exceptIdHash?: string): Promise<number> {
  let q = db
    .updateTable('user_session')
    .set({ ended_at: now })
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export interface SessionSummary {
  /** A short public reference (not the secret): the first 12 characters of the hash. */
  ref: string
  current: boolean
  createdAt: Date
  lastSeenAt: Date
  userAgent: string
}

export async function listSessions(
  db: Db,
  personId: string,
  currentIdHash: string,
  now: Date,
  settings: SessionSettings,
): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom('user_session')
    .select(['id_hash', 'created_at', 'last_seen_at', 'user_agent', 'expires_at'])
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(now.getTime() - settings.idleMinutes * 60_000))
    .orderBy('last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    ref: r.id_hash.slice(0, 12),
    current: r.id_hash === currentIdHash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
  }))
}

export async function endSessionByRef(db: Db, personId: string, ref: string, now: Date): Promise<boolean> {
  if (!/^[0-9a-f]{12}$/.test(ref)) return false
  const result = await db
    .updateTable('user_session')
    .set({ ended_at: now })
    .where('person_id', '=', personId)
    .where('id_hash', 'like', `${ref}%`)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Marks the second step done and rotates the session id (a new id whenever privilege rises). */
export async function completeSecondStep(
  db: Db,
  idHash: string,
  now: Date,
): Promise<{ token: string; idHash: string }> {
  const token = randomToken()
  const newHash = hashToken(token)
  await db
    .updateTable('user_session')
    .set({ id_hash: newHash, second_step_done: true, reauthenticated_at: now, last_seen_at: now })
    .where('id_hash', '=', idHash)
    .execute()
  return { token, idHash: newHash }
}

/** Simple readable description of a browser from its user agent, for the sessions page. */
export function describeUserAgent(ua: string): string {
  if (!ua) return 'Unknown browser'
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'A browser'
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Android/.test(ua)
          ? 'Android'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'an unknown system'
  return `${browser} on ${os}`
}
