/**
 * Private calendar feeds (issue 6): one live feed address per person, kept as the SHA-256 of its
 * token, and the sessions a feed lists. A feed belongs to its person: every query is scoped by the
 * person (or, for the feed itself, by the token's hash, which is the secret). snake_case stays here.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'

/** The person's live feed, or null. */
export async function liveFeedOf(
  db: DbOrTrx,
  personId: string,
): Promise<{ createdAt: Date; lastUsedAt: Date | null } | null> {
  const row = await db
    .selectFrom('calendar_feed')
    .select(['created_at', 'last_used_at'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null
}

/** Revokes the person's live feeds; the ids of those revoked. */
export async function revokeFeeds(db: DbOrTrx, personId: string, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('calendar_feed')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Stores a new feed for the person by its token's hash; its id. */
export async function insertFeed(db: DbOrTrx, personId: string, tokenHash: string): Promise<string> {
  const row = await db
    .insertInto('calendar_feed')
    .values({ person_id: personId, token_hash: tokenHash })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface LiveFeed {
  id: string
  personId: string
  lastUsedAt: Date | null
  name: string
  endDate: IsoDate | null
  disabledAt: Date | null
}

/** The live feed with this token hash, with its person (and whether their account is disabled), or null. */
export async function liveFeedByTokenHash(db: DbOrTrx, tokenHash: string): Promise<LiveFeed | null> {
  const row = await db
    .selectFrom('calendar_feed as f')
    .innerJoin('person as p', 'p.id', 'f.person_id')
    .leftJoin('account as a', 'a.person_id', 'p.id')
    .select(['f.id', 'f.person_id', 'f.last_used_at', 'p.name', 'p.end_date', 'a.disabled_at'])
    .where('f.token_hash', '=', tokenHash)
    .where('f.revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    personId: row.person_id,
    lastUsedAt: row.last_used_at,
    name: row.name,
    endDate: row.end_date,
    disabledAt: row.disabled_at,
  }
}

export async function markFeedUsed(db: DbOrTrx, personId: string, feedId: string, now: Date): Promise<void> {
  await db
    .updateTable('calendar_feed')
    .set({ last_used_at: now })
    .where('person_id', '=', personId)
    .where('id', '=', feedId)
    .execute()
}

export interface FeedSession {
  id: string
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  status: string
  venue: string | null
  onlineLink: string | null
  sequence: number
  createdAt: Date
  updatedAt: Date
  /** Everyone taking part, by name. */
  participants: { name: string; role: 'supervisor' | 'supervisee' }[]
}

/** The sessions the person takes part in from `since` on (at most 5,000), in date order, with who takes part. */
export async function sessionsOfPerson(db: DbOrTrx, personId: string, since: IsoDate): Promise<FeedSession[]> {
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
    .where('mine.person_id', '=', personId)
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
  return sessions.map((s) => ({
    id: s.id,
    schoolId: s.school_id,
    typeId: s.type_id,
    date: s.date,
    startTime: s.start_time,
    durationMinutes: s.duration_minutes,
    status: s.status,
    venue: s.venue,
    onlineLink: s.online_link,
    sequence: s.sequence,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    participants: participants.filter((p) => p.session_id === s.id).map((p) => ({ name: p.name, role: p.role })),
  }))
}

/** How many feeds are live, across every school (for tests and the administrator's figures). */
export async function liveFeedCount(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('calendar_feed')
    .select(sql<number>`count(*)`.as('n'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
