/**
 * summarisePolicy (X-01): the policy rendered back as plain English, generated from the data, in
 * the words a headteacher would recognise as their own policy. Every sentence comes from a field,
 * so the summary changes when the policy does.
 */
import { formatLongDate } from '../calendar/index.ts'
import { RuleSource, ruleSource, type SourcedPolicy } from './adoption.ts'
import type {
  Commitment,
  CommitmentTopic,
  Framework,
  Frequency,
  PolicyDocument,
  Requirement,
  SessionType,
  StaffSelector,
} from './model.ts'
import { describeSupervisorRule, ruleSessionTypeNames } from './supervisors.ts'
import {
  agreeing,
  describeCondition,
  describeDuration,
  describeFrequency,
  describeMinutes,
  describeRecurrence,
  describeSupervisorSpec,
  listWithAnd,
  listWithOr,
  lowerFirst,
  roleNoun,
  upperFirst,
} from './wording.ts'

export interface SummarySection {
  /** Stable id, e.g. 'how-often', or 'framework-lh-five-functions'. */
  id: string
  heading: string
  paragraphs: string[]
  /** Shown as a bulleted list after the paragraphs. */
  items: string[]
}

export interface PolicySummary {
  heading: string
  sections: SummarySection[]
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

function bare(text: string): string {
  return text.trim().replace(/[.]$/, '')
}

function rolesList(policy: PolicyDocument, roles: readonly string[]): string {
  return listWithOr(roles.map((role) => `the ${roleNoun(policy, role)}`))
}

function typeNames(types: readonly SessionType[]): string {
  return listWithOr(types.map((type) => lowerFirst(type.name)))
}

function sessionTypesById(policy: PolicyDocument, ids: readonly string[]): SessionType[] {
  return ids.flatMap((id) => policy.sessionTypes.filter((type) => type.id === id))
}

function section(id: string, heading: string, paragraphs: string[], items: string[] = []): SummarySection {
  return { id, heading, paragraphs, items }
}

function commitmentsOn(policy: PolicyDocument, topic: CommitmentTopic): string[] {
  return policy.commitments.filter((c: Commitment) => c.topic === topic).map((c) => sentence(c.text))
}

function aboutSection(policy: PolicyDocument): SummarySection {
  const { metadata } = policy
  const paragraphs = metadata.description ? [sentence(metadata.description)] : []
  const items: string[] = [`School: ${metadata.school}${metadata.trust ? `, part of ${metadata.trust}` : ''}`]
  if (metadata.provenance) items.push(sentence(metadata.provenance).replace(/\.$/, ''))
  const { owner } = metadata
  if (owner.kind === 'organisation' && owner.name) items.push(`Owner: ${owner.name}`)
  else if (owner.name && owner.role) items.push(`Lead: ${owner.name} (${roleNoun(policy, owner.role)})`)
  else if (owner.name) items.push(`Lead: ${owner.name}`)
  else if (owner.role) items.push(`Lead: the ${roleNoun(policy, owner.role)}`)
  if (metadata.createdOn) items.push(`Created on ${formatLongDate(metadata.createdOn)}`)
  if (metadata.consultation) {
    items.push(`Staff consulted: ${metadata.consultation.who}, on ${formatLongDate(metadata.consultation.consultedOn)}`)
  }
  if (metadata.governorCommittee) items.push(`Governor committee: ${metadata.governorCommittee}`)
  // Never a made-up approval: a policy nobody recorded approving says so.
  if (metadata.approvedBy && metadata.approvedOn) {
    items.push(`Approved by ${metadata.approvedBy} on ${formatLongDate(metadata.approvedOn)}`)
  } else if (metadata.approvedBy) {
    items.push(`Approved by ${metadata.approvedBy}`)
  } else if (metadata.approvedOn) {
    items.push(`Approved on ${formatLongDate(metadata.approvedOn)}`)
  } else {
    items.push('Approval: not recorded')
  }
  if (metadata.lastReviewedOn) {
    items.push(
      `Last reviewed on ${formatLongDate(metadata.lastReviewedOn)}${metadata.lastReviewedBy ? ` by ${metadata.lastReviewedBy}` : ''}`,
    )
  }
  const review: string[] = []
  if (metadata.reviewEvery) review.push(`Reviewed ${describeRecurrence(metadata.reviewEvery)}`)
  if (metadata.nextReviewDue) {
    review.push(`${review.length > 0 ? 'next' : 'Next'} review due by ${formatLongDate(metadata.nextReviewDue)}`)
  }
  if (review.length > 0) items.push(review.join('; '))
  items.push(`Version ${policy.version}, in force from ${formatLongDate(policy.effectiveFrom)}`)
  return section('about', 'About this policy', paragraphs, items)
}

function scopeDescriptions(policy: PolicyDocument, ruleIds: readonly string[]): string {
  const rules = ruleIds.length === 0 ? policy.scope.rules : policy.scope.rules.filter((r) => ruleIds.includes(r.id))
  return upperFirst(
    listWithAnd(rules.map((rule, index) => (index === 0 ? rule.description : lowerFirst(rule.description)))),
  )
}

/**
 * For a selector with date-derived conditions: 'This applies to staff in their first 6 months in
 * post, and stops by itself when that time is over.' Null without conditions.
 */
function endsByItself(selector: StaffSelector): string | null {
  const conditions = selector.conditions ?? []
  if (conditions.length === 0) return null
  return `This applies to ${listWithOr(conditions.map(describeCondition))}, and stops by itself when that time is over.`
}

function whoSection(policy: PolicyDocument): SummarySection {
  const { scope } = policy
  const paragraphs: string[] = []
  if (scope.rules.length > 0) paragraphs.push(`${scopeDescriptions(policy, [])} receive supervision.`)
  else paragraphs.push('No one is in scope by a rule yet.')
  for (const rule of scope.rules) {
    const ends = endsByItself(rule.who)
    if (ends) paragraphs.push(`${bare(rule.description)}: ${lowerFirst(ends)}`)
  }
  if (scope.identifiedAt === 'start-of-academic-year') {
    paragraphs.push('They are identified at the start of each academic year.')
  }
  if (scope.manualInclusion) {
    paragraphs.push(
      `Also brought into scope one by one, with a reason recorded: ${lowerFirst(bare(scope.manualInclusion))}.`,
    )
  }
  paragraphs.push('Part-time staff are supervised as often as full-time staff, never pro rata.')
  for (const period of scope.qualifyingPeriods) paragraphs.push(sentence(period.description))
  if (scope.excludedEmploymentTypes.length > 0) {
    paragraphs.push(`The policy does not cover ${listWithOr(scope.excludedEmploymentTypes)} staff.`)
  }
  return section('who', 'Who is supervised', paragraphs)
}

/** ' with their line manager' when one rule governs everyone; otherwise nothing (see "Who may supervise whom"). */
function supervisorPhrase(policy: PolicyDocument): string {
  const rules = policy.supervisors.rules.filter((rule) => !rule.fallback)
  const only = rules[0]
  if (rules.length !== 1 || !only?.supervisees.everyone) return ''
  return ` with ${listWithOr(only.supervisors.map((spec) => describeSupervisorSpec(policy, spec)))}`
}

/** For "at least N times each term": how the sessions are judged through the period. */
function countSpreadSentence(frequency: Frequency): string | null {
  if ((frequency.times ?? 1) <= 1) return null
  const period = frequency.unit === 'half-terms' ? 'half term' : frequency.unit === 'terms' ? 'term' : 'academic year'
  return `The sessions are expected spread evenly through each ${period}, the last by its last working day.`
}

function requirementParagraphs(policy: PolicyDocument, requirement: Requirement): string[] {
  const who = scopeDescriptions(policy, requirement.scopeRules)
  const counting = sessionTypesById(policy, requirement.sessionTypes)
  const what = `${who} ${agreeing(who, 'has', 'have')} ${typeNames(counting)}${supervisorPhrase(policy)}`
  const paragraphs: string[] = []
  const duration =
    requirement.expectedMinutes === null ? '' : `, lasting ${describeMinutes(requirement.expectedMinutes)}`
  const gap = requirement.maximumGap ? `, and never more than ${describeDuration(requirement.maximumGap)} apart` : ''
  if (requirement.frequency) {
    paragraphs.push(`${what} ${describeFrequency(requirement.frequency)}${gap}${duration}.`)
    const spread = countSpreadSentence(requirement.frequency)
    if (spread) paragraphs.push(spread)
  } else {
    paragraphs.push(`${what}${duration}. The policy sets no minimum frequency${gap}.`)
  }
  if (requirement.planning === 'start-of-year')
    paragraphs.push('The dates are planned at the start of the academic year.')
  for (const stricter of requirement.stricterFor) {
    const stricterGap = stricter.maximumGap
      ? `, and never more than ${describeDuration(stricter.maximumGap)} apart`
      : ''
    paragraphs.push(`${bare(stricter.description)}: ${describeFrequency(stricter.frequency)}${stricterGap}.`)
    const ends = endsByItself(stricter.who)
    if (ends) paragraphs.push(ends)
  }
  const agreed = requirement.agreedFrequency
  if (agreed.allowed === 'listed') {
    const options = listWithOr(agreed.options.map((option) => describeFrequency(option).replace(/^at least /, '')))
    paragraphs.push(`A more frequent pattern may be agreed for a person: ${options}.`)
  } else if (agreed.allowed === 'any') {
    paragraphs.push(
      requirement.frequency
        ? 'The supervisor and supervisee may agree more frequent supervision.'
        : 'The supervisor and supervisee agree how often for each person.',
    )
  }
  if (agreed.description) paragraphs.push(sentence(agreed.description))
  const others = policy.sessionTypes.filter((type) => !requirement.sessionTypes.includes(type.id))
  if (others.length > 0) {
    paragraphs.push(
      `${upperFirst(listWithAnd(others.map((type) => lowerFirst(type.name))))} ${others.length === 1 ? 'does' : 'do'} not count towards it.`,
    )
  }
  return paragraphs
}

/**
 * Where a requirement of an academy's policy comes from (issue 14): the trust's, the academy's
 * own, or the trust's with the academy's frequency. Null for a school's own policy.
 */
function requirementSource(policy: SourcedPolicy, requirement: Requirement): string | null {
  const trustName = policy.sources?.trust.name
  if (!trustName) return null
  if (ruleSource(policy, `requirement:${requirement.id}`) === RuleSource.Academy)
    return `This is ${policy.metadata.school}'s own requirement.`
  if (ruleSource(policy, `requirement:${requirement.id}:frequency`) === RuleSource.Academy)
    return `This is ${trustName}'s requirement, with ${policy.metadata.school}'s own frequency.`
  return `This is ${trustName}'s requirement.`
}

/**
 * For an academy's policy (issue 14): which rules are the trust's and which the academy's own,
 * every requirement, scope rule and template the academy set named. Null for a school's own policy.
 */
function sourcesSection(policy: SourcedPolicy): SummarySection | null {
  const sources = policy.sources
  if (!sources) return null
  const academy = policy.metadata.school
  const items: string[] = []
  for (const rule of policy.scope.rules)
    if (ruleSource(policy, `scope-rule:${rule.id}`) === RuleSource.Academy)
      items.push(`Who is supervised: ${lowerFirst(bare(rule.description))} (${academy})`)
  for (const requirement of policy.requirements) {
    if (ruleSource(policy, `requirement:${requirement.id}`) === RuleSource.Academy)
      items.push(`Requirement: ${lowerFirst(bare(requirement.description))} (${academy})`)
    else if (
      ruleSource(policy, `requirement:${requirement.id}:frequency`) === RuleSource.Academy &&
      requirement.frequency
    )
      items.push(
        `How often for ${lowerFirst(bare(requirement.description))}: ${describeFrequency(requirement.frequency)} (${academy})`,
      )
  }
  for (const key of sources.academy.filter((k) => k.startsWith('template:'))) {
    items.push(`A template of ${academy}'s own in place of the trust's '${key.slice('template:'.length)}' (${academy})`)
  }
  return section(
    'sources',
    'Where the rules come from',
    [
      `${academy} follows ${sources.trust.name}'s policy (the trust's version ${sources.trust.version}, in force from ${formatLongDate(sources.trust.effectiveFrom)}), with its own changes from ${formatLongDate(sources.adoption.effectiveFrom)}.`,
      items.length > 0
        ? `These rules are ${academy}'s own. Every other rule is ${sources.trust.name}'s.`
        : `${academy} has no changes of its own: every rule is ${sources.trust.name}'s.`,
    ],
    items,
  )
}

function howOftenSection(policy: PolicyDocument): SummarySection {
  const paragraphs = policy.requirements.flatMap((requirement) => {
    const source = requirementSource(policy, requirement)
    return [...requirementParagraphs(policy, requirement), ...(source ? [source] : [])]
  })
  return section(
    'how-often',
    'How often',
    paragraphs.length > 0 ? paragraphs : ['The policy sets no requirements yet.'],
  )
}

function sessionTypesSection(policy: PolicyDocument): SummarySection {
  const items = policy.sessionTypes.map((type) => {
    const notes = [sentence(type.description)]
    if (type.onRequest) notes.push('Arranged on request.')
    if (type.focuses.length > 0) notes.push(`It can be ${listWithOr(type.focuses.map((f) => lowerFirst(f.name)))}.`)
    if (type.carriesForwardToNextFormal) notes.push('Issues raised are carried forward to the next formal session.')
    if (type.recordsConfidentialityBoundary) {
      notes.push('The group agrees its confidentiality boundary, and the record says it was a group session.')
    }
    if (type.decisionsToChildRecord) notes.push("Any decision about a child is recorded on the child's own record.")
    return `${type.name}: ${notes.join(' ')}`
  })
  return section('session-types', 'Kinds of supervision', [], items)
}

function supervisorsSection(policy: PolicyDocument): SummarySection {
  const { supervisors } = policy
  const paragraphs: string[] = []
  if (supervisors.trainingRequired) {
    paragraphs.push(
      supervisors.trainingDescription
        ? `Supervisors must be trained: ${lowerFirst(bare(supervisors.trainingDescription))}.`
        : 'Supervisors must be trained.',
    )
  }
  if (supervisors.accountability) paragraphs.push(sentence(supervisors.accountability))
  paragraphs.push(...commitmentsOn(policy, 'training'))
  const items = supervisors.rules.map((rule) => {
    const notes: string[] = []
    // A rule in the school's own words may not say which kinds of supervision it is for.
    const types = ruleSessionTypeNames(policy, rule)
    if (rule.description && types.length > 0) notes.push(`${listWithOr(types)} only`)
    if (rule.fallback) notes.push('when no other rule applies')
    return `${bare(describeSupervisorRule(policy, rule))}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}.`
  })
  return section('supervisors', 'Who may supervise whom', paragraphs, items)
}

function cancellationSection(policy: PolicyDocument): SummarySection {
  const { cancellation } = policy
  const paragraphs: string[] = []
  if (cancellation.exceptionalOnly)
    paragraphs.push('Scheduled sessions are cancelled only in exceptional circumstances.')
  if (cancellation.reasonRequired) {
    paragraphs.push(
      `Every cancellation records its reason: ${listWithOr(cancellation.reasons.map((r) => lowerFirst(r.name)))}.`,
    )
  }
  if (cancellation.visibleTo.length > 0) {
    paragraphs.push(`Cancellations are visible to ${rolesList(policy, cancellation.visibleTo)}.`)
  }
  if (cancellation.notifyOtherParty) paragraphs.push('Whoever cancels or postpones a session tells the other person.')
  if (cancellation.notifyRoles.length > 0) {
    const told = upperFirst(rolesList(policy, cancellation.notifyRoles))
    paragraphs.push(`${told} ${agreeing(told, 'is', 'are')} told of every cancellation.`)
  }
  const rebooking = cancellation.rebooking
  if (rebooking) {
    const types =
      rebooking.sessionTypes.length === 0
        ? 'A session'
        : `A ${typeNames(sessionTypesById(policy, rebooking.sessionTypes))} session`
    if (rebooking.within === null) {
      paragraphs.push(`${types} that cannot take place must be rebooked as soon as possible.`)
      paragraphs.push(
        rebooking.warnAfter
          ? `It is flagged until it is rebooked, with a warning if it is still not rebooked ${describeDuration(rebooking.warnAfter)} after the date it was due to take place${cancellation.reasons.some((reason) => reason.absence) ? ' (or after the person returns, if it was missed because of staff absence or illness)' : ''}.`
          : 'It is flagged until it is rebooked.',
      )
    } else {
      paragraphs.push(`${types} that cannot take place must be rebooked within ${describeDuration(rebooking.within)}.`)
      if (rebooking.afterAbsence) {
        paragraphs.push(
          `If it was missed because of staff absence or illness, it must be rebooked within ${describeDuration(rebooking.afterAbsence)} of the person's return.`,
        )
      }
      paragraphs.push('A missed deadline is flagged.')
    }
  }
  return section('cancellation', 'Cancelling a session', paragraphs)
}

function escalationTargetPhrase(
  policy: PolicyDocument,
  target: PolicyDocument['escalation'][number]['steps'][number]['target'],
): string {
  switch (target.kind) {
    case 'supervisor':
      return 'the supervisor'
    case 'line-manager':
      return 'the line manager'
    case 'supervisors-line-manager':
      return "the supervisor's manager"
    case 'next-manager-up':
      return 'the next manager up'
    case 'role':
      return `the ${roleNoun(policy, target.role)}`
  }
}

function escalationSection(policy: PolicyDocument): SummarySection | null {
  if (policy.escalation.length === 0) return null
  const paragraphs: string[] = []
  const items: string[] = []
  for (const chain of policy.escalation) {
    paragraphs.push(sentence(chain.description))
    for (const step of chain.steps) {
      const when =
        step.afterWorkingDays === 0
          ? 'Straight away'
          : `After ${describeDuration({ amount: step.afterWorkingDays, unit: 'working-days' })}`
      const repeat = step.repeatEveryWorkingDays
        ? `, repeated every ${describeDuration({ amount: step.repeatEveryWorkingDays, unit: 'working-days' })} until resolved`
        : ''
      items.push(`${when} (${escalationTargetPhrase(policy, step.target)}${repeat}): ${lowerFirst(bare(step.action))}.`)
    }
  }
  return section('escalation', 'When supervision does not happen', paragraphs, items)
}

function contractSection(policy: PolicyDocument): SummarySection | null {
  const contract = policy.contract
  if (!contract) return null
  const paragraphs: string[] = []
  paragraphs.push(
    contract.issuedAt === 'start-of-academic-year'
      ? 'Each member of staff in scope is given a supervision contract at the start of each academic year.'
      : 'Each member of staff in scope agrees a supervision contract with their supervisor when supervision begins.',
  )
  const signed =
    contract.signedBy.length === 2 ? 'both the supervisee and the supervisor' : `the ${contract.signedBy.join('')}`
  const returned =
    contract.returnTo.length > 0
      ? `, and the signed contract is returned to ${rolesList(policy, contract.returnTo)}`
      : ''
  paragraphs.push(`It is signed by ${signed}${returned}.`)
  if (contract.reviewEvery) paragraphs.push(`The contract is reviewed ${describeRecurrence(contract.reviewEvery)}.`)
  if (contract.venue) paragraphs.push(`Venue: ${lowerFirst(bare(contract.venue))}.`)
  if (contract.preparation) paragraphs.push(`Preparation: ${lowerFirst(bare(contract.preparation))}.`)
  return section('contract', 'Supervision contract', paragraphs)
}

/** Issue 15: how long records are kept, in one sentence. */
function retentionSentence(policy: PolicyDocument): string {
  const r = policy.retention
  const period = (p: { years: number; from: 'leaving' | 'record' }) =>
    `${p.years === 1 ? '1 year' : `${p.years} years`} ${p.from === 'leaving' ? 'after the person leaves' : 'from the record’s date'}`
  return `Supervision records are kept for ${period(r.supervisionRecords)}, and records with child-protection content for at least ${period(r.childProtection)}; then the DSL confirms their removal.`
}

function recordsSection(policy: PolicyDocument): SummarySection {
  const { recording, childRecord } = policy
  const paragraphs: string[] = []
  const recorder =
    recording.recordedBy === 'either' ? 'The supervisor or the supervisee' : `The ${recording.recordedBy}`
  paragraphs.push(`${recorder} records each session.`)
  if (recording.signedBy.length > 0) {
    paragraphs.push(
      `${recording.signedBy.length === 2 ? 'The supervisor and the supervisee both sign' : `The ${recording.signedBy[0]} signs`} the record to agree it is accurate.`,
    )
  }
  if (recording.copiesHeldBy.length > 0) {
    paragraphs.push(`Copies are held by ${listWithAnd(recording.copiesHeldBy.map((party) => `the ${party}`))}.`)
  }
  if (recording.actionsReviewedAtNextSession) paragraphs.push('Agreed actions are reviewed at the next session.')
  if (recording.actionSummaryDuringSession) {
    paragraphs.push('A summary sheet of actions is completed during or straight after the session.')
  }
  if (recording.headteacherFeedback === 'general-only') {
    paragraphs.push('Only general feedback, not the content of sessions, is shared with the headteacher.')
  }
  if (recording.storage) paragraphs.push(sentence(recording.storage))
  if (recording.evidenceUses.length > 0) {
    paragraphs.push(`Records may be used as evidence in ${listWithOr(recording.evidenceUses.map(lowerFirst))}.`)
  }
  const system = childRecord.system ? ` in ${childRecord.system}` : ''
  if (childRecord.decisionsMustReachChildRecord) {
    paragraphs.push(`Decisions about a child reached in supervision are recorded on the child's own record${system}.`)
  }
  if (childRecord.caseDiscussionsOnChildRecord) {
    paragraphs.push(`Case discussions are recorded on the child's own record${system} too.`)
  }
  if (childRecord.signOffRole) {
    paragraphs.push(`Decisions on a child's record are signed off by the ${roleNoun(policy, childRecord.signOffRole)}.`)
  }
  paragraphs.push(retentionSentence(policy))
  paragraphs.push(...commitmentsOn(policy, 'recording'))
  const items = policy.templates.records.map((use) => sentence(use.description))
  return section('records', 'Records', paragraphs, items)
}

function frameworkSection(framework: Framework): SummarySection {
  const paragraphs = [sentence(framework.description)]
  if (framework.tagSessions) paragraphs.push('Each session’s discussion can be tagged with these.')
  if (framework.coverageLookback) {
    paragraphs.push(
      `Any that has not been covered in a supervisee's sessions in the last ${describeDuration(framework.coverageLookback)} is flagged.`,
    )
  }
  const items = framework.items.map((item) => {
    const parts = [`${item.name}: ${sentence(item.description)}`]
    if (item.prompts.length > 0) parts.push(`Prompts: ${item.prompts.map(bare).join('; ')}.`)
    if (item.duties) {
      parts.push(`Supervisee: ${item.duties.supervisee.map(sentence).join(' ')}`)
      parts.push(`Supervisor: ${item.duties.supervisor.map(sentence).join(' ')}`)
      parts.push(`Management: ${item.duties.management.map(sentence).join(' ')}`)
    }
    return parts.join(' ')
  })
  return section(`framework-${framework.id}`, framework.name, paragraphs, items)
}

function confidentialitySection(policy: PolicyDocument): SummarySection | null {
  const confidentiality = policy.confidentiality
  if (!confidentiality) return null
  const paragraphs = [sentence(confidentiality.summary)]
  if (confidentiality.sharing) paragraphs.push(sentence(confidentiality.sharing))
  if (confidentiality.exceptions.length > 0) paragraphs.push('Confidentiality is set aside for:')
  return section('confidentiality', 'Confidentiality', paragraphs, confidentiality.exceptions.map(bare))
}

function disputeSection(policy: PolicyDocument): SummarySection | null {
  const dispute = policy.disputeResolution
  if (!dispute) return null
  const items = dispute.steps.map((step) =>
    step.when ? `${upperFirst(bare(step.when))}: ${lowerFirst(bare(step.description))}.` : sentence(step.description),
  )
  const paragraphs = ['When the supervisor and supervisee cannot resolve a disagreement:']
  if (dispute.bothPartiesToldInAdvance) {
    items.push('Both parties are told in advance that a meeting to resolve it has been arranged.')
  }
  return section('disagreements', 'Disagreements', paragraphs, items)
}

function supportSection(policy: PolicyDocument): SummarySection | null {
  const paragraphs: string[] = []
  const items: string[] = []
  const { requests, practice } = policy
  if (requests) {
    const topics = requests.topics.length > 0 ? ` to discuss ${listWithOr(requests.topics)}` : ''
    if (requests.anyStaffMayRequest) {
      paragraphs.push(`Any member of staff can ask for a supervision meeting at any time${topics}.`)
    }
    if (requests.description) paragraphs.push(sentence(requests.description))
  }
  for (const group of policy.standingGroups) {
    const led = listWithOr(group.ledBy.map((spec) => describeSupervisorSpec(policy, spec)))
    items.push(`${group.name}: ${bare(group.description)} (led by ${led}).`)
  }
  for (const support of policy.furtherSupport) {
    items.push(`${support.name}, by ${lowerFirst(support.providedBy)}: ${lowerFirst(bare(support.description))}.`)
  }
  if (practice.handoverOnLineManagerChange) {
    paragraphs.push(
      'When line management changes, the outgoing and incoming supervisors hold a handover, which is recorded.',
    )
  }
  if (practice.feedbackFromSupervisees)
    paragraphs.push(
      practice.feedbackAsked === 'termly'
        ? 'Supervisees are asked for feedback on the quality of their supervision once a term.'
        : 'Supervisees are asked for feedback on the quality of their supervision after each session, once its record is signed.',
    )
  if (practice.workloadMonitored)
    paragraphs.push('Management makes sure workload does not exceed the capacity of the post.')
  if (practice.developmentNeedsFeedPlanning) {
    paragraphs.push('Learning and development needs found in supervision feed professional development planning.')
  }
  if (practice.caseEscalationProcedure) paragraphs.push(sentence(practice.caseEscalationProcedure))
  if (practice.sessionOutline.length > 0) {
    paragraphs.push(`Each session takes this order: ${listWithAnd(practice.sessionOutline.map(lowerFirst))}.`)
  }
  paragraphs.push(...commitmentsOn(policy, 'support'))
  if (paragraphs.length === 0 && items.length === 0) return null
  return section('support', 'Support, requests and groups', paragraphs, items)
}

function preparationSection(policy: PolicyDocument): SummarySection | null {
  const paragraphs = commitmentsOn(policy, 'preparation')
  if (paragraphs.length === 0) return null
  return section('preparation', 'Preparing for supervision', paragraphs)
}

function listSection(id: string, heading: string, lines: string[]): SummarySection | null {
  return lines.length === 0 ? null : section(id, heading, lines)
}

/** The policy as plain English, in sections, for its summary page. */
export function summarisePolicy(policy: PolicyDocument): PolicySummary {
  const sections: (SummarySection | null)[] = [
    aboutSection(policy),
    sourcesSection(policy),
    listSection('purpose', 'Purpose', commitmentsOn(policy, 'purpose')),
    whoSection(policy),
    howOftenSection(policy),
    sessionTypesSection(policy),
    supervisorsSection(policy),
    contractSection(policy),
    preparationSection(policy),
    cancellationSection(policy),
    escalationSection(policy),
    recordsSection(policy),
    ...policy.frameworks.map(frameworkSection),
    confidentialitySection(policy),
    disputeSection(policy),
    supportSection(policy),
    listSection('principles', 'Principles', commitmentsOn(policy, 'principle')),
    listSection('other', 'Other commitments', commitmentsOn(policy, 'other')),
    policy.notes.length > 0 ? section('notes', 'How Haven reads this policy', [], policy.notes.map(sentence)) : null,
  ]
  return {
    heading: `${policy.metadata.title}: ${policy.metadata.school}`,
    sections: sections.filter((s): s is SummarySection => s !== null),
  }
}

/**
 * Phrases for a contract's `{{policy.frequency}}` and `{{policy.duration}}`: those of the named
 * requirement, or of the policy's first requirement.
 */
export function contractPhrases(
  policy: PolicyDocument,
  requirementId?: string,
): { frequency: string; duration: string } {
  const requirement =
    policy.requirements.find((candidate) => candidate.id === requirementId) ?? policy.requirements[0] ?? null
  return {
    frequency: requirement?.frequency ? describeFrequency(requirement.frequency) : 'as agreed in this contract',
    duration: requirement?.expectedMinutes ? describeMinutes(requirement.expectedMinutes) : '',
  }
}
