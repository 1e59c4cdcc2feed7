/**
 * Record templates as data (X-05, issue 7): the forms a school records supervision on, the agendas
 * it follows, the preparation a supervisee does and the contracts it issues (issue 8).
 *
 * A template is plain JSON, versioned: a record always names the template id and version it was
 * made with, so editing a template never changes a past record. A school edits its own copy
 * (`copyTemplate`), never a built-in.
 *
 * Identifiers:
 * - template ids are lower-case and hyphenated (`mw-decision-record`);
 * - section, field, column and signatory ids are camelCase (`dateOfBirth`), unique across the whole
 *   template, so a record's values are one flat object keyed by field id and a contract clause can
 *   name a field as `{{venue}}`;
 * - option values are lower-case and hyphenated (`multi-agency`).
 */
import * as z from 'zod'

export const TemplateKind = {
  Record: 'record',
  Agenda: 'agenda',
  Preparation: 'preparation',
  Contract: 'contract',
} as const
export type TemplateKind = (typeof TemplateKind)[keyof typeof TemplateKind]

export const FieldKind = {
  ShortText: 'short-text',
  LongText: 'long-text',
  Date: 'date',
  Time: 'time',
  YesNo: 'yes-no',
  SingleChoice: 'single-choice',
  MultipleChoice: 'multiple-choice',
  Scale: 'scale',
  Person: 'person',
  ChildOrFamily: 'child-or-family',
  Table: 'table',
  Actions: 'actions',
  FrameworkTags: 'framework-tags',
  Signatures: 'signatures',
} as const
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind]

/** Kinds a table column may take. Cells are strings, except yes/no cells which are booleans. */
export const ColumnKind = {
  ShortText: 'short-text',
  LongText: 'long-text',
  Date: 'date',
  Time: 'time',
  YesNo: 'yes-no',
  Person: 'person',
  SingleChoice: 'single-choice',
} as const
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind]

/** Default limits, used when a field does not set its own. */
export const defaultShortTextMaxLength = 300
export const defaultLongTextMaxLength = 20_000
export const defaultScaleMin = 0
export const defaultScaleMax = 10

/** A list of prompts shown as a hint, for example one step of EARS or of SENSE/FEEL/THINK/DO. */
export interface PromptGroup {
  heading: string
  items: string[]
}

export interface ChoiceOption {
  value: string
  label: string
  hint?: string
}

interface FieldBase {
  id: string
  label: string
  hint?: string
  required: boolean
  /** Prompts shown as hint lists beside the field (EARS, SENSE/FEEL/THINK/DO ...). */
  prompts?: PromptGroup[]
  /** Completed after the session rather than during it (MW-09 "actions agreed"). */
  afterSession?: boolean
  /** Noun phrase used in error messages, e.g. "the supervision date"; defaults to the label. */
  errorName?: string
  /** Shown only in sessions where the supervision relationship fits (issue 14); absent: always shown. */
  showWhen?: SupervisionCondition
  /** The answer also goes to the supervisee's staff (HR) file (issue 14); absent: it stays in the record. */
  fileTo?: FilingDestination
  /**
   * Issue 18: what Haven already asks on a group record in its own section (the group's
   * confidentiality boundary, the decisions for the child's record): the group record's form leaves
   * this field out, so the answer is written once.
   */
  groupRecordAsks?: GroupRecordSection
}

/** Haven's own sections of a group record that a template's field may repeat (issue 18). */
export const GroupRecordSection = { Boundary: 'boundary', Decisions: 'decisions' } as const
export type GroupRecordSection = (typeof GroupRecordSection)[keyof typeof GroupRecordSection]

/**
 * A condition on who the supervisor is, compared with the supervisee's line manager (issue 14):
 * for example a conduct check asked only where the supervisor is not the line manager.
 */
export const SupervisionCondition = {
  SupervisorIsLineManager: 'supervisor-is-line-manager',
  SupervisorIsNotLineManager: 'supervisor-is-not-line-manager',
  SupervisorIsExternal: 'supervisor-is-external',
  SupervisorIsNotExternal: 'supervisor-is-not-external',
} as const
export type SupervisionCondition = (typeof SupervisionCondition)[keyof typeof SupervisionCondition]

/**
 * Where a record, or one answer in it, is filed besides the record itself (issue 14). Decisions
 * about a child always go to the child's safeguarding file (X-07, CA-10); `staff-file` sends the
 * record (or the answer) to the supervisee's staff (HR) file, through the "for the staff file" list.
 */
export const FilingDestination = { StaffFile: 'staff-file' } as const
export type FilingDestination = (typeof FilingDestination)[keyof typeof FilingDestination]

export interface ShortTextField extends FieldBase {
  kind: 'short-text'
  maxLength?: number
}
export interface LongTextField extends FieldBase {
  kind: 'long-text'
  maxLength?: number
}
export interface DateField extends FieldBase {
  kind: 'date'
  /** The date may not be after "today" (checked only when today is passed to validateEntry). */
  notInFuture?: boolean
}
export interface TimeField extends FieldBase {
  kind: 'time'
}
export interface YesNoField extends FieldBase {
  kind: 'yes-no'
}
export interface SingleChoiceField extends FieldBase {
  kind: 'single-choice'
  options: ChoiceOption[]
}
export interface MultipleChoiceField extends FieldBase {
  kind: 'multiple-choice'
  options: ChoiceOption[]
}
export interface ScaleField extends FieldBase {
  kind: 'scale'
  /** Lowest point (default 0). */
  min?: number
  /** Highest point (default 10). */
  max?: number
  /** What the lowest point means. */
  minLabel?: string
  /** What the highest point means. */
  maxLabel?: string
}
export interface PersonField extends FieldBase {
  kind: 'person'
  /** Roles to offer first when choosing (a hint for pickers, not a rule). */
  roles?: string[]
}
export interface ChildOrFamilyField extends FieldBase {
  kind: 'child-or-family'
  /** What may be referred to: a child, a family, or either. */
  allow: ('child' | 'family')[]
}
export interface TableColumn {
  id: string
  label: string
  hint?: string
  kind: ColumnKind
  required: boolean
  /** Noun phrase used in error messages, e.g. "the advice"; defaults to the label. */
  errorName?: string
  /** Only for single-choice columns. */
  options?: ChoiceOption[]
}
export interface TableField extends FieldBase {
  kind: 'table'
  columns: TableColumn[]
  minRows?: number
  maxRows?: number
  /**
   * Each row is a development need agreed in supervision, to go on the supervisee's development
   * plan when the record is signed (PL-07, CA-08; issue 17): which column holds the need, and
   * which (if any) the action, the person responsible (a person column) and the date it is due by.
   */
  developmentPlan?: DevelopmentPlanColumns
}
export interface DevelopmentPlanColumns {
  need: string
  action?: string
  owner?: string
  due?: string
}
export interface ActionsField extends FieldBase {
  kind: 'actions'
  /** Every action must name who will do it. */
  requireOwner?: boolean
  /** Every action must have a date it is due by. */
  requireDueDate?: boolean
}
export interface FrameworkTagsField extends FieldBase {
  kind: 'framework-tags'
  /** Which framework the tags come from, e.g. `lh-five-functions` (LH-02), `am-morrison` (AM-01). */
  framework: string
  options: ChoiceOption[]
}
export interface Signatory {
  id: string
  label: string
}
export interface SignaturesField extends FieldBase {
  kind: 'signatures'
  signatories: Signatory[]
  /** Each signatory also gives their role (AM-05, AM-08). */
  includeRole?: boolean
  /** Label for the date column, e.g. "Date agreed" (default "Date"). */
  dateLabel?: string
}

export type Field =
  | ShortTextField
  | LongTextField
  | DateField
  | TimeField
  | YesNoField
  | SingleChoiceField
  | MultipleChoiceField
  | ScaleField
  | PersonField
  | ChildOrFamilyField
  | TableField
  | ActionsField
  | FrameworkTagsField
  | SignaturesField

export interface Section {
  id: string
  title: string
  hint?: string
  prompts?: PromptGroup[]
  /** Shown only in sessions where the supervision relationship fits (issue 14); absent: always shown. */
  showWhen?: SupervisionCondition
  fields: Field[]
}

/** A contract clause. Text and items may hold placeholders such as `{{supervisee.name}}` or `{{venue}}`. */
export interface Clause {
  id: string
  heading: string
  text: string
  items?: string[]
}

export interface Template {
  id: string
  version: number
  name: string
  kind: TemplateKind
  description: string
  /** Where the template comes from, e.g. "Meanwood CE Primary School supervision policy, appendix 2". */
  source?: string
  /** Requirement ids the template satisfies (see REQUIREMENTS.md). */
  requirements?: string[]
  /** Notes shown at the top of the form, e.g. who may see what. */
  notes?: string[]
  /** The template this one was copied from. */
  basedOn?: { id: string; version: number }
  sections: Section[]
  /** Contracts only: the clauses, rendered with `renderContract`. */
  clauses?: Clause[]
  /** Where a completed record of this template is also filed (issue 14); absent: only the record. */
  fileTo?: FilingDestination
}

export interface TemplateProblem {
  /** Where the problem is, as a dotted path: `sections.2.fields.0.options`. Empty for the whole template. */
  path: string
  message: string
}

export type TemplateValidation = { ok: true; template: Template } | { ok: false; problems: TemplateProblem[] }

export const templateIdPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
export const fieldIdPattern = /^[a-z][a-zA-Z0-9]*$/
export const optionValuePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * Placeholders a contract may use besides its own field ids. `policy.frequency` and
 * `policy.duration` are phrases from the school's policy, e.g. "at least once a term" and "about one hour".
 */
export const contractContextPlaceholders = [
  'supervisee.name',
  'supervisee.role',
  'supervisor.name',
  'supervisor.role',
  'school.name',
  'policy.frequency',
  'policy.duration',
] as const
export type ContractContextPlaceholder = (typeof contractContextPlaceholders)[number]

/** Field kinds a contract placeholder may name (those with a one-line rendering). */
export const placeholderFieldKinds: readonly FieldKind[] = [
  'short-text',
  'long-text',
  'date',
  'time',
  'yes-no',
  'single-choice',
  'multiple-choice',
  'scale',
  'person',
  'child-or-family',
]

// ---------------------------------------------------------------------------------------------
// Schema

const templateId = z
  .string()
  .max(64)
  .regex(templateIdPattern, { error: 'Use lower-case letters, numbers and single hyphens, like mw-decision-record' })
const identifier = z
  .string()
  .max(64)
  .regex(fieldIdPattern, { error: 'Use a camelCase identifier: a lower-case letter, then letters and numbers' })
const optionValue = z
  .string()
  .max(64)
  .regex(optionValuePattern, { error: 'Use lower-case letters, numbers and single hyphens' })
const text = (max: number) => z.string().trim().min(1, { error: 'Enter some text' }).max(max)

const promptGroupSchema = z.strictObject({
  heading: text(200),
  items: z.array(text(1000)).min(1, { error: 'A prompt group needs at least one prompt' }),
})

const optionSchema = z.strictObject({
  value: optionValue,
  label: text(300),
  hint: text(1000).optional(),
})
const options = z.array(optionSchema).min(1, { error: 'A choice needs at least one option' })

const showWhen = z
  .enum(Object.values(SupervisionCondition) as [SupervisionCondition, ...SupervisionCondition[]])
  .optional()
const fileTo = z.enum(Object.values(FilingDestination) as [FilingDestination, ...FilingDestination[]]).optional()

const fieldBase = {
  id: identifier,
  showWhen,
  fileTo,
  label: text(500),
  hint: text(2000).optional(),
  required: z.boolean(),
  prompts: z.array(promptGroupSchema).optional(),
  afterSession: z.boolean().optional(),
  errorName: text(300).optional(),
  groupRecordAsks: z
    .enum(Object.values(GroupRecordSection) as [GroupRecordSection, ...GroupRecordSection[]])
    .optional(),
}

const columnSchema = z.strictObject({
  id: identifier,
  label: text(300),
  hint: text(1000).optional(),
  kind: z.enum(Object.values(ColumnKind) as [ColumnKind, ...ColumnKind[]]),
  required: z.boolean(),
  errorName: text(300).optional(),
  options: z.array(optionSchema).optional(),
})

const maxLength = z.int().min(1).max(100_000).optional()
const scalePoint = z.int().min(0).max(100).optional()
const rowCount = z.int().min(0).max(500).optional()

const fieldSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...fieldBase, kind: z.literal('short-text'), maxLength }),
  z.strictObject({ ...fieldBase, kind: z.literal('long-text'), maxLength }),
  z.strictObject({ ...fieldBase, kind: z.literal('date'), notInFuture: z.boolean().optional() }),
  z.strictObject({ ...fieldBase, kind: z.literal('time') }),
  z.strictObject({ ...fieldBase, kind: z.literal('yes-no') }),
  z.strictObject({ ...fieldBase, kind: z.literal('single-choice'), options }),
  z.strictObject({ ...fieldBase, kind: z.literal('multiple-choice'), options }),
  z.strictObject({
    ...fieldBase,
    kind: z.literal('scale'),
    min: scalePoint,
    max: scalePoint,
    minLabel: text(300).optional(),
    maxLabel: text(300).optional(),
  }),
  z.strictObject({ ...fieldBase, kind: z.literal('person'), roles: z.array(optionValue).optional() }),
  z.strictObject({
    ...fieldBase,
    kind: z.literal('child-or-family'),
    allow: z.array(z.enum(['child', 'family'])).min(1, { error: 'Say whether a child, a family or either is allowed' }),
  }),
  z.strictObject({
    ...fieldBase,
    kind: z.literal('table'),
    columns: z.array(columnSchema).min(1, { error: 'A table needs at least one column' }),
    minRows: rowCount,
    maxRows: rowCount,
    developmentPlan: z
      .strictObject({
        need: identifier,
        action: identifier.optional(),
        owner: identifier.optional(),
        due: identifier.optional(),
      })
      .optional(),
  }),
  z.strictObject({
    ...fieldBase,
    kind: z.literal('actions'),
    requireOwner: z.boolean().optional(),
    requireDueDate: z.boolean().optional(),
  }),
  z.strictObject({ ...fieldBase, kind: z.literal('framework-tags'), framework: templateId, options }),
  z.strictObject({
    ...fieldBase,
    kind: z.literal('signatures'),
    signatories: z
      .array(z.strictObject({ id: identifier, label: text(200) }))
      .min(1, { error: 'A signature block needs at least one signatory' }),
    includeRole: z.boolean().optional(),
    dateLabel: text(100).optional(),
  }),
])

const sectionSchema = z.strictObject({
  id: identifier,
  title: text(300),
  hint: text(2000).optional(),
  prompts: z.array(promptGroupSchema).optional(),
  showWhen,
  fields: z.array(fieldSchema),
})

const clauseSchema = z.strictObject({
  id: identifier,
  heading: text(300),
  text: text(5000),
  items: z.array(text(2000)).optional(),
})

const baseTemplateSchema = z.strictObject({
  id: templateId,
  version: z.int().min(1),
  name: text(200),
  kind: z.enum(Object.values(TemplateKind) as [TemplateKind, ...TemplateKind[]]),
  description: text(2000),
  source: text(500).optional(),
  requirements: z
    .array(z.string().regex(/^[A-Z]{1,3}-\d{2}$/, { error: 'Use a requirement id like MW-09' }))
    .optional(),
  notes: z.array(text(2000)).optional(),
  basedOn: z.strictObject({ id: templateId, version: z.int().min(1) }).optional(),
  sections: z.array(sectionSchema).min(1, { error: 'A template needs at least one section' }),
  clauses: z.array(clauseSchema).optional(),
  fileTo,
})

/** The schema of a template: shape, plus the cross-checks (unique ids, options, placeholders ...). */
export const templateSchema: z.ZodType<Template> = baseTemplateSchema.superRefine(
  (value, ctx) => {
    for (const problem of crossCheckTemplate(value)) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path ? problem.path.split('.') : [] })
    }
  },
  // Run even when the shape has problems, so that every problem is listed at once.
  { when: () => true },
)

// ---------------------------------------------------------------------------------------------
// Cross-checks that a shape alone cannot express. They read the value defensively: it may be
// only partly well formed when the shape check has already found problems.

type Loose = Record<string, unknown>
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v)
const arrayAt = (v: Loose, key: string): unknown[] => {
  const a = v[key]
  return Array.isArray(a) ? a : []
}
const stringAt = (v: Loose, key: string): string | undefined => {
  const s = v[key]
  return typeof s === 'string' ? s : undefined
}

const placeholderPattern = /\{\{([^{}]*)\}\}/g

/** The placeholders used in a piece of clause text, each split into its alternatives (`a|b`). */
export function placeholdersIn(textWithPlaceholders: string): { raw: string; names: string[] }[] {
  const found: { raw: string; names: string[] }[] = []
  for (const match of textWithPlaceholders.matchAll(placeholderPattern)) {
    const inner = match[1] ?? ''
    found.push({ raw: match[0], names: inner.split('|').map((n) => n.trim()) })
  }
  return found
}

function crossCheckTemplate(value: unknown): TemplateProblem[] {
  const problems: TemplateProblem[] = []
  if (!isObject(value)) return problems
  const add = (path: (string | number)[], message: string) => problems.push({ path: path.join('.'), message })

  const identifiers = new Map<string, string>() // id -> path of its first use
  const claim = (id: unknown, path: (string | number)[], what: string) => {
    if (typeof id !== 'string') return
    const first = identifiers.get(id)
    if (first !== undefined) {
      add(path, `The ${what} id "${id}" is already used at ${first}; ids must be unique in a template`)
    } else {
      identifiers.set(id, path.join('.'))
    }
  }

  const fieldsById = new Map<string, Loose>()
  const sections = arrayAt(value, 'sections')
  sections.forEach((section, s) => {
    if (!isObject(section)) return
    claim(section['id'], ['sections', s, 'id'], 'section')
    arrayAt(section, 'fields').forEach((field, f) => {
      if (!isObject(field)) return
      const at = ['sections', s, 'fields', f]
      claim(field['id'], [...at, 'id'], 'field')
      const id = stringAt(field, 'id')
      if (id !== undefined && !fieldsById.has(id)) fieldsById.set(id, field)
      checkField(field, at, add)
      if (field['showWhen'] !== undefined && stringAt(field, 'kind') === 'actions') {
        add([...at, 'showWhen'], 'The actions agreed are asked in every session: an actions field cannot be hidden')
      }
      const plan = field['developmentPlan']
      if (isObject(plan)) {
        const columns = new Map(
          arrayAt(field, 'columns').flatMap((c) => (isObject(c) ? [[stringAt(c, 'id'), stringAt(c, 'kind')]] : [])),
        )
        const wanted: Record<string, string[]> = {
          need: ['short-text', 'long-text'],
          action: ['short-text', 'long-text'],
          owner: ['person'],
          due: ['date'],
        }
        for (const [role, kinds] of Object.entries(wanted)) {
          const id = stringAt(plan, role)
          if (id === undefined) continue
          if (!columns.has(id)) add([...at, 'developmentPlan', role], `There is no column "${id}" in this table`)
          else if (!kinds.includes(columns.get(id) ?? ''))
            add([...at, 'developmentPlan', role], `The column "${id}" must be a ${kinds.join(' or ')} column`)
        }
      }
      if (field['fileTo'] !== undefined && stringAt(field, 'kind') === 'signatures') {
        add([...at, 'fileTo'], 'A signature block is not filed on its own: file the whole record instead')
      }
    })
  })
  if (value['fileTo'] !== undefined && stringAt(value, 'kind') !== 'record') {
    add(['fileTo'], 'Only a record template is filed to the staff file')
  }

  const kind = stringAt(value, 'kind')
  const clauses = value['clauses']
  if (kind === 'contract') {
    if (!Array.isArray(clauses) || clauses.length === 0) add(['clauses'], 'A contract needs at least one clause')
  } else if (clauses !== undefined) {
    add(['clauses'], 'Only a contract template has clauses')
  }
  if (Array.isArray(clauses)) {
    const clauseIds = new Set<string>()
    clauses.forEach((clause, c) => {
      if (!isObject(clause)) return
      const id = stringAt(clause, 'id')
      if (id !== undefined) {
        if (clauseIds.has(id)) add(['clauses', c, 'id'], `The clause id "${id}" is used more than once`)
        clauseIds.add(id)
      }
      const texts: [(string | number)[], unknown][] = [
        [['clauses', c, 'heading'], clause['heading']],
        [['clauses', c, 'text'], clause['text']],
        ...arrayAt(clause, 'items').map((item, i): [(string | number)[], unknown] => [
          ['clauses', c, 'items', i],
          item,
        ]),
      ]
      for (const [path, t] of texts) {
        if (typeof t === 'string') {
          for (const message of placeholderProblems(t, fieldsById)) add(path, message)
        }
      }
    })
  }
  return problems
}

function checkField(
  field: Loose,
  at: (string | number)[],
  add: (path: (string | number)[], message: string) => void,
): void {
  const kind = stringAt(field, 'kind')
  if (kind === 'single-choice' || kind === 'multiple-choice' || kind === 'framework-tags') {
    checkOptions(arrayAt(field, 'options'), [...at, 'options'], add)
  }
  if (kind === 'scale') {
    const min = typeof field['min'] === 'number' ? field['min'] : defaultScaleMin
    const max = typeof field['max'] === 'number' ? field['max'] : defaultScaleMax
    if (min >= max) add([...at, 'max'], `The top of the scale (${max}) must be greater than the bottom (${min})`)
  }
  if (kind === 'table') {
    const columnIds = new Set<string>()
    arrayAt(field, 'columns').forEach((column, c) => {
      if (!isObject(column)) return
      const id = stringAt(column, 'id')
      if (id !== undefined) {
        if (columnIds.has(id)) add([...at, 'columns', c, 'id'], `The column id "${id}" is used more than once`)
        columnIds.add(id)
      }
      const columnKind = stringAt(column, 'kind')
      if (columnKind === 'single-choice') {
        const opts = column['options']
        if (!Array.isArray(opts) || opts.length === 0) {
          add([...at, 'columns', c, 'options'], 'A choice column needs at least one option')
        } else {
          checkOptions(opts, [...at, 'columns', c, 'options'], add)
        }
      } else if (column['options'] !== undefined) {
        add([...at, 'columns', c, 'options'], 'Only a single-choice column has options')
      }
    })
    const minRows = field['minRows']
    const maxRows = field['maxRows']
    if (typeof minRows === 'number' && typeof maxRows === 'number' && minRows > maxRows) {
      add([...at, 'maxRows'], `The most rows (${maxRows}) cannot be fewer than the fewest (${minRows})`)
    }
    if (typeof maxRows === 'number' && maxRows === 0) add([...at, 'maxRows'], 'A table must allow at least one row')
  }
  if (kind === 'signatures') {
    const ids = new Set<string>()
    arrayAt(field, 'signatories').forEach((signatory, i) => {
      if (!isObject(signatory)) return
      const id = stringAt(signatory, 'id')
      if (id === undefined) return
      if (ids.has(id)) add([...at, 'signatories', i, 'id'], `The signatory id "${id}" is used more than once`)
      ids.add(id)
    })
  }
}

function checkOptions(
  opts: unknown[],
  at: (string | number)[],
  add: (path: (string | number)[], message: string) => void,
): void {
  const seen = new Set<string>()
  opts.forEach((option, i) => {
    if (!isObject(option)) return
    const value = stringAt(option, 'value')
    if (value === undefined) return
    if (seen.has(value)) add([...at, i, 'value'], `The option value "${value}" is used more than once`)
    seen.add(value)
  })
}

function placeholderProblems(t: string, fieldsById: Map<string, Loose>): string[] {
  const problems: string[] = []
  const withoutPlaceholders = t.replace(placeholderPattern, '')
  if (withoutPlaceholders.includes('{{') || withoutPlaceholders.includes('}}')) {
    problems.push('A placeholder is not closed: write placeholders like {{venue}}')
  }
  for (const { raw, names } of placeholdersIn(t)) {
    for (const name of names) {
      if (name === '') {
        problems.push(`The placeholder ${raw} is empty`)
        continue
      }
      if ((contractContextPlaceholders as readonly string[]).includes(name)) continue
      const field = fieldsById.get(name)
      if (field === undefined) {
        problems.push(
          `Unknown placeholder "${name}" in ${raw}: use a field id of this template or one of ${contractContextPlaceholders.join(', ')}`,
        )
      } else if (!placeholderFieldKinds.includes(stringAt(field, 'kind') as FieldKind)) {
        problems.push(
          `The placeholder "${name}" names a ${String(field['kind'])} field, which cannot be shown in a clause`,
        )
      }
    }
  }
  return problems
}

// ---------------------------------------------------------------------------------------------
// Validation

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `Missing: expected ${issue.expected === 'string' ? 'text' : issue.expected}`
      return `Expected ${issue.expected === 'string' ? 'text' : issue.expected}`
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'setting' : 'settings'}: ${issue.keys.join(', ')}`
    case 'invalid_union':
      return 'Unknown field kind: use one of ' + Object.values(FieldKind).join(', ')
    case 'invalid_value':
      return 'Use one of ' + issue.values.map(String).join(', ')
    case 'too_small':
      if (issue.origin === 'string') return 'Enter some text'
      if (issue.origin === 'number') return `Must be ${String(issue.minimum)} or more`
      return issue.message
    case 'too_big':
      if (issue.origin === 'string') return `Must be ${String(issue.maximum)} characters or fewer`
      if (issue.origin === 'number') return `Must be ${String(issue.maximum)} or less`
      return issue.message
    default:
      return issue.message
  }
}

/**
 * Checks a template read from JSON (or typed in by a school) and lists every problem with where
 * it is, instead of stopping at the first.
 */
export function validateTemplate(json: unknown): TemplateValidation {
  const result = templateSchema.safeParse(json)
  if (result.success) return { ok: true, template: result.data }
  const problems: TemplateProblem[] = []
  const seen = new Set<string>()
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.')
    const problem = { path, message: describeIssue(issue) }
    const key = problem.path + '\n' + problem.message
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  return { ok: false, problems }
}

/** All fields of a template, in order, with the section each belongs to. */
export function templateFields(template: Template): Field[] {
  return template.sections.flatMap((s) => s.fields)
}

/** The field with this id, if any. */
export function findField(template: Template, fieldId: string): Field | undefined {
  return templateFields(template).find((f) => f.id === fieldId)
}

/**
 * A school's own editable copy of a template: a new id and name, version 1, remembering which
 * template (and version) it came from. The original is not changed.
 * Throws if the new id or name is not usable: check them in the form first.
 */
export function copyTemplate(template: Template, newId: string, newName: string): Template {
  if (!templateIdPattern.test(newId) || newId.length > 64) {
    throw new RangeError(`Template id "${newId}" must be lower-case letters, numbers and single hyphens`)
  }
  if (newName.trim() === '') throw new RangeError('A template copy needs a name')
  const copy: Template = structuredClone(template)
  copy.id = newId
  copy.name = newName.trim()
  copy.version = 1
  copy.basedOn = { id: template.id, version: template.version }
  return copy
}

/** The next version of a template after an edit: same id, version + 1. Past records keep the old version. */
export function nextVersion(template: Template, edited: Omit<Template, 'id' | 'version'>): Template {
  return { ...structuredClone(edited), id: template.id, version: template.version + 1 }
}
