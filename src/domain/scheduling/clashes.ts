/**
 * Clashes: someone in a new session already has a session that overlaps it the same day. A clash
 * is a warning the person booking can confirm past (a supervisor may choose to run two sessions
 * back to back, or a supervisee may also lead a group), except a supervisee booked into two
 * sessions as a supervisee at the same time, which is refused.
 */
import { type ClockTime, formatLongDate, type IsoDate } from '../calendar/index.ts'
import { lowerFirst } from '../policy/wording.ts'
import { formatSpan, spansOverlap } from './times.ts'

/** A session already in the diary, as clash detection needs it. */
export interface ScheduledSession {
  id: string
  date: IsoDate
  /** Null for a session planned for a day with no time yet: it cannot clash. */
  startTime: ClockTime | null
  /** Null when not set: taken as an hour. */
  durationMinutes: number | null
  status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
  typeName: string
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
}

/** What is being booked: its day, time and people. */
export interface ClashCandidate {
  date: IsoDate
  startTime: ClockTime
  durationMinutes: number
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
}

export interface Clash {
  personId: string
  sessionId: string
  /** A supervisee in two sessions as a supervisee at once: refused, not just warned about. */
  refused: boolean
  message: string
}

/** A session's length when none was set, for clash checks. */
export const assumedMinutes = 60

/**
 * Every clash between the candidate and the sessions given (cancelled sessions and sessions that
 * did not take place never clash; nor do the sessions in `ignore`, such as the one being replaced).
 * One clash per person and session, refused ones first.
 */
export function findClashes(
  candidate: ClashCandidate,
  existing: readonly ScheduledSession[],
  nameOf: (personId: string) => string,
  ignore: readonly string[] = [],
): Clash[] {
  const clashes: Clash[] = []
  const when = formatLongDate(candidate.date)
  for (const session of existing) {
    if (session.date !== candidate.date || ignore.includes(session.id)) continue
    if (session.status === 'cancelled' || session.status === 'did-not-attend' || session.startTime === null) continue
    const duration = session.durationMinutes ?? assumedMinutes
    if (
      !spansOverlap(
        { start: candidate.startTime, durationMinutes: candidate.durationMinutes },
        { start: session.startTime, durationMinutes: duration },
      )
    )
      continue
    const span = formatSpan(session.startTime, duration)
    const people = [...new Set([...candidate.supervisorIds, ...candidate.superviseeIds])]
    for (const personId of people) {
      const asSupervisee = session.superviseeIds.includes(personId)
      const asSupervisor = session.supervisorIds.includes(personId)
      if (!asSupervisee && !asSupervisor) continue
      const refused = asSupervisee && candidate.superviseeIds.includes(personId)
      const name = nameOf(personId)
      const what = lowerFirst(session.typeName)
      clashes.push({
        personId,
        sessionId: session.id,
        refused,
        message: refused
          ? `${name} already has a session from ${span} on ${when} (${what}): a supervisee cannot be booked into two sessions at the same time`
          : `${name} already has a session from ${span} on ${when} (${what}, as ${asSupervisor ? 'supervisor' : 'supervisee'})`,
      })
    }
  }
  return clashes.sort((a, b) => Number(b.refused) - Number(a.refused))
}
