/** How sessions read on the page: status tags, names, times and rebooking deadlines. */
import { formatLongDate } from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { formatSpan, type RebookingView } from '../../domain/scheduling/index.ts'
import type { CancellationKind, SessionStatus, SessionSummary } from '../../services/sessions/repository.ts'

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
    href: `/sessions/${session.id}`,
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
