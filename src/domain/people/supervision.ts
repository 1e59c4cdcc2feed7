/**
 * Rules about who supervises whom that need no database: what a supervisor is missing (LH-08),
 * when a change of supervisor or line manager may take effect (LH-07), and whom to ask first for
 * each kind of supervision (issue 14).
 *
 * Pure: "today" is passed in.
 */
import { formatLongDate } from '../calendar/dates.ts'
import type { IsoDate } from './person.ts'

export const SupervisionKind = {
  LineManager: 'line-manager',
  Supervisor: 'supervisor',
} as const
export type SupervisionKind = (typeof SupervisionKind)[keyof typeof SupervisionKind]

export const supervisionKindNames: Readonly<Record<SupervisionKind, string>> = Object.freeze({
  'line-manager': 'Line manager',
  supervisor: 'Supervisor',
})

export interface SupervisorFacts {
  /** How many people they supervise now (kind 'supervisor'). */
  superviseeCount: number
  /** When they completed supervisor training, if recorded. */
  supervisorTrainedOn: IsoDate | null
  /** Whether someone supervises them now. */
  hasOwnSupervisor: boolean
}

/**
 * LH-08: supervisors must be trained, with the date recorded, and must themselves receive
 * supervision. The warnings to show on a supervisor's page; none for someone who supervises nobody.
 */
export function supervisorWarnings(facts: SupervisorFacts): string[] {
  if (facts.superviseeCount === 0) return []
  const warnings: string[] = []
  if (facts.supervisorTrainedOn === null)
    warnings.push('No supervisor training is recorded. Supervisors must be trained: add the date they completed it.')
  if (!facts.hasOwnSupervisor)
    warnings.push('No one supervises them. Supervisors must receive supervision themselves: choose their supervisor.')
  return warnings
}

/**
 * When a change of supervisor or line manager may take effect: today or earlier (Haven records
 * changes, it does not schedule them), and not before the current arrangement started.
 * Returns the problem, or `null`.
 */
export function effectiveDateProblem(date: IsoDate, today: IsoDate, currentStartsOn: IsoDate | null): string | null {
  if (date > today) return 'The date the change takes effect must be today or in the past'
  if (currentStartsOn !== null && date < currentStartsOn)
    return `The date the change takes effect must be on or after ${formatLongDate(currentStartsOn)}, when the current arrangement started`
  return null
}

/** Who is assigned to supervise one person: per kind of supervision (session type id), in general, and as line manager. */
export interface AssignedSupervisors {
  /** The supervisor for each kind of supervision that has one, by session type id. */
  byKind: ReadonlyMap<string, string>
  supervisorId: string | null
  lineManagerId: string | null
}

/**
 * Whom to ask to lead a person's supervision of one kind, best first: their supervisor for that
 * kind, their general supervisor, then their line manager (each once). Whether the policy allows
 * each of them for that kind is decided by supervisorEligibility, not here.
 */
export function supervisorsForKind(assigned: AssignedSupervisors, sessionTypeId: string): string[] {
  const ids = [assigned.byKind.get(sessionTypeId), assigned.supervisorId, assigned.lineManagerId]
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))]
}
