/**
 * Private calendar feeds (issue 6): each person may have one feed address, /feeds/<token>.ics,
 * that their calendar (Outlook, Google, Apple) subscribes to. The token is the secret: 32 random
 * bytes, shown once; Haven keeps only its SHA-256. Replacing the feed revokes the old address,
 * turning it off revokes it too. The feed lists the person's sessions of the last year and all
 * to come, cancelled ones marked cancelled so that the cancellation reaches their calendar.
 */
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { addDays, londonDateOf } from '../../domain/calendar/index.ts'
import { recordAudit } from '../audit.ts'
import { buildCalendar, type IcsEvent, type InvitationParticipant, sessionSummary, sessionUid } from './ical.ts'

type Db = Kysely<Database>

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/
/** How far back the feed goes. */
const HISTORY_DAYS = 365
/** last_used_at is written at most this often, so a busy feed does not write on every fetch. */
const USE_RECORDED_EVERY_MS = 60 * 60 * 1000

export interface FeedStatus {
  active: boolean
  createdAt: Date | null
  lastUsedAt: Date | null
}

export async function feedStatus(db: Db, personId: string): Promise<FeedStatus> {
  const row = await db
    .selectFrom('calendar_feed')
    .select(['created_at', 'last_used_at'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return { active: row !== undefined, createdAt: row?.created_at ?? null, lastUsedAt: row?.last_used_at ?? null }
}

/** The feed's address for a token. */
export function feedUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/feeds/${token}.ics`
}

/**
 * Makes a new feed address for the person, revoking the one they had (if any). Returns the token,
 * which is never stored and cannot be shown again.
 */
export async function createFeed(
  db: Db,
  input: { personId: string; organisationId: string; schoolId: string | null; ip?: string | null },
): Promise<{ token: string; replaced: boolean }> {
  const token = randomToken()
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('calendar_feed')
      .set({ revoked_at: new Date() })
      .where('person_id', '=', input.personId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute()
    const created = await trx
      .insertInto('calendar_feed')
      .values({ person_id: input.personId, token_hash: hashToken(token) })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      action: revoked.length > 0 ? 'calendar-feed.replaced' : 'calendar-feed.created',
      subjectType: 'calendar-feed',
      subjectId: created.id,
      actorId: input.personId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      ip: input.ip ?? null,
      detail: revoked.length > 0 ? { revokedFeedIds: revoked.map((r) => r.id) } : {},
    })
    return { token, replaced: revoked.length > 0 }
  })
}

/** Turns the person's feed off: its address stops working. False when they had none. */
export async function turnOffFeed(
  db: Db,
  input: { personId: string; organisationId: string; schoolId: string | null; ip?: string | null },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('calendar_feed')
      .set({ revoked_at: new Date() })
      .where('person_id', '=', input.personId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute()
    if (revoked.length === 0) return false
    await recordAudit(trx, {
      action: 'calendar-feed.turned-off',
      subjectType: 'calendar-feed',
      subjectId: revoked[0]!.id,
      actorId: input.personId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      ip: input.ip ?? null,
    })
    return true
  })
}

/**
 * Turns off every feed of the person without an audit entry of its own, in the caller's
 * transaction (someone who has left: the caller audits the leaving). Returns how many.
 */
export async function revokeFeedsOf(db: Db, personId: string, now: Date): Promise<number> {
  const revoked = await db
    .updateTable('calendar_feed')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(revoked.numUpdatedRows)
}

/** Whether a string from the URL could be a feed token (anything else is not looked up). */
export function isFeedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value)
}

/**
 * The calendar for a feed token, or null when the token is unknown or its feed was replaced or
 * turned off (or the person has left, or their account is disabled).
 */
export async function feedCalendar(
  db: Db,
  token: string,
  options: { baseUrl: string; now?: Date },
): Promise<string | null> {
  if (!isFeedToken(token)) return null
  const now = options.now ?? new Date()
  const feed = await db
    .selectFrom('calendar_feed as f')
    .innerJoin('person as p', 'p.id', 'f.person_id')
    .leftJoin('account as a', 'a.person_id', 'p.id')
    .select(['f.id', 'f.person_id', 'f.last_used_at', 'p.name', 'p.end_date', 'a.disabled_at'])
    .where('f.token_hash', '=', hashToken(token))
    .where('f.revoked_at', 'is', null)
    .executeTakeFirst()
  // A leaver's feed is turned off when they leave; refusing it here as well costs nothing.
  if (!feed || feed.disabled_at !== null || employmentEnded(feed.end_date, londonDateOf(now))) return null
  if (feed.last_used_at === null || now.getTime() - feed.last_used_at.getTime() > USE_RECORDED_EVERY_MS) {
    await db.updateTable('calendar_feed').set({ last_used_at: now }).where('id', '=', feed.id).execute()
  }
  const host = new URL(options.baseUrl).hostname
  const since = addDays(londonDateOf(now), -HISTORY_DAYS)
  const sessions = await db
    .selectFrom('supervision_session as s')
    .innerJoin('session_participant as mine', 'mine.session_id', 's.id')
    .select([
      's.id',
      's.school_id',
      's.type_id',
      's.date',
      's.start_time',
      's.duration_minutes',
      's.status',
      's.venue',
      's.online_link',
      's.sequence',
      's.created_at',
      's.updated_at',
    ])
    .where('mine.person_id', '=', feed.person_id)
    .where('s.date', '>=', since)
    .orderBy('s.date')
    .orderBy('s.start_time')
    .orderBy('s.id')
    .limit(5000)
    .execute()
  const participants =
    sessions.length === 0
      ? []
      : await db
          .selectFrom('session_participant as p')
          .innerJoin('person as x', 'x.id', 'p.person_id')
          .select(['p.session_id', 'p.role', 'x.name'])
          .where(
            'p.session_id',
            'in',
            sessions.map((s) => s.id),
          )
          .orderBy('x.name')
          .execute()
  const bySession = new Map<string, InvitationParticipant[]>()
  for (const p of participants) {
    const list = bySession.get(p.session_id) ?? []
    list.push({ name: p.name, email: '', role: p.role })
    bySession.set(p.session_id, list)
  }
  const schoolIds = [...new Set(sessions.map((s) => s.school_id))]
  const typeNames = new Map<string, string>()
  for (const schoolId of schoolIds) {
    const latest = await db
      .selectFrom('policy_version')
      .select('document')
      .where('school_id', '=', schoolId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()
    const types =
      (latest?.document as { sessionTypes?: { id: string; name: string }[] } | undefined)?.sessionTypes ?? []
    for (const type of types) typeNames.set(`${schoolId}:${type.id}`, type.name)
  }
  const events: IcsEvent[] = sessions.map((s) => ({
    uid: sessionUid(s.id, host),
    sequence: s.sequence,
    date: s.date,
    startTime: s.start_time,
    durationMinutes: s.duration_minutes ?? 60,
    cancelled: s.status === 'cancelled',
    summary: sessionSummary(typeNames.get(`${s.school_id}:${s.type_id}`) ?? 'Supervision', bySession.get(s.id) ?? []),
    description: [
      s.online_link ? `Join online: ${s.online_link}` : null,
      `In Haven: ${options.baseUrl}/sessions/${s.id}`,
    ]
      .filter(Boolean)
      .join('\n'),
    location: s.venue,
    url: `${options.baseUrl}/sessions/${s.id}`,
    lastModified: s.updated_at,
    created: s.created_at,
  }))
  return buildCalendar({ name: `Haven: ${feed.name}’s supervision`, events, now })
}

/** How many feeds are in use (for tests and the administrator's figures). */
export async function feedsInUse(db: Db): Promise<number> {
  const row = await db
    .selectFrom('calendar_feed')
    .select(sql<number>`count(*)`.as('n'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
