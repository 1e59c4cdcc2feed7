/**
 * Whether a proposed session may move to another day (the DSL changing a date in the planner):
 * the same rules the planner follows, as messages in the Design System's wording.
 */
import {
  closureOn,
  formatLongDate,
  type IsoDate,
  isoWeekday,
  isWorkingDay,
  type SchoolCalendar,
} from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import { type PlanLimits, workingDaysOf } from './model.ts'

const weekdayPlural = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays']

export interface DateCheck {
  calendar: SchoolCalendar
  date: IsoDate
  /** The first and last days the plan covers. */
  from: IsoDate
  until: IsoDate
  supervisee: Person
  supervisor: Person
}

/** The problem with moving a session to `date`, or null when it may go there. */
export function proposalDateProblem(check: DateCheck): string | null {
  const { date, calendar } = check
  if (date < check.from || date > check.until) {
    return `The date must be between ${formatLongDate(check.from)} and ${formatLongDate(check.until)}`
  }
  const closure = closureOn(calendar, date)
  if (closure !== null) {
    const what = closure.kind === 'inset' ? 'an INSET day' : 'a closure day'
    return `${formatLongDate(date)} is ${what}: choose another date`
  }
  if (!isWorkingDay(calendar, date)) {
    return `${formatLongDate(date)} is not a working day in term: choose a weekday in term that is not a bank holiday`
  }
  const weekday = isoWeekday(date)
  for (const person of [check.supervisee, check.supervisor]) {
    if (!workingDaysOf(person).includes(weekday)) {
      return `${person.name} does not work on ${weekdayPlural[weekday - 1]}: choose another date`
    }
  }
  if (check.supervisee.endDate !== null && date > check.supervisee.endDate) {
    return `${check.supervisee.name} leaves on ${formatLongDate(check.supervisee.endDate)}: choose an earlier date`
  }
  if (check.supervisor.endDate !== null && date > check.supervisor.endDate) {
    return `${check.supervisor.name} leaves on ${formatLongDate(check.supervisor.endDate)}: choose an earlier date`
  }
  return null
}

/** The problem with one more session for a supervisor who already has these, or null. */
export function supervisorLimitProblem(
  limits: Pick<PlanLimits, 'maxPerDay' | 'maxPerWeek'>,
  supervisorName: string,
  onDay: number,
  inWeek: number,
): string | null {
  if (onDay >= limits.maxPerDay) {
    return `${supervisorName} already has ${onDay} ${onDay === 1 ? 'session' : 'sessions'} that day, the most allowed: choose another date`
  }
  if (inWeek >= limits.maxPerWeek) {
    return `${supervisorName} already has ${inWeek} ${inWeek === 1 ? 'session' : 'sessions'} that week, the most allowed: choose another date`
  }
  return null
}
