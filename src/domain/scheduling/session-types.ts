/**
 * Which of the policy's session types each screen offers (CA-01, LH-06, AM-02, CA-04), and which
 * sessions take the issues carried forward from unplanned supervision.
 */
import type { PolicyDocument, SessionType } from '../policy/model.ts'

/**
 * The types for recording supervision that was not planned (CA-01 crisis, corridor and drop-in;
 * LH-06 ad hoc; AM-02 after a crisis), where what was raised is carried forward to the next
 * formal session: the policy's unplanned types and any type whose issues it carries forward to
 * the next formal session (CA-01: an informal drop-in is planned, yet its issues go forward),
 * else its one-to-one types.
 */
export function unplannedTypes(policy: PolicyDocument): SessionType[] {
  const unplanned = policy.sessionTypes.filter((t) => !t.planned || t.carriesForwardToNextFormal)
  return unplanned.length > 0 ? unplanned : policy.sessionTypes.filter((t) => !t.group)
}

/** The types a request may lead to (CA-04, AM-02), else every type that is not a group. */
export function requestTypes(policy: PolicyDocument): SessionType[] {
  const named = (policy.requests?.sessionTypes ?? [])
    .map((id) => policy.sessionTypes.find((t) => t.id === id))
    .filter((t): t is SessionType => t !== undefined)
  return named.length > 0 ? named : policy.sessionTypes.filter((t) => !t.group)
}

/**
 * CA-04: whether this person may ask for a supervision session. A policy that lets any member of
 * staff ask (or says nothing about requests) lets everyone; one that does not (AM-02: a DSL asks
 * its supervisor) lets only those who have a supervisor or line manager to ask.
 */
export function mayAskForSupervision(policy: PolicyDocument | null, hasSupervisor: boolean): boolean {
  return hasSupervisor || (policy?.requests?.anyStaffMayRequest ?? true)
}

/** The topics a request may be about (CA-04: safeguarding or wellbeing). */
export function requestTopics(policy: PolicyDocument | null): string[] {
  const topics = policy?.requests?.topics ?? []
  return topics.length > 0 ? topics : ['safeguarding', 'wellbeing']
}

/**
 * CA-01: issues raised in unplanned or informal supervision go to the supervisee's next formal
 * session: a planned, formal session of a type that is not a group (a group is no place for one
 * person's issues), booked through Haven rather than recorded as unplanned.
 */
export function receivesCarryForward(type: SessionType | undefined, session: { unplanned: boolean }): boolean {
  return type?.formal === true && type.planned && !type.group && !session.unplanned
}
