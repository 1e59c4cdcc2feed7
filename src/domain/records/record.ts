/**
 * The record of a supervision session (X-05, X-06, issue 7): what it holds besides the template's
 * values, what must be true before the supervisor completes it, who must sign, and the content
 * hash a signature is made over.
 *
 * A record holds:
 * - `values`: the template's fields (entry.ts). A template's first `actions` field is filled from
 *   `actions`, so an action is typed once and tracked from session to session;
 * - `actions`: the actions agreed at this session (actions.ts);
 * - `reviews`: last time's open actions, each given a status here (CA-07, X-05);
 * - `carried`: issues carried forward from informal or unplanned supervision (CA-01);
 * - `decisions`: decisions about a child or family that must reach the child's own record;
 * - `boundary`: a group's agreed confidentiality boundary (LH-06);
 * - `session`: who was there and when, as it stood when the record was last saved.
 *
 * The content hash covers all of it (signature blocks excepted: signing fills them), so a signed
 * record changed afterwards, even directly in the database, no longer matches its signatures.
 *
 * Pure: no I/O, no clock.
 */
import { createHash } from 'node:crypto'
import type { IsoDate } from '../people/person.ts'
import type { ActionReview, AgreedAction, OwnerKind, ReviewStatus } from './actions.ts'
import { checkReviews } from './actions.ts'
import {
  type ActionValue,
  canonicalContent,
  type EntryErrors,
  type EntryValues,
  emptyEntry,
  isRealIsoDate,
  stableStringify,
  validateEntry,
} from './entry.ts'
import type { RecordStatus } from './status.ts'
import type { Field, Template } from './template.ts'
import { templateFields } from './template.ts'
import type { SupervisionFacts } from './template-conditions.ts'

export interface SessionPerson {
  personId: string
  name: string
}

export interface SessionAttendee extends SessionPerson {
  /** Null when attendance was not marked: counted as present. */
  attended: boolean | null
  /** Issue 14: false for someone who may not sign (they are not asked to); absent: they may. */
  maySign?: false
}

/** The session as the record saw it. */
export interface SessionSnapshot {
  date: IsoDate
  startTime: string | null
  typeId: string
  typeName: string
  group: boolean
  supervisors: SessionAttendee[]
  supervisees: SessionAttendee[]
  /** Who the supervisor is to the supervisees (issue 14); absent in records made before Haven kept it. */
  supervision?: SupervisionFacts
}

/** A decision about a child or family for the child's own safeguarding record (X-07, CA-10, PL-04). */
export interface ChildDecision {
  id: string
  /** `pseudonym`: a child named by a pseudonym, where anonymity is asked for (an external supervisor, CA-12). */
  kind: 'child' | 'family' | 'pseudonym'
  /** The child chosen from the pupil register (issue 15, ADR 0030); the name and reference are then the register's. */
  pupilId?: string | null
  name: string
  /** The child's reference in the school's system (CPOMS, MyConcern ...), if known. */
  reference: string
  decision: string
}

/** An issue raised in informal or unplanned supervision, carried to this session (CA-01). */
export interface CarriedIssue {
  id: string
  kind: 'issue' | 'decision'
  text: string
  personId: string
  sourceDate: IsoDate
}

/** One of last time's actions, as reviewed at this session. */
export interface ReviewedAction extends ActionReview {
  text: string
  ownerName: string
  dueOn: IsoDate | ''
  /** The date of the session that agreed it. */
  raisedOn: IsoDate
}

export interface RecordDocument {
  values: EntryValues
  actions: AgreedAction[]
  reviews: ReviewedAction[]
  carried: CarriedIssue[]
  decisions: ChildDecision[]
  boundary: string
  session: SessionSnapshot | null
}

export { RecordStatus, recordStatusLabels } from './status.ts'

/** Used as the form name of the actions list when the template has no actions field of its own. */
export const havenActionsFieldId = 'havenActions'

export const maxBoundaryLength = 5000
export const maxDecisionLength = 5000

// ---------------------------------------------------------------------------------------------
// Building and reading a document

/** The template's first actions field, which Haven's action list fills; null when it has none. */
export function actionsFieldOf(template: Template): Extract<Field, { kind: 'actions' }> | null {
  for (const field of templateFields(template)) if (field.kind === 'actions') return field
  return null
}

/** The form name the actions list uses: the template's actions field id, or `havenActions`. */
export function actionsFormId(template: Template): string {
  return actionsFieldOf(template)?.id ?? havenActionsFieldId
}

function dateFieldIsSessionDate(field: Field): boolean {
  return field.kind === 'date' && (field.id === 'date' || field.id === 'supervisionDate' || field.id === 'sessionDate')
}

/**
 * A new record's values: blank, with the session's date and the supervisor and supervisee filled
 * in where the template asks for them (fields called `date`/`supervisionDate`, `supervisor`, `supervisee`).
 */
export function prefilledValues(template: Template, session: SessionSnapshot): EntryValues {
  const values = emptyEntry(template)
  for (const field of templateFields(template)) {
    if (dateFieldIsSessionDate(field)) values[field.id] = session.date
    if (field.kind === 'person') {
      const people = /supervisee/i.test(field.id)
        ? session.supervisees
        : /supervisor/i.test(field.id)
          ? session.supervisors
          : []
      const first = people[0]
      if (people.length === 1 && first) values[field.id] = { personId: first.personId, name: first.name }
      else if (people.length > 1) values[field.id] = { personId: null, name: people.map((p) => p.name).join(', ') }
    }
  }
  return values
}

/**
 * Only a session that took place, or is planned and about to, has a record: not one cancelled,
 * postponed (the session it was rebooked as is recorded instead) or not attended.
 */
export function sessionCanBeRecorded(status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'): boolean {
  return status === 'planned' || status === 'held'
}

export function newRecordDocument(template: Template, session: SessionSnapshot): RecordDocument {
  return {
    values: prefilledValues(template, session),
    actions: [],
    reviews: [],
    carried: [],
    decisions: [],
    boundary: '',
    session,
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const stringOf = (v: unknown): string => (typeof v === 'string' ? v : '')

/** Reads a stored document defensively: anything missing becomes empty. */
export function readRecordDocument(raw: unknown): RecordDocument {
  const doc = isObject(raw) ? raw : {}
  const list = (key: string): Record<string, unknown>[] => {
    const v = doc[key]
    return Array.isArray(v) ? v.filter(isObject) : []
  }
  return {
    values: (isObject(doc['values']) ? doc['values'] : {}) as EntryValues,
    actions: list('actions').map((a) => ({
      id: stringOf(a['id']),
      text: stringOf(a['text']),
      ownerKind: (['supervisor', 'supervisee', 'other'].includes(stringOf(a['ownerKind']))
        ? a['ownerKind']
        : 'other') as OwnerKind,
      ownerId: typeof a['ownerId'] === 'string' ? a['ownerId'] : null,
      ownerName: stringOf(a['ownerName']),
      dueOn: stringOf(a['dueOn']),
    })),
    reviews: list('reviews').map((r) => ({
      actionId: stringOf(r['actionId']),
      status: stringOf(r['status']) as ReviewStatus,
      reason: stringOf(r['reason']),
      text: stringOf(r['text']),
      ownerName: stringOf(r['ownerName']),
      dueOn: stringOf(r['dueOn']),
      raisedOn: stringOf(r['raisedOn']),
    })),
    carried: list('carried').map((c) => ({
      id: stringOf(c['id']),
      kind: c['kind'] === 'decision' ? 'decision' : 'issue',
      text: stringOf(c['text']),
      personId: stringOf(c['personId']),
      sourceDate: stringOf(c['sourceDate']),
    })),
    decisions: list('decisions').map((d) => ({
      id: stringOf(d['id']),
      kind: d['kind'] === 'family' ? 'family' : d['kind'] === 'pseudonym' ? 'pseudonym' : 'child',
      ...(typeof d['pupilId'] === 'string' && d['pupilId'] !== '' ? { pupilId: d['pupilId'] } : {}),
      name: stringOf(d['name']),
      reference: stringOf(d['reference']),
      decision: stringOf(d['decision']),
    })),
    boundary: stringOf(doc['boundary']),
    session: isObject(doc['session']) ? (doc['session'] as unknown as SessionSnapshot) : null,
  }
}

/** The actions as the template's actions field holds them. */
export function actionValuesOf(actions: readonly AgreedAction[]): ActionValue[] {
  return actions.map((a) => {
    const value: ActionValue = { id: a.id, text: a.text, owner: a.ownerName, dueOn: a.dueOn }
    if (a.ownerId !== null) value.ownerId = a.ownerId
    return value
  })
}

/** The document with the template's actions field filled from the action list. */
export function withActionValues(template: Template, doc: RecordDocument): RecordDocument {
  const field = actionsFieldOf(template)
  if (field === null) return doc
  return { ...doc, values: { ...doc.values, [field.id]: actionValuesOf(doc.actions) } }
}

// ---------------------------------------------------------------------------------------------
// Content and hash

/**
 * A decision as its content is hashed: no pupil is no pupil, whether its pupilId is absent,
 * null or empty. Storing reads back only a chosen pupil (readRecordDocument), so a null kept in
 * the hash at completion made the record look altered as soon as it was read again.
 */
function canonicalDecision(decision: ChildDecision): ChildDecision {
  const { pupilId, ...rest } = decision
  return typeof pupilId === 'string' && pupilId !== '' ? { ...rest, pupilId } : rest
}

/** Everything a signature covers, as one plain object. */
export function recordContent(template: Template, doc: RecordDocument): Record<string, unknown> {
  const filled = withActionValues(template, doc)
  const canonical = JSON.parse(canonicalContent(template, filled.values)) as Record<string, unknown>
  return {
    template: canonical['template'],
    values: canonical['values'],
    actions: doc.actions,
    reviews: doc.reviews,
    carried: doc.carried,
    decisions: doc.decisions.map(canonicalDecision),
    boundary: doc.boundary.trim(),
    session: doc.session,
  }
}

/** SHA-256 of the record's content in canonical JSON, as 64 lower-case hex digits. */
export function recordContentHash(template: Template, doc: RecordDocument): string {
  return hashOf(recordContent(template, doc))
}

/** SHA-256 of any JSON value in canonical form (keys sorted). */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value), 'utf8').digest('hex')
}

/** The hash kept with an addendum, over who wrote what on which record and when. */
export function addendumHash(addendum: {
  recordId: string
  authorId: string
  authorName: string
  text: string
  createdAt: string
}): string {
  return hashOf({ ...addendum, kind: 'addendum' })
}

// ---------------------------------------------------------------------------------------------
// Checks

export interface RecordCheckOptions {
  mode: 'draft' | 'complete'
  today?: IsoDate
  /** Last time's actions the record must review (CA-07). */
  previousActions: readonly { id: string; text: string }[]
  /** the policy has agreed actions reviewed at the next session, so each needs a status (default true). */
  reviewsRequired?: boolean
  /** The session type asks a group to record its confidentiality boundary (LH-06). */
  boundaryRequired: boolean
}

/**
 * Problems with a record, keyed by form id (`caseManagement-1-advice`, `reviews-<id>`,
 * `decisions-0-decision`, `boundary`). A draft may leave things blank; completing may not.
 */
export function checkRecord(template: Template, doc: RecordDocument, options: RecordCheckOptions): EntryErrors {
  const complete = options.mode === 'complete'
  const errors: EntryErrors = {}
  const add = (key: string, message: string) => {
    if (errors[key] === undefined) errors[key] = message
  }
  const filled = withActionValues(template, doc)
  const entry = validateEntry(template, filled.values, {
    mode: options.mode,
    ...(options.today !== undefined ? { today: options.today } : {}),
  })
  if (!entry.ok) for (const [path, message] of Object.entries(entry.errors)) add(formIdOf(path), message)

  // Actions: checked here when the template has no actions field of its own.
  const actionsField = actionsFieldOf(template)
  const formId = actionsFormId(template)
  doc.actions.forEach((action, index) => {
    const n = String(index + 1)
    const at = `${formId}-${String(index)}`
    if (action.text.length > 20_000) add(`${at}-text`, `Action ${n} must be 20000 characters or fewer`)
    if (action.dueOn !== '' && !isRealIsoDate(action.dueOn))
      add(`${at}-dueOn`, `The due date for action ${n} must be a real date`)
    if (complete && actionsField === null && action.text.trim() === '')
      add(`${at}-text`, `Enter a description of action ${n}`)
    if (complete && actionsField === null && action.ownerName.length > 300)
      add(`${at}-ownerName`, `The name of the person who will do action ${n} must be 300 characters or fewer`)
  })

  for (const [key, message] of Object.entries(
    checkReviews(options.previousActions, doc.reviews, {
      complete,
      required: options.reviewsRequired ?? true,
    }),
  ))
    add(key, message)

  if (doc.boundary.length > maxBoundaryLength)
    add('boundary', `The confidentiality boundary must be ${String(maxBoundaryLength)} characters or fewer`)
  if (complete && options.boundaryRequired && doc.boundary.trim() === '')
    add('boundary', 'Enter the confidentiality boundary the group agreed')

  doc.decisions.forEach((decision, index) => {
    const n = String(index + 1)
    const at = `decisions-${String(index)}`
    if (decision.name.length > 300) add(`${at}-name`, `The name in decision ${n} must be 300 characters or fewer`)
    if (decision.reference.length > 100)
      add(`${at}-reference`, `The reference in decision ${n} must be 100 characters or fewer`)
    if (decision.decision.length > maxDecisionLength)
      add(`${at}-decision`, `Decision ${n} must be ${String(maxDecisionLength)} characters or fewer`)
    if (complete && decision.name.trim() === '')
      add(`${at}-name`, `Enter the name of the child or family for decision ${n}`)
    if (complete && decision.decision.trim() === '') add(`${at}-decision`, `Enter decision ${n}`)
  })
  return errors
}

/** An entry error path (`caseManagement.1.advice`) as the id of its form control (`caseManagement-1-advice`). */
export function formIdOf(path: string): string {
  return path.replaceAll('.', '-')
}

// ---------------------------------------------------------------------------------------------
// Signing (X-05, AM-06, LH-06)

export type Party = 'supervisor' | 'supervisee'

export interface RequiredSigner {
  personId: string
  name: string
  role: Party
}

/**
 * Who must sign: the parties the policy names (both when it names none), and of a group only
 * those who attended (LH-06: each attendee signs); never someone who may not sign (issue 14).
 */
export function requiredSigners(session: SessionSnapshot, signedBy: readonly Party[]): RequiredSigner[] {
  const parties = signedBy.length === 0 ? (['supervisor', 'supervisee'] as const) : signedBy
  const signers: RequiredSigner[] = []
  if (parties.includes('supervisor'))
    for (const p of session.supervisors)
      if (p.attended !== false && p.maySign !== false)
        signers.push({ personId: p.personId, name: p.name, role: 'supervisor' })
  if (parties.includes('supervisee'))
    for (const p of session.supervisees)
      if (p.attended !== false && p.maySign !== false)
        signers.push({ personId: p.personId, name: p.name, role: 'supervisee' })
  return signers
}

export interface SignatureFact {
  personId: string
  contentHash: string
  superseded: boolean
}

/** Required signers who have not yet signed (superseded signatures do not count). */
export function missingSigners(
  required: readonly RequiredSigner[],
  signatures: readonly SignatureFact[],
): RequiredSigner[] {
  return required.filter((r) => !signatures.some((s) => !s.superseded && s.personId === r.personId))
}

export interface IntegrityCheck {
  altered: boolean
  /** Plain words for the banner and the log. */
  reasons: string[]
}

/**
 * X-06 tamper evidence: the hash of the content as stored now, compared with the hash taken when
 * the record was completed and the hash each signature was made over. Any difference means the
 * record was changed after it was completed or signed, outside Haven.
 */
export function checkIntegrity(input: {
  status: RecordStatus
  currentHash: string
  completedHash: string | null
  signatures: readonly SignatureFact[]
  /** The hash kept in the latest completed or locked version, if any. */
  versionHash?: string | null
}): IntegrityCheck {
  const reasons: string[] = []
  if (input.status !== 'draft') {
    if (input.completedHash !== null && input.completedHash !== input.currentHash)
      reasons.push('The content no longer matches the content that was completed.')
    if (input.versionHash && input.versionHash !== input.currentHash)
      reasons.push('The content no longer matches the version Haven kept.')
  }
  const mismatched = input.signatures.filter((s) => !s.superseded && s.contentHash !== input.currentHash)
  if (mismatched.length > 0)
    reasons.push(
      mismatched.length === 1
        ? 'The content no longer matches what was signed.'
        : `The content no longer matches what ${String(mismatched.length)} people signed.`,
    )
  return { altered: reasons.length > 0, reasons }
}

/** Whether the record needs a confidentiality boundary: a group session whose type records one (LH-06). */
export function boundaryRequired(
  sessionType: { group: boolean; recordsConfidentialityBoundary: boolean } | null,
): boolean {
  return (sessionType?.group ?? false) && (sessionType?.recordsConfidentialityBoundary ?? false)
}

// ---------------------------------------------------------------------------------------------
// Who a decision is about (issue 15 item 1, ADR 0030)

/** The ways a decision may name who it is about, for the people writing this record. */
export interface DecisionChoices {
  /** Choose the child from the school's pupil register (staff of the school; not an external supervisor). */
  register: boolean
  /** Name a child by a pseudonym (CA-12: an external supervisor, where anonymity is asked for). */
  pseudonym: boolean
}

export function decisionChoices(facts: { supervisorIsExternal: boolean; registerHasPupils: boolean }): DecisionChoices {
  return {
    register: facts.registerHasPupils && !facts.supervisorIsExternal,
    pseudonym: facts.supervisorIsExternal,
  }
}

/**
 * A decision as it is kept: a child chosen from the register takes the register's name and
 * reference (UPN, else MIS id); a choice the writer was not offered is dropped (a pupil id from an
 * external supervisor, a pseudonym from school staff becomes a child named in free text).
 */
export function settleDecision(
  decision: ChildDecision,
  choices: DecisionChoices,
  pupil: { id: string; name: string; upn: string | null; misId: string | null } | null,
): ChildDecision {
  const { pupilId: _chosen, ...rest } = decision
  const kind = decision.kind === 'pseudonym' && !choices.pseudonym ? 'child' : decision.kind
  if (kind === 'child' && choices.register && pupil)
    return { ...rest, kind, pupilId: pupil.id, name: pupil.name, reference: pupil.upn ?? pupil.misId ?? '' }
  return { ...rest, kind }
}
