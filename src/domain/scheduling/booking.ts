/**
 * Booking a supervision session (issue 6; LH-05, LH-06, CA-05, AM-02): the rules a booking must
 * meet before anything is saved, with a message in the Design System's wording for each problem.
 *
 * - The session type comes from the policy in force on the session's date. A group type takes one
 *   or more supervisees; any other type exactly one.
 * - LH-05: for a type that counts toward entitlement, every supervisor must be one the policy's grid
 *   allows for every supervisee in that kind of supervision (supervisorEligibility, the planner's
 *   check too); the refusal names the rule. Types that never count
 *   (peer, informal or group supervision in most policies) may be led by anyone, so colleagues can
 *   meet without the grid getting in the way.
 * - The date is today or later (unplanned supervision is recorded for today or earlier); the
 *   session lasts more than 0 minutes, at most 10 hours, and ends by midnight.
 * - A venue or an online link (an http or https address) is given, unless `placeOptional`.
 * - Clashes: a supervisee already booked as a supervisee at an overlapping time is refused; any
 *   other overlap for anyone involved is a warning the person booking may confirm.
 *
 * Pure: today, the people and the sessions already booked are passed in.
 */
import { addDays, type ClockTime, formatLongDate, type IsoDate } from '../calendar/index.ts'
import { isFromOutside } from '../people/kinds.ts'
import type { Person } from '../people/person.ts'
import { type PolicyDocument, type SessionType, UntrainedAction } from '../policy/model.ts'
import { type Delegation, supervisorEligibility } from '../policy/supervisors.ts'
import { untrainedSupervisorCheck } from '../policy/training.ts'
import { listWithOr, lowerFirst } from '../policy/wording.ts'
import { type Clash, findClashes, type ScheduledSession } from './clashes.ts'
import { endsByMidnight } from './times.ts'

export const BookingField = {
  Type: 'typeId',
  /** CA-01: how a session of a type with focuses is focused (theme-, case- or staff-centred). */
  Focus: 'focusId',
  Supervisors: 'supervisorIds',
  Supervisees: 'superviseeIds',
  Date: 'date',
  StartTime: 'startTime',
  Duration: 'durationMinutes',
  Venue: 'venue',
  OnlineLink: 'onlineLink',
} as const
export type BookingField = (typeof BookingField)[keyof typeof BookingField]

/** The order fields appear on the booking form: problems are listed in it. */
export const bookingFieldOrder: readonly BookingField[] = Object.values(BookingField)

/** A booking as entered. Null where the form's own check failed (that problem is already reported). */
export interface BookingRequest {
  typeId: string
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
  date: IsoDate | null
  startTime: ClockTime | null
  durationMinutes: number | null
  venue: string
  onlineLink: string
  /** CA-01: the focus chosen, for a type with focuses (ignored for others). */
  focusId?: string | null
}

/** What the trust and line management say about who may supervise (LH-05, PL-03). */
export interface GridContext {
  /** The schools of the trust, the supervisee's own included. */
  trustSchoolIds: readonly string[]
  /** Supervision a line manager has delegated (PL-03). */
  delegations: readonly Delegation[]
}

export interface BookingContext {
  /** The policy in force on the session's date (null when none is). */
  policy: PolicyDocument | null
  today: IsoDate
  /** Everyone who may be chosen, by id: anyone else is unknown. */
  people: ReadonlyMap<string, Person>
  /** Sessions already booked on the day (or more): checked for clashes. */
  existing: readonly ScheduledSession[]
  grid: GridContext
  /** Sessions that do not count as clashes, such as the one a postponement replaces. */
  ignoreSessionIds?: readonly string[]
  /** Recording supervision that has already happened (CA-01): the date is today or earlier. */
  recordingPast?: boolean
  /** No venue or link needed (unplanned supervision). */
  placeOptional?: boolean
  /** No start time needed (unplanned supervision): when null, no clash check. */
  timeOptional?: boolean
}

export interface BookingProblem {
  field: BookingField
  message: string
}

export type BookingCheck =
  | { ok: true; type: SessionType; warnings: Clash[] }
  | { ok: false; problems: BookingProblem[]; warnings: Clash[] }

export const durationLimitMinutes = 600
export const venueLimit = 200
export const onlineLinkLimit = 500
export const maxSupervisors = 4
export const maxSupervisees = 60
/** Sessions are booked at most this many days ahead (2 years). */
export const maxDaysAhead = 731
/** The length of a session when the policy does not say. */
export const fallbackMinutes = 60

/**
 * The usual length of a session of this type: the expected minutes of a requirement that counts it
 * (MW-03, AM-05: about an hour), else of any requirement, else an hour.
 */
export function defaultDurationMinutes(policy: PolicyDocument | null, typeId: string): number {
  if (!policy) return fallbackMinutes
  const counting = policy.requirements.find((r) => r.sessionTypes.includes(typeId) && r.expectedMinutes !== null)
  const any = policy.requirements.find((r) => r.expectedMinutes !== null)
  return counting?.expectedMinutes ?? any?.expectedMinutes ?? fallbackMinutes
}

/** LH-05: whether the grid of who may supervise whom applies to sessions of this type. */
export function gridApplies(type: SessionType): boolean {
  return type.countsTowardEntitlement
}

/**
 * Why `supervisor` may not supervise `supervisee` in a session of type `sessionTypeId` under the
 * policy on `on`, naming the rule; null when they may. The same check the annual planner picks
 * supervisors with (supervisorEligibility), so a booking and the planner never disagree.
 */
export function supervisorRefusal(
  policy: PolicyDocument,
  supervisor: Person,
  supervisee: Person,
  on: IsoDate,
  grid: GridContext,
  sessionTypeId?: string,
): string | null {
  const context = { on, trustSchoolIds: grid.trustSchoolIds, delegations: grid.delegations, sessionTypeId }
  const permission = supervisorEligibility(policy, supervisor, supervisee, context)
  return permission.allowed ? null : permission.reason
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const id of ids) (seen.has(id) ? twice : seen).add(id)
  return [...twice]
}

/** Checks a booking; nothing may be saved unless `ok`. */
export function checkBooking(request: BookingRequest, context: BookingContext): BookingCheck {
  const problems: BookingProblem[] = []
  const add = (field: BookingField, message: string) => problems.push({ field, message })
  const { policy, people } = context
  const nameOf = (id: string) => people.get(id)?.name ?? 'Someone'

  // When, and the policy in force then
  const date = request.date
  const datePast = date !== null && !context.recordingPast && date < context.today
  const dateFuture = date !== null && context.recordingPast === true && date > context.today
  const dateTooFar = date !== null && !context.recordingPast && date > addDays(context.today, maxDaysAhead)
  if (dateFuture) add(BookingField.Date, 'The date must be today or in the past')
  if (datePast) add(BookingField.Date, 'The date of the session must be today or in the future')
  if (dateTooFar) add(BookingField.Date, 'The date of the session must be within the next 2 years')

  // Type
  const type = policy?.sessionTypes.find((t) => t.id === request.typeId) ?? null
  if (policy === null && !datePast && !dateFuture && !dateTooFar) {
    add(
      BookingField.Date,
      date === null
        ? 'No supervision policy is in force: ask the DSL to set one up'
        : `No supervision policy is in force on ${formatLongDate(date)}: choose a later date, or ask the DSL to set one up`,
    )
  } else if (policy !== null && type === null) {
    add(BookingField.Type, 'Select the type of session')
  }
  const focusProblem = type ? sessionFocusProblem(type, request.focusId ?? null) : null
  if (focusProblem) add(BookingField.Focus, focusProblem)

  // People
  const supervisors = request.supervisorIds
  const supervisees = request.superviseeIds
  let peopleKnown = true
  if (supervisors.length === 0) {
    add(BookingField.Supervisors, 'Select a supervisor')
    peopleKnown = false
  } else if (supervisors.some((id) => !people.has(id))) {
    add(BookingField.Supervisors, 'Select a supervisor from the list')
    peopleKnown = false
  } else if (duplicates(supervisors).length > 0) {
    add(
      BookingField.Supervisors,
      `${nameOf(duplicates(supervisors)[0] as string)} is chosen twice as a supervisor. Choose each supervisor once`,
    )
  } else if (supervisors.length > maxSupervisors) {
    add(BookingField.Supervisors, `A session can have up to ${maxSupervisors} supervisors`)
  }
  if (supervisees.length === 0) {
    add(
      BookingField.Supervisees,
      type?.group ? 'Select who is in the group: a group session needs at least one supervisee' : 'Select a supervisee',
    )
    peopleKnown = false
  } else if (supervisees.some((id) => !people.has(id))) {
    add(BookingField.Supervisees, 'Select supervisees from the list')
    peopleKnown = false
  } else if (duplicates(supervisees).length > 0) {
    add(
      BookingField.Supervisees,
      `${nameOf(duplicates(supervisees)[0] as string)} is listed twice. Include each supervisee once`,
    )
  } else if (type && !type.group && supervisees.length > 1) {
    add(
      BookingField.Supervisees,
      `A session of ${lowerFirst(type.name)} is for one supervisee. Choose a group type of session to book more than one person`,
    )
  } else if (supervisees.length > maxSupervisees) {
    add(BookingField.Supervisees, `A session can have up to ${maxSupervisees} supervisees`)
  }
  const both = supervisees.find((id) => supervisors.includes(id))
  if (peopleKnown && both !== undefined) {
    add(BookingField.Supervisees, `${nameOf(both)} cannot be both a supervisor and a supervisee in the same session`)
  }

  if (date !== null && peopleKnown) {
    for (const id of [...supervisors, ...supervisees]) {
      const person = people.get(id)
      if (person?.endDate && person.endDate < date) {
        const field = supervisors.includes(id) ? BookingField.Supervisors : BookingField.Supervisees
        add(field, `${person.name} left on ${formatLongDate(person.endDate)}, before the date of the session`)
      }
    }
  }
  if (
    request.startTime === null &&
    !context.timeOptional &&
    !problems.some((p) => p.field === BookingField.StartTime)
  ) {
    // The form reports a missing or unreadable time itself; this guards direct callers.
    add(BookingField.StartTime, 'Enter the start time')
  }
  const duration = request.durationMinutes
  if (duration !== null) {
    if (duration <= 0)
      add(BookingField.Duration, 'The session must last more than 0 minutes: its end must be after its start')
    else if (duration > durationLimitMinutes)
      add(BookingField.Duration, `The session must last ${durationLimitMinutes / 60} hours or less`)
    else if (request.startTime !== null && !endsByMidnight(request.startTime, duration))
      add(BookingField.Duration, 'The session must end by midnight')
  }

  // Where
  const venue = request.venue.trim()
  const link = request.onlineLink.trim()
  if (venue.length > venueLimit) add(BookingField.Venue, `Venue must be ${venueLimit} characters or fewer`)
  if (link !== '') {
    if (link.length > onlineLinkLimit)
      add(BookingField.OnlineLink, `Online meeting link must be ${onlineLinkLimit} characters or fewer`)
    else if (!isWebAddress(link))
      add(
        BookingField.OnlineLink,
        'Enter an online meeting link in the correct format, like https://meet.example.com/supervision',
      )
  }
  if (venue === '' && link === '' && !context.placeOptional) {
    add(BookingField.Venue, 'Enter where the session will take place, or an online meeting link')
  }

  // LH-05: who may supervise whom
  if (policy && type && date !== null && peopleKnown && gridApplies(type)) {
    refusals: for (const superviseeId of supervisees) {
      for (const supervisorId of supervisors) {
        const supervisor = people.get(supervisorId)
        const supervisee = people.get(superviseeId)
        if (!supervisor || !supervisee || supervisor.id === supervisee.id) continue
        const refusal = supervisorRefusal(policy, supervisor, supervisee, date, context.grid, type.id)
        if (refusal) {
          add(BookingField.Supervisors, `${refusal}.`)
          break refusals
        }
      }
    }
  }

  // LH-08, PL-05: where the policy says to warn (not refuse) about a supervisor whose training is
  // missing or has run out, the person booking is told and may go ahead.
  const trainingWarnings: Clash[] = []
  if (policy && type && date !== null && peopleKnown && gridApplies(type)) {
    for (const supervisorId of supervisors) {
      const supervisor = people.get(supervisorId)
      if (!supervisor || isFromOutside(supervisor)) continue
      const untrained = untrainedSupervisorCheck(policy, supervisor, date)
      if (untrained?.action === UntrainedAction.Warn)
        trainingWarnings.push({
          personId: supervisorId,
          sessionId: '',
          refused: false,
          message: `${untrained.message}.`,
        })
    }
  }

  // Clashes
  let warnings: Clash[] = []
  const time = request.startTime
  if (date !== null && time !== null && duration !== null && duration > 0 && peopleKnown) {
    const clashes = findClashes(
      { date, startTime: time, durationMinutes: duration, supervisorIds: supervisors, superviseeIds: supervisees },
      context.existing,
      nameOf,
      context.ignoreSessionIds ?? [],
    )
    const refused = clashes.find((c) => c.refused)
    if (refused) add(BookingField.Supervisees, refused.message)
    warnings = clashes.filter((c) => !c.refused)
  }
  warnings = [...trainingWarnings, ...warnings]

  problems.sort((a, b) => bookingFieldOrder.indexOf(a.field) - bookingFieldOrder.indexOf(b.field))
  if (problems.length > 0 || type === null) return { ok: false, problems, warnings }
  return { ok: true, type, warnings }
}

/**
 * CA-01: a session of a type the policy lets be focused several ways (multi-agency supervision:
 * theme-, case- or staff-centred) must say which; null when it does, or the type has no focuses.
 */
export function sessionFocusProblem(
  type: Pick<SessionType, 'name' | 'focuses'>,
  focusId: string | null,
): string | null {
  const focuses = type.focuses ?? []
  if (focuses.length === 0) return null
  if (focusId !== null && focuses.some((focus) => focus.id === focusId)) return null
  return `Select whether the ${lowerFirst(type.name)} is ${listWithOr(focuses.map((focus) => lowerFirst(focus.name)))}`
}

/** The focus chosen, when the type has focuses and it is one of them; otherwise null. */
export function chosenFocus(type: Pick<SessionType, 'focuses'>, focusId: string | null | undefined): string | null {
  return (type.focuses ?? []).some((focus) => focus.id === focusId) ? (focusId as string) : null
}

/** An http or https address with a host: what an online meeting link must be. */
export function isWebAddress(text: string): boolean {
  if (/\s/.test(text)) return false
  try {
    const url = new URL(text)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.')
  } catch {
    return false
  }
}
