/**
 * Loads what the compliance engine reads for one school: people, held and planned sessions,
 * cancellations with their rebookings, and per-person overrides, as plain facts.
 */

import type { Db } from '../../db/database.ts'
import {
  cancellationsOfSchool,
  cancelledSupervisees,
  overridesInForce,
  sessionFactsOfSchool,
} from '../../db/repositories/compliance.ts'
import { peopleOfSchool } from '../../db/repositories/staff/people.ts'
import type { CancellationFact, SessionFact } from '../../domain/compliance/index.ts'
import type { Person } from '../../domain/people/person.ts'
import type { PersonOverride } from '../../domain/policy/index.ts'

export async function schoolPeople(db: Db, schoolId: string): Promise<Person[]> {
  return peopleOfSchool(db, schoolId)
}

/**
 * How a loader's reads are run: as they come (the default), or in turn with the process let in
 * between them (the rollup's background recount, ADR 0044).
 */
export type Turn = <T>(read: () => Promise<T>) => Promise<T>

const asTheyCome: Turn = (read) => read()

export async function sessionFacts(db: Db, schoolId: string, turn: Turn = asTheyCome): Promise<SessionFact[]> {
  return turn(() => sessionFactsOfSchool(db, schoolId))
}

export async function cancellationFacts(
  db: Db,
  schoolId: string,
  turn: Turn = asTheyCome,
): Promise<CancellationFact[]> {
  const [rows, supervisees] = await Promise.all([
    turn(() => cancellationsOfSchool(db, schoolId)),
    turn(() => cancelledSupervisees(db, schoolId)),
  ])
  const bySession = new Map<string, string[]>()
  for (const s of supervisees) bySession.set(s.sessionId, [...(bySession.get(s.sessionId) ?? []), s.personId])
  const facts = new Map<string, CancellationFact>()
  for (const r of rows) {
    // A session rebooked more than once: the earliest rebooking counts.
    const prior = facts.get(r.id)
    if (prior) {
      if (r.rebookedFor && (!prior.rebookedFor || r.rebookedFor < prior.rebookedFor)) prior.rebookedFor = r.rebookedFor
      continue
    }
    facts.set(r.id, {
      id: r.id,
      sessionId: r.sessionId,
      typeId: r.typeId,
      date: r.date,
      superviseeIds: bySession.get(r.sessionId) ?? [],
      reasonId: r.reasonId,
      returnDate: r.returnDate,
      rebookedFor: r.rebookedFor,
    })
  }
  return [...facts.values()]
}

export async function personOverrides(db: Db, schoolId: string): Promise<PersonOverride[]> {
  return overridesInForce(db, schoolId)
}
