/** Compliance for a whole school on a date: loads the facts, asks the pure engine. */

import type { Db } from '../../db/database.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import { assessCompliance, type PersonCompliance } from '../../domain/compliance/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { policyBook } from '../policy/on-date.ts'
import { cancellationFacts, personOverrides, schoolPeople, sessionFacts } from './facts.ts'

export class NoPolicyError extends Error {
  override name = 'NoPolicyError'
}

export function todayInLondon(now = new Date()): IsoDate {
  return londonDateOf(now)
}

export async function schoolCompliance(
  db: Db,
  schoolId: string,
  today: IsoDate = todayInLondon(),
): Promise<PersonCompliance[]> {
  const { versions } = await policyBook(db, schoolId)
  if (versions.length === 0) throw new NoPolicyError('This school has no supervision policy yet')
  const [calendar, people, sessions, cancellations, overrides] = await Promise.all([
    schoolCalendar(db, schoolId, today),
    schoolPeople(db, schoolId),
    sessionFacts(db, schoolId),
    cancellationFacts(db, schoolId),
    personOverrides(db, schoolId),
  ])
  return assessCompliance({
    policy: versions,
    calendar,
    people,
    sessions,
    cancellations,
    overrides,
    today,
  })
}
