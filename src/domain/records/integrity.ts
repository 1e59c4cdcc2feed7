/**
 * Tamper evidence for a record against the audit log (X-06, X-07; issue 12, docs/adr/0013).
 *
 * The content hash alone catches content changed in the database, but not someone who also
 * recomputes every stored hash, deletes a signature row, or adds one. The audit log is
 * hash-chained (services/audit.ts): its `record.complete`, `record.sign`, `record.reopen` and
 * `record.addendum` entries say, independently of the record's own tables, which content was
 * completed, who signed which hash, whether the last signature locked it, and which addenda were
 * added. `checkRecordIntegrity` compares the record as stored with that history.
 *
 * Pure: no I/O, no clock.
 */
import { checkIntegrity, type IntegrityCheck, type RecordStatus, type SignatureFact } from './record.ts'

/** An audit entry about a record, as read back from the log (oldest first). */
export interface RecordAuditEntry {
  action: string
  actorId: string | null
  detail: unknown
}

/** The actions whose entries the check reads. */
export const recordIntegrityActions = ['record.complete', 'record.reopen', 'record.sign', 'record.addendum'] as const

export interface AuditedSignature {
  personId: string
  contentHash: string
  /** Made since the record was last completed (not superseded by a reopening). */
  current: boolean
}

/** What the audit log says about a record's completion and signatures. */
export interface AuditedRecord {
  /** The hash it was last completed with; null when it was never completed or reopened since. */
  completedHash: string | null
  /** The last signature locked it, and it has not been reopened since. */
  locked: boolean
  signatures: AuditedSignature[]
  /** The hash of every addendum added, in order. */
  addendumHashes: string[]
}

const hashIn = (detail: unknown): string | null => {
  if (detail === null || typeof detail !== 'object') return null
  const value = (detail as Record<string, unknown>)['contentHash']
  return typeof value === 'string' ? value : null
}

/** Replays a record's audit entries (oldest first). */
export function auditedRecord(entries: readonly RecordAuditEntry[]): AuditedRecord {
  let completedHash: string | null = null
  let locked = false
  const signatures: AuditedSignature[] = []
  const addendumHashes: string[] = []
  const supersede = () => {
    for (const s of signatures) s.current = false
  }
  for (const entry of entries) {
    switch (entry.action) {
      case 'record.complete':
        supersede()
        completedHash = hashIn(entry.detail) ?? ''
        locked = false
        break
      case 'record.reopen':
        supersede()
        completedHash = null
        locked = false
        break
      case 'record.sign':
        if (entry.actorId !== null)
          signatures.push({ personId: entry.actorId, contentHash: hashIn(entry.detail) ?? '', current: true })
        if ((entry.detail as Record<string, unknown> | null)?.['locked'] === true) locked = true
        break
      case 'record.addendum': {
        const hash = hashIn(entry.detail)
        if (hash !== null) addendumHashes.push(hash)
        break
      }
    }
  }
  return { completedHash, locked, signatures, addendumHashes }
}

export interface StoredSignature extends SignatureFact {
  name: string
}

export interface StoredAddendum {
  /** The hash kept with the addendum. */
  contentHash: string
  /** The hash of the addendum as stored now (`addendumHash`). */
  currentHash: string
}

export interface RecordIntegrityInput {
  status: RecordStatus
  /** The hash of the content as stored now. */
  currentHash: string
  /** The hash kept on the record when it was completed. */
  completedHash: string | null
  /** The hash kept in the latest completed or locked version, if any. */
  versionHash: string | null
  signatures: readonly StoredSignature[]
  addenda: readonly StoredAddendum[]
  /** The record's audit entries, oldest first. */
  audit: readonly RecordAuditEntry[]
  /** Names of the people who may sign, for a signature whose row has gone. */
  names: Readonly<Record<string, string>>
}

const possessive = (name: string) => `${name}’s`

/**
 * The record as stored against its own hashes (`checkIntegrity`) and against the audit log: a
 * signature missing, changed or never made in Haven; content that is not what the log says was
 * completed or signed (even when every stored hash was recomputed); a lock the log does not
 * show, or one the log shows but the record has lost; an addendum changed, removed or added.
 */
export function checkRecordIntegrity(input: RecordIntegrityInput): IntegrityCheck {
  const own = checkIntegrity({
    status: input.status,
    currentHash: input.currentHash,
    completedHash: input.completedHash,
    signatures: input.signatures,
    versionHash: input.versionHash,
  })
  const reasons = [...own.reasons]
  const add = (reason: string) => {
    if (!reasons.includes(reason)) reasons.push(reason)
  }
  const audited = auditedRecord(input.audit)
  const nameOf = (personId: string) =>
    input.names[personId] ?? input.signatures.find((s) => s.personId === personId)?.name ?? 'Someone'

  // Completion.
  if (input.status === 'draft') {
    if (audited.completedHash !== null)
      add('The record is shown as a draft, but the audit log shows it was completed and not reopened.')
  } else if (audited.completedHash === null) {
    add('The audit log does not show this record being completed.')
  } else if (audited.completedHash !== input.currentHash) {
    add('The content no longer matches the content recorded in the audit log when it was completed.')
  }

  // Signatures made since the last completion: each must be there, over the hash the log has.
  const active = input.signatures.filter((s) => !s.superseded)
  const current = audited.signatures.filter((s) => s.current)
  for (const signed of current) {
    const row = active.find((s) => s.personId === signed.personId)
    if (!row) add(`${possessive(nameOf(signed.personId))} signature is missing.`)
    else if (row.contentHash !== signed.contentHash)
      add(`${possessive(row.name)} signature no longer matches the audit log.`)
    if (signed.contentHash !== input.currentHash)
      add('The content no longer matches what was recorded in the audit log when it was signed.')
  }
  for (const row of active)
    if (!current.some((s) => s.personId === row.personId))
      add(`${possessive(row.name)} signature was not made in Haven.`)
  // Signatures from before a reopening are kept, superseded: none may go.
  const earlier = input.signatures.filter((s) => s.superseded)
  const unmatched = [...earlier]
  for (const signed of audited.signatures.filter((s) => !s.current)) {
    const at = unmatched.findIndex((s) => s.personId === signed.personId && s.contentHash === signed.contentHash)
    if (at === -1) add(`An earlier signature by ${nameOf(signed.personId)} is missing.`)
    else unmatched.splice(at, 1)
  }
  for (const row of unmatched) add(`An earlier signature by ${row.name} was not made in Haven.`)

  // The lock.
  if (input.status === 'signed' && !audited.locked)
    add('The record is shown as signed by everyone, but the audit log does not show everyone signing it.')
  if (audited.locked && input.status !== 'signed')
    add('The audit log shows everyone signed the record, but it is no longer shown as signed.')

  // Addenda.
  const left = [...audited.addendumHashes]
  for (const addendum of input.addenda) {
    if (addendum.currentHash !== addendum.contentHash) add('An addendum has been changed.')
    const at = left.indexOf(addendum.contentHash)
    if (at === -1) add('An addendum was not added in Haven.')
    else left.splice(at, 1)
  }
  if (left.length > 0) add(left.length === 1 ? 'An addendum has been removed.' : 'Addenda have been removed.')

  return { altered: reasons.length > 0, reasons }
}
