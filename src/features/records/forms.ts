/**
 * Reading the record form (issue 7). Form names follow the field ids of the template, so errors
 * from `validateEntry` (paths like `caseManagement.1.advice`) name the form control
 * (`caseManagement-1-advice`):
 * - a text, choice, time, scale or person field: `<id>`; a date: `<id>-day`, `<id>-month`, `<id>-year`;
 * - a child or family: `<id>-kind`, `<id>-name`, `<id>-reference`;
 * - a table: `<id>-<row>-<column>` (dates: `<id>-<row>-<column>-day` ...);
 * - the actions list: `<actionsId>-<n>-id|text|owner|ownerName|dueOn-day|...` (the template's
 *   actions field id, or `havenActions`);
 * - last time's actions: `reviews-<actionId>` and `reviews-<actionId>-reason`;
 * - decisions for the child's record: `decisions-<n>-id|kind|name|reference|decision`;
 * - a group's confidentiality boundary: `boundary`.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { isUuid } from '../../domain/ids.ts'
import type { AgreedAction, OwnerKind, ReviewStatus } from '../../domain/records/actions.ts'
import { isReviewStatus } from '../../domain/records/actions.ts'
import type { EntryValues, FieldValue } from '../../domain/records/entry.ts'
import { normaliseEntry } from '../../domain/records/entry.ts'
import { actionsFieldOf, actionsFormId, type ChildDecision, type RecordDocument } from '../../domain/records/record.ts'
import type { Field, Template } from '../../domain/records/template.ts'
import { templateFields } from '../../domain/records/template.ts'
import { type DateParts, dateInputSchema, datePartsFrom, isBlankDate } from '../../forms/date-input.ts'
import { field, fieldList } from '../../forms/errors.ts'
import {
  checkboxes,
  longText,
  textField,
  timeOfDay,
  text as trimmed,
  version,
  withDates,
  yes,
} from '../../forms/fields.ts'
import type { DraftInput } from '../../services/records/records.ts'

export const MAX_ROWS = 200

export interface FormParticipant {
  personId: string
  name: string
  role: 'supervisor' | 'supervisee'
}

/** The row numbers used in the body for names `<prefix>-<n>-...`, in order, at most MAX_ROWS. */
export function rowIndexes(body: unknown, prefix: string): number[] {
  const found = new Set<number>()
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{1,4})-`)
  for (const key of Object.keys((body as Record<string, unknown> | null) ?? {})) {
    const m = pattern.exec(key)
    if (m) found.add(Number(m[1]))
  }
  return [...found].sort((a, b) => a - b).slice(0, MAX_ROWS)
}

/** A date from three inputs as YYYY-MM-DD ('' when all are blank); invalid dates are kept, padded, to be reported. */
export function isoFromParts(parts: DateParts): string {
  if (isBlankDate(parts)) return ''
  const pad = (s: string, n: number) =>
    /^\d+$/.test(s) ? s.padStart(n, '0') : s === '' ? '0'.repeat(n) : s.slice(0, 4)
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`
}

function text(body: unknown, name: string): string {
  return field(body, name, { trim: false }).replace(/\r\n?/g, '\n')
}

function yesNo(raw: string): string {
  return raw === 'yes' || raw === 'no' ? raw : ''
}

function readField(
  f: Field,
  body: unknown,
  existing: FieldValue | undefined,
  participants: readonly FormParticipant[],
): unknown {
  switch (f.kind) {
    case 'short-text':
    case 'long-text':
      return text(body, f.id)
    case 'time':
    case 'single-choice':
      return field(body, f.id)
    case 'scale':
      return field(body, f.id)
    case 'date': {
      const parts = datePartsFrom(body, f.id)
      return isBlankDate(parts) ? '' : parts
    }
    case 'yes-no':
      return yesNo(field(body, f.id))
    case 'multiple-choice':
    case 'framework-tags':
      return fieldList(body, f.id)
    case 'person': {
      const name = field(body, f.id)
      if (name === '') return null
      const participant = participants.find((p) => p.name === name)
      const before = existing as { personId?: unknown; name?: unknown } | null | undefined
      const personId =
        participant?.personId ??
        (before && before.name === name && typeof before.personId === 'string' ? before.personId : null)
      return { personId, name }
    }
    case 'child-or-family': {
      const kind = f.allow.length === 1 ? f.allow[0] : field(body, `${f.id}-kind`)
      const name = field(body, `${f.id}-name`)
      const reference = field(body, `${f.id}-reference`)
      if (name === '' && reference === '' && (f.allow.length === 1 || kind === '')) return null
      return { kind: kind ?? '', name, reference }
    }
    case 'table':
      return rowIndexes(body, f.id).map((n) => {
        const row: Record<string, unknown> = {}
        for (const c of f.columns) {
          const name = `${f.id}-${String(n)}-${c.id}`
          if (c.kind === 'date') {
            const parts = datePartsFrom(body, name)
            row[c.id] = isBlankDate(parts) ? '' : parts
          } else if (c.kind === 'yes-no') {
            row[c.id] = yesNo(field(body, name))
          } else if (c.kind === 'long-text' || c.kind === 'short-text' || c.kind === 'person') {
            row[c.id] = text(body, name)
          } else {
            row[c.id] = field(body, name)
          }
        }
        return row
      })
    case 'actions':
    case 'signatures':
      return existing
  }
}

/** The actions list: blank rows dropped; the owner is a participant (by id) or someone named. */
export function readActions(body: unknown, formId: string, participants: readonly FormParticipant[]): AgreedAction[] {
  const actions: AgreedAction[] = []
  for (const n of rowIndexes(body, formId)) {
    const at = `${formId}-${String(n)}`
    const description = text(body, `${at}-text`).trim()
    const owner = field(body, `${at}-owner`)
    const typedName = field(body, `${at}-ownerName`)
    const dueOn = isoFromParts(datePartsFrom(body, `${at}-dueOn`))
    const rawId = field(body, `${at}-id`)
    if (description === '' && (owner === '' || owner === 'other') && typedName === '' && dueOn === '') continue
    const participant = participants.find((p) => p.personId === owner)
    const ownerKind: OwnerKind = participant ? participant.role : 'other'
    actions.push({
      id: isUuid(rawId) ? rawId : randomUUID(),
      text: description,
      ownerKind,
      ownerId: participant?.personId ?? null,
      ownerName: participant?.name ?? typedName,
      dueOn,
    })
  }
  return actions
}

export function readDecisions(body: unknown): ChildDecision[] {
  const decisions: ChildDecision[] = []
  for (const n of rowIndexes(body, 'decisions')) {
    const at = `decisions-${String(n)}`
    const name = field(body, `${at}-name`)
    const reference = field(body, `${at}-reference`)
    const decision = text(body, `${at}-decision`).trim()
    const pupil = field(body, `${at}-pupil`)
    if (name === '' && reference === '' && decision === '' && pupil === '') continue
    const rawId = field(body, `${at}-id`)
    const kind = field(body, `${at}-kind`)
    decisions.push({
      id: isUuid(rawId) ? rawId : randomUUID(),
      kind: kind === 'family' ? 'family' : kind === 'pseudonym' ? 'pseudonym' : 'child',
      ...(isUuid(pupil) ? { pupilId: pupil } : {}),
      name,
      reference,
      decision,
    })
  }
  return decisions
}

export function readReviews(
  body: unknown,
  previousActionIds: readonly string[],
): { actionId: string; status: ReviewStatus | ''; reason: string }[] {
  return previousActionIds.map((actionId) => {
    const raw = field(body, `reviews-${actionId}`)
    return {
      actionId,
      status: isReviewStatus(raw) ? raw : '',
      reason: text(body, `reviews-${actionId}-reason`).trim(),
    }
  })
}

/** The whole record form as a draft to save. */
export function readRecordForm(
  template: Template,
  body: unknown,
  options: { existing: RecordDocument; participants: readonly FormParticipant[]; previousActionIds: readonly string[] },
): DraftInput {
  const raw: Record<string, unknown> = {}
  const actionsField = actionsFieldOf(template)
  for (const f of templateFields(template)) {
    if (actionsField !== null && f.id === actionsField.id) continue
    raw[f.id] = readField(f, body, options.existing.values[f.id], options.participants)
  }
  // Signature blocks are filled by signing, never by the form: keep what is stored.
  const values: EntryValues = normaliseEntry(template, raw)
  for (const f of templateFields(template)) {
    if (f.kind === 'signatures') values[f.id] = options.existing.values[f.id] ?? {}
  }
  return {
    values,
    actions: readActions(body, actionsFormId(template), options.participants),
    reviews: readReviews(body, options.previousActionIds),
    decisions: readDecisions(body),
    boundary: text(body, 'boundary').trim(),
  }
}

// ---------------------------------------------------------------------------------------------
// The fixed forms of the records pages, one Zod schema each. (The record form itself follows its
// template: `readRecordForm` reads it and domain/records/entry.ts checks it.)

const input = textField

/** A version number the page was loaded at (a hidden input): refused when it is not one. */
const versionNumber = input().pipe(
  z
    .string()
    .regex(/^\d{1,9}$/, 'The page is out of date: reload it')
    .transform(Number),
)

export const draftVersionForm = z.object({ draftVersion: versionNumber })

/** The draft version the form was loaded at, or null when missing or not a number. */
export function readDraftVersion(body: unknown): number | null {
  const parsed = draftVersionForm.safeParse(body ?? {})
  return parsed.success ? parsed.data.draftVersion : null
}

/** The template a record is started on (`<id>@<version>`; which are on offer is checked after). */
export const startRecordForm = z.object({
  template: input().pipe(z.string().min(1, 'Select the form to record the session on')),
})

export const textPageKinds = ['comment', 'disagree', 'addendum'] as const
export type TextPageKind = (typeof textPageKinds)[number]

const textPageRules: Record<TextPageKind, { what: string; max: number }> = {
  comment: { what: 'your comment', max: 5000 },
  disagree: { what: 'what you disagree with and why', max: 5000 },
  addendum: { what: 'the addendum', max: 10_000 },
}

/** A comment, a disagreement (with the third person named, if known) or an addendum. */
export function textPageForm(kind: TextPageKind) {
  const { what, max } = textPageRules[kind]
  return z.object({
    text: input().pipe(
      z
        .string()
        .transform((t) => t.replace(/\r\n?/g, '\n'))
        .pipe(
          z
            .string()
            .min(1, `Enter ${what}`)
            .max(max, `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${String(max)} characters or fewer`),
        ),
    ),
    thirdPersonId: input().pipe(z.string().refine((id) => id === '' || isUuid(id), 'Select a person from the list')),
  })
}

export interface PreparedCaseInput {
  id: string
  kind: 'child' | 'family'
  name: string
  reference: string
  notes: string
}

/**
 * The supervisee's preparation: agenda items (`agenda-<n>-text`) and cases
 * (`cases-<n>-id|kind|name|reference|notes`); blank rows are dropped.
 */
function preparationRows(body: unknown): { agenda: string[]; cases: PreparedCaseInput[] } {
  const agenda = rowIndexes(body, 'agenda')
    .map((n) => field(body, `agenda-${String(n)}-text`))
    .filter((t) => t !== '')
  const cases = rowIndexes(body, 'cases')
    .map((n) => {
      const at = `cases-${String(n)}`
      return {
        id: field(body, `${at}-id`),
        kind: field(body, `${at}-kind`) === 'family' ? ('family' as const) : ('child' as const),
        name: field(body, `${at}-name`),
        reference: field(body, `${at}-reference`),
        notes: field(body, `${at}-notes`).replace(/\r\n?/g, '\n'),
      }
    })
    .filter((c) => c.name !== '' || c.reference !== '' || c.notes !== '')
  return { agenda, cases }
}

export const preparationForm = z
  .unknown()
  .transform((body) => ({ version: field(body, 'version'), ...preparationRows(body) }))
  .superRefine((form, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (!/^\d{1,9}$/.test(form.version)) problem('version', 'The page is out of date: reload it')
    let found = false
    form.agenda.forEach((t, i) => {
      if (t.length > 500) {
        found = true
        problem(`agenda-${String(i)}-text`, `Agenda item ${String(i + 1)} must be 500 characters or fewer`)
      }
    })
    form.cases.forEach((c, i) => {
      const at = `cases-${String(i)}`
      if (c.name === '') problem(`${at}-name`, `Enter the name of the child or family for case ${String(i + 1)}`)
      if (c.name.length > 300)
        problem(`${at}-name`, `The name for case ${String(i + 1)} must be 300 characters or fewer`)
      if (c.notes.length > 5000)
        problem(`${at}-notes`, `What you want to discuss about case ${String(i + 1)} must be 5000 characters or fewer`)
      if (c.name === '' || c.name.length > 300 || c.notes.length > 5000) found = true
    })
    if (!found && (form.agenda.length > 100 || form.cases.length > 50))
      problem('agenda-0-text', 'You can add up to 100 agenda items and 50 cases')
  })
  .transform((form) => ({ ...form, version: Number(form.version) }))

/** The preparation as typed, to show back when it is refused. */
export function preparationTyped(body: unknown): { agenda: string[]; cases: PreparedCaseInput[]; version: number } {
  return { ...preparationRows(body), version: Number(field(body, 'version')) }
}

/** The version of the preparation a case's proforma was loaded at (the proforma's answers follow its template). */
export const proformaVersionForm = z.object({ version: versionNumber })

/** New ids given to rows the person added, so the page (or the autosave script) can keep them. */
export function assignedIds(template: Template, body: unknown, saved: RecordDocument): Record<string, string> {
  const ids: Record<string, string> = {}
  const formId = actionsFormId(template)
  const actionRows = rowIndexes(body, formId).filter((n) => {
    const at = `${formId}-${String(n)}`
    return (
      text(body, `${at}-text`).trim() !== '' ||
      !['', 'other'].includes(field(body, `${at}-owner`)) ||
      field(body, `${at}-ownerName`) !== '' ||
      isoFromParts(datePartsFrom(body, `${at}-dueOn`)) !== ''
    )
  })
  actionRows.forEach((n, i) => {
    const id = saved.actions[i]?.id
    if (id) ids[`${formId}-${String(n)}-id`] = id
  })
  const decisionRows = rowIndexes(body, 'decisions').filter((n) => {
    const at = `decisions-${String(n)}`
    return (
      field(body, `${at}-name`) !== '' ||
      field(body, `${at}-reference`) !== '' ||
      field(body, `${at}-pupil`) !== '' ||
      text(body, `${at}-decision`).trim() !== ''
    )
  })
  decisionRows.forEach((n, i) => {
    const id = saved.decisions[i]?.id
    if (id) ids[`decisions-${String(n)}-id`] = id
  })
  return ids
}

/** Booking a meeting to resolve a disagreement (MW-11, AM-05): the route, who (when the route names nobody), when and where. */
export function disputeMeetingForm(today: string) {
  return z.preprocess(
    withDates('meetingOn'),
    z.object({
      stepId: trimmed,
      thirdPersonId: trimmed.refine((id) => id === '' || isUuid(id), 'Select a person from the list'),
      bothAgreed: yes,
      meetingOn: dateInputSchema('Date of the meeting', { required: true, today, when: 'future' }),
      meetingTime: timeOfDay(false, 'the time of the meeting'),
      venue: trimmed.pipe(z.string().max(200, 'Venue must be 200 characters or fewer')),
    }),
  )
}
export const disputeMeetingHrefs = { meetingOn: 'meetingOn-day' }

/** The outcome of a meeting to resolve a disagreement (MW-11). */
export const disputeOutcomeForm = z.object({
  outcome: trimmed.pipe(
    z.enum(['resolved', 'not-resolved'], { error: 'Select whether the disagreement was resolved' }),
  ),
  note: longText.pipe(
    z
      .string()
      .transform((t) => t.replace(/\r\n?/g, '\n').trim())
      .pipe(z.string().min(1, 'Enter what was agreed').max(5000, 'What was agreed must be 5000 characters or fewer')),
  ),
  version,
})

/** CA-09: sharing a signed record: who with, why (the policy's reason and the supervisor's words), and which parts. */
export const shareForm = z.object({
  recipient: trimmed,
  reason: trimmed,
  note: longText,
  scope: trimmed,
  parts: checkboxes,
})
