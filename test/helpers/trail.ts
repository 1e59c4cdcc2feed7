/**
 * The access trail a school's DSL reads, as the page asks for it: the first page, newest
 * first, no filters; an opening of a session's content written to the audit log as the app
 * writes it; and the audit entries of a person's subject access export. For the tests that check a
 * school's history reads the same after it joins a trust.
 */
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/database.ts'
import { emptyListQuery } from '../../src/domain/lists/list-query.ts'
import { recordAudit } from '../../src/services/audit.ts'
import { accessTrail, trailPeople } from '../../src/services/records/access-trail.ts'
import type { Client } from './browser-like.ts'
import { readZip } from './zip.ts'

export async function schoolTrail(db: Db, organisationId: string, schoolId: string) {
  const scope = { organisationId, schoolId }
  const { total, entries } = await accessTrail(
    db,
    { kind: 'school', ...scope },
    { ...emptyListQuery, sort: 'when', direction: 'desc' },
  )
  return { total, entries, people: await trailPeople(db, scope) }
}

/** Someone saw a session's preparation (as the session page records it). */
export function sessionOpened(
  db: Db,
  who: { organisationId: string; schoolId: string; actorId: string; sessionId: string },
): Promise<void> {
  return recordAudit(db, {
    action: 'record.open',
    subjectType: 'session',
    subjectId: who.sessionId,
    actorId: who.actorId,
    organisationId: who.organisationId,
    schoolId: who.schoolId,
    detail: { format: 'session' },
  })
}

export interface SubjectAuditEntry {
  id: number
  action: string
  subjectId: string | null
  byThisPerson: boolean
  broughtFromPreviousInstallation: boolean
}

/** The audit entries of a person's subject access export (audit.json), as their school's DSL downloads it. */
export async function subjectAuditOf(dsl: Client, personId: string): Promise<SubjectAuditEntry[]> {
  const res = await dsl.post('/retention/subject-access', { personId })
  assert.equal(res.statusCode, 200, res.body.slice(0, 500))
  const audit = readZip(res.rawPayload).find((e) => e.name === 'audit.json')
  assert.ok(audit, 'audit.json is in the export')
  return JSON.parse(audit.data.toString('utf8')) as SubjectAuditEntry[]
}
