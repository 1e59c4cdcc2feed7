/**
 * Who may supervise whom (LH-05, PL-03, AM-04, CA-12; training LH-08, PL-05), for each kind of
 * supervision (issue 14): a rule may be limited to some session types, so that safeguarding
 * supervision is with the DSL while management supervision is with the line manager.
 *
 * `supervisorEligibility` is the one function booking checks a supervisor with and the annual
 * planner picks supervisors with, so the two never disagree.
 */
import { formatLongDate, type IsoDate } from '../calendar/index.ts'
import { accessEnded, isFromOutside, may } from '../people/kinds.ts'
import { Capability, type Person } from '../people/person.ts'
import {
  ExternalBody,
  type PolicyDocument,
  type SupervisorRule,
  type SupervisorSpec,
  UntrainedAction,
} from './model.ts'
import { isTrainedSupervisor, selectorMatches } from './scope.ts'
import { untrainedSupervisorCheck } from './training.ts'
import { describeSelector, describeSupervisorSpec, listWithOr, lowerFirst, upperFirst } from './wording.ts'

/** A supervisor from outside the school (CA-12): a local authority team, a professional body ... */
export interface ExternalSupervisor {
  kind: 'external'
  body: ExternalBody
  name: string
}

export type SupervisorCandidate = Person | ExternalSupervisor

/** The line manager `fromId` has delegated supervision to `toId` (PL-03); of one supervisee, or all when null. */
export interface Delegation {
  fromId: string
  toId: string
  superviseeId: string | null
}

export interface SupervisionContext {
  /** The schools of the supervisee's trust, their own included (LH-05 "another school of the trust"). */
  trustSchoolIds?: readonly string[]
  delegations?: readonly Delegation[]
  /** The date of the session: training must be recorded by then, and neither person may have left. */
  on?: IsoDate
  /**
   * The type of the session (the kind of supervision). Rules limited to other types do not apply;
   * rules that name this type win over rules for every type. Omitted: only rules for every type.
   */
  sessionTypeId?: string
}

export interface SupervisorRuleMatch {
  ruleId: string
  /** The rule in plain words. */
  description: string
  /** The part of the rule the supervisor meets. */
  via: SupervisorSpec
}

export type SupervisionPermission =
  | { allowed: true; rule: SupervisorRuleMatch }
  | {
      allowed: false
      /** In plain English, naming the rule, fit to show when refusing a booking. */
      reason: string
      /** The rules that were considered. */
      ruleIds: string[]
    }

function isExternal(candidate: SupervisorCandidate): candidate is ExternalSupervisor {
  return 'kind' in candidate && candidate.kind === 'external'
}

/** The names of the session types a rule is for, in the policy's order ('' for every type). */
export function ruleSessionTypeNames(policy: PolicyDocument, rule: Pick<SupervisorRule, 'sessionTypes'>): string[] {
  const ids = rule.sessionTypes ?? []
  return policy.sessionTypes.filter((type) => ids.includes(type.id)).map((type) => lowerFirst(type.name))
}

/** A rule in plain words: its own description, or one generated from its parts. */
export function describeSupervisorRule(policy: PolicyDocument, rule: SupervisorRule): string {
  if (rule.description) return rule.description
  const who = describeSelector(policy, rule.supervisees)
  const by = listWithOr(rule.supervisors.map((spec) => describeSupervisorSpec(policy, spec)))
  const types = ruleSessionTypeNames(policy, rule)
  if (types.length === 0) return `${upperFirst(who)} may be supervised by ${by}`
  return `In ${listWithOr(types)}, ${who} may be supervised by ${by}`
}

/** Whether a rule applies to sessions of this type (rules for every type apply to all). */
export function ruleAppliesToType(
  rule: Pick<SupervisorRule, 'sessionTypes'>,
  sessionTypeId: string | undefined,
): boolean {
  const ids = rule.sessionTypes ?? []
  if (ids.length === 0) return true
  return sessionTypeId !== undefined && ids.includes(sessionTypeId)
}

function sameSchool(a: Person, b: Person): boolean {
  return a.schoolId === b.schoolId
}

function specAllows(
  spec: SupervisorSpec,
  supervisor: SupervisorCandidate,
  supervisee: Person,
  context: SupervisionContext,
): boolean {
  if (isExternal(supervisor)) return spec.kind === 'external' && spec.body === supervisor.body
  switch (spec.kind) {
    case 'role':
      return sameSchool(supervisor, supervisee) && supervisor.roles.includes(spec.role)
    case 'line-manager':
      return supervisee.lineManagerId === supervisor.id
    case 'line-manager-delegate':
      return (
        supervisee.lineManagerId !== null &&
        (spec.roles.length === 0 || spec.roles.some((role) => supervisor.roles.includes(role))) &&
        (context.delegations ?? []).some(
          (delegation) =>
            delegation.fromId === supervisee.lineManagerId &&
            delegation.toId === supervisor.id &&
            (delegation.superviseeId === null || delegation.superviseeId === supervisee.id),
        )
      )
    case 'another-school-in-trust':
      return (
        supervisor.schoolId !== null &&
        !sameSchool(supervisor, supervisee) &&
        (context.trustSchoolIds ?? []).includes(supervisor.schoolId) &&
        supervisor.roles.includes(spec.role)
      )
    case 'another-school':
      return supervisor.schoolId !== null && !sameSchool(supervisor, supervisee) && supervisor.roles.includes(spec.role)
    case 'trust-central':
      // The trust's central people have no school; they supervise in any school of the trust.
      return (
        supervisor.schoolId === null &&
        supervisee.schoolId !== null &&
        (context.trustSchoolIds ?? []).includes(supervisee.schoolId) &&
        supervisor.roles.includes(spec.role)
      )
    case 'external':
      return false
    case 'any-staff':
      return sameSchool(supervisor, supervisee)
  }
}

/**
 * The supervisor rules that govern this supervisee in a session of this type: of the rules for the
 * type (or for every type) that match them, the non-fallback ones, or else the fallbacks; and of
 * those, the ones that name the type, when any do (the rule for the kind of supervision wins over
 * the general one).
 */
export function rulesForSupervisee(
  policy: PolicyDocument,
  supervisee: Person,
  on: IsoDate,
  sessionTypeId?: string,
): SupervisorRule[] {
  const matching = policy.supervisors.rules.filter(
    (rule) => ruleAppliesToType(rule, sessionTypeId) && selectorMatches(rule.supervisees, supervisee, on),
  )
  const specific = matching.filter((rule) => !rule.fallback)
  const governing = specific.length > 0 ? specific : matching
  const forType = governing.filter((rule) => (rule.sessionTypes ?? []).length > 0)
  return forType.length > 0 ? forType : governing
}

/**
 * Whether the policy lets `supervisor` supervise `supervisee`. Every rule that governs the
 * supervisee is tried (a person with two roles may be supervised under either); fallback rules
 * only when no other rule covers them. When the policy requires trained supervisors (LH-08,
 * PL-05), a member of staff must have supervisor training recorded on or before the session date.
 */
export function maySupervise(
  policy: PolicyDocument,
  supervisor: SupervisorCandidate,
  supervisee: Person,
  context: SupervisionContext = {},
): SupervisionPermission {
  const on = context.on ?? '9999-12-31'
  const supervisorName = supervisor.name
  const rules = rulesForSupervisee(policy, supervisee, on, context.sessionTypeId)
  const ruleIds = rules.map((rule) => rule.id)
  const refuse = (reason: string): SupervisionPermission => ({ allowed: false, reason, ruleIds })

  if (!isExternal(supervisor) && supervisor.id === supervisee.id) {
    return refuse(`${supervisee.name} cannot supervise themselves`)
  }
  if (context.on !== undefined && !isExternal(supervisor) && supervisor.endDate !== null && supervisor.endDate < on) {
    return refuse(`${supervisorName} cannot supervise: they left on ${formatLongDate(supervisor.endDate)}`)
  }
  if (rules.length === 0) {
    const type = policy.sessionTypes.find((candidate) => candidate.id === context.sessionTypeId)
    const inType = type ? ` in ${lowerFirst(type.name)}` : ''
    return refuse(
      `The policy does not say who may supervise ${supervisee.name}${inType}: add a rule for their role to the list of who may supervise whom`,
    )
  }

  for (const rule of rules) {
    const via = rule.supervisors.find((spec) => specAllows(spec, supervisor, supervisee, context))
    if (via === undefined) continue
    if (policy.supervisors.trainingRequired && !isExternal(supervisor)) {
      // LH-08, PL-05: the one training rule booking and the planner share (training.ts). With no
      // date, only whether any training is recorded; the policy may say to warn instead.
      const untrained =
        context.on === undefined
          ? isTrainedSupervisor(supervisor, on)
            ? null
            : { action: policy.supervisors.onUntrained ?? UntrainedAction.Refuse, message: '' }
          : untrainedSupervisorCheck(policy, supervisor, on)
      if (untrained?.action === UntrainedAction.Refuse) {
        const when = context.on === undefined ? '' : ` by ${formatLongDate(on)}`
        return refuse(
          supervisor.supervisorTrainedOn !== null && supervisor.supervisorTrainedOn <= on
            ? `${supervisorName} cannot supervise: ${lowerFirst(untrained.message.replace(`${supervisorName}’s`, 'their'))}`
            : `${supervisorName} cannot supervise yet: the policy says supervisors must be trained, and no supervisor training is recorded for them${when}`,
        )
      }
    }
    return { allowed: true, rule: { ruleId: rule.id, description: describeSupervisorRule(policy, rule), via } }
  }

  const explained = rules.map((rule) => describeSupervisorRule(policy, rule).replace(/\.$/, ''))
  return refuse(
    `${supervisorName} cannot supervise ${supervisee.name} under the policy. ${explained.join('. ')}. ${supervisorName} is none of these`,
  )
}

/**
 * Whether `supervisor`, a person in Haven, may supervise `supervisee` in a session of the
 * context's type: the one check booking refuses a supervisor with and the planner picks one with.
 * Someone from outside the school (an external supervisor, or staff employed externally, CA-12) is
 * tried as a member of staff and then as each kind of external supervisor the policy allows, since
 * Haven does not record which body they are from. People who are not employees (issue 14) must be
 * allowed to supervise (or be supervised), and not have had their access end by the session date.
 */
export function supervisorEligibility(
  policy: PolicyDocument,
  supervisor: Person,
  supervisee: Person,
  context: SupervisionContext = {},
): SupervisionPermission {
  const refusal = capabilityRefusal(supervisor, supervisee, context.on)
  if (refusal !== null) return { allowed: false, reason: refusal, ruleIds: [] }
  const asStaff = maySupervise(policy, supervisor, supervisee, context)
  if (asStaff.allowed) return asStaff
  if (isFromOutside(supervisor) && supervisor.id !== supervisee.id) {
    if (context.on !== undefined && supervisor.endDate !== null && supervisor.endDate < context.on) return asStaff
    for (const body of Object.values(ExternalBody)) {
      const asExternal = maySupervise(policy, { kind: 'external', body, name: supervisor.name }, supervisee, context)
      if (asExternal.allowed) return asExternal
    }
  }
  return asStaff
}

/** Issue 14: why what the two people may do rules the pair out, or null when it does not. */
function capabilityRefusal(supervisor: Person, supervisee: Person, on: IsoDate | undefined): string | null {
  if (!may(supervisor, Capability.Supervise)) return `${supervisor.name} is not someone who may supervise`
  if (!may(supervisee, Capability.BeSupervised)) return `${supervisee.name} is not someone who may be supervised`
  if (on !== undefined && accessEnded(supervisor, on))
    return `${supervisor.name} cannot supervise: their access ended on ${formatLongDate(supervisor.accessEndsOn!)}`
  return null
}
