/**
 * The access trail a school's DSL reads, as the page asks for it: the first page, newest
 * first, no filters; and an opening of a session's content written to the audit log as the app
 * writes it. For the tests that check a school's history reads the same after it joins a trust.
 */
import type { Db } from '../../src/db/database.ts'
import { emptyListQuery } from '../../src/domain/lists/list-query.ts'
import { recordAudit } from '../../src/services/audit.ts'
import { accessTrail, trailPeople } from '../../src/services/records/access-trail.ts'

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
