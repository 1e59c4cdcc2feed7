/**
 * Deterministic test data for compliance and policy tests: a person, a session, a cancellation
 * and a calendar, each with sensible defaults and overrides. Not used by production code.
 */
import { englandDefaultCalendar, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'
import { noFlags, type Person, type PersonFlags } from '../people/person.ts'
import type { CancellationFact, SessionFact } from './model.ts'

export type PersonOverrides = Partial<Omit<Person, 'flags'>> & { flags?: Partial<PersonFlags> }

let personCounter = 0

/** A permanent, full-time member of staff at school-1 who started on 1 September 2020. */
export function aPerson(overrides: PersonOverrides = {}): Person {
  personCounter++
  const id = overrides.id ?? `person-${personCounter}`
  return {
    id,
    schoolId: 'school-1',
    name: `Person ${id}`,
    email: `${id}@school.example`,
    jobTitle: 'Teacher',
    roles: [],
    lineManagerId: null,
    employmentType: 'permanent',
    partTime: false,
    workingDays: [1, 2, 3, 4, 5],
    startDate: '2020-09-01',
    endDate: null,
    supervisorTrainedOn: null,
    ...overrides,
    flags: { ...noFlags, ...overrides.flags },
  }
}

let sessionCounter = 0

/** A held session of `typeId` on `date` for the supervisees. */
export function aSession(
  typeId: string,
  date: IsoDate,
  superviseeIds: readonly string[],
  overrides: Partial<SessionFact> = {},
): SessionFact {
  sessionCounter++
  return {
    id: `session-${sessionCounter}`,
    typeId,
    date,
    supervisorIds: ['supervisor-1'],
    superviseeIds,
    status: 'held',
    ...overrides,
  }
}

let cancellationCounter = 0

export function aCancellation(
  overrides: Partial<CancellationFact> & Pick<CancellationFact, 'date' | 'superviseeIds' | 'reasonId'>,
): CancellationFact {
  cancellationCounter++
  return {
    id: `cancellation-${cancellationCounter}`,
    sessionId: `cancelled-session-${cancellationCounter}`,
    typeId: null,
    returnDate: null,
    rebookedFor: null,
    ...overrides,
  }
}

/** England default academic years 2020-21 to 2027-28 (2025-26: autumn 1 is 1 September to 24 October 2025). */
export const englandCalendar: SchoolCalendar = englandDefaultCalendar('england-and-wales', 2020, 2027)
