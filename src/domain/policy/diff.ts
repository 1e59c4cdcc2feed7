/**
 * What changes between two versions of a policy (issue 14, X-01), field by field, in plain words
 * for the person about to publish: "Frequency of one-to-one supervision: every 6 weeks → every 4
 * weeks"; "Added session type: Peer supervision"; "Removed cancellation reason: Illness".
 *
 * Pure and data-driven: it walks the two documents, matching list items by their id, and words
 * each change from small tables of labels and values. A field it has no label for is named from
 * its key ("handoverOnLineManagerChange" reads "Handover on line manager change"), so a field
 * added to the model later is still reported, only in plainer words, until it is given a label.
 */
import { formatLongDate } from '../calendar/dates.ts'
import type { Duration, Frequency, PolicyDocument, StaffSelector, SupervisorSpec } from './model.ts'
import {
  describeDuration,
  describeFrequencyExactly,
  describeSelector,
  describeSupervisorSpec,
  lowerFirst,
  roleName,
  upperFirst,
  withArticle,
} from './wording.ts'

export interface PolicyChange {
  /** The part of the policy, as the editor names it: "Requirements", "Records". */
  part: string
  /** One change, in plain words. */
  text: string
}

/** The parts of the policy in the order the editor shows them; Haven sets the rest itself. */
const parts: readonly (readonly [string, string])[] = [
  ['metadata', 'Details and review dates'],
  ['notes', 'Details and review dates'],
  ['customRoles', 'Details and review dates'],
  ['scope', 'Who must be supervised'],
  ['requirements', 'Requirements'],
  ['sessionTypes', 'Session types'],
  ['supervisors', 'Who may supervise whom'],
  ['cancellation', 'Cancellation and rebooking'],
  ['escalation', 'Escalation'],
  ['frameworks', 'Frameworks'],
  ['templates', 'Templates'],
  ['contract', 'Supervision contract'],
  ['confidentiality', 'Confidentiality and disagreements'],
  ['disputeResolution', 'Confidentiality and disagreements'],
  ['recording', 'Records'],
  ['childRecord', 'Records'],
  ['retention', 'How long records are kept'],
  ['requests', 'Requests and standing groups'],
  ['standingGroups', 'Requests and standing groups'],
  ['practice', 'Practice, support and commitments'],
  ['furtherSupport', 'Practice, support and commitments'],
  ['commitments', 'Practice, support and commitments'],
]

/** Set by Haven, not by the person editing: never reported. */
const systemKeys = new Set(['schemaVersion', 'id', 'version', 'effectiveFrom'])

/** Labels of fields by key; `parent.key` for a key that reads differently under one parent. */
const labels: Readonly<Record<string, string>> = {
  // Top-level parts that are a single value or a list
  notes: 'How Haven reads the policy',
  contract: 'Supervision contract',
  confidentiality: 'Confidentiality',
  disputeResolution: 'The route to resolve a disagreement',
  requests: 'Supervision on request',
  // Details
  'metadata.title': 'Title of the policy',
  'metadata.school': 'School',
  'metadata.trust': 'Trust',
  'metadata.description': 'What is distinctive about the policy',
  'metadata.owner': 'Lead person for the policy',
  'owner.name': 'Name of the lead person for the policy',
  'owner.role': 'Role of the lead person for the policy',
  'metadata.approvedBy': 'Approved by',
  'metadata.governorCommittee': 'Governor committee',
  'metadata.approvedOn': 'Date approved',
  'metadata.lastReviewedOn': 'Date last reviewed',
  'metadata.reviewEvery': 'Reviewed every',
  'metadata.nextReviewDue': 'Next review due',
  'metadata.reviewReminder': 'Reminder before the review',
  // Scope
  'scope.identifiedAt': 'When staff are identified',
  'scope.excludedEmploymentTypes': 'Kinds of staff the policy never covers',
  'scope.manualInclusion': 'Who else is brought into scope one by one',
  'scope.partTimeStaff': 'Part-time staff',
  who: 'Who it applies to',
  employmentTypes: 'Kinds of staff who wait',
  after: 'How long they wait',
  // Requirements
  frequency: 'Frequency',
  maximumGap: 'Maximum gap',
  expectedMinutes: 'Expected length in minutes',
  planning: 'How sessions are planned',
  scopeRules: 'Who it applies to',
  sessionTypes: 'Session types',
  'agreedFrequency.allowed': 'Whether a different frequency may be agreed',
  'agreedFrequency.description': 'What may be agreed',
  'agreedFrequency.options': 'Frequencies that may be agreed',
  // Session types
  countsTowardEntitlement: 'Counts towards the entitlement',
  group: 'A group session',
  planned: 'Planned',
  formal: 'Formal',
  onRequest: 'Arranged when a member of staff asks',
  carriesForwardToNextFormal: 'Issues carried forward to the next formal session',
  decisionsToChildRecord: 'Decisions must reach the child’s record',
  recordsConfidentialityBoundary: 'The group records its confidentiality boundary',
  // Supervisors
  supervisees: 'Supervisees',
  'rules.supervisors': 'Who may supervise them',
  fallback: 'Only for staff no other rule covers',
  'supervisors.trainingRequired': 'Supervisors must have recorded training',
  'supervisors.trainingDescription': 'The supervisor training',
  'supervisors.accountability': 'Who stays accountable when the supervisor is not the line manager',
  // Cancellation
  'cancellation.exceptionalOnly': 'Cancelled only in exceptional circumstances',
  'cancellation.reasonRequired': 'A cancellation must record its reason',
  'cancellation.visibleTo': 'Who sees every cancellation',
  'cancellation.notifyOtherParty': 'Whoever cancels tells the other person',
  'cancellation.notifyRoles': 'Who is told of every cancellation',
  'cancellation.rebooking': 'Rebooking',
  within: 'Rebook within',
  afterAbsence: 'After absence, rebook within',
  absence: 'Staff absence or illness',
  // Escalation
  trigger: 'What starts it',
  afterWorkingDays: 'Working days after the escalation starts',
  target: 'Who it goes to',
  action: 'What happens',
  repeatEveryWorkingDays: 'Repeat every so many working days',
  // Frameworks, templates
  kind: 'Kind',
  tagSessions: 'Discussions can be tagged with its items',
  coverageLookback: 'Flag an item not covered within',
  prompts: 'Prompts',
  duties: 'Duties',
  'templates.contract': 'Contract template',
  'templates.agenda': 'Agenda template',
  'templates.preparation': 'Preparation template',
  templateId: 'Template',
  perChildOrFamily: 'One record per child or family',
  // Contract
  issuedAt: 'When a contract is issued',
  signedBy: 'Who signs',
  returnTo: 'Who the signed contract is returned to',
  'contract.reviewEvery': 'Contract reviewed every',
  venue: 'Where sessions take place',
  preparation: 'How both prepare for a session',
  // Confidentiality and disagreements
  summary: 'What stays confidential',
  exceptions: 'Exceptions to confidentiality',
  sharing: 'Who else may see what is discussed',
  bothPartiesToldInAdvance: 'Both people told in advance of a meeting to resolve it',
  when: 'When it applies',
  // Records
  recordedBy: 'Who records the session',
  copiesHeldBy: 'Who keeps a copy',
  actionsReviewedAtNextSession: 'Actions reviewed at the next session',
  actionSummaryDuringSession: 'A summary of actions completed during the session',
  headteacherFeedback: 'What the headteacher is told',
  evidenceUses: 'Where records may be used as evidence',
  storage: 'How records are stored',
  system: 'System for children’s safeguarding records',
  decisionsMustReachChildRecord: 'Decisions about a child must reach the child’s record',
  caseDiscussionsOnChildRecord: 'Case discussions recorded on the child’s record',
  signOffRole: 'Who signs off decisions on a child’s record',
  remindAfterDays: 'Days a decision may wait for the child’s record before a reminder',
  // Retention (issue 15)
  retention: 'How long records are kept',
  supervisionRecords: 'Supervision records',
  contracts: 'Supervision contracts',
  stressRiskAssessments: 'Stress risk assessments',
  referrals: 'Referrals',
  decisionsAboutChildren: 'Decisions about children',
  childProtection: 'Records with child-protection content',
  years: 'Years kept',
  from: 'Counted from',
  // Requests, groups, practice
  anyStaffMayRequest: 'Any member of staff may ask for supervision',
  topics: 'What staff may ask about',
  sessionTypeId: 'Session type',
  ledBy: 'Who leads it',
  members: 'Members',
  providedBy: 'Provided by',
  handoverOnLineManagerChange: 'Handover recorded when line management changes',
  feedbackFromSupervisees: 'Supervisees asked for feedback',
  workloadMonitored: 'Workload monitored',
  feedbackAsked: 'When supervisees are asked for feedback',
  feedbackQuestions: 'Feedback questions',
  feedbackComment: 'Supervisees may add a comment to their feedback',
  feedbackWorkloadQuestion: 'The feedback question about workload',
  workloadFlagAt: 'Supervisees saying workload exceeds capacity before it is flagged',
  feedbackReminderAfterDays: 'Days before a supervisee is reminded to give feedback',
  developmentNeedsFeedPlanning: 'Development needs feed professional development planning',
  caseEscalationProcedure: 'How a case that is not progressing is escalated',
  sessionOutline: 'The order of business in a session',
  topic: 'Topic',
  text: 'Text',
  name: 'Name',
  description: 'Description',
}

/** What one item of a list is called, by the list's key. */
const nouns: Readonly<Record<string, string>> = {
  customRoles: 'role of the school’s own',
  sessionTypes: 'session type',
  focuses: 'focus',
  'scope.rules': 'scope rule',
  qualifyingPeriods: 'qualifying period',
  requirements: 'requirement',
  stricterFor: 'stricter rule',
  'supervisors.rules': 'rule on who may supervise whom',
  reasons: 'cancellation reason',
  escalation: 'escalation',
  steps: 'step',
  frameworks: 'framework',
  items: 'item',
  records: 'record template',
  standingGroups: 'standing group',
  furtherSupport: 'further support',
  commitments: 'commitment',
  'disputeResolution.steps': 'step to resolve a disagreement',
  feedbackQuestions: 'feedback question',
}

/** Words for values that are codes. */
const valueWords: Readonly<Record<string, string>> = {
  rolling: 'each session booked after the one before',
  'start-of-year': 'every date planned at the start of the academic year',
  'start-of-academic-year': 'at the start of each academic year',
  continuously: 'whenever they meet a rule',
  'on-entering-scope': 'when a member of staff comes into scope',
  none: 'none',
  listed: 'one of a list of frequencies',
  any: 'any frequency the supervisor and supervisee agree',
  'general-only': 'general feedback only',
  'after-each-session': 'after each session, once its record is signed',
  termly: 'once a term',
  full: 'everything',
  either: 'either of them',
  supervisor: 'the supervisor',
  supervisee: 'the supervisee',
  'entitlement-unmet': 'required supervision is overdue',
  'rebooking-deadline-missed': 'a cancelled session was not rebooked in time',
  'same-frequency': 'the same frequency as full-time staff',
  'line-manager': 'their line manager',
  'supervisors-line-manager': 'the supervisor’s line manager',
  'next-manager-up': 'the next manager up',
}

const dateKeys = new Set(['approvedOn', 'lastReviewedOn', 'nextReviewDue'])
const roleKeys = new Set(['roles', 'visibleTo', 'notifyRoles', 'returnTo', 'role', 'signOffRole'])
const sessionTypeKeys = new Set(['sessionTypes', 'sessionTypeId'])

type Raw = Record<string, unknown>

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function humanise(key: string): string {
  return upperFirst(
    key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/-/g, ' ')
      .toLowerCase(),
  )
}

function short(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** A key's label, by `parent.key` first, then by key alone. */
function labelOf(parentKey: string | null, key: string): string {
  return (parentKey ? labels[`${parentKey}.${key}`] : undefined) ?? labels[key] ?? humanise(key)
}

function nounOf(parentKey: string | null, key: string): string {
  return (parentKey ? nouns[`${parentKey}.${key}`] : undefined) ?? nouns[key] ?? lowerFirst(humanise(key))
}

const isFrequency = (v: unknown): v is Frequency => isRecord(v) && typeof v.every === 'number' && 'unit' in v
const isDuration = (v: unknown): v is Duration => isRecord(v) && typeof v.amount === 'number' && 'unit' in v
const isSelector = (v: unknown): v is StaffSelector =>
  isRecord(v) && 'everyone' in v && Array.isArray(v.roles) && Array.isArray(v.flags)
const isSpec = (v: unknown): v is SupervisorSpec => isRecord(v) && typeof v.kind === 'string'

/** A date in words when it is a real date (1 September 2025), else as it was written. */
function longDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatLongDate(iso) : iso
}

class Differ {
  readonly changes: PolicyChange[] = []
  readonly before: PolicyDocument
  readonly after: PolicyDocument
  constructor(before: PolicyDocument, after: PolicyDocument) {
    this.before = before
    this.after = after
  }

  /** Names of session types and scope rules from either version, so a removed one still has a name. */
  private nameOf(kind: 'sessionTypes' | 'scopeRules', id: string): string {
    for (const doc of [this.after, this.before]) {
      const list: unknown = kind === 'sessionTypes' ? doc.sessionTypes : doc.scope?.rules
      const found = Array.isArray(list) ? list.find((x) => isRecord(x) && x.id === id) : undefined
      if (isRecord(found)) return String(found.name ?? found.description ?? id)
    }
    return id
  }

  private roles(): Pick<PolicyDocument, 'customRoles'> {
    return { customRoles: [...(this.after.customRoles ?? []), ...(this.before.customRoles ?? [])] }
  }

  /** A value in words. */
  value(key: string, value: unknown): string {
    try {
      if (value === null || value === undefined) return 'none'
      if (typeof value === 'boolean') return value ? 'yes' : 'no'
      if (typeof value === 'number') return String(value)
      if (typeof value === 'string') {
        if (value === '') return 'none'
        if (dateKeys.has(key)) return longDate(value)
        if (roleKeys.has(key)) return roleName(this.roles(), value)
        if (sessionTypeKeys.has(key)) return this.nameOf('sessionTypes', value)
        if (key === 'scopeRules') return this.nameOf('scopeRules', value)
        return (/^[a-z0-9-]+$/.test(value) ? valueWords[value] : undefined) ?? short(value)
      }
      if (Array.isArray(value)) {
        if (value.length === 0) return 'none'
        return value.map((v) => this.value(key, v)).join('; ')
      }
      if (isFrequency(value)) return describeFrequencyExactly(value)
      if (isDuration(value)) return describeDuration(value)
      if (isSelector(value)) return describeSelector(this.roles(), value)
      if (isSpec(value) && (key === 'supervisors' || key === 'ledBy' || key === 'target')) {
        if (key === 'target' && value.kind !== 'role') return valueWords[value.kind] ?? humanise(value.kind)
        return describeSupervisorSpec(this.roles(), value)
      }
      if (isRecord(value)) {
        return Object.entries(value)
          .map(([k, v]) => `${lowerFirst(labelOf(key, k))} ${this.value(k, v)}`)
          .join(', ')
      }
      return String(value)
    } catch {
      return 'changed'
    }
  }

  private add(part: string, text: string): void {
    this.changes.push({ part, text })
  }

  /** `label` already says where: "Frequency of one-to-one supervision". */
  private changed(part: string, label: string, key: string, a: unknown, b: unknown): void {
    this.add(part, `${label}: ${this.value(key, a)} → ${this.value(key, b)}`)
  }

  /**
   * Compares `a` and `b` found at `key` (under `parentKey`); `where` names the item they belong to
   * ("one-to-one supervision"), empty at the top of a part.
   */
  compare(part: string, parentKey: string | null, key: string, a: unknown, b: unknown, where: string): void {
    if (same(a, b)) return
    const label = labelOf(parentKey, key)
    // "Frequency of one-to-one supervision"; a yes-or-no field "Formal (group supervision)".
    const yesNo = typeof a === 'boolean' || typeof b === 'boolean'
    const at = where ? (yesNo ? `${label} (${where})` : `${label} of ${where}`) : label
    // Values that read as one phrase: frequencies, lengths of time, who a rule covers.
    const whole =
      isFrequency(a) ||
      isFrequency(b) ||
      isDuration(a) ||
      isDuration(b) ||
      isSelector(a) ||
      isSelector(b) ||
      key === 'target'
    if (whole || !(isRecord(a) && isRecord(b))) {
      if (Array.isArray(a) || Array.isArray(b)) {
        this.list(part, parentKey, key, toList(a), toList(b), where)
        return
      }
      // A part that is there in one version and not the other (a contract, a rebooking rule).
      if (!whole && (isRecord(a) || isRecord(b))) {
        this.add(part, isRecord(b) ? `Added: ${lowerFirst(at)}` : `Removed: ${lowerFirst(at)}`)
        return
      }
      this.changed(part, at, key, a, b)
      return
    }
    for (const k of keysOf(a, b)) this.compare(part, key, k, a[k], b[k], where)
  }

  private list(part: string, parentKey: string | null, key: string, a: unknown[], b: unknown[], where: string): void {
    const withIds = [...a, ...b].every((x) => isRecord(x) && typeof x.id === 'string')
    const keyed = !withIds && [...a, ...b].every((x) => isRecord(x) && typeof x.templateId === 'string')
    const suffix = where ? ` (${where})` : ''
    if (withIds || keyed) {
      const idOf = (x: unknown) => String((x as Raw)[withIds ? 'id' : 'templateId'])
      const noun = nounOf(parentKey, key)
      const beforeById = new Map(a.map((x) => [idOf(x), x as Raw]))
      const afterById = new Map(b.map((x) => [idOf(x), x as Raw]))
      for (const [id, item] of beforeById) {
        if (!afterById.has(id)) this.add(part, `Removed ${noun}: ${this.itemName(key, item)}${suffix}`)
      }
      for (const [id, item] of afterById) {
        const old = beforeById.get(id)
        if (!old) this.add(part, `Added ${noun}: ${this.itemName(key, item)}${suffix}`)
        else if (!same(old, item)) {
          const name = lowerFirst(this.itemName(key, item))
          const nameKey = namingKey(item)
          // The field an item is named by is changed "of a cancellation reason", not of itself.
          for (const k of keysOf(old, item))
            this.compare(part, key, k, old[k], item[k], k === nameKey ? withArticle(noun) : name)
        }
      }
      return
    }
    const label = labelOf(parentKey, key)
    const at = where ? `${label} of ${where}` : label
    // Plain lists (roles, lines of text, frequencies): what was added and what was taken away.
    const added = b.filter((x) => !a.some((y) => same(x, y)))
    const removed = a.filter((x) => !b.some((y) => same(x, y)))
    if (added.length === 0 && removed.length === 0) {
      this.add(part, `${at}: put in a different order`)
      return
    }
    const phrases = [
      ...(added.length > 0 ? [`added ${this.value(key, added)}`] : []),
      ...(removed.length > 0 ? [`removed ${this.value(key, removed)}`] : []),
    ]
    this.add(part, `${at}: ${phrases.join('; ')}`)
  }

  /** An item's name: its name, description, text or action; a rule by who it covers. */
  itemName(listKey: string, item: Raw): string {
    const k = namingKey(item)
    if (k) return short(String(item[k]), 70)
    if (isSelector(item.supervisees)) return upperFirst(this.value('supervisees', item.supervisees))
    if (typeof item.templateId === 'string') return item.templateId
    return typeof item.id === 'string' ? item.id : nounOf(null, listKey)
  }
}

/** The field an item is named by: its name, description, text or action. */
function namingKey(item: Raw): string | null {
  return (
    ['name', 'description', 'text', 'action'].find((k) => typeof item[k] === 'string' && item[k].trim() !== '') ?? null
  )
}

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]
}

function keysOf(a: Raw, b: Raw): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
}

function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v,
  )
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

/**
 * Every change from `before` (the version in force) to `after` (the draft), in the order of the
 * editor's sections, in plain words. Empty when nothing a person can edit has changed.
 */
export function diffPolicies(before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const differ = new Differ(before, after)
  const b = before as unknown as Raw
  const a = after as unknown as Raw
  const known = new Set(parts.map(([key]) => key))
  const keys = [...parts.map(([key]) => key), ...keysOf(b, a).filter((k) => !known.has(k) && !systemKeys.has(k))]
  for (const key of keys) {
    const part = parts.find(([k]) => k === key)?.[1] ?? humanise(key)
    differ.compare(part, null, key, b[key], a[key], '')
  }
  return differ.changes
}

/** The changes grouped by part, in order, for a page to show under headings. */
export function changesByPart(changes: readonly PolicyChange[]): { part: string; changes: string[] }[] {
  const groups: { part: string; changes: string[] }[] = []
  for (const change of changes) {
    const group = groups.find((g) => g.part === change.part)
    if (group) group.changes.push(change.text)
    else groups.push({ part: change.part, changes: [change.text] })
  }
  return groups
}
