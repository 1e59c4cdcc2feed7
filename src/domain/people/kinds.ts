/**
 * People who are not employees (issue 14): governors, committee chairs, volunteers and external
 * supervisors. They are people of the organisation like staff, with a kind, their own body's name
 * and what they may do (supervise, be supervised, sign, receive reports), but no employment record:
 * they never count as staff (staff lists, scope, compliance, overview), and someone from outside
 * may have their access end on a date.
 */
import { Capability, type IsoDate, type Person, PersonKind } from './person.ts'

/** What staff may do: everything but receive reports, which is given to each person who should. */
export const staffCapabilities: readonly Capability[] = Object.freeze([
  Capability.Supervise,
  Capability.BeSupervised,
  Capability.Sign,
])

/** The kinds of people who are not employees, in the order pages list them. */
export const nonStaffKinds = [
  PersonKind.Governor,
  PersonKind.CommitteeChair,
  PersonKind.Volunteer,
  PersonKind.ExternalSupervisor,
] as const
export type NonStaffKind = (typeof nonStaffKinds)[number]

export const allCapabilities: readonly Capability[] = Object.freeze(Object.values(Capability))

/** What a new person of each kind may do unless the school says otherwise. */
export const defaultCapabilities: Readonly<Record<PersonKind, readonly Capability[]>> = Object.freeze({
  staff: staffCapabilities,
  governor: [Capability.Sign, Capability.ReceiveReports],
  'committee-chair': [Capability.Supervise, Capability.Sign, Capability.ReceiveReports],
  volunteer: [Capability.BeSupervised, Capability.Sign],
  'external-supervisor': [Capability.Supervise, Capability.Sign],
})

type KindFacts = Pick<Person, 'kind' | 'capabilities' | 'accessEndsOn'>

export function kindOf(person: Pick<Person, 'kind'>): PersonKind {
  return person.kind ?? PersonKind.Staff
}

/** Whether the person is a member of staff (an employee); everyone else never counts as staff. */
export function isStaff(person: Pick<Person, 'kind'>): boolean {
  return kindOf(person) === PersonKind.Staff
}

/** Whether the person may do this (staff: what staff may do, unless recorded otherwise). */
export function may(person: Pick<Person, 'capabilities'>, capability: Capability): boolean {
  return (person.capabilities ?? staffCapabilities).includes(capability)
}

/** Whether the person's access has ended by `on`: their last day of access is before it. */
export function accessEnded(person: KindFacts, on: IsoDate): boolean {
  return person.accessEndsOn != null && person.accessEndsOn < on
}

/** Whether the person comes from outside the school: an external supervisor, or staff employed externally. */
export function isFromOutside(person: Pick<Person, 'kind' | 'employmentType'>): boolean {
  return kindOf(person) === PersonKind.ExternalSupervisor || person.employmentType === 'external'
}

/** The people who receive reports (a later governors' report goes to them), of those given. */
export function reportRecipients<P extends Pick<Person, 'capabilities' | 'accessEndsOn' | 'endDate'>>(
  people: readonly P[],
  on: IsoDate,
): P[] {
  return people.filter(
    (p) => may(p, Capability.ReceiveReports) && !accessEnded(p, on) && (p.endDate === null || p.endDate >= on),
  )
}

/** Each kind's name, as pages show it. */
export const personKindNames: Readonly<Record<PersonKind, string>> = Object.freeze({
  staff: 'Member of staff',
  governor: 'Governor',
  'committee-chair': 'Chair of the committee that runs the setting',
  volunteer: 'Volunteer',
  'external-supervisor': 'External supervisor',
})

/** Each kind in a sentence: "Not required: a governor, not a member of staff". */
export const personKindPhrases: Readonly<Record<PersonKind, string>> = Object.freeze({
  staff: 'a member of staff',
  governor: 'a governor',
  'committee-chair': 'the chair of the committee that runs the setting',
  volunteer: 'a volunteer',
  'external-supervisor': 'an external supervisor',
})

/** What each capability lets a person do, as pages show it. */
export const capabilityNames: Readonly<Record<Capability, string>> = Object.freeze({
  supervise: 'Supervise others',
  'be-supervised': 'Be supervised',
  sign: 'Sign records and contracts',
  'receive-reports': 'Receive reports',
})
