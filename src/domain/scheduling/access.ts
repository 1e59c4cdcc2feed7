/**
 * Who may do what with sessions (issue 6). People granted `sessions.manage` (the DSL, deputy DSL
 * and administrators) book and manage any session of the school. A supervisor books for the people
 * they supervise or line-manage, and manages the sessions they lead. A supervisee sees their own
 * sessions, may cancel or postpone them (AM-05: whoever cancels tells the other), and requests
 * sessions (CA-04). Nobody else sees a session.
 *
 * Pure: the caller passes the actor, the session's people and whom the actor supervises.
 */

import { type Actor, can, Permission } from '../access/permissions.ts'
import type { IsoDate } from '../calendar/index.ts'

export interface SessionPeople {
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
}

export interface SessionFacts extends SessionPeople {
  status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
  date: IsoDate
  /** A live session rebooks this one already. */
  rebooked: boolean
}

export interface SessionAbilities {
  view: boolean
  cancel: boolean
  postpone: boolean
  markHeld: boolean
  markDidNotAttend: boolean
  rebook: boolean
  /** Record the day someone returns from absence (CA-03: the deadline counts from it). */
  recordReturn: boolean
}

const none: SessionAbilities = Object.freeze({
  view: false,
  cancel: false,
  postpone: false,
  markHeld: false,
  markDidNotAttend: false,
  rebook: false,
  recordReturn: false,
})

export function managesSessions(actor: Actor | null | undefined): boolean {
  return can(actor, Permission.SessionsManage)
}

export function sessionAbilities(
  actor: Actor | null | undefined,
  session: SessionFacts,
  today: IsoDate,
): SessionAbilities {
  if (!actor) return none
  const manager = managesSessions(actor)
  const supervisor = session.supervisorIds.includes(actor.personId)
  const supervisee = session.superviseeIds.includes(actor.personId)
  if (!manager && !supervisor && !supervisee) return none
  const leads = manager || supervisor
  const planned = session.status === 'planned'
  const started = session.date <= today
  const missed = session.status === 'cancelled' || session.status === 'did-not-attend'
  return {
    view: true,
    cancel: planned,
    postpone: planned,
    markHeld: leads && planned && started,
    markDidNotAttend: leads && planned && started,
    rebook: leads && missed && !session.rebooked,
    recordReturn: missed,
  }
}

export type BookingPermission = { allowed: true } | { allowed: false; message: string }

/**
 * Whether the actor may book a session with these people: anyone with `sessions.manage`; a
 * supervisor only as one of its supervisors and only for people they supervise or line-manage.
 */
export function mayBook(
  actor: Actor,
  booking: SessionPeople,
  ownSupervisees: ReadonlySet<string>,
  nameOf: (id: string) => string,
): BookingPermission {
  if (managesSessions(actor)) return { allowed: true }
  if (!booking.supervisorIds.includes(actor.personId))
    return { allowed: false, message: 'You can only book sessions that you lead. Choose yourself as a supervisor' }
  const other = booking.superviseeIds.find((id) => !ownSupervisees.has(id))
  if (other !== undefined)
    return {
      allowed: false,
      message: `You can only book sessions for people you supervise or line-manage. Ask the DSL to book a session for ${nameOf(other)}`,
    }
  return { allowed: true }
}

/** Whether the actor may book sessions at all (a supervisee may only request them). */
export function mayBookAny(actor: Actor, ownSuperviseeCount: number): boolean {
  return managesSessions(actor) || ownSuperviseeCount > 0
}

export interface RequestFacts {
  /** The person the session is for. */
  requesterId: string
  /** Who asked (issue 14): the person themselves, or someone on their behalf; null or missing: the person. */
  requestedById?: string | null
  /** The supervisor (or line manager) it was sent to; null when the requester has neither. */
  supervisorId: string | null
}

/** CA-04: the DSLs (and others who manage sessions) and the supervisor it went to answer a request. */
export function mayAnswerRequest(actor: Actor, request: RequestFacts): boolean {
  if (actor.personId === request.requesterId) return false
  return managesSessions(actor) || request.supervisorId === actor.personId
}

/** The person it is for, who asked, the supervisor it went to, and those who manage sessions. */
export function mayViewRequest(actor: Actor, request: RequestFacts): boolean {
  return (
    actor.personId === request.requesterId ||
    (request.requestedById != null && actor.personId === request.requestedById) ||
    managesSessions(actor) ||
    request.supervisorId === actor.personId
  )
}

/**
 * CA-04, issue 14: whether the actor may ask for a session on someone else's behalf. Only someone
 * who may book for that person may: whoever manages the school's sessions, or the person's
 * supervisor or line manager (in general or in one kind of supervision; `ownSupervisees`).
 */
export function mayAskOnBehalf(actor: Actor, personId: string, ownSupervisees: ReadonlySet<string>): boolean {
  if (actor.personId === personId) return false
  return managesSessions(actor) || ownSupervisees.has(personId)
}
