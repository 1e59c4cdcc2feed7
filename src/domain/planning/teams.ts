/**
 * CA-05: named standing teams for group supervision ("the SEND Team with the Education Lead"), each
 * with a leader, its members and how often it meets, kept by the DSL. Two rules live here:
 *
 * - `teamLeaderProblem`: whether the policy lets the chosen leader lead the team's group
 *   supervision: the standing group's own "led by" (CA-05) when the team is one of the policy's
 *   standing groups, and for a type that counts toward entitlement the grid of who may supervise
 *   whom, for every member (the same check booking uses, supervisorEligibility), with the
 *   training rule (LH-08) where it refuses.
 * - `planTeam`: the annual planner's proposals for a team's group sessions: at the team's own
 *   frequency, else that of the requirement its session type counts for, each on a working day in
 *   term when the leader works, with room in the leader's diary and a time when the leader and
 *   every member are free. Each proposal is one line per member sharing a `groupKey`, so the
 *   compliance engine counts it for every member and confirming makes it one session.
 */
import { formatLongDate, type IsoDate } from '../calendar/index.ts'
import type { DayCalendar } from '../compliance/day-calendar.ts'
import { type DueCandidate, earliestDue } from '../compliance/due.ts'
import { accessEnded, isStaff, may } from '../people/kinds.ts'
import { Capability, type Person } from '../people/person.ts'
import type { Frequency, PolicyDocument, Requirement } from '../policy/model.ts'
import { supervisorEligibility } from '../policy/supervisors.ts'
import { untrainedSupervisorCheck } from '../policy/training.ts'
import { describeFrequencyExactly, lowerFirst } from '../policy/wording.ts'
import { mayLeadGroup } from '../scheduling/groups.ts'
import type { PlanWarning, Proposal, Unplaceable } from './model.ts'
import { fallbackDurationMinutes, workingDaysOf } from './model.ts'
import { type Diary, type PlaceableDays, timeOfMinutes, weekdayOfDay } from './plan.ts'

export interface SupervisionTeam {
  id: string
  name: string
  leaderId: string
  memberIds: readonly string[]
  /** The session type a meeting of the team is booked as (a group type). */
  sessionTypeId: string
  /** The policy's standing group the team is, or null. */
  standingGroupId: string | null
  /** How often it meets; null to follow the requirement its session type counts for. */
  frequency: Frequency | null
}

/**
 * Why the policy does not let `leader` lead the team's group supervision, in words fit to show the
 * DSL; null when it does.
 */
export function teamLeaderProblem(
  policy: PolicyDocument,
  team: Pick<SupervisionTeam, 'sessionTypeId' | 'standingGroupId' | 'memberIds'>,
  leader: Person,
  members: readonly Person[],
  on: IsoDate,
): string | null {
  const type = policy.sessionTypes.find((candidate) => candidate.id === team.sessionTypeId)
  if (!type) return 'Select the type of group supervision'
  if (!type.group) return `${type.name} is not group supervision: choose a group type`
  if (team.memberIds.includes(leader.id)) return `${leader.name} cannot lead a team they are a member of`
  const group = team.standingGroupId
    ? policy.standingGroups.find((candidate) => candidate.id === team.standingGroupId)
    : undefined
  if (team.standingGroupId && !group) return 'Select a group the policy names'
  if (group && group.ledBy.length > 0 && !mayLeadGroup(group, leader))
    return `${leader.name} cannot lead the ${group.name}: the policy says it is led by someone with another role`
  if (type.countsTowardEntitlement) {
    for (const member of members) {
      const permission = supervisorEligibility(policy, leader, member, { on, sessionTypeId: type.id })
      if (!permission.allowed) return `${permission.reason}.`
    }
  } else {
    const untrained = untrainedSupervisorCheck(policy, leader, on)
    if (untrained?.action === 'refuse') return `${untrained.message}.`
  }
  return null
}

/** The requirement a team's sessions meet: the first whose counting types include the team's type. */
export function teamRequirement(
  policy: PolicyDocument,
  team: Pick<SupervisionTeam, 'sessionTypeId'>,
): Requirement | null {
  return policy.requirements.find((requirement) => requirement.sessionTypes.includes(team.sessionTypeId)) ?? null
}

/** Whether the person is a member of a team whose sessions count for the requirement. */
export function coveredByTeam(
  policy: PolicyDocument,
  requirement: Requirement,
  personId: string,
  teams: readonly SupervisionTeam[],
): boolean {
  return teams.some(
    (team) =>
      team.memberIds.includes(personId) &&
      requirement.sessionTypes.includes(team.sessionTypeId) &&
      policy.sessionTypes.some((type) => type.id === team.sessionTypeId),
  )
}

export interface TeamPlanContext {
  policy: PolicyDocument
  dc: DayCalendar
  days: PlaceableDays
  diary: Diary
  people: ReadonlyMap<string, Person>
  /** Day numbers of the team's sessions already in Haven (held or planned), any order. */
  existingDays: readonly number[]
  fromDay: number
  lastDay: number
  horizonDay: number
}

export interface TeamPlan {
  proposals: Proposal[]
  unplaceable: Unplaceable[]
  warnings: PlanWarning[]
}

/** How far either side of the due day the planner looks for a day for the whole team. */
const TEAM_SEARCH_WORKING_DAYS = 15

/** Proposes the team's group sessions for the year (CA-05, AM-02). */
export function planTeam(team: SupervisionTeam, context: TeamPlanContext): TeamPlan {
  const { policy, dc, diary } = context
  const out: TeamPlan = { proposals: [], unplaceable: [], warnings: [] }
  const leader = context.people.get(team.leaderId)
  const members = team.memberIds
    .map((id) => context.people.get(id))
    .filter((p): p is Person => p !== undefined && (p.endDate === null || dc.day(p.endDate) >= context.fromDay))
  if (!leader || members.length === 0) return out
  const cannot = (reason: string) =>
    out.unplaceable.push({ personId: leader.id, requirementId: null, reason: `${team.name}: ${reason}` })
  const on = dc.iso(context.fromDay)
  const problem = teamLeaderProblem(policy, team, leader, members, on)
  if (problem) {
    cannot(problem)
    return out
  }
  const untrained = untrainedSupervisorCheck(policy, leader, on)
  if (untrained) out.warnings.push({ personId: leader.id, reason: `${untrained.message}.` })

  const requirement = teamRequirement(policy, team)
  const frequency = team.frequency ?? requirement?.frequency ?? null
  const gap = team.frequency ? null : (requirement?.maximumGap ?? null)
  if (frequency === null && gap === null) {
    cannot('set how often the team meets, then plan again')
    return out
  }
  const candidates: DueCandidate[] = []
  if (frequency) {
    candidates.push({
      source: 'policy',
      label: describeFrequencyExactly(frequency),
      frequency,
      gap: null,
      fromDay: null,
    })
  }
  if (gap) candidates.push({ source: 'policy', label: 'maximum gap', frequency: null, gap, fromDay: null })
  const minutes = requirement?.expectedMinutes ?? fallbackDurationMinutes
  const leaderDays = workingDaysOf(leader)
  const everyone = [leader, ...members]
  const leaderEnd = leader.endDate === null ? context.lastDay : Math.min(context.lastDay, dc.day(leader.endDate))
  const known = [...context.existingDays].sort((a, b) => a - b)
  let anchor = known.filter((day) => day < context.fromDay).at(-1) ?? context.fromDay
  let fromStart = known.every((day) => day >= context.fromDay)
  const groupOf = (day: number) => `team:${team.id}:${dc.iso(day)}`

  for (let guard = 0; guard < 200; guard++) {
    const due = earliestDue(dc, candidates, anchor, fromStart)
    if (due === null || due.day >= context.horizonDay) return out
    // A session of the team already in the diary on or before the due day moves the clock on.
    const booked = known.find((day) => day > anchor && day <= due.day)
    if (booked !== undefined) {
      anchor = booked
      fromStart = false
      continue
    }
    const lo = Math.max(anchor + 1, context.fromDay, due.period ? due.period.start : context.fromDay)
    const hi = Math.min(due.day, leaderEnd)
    if (lo > leaderEnd) return out
    // Overdue (the due day is already past): as soon as possible.
    const overdue = hi < lo
    const last = overdue ? Math.min(leaderEnd, dc.addWorkingDays(lo, TEAM_SEARCH_WORKING_DAYS)) : hi
    const target = overdue ? lo : due.period ? Math.floor((lo + hi) / 2) : Math.max(lo, dc.addWorkingDays(hi, -5))
    const chosen = chooseTeamDay(context, everyone, leaderDays, minutes, target, last, lo)
    if (chosen === null) {
      cannot(
        `no day before ${formatLongDate(dc.iso(due.day))} when ${leader.name} and every member are free: change the members or the planner’s limits, then plan again`,
      )
      return out
    }
    diary.addSupervising(leader.id, chosen.day)
    for (const person of everyone) diary.addBusy(person.id, chosen.day, chosen.start, minutes)
    for (const member of members) {
      out.proposals.push({
        superviseeId: member.id,
        supervisorId: leader.id,
        typeId: team.sessionTypeId,
        date: dc.iso(chosen.day),
        startTime: timeOfMinutes(chosen.start),
        durationMinutes: minutes,
        requirementId: requirement?.id ?? '',
        teamId: team.id,
        groupKey: groupOf(chosen.day),
      })
    }
    anchor = chosen.day
    fromStart = false
  }
  return out
}

function chooseTeamDay(
  context: TeamPlanContext,
  everyone: readonly Person[],
  leaderDays: readonly number[],
  minutes: number,
  target: number,
  hi: number,
  lo: number,
): { day: number; start: number } | null {
  const { diary, days } = context
  const leaderDiary = diary.of(everyone[0]!.id)
  for (let offset = 0; offset <= Math.max(target - lo, hi - target); offset++) {
    for (const day of offset === 0 ? [target] : [target - offset, target + offset]) {
      if (day < lo || day > hi || !days.isOpen(day) || !leaderDays.includes(weekdayOfDay(day))) continue
      if (!diary.hasRoom(leaderDiary, day)) continue
      const start = freeForAll(diary, everyone, day, minutes)
      if (start !== null) return { day, start }
    }
  }
  return null
}

/** The earliest start in the school's day when everyone is free, or null. */
function freeForAll(diary: Diary, everyone: readonly Person[], day: number, minutes: number): number | null {
  for (let start = diary.startMinutes; start + minutes <= diary.endMinutes; start += 15) {
    if (everyone.every((person) => diary.isFreeAt(diary.of(person.id), day, start, minutes))) return start
  }
  return null
}

/** The team's type in words for the planner: "group supervision". */
export function teamTypeName(policy: PolicyDocument, team: Pick<SupervisionTeam, 'sessionTypeId'>): string {
  const type = policy.sessionTypes.find((candidate) => candidate.id === team.sessionTypeId)
  return type ? lowerFirst(type.name) : 'group supervision'
}

/** What the DSL chose on a team's form (CA-05), with the people looked up by the service. */
export interface TeamChoice {
  name: string
  leaderId: string
  memberIds: readonly string[]
  sessionTypeId: string
  standingGroupId: string | null
}

/** The people who may be chosen on a team's form on a day: in post, and able to lead or to be supervised. */
export function teamCandidates(people: readonly Person[], on: IsoDate): { leaders: Person[]; members: Person[] } {
  const inPost = people.filter((p) => (p.endDate === null || p.endDate >= on) && !accessEnded(p, on))
  return {
    leaders: inPost.filter((p) => may(p, Capability.Supervise)),
    members: inPost.filter((p) => isStaff(p) && may(p, Capability.BeSupervised)),
  }
}

/**
 * CA-05: what is wrong with a team as chosen on its form, field by field, in words fit to show the
 * DSL: a leader and members among the candidates, a group type and standing group the policy in
 * force names, and a leader the policy lets lead it (teamLeaderProblem). Empty when it may be saved.
 */
export function standingTeamProblems(
  policy: PolicyDocument,
  choice: TeamChoice,
  people: readonly Person[],
  on: IsoDate,
): { field: 'leaderId' | 'memberIds' | 'sessionTypeId' | 'standingGroupId'; message: string }[] {
  const problems: ReturnType<typeof standingTeamProblems> = []
  const candidates = teamCandidates(people, on)
  const leader = candidates.leaders.find((p) => p.id === choice.leaderId)
  if (!leader) problems.push({ field: 'leaderId', message: 'Select who leads the team' })
  const members = choice.memberIds.map((id) => candidates.members.find((p) => p.id === id))
  if (choice.memberIds.length === 0 || members.some((m) => m === undefined))
    problems.push({ field: 'memberIds', message: 'Select the members of the team' })
  const type = policy.sessionTypes.find((t) => t.id === choice.sessionTypeId)
  if (!type?.group) problems.push({ field: 'sessionTypeId', message: 'Select the type of group supervision' })
  const group = choice.standingGroupId ? policy.standingGroups.find((g) => g.id === choice.standingGroupId) : null
  if (choice.standingGroupId && !group)
    problems.push({ field: 'standingGroupId', message: 'Select a group the policy names, or none' })
  if (problems.length > 0 || !leader) return problems
  const problem = teamLeaderProblem(policy, choice, leader, members as Person[], on)
  if (problem) problems.push({ field: 'leaderId', message: problem.replace(/\.$/, '') })
  return problems
}
