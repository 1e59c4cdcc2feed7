/**
 * nextDueDate: when a person's next counting session is due, for the scheduler planning ahead
 * (pass a planned date as `lastSession` to get the one after it). Uses the same rules as the
 * compliance engine.
 */
import type { IsoDate, SchoolCalendar } from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import type { PersonOverride, PolicyDocument } from '../policy/model.ts'
import { decideScope } from '../policy/scope.ts'
import { dayCalendarFor } from './day-calendar.ts'
import { type AnchorKind, currentCandidates, earliestDue, explainDue } from './due.ts'
import type { DueSource } from './model.ts'

export interface NextDueInput {
  person: Person
  /** The last counting session (held, or planned when planning ahead); null for none. */
  lastSession: IsoDate | null
  /**
   * Every counting session known (held, or planned when planning ahead), for "at least N times
   * each term" rules, which count the sessions in a period (issue 14). Defaults to the last one.
   */
  sessions?: readonly IsoDate[]
  /** Decides scope, stricter rules and which agreed frequencies are in force. */
  today: IsoDate
  /** Only this requirement; otherwise the earliest across the person's requirements. */
  requirementId?: string | null
  overrides?: readonly PersonOverride[]
  /**
   * When the clock starts if there is no later session. Defaults to the later of the person coming
   * into scope and the policy taking effect.
   */
  inScopeFrom?: IsoDate | null
}

export interface NextDue {
  date: IsoDate
  requirementId: string
  because: string
  source: DueSource
}

/** Null when the person is not in scope, or when nothing sets a due date. */
export function nextDueDate(policy: PolicyDocument, calendar: SchoolCalendar, input: NextDueInput): NextDue | null {
  const overrides = input.overrides ?? []
  const decision = decideScope(policy, input.person, input.today, overrides, calendar)
  if (!decision.required) return null
  const dc = dayCalendarFor(calendar)
  let start: { day: number; kind: AnchorKind }
  if (input.inScopeFrom !== undefined && input.inScopeFrom !== null) {
    start = { day: dc.day(input.inScopeFrom), kind: 'scope-start' }
  } else {
    const policyStart = dc.day(policy.effectiveFrom)
    const scopeStart = decision.inScopeFrom === null ? null : dc.day(decision.inScopeFrom)
    start =
      scopeStart !== null && scopeStart >= policyStart
        ? { day: scopeStart, kind: 'scope-start' }
        : { day: policyStart, kind: 'policy-start' }
  }
  const lastDay = input.lastSession === null ? null : dc.day(input.lastSession)
  const anchor = lastDay !== null && lastDay > start.day ? { day: lastDay, kind: 'session' as const } : start

  const todayDay = dc.day(input.today)
  const known = [...(input.sessions ?? [])]
  if (input.lastSession !== null && !known.includes(input.lastSession)) known.push(input.lastSession)
  const days = known.map((date) => dc.day(date)).sort((a, b) => a - b)
  const counts = {
    days,
    startDay: start.day,
    refDay: Math.max(todayDay, lastDay ?? start.day),
  }

  let best: NextDue | null = null
  let bestDay = 0
  for (const requirementId of decision.requirementIds) {
    if (input.requirementId && requirementId !== input.requirementId) continue
    const requirement = policy.requirements.find((candidate) => candidate.id === requirementId)
    if (!requirement) continue
    const candidates = currentCandidates(dc, requirement, input.person, overrides, input.today)
    const due = earliestDue(dc, candidates, anchor.day, anchor.kind !== 'session', counts)
    if (due === null || (best !== null && due.day >= bestDay)) continue
    bestDay = due.day
    best = {
      date: dc.iso(due.day),
      requirementId,
      because: explainDue(dc, due, anchor.day, anchor.kind),
      source: due.candidate.source,
    }
  }
  return best
}
