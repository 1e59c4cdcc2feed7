/**
 * Private calendar feeds (issue 6): each person may have one feed address, /feeds/<token>.ics,
 * that their calendar (Outlook, Google, Apple) subscribes to. The token is the secret: 32 random
 * bytes, shown once; Haven keeps only its SHA-256. Replacing the feed revokes the old address,
 * turning it off revokes it too. The feed lists the person's sessions of the last year and all
 * to come, cancelled ones marked cancelled so that the cancellation reaches their calendar.
 */
import type { Db } from '../../db/database.ts'
import {
  insertFeed,
  liveFeedByTokenHash,
  liveFeedCount,
  liveFeedOf,
  markFeedUsed,
  revokeFeeds,
  sessionsOfPerson,
} from '../../db/repositories/calendar-feeds.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { addDays, londonDateOf } from '../../domain/calendar/index.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { policyBooks } from '../policy/on-date.ts'
import { buildCalendar, type IcsEvent, sessionSummary, sessionUid } from './ical.ts'

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
  const feed = await liveFeedOf(db, personId)
  return { active: feed !== null, createdAt: feed?.createdAt ?? null, lastUsedAt: feed?.lastUsedAt ?? null }
}

/** The feed's address for a token. */
export function feedUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${paths.calendar.feedFile({ file: `${token}.ics` })}`
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
    const revoked = await revokeFeeds(trx, input.personId, new Date())
    const created = await insertFeed(trx, input.personId, hashToken(token))
    await recordAudit(trx, {
      action: revoked.length > 0 ? 'calendar-feed.replaced' : 'calendar-feed.created',
      subjectType: 'calendar-feed',
      subjectId: created,
      actorId: input.personId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      ip: input.ip ?? null,
      detail: revoked.length > 0 ? { revokedFeedIds: revoked } : {},
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
    const revoked = await revokeFeeds(trx, input.personId, new Date())
    if (revoked.length === 0) return false
    await recordAudit(trx, {
      action: 'calendar-feed.turned-off',
      subjectType: 'calendar-feed',
      subjectId: revoked[0]!,
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
  return (await revokeFeeds(db, personId, now)).length
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
  const feed = await liveFeedByTokenHash(db, hashToken(token))
  // A leaver's feed is turned off when they leave; refusing it here as well costs nothing.
  if (!feed || feed.disabledAt !== null || employmentEnded(feed.endDate, londonDateOf(now))) return null
  if (feed.lastUsedAt === null || now.getTime() - feed.lastUsedAt.getTime() > USE_RECORDED_EVERY_MS) {
    await markFeedUsed(db, feed.personId, feed.id, now)
  }
  const host = new URL(options.baseUrl).hostname
  const since = addDays(londonDateOf(now), -HISTORY_DAYS)
  const sessions = await sessionsOfPerson(db, feed.personId, since)
  // Each session is named as its school's policy on its date names its type (ADR 0021).
  const bookOf = policyBooks(db)
  const typeNames = new Map<string, string>()
  for (const s of sessions) typeNames.set(s.id, (await bookOf(s.schoolId)).typeName(s.typeId, s.date))
  const events: IcsEvent[] = sessions.map((s) => ({
    uid: sessionUid(s.id, host),
    sequence: s.sequence,
    date: s.date,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes ?? 60,
    cancelled: s.status === 'cancelled',
    summary: sessionSummary(
      typeNames.get(s.id) ?? 'Supervision',
      s.participants.map((p) => ({ name: p.name, email: '', role: p.role })),
    ),
    description: [
      s.onlineLink ? `Join online: ${s.onlineLink}` : null,
      `In Haven: ${options.baseUrl}${paths.sessions.show({ id: s.id })}`,
    ]
      .filter(Boolean)
      .join('\n'),
    location: s.venue,
    url: `${options.baseUrl}${paths.sessions.show({ id: s.id })}`,
    lastModified: s.updatedAt,
    created: s.createdAt,
  }))
  return buildCalendar({ name: `Haven: ${feed.name}’s supervision`, events, now })
}

/** How many feeds are in use (for tests and the administrator's figures). */
export async function feedsInUse(db: Db): Promise<number> {
  return liveFeedCount(db)
}
