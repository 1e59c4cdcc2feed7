/**
 * The record page's form as plain view models the Nunjucks macros render without logic: one
 * control per template field (recursively for tables and children), Haven's action list, last
 * time's actions with their status, decisions for the child's record and the group's boundary.
 */
import { pupilChoices, type SearchablePupil } from '../../domain/children/pupil-search.ts'
import { actionStatusLabels, type ReviewStatus } from '../../domain/records/actions.ts'
import { displayLines, displayValue } from '../../domain/records/display.ts'
import type { EntryErrors } from '../../domain/records/entry.ts'
import {
  actionsFieldOf,
  actionsFormId,
  type DecisionChoices,
  type RecordDocument,
} from '../../domain/records/record.ts'
import type { Field, PromptGroup, TableColumn, Template } from '../../domain/records/template.ts'
import { templateFields } from '../../domain/records/template.ts'
import { formatDate } from '../../presenters/format.ts'
import type { PreviousAction } from '../../services/records/store.ts'
import type { FormParticipant } from './forms.ts'

type ErrorMessage = { text: string } | undefined
const err = (errors: EntryErrors, key: string): ErrorMessage => (errors[key] ? { text: errors[key] } : undefined)

export type Control =
  | {
      type: 'input'
      id: string
      name: string
      label: string
      hint: string | null
      value: string
      error: ErrorMessage
      classes: string
      prompts: PromptGroup[]
    }
  | {
      type: 'textarea'
      id: string
      name: string
      label: string
      hint: string | null
      value: string
      error: ErrorMessage
      rows: number
      prompts: PromptGroup[]
    }
  | {
      type: 'date'
      id: string
      namePrefix: string
      legend: string
      hint: string | null
      day: string
      month: string
      year: string
      error: ErrorMessage
      prompts: PromptGroup[]
    }
  | {
      type: 'radios' | 'checkboxes'
      id: string
      name: string
      legend: string
      hint: string | null
      items: { value: string; text: string; hint?: { text: string }; checked: boolean }[]
      error: ErrorMessage
      inline: boolean
      prompts: PromptGroup[]
    }
  | {
      type: 'group'
      id: string
      legend: string
      hint: string | null
      error: ErrorMessage
      controls: Control[]
      prompts: PromptGroup[]
    }
  | {
      type: 'table'
      id: string
      legend: string
      hint: string | null
      error: ErrorMessage
      rows: { legend: string; controls: Control[] }[]
      addValue: string
      prompts: PromptGroup[]
    }
  | { type: 'note'; id: string; label: string; text: string }
  | { type: 'actions'; id: string }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function partsOf(value: unknown): { day: string; month: string; year: string } {
  if (typeof value === 'string') {
    const m = /^(\d{1,4})-(\d{1,2})-(\d{1,2})$/.exec(value)
    if (m) return { year: m[1]!, month: String(Number(m[2])), day: String(Number(m[3])) }
    return { day: '', month: '', year: '' }
  }
  if (isObject(value)) {
    const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')
    return { day: s(value['day']), month: s(value['month']), year: s(value['year']) }
  }
  return { day: '', month: '', year: '' }
}

function yesNoValue(v: unknown): string {
  return v === true || v === 'yes' ? 'yes' : v === false || v === 'no' ? 'no' : ''
}

function columnControl(
  fieldId: string,
  row: number,
  column: TableColumn,
  value: unknown,
  errors: EntryErrors,
): Control {
  const id = `${fieldId}-${String(row)}-${column.id}`
  const label = column.required ? column.label : `${column.label} (optional)`
  const hint = column.hint ?? null
  switch (column.kind) {
    case 'long-text':
      return {
        type: 'textarea',
        id,
        name: id,
        label,
        hint,
        value: typeof value === 'string' ? value : '',
        error: err(errors, id),
        rows: 3,
        prompts: [],
      }
    case 'date':
      return {
        type: 'date',
        id,
        namePrefix: id,
        legend: label,
        hint,
        ...partsOf(value),
        error: err(errors, id),
        prompts: [],
      }
    case 'yes-no':
      return {
        type: 'radios',
        id,
        name: id,
        legend: label,
        hint,
        inline: true,
        items: [
          { value: 'yes', text: 'Yes', checked: yesNoValue(value) === 'yes' },
          { value: 'no', text: 'No', checked: yesNoValue(value) === 'no' },
        ],
        error: err(errors, id),
        prompts: [],
      }
    case 'single-choice':
      return {
        type: 'radios',
        id,
        name: id,
        legend: label,
        hint,
        inline: false,
        items: (column.options ?? []).map((o) => ({ value: o.value, text: o.label, checked: o.value === value })),
        error: err(errors, id),
        prompts: [],
      }
    default:
      return {
        type: 'input',
        id,
        name: id,
        label,
        hint,
        value: typeof value === 'string' ? value : '',
        error: err(errors, id),
        classes: column.kind === 'time' ? 'govuk-input--width-5' : '',
        prompts: [],
      }
  }
}

/** One template field as a control. `extraRows` adds blank rows to a table (after "Add another row"). */
export function fieldControl(field: Field, value: unknown, errors: EntryErrors, extraRows = 0): Control {
  const label = field.required ? field.label : `${field.label} (optional)`
  const hint = field.hint ?? null
  const prompts = field.prompts ?? []
  const id = field.id
  switch (field.kind) {
    case 'short-text':
      return {
        type: 'input',
        id,
        name: id,
        label,
        hint,
        value: typeof value === 'string' ? value : '',
        error: err(errors, id),
        classes: '',
        prompts,
      }
    case 'long-text':
      return {
        type: 'textarea',
        id,
        name: id,
        label,
        hint,
        value: typeof value === 'string' ? value : '',
        error: err(errors, id),
        rows: 5,
        prompts,
      }
    case 'time':
      return {
        type: 'input',
        id,
        name: id,
        label,
        hint: hint ?? 'For example, 14:30',
        value: typeof value === 'string' ? value : '',
        error: err(errors, id),
        classes: 'govuk-input--width-5',
        prompts,
      }
    case 'date':
      return {
        type: 'date',
        id,
        namePrefix: id,
        legend: label,
        hint: hint ?? 'For example, 27 3 2026',
        ...partsOf(value),
        error: err(errors, id),
        prompts,
      }
    case 'yes-no':
      return {
        type: 'radios',
        id,
        name: id,
        legend: label,
        hint,
        inline: true,
        items: [
          { value: 'yes', text: 'Yes', checked: yesNoValue(value) === 'yes' },
          { value: 'no', text: 'No', checked: yesNoValue(value) === 'no' },
        ],
        error: err(errors, id),
        prompts,
      }
    case 'single-choice':
      return {
        type: 'radios',
        id,
        name: id,
        legend: label,
        hint,
        inline: false,
        items: field.options.map((o) => ({
          value: o.value,
          text: o.label,
          ...(o.hint ? { hint: { text: o.hint } } : {}),
          checked: o.value === value,
        })),
        error: err(errors, id),
        prompts,
      }
    case 'multiple-choice':
    case 'framework-tags':
      return {
        type: 'checkboxes',
        id,
        name: id,
        legend: label,
        hint: hint ?? 'Select all that apply',
        inline: false,
        items: field.options.map((o) => ({
          value: o.value,
          text: o.label,
          ...(o.hint ? { hint: { text: o.hint } } : {}),
          checked: Array.isArray(value) && value.includes(o.value),
        })),
        error: err(errors, id),
        prompts,
      }
    case 'scale': {
      const min = field.min ?? 0
      const max = field.max ?? 10
      const scaleHint = [
        hint,
        field.minLabel ? `${String(min)}: ${field.minLabel}` : null,
        field.maxLabel ? `${String(max)}: ${field.maxLabel}` : null,
      ]
        .filter((x) => x)
        .join('. ')
      const items = []
      for (let n = min; n <= max && items.length < 101; n++)
        items.push({ value: String(n), text: String(n), checked: String(value) === String(n) })
      return {
        type: 'radios',
        id,
        name: id,
        legend: label,
        hint: scaleHint || null,
        inline: true,
        items,
        error: err(errors, id),
        prompts,
      }
    }
    case 'person':
      return {
        type: 'input',
        id,
        name: id,
        label,
        hint,
        value:
          isObject(value) && typeof value['name'] === 'string' ? value['name'] : typeof value === 'string' ? value : '',
        error: err(errors, id),
        classes: '',
        prompts,
      }
    case 'child-or-family': {
      const v = isObject(value) ? value : {}
      const controls: Control[] = []
      if (field.allow.length > 1)
        controls.push({
          type: 'radios',
          id: `${id}-kind`,
          name: `${id}-kind`,
          legend: 'Is it a child or a family?',
          hint: null,
          inline: true,
          items: [
            { value: 'child', text: 'A child', checked: v['kind'] === 'child' },
            { value: 'family', text: 'A family', checked: v['kind'] === 'family' },
          ],
          error: undefined,
          prompts: [],
        })
      controls.push({
        type: 'input',
        id: `${id}-name`,
        name: `${id}-name`,
        label: 'Name',
        hint: null,
        value: typeof v['name'] === 'string' ? v['name'] : '',
        error: undefined,
        classes: '',
        prompts: [],
      })
      controls.push({
        type: 'input',
        id: `${id}-reference`,
        name: `${id}-reference`,
        label: 'Reference in the child’s safeguarding record (optional)',
        hint: 'For example, their CPOMS or MyConcern number',
        value: typeof v['reference'] === 'string' ? (v['reference'] as string) : '',
        error: undefined,
        classes: 'govuk-input--width-20',
        prompts: [],
      })
      return { type: 'group', id, legend: label, hint, error: err(errors, id), controls, prompts }
    }
    case 'table': {
      const stored = Array.isArray(value) ? value.filter(isObject) : []
      const count = Math.max(stored.length + 1 + extraRows, field.minRows ?? 0)
      const rows = []
      for (let r = 0; r < count; r++) {
        const row = stored[r] ?? {}
        rows.push({
          legend: `Row ${String(r + 1)}${r >= stored.length ? ' (new)' : ''}`,
          controls: field.columns.map((c) => columnControl(id, r, c, row[c.id], errors)),
        })
      }
      return {
        type: 'table',
        id,
        legend: label,
        hint: [hint, 'To remove a row, clear it.'].filter((x) => x).join(' '),
        error: err(errors, id),
        rows,
        addValue: id,
        prompts,
      }
    }
    case 'actions':
      return { type: 'actions', id }
    case 'signatures':
      return {
        type: 'note',
        id,
        label: field.label,
        text: 'Signed in Haven once the record is completed: each person confirms who they are.',
      }
  }
}

export interface SectionView {
  id: string
  title: string
  hint: string | null
  prompts: PromptGroup[]
  controls: Control[]
}

export function formSections(
  template: Template,
  doc: RecordDocument,
  errors: EntryErrors,
  extra: ReadonlySet<string>,
): SectionView[] {
  return template.sections.map((s) => ({
    id: s.id,
    title: s.title,
    hint: s.hint ?? null,
    prompts: s.prompts ?? [],
    controls: s.fields.map((f) => fieldControl(f, doc.values[f.id], errors, extra.has(f.id) ? 1 : 0)),
  }))
}

// ---------------------------------------------------------------------------------------------
// Haven's action list

export function actionRows(
  template: Template,
  doc: RecordDocument,
  errors: EntryErrors,
  participants: readonly FormParticipant[],
  extraRows: number,
) {
  const formId = actionsFormId(template)
  const field = actionsFieldOf(template)
  const count = doc.actions.length + 1 + extraRows
  const rows = []
  for (let n = 0; n < count; n++) {
    const a = doc.actions[n]
    const at = `${formId}-${String(n)}`
    const ownerValue = a
      ? a.ownerId !== null && participants.some((p) => p.personId === a.ownerId)
        ? a.ownerId
        : a.ownerName || a.ownerKind === 'other'
          ? 'other'
          : ''
      : ''
    rows.push({
      legend: `Action ${String(n + 1)}${a ? '' : ' (new)'}`,
      id: { name: `${at}-id`, value: a?.id ?? '' },
      text: { id: `${at}-text`, name: `${at}-text`, value: a?.text ?? '', error: err(errors, `${at}-text`) },
      owner: {
        id: `${at}-owner`,
        name: `${at}-owner`,
        error: err(errors, `${at}-owner`),
        items: [
          { value: '', text: 'Select who will do it', selected: ownerValue === '' },
          ...participants.map((p) => ({
            value: p.personId,
            text: `${p.name} (${p.role})`,
            selected: ownerValue === p.personId,
          })),
          { value: 'other', text: 'Someone else', selected: ownerValue === 'other' },
        ],
      },
      ownerName: {
        id: `${at}-ownerName`,
        name: `${at}-ownerName`,
        value: a && ownerValue === 'other' ? a.ownerName : '',
        error: err(errors, `${at}-ownerName`),
      },
      dueOn: {
        id: `${at}-dueOn`,
        namePrefix: `${at}-dueOn`,
        ...partsOf(a?.dueOn ?? ''),
        error: err(errors, `${at}-dueOn`),
      },
    })
  }
  return {
    formId,
    label: field?.label ?? 'Agreed actions',
    hint: field?.hint ?? 'What will be done, who will do it and by when. To remove an action, clear it.',
    error: err(errors, formId),
    rows,
  }
}

// ---------------------------------------------------------------------------------------------
// Last time's actions (CA-07, X-05)

export function reviewRows(
  previous: readonly PreviousAction[],
  doc: RecordDocument,
  errors: EntryErrors,
  today: string,
) {
  return previous.map((a, i) => {
    const review = doc.reviews.find((r) => r.actionId === a.id)
    const status: ReviewStatus | '' = review?.status ?? ''
    const earlierHistory = a.history.filter((h) => h.sessionDate < (doc.session?.date ?? '9999'))
    const carriedBefore =
      earlierHistory.length > 0 && earlierHistory[earlierHistory.length - 1]!.status === 'carried-forward'
    return {
      number: i + 1,
      id: a.id,
      text: a.text,
      meta: [
        `Agreed ${formatDate(a.raisedOn)}`,
        a.ownerName ? `by ${a.ownerName}` : null,
        a.dueOn ? `due ${formatDate(a.dueOn)}` : null,
      ]
        .filter((x) => x)
        .join(', '),
      overdue: a.dueOn !== '' && a.dueOn < today && status !== 'done' && status !== 'dropped',
      /** Carried forward last time already: carrying it again makes it drift. */
      carriedBefore,
      drifting: carriedBefore && status === 'carried-forward',
      history: earlierHistory.map((h) => `${formatDate(h.sessionDate)}: ${actionStatusLabels[h.status]}`),
      name: `reviews-${a.id}`,
      error: err(errors, `reviews-${a.id}`),
      reason: {
        id: `reviews-${a.id}-reason`,
        name: `reviews-${a.id}-reason`,
        value: review?.reason ?? '',
        error: err(errors, `reviews-${a.id}-reason`),
      },
      items: (['done', 'in-progress', 'carried-forward', 'dropped'] as const).map((s) => ({
        value: s,
        text: actionStatusLabels[s],
        checked: status === s,
      })),
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Decisions for the child's record (X-07)

/** The register select of one decision row, with its "Find a pupil" field when the register is long. */
function pupilSelect(
  at: string,
  row: number,
  pupils: readonly SearchablePupil[],
  chosenId: string | null,
  search: { row: number; term: string } | null,
) {
  const term = search?.row === row ? search.term : ''
  const c = pupilChoices(pupils, { chosenId, term })
  const found =
    term === ''
      ? null
      : c.matched === 0
        ? `No pupil on the register matches “${term}”. Check the spelling, or try their UPN.`
        : c.more > 0
          ? `${c.matched} pupils match “${term}”: the first ${c.matched - c.more} are in the list. Type more of the name to find the child.`
          : `${c.matched === 1 ? '1 pupil matches' : `${c.matched} pupils match`} “${term}”: choose the child from the list.`
  return {
    id: `${at}-pupil`,
    name: `${at}-pupil`,
    hint: c.searchable
      ? 'Find the child first: type part of their name or their UPN, then select Find.'
      : 'The child’s name and reference then come from the register.',
    items: [
      { value: '', text: 'Not on the register, or a family' },
      ...c.offered.map((p) => ({
        value: p.id,
        text: p.yearGroup ? `${p.name}, ${p.yearGroup}` : p.name,
        selected: chosenId === p.id,
      })),
    ],
    find: c.searchable ? { id: `${at}-find`, name: `${at}-find`, value: term, row: String(row), found } : null,
  }
}

export function decisionRows(
  doc: RecordDocument,
  errors: EntryErrors,
  extraRows: number,
  options: {
    choices: DecisionChoices
    pupils: readonly SearchablePupil[]
    /** What was typed in one decision's "Find a pupil" (its row number), when the register is long. */
    search?: { row: number; term: string } | null
  } = { choices: { register: false, pseudonym: false }, pupils: [] },
) {
  const { choices, pupils } = options
  const count = doc.decisions.length + 1 + extraRows
  const rows = []
  for (let n = 0; n < count; n++) {
    const d = doc.decisions[n]
    const at = `decisions-${String(n)}`
    rows.push({
      legend: `Decision ${String(n + 1)}${d ? '' : ' (new)'}`,
      id: { name: `${at}-id`, value: d?.id ?? '' },
      kind: {
        id: `${at}-kind`,
        name: `${at}-kind`,
        items: [
          { value: 'child', text: 'A child', checked: (d?.kind ?? 'child') === 'child' },
          { value: 'family', text: 'A family', checked: d?.kind === 'family' },
          ...(choices.pseudonym || d?.kind === 'pseudonym'
            ? [{ value: 'pseudonym', text: 'A child, by a pseudonym', checked: d?.kind === 'pseudonym' }]
            : []),
        ],
      },
      // Issue 15 item 1: the child chosen from the pupil register (a select: no script needed). A
      // long register is searched first ("Find a pupil"), so the page stays small.
      pupil: choices.register ? pupilSelect(at, n, pupils, d?.pupilId ?? null, options.search ?? null) : null,
      name: { id: `${at}-name`, name: `${at}-name`, value: d?.name ?? '', error: err(errors, `${at}-name`) },
      reference: {
        id: `${at}-reference`,
        name: `${at}-reference`,
        value: d?.reference ?? '',
        error: err(errors, `${at}-reference`),
      },
      decision: {
        id: `${at}-decision`,
        name: `${at}-decision`,
        value: d?.decision ?? '',
        error: err(errors, `${at}-decision`),
      },
    })
  }
  return rows
}

// ---------------------------------------------------------------------------------------------
// Conflict: what the person typed that was not saved

/** Fields whose submitted text differs from what is saved now, in words, so nothing is lost. */
export function unsavedChanges(
  template: Template,
  submitted: RecordDocument,
  current: RecordDocument,
): { label: string; lines: string[] }[] {
  const out: { label: string; lines: string[] }[] = []
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
  const actionsField = actionsFieldOf(template)
  for (const f of templateFields(template)) {
    if (f.kind === 'signatures' || f.id === actionsField?.id) continue
    if (same(submitted.values[f.id], current.values[f.id])) continue
    const lines = displayLines(displayValue(f, submitted.values[f.id]))
    out.push({ label: f.label, lines: lines.length > 0 ? lines : ['(you left this blank)'] })
  }
  const actionText = (d: RecordDocument) => d.actions.map((a) => [a.text, a.ownerName, a.dueOn])
  if (!same(actionText(submitted), actionText(current)))
    out.push({
      label: actionsField?.label ?? 'Agreed actions',
      lines: submitted.actions.map(
        (a, i) =>
          `${String(i + 1)}. ${a.text}${a.ownerName ? ` (${a.ownerName})` : ''}${a.dueOn ? `, due ${a.dueOn}` : ''}`,
      ),
    })
  const reviewText = (d: RecordDocument) => d.reviews.map((r) => [r.actionId, r.status, r.reason])
  if (!same(reviewText(submitted), reviewText(current)))
    out.push({
      label: 'Actions from last time',
      lines: submitted.reviews.map(
        (r) => `${r.text}: ${actionStatusLabels[r.status] ?? r.status}${r.reason ? ` (${r.reason})` : ''}`,
      ),
    })
  const decisionText = (d: RecordDocument) => d.decisions.map((x) => [x.kind, x.name, x.reference, x.decision])
  if (!same(decisionText(submitted), decisionText(current)))
    out.push({
      label: 'Decisions for the child’s record',
      lines: submitted.decisions.map(
        (d, i) => `${String(i + 1)}. ${d.name}${d.reference ? ` (${d.reference})` : ''}: ${d.decision}`,
      ),
    })
  if (submitted.boundary !== current.boundary)
    out.push({
      label: 'Confidentiality boundary',
      lines: submitted.boundary === '' ? ['(you left this blank)'] : submitted.boundary.split('\n'),
    })
  return out
}
