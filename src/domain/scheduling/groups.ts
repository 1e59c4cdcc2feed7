/**
 * CA-05: standing supervision groups, the teams the policy says meet for group supervision on a
 * set pattern ("the SEND Team with the Education Lead; tutors with the Headteacher"). Each group
 * is shown with who leads it and who is in it, worked out from the school's staff, so that a
 * session of the group can be booked with its people already chosen.
 */
import type { IsoDate, Person } from '../people/person.ts'
import type { PolicyDocument, StandingGroup, SupervisorSpec } from '../policy/model.ts'
import { selectorMatches } from '../policy/scope.ts'
import { describeFrequency, describeSelector, describeSupervisorSpec, listWithOr } from '../policy/wording.ts'

export interface StandingGroupView {
  id: string
  name: string
  description: string
  /** The session type a meeting of the group is booked as. */
  typeId: string
  typeName: string
  /** "Once every 6 weeks", or null when the policy sets no pattern of its own. */
  frequency: string | null
  /** Who leads it, in words: "the Education Lead". */
  ledBy: string
  /** Staff of the school who may lead it, by the policy's roles (empty when no role names them). */
  leaders: Person[]
  /** Who is in it, in words, or null when members are chosen for each meeting. */
  membersDescription: string | null
  /** Staff of the school in it, by name; null when members are chosen for each meeting. */
  members: Person[] | null
}

function current(person: Person, on: IsoDate): boolean {
  return person.endDate === null || person.endDate >= on
}

/** Whether the person may lead the group: they hold a role it is led by, or any member of staff may. */
export function mayLeadGroup(group: Pick<StandingGroup, 'ledBy'>, person: Person): boolean {
  return group.ledBy.some(
    (spec: SupervisorSpec) => spec.kind === 'any-staff' || (spec.kind === 'role' && person.roles.includes(spec.role)),
  )
}

/** The policy's standing groups with their leaders and members among the school's current staff, by name. */
export function standingGroups(
  policy: PolicyDocument | null,
  staff: Iterable<Person>,
  on: IsoDate,
): StandingGroupView[] {
  if (!policy) return []
  const people = [...staff].filter((p) => current(p, on)).sort((a, b) => a.name.localeCompare(b.name))
  return policy.standingGroups.map((group) => {
    const type = policy.sessionTypes.find((t) => t.id === group.sessionTypeId)
    const members = group.members
    const leaders = people.filter((p) =>
      group.ledBy.some((spec) => spec.kind === 'role' && p.roles.includes(spec.role)),
    )
    return {
      id: group.id,
      name: group.name,
      description: group.description,
      typeId: group.sessionTypeId,
      typeName: type?.name ?? 'Group supervision',
      frequency: group.frequency ? describeFrequency(group.frequency) : null,
      ledBy: listWithOr(group.ledBy.map((spec) => describeSupervisorSpec(policy, spec))),
      leaders,
      membersDescription: members ? describeSelector(policy, members) : null,
      members: members ? people.filter((p) => selectorMatches(members, p, on) && !leaders.includes(p)) : null,
    }
  })
}
