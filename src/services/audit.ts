/**
 * The audit log: who did what to which subject, when. Append-only (a trigger refuses UPDATE,
 * DELETE and TRUNCATE) and hash-chained, so an entry changed or removed by someone with direct
 * database access is detected by `verifyAuditChain` (and `haven verify-audit`).
 *
 * Each entry's hash is SHA-256 over a canonical serialisation of its fields and the previous
 * entry's hash. Writers are serialised by a transaction-scoped advisory lock, so the chain stays
 * linear with concurrent requests and several Haven instances on one database; a unique index on
 * prev_hash refuses a fork outright.
 *
 * Write the entry in the same transaction as the change it records, and late in it: the lock is
 * held until that transaction ends, so every other audit writer waits for it.
 *
 * `detail` carries ids and codes only: never names, email addresses or record content.
 */
import { createHash } from 'node:crypto'
import {
  type AuditEntryFields,
  auditEntriesAbout,
  auditEntriesAfter,
  auditHead,
  insertAuditEntry,
  lockAuditLog,
} from '../db/repositories/audit.ts'
import type { DbOrTrx } from '../db/repositories/connection.ts'
import { importedSegmentEntries, importedSegments } from '../db/repositories/school-bundle.ts'
import { isUuid } from '../domain/ids.ts'
import { type CarriedAuditEntry, checkAuditSegment, type SegmentCheck } from '../domain/trust/bundle.ts'

export interface AuditEvent {
  /** What happened, as `area.verb` in lower case with hyphens: 'auth.sign-in', 'record.open'. */
  action: string
  /** What it happened to: 'account', 'person', 'record', 'outbox-message' ... */
  subjectType: string
  subjectId?: string | null
  /** Who did it (a person id); null for the system or someone not signed in. */
  actorId?: string | null
  organisationId?: string | null
  schoolId?: string | null
  /** Ids and codes only. */
  detail?: Record<string, unknown>
  ip?: string | null
}

/**
 * `brought`: the entries schools brought from their previous installations (ADR 52), checked with
 * the chain. A problem with them names the school, and the entry by its id on that installation.
 */
export type AuditChainResult =
  | { ok: true; count: number; brought: number }
  | { ok: false; count: number; brokenId: string; reason: string }
  | { ok: false; count: number; school: string; brokenId: string | null; reason: string }

/** The prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)
const HASH_VERSION = 'haven-audit-1'
const MAX_DETAIL_CHARS = 4000

export class AuditError extends Error {
  override name = 'AuditError'
}

/** A JSON value with object keys sorted at every level and undefined members dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = canonical(v)
    }
    return out
  }
  return value
}

/** The fields an entry's hash covers, as they read back from the database. */
interface HashedFields extends AuditEntryFields {
  id: string
  occurredAt: string
  detail: unknown
}

export function auditHash(f: HashedFields): string {
  const serialised = JSON.stringify([
    HASH_VERSION,
    f.id,
    f.occurredAt,
    f.organisationId,
    f.schoolId,
    f.actorId,
    f.action,
    f.subjectType,
    f.subjectId,
    canonical(f.detail),
    f.ip,
    f.prevHash,
  ])
  return createHash('sha256').update(serialised, 'utf8').digest('hex')
}

function uuidOrNull(name: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  if (!isUuid(value)) throw new AuditError(`${name} must be a UUID`)
  // The database returns UUIDs in lower case: hash what will be read back.
  return value.toLowerCase()
}

/** Detail as it will read back from jsonb, refusing anything that looks like an email address. */
function normaliseDetail(detail: Record<string, unknown> | undefined): Record<string, unknown> {
  const json = JSON.stringify(detail ?? {})
  if (json.length > MAX_DETAIL_CHARS) throw new AuditError('audit detail is too large: record ids and codes only')
  if (json.includes('@')) throw new AuditError('audit detail must not hold email addresses: record ids and codes only')
  const parsed = JSON.parse(json) as unknown
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AuditError('audit detail must be an object')
  }
  return canonical(parsed) as Record<string, unknown>
}

async function append(trx: DbOrTrx, event: AuditEvent): Promise<void> {
  const detail = normaliseDetail(event.detail)
  const organisationId = uuidOrNull('organisationId', event.organisationId)
  const schoolId = uuidOrNull('schoolId', event.schoolId)
  const actorId = uuidOrNull('actorId', event.actorId)

  await lockAuditLog(trx)
  // Under the lock, in a new statement: sees every entry committed before the lock was granted.
  const head = await auditHead(trx)
  if (head.isolation !== 'read committed') {
    // A snapshot older than the lock would chain to a stale head.
    throw new AuditError(`recordAudit needs a READ COMMITTED transaction (got ${head.isolation})`)
  }
  const prevHash = head.prevHash ?? GENESIS_HASH
  const id = head.nextId
  // Milliseconds, as JavaScript keeps them: the ISO string reads back identically from timestamptz.
  const occurredAt = new Date().toISOString()
  const fields: HashedFields = {
    id,
    occurredAt,
    organisationId,
    schoolId,
    actorId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId ?? null,
    detail,
    ip: event.ip ?? null,
    prevHash,
  }
  await insertAuditEntry(trx, {
    ...fields,
    id: Number(id),
    detailJson: JSON.stringify(detail),
    hash: auditHash(fields),
  })
}

/**
 * Appends an entry to the audit log. Given a transaction, the entry commits or rolls back with it;
 * given the database, it is written in a transaction of its own.
 */
export async function recordAudit(db: DbOrTrx, event: AuditEvent): Promise<void> {
  if (db.isTransaction) return append(db, event)
  await db.transaction().execute((trx) => append(trx, event))
}

const PAGE = 1000

/** An entry of the chain, kept outside the database to notice later removals or rewrites. */
export interface AuditAnchor {
  /** The entry's sequence number (its id); 0 for the start of an empty log. */
  id: number
  hash: string
}

/** An anchor as `haven verify-audit --anchor` prints it and `--expect` takes it: `<seq>:<hash>`. */
export function formatAnchor(anchor: AuditAnchor): string {
  return `${anchor.id}:${anchor.hash}`
}

export function parseAnchor(text: string): AuditAnchor | null {
  const m = /^(\d{1,18}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase())
  return m ? { id: Number(m[1]), hash: m[2]! } : null
}

/** Walks the whole chain, calling `visit` for every entry that verifies; the last one is the head. */
async function walkChain(
  db: DbOrTrx,
  visit: (entry: AuditAnchor) => void = () => {},
): Promise<{ result: AuditChainResult; head: AuditAnchor }> {
  let count = 0
  let prevHash = GENESIS_HASH
  let prevId: string | null = null
  let head: AuditAnchor = { id: 0, hash: GENESIS_HASH }
  const accepted = new Map<string, Acceptance>()
  let after = -1
  for (;;) {
    const rows = await auditEntriesAfter(db, after, PAGE)
    for (const r of rows) {
      const id = String(r.id)
      if (r.prevHash !== prevHash) {
        const reason =
          prevId === null
            ? 'an earlier entry is missing or has been altered (it does not start the log)'
            : `the entry before it (${prevId}) is missing, out of order or has been altered`
        return { result: { ok: false, count, brokenId: id, reason }, head }
      }
      const expected = auditHash({
        id,
        occurredAt: new Date(r.occurredAt).toISOString(),
        organisationId: r.organisationId,
        schoolId: r.schoolId,
        actorId: r.actorId,
        action: r.action,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        detail: r.detail,
        ip: r.ip,
        prevHash: r.prevHash,
      })
      if (expected !== r.hash) {
        return { result: { ok: false, count, brokenId: id, reason: 'its contents no longer match its hash' }, head }
      }
      count++
      prevHash = r.hash
      prevId = id
      head = { id: Number(r.id), hash: r.hash }
      if (r.action === 'trust.school-imported') accepted.set(String(r.detail.auditSegmentId), acceptance(id, r.detail))
      visit(head)
    }
    if (rows.length < PAGE) return { result: await checkBrought(db, count, accepted), head }
    after = rows[rows.length - 1]!.id
  }
}

/**
 * A school's audit entries as its installation wrote them, checked as at import (ADR 52): each
 * entry's hash recomputed by `auditHash`, each link to the one before, the newest as `head` names it.
 */
export function checkCarriedEntries(
  entries: readonly CarriedAuditEntry[],
  head: { id: number; hash: string } | null,
): SegmentCheck {
  return checkAuditSegment(
    entries,
    (e) =>
      auditHash({
        id: String(e.id),
        occurredAt: new Date(e.occurred_at).toISOString(),
        organisationId: e.organisation_id,
        schoolId: e.school_id,
        actorId: e.actor_id,
        action: e.action,
        subjectType: e.subject_type,
        subjectId: e.subject_id,
        detail: e.detail,
        ip: e.ip,
        prevHash: e.prev_hash,
      }),
    head,
  )
}

/** What the log's `trust.school-imported` entry recorded of the segment it accepted. */
interface Acceptance {
  logEntryId: string
  head: { id: number; hash: string } | null
  entries: unknown
  gaps: unknown
}

function acceptance(logEntryId: string, detail: Record<string, unknown>): Acceptance {
  const headId = detail.auditHeadId
  const headHash = detail.auditHeadHash
  return {
    logEntryId,
    head: typeof headId === 'number' && typeof headHash === 'string' ? { id: headId, hash: headHash } : null,
    entries: detail.auditEntries,
    gaps: detail.auditGaps,
  }
}

/**
 * Every segment of entries a school brought, checked again as at import, and against the log's
 * entry that accepted it: the same newest entry, as many entries and gaps. A segment no entry
 * accepted, or an accepted one that is gone, does not verify either.
 */
async function checkBrought(db: DbOrTrx, count: number, accepted: Map<string, Acceptance>): Promise<AuditChainResult> {
  let brought = 0
  for (const segment of await importedSegments(db)) {
    const broken = (entryId: number | null, reason: string) =>
      ({
        ok: false,
        count,
        school: segment.schoolName,
        brokenId: entryId === null ? null : String(entryId),
        reason,
      }) as const
    const accepting = accepted.get(segment.id)
    if (!accepting) return broken(null, 'no entry of this audit log accepted them')
    accepted.delete(segment.id)
    const entries = (await importedSegmentEntries(db, segment.id)).map(
      (row) => ({ ...row.entry, id: row.sourceId, hash: row.hash }) as CarriedAuditEntry,
    )
    const check = checkCarriedEntries(entries, accepting.head)
    if (!check.ok) return broken(check.entryId, check.reason)
    if (check.entries !== accepting.entries || check.gaps !== accepting.gaps)
      return broken(null, `entries have been removed since audit log entry ${accepting.logEntryId} accepted them`)
    brought += check.entries
  }
  for (const { logEntryId } of accepted.values())
    return {
      ok: false,
      count,
      brokenId: logEntryId,
      reason: 'the entries it accepted from a school’s previous installation are missing',
    }
  return { ok: true, count, brought }
}

/** A problem found by the checks above, in plain words (for `haven verify-audit` and `haven restore`). */
export function auditProblem(result: Exclude<AuditChainResult, { ok: true }>): string {
  if ('school' in result)
    return `Audit entries ${result.school} brought from its previous installation have been altered: ${
      result.brokenId === null ? '' : `its entry ${result.brokenId}: `
    }${result.reason}`
  return `Audit log entry ${result.brokenId} has been altered: ${result.reason}`
}

/**
 * Walks the whole log in order, recomputing every hash and link. Reports the first entry that does
 * not verify: one whose content no longer matches its hash, or one whose predecessor is missing
 * or was altered. Removing the newest entries leaves a shorter, valid chain, and so does
 * rewriting the whole chain: `auditAnchor` and `verifyAuditChainAgainst` catch those.
 */
export async function verifyAuditChain(db: DbOrTrx): Promise<AuditChainResult> {
  return (await walkChain(db)).result
}

/** The chain verified, and its head: the anchor to keep outside the database. */
export async function auditAnchor(
  db: DbOrTrx,
): Promise<Exclude<AuditChainResult, { ok: true }> | { ok: true; count: number; anchor: AuditAnchor }> {
  const { result, head } = await walkChain(db)
  return result.ok ? { ...result, anchor: head } : result
}

export type AnchoredChainResult =
  | AuditChainResult
  | { ok: false; count: number; anchor: AuditAnchor; problem: 'missing' | 'rewritten' }

/**
 * The chain verified, and still holding the anchored entry with the anchored hash. Entries
 * removed from the end since the anchor was taken (the anchored one among them) leave it
 * `missing`; a chain rewritten with every hash recomputed leaves it `rewritten`.
 */
export async function verifyAuditChainAgainst(db: DbOrTrx, anchor: AuditAnchor): Promise<AnchoredChainResult> {
  let found: AuditAnchor | null = anchor.id === 0 ? { id: 0, hash: GENESIS_HASH } : null
  const { result } = await walkChain(db, (entry) => {
    if (entry.id === anchor.id) found = entry
  })
  if (!result.ok) return result
  const seen = found as AuditAnchor | null
  if (seen === null) return { ok: false, count: result.count, anchor, problem: 'missing' }
  if (seen.hash !== anchor.hash) return { ok: false, count: result.count, anchor, problem: 'rewritten' }
  return result
}

export interface SubjectAuditEntry {
  id: number
  action: string
  actorId: string | null
  detail: unknown
  occurredAt: Date
}

/** The entries about one subject with the given actions, oldest first (for cross-checks such as a record's signatures). */
export async function auditEntriesFor(
  db: DbOrTrx,
  subject: { type: string; id: string },
  actions: readonly string[],
): Promise<SubjectAuditEntry[]> {
  if (actions.length === 0) return []
  return auditEntriesAbout(db, subject, actions)
}
