/**
 * Disputes between supervisor and supervisee (MW-11, AM-05): who a meeting to resolve an
 * unresolved disagreement is with. Pure: the caller passes the policy's route, the supervisor's
 * roles, the third person the supervisee's contract names and who holds each role in the school.
 *
 * - A step for disagreements with someone holding a role (AM-05: the Principal) is the route when
 *   the supervisor holds that role, instead of the general steps.
 * - A step naming a role meets whoever holds it (AM-05: the Chair of Governors); a step naming a
 *   team meets that team (AM-05: the local authority safeguarding team), with both parties'
 *   agreement when the step says so; any other step meets the person named in the contract
 *   (MW-11), or someone chosen when the booking is made if the contract names nobody.
 */
import type { RoleId } from '../people/roles.ts'
import type { DisputeResolution, DisputeStep } from '../policy/model.ts'
import type { PersonValue } from './entry.ts'

export type MeetingWith =
  /** A person in Haven, named in the contract or holding the step's role. */
  | { kind: 'person'; personId: string; name: string; source: 'contract' | 'role' }
  /** Someone named in the contract who is not in Haven. */
  | { kind: 'named'; name: string }
  /** A team outside the school. */
  | { kind: 'team'; name: string }
  /** Nobody is named yet: the person booking chooses who. */
  | { kind: 'choose' }

export interface DisputeMeetingRoute {
  stepId: string
  description: string
  when: string | null
  with: MeetingWith
  bothPartiesAgree: boolean
}

export interface DisputeRouteInput {
  resolution: DisputeResolution | null
  supervisorRoles: readonly RoleId[]
  /** The third person the supervisee's contract names (MW-11), if any. */
  contractNamedPerson: PersonValue | null
  /** The people holding each role in the school, for steps that meet a role. */
  holdersOf: (role: RoleId) => readonly { id: string; name: string }[]
}

/** The steps that apply to this disagreement: those for a role the supervisor holds, else the general ones. */
export function applicableSteps(
  resolution: DisputeResolution | null,
  supervisorRoles: readonly RoleId[],
): DisputeStep[] {
  const steps = resolution?.steps ?? []
  const specific = steps.filter((s) => s.whenWithRoles.some((r) => supervisorRoles.includes(r)))
  if (specific.length > 0) return specific
  return steps.filter((s) => s.whenWithRoles.length === 0)
}

/** Who each applicable step's meeting is with. With no route at all, one meeting with the contract's named person (or someone chosen). */
export function disputeMeetingRoutes(input: DisputeRouteInput): DisputeMeetingRoute[] {
  const steps = applicableSteps(input.resolution, input.supervisorRoles)
  const named = namedPerson(input.contractNamedPerson)
  if (steps.length === 0) return [{ stepId: '', description: '', when: null, with: named, bothPartiesAgree: false }]
  return steps.map((step) => {
    let meetingWith: MeetingWith = named
    if (step.meetingWithRole !== null) {
      const holder = input.holdersOf(step.meetingWithRole)[0]
      meetingWith = holder
        ? { kind: 'person', personId: holder.id, name: holder.name, source: 'role' }
        : { kind: 'choose' }
    } else if (step.meetingWithTeam !== null) {
      meetingWith = { kind: 'team', name: step.meetingWithTeam }
    }
    return {
      stepId: step.id,
      description: step.description,
      when: step.when,
      with: meetingWith,
      bothPartiesAgree: step.bothPartiesAgree,
    }
  })
}

function namedPerson(value: PersonValue | null): MeetingWith {
  if (!value || value.name.trim() === '') return { kind: 'choose' }
  return value.personId
    ? { kind: 'person', personId: value.personId, name: value.name, source: 'contract' }
    : { kind: 'named', name: value.name }
}

/** The words for who the meeting is with, as emails and pages show them. */
export function meetingWithName(meetingWith: MeetingWith): string | null {
  return meetingWith.kind === 'choose' ? null : meetingWith.name
}

export const DisputeOutcome = {
  Resolved: 'resolved',
  NotResolved: 'not-resolved',
} as const
export type DisputeOutcome = (typeof DisputeOutcome)[keyof typeof DisputeOutcome]

export const disputeOutcomeWords: Record<DisputeOutcome, string> = {
  resolved: 'Resolved',
  'not-resolved': 'Not resolved',
}
