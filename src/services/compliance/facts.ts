/**
 * Loads what the compliance engine reads for one school: people, held and planned sessions,
 * cancellations with their rebookings, and per-person overrides, as plain facts.
 */

import type { Db } from '../../db/database.ts'
import type { CancellationFact, SessionFact } from '../../domain/compliance/index.ts'
import type { Person } from '../../domain/people/person.ts'
import type { PersonOverride } from '../../domain/policy/index.ts'
import { personFromRow } from '../staff/repository.ts'

export async function schoolPeople(db: Db, schoolId: string): Promise<Person[]> {
  const rows = await db
    .selectFrom('person')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('name')
    .orderBy('id')
    .execute()
  return rows.map(personFromRow)
}

export async function sessionFacts(db: Db, schoolId: string): Promise<SessionFact[]> {
  const sessions = await db
    .selectFrom('supervision_session')
    .select(['id', 'type_id', 'date', 'status', 'tags'])
    .where('school_id', '=', schoolId)
    .orderBy('date')
    .execute()
  const participants = await db
    .selectFrom('session_participant as p')
    .innerJoin('supervision_session as s', 's.id', 'p.session_id')
    .select(['p.session_id', 'p.person_id', 'p.role', 'p.attended'])
    .where('s.school_id', '=', schoolId)
    .execute()
  const bySession = new Map<string, { supervisors: string[]; supervisees: string[] }>()
  for (const p of participants) {
    let entry = bySession.get(p.session_id)
    if (!entry) {
      entry = { supervisors: [], supervisees: [] }
      bySession.set(p.session_id, entry)
    }
    // Someone marked absent from a held group session did not receive it.
    if (p.attended === false) continue
    ;(p.role === 'supervisor' ? entry.supervisors : entry.supervisees).push(p.person_id)
  }
  return sessions.map((s) => ({
    id: s.id,
    typeId: s.type_id,
    date: s.date,
    status: s.status,
    supervisorIds: bySession.get(s.id)?.supervisors ?? [],
    superviseeIds: bySession.get(s.id)?.supervisees ?? [],
    tags: s.tags,
  }))
}

export async function cancellationFacts(db: Db, schoolId: string): Promise<CancellationFact[]> {
  const rows = await db
    .selectFrom('session_cancellation as c')
    .innerJoin('supervision_session as s', 's.id', 'c.session_id')
    .leftJoin('supervision_session as r', (join) =>
      join.onRef('r.rebooks_session_id', '=', 's.id').on('r.status', '!=', 'cancelled'),
    )
    .select(['c.id', 'c.session_id', 's.type_id', 's.date', 'c.reason_id', 'c.return_date', 'r.date as rebooked_for'])
    .where('c.school_id', '=', schoolId)
    .execute()
  const supervisees = await db
    .selectFrom('session_participant as p')
    .innerJoin('session_cancellation as c', 'c.session_id', 'p.session_id')
    .select(['p.session_id', 'p.person_id'])
    .where('c.school_id', '=', schoolId)
    .where('p.role', '=', 'supervisee')
    .execute()
  const bySession = new Map<string, string[]>()
  for (const s of supervisees) bySession.set(s.session_id, [...(bySession.get(s.session_id) ?? []), s.person_id])
  const seen = new Set<string>()
  const facts: CancellationFact[] = []
  for (const r of rows) {
    // A session rebooked more than once: the earliest rebooking counts.
    if (seen.has(r.id)) {
      const prior = facts.find((f) => f.id === r.id)!
      if (r.rebooked_for && (!prior.rebookedFor || r.rebooked_for < prior.rebookedFor))
        prior.rebookedFor = r.rebooked_for
      continue
    }
    seen.add(r.id)
    facts.push({
      id: r.id,
      sessionId: r.session_id,
      typeId: r.type_id,
      date: r.date,
      superviseeIds: bySession.get(r.session_id) ?? [],
      reasonId: r.reason_id,
      returnDate: r.return_date,
      rebookedFor: r.rebooked_for ?? null,
    })
  }
  return facts
}

export async function personOverrides(db: Db, schoolId: string): Promise<PersonOverride[]> {
  const rows = await db
    .selectFrom('person_override')
    .select(['override'])
    .where('school_id', '=', schoolId)
    .where('ended_at', 'is', null)
    .orderBy('set_at')
    .execute()
  return rows.map((r) => r.override as PersonOverride)
}
