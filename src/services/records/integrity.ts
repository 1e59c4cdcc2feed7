/**
 * Whether a record is as Haven left it (X-06; issue 12, docs/adr/0013): its content against the
 * hashes kept with it, its signatures and addenda, and all of it against the hash-chained audit
 * log. The record page, the PDF and signing all ask here, so they always agree.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { checkRecordIntegrity, recordIntegrityActions } from '../../domain/records/integrity.ts'
import { addendumHash, type IntegrityCheck, recordContentHash } from '../../domain/records/record.ts'
import { auditEntriesFor } from '../audit.ts'
import type { LoadedRecord } from './store.ts'

export async function recordIntegrity(db: DbOrTrx, record: LoadedRecord): Promise<IntegrityCheck> {
  const audit = await auditEntriesFor(db, { type: 'record', id: record.id }, recordIntegrityActions)
  const lastKept = [...record.versions].reverse().find((v) => v.kind === 'completed' || v.kind === 'locked')
  const names: Record<string, string> = {}
  for (const p of [...(record.document.session?.supervisors ?? []), ...(record.document.session?.supervisees ?? [])])
    names[p.personId] = p.name
  return checkRecordIntegrity({
    status: record.status,
    currentHash: recordContentHash(record.template, record.document),
    completedHash: record.contentHash,
    versionHash: record.status === 'draft' ? null : (lastKept?.contentHash ?? null),
    signatures: record.signatures.map((s) => ({
      personId: s.personId,
      name: s.name,
      contentHash: s.contentHash,
      superseded: s.superseded,
    })),
    addenda: record.addenda.map((a) => ({
      contentHash: a.contentHash,
      currentHash: addendumHash({
        recordId: record.id,
        authorId: a.authorId,
        authorName: a.authorName,
        text: a.text,
        createdAt: a.createdAt.toISOString(),
      }),
    })),
    audit,
    names,
  })
}
