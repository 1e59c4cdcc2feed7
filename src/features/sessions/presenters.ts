/** How sessions and requests read on the page: status tags, names, times, rebooking deadlines and policy notes. */

import { formatLongDate, londonDateOf } from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { describeDuration, type PolicyDocument } from '../../domain/policy/index.ts'
import { furtherSupportOffered } from '../../domain/policy/practice.ts'
import { formatSpan, type RebookingView } from '../../domain/scheduling/index.ts'
import { paths } from '../../paths/index.ts'
import type { CancellationKind, SessionStatus, SessionSummary } from '../../services/sessions/repository.ts'
import type { SessionRequest } from '../../services/sessions/requests.ts'

export interface Tag {
  text: string
  classes: string
}

export function statusTag(status: SessionStatus, cancellationKind: CancellationKind | null): Tag {
  switch (status) {
    case 'planned':
      return { text: 'Planned', classes: '' }
    case 'held':
      return { text: 'Held', classes: 'govuk-tag--green' }
    case 'did-not-attend':
      return { text: 'Did not attend', classes: 'govuk-tag--orange' }
    case 'cancelled':
      return cancellationKind === 'postponed'
        ? { text: 'Postponed', classes: 'govuk-tag--yellow' }
        : { text: 'Cancelled', classes: 'govuk-tag--grey' }
  }
}

export function tagsOf(session: Pick<SessionSummary, 'status' | 'cancellationKind' | 'unplanned'>): Tag[] {
  const tags = [statusTag(session.status, session.cancellationKind)]
  if (session.unplanned) tags.push({ text: 'Unplanned', classes: 'govuk-tag--purple' })
  return tags
}

export function rebookingTag(view: RebookingView): Tag | null {
  switch (view.state) {
    case 'open':
      return { text: `Rebook by ${shortDate(view.deadline)}`, classes: '' }
    case 'due-soon':
      return { text: `Rebook by ${shortDate(view.deadline)}`, classes: 'govuk-tag--orange' }
    case 'awaiting-return':
      return { text: 'Return date needed', classes: 'govuk-tag--yellow' }
    case 'met':
      return { text: 'Rebooked in time', classes: 'govuk-tag--green' }
    case 'missed':
      return { text: 'Rebooking deadline missed', classes: 'govuk-tag--red' }
    case 'as-soon-as-possible':
      return { text: 'Rebook as soon as possible', classes: 'govuk-tag--yellow' }
    case 'not-rebooked':
      return { text: 'Not rebooked', classes: 'govuk-tag--red' }
    case 'no-deadline':
      return null
  }
}

function shortDate(date: IsoDate | null): string {
  return date ? formatLongDate(date) : ''
}

export const cancellationKindNames: Readonly<Record<CancellationKind, string>> = Object.freeze({
  cancelled: 'Cancelled',
  postponed: 'Postponed',
  'did-not-attend': 'Did not attend',
})

/** A session's status, as the "your sessions" filter names it (issue 16). */
export const sessionStatusNames: Readonly<Record<SessionSummary['status'], string>> = Object.freeze({
  planned: 'Planned',
  held: 'Held',
  cancelled: 'Cancelled',
  'did-not-attend': 'Did not attend',
})

export function namesOf(people: readonly { name: string }[]): string {
  const names = people.map((p) => p.name)
  if (names.length <= 1) return names[0] ?? 'No one'
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

export function timeText(session: Pick<SessionSummary, 'startTime' | 'durationMinutes'>): string {
  return formatSpan(session.startTime, session.durationMinutes)
}

/** The row of a session in a table: date, time, type, people, tags. */
export function sessionRow(session: SessionSummary, typeName: (id: string) => string, viewerId: string | null) {
  const role =
    viewerId === null ? null : session.supervisors.some((p) => p.id === viewerId) ? 'Supervisor' : 'Supervisee'
  const others =
    role === 'Supervisor'
      ? session.supervisees
      : role === 'Supervisee'
        ? [...session.supervisors, ...session.supervisees.filter((p) => p.id !== viewerId)]
        : session.supervisees
  return {
    id: session.id,
    href: paths.sessions.show({ id: session.id }),
    date: formatLongDate(session.date),
    isoDate: session.date,
    time: timeText(session),
    typeName: typeName(session.typeId),
    supervisors: namesOf(session.supervisors),
    supervisees: namesOf(session.supervisees),
    with: namesOf(others),
    role,
    tags: tagsOf(session),
  }
}

export const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** The banner after a change, by the `saved` query a redirect carries. */
export const savedMessages: Readonly<Record<string, string>> = Object.freeze({
  booked: 'The session has been booked',
  rebooked: 'The session has been rebooked',
  cancelled: 'The session has been cancelled',
  postponed: 'The session has been postponed to a new date',
  'did-not-attend': 'The session has been recorded as not taking place',
  held: 'The session has been recorded as taking place',
  'return-date': 'The return date has been saved',
  unplanned: 'The unplanned supervision has been recorded',
})

export function requestTag(status: SessionRequest['status']): Tag {
  return status === 'open'
    ? { text: 'Waiting for an answer', classes: 'govuk-tag--yellow' }
    : status === 'booked'
      ? { text: 'Booked', classes: 'govuk-tag--green' }
      : { text: 'Declined', classes: 'govuk-tag--grey' }
}

/** The row of a request in a table. */
/** Issue 14: the request was asked for by someone other than the person it is for. */
export function onBehalf(r: SessionRequest): boolean {
  return r.requestedBy !== null && r.requestedBy.id !== r.requester.id
}

/** Issue 14: "Asked by X for Y" for a request made on someone's behalf; null for one's own. */
export function askedByText(r: SessionRequest): string | null {
  return onBehalf(r) ? `Asked by ${r.requestedBy?.name} for ${r.requester.name}` : null
}

export function requestRow(r: SessionRequest) {
  return {
    href: paths.sessions.request({ id: r.id }),
    askedOn: formatLongDate(londonDateOf(r.createdAt)),
    from: askedByText(r) ?? r.requester.name,
    topic: r.topic.charAt(0).toUpperCase() + r.topic.slice(1),
    dates: r.preferredDates.length > 0 ? r.preferredDates.map(formatLongDate).join(', ') : 'Any',
    tag: requestTag(r.status),
  }
}

/** What the school's policy says about cancelling and rebooking, in sentences. */
export function policyNotes(policy: PolicyDocument | null): string[] {
  if (!policy) return []
  const notes: string[] = []
  if (policy.cancellation.exceptionalOnly)
    notes.push('Your school’s policy says sessions are cancelled only in exceptional circumstances.')
  const rule = policy.cancellation.rebooking
  if (rule) {
    const types = rule.sessionTypes.map((id) => policy.sessionTypes.find((t) => t.id === id)?.name.toLowerCase() ?? id)
    const which = types.length > 0 ? `A ${types.join(' or ')} session` : 'A session'
    const absence = rule.afterAbsence
      ? `, or within ${describeDuration(rule.afterAbsence)} of the person’s return when it was missed through absence or illness`
      : ''
    if (rule.within === null) {
      const warn = rule.warnAfter
        ? ` It is flagged if it is still not rebooked after ${describeDuration(rule.warnAfter)}.`
        : ''
      notes.push(`${which} that does not take place must be rebooked as soon as possible.${warn}`)
    } else {
      notes.push(
        `${which} that does not take place must be rebooked within ${describeDuration(rule.within)}${absence}.`,
      )
    }
  }
  return notes
}

/** LH-04: the further support the school offers, for a list: "Stress risk assessment (the line manager): ...". */
export function furtherSupportItems(
  policy: PolicyDocument | null,
): { name: string; providedBy: string; description: string }[] {
  return furtherSupportOffered(policy).map((s) => ({
    name: s.name,
    providedBy: s.providedBy,
    description: s.description,
  }))
}
