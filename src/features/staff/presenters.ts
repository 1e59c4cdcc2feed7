/** Words for the staff pages: role names, flags, employment types, working days, invitation status. */
import { formatLongDate } from '../../domain/calendar/index.ts'
import {
  allCapabilities,
  capabilityNames,
  isStaff,
  kindOf,
  may,
  nonStaffKinds,
  personKindNames,
} from '../../domain/people/kinds.ts'
import type { EmploymentType, FlagPeriod, IsoDate, Person, PersonFlags, Weekday } from '../../domain/people/person.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import type { StaffChangedField } from '../../domain/people/staff-csv/index.ts'
import type { InvitationStatus, StaffFlagFilter } from '../../services/staff/people.ts'
import type { PersonScope } from '../../services/staff/scope.ts'

export const flagLabels: Readonly<Record<keyof PersonFlags, string>> = Object.freeze({
  earlyCareer: 'Early-career teacher (ECT or NQT)',
  inProbation: 'In a probation period',
  worksInEyfs: 'Works in the early years foundation stage (EYFS)',
  pastoralResponsibilities: 'Has additional pastoral responsibilities',
  trainedDsl: 'Trained designated safeguarding lead',
  additionalSupport: 'Needs additional support',
})

/**
 * A flag with its dates, for the person's page: 'In a probation period, since 1 September 2025,
 * until 28 February 2026', or 'Needs additional support: ended on 31 January 2026' once past its end.
 */
export function flagText(label: string, period: FlagPeriod | undefined, today: IsoDate): string {
  if (period?.until != null && period.until < today) return `${label}: ended on ${formatLongDate(period.until)}`
  const parts = [label]
  if (period?.since != null) parts.push(`${period.since > today ? 'from' : 'since'} ${formatLongDate(period.since)}`)
  if (period?.until != null) parts.push(`until ${formatLongDate(period.until)}`)
  return parts.join(', ')
}

export const flagFilterLabels: Readonly<Record<StaffFlagFilter, string>> = Object.freeze({
  'early-career': 'Early-career teachers',
  'in-probation': 'In a probation period',
  'works-in-eyfs': 'Works in the EYFS',
  'pastoral-responsibilities': 'Additional pastoral responsibilities',
  'trained-dsl': 'Trained DSLs',
  'additional-support': 'Needs additional support',
  'supervisor-trained': 'Supervisor training recorded',
  'part-time': 'Part time',
  external: 'External supervisors',
})

export const employmentTypeLabels: Readonly<Record<EmploymentType, string>> = Object.freeze({
  permanent: 'Permanent',
  'fixed-term': 'Fixed term',
  agency: 'Agency or supply',
  temporary: 'Temporary or casual',
  volunteer: 'Volunteer',
  external: 'External supervisor (not employed by the school or trust)',
})

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** "Monday to Friday", or the days listed: "Monday, Tuesday and Thursday". */
export function workingDaysText(days: readonly Weekday[]): string {
  const sorted = [...days].sort((a, b) => a - b)
  if (sorted.length === 5 && sorted.every((d, i) => d === i + 1)) return 'Monday to Friday'
  const names = sorted.map((d) => weekdayNames[d - 1])
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

export const changedFieldLabels: Readonly<Record<StaffChangedField, string>> = Object.freeze({
  name: 'name',
  jobTitle: 'job title',
  roles: 'roles',
  lineManagerId: 'line manager',
  employmentType: 'employment type',
  partTime: 'full or part time',
  workingDays: 'working days',
  startDate: 'start date',
  endDate: 'end date',
  'flags.earlyCareer': 'early career',
  'flags.inProbation': 'probation',
  'flags.worksInEyfs': 'EYFS',
  'flags.pastoralResponsibilities': 'pastoral responsibilities',
  'flags.trainedDsl': 'trained DSL',
  'flags.additionalSupport': 'additional support',
  supervisorTrainedOn: 'supervisor training date',
})

/** Names of roles by id: the catalogue and the school's own roles. */
export function roleNamer(customRoles: readonly { id: string; name: string }[]): (id: string) => string {
  const names = new Map<string, string>([...roleCatalogue, ...customRoles].map((r) => [r.id, r.name]))
  return (id) => names.get(id) ?? id
}

export function invitationTag(invitation: InvitationStatus): { text: string; classes: string } {
  switch (invitation.status) {
    case 'account':
      return { text: 'Has an account', classes: 'govuk-tag--green' }
    case 'invited':
      return invitation.expired
        ? { text: 'Invitation expired', classes: 'govuk-tag--orange' }
        : { text: 'Invited', classes: 'govuk-tag--blue' }
    default:
      return { text: 'Not invited', classes: 'govuk-tag--grey' }
  }
}

/**
 * Whether someone must receive supervision, in words for their page (X-04, MW-01): the answer and
 * why, naming the policy's groups in the school's words, never a rule's id.
 */
export function scopeText(scope: PersonScope): { answer: string; because: string } {
  const { decision } = scope
  if (decision === null) return { answer: 'Not known', because: 'The school has no supervision policy in force.' }
  const groups = scope.ruleDescriptions.join('; ')
  if (decision.override) {
    return decision.required
      ? { answer: 'Yes', because: `Brought into scope by name: ${decision.override.reason}` }
      : { answer: 'No', because: `Taken out of scope by name: ${decision.override.reason}` }
  }
  if (decision.required) return { answer: 'Yes', because: `Under the policy: ${groups}` }
  if (decision.inScopeFrom !== null) {
    const from = formatLongDate(decision.inScopeFrom)
    if (decision.qualifyingPeriodId !== null)
      return { answer: 'Not yet', because: `From ${from}, when they have worked here long enough under the policy` }
    if (scope.identifiedAtYearStart)
      return {
        answer: 'Not yet',
        because: `From ${from}: the policy identifies staff at the start of each academic year (${groups})`,
      }
  }
  const left = /^Not required: left on (.+)$/.exec(decision.reason)
  if (left) return { answer: 'No', because: `They left on ${left[1]}.` }
  const starts = /^Not required yet: starts on (.+)$/.exec(decision.reason)
  if (starts) return { answer: 'Not yet', because: `They start on ${starts[1]}.` }
  const notStaff = /^Not required: (.+), not a member of staff$/.exec(decision.reason)
  if (notStaff) return { answer: 'No', because: `Only staff must receive supervision: this is ${notStaff[1]}.` }
  if (/the policy does not cover/.test(decision.reason))
    return { answer: 'No', because: 'The policy does not cover their type of employment.' }
  return { answer: 'No', because: 'No group in the policy covers their roles or responsibilities.' }
}

/** Issue 14: what the person page shows about someone who is not an employee, or null for staff. */
export function otherPersonSummary(person: Person): { kindName: string; capabilitiesHtml: string } | null {
  if (isStaff(person)) return null
  const names = allCapabilities.filter((c) => may(person, c)).map((c) => capabilityNames[c])
  return {
    kindName: personKindNames[kindOf(person)],
    capabilitiesHtml:
      names.length === 0
        ? 'Nothing beyond signing in'
        : `<ul class="govuk-list">${names.map((n) => `<li>${n}</li>`).join('')}</ul>`,
  }
}

/** Issue 14: the capabilities as checkboxes. */
export function capabilityItems(checked: readonly string[]) {
  return allCapabilities.map((c) => ({ value: c, text: capabilityNames[c], checked: checked.includes(c) }))
}

/** Issue 14: the kinds of people who are not employees, as radios. */
export function personKindItems() {
  return nonStaffKinds.map((k) => ({ value: k, text: personKindNames[k] }))
}

/**
 * Issue 14 (ADR 0042): the history of who completes the records of a relationship, newest first,
 * as table rows: from when, and who.
 */
export function recorderHistoryRows(
  relationship: {
    supervisor: { name: string }
    history: readonly { effectiveFrom: IsoDate; choice: { kind: string }; personName: string | null }[]
  },
  personName: string,
  what: string,
): { text: string }[][] {
  return [...relationship.history].reverse().map((entry) => [
    { text: formatLongDate(entry.effectiveFrom) },
    {
      text:
        entry.choice.kind === 'supervisee'
          ? personName
          : entry.choice.kind === 'person'
            ? (entry.personName ?? 'Someone who is no longer here')
            : `The ${what}, ${relationship.supervisor.name}`,
    },
  ])
}
