import type { RoleId } from './roles.ts'

/** ISO calendar date, YYYY-MM-DD, in Europe/London. */
export type IsoDate = string

export const EmploymentType = {
  Permanent: 'permanent',
  FixedTerm: 'fixed-term',
  Agency: 'agency',
  Temporary: 'temporary',
  Volunteer: 'volunteer',
  External: 'external',
} as const
export type EmploymentType = (typeof EmploymentType)[keyof typeof EmploymentType]

/** ISO weekday numbers: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

export interface PersonFlags {
  /** Early-career teacher or newly qualified (LH-03). */
  earlyCareer: boolean
  /** In a probation period (LH-03). */
  inProbation: boolean
  /** Works in the early years foundation stage (MW-01). */
  worksInEyfs: boolean
  /** Holds additional pastoral responsibilities (CA-02). */
  pastoralResponsibilities: boolean
  /** A trained designated safeguarding lead (MW-01). */
  trainedDsl: boolean
  /** Needs additional support: stress, personal difficulties, performance (LH-03). Sensitive. */
  additionalSupport: boolean
}

/**
 * When one of a person's flags holds (issue 14): `since` is the day it began (for example an
 * early-career teacher's start date, which date-derived selector conditions count from) and
 * `until` the last day it applies (a stress risk assessment in place until a review date). Either
 * may be null: with no `until` the flag holds until it is removed.
 */
export interface FlagPeriod {
  since: IsoDate | null
  until: IsoDate | null
}

/** The dates of the flags that have any; a flag missing here holds for as long as it is set. */
export type FlagDates = Partial<Record<keyof PersonFlags, FlagPeriod>>

/** A person as the domain sees them: pure data, no persistence concerns. */
export interface Person {
  id: string
  schoolId: string | null
  name: string
  email: string
  jobTitle: string
  roles: RoleId[]
  lineManagerId: string | null
  employmentType: EmploymentType
  /** Part time staff: supervision is never pro rata (MW-04), but planning respects working days. */
  partTime: boolean
  workingDays: Weekday[]
  startDate: IsoDate | null
  endDate: IsoDate | null
  flags: PersonFlags
  /** When each flag began and ends, where recorded (issue 14). Absent: no dates recorded. */
  flagDates?: FlagDates
  /** Date the person completed supervisor training (LH-08, PL-05), if any. */
  supervisorTrainedOn: IsoDate | null
  /** Issue 14: staff (when absent), or a person who is not an employee (see kinds.ts). */
  kind?: PersonKind
  /** Issue 14: what they may do; absent: what staff may do (see kinds.ts). */
  capabilities?: readonly Capability[]
  /** Issue 14: the last day someone from outside may sign in and take part; absent or null: no end. */
  accessEndsOn?: IsoDate | null
}

/**
 * Issue 14: who a person is to the school. Staff are employees; the others are first-class people
 * with no employment record who never count as staff: a governor (the chair of governors holds the
 * chair-of-governors role as well), the chair of the committee that runs a setting, a volunteer,
 * and an external supervisor (a local-authority team, a consultancy, a critical-incident team).
 */
export const PersonKind = {
  Staff: 'staff',
  Governor: 'governor',
  CommitteeChair: 'committee-chair',
  Volunteer: 'volunteer',
  ExternalSupervisor: 'external-supervisor',
} as const
export type PersonKind = (typeof PersonKind)[keyof typeof PersonKind]

/** Issue 14: what a person may do in Haven, beyond what their roles give them. */
export const Capability = {
  Supervise: 'supervise',
  BeSupervised: 'be-supervised',
  Sign: 'sign',
  ReceiveReports: 'receive-reports',
} as const
export type Capability = (typeof Capability)[keyof typeof Capability]

export const noFlags: PersonFlags = Object.freeze({
  earlyCareer: false,
  inProbation: false,
  worksInEyfs: false,
  pastoralResponsibilities: false,
  trainedDsl: false,
  additionalSupport: false,
})

export const FlagName = {
  earlyCareer: 'early-career',
  inProbation: 'in-probation',
  worksInEyfs: 'works-in-eyfs',
  pastoralResponsibilities: 'pastoral-responsibilities',
  trainedDsl: 'trained-dsl',
  additionalSupport: 'additional-support',
} as const satisfies Record<keyof PersonFlags, string>
export type FlagName = (typeof FlagName)[keyof typeof FlagName]

/** The flag key ('earlyCareer') of a flag name ('early-career'), or null when there is none. */
export function flagKeyOf(name: string): keyof PersonFlags | null {
  for (const key of Object.keys(FlagName) as (keyof PersonFlags)[]) if (FlagName[key] === name) return key
  return null
}

/**
 * Whether the person's flag holds on `on`: it is set, it has begun (`since` not after `on`) and
 * it has not ended (`until` not before `on`). So a flag with an end date stops by itself the day after.
 */
export function flagHolds(person: Pick<Person, 'flags' | 'flagDates'>, key: keyof PersonFlags, on: IsoDate): boolean {
  if (!person.flags[key]) return false
  const period = person.flagDates?.[key]
  if (period?.since != null && period.since > on) return false
  if (period?.until != null && period.until < on) return false
  return true
}
