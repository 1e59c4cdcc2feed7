/** CA-05: the school's standing supervision groups, with their leaders and members among its staff. */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { type StandingGroupView, standingGroups } from '../../domain/scheduling/groups.ts'
import { policyBook } from '../policy/on-date.ts'
import { bookablePeople, type SchoolRef } from './context.ts'

export type { StandingGroupView }

/** The groups of the policy in force today, worked out from the school's own staff. */
export async function groupsOf(db: DbOrTrx, school: SchoolRef, today: IsoDate): Promise<StandingGroupView[]> {
  const [book, people] = await Promise.all([policyBook(db, school.id), bookablePeople(db, school, today)])
  const staff = [...people.values()].filter((p) => p.schoolId === school.id)
  return standingGroups(book.on(today), staff, today)
}
