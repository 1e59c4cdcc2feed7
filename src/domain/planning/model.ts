/**
 * The annual planner's data (CA-02, MW-01, MW-04): what it reads and what it proposes. Plain data;
 * the service layer maps database rows to it.
 */
import type { ClockTime, IsoDate, SchoolCalendar } from '../calendar/index.ts'
import type { Person, Weekday } from '../people/person.ts'
import type { PersonOverride, PolicyDocument, SupervisionContext } from '../policy/index.ts'
import type { SupervisionTeam } from './teams.ts'

/** How much supervising one supervisor is asked to do, and when in the day sessions may fall. */
export interface PlanLimits {
  /** The most sessions a supervisor leads in one day. */
  maxPerDay: number
  /** The most sessions a supervisor leads in one week (Monday to Sunday). */
  maxPerWeek: number
  /** The earliest a planned session starts, 'HH:MM' in Europe/London. */
  dayStartsAt: ClockTime
  /** The latest a planned session ends, 'HH:MM' in Europe/London. */
  dayEndsAt: ClockTime
}

export const defaultPlanLimits: Readonly<PlanLimits> = Object.freeze({
  maxPerDay: 3,
  maxPerWeek: 10,
  dayStartsAt: '09:00',
  dayEndsAt: '17:00',
})

/** Minutes left free between two sessions of the same person. */
export const gapBetweenSessionsMinutes = 15

/** A session's length when the requirement does not say (MW-03: "about one hour"). */
export const fallbackDurationMinutes = 60

/** A session already in Haven: held ones set the clock; planned ones count and take up time. */
export interface ExistingSession {
  id: string
  typeId: string
  date: IsoDate
  startTime: ClockTime | null
  durationMinutes: number | null
  status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
}

export interface PlanInput {
  /** The policy in force for the year. */
  policy: PolicyDocument
  calendar: SchoolCalendar
  /** The school's staff and everyone who may supervise them (from other schools of a trust too). */
  people: readonly Person[]
  /**
   * Who supervises a person in sessions of a type (a kind of supervision), best first: their
   * supervisor for that kind, their general supervisor, then their line manager. Each is checked
   * against the policy's rules for that kind (supervisorEligibility, as booking does).
   */
  supervisorsOf: (person: Person, sessionTypeId: string) => readonly string[]
  existingSessions: readonly ExistingSession[]
  /** '2026-27' */
  yearId: string
  limits: PlanLimits
  /** Plan only for people of this school (people of other schools are there as supervisors). */
  schoolId?: string | null
  /** The first day a session may be proposed (today, part way through a year); default the year's first day of term. */
  from?: IsoDate | null
  /** Scope overrides and agreed frequencies (MW-03). */
  overrides?: readonly PersonOverride[]
  /** The trust's schools and delegations, for the grid of who may supervise whom. */
  supervision?: Omit<SupervisionContext, 'on'>
  /** CA-05: the school's standing teams, whose group sessions are planned with the team. */
  teams?: readonly SupervisionTeam[]
}

/** One proposed session. */
export interface Proposal {
  superviseeId: string
  supervisorId: string
  typeId: string
  date: IsoDate
  startTime: ClockTime
  durationMinutes: number
  /** The requirement whose due date it meets. */
  requirementId: string
  /** CA-05: the standing team whose group session this is (one line per member). */
  teamId?: string | null
  /** Lines with the same key are one group session. */
  groupKey?: string | null
}

/** Something the DSL should know about a proposal that was still made (LH-08: an untrained supervisor the policy only warns about). */
export interface PlanWarning {
  personId: string
  reason: string
}

/** A person the planner could not fully plan, and why, in words fit to show the DSL. */
export interface Unplaceable {
  personId: string
  /** The requirement concerned, when it is about one. */
  requirementId: string | null
  reason: string
}

export interface PlanResult {
  yearId: string
  /** The first day sessions were proposed from. */
  from: IsoDate
  /** The last day of term in the year: no session is proposed after it. */
  until: IsoDate
  /** The first day of term of the following year: what falls due before it is planned this year. */
  horizon: IsoDate
  /** In date order, then start time, supervisor and supervisee. */
  proposals: Proposal[]
  unplaceable: Unplaceable[]
  /** LH-08: proposals made with a supervisor the policy warns about. */
  warnings: PlanWarning[]
}

/** A person's working days; nothing recorded means Monday to Friday. */
export function workingDaysOf(person: Person): readonly Weekday[] {
  return person.workingDays.length > 0 ? person.workingDays : [1, 2, 3, 4, 5]
}
