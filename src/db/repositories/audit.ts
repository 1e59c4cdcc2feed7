/**
 * The audit log (`audit_event`): append-only and hash-chained (services/audit.ts computes the
 * hashes and keeps the rules). Entries are not owned by a school alone: the chain runs across the
 * whole database, so it is read in order by id.
 */
import { sql } from 'kysely'
import type { DbOrTrx } from './connection.ts'

/** Key of the advisory lock that serialises audit writers (outside the int4 range hashtext() gives the job locks). */
const AUDIT_LOCK_KEY = sql.lit(72_649_392_810_001)

/** Waits for the audit writers' lock, held until the transaction ends. */
export async function lockAuditLog(trx: DbOrTrx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx)
}

/**
 * The head of the chain as the next entry sees it, in a new statement (under the lock: it sees every
 * entry committed before the lock was granted): the transaction's isolation, the newest hash (null
 * for an empty log) and the next id from the sequence.
 */
export async function auditHead(trx: DbOrTrx): Promise<{ isolation: string; prevHash: string | null; nextId: string }> {
  const head = await sql<{ isolation: string; prev: string | null; id: string | number }>`
    select current_setting('transaction_isolation') as isolation,
           (select hash from audit_event order by id desc limit 1) as prev,
           nextval(pg_get_serial_sequence('audit_event', 'id')) as id`.execute(trx)
  const row = head.rows[0]!
  return { isolation: row.isolation, prevHash: row.prev, nextId: String(row.id) }
}

/** What an entry says, besides its id, time, detail and own hash (all of it covered by the hash). */
export interface AuditEntryFields {
  organisationId: string | null
  schoolId: string | null
  actorId: string | null
  action: string
  subjectType: string
  subjectId: string | null
  ip: string | null
  prevHash: string
}

/** An entry as it is written. `detailJson` is the JSON text of the canonical detail. */
export interface AuditEntryRow extends AuditEntryFields {
  id: number
  occurredAt: string
  detailJson: string
  hash: string
}

export async function insertAuditEntry(trx: DbOrTrx, entry: AuditEntryRow): Promise<void> {
  await trx
    .insertInto('audit_event')
    .values({
      id: entry.id,
      occurred_at: entry.occurredAt,
      organisation_id: entry.organisationId,
      school_id: entry.schoolId,
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      detail: entry.detailJson,
      ip: entry.ip,
      prev_hash: entry.prevHash,
      hash: entry.hash,
    })
    .execute()
}

/** An entry as it reads back. */
export interface StoredAuditEntry extends AuditEntryFields {
  id: number
  occurredAt: Date
  detail: Record<string, unknown>
  hash: string
}

/** Up to `limit` entries with an id above `afterId`, in order. */
export async function auditEntriesAfter(db: DbOrTrx, afterId: number, limit: number): Promise<StoredAuditEntry[]> {
  const rows = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    organisationId: r.organisation_id,
    schoolId: r.school_id,
    actorId: r.actor_id,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    detail: r.detail,
    ip: r.ip,
    prevHash: r.prev_hash,
    hash: r.hash,
  }))
}

/**
 * The entries about one subject with the given actions, oldest first: those a school brought from
 * another installation (kept beside the chain, ADR 52: they came before any written here), then
 * this installation's. A record signed before its school moved still has its signatures'
 * entries, so its integrity check (X-06) reads the same after the move.
 */
export async function auditEntriesAbout(
  db: DbOrTrx,
  subject: { type: string; id: string },
  actions: readonly string[],
): Promise<{ id: number; action: string; actorId: string | null; detail: unknown; occurredAt: Date }[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select(['id', 'action', 'actor_id', 'detail', 'occurred_at', sql<number>`1`.as('part')])
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('action', 'in', [...actions])
    .unionAll(
      db
        .selectFrom('imported_audit_event')
        .select([
          sql<number>`source_id`.as('id'),
          sql<string>`entry->>'action'`.as('action'),
          sql<string | null>`(entry->>'actor_id')::uuid`.as('actor_id'),
          sql<Record<string, unknown>>`entry->'detail'`.as('detail'),
          sql<Date>`(entry->>'occurred_at')::timestamptz`.as('occurred_at'),
          sql<number>`0`.as('part'),
        ])
        .where(sql`entry->>'subject_type'`, '=', subject.type)
        .where(sql`entry->>'subject_id'`, '=', subject.id)
        .where(sql`entry->>'action'`, 'in', [...actions]),
    )
    .orderBy('part')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    actorId: r.actor_id,
    detail: r.detail,
    occurredAt: r.occurred_at,
  }))
}

/**
 * The audit entries of an organisation, in the columns of the audit log: its own; those written
 * before a school joined it on this installation, which stay, unchanged, under the organisation
 * they were written for (ADR 50); and those a school brought from another installation, kept
 * beside the chain (ADR 52), marked `brought`. A school's history reads the same after it joins:
 * the access trail and the subject access export read them all. `unowned` adds the entries
 * of no organisation (a person's own sign-ins and two-step changes).
 */
export function organisationAuditEntries(db: DbOrTrx, organisationId: string, options: { unowned?: boolean } = {}) {
  const own = db
    .selectFrom('audit_event')
    .select([
      'id',
      'occurred_at',
      'actor_id',
      'detail',
      'subject_type',
      'subject_id',
      'action',
      'school_id',
      sql<boolean>`false`.as('brought'),
    ])
    .where((eb) =>
      eb.or([
        eb('organisation_id', '=', organisationId),
        eb(
          'organisation_id',
          'in',
          eb
            .selectFrom('organisation')
            .select('organisation.id')
            .where('organisation.joined_organisation_id', '=', organisationId),
        ),
        ...(options.unowned ? [eb('organisation_id', 'is', null)] : []),
      ]),
    )
  const brought = db
    .selectFrom('imported_audit_event as ie')
    .innerJoin('imported_audit_segment as seg', 'seg.id', 'ie.segment_id')
    .where('seg.organisation_id', '=', organisationId)
    .select([
      sql<number>`(ie.entry->>'id')::bigint`.as('id'),
      sql<Date>`(ie.entry->>'occurred_at')::timestamptz`.as('occurred_at'),
      sql<string | null>`(ie.entry->>'actor_id')::uuid`.as('actor_id'),
      sql<Record<string, unknown>>`ie.entry->'detail'`.as('detail'),
      sql<string>`ie.entry->>'subject_type'`.as('subject_type'),
      sql<string | null>`ie.entry->>'subject_id'`.as('subject_id'),
      sql<string>`ie.entry->>'action'`.as('action'),
      sql<string | null>`(ie.entry->>'school_id')::uuid`.as('school_id'),
      sql<boolean>`true`.as('brought'),
    ])
  return own.unionAll(brought)
}
