/**
 * Deterministic test data for compliance and policy tests: a person, a session, a cancellation
 * and a calendar, each with sensible defaults and overrides. Not used by production code.
 */
import { englandDefaultCalendar, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'
import { noFlags, type Person, type PersonFlags } from '../people/person.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { parsePolicy } from '../policy/validate.ts'
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

/**
 * An invented school, Riverside Primary, none of the packs: everyone has one-to-one supervision
 * with their line manager at `frequency` (once a term unless given); cancellations are for staff
 * absence or another reason, rebooked by `rebooking` (none unless given); a missed rebooking goes
 * to the DSL. The policy takes effect on 1 September 2025.
 */
export function anInventedPolicy(
  options: { frequency?: Record<string, unknown>; rebooking?: Record<string, unknown> | null } = {},
): PolicyDocument {
  return parsePolicy({
    schemaVersion: 1,
    id: 'riverside',
    version: 1,
    effectiveFrom: '2025-09-01',
    metadata: {
      title: 'Riverside supervision policy',
      school: 'Riverside Primary',
      owner: { name: 'R. Lead', role: null },
    },
    sessionTypes: [
      {
        id: 'one-to-one',
        name: 'One-to-one supervision',
        description: 'Planned and private',
        countsTowardEntitlement: true,
        group: false,
        planned: true,
        formal: true,
      },
    ],
    scope: { rules: [{ id: 'everyone', description: 'All staff', who: { everyone: true } }] },
    requirements: [
      {
        id: 'one-to-one',
        description: 'One-to-one supervision',
        sessionTypes: ['one-to-one'],
        frequency: options.frequency ?? { every: 1, unit: 'terms' },
        agreedFrequency: { allowed: 'any' },
      },
    ],
    supervisors: {
      rules: [
        {
          id: 'line-manager',
          description: null,
          supervisees: { everyone: true },
          supervisors: [{ kind: 'line-manager' }],
        },
      ],
    },
    cancellation: {
      reasons: [
        { id: 'staff-absence', name: 'Staff absence or illness', absence: true },
        { id: 'other', name: 'Another reason', absence: false },
      ],
      rebooking: options.rebooking ?? null,
    },
    escalation: [
      {
        id: 'not-rebooked',
        trigger: 'rebooking-deadline-missed',
        description: 'A cancelled session not rebooked goes to the DSL',
        steps: [{ id: 'dsl', afterWorkingDays: 0, target: { kind: 'role', role: 'dsl' }, action: 'The DSL is told' }],
      },
    ],
    recording: { recordedBy: 'supervisor', signedBy: ['supervisor', 'supervisee'], copiesHeldBy: ['supervisee'] },
    childRecord: {},
    practice: {},
  })
}
