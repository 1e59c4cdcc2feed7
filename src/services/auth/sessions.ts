/**
 * Server-side sessions (ASVS V3). The cookie holds a random token; the database holds only its
 * hash. Sessions end after SESSION_IDLE_MINUTES without activity and SESSION_ABSOLUTE_HOURS after
 * sign-in, whichever is first, and can be ended one by one or everywhere.
 *
 * Times here are real time, never the app's clock (ADR 0017 sets "today" for the school calendar):
 * expiry, throttles and authenticator codes are about time that has really passed, so functions
 * that handlers call default `now` to the real clock and handlers pass none.
 */

import { KeptWhileUnwritten } from '../../db/kept-reads.ts'
import {
  endSignInSession,
  endSignInSessionByPrefix,
  endSignInSessionsOf,
  insertSignInSession,
  liveSignInSessionsOf,
  rotateSignInSession,
  type StoredSignInSession,
  signInSessionByHash,
  touchSignInSession,
} from '../../db/repositories/auth/sessions.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { employmentEnded, touchIntervalMs } from '../../domain/access/accounts.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import { recordAudit } from '../audit.ts'

/** Sign-in sessions as stored, kept per token hash while the database is unwritten (at most 10,000). */
const keptSessions = new KeptWhileUnwritten<StoredSignInSession | undefined>(10_000)

export interface SessionSettings {
  idleMinutes: number
  absoluteHours: number
}

export type SessionPerson = Omit<StoredSignInSession['person'], 'endDate'>

export interface LoadedSession {
  idHash: string
  person: SessionPerson
  secondStepDone: boolean
  twoStepEnabled: boolean
  createdAt: Date
  reauthenticatedAt: Date | null
}

export async function createSession(
  db: DbOrTrx,
  input: { personId: string; secondStepDone: boolean; userAgent: string; now?: Date; settings: SessionSettings },
): Promise<{ token: string; idHash: string }> {
  const now = input.now ?? new Date()
  const token = randomToken()
  const idHash = hashToken(token)
  await insertSignInSession(db, {
    idHash,
    personId: input.personId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.settings.absoluteHours * 3600_000),
    secondStepDone: input.secondStepDone,
    userAgent: input.userAgent.slice(0, 200),
  })
  return { token, idHash }
}

/**
 * The sign-in session a cookie's token opens, or null when there is none or it has ended (idle,
 * too old, ended, account disabled, or the person has left). Not to be confused with a supervision
 * session (services/sessions).
 */
export async function loadSignInSession(
  db: DbOrTrx,
  token: string,
  now: Date,
  settings: SessionSettings,
  /** Today in London on the app's clock (ADR 0017), for the last day of access (issue 14); default from `now`. */
  today: IsoDate = londonDateOf(now),
): Promise<LoadedSession | null> {
  if (!token || token.length > 100) return null
  const idHash = hashToken(token)
  // Kept only while nothing is written (PGlite, ADR 0054): signing out, ending a session, a
  // disabled account, a leaver or a change of roles is a write, so it takes effect at once.
  const row = await keptSessions.read(
    db,
    idHash,
    () => signInSessionByHash(db, idHash),
    (found) => found !== undefined,
  )
  if (!row || row.endedAt || row.disabledAt) return null
  const idleLimit = row.lastSeenAt.getTime() + settings.idleMinutes * 60_000
  if (
    row.expiresAt.getTime() <= now.getTime() ||
    idleLimit <= now.getTime() ||
    // Belt and braces: a leaver's sessions are ended when the end date is recorded (ADR 0011), and
    // an external person's when their access ends (issue 14).
    employmentEnded(row.person.endDate, today)
  ) {
    await endSession(db, idHash, now)
    return null
  }
  // last_seen_at is refreshed now and then rather than on every request, but often enough next to
  // the idle limit that an active person is never signed out.
  if (now.getTime() - row.lastSeenAt.getTime() >= touchIntervalMs(settings.idleMinutes)) {
    await touchSignInSession(db, idHash, now)
  }
  const { endDate: _, ...person } = row.person
  return {
    idHash,
    person,
    secondStepDone: row.secondStepDone,
    twoStepEnabled: row.totpEnabledAt !== null,
    createdAt: row.createdAt,
    reauthenticatedAt: row.reauthenticatedAt,
  }
}

export async function endSession(db: DbOrTrx, idHash: string, now = new Date()): Promise<void> {
  await endSignInSession(db, idHash, now)
}

/** Ends every session of a person, except (optionally) the one they are using. Returns how many ended. */
export async function endAllSessions(db: DbOrTrx, personId: string, now: Date, exceptIdHash?: string): Promise<number> {
  return endSignInSessionsOf(db, personId, now, exceptIdHash)
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
  db: DbOrTrx,
  personId: string,
  currentIdHash: string,
  settings: SessionSettings,
  now = new Date(),
): Promise<SessionSummary[]> {
  const rows = await liveSignInSessionsOf(db, personId, now, new Date(now.getTime() - settings.idleMinutes * 60_000))
  return rows.map((r) => ({
    ref: r.idHash.slice(0, 12),
    current: r.idHash === currentIdHash,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    userAgent: r.userAgent,
  }))
}

export async function endSessionByRef(db: DbOrTrx, personId: string, ref: string, now: Date): Promise<boolean> {
  if (!/^[0-9a-f]{12}$/.test(ref)) return false
  return endSignInSessionByPrefix(db, personId, ref, now)
}

/** Marks the second step done and rotates the session id (a new id whenever privilege rises). */
export async function completeSecondStep(
  db: DbOrTrx,
  idHash: string,
  now = new Date(),
): Promise<{ token: string; idHash: string }> {
  const token = randomToken()
  const newHash = hashToken(token)
  await rotateSignInSession(db, idHash, newHash, now)
  return { token, idHash: newHash }
}

/** Whose sessions: the signed-in person and their organisation (for the audit entry). */
export interface SessionOwner {
  personId: string
  organisationId: string
}

/** Ends the session someone signs out of, audited ('auth.sign-out'). */
export async function signOut(db: DbOrTrx, owner: SessionOwner, idHash: string, now = new Date()): Promise<void> {
  await endSession(db, idHash, now)
  await recordAudit(db, {
    action: 'auth.sign-out',
    subjectType: 'account',
    subjectId: owner.personId,
    actorId: owner.personId,
    organisationId: owner.organisationId,
  })
}

/** "Sign out everywhere": ends every other session of the person, audited; how many ended. */
export async function signOutEverywhereElse(
  db: DbOrTrx,
  owner: SessionOwner,
  currentIdHash: string,
  now = new Date(),
): Promise<number> {
  const ended = await endAllSessions(db, owner.personId, now, currentIdHash)
  await recordAudit(db, {
    action: 'auth.signed-out-everywhere',
    subjectType: 'account',
    subjectId: owner.personId,
    actorId: owner.personId,
    organisationId: owner.organisationId,
    detail: { ended },
  })
  return ended
}

/** Ends one of the person's sessions, by its public reference, audited when one ended. */
export async function signOutSession(
  db: DbOrTrx,
  owner: SessionOwner,
  ref: string,
  now = new Date(),
): Promise<boolean> {
  const ended = await endSessionByRef(db, owner.personId, ref, now)
  if (ended)
    await recordAudit(db, {
      action: 'auth.session-ended',
      subjectType: 'account',
      subjectId: owner.personId,
      actorId: owner.personId,
      organisationId: owner.organisationId,
    })
  return ended
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
