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
import { isUuid } from '../../domain/ids.ts'
import type { AgreedAction, OwnerKind, ReviewStatus } from '../../domain/records/actions.ts'
import { isReviewStatus } from '../../domain/records/actions.ts'
import type { EntryValues, FieldValue } from '../../domain/records/entry.ts'
import { normaliseEntry } from '../../domain/records/entry.ts'
import { actionsFieldOf, actionsFormId, type ChildDecision, type RecordDocument } from '../../domain/records/record.ts'
import type { Field, Template } from '../../domain/records/template.ts'
import { templateFields } from '../../domain/records/template.ts'
import { type DateParts, datePartsFrom, isBlankDate } from '../../forms/date-input.ts'
import { field, fieldList } from '../../forms/errors.ts'
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
    if (name === '' && reference === '' && decision === '') continue
    const rawId = field(body, `${at}-id`)
    decisions.push({
      id: isUuid(rawId) ? rawId : randomUUID(),
      kind: field(body, `${at}-kind`) === 'family' ? 'family' : 'child',
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

/** The draft version the form was loaded at, or null when missing or not a number. */
export function readDraftVersion(body: unknown): number | null {
  const raw = field(body, 'draftVersion')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}

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
      text(body, `${at}-decision`).trim() !== ''
    )
  })
  decisionRows.forEach((n, i) => {
    const id = saved.decisions[i]?.id
    if (id) ids[`decisions-${String(n)}-id`] = id
  })
  return ids
}
