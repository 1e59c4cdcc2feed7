/**
 * Checks of a plan against the policy, with the compliance engine as the judge: if every proposed
 * session were held, would anyone still miss a half term, a term or an interval between the
 * first day planned and the start of the next year? Used by the planner page after the DSL moves
 * or removes sessions, and by the property tests.
 */
import { addDays, type IsoDate } from '../calendar/index.ts'
import { assessCompliance } from '../compliance/assess.ts'
import type { SessionFact } from '../compliance/model.ts'
import type { PlanInput, PlanResult, Proposal } from './model.ts'

export interface PlanGap {
  personId: string
  requirementId: string
  /** The day by which a session was due. */
  dueBy: IsoDate
  /** The engine's words: "One-to-one supervision: none in Autumn 2 2026-27 ...". */
  message: string
}

/**
 * The requirements that would still be missed, due between the plan's first day and the next
 * year's first day of term, if the existing sessions and these proposals were all held. People
 * already overdue before the first day planned are judged only on what falls due after it.
 */
export function planGaps(
  input: Pick<PlanInput, 'policy' | 'calendar' | 'people' | 'existingSessions' | 'overrides' | 'schoolId'>,
  plan: Pick<PlanResult, 'from' | 'horizon'>,
  proposals: readonly Proposal[],
): PlanGap[] {
  const sessions: SessionFact[] = []
  for (const session of input.existingSessions) {
    if (session.status !== 'held' && session.status !== 'planned') continue
    sessions.push({
      id: session.id,
      typeId: session.typeId,
      date: session.date,
      supervisorIds: session.supervisorIds,
      superviseeIds: session.superviseeIds,
      status: 'held',
    })
  }
  proposals.forEach((proposal, index) => {
    sessions.push({
      id: `proposal-${index}`,
      typeId: proposal.typeId,
      date: proposal.date,
      supervisorIds: [proposal.supervisorId],
      superviseeIds: [proposal.superviseeId],
      status: 'held',
    })
  })
  const people = input.people.filter(
    (person) => input.schoolId === undefined || input.schoolId === null || person.schoolId === input.schoolId,
  )
  const assessed = assessCompliance({
    policy: input.policy,
    calendar: input.calendar,
    people,
    sessions,
    overrides: input.overrides ?? [],
    today: addDays(plan.horizon, -1),
  })
  const gaps: PlanGap[] = []
  for (const person of assessed) {
    for (const breach of person.breaches) {
      if (breach.kind === 'rebooking-deadline-missed') continue
      if (breach.dueBy < plan.from || breach.dueBy >= plan.horizon) continue
      gaps.push({
        personId: person.personId,
        requirementId: breach.requirementId,
        dueBy: breach.dueBy,
        message: breach.message,
      })
    }
  }
  return gaps
}

/**
 * CA-02: what a requirement planned at the start of the academic year ('start-of-year') still
 * lacks: the sessions due between `from` and the next year's first day of term that no session
 * already held or planned meets. A 'rolling' requirement is booked one session after another, so
 * nothing is missing until a session is overdue (the compliance engine's business); it is left out.
 */
export function startOfYearGaps(
  input: Pick<PlanInput, 'policy' | 'calendar' | 'people' | 'existingSessions' | 'overrides' | 'schoolId'>,
  plan: Pick<PlanResult, 'from' | 'horizon'>,
): PlanGap[] {
  const planned = new Set(
    input.policy.requirements.filter((r) => r.planning === 'start-of-year').map((requirement) => requirement.id),
  )
  if (planned.size === 0) return []
  return planGaps(input, plan, []).filter((gap) => planned.has(gap.requirementId))
}
