/**
 * The sections of the policy editor (issue 5), each a page of forms over one part of the policy
 * document, with its lists edited one item per page ("add another" without JavaScript):
 * details and review dates (X-08, LH-01); who must be supervised (MW-04, MW-05, X-04);
 * requirements (MW-03, LH-03); session types (MW-08, CA-01, PL-02, AM-02); who may supervise whom
 * (LH-05); cancellation and rebooking (MW-06, CA-03); escalation (LH-09, AM-09); frameworks
 * (LH-02, AM-01, PL-01); templates; the supervision contract (MW-02); confidentiality and
 * disagreements (MW-11, CA-09); records (MW-09, MW-10, MW-12, AM-06); requests and standing groups
 * (CA-04, CA-05); practice, further support and commitments (LH-04, LH-07, PL-06, PL-07).
 * Every top-level part of the policy document has a section (editor.test.ts fails otherwise), so
 * no school needs to upload JSON to change its policy. A part the policy may leave out (a contract)
 * is a group with a toggle: unticked, it is null. The last section, "other", is read only and
 * only lists problems that belong to no section (a field Haven does not recognise).
 */

import { EmploymentType, FlagName } from '../../../domain/people/person.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import {
  describeDuration,
  describeFrequency,
  describeFrequencyExactly,
  describeSelector,
  describeSupervisorSpec,
  type PolicyDocument,
  ruleSessionTypeNames,
  type StaffSelector,
  type SupervisorSpec,
} from '../../../domain/policy/index.ts'
import { builtInTemplates } from '../../../packs/templates.ts'
import type { ChoiceOption, FieldSpec, Option } from './fields.ts'

// ---------------------------------------------------------------------------------------------
// Options

export const frequencyUnitOptions: Option[] = [
  { value: 'weeks', text: 'Weeks' },
  { value: 'months', text: 'Months' },
  { value: 'half-terms', text: 'Half terms' },
  { value: 'terms', text: 'Terms' },
  { value: 'academic-years', text: 'Academic years' },
]

export const durationUnitOptions: Option[] = [
  { value: 'days', text: 'Days' },
  { value: 'working-days', text: 'Working days' },
  { value: 'weeks', text: 'Weeks' },
  { value: 'months', text: 'Months' },
  { value: 'years', text: 'Years' },
]

const flagLabels: Record<string, string> = {
  'early-career': 'Early-career (newly qualified) staff',
  'in-probation': 'Staff in their probation period',
  'works-in-eyfs': 'Staff working in the EYFS',
  'pastoral-responsibilities': 'Staff with additional pastoral responsibilities',
  'trained-dsl': 'Trained DSLs',
  'additional-support': 'Staff who need additional support (stress, personal difficulties, performance)',
}

export const flagOptions: Option[] = Object.values(FlagName).map((flag) => ({
  value: flag,
  text: flagLabels[flag] ?? flag,
}))

const employmentLabels: Record<string, string> = {
  permanent: 'Permanent',
  'fixed-term': 'Fixed term',
  agency: 'Agency',
  temporary: 'Temporary',
  volunteer: 'Volunteer',
  external: 'External',
}

export const employmentOptions: Option[] = Object.values(EmploymentType).map((type) => ({
  value: type,
  text: employmentLabels[type] ?? type,
}))

export const externalBodyOptions: Option[] = [
  { value: 'local-authority', text: 'A local authority team' },
  { value: 'professional-body', text: 'Their professional body' },
  { value: 'critical-incident-team', text: 'A critical incident team' },
  { value: 'independent', text: 'An independent supervisor' },
  { value: 'other-organisation', text: 'Another organisation' },
]

const triggerOptions: Option[] = [
  { value: 'entitlement-unmet', text: 'A person’s required supervision is overdue' },
  { value: 'rebooking-deadline-missed', text: 'A cancelled session was not rebooked in time' },
]

const targetOptions: Option[] = [
  { value: 'supervisor', text: 'Their supervisor' },
  { value: 'line-manager', text: 'Their line manager' },
  { value: 'supervisors-line-manager', text: 'The supervisor’s line manager' },
  { value: 'next-manager-up', text: 'The next manager up', hint: 'Repeat the step to go further up the line' },
  { value: 'role', text: 'Someone in a particular role' },
]

const frameworkKindOptions: Option[] = [
  { value: 'functions', text: 'Functions', hint: 'For example the five key functions, or Morrison’s four functions' },
  { value: 'principles', text: 'Principles' },
  { value: 'reflective-cycle', text: 'Reflective cycle' },
  { value: 'practice-model', text: 'Practice model', hint: 'For example Signs of Safety' },
]

export function roleOptions(doc: PolicyDocument): Option[] {
  return [...roleCatalogue, ...(doc.customRoles ?? [])].map((role) => ({ value: role.id, text: role.name }))
}

function sessionTypeOptions(doc: PolicyDocument): Option[] {
  return (doc.sessionTypes ?? []).map((type) => ({
    value: type.id,
    text: type.name || type.id,
    hint: type.countsTowardEntitlement ? undefined : 'Does not count towards the entitlement',
  }))
}

function templateOptions(current: readonly (string | null | undefined)[]): Option[] {
  const options = builtInTemplates().map((t) => ({ value: t.id, text: t.name }))
  for (const id of current) {
    if (id && !options.some((o) => o.value === id)) options.push({ value: id, text: id })
  }
  return options
}

// ---------------------------------------------------------------------------------------------
// Field builders

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`
}

function idField(noun: string): FieldSpec {
  return {
    kind: 'text',
    name: 'id',
    label: 'Reference (optional)',
    hint: `A short reference for this ${noun} in lower-case letters, numbers and hyphens, like one-to-one. Leave it blank and Haven makes one from the name. Keep it the same in later versions.`,
    optional: true,
    classes: 'govuk-input--width-20',
  }
}

function frequencyFields(prefix: string): FieldSpec[] {
  return [
    {
      kind: 'integer',
      name: join(prefix, 'every'),
      label: 'Every',
      hint: 'A number: 1 for once each half term, term or academic year, 6 for every 6 weeks',
      min: 1,
      max: 104,
      blankError: 'Enter how often, as a number, like 1',
    },
    {
      kind: 'radios',
      name: join(prefix, 'unit'),
      label: 'Unit',
      options: frequencyUnitOptions,
      inline: true,
      blankError: 'Select weeks, months, half terms, terms or academic years',
    },
    {
      kind: 'integer',
      name: join(prefix, 'times'),
      label: 'Times in each period (optional)',
      hint: 'Half terms, terms and academic years only: how many sessions each must hold, for example 3 for at least 3 times each academic year. Leave it blank for once.',
      optional: true,
      omitWhenNone: true,
      min: 1,
      max: 200,
      suffix: 'times',
    },
    {
      kind: 'booleans',
      name: join(prefix, 'termTimeOnly'),
      label: 'Holidays',
      items: [
        {
          name: join(prefix, 'termTimeOnly'),
          text: 'Count only term time',
          hint: 'Weeks or months only: the holidays do not use up the interval',
        },
      ],
    },
    {
      kind: 'text',
      name: join(prefix, 'wording'),
      label: 'The school’s own words (optional)',
      hint: 'Shown in the summary before the exact rule, for example once a term',
      optional: true,
    },
  ]
}

function frequencyGroup(name: string, label: string, hint: string, optional: boolean): FieldSpec {
  return {
    kind: 'group',
    name,
    label,
    hint,
    children: frequencyFields(name),
    ...(optional ? { presentWhen: [`${name}.every`] } : {}),
  }
}

function durationGroup(name: string, label: string, hint: string, optional: boolean): FieldSpec {
  return {
    kind: 'group',
    name,
    label,
    hint,
    children: [
      {
        kind: 'integer',
        name: `${name}.amount`,
        label: optional ? 'Amount (optional)' : 'Amount',
        min: 0,
        max: 1000,
        blankError: `Enter ${label.toLowerCase().replace(/\s*\(optional\)$/, '')}, as a number`,
      },
      {
        kind: 'select',
        name: `${name}.unit`,
        label: 'Unit',
        options: durationUnitOptions,
        blankError: 'Select days, working days, weeks, months or years',
      },
    ],
    ...(optional ? { presentWhen: [`${name}.amount`] } : {}),
  }
}

const conditionKindOptions: Option[] = [
  { value: 'in-post-for-less-than', text: 'In post for less than a time' },
  { value: 'flag-for-less-than', text: 'Had a circumstance for less than a time' },
]

function selectorGroup(name: string, label: string, hint: string, doc: PolicyDocument): FieldSpec {
  return {
    kind: 'group',
    name,
    label,
    hint,
    children: [
      {
        kind: 'booleans',
        name: `${name}.groups`,
        label: 'Whole groups of staff',
        items: [
          { name: `${name}.everyone`, text: 'All staff' },
          { name: `${name}.trainedSupervisors`, text: 'Everyone trained to supervise others' },
        ],
      },
      { kind: 'checkboxes', name: `${name}.roles`, label: 'Staff in these roles', options: roleOptions(doc) },
      { kind: 'checkboxes', name: `${name}.flags`, label: 'Staff with these circumstances', options: flagOptions },
      {
        kind: 'conditions',
        name: `${name}.conditions`,
        label: 'Staff for a time only (optional)',
        hint: 'For example staff in post for less than 1 year, or early-career staff for their first year. They are covered from the day it starts until the time has passed. Choose None to remove one; save the page to add another.',
        kinds: conditionKindOptions,
        flags: flagOptions,
        units: durationUnitOptions,
      },
    ],
  }
}

/** Who a new rule covers: no one yet. */
function blankSelector() {
  return { everyone: false, roles: [], flags: [], trainedSupervisors: false, conditions: [] }
}

// ---------------------------------------------------------------------------------------------
// Sections and lists

export interface ListDef {
  /** The URL segment. */
  key: string
  /** Path to the array from the parent's root (the document, or the parent item). */
  path: string[]
  noun: string
  heading: string
  hint?: string
  fields: (doc: PolicyDocument) => FieldSpec[]
  blank: (doc: PolicyDocument) => Record<string, unknown>
  /** Fields a new item's reference is made from. */
  idFrom: string[]
  /** Lists have references (ids); agreed frequency options do not. */
  hasId: boolean
  title: (item: Record<string, unknown>, doc: PolicyDocument) => string
  detail: (item: Record<string, unknown>, doc: PolicyDocument) => string
  sublists?: ListDef[]
}

export interface SectionDef {
  id: string
  title: string
  hint: string
  /** First path segments of the problems that belong here. */
  owns: string[]
  fields?: (doc: PolicyDocument) => FieldSpec[]
  lists: ListDef[]
  /** Editable in forms; "other" is read-only. */
  editable: boolean
}

function safe(fn: () => string): string {
  try {
    return fn()
  } catch {
    return ''
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

const scopeRules: ListDef = {
  key: 'rules',
  path: ['scope', 'rules'],
  noun: 'scope rule',
  heading: 'Rules: who must be supervised',
  hint: 'A member of staff is in scope when any rule covers them.',
  fields: (doc) => [
    {
      kind: 'textarea',
      name: 'description',
      label: 'Who the rule covers, in plain words',
      hint: 'Haven uses this to explain why someone is supervised, for example Staff working in the EYFS',
      blankError: 'Enter a description of who the rule covers',
    },
    selectorGroup('who', 'Who this applies to', 'Select all that apply. Someone matching any of them is covered.', doc),
    idField('rule'),
  ],
  blank: () => ({
    id: '',
    description: '',
    who: blankSelector(),
  }),
  idFrom: ['description'],
  hasId: true,
  title: (item) => text(item.description),
  detail: (item, doc) => safe(() => upperFirst(describeSelector(doc, item.who as StaffSelector))),
}

const qualifyingPeriods: ListDef = {
  key: 'qualifying-periods',
  path: ['scope', 'qualifyingPeriods'],
  noun: 'qualifying period',
  heading: 'Qualifying periods',
  hint: 'A wait before some kinds of staff come into scope, for example agency and temporary staff after 5 weeks.',
  fields: () => [
    {
      kind: 'textarea',
      name: 'description',
      label: 'Description',
      hint: 'For example Agency and temporary staff are supervised once they have worked here for more than 5 weeks',
      blankError: 'Enter a description of the qualifying period',
    },
    {
      kind: 'checkboxes',
      name: 'employmentTypes',
      label: 'Which kinds of staff wait',
      options: employmentOptions,
    },
    durationGroup('after', 'How long they wait', 'From their start date, for example 5 weeks', false),
    idField('qualifying period'),
  ],
  blank: () => ({ id: '', description: '', employmentTypes: [], after: { amount: 5, unit: 'weeks' } }),
  idFrom: ['description'],
  hasId: true,
  title: (item) => text(item.description),
  detail: (item) =>
    safe(
      () =>
        `${((item.employmentTypes as string[]) ?? []).map((t) => employmentLabels[t] ?? t).join(', ')} staff after ${describeDuration(item.after as never)}`,
    ),
}

const stricterRules: ListDef = {
  key: 'stricter',
  path: ['stricterFor'],
  noun: 'stricter rule',
  heading: 'More frequent supervision for some staff',
  hint: 'For example newly qualified staff, or staff with personal difficulties, performance issues or stress.',
  fields: (doc) => [
    {
      kind: 'textarea',
      name: 'description',
      label: 'Description',
      hint: 'For example Staff who are newly qualified or in their probation period have supervision each half term',
      blankError: 'Enter a description of the stricter rule',
    },
    selectorGroup('who', 'Who this applies to', 'Select all that apply.', doc),
    frequencyGroup('frequency', 'How often', 'At least once every so many units', false),
    durationGroup('maximumGap', 'Maximum gap (optional)', 'The longest time allowed between sessions', true),
    idField('rule'),
  ],
  blank: () => ({
    id: '',
    description: '',
    who: blankSelector(),
    frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
    maximumGap: null,
  }),
  idFrom: ['description'],
  hasId: true,
  title: (item) => text(item.description),
  detail: (item) => safe(() => upperFirst(describeFrequency(item.frequency as never))),
}

const agreedOptions: ListDef = {
  key: 'options',
  path: ['agreedFrequency', 'options'],
  noun: 'frequency that may be agreed',
  heading: 'Frequencies that may be agreed for a person',
  hint: 'Used when a frequency may be agreed from a list, for example every four weeks, or half-termly.',
  fields: () => frequencyFields(''),
  blank: () => ({ every: 4, unit: 'weeks', termTimeOnly: false, wording: null }),
  idFrom: [],
  hasId: false,
  title: (item) => safe(() => upperFirst(describeFrequencyExactly(item as never))),
  detail: (item) => text(item.wording),
}

const requirements: ListDef = {
  key: 'items',
  path: ['requirements'],
  noun: 'requirement',
  heading: 'Requirements',
  hint: 'How often staff in scope are supervised, and which sessions count.',
  fields: (doc) => [
    {
      kind: 'textarea',
      name: 'description',
      label: 'Description',
      hint: 'For example One-to-one supervision with the line manager',
      blankError: 'Enter a description of the requirement',
    },
    {
      kind: 'checkboxes',
      name: 'scopeRules',
      label: 'Who it applies to',
      hint: 'Leave them all unticked for everyone in scope.',
      options: (doc.scope?.rules ?? []).map((rule) => ({ value: rule.id, text: rule.description || rule.id })),
    },
    {
      kind: 'checkboxes',
      name: 'sessionTypes',
      label: 'Which session types count',
      hint: 'Only types that count towards the entitlement may be chosen.',
      options: sessionTypeOptions(doc),
    },
    frequencyGroup(
      'frequency',
      'How often (optional)',
      'Leave Every blank if the policy sets no minimum and a frequency is agreed for each person',
      true,
    ),
    durationGroup(
      'maximumGap',
      'Maximum gap (optional)',
      'The longest time allowed between sessions, for example 3 months',
      true,
    ),
    {
      kind: 'integer',
      name: 'expectedMinutes',
      label: 'Expected length of a session (optional)',
      optional: true,
      min: 5,
      max: 600,
      suffix: 'minutes',
    },
    {
      kind: 'radios',
      name: 'planning',
      label: 'How sessions are planned',
      options: [
        { value: 'rolling', text: 'Each session is booked after the one before' },
        { value: 'start-of-year', text: 'Every date is planned at the start of the academic year' },
      ],
    },
    {
      kind: 'radios',
      name: 'agreedFrequency.allowed',
      label: 'May a different frequency be agreed for a person, for example in their contract?',
      hint: 'An agreed frequency can only make supervision more frequent.',
      options: [
        { value: 'none', text: 'No' },
        { value: 'listed', text: 'Yes, one of a list of frequencies', hint: 'Add them below, once this is saved' },
        { value: 'any', text: 'Yes, any frequency the supervisor and supervisee agree' },
      ],
      blankError: 'Select whether a different frequency may be agreed',
    },
    {
      kind: 'textarea',
      name: 'agreedFrequency.description',
      label: 'What may be agreed, in plain words (optional)',
      optional: true,
    },
    idField('requirement'),
  ],
  blank: (doc) => ({
    id: '',
    description: '',
    scopeRules: [],
    sessionTypes: (doc.sessionTypes ?? [])
      .filter((t) => t.countsTowardEntitlement)
      .slice(0, 1)
      .map((t) => t.id),
    frequency: { every: 1, unit: 'terms', termTimeOnly: false, wording: null },
    maximumGap: null,
    expectedMinutes: null,
    planning: 'rolling',
    stricterFor: [],
    agreedFrequency: { allowed: 'none', options: [], description: null },
  }),
  idFrom: ['description'],
  hasId: true,
  title: (item) => text(item.description),
  detail: (item) =>
    item.frequency ? safe(() => upperFirst(describeFrequency(item.frequency as never))) : 'No minimum frequency',
  sublists: [stricterRules, agreedOptions],
}

const sessionTypeFlags = [
  {
    name: 'countsTowardEntitlement',
    text: 'Counts towards the entitlement',
    hint: 'Only these can meet a requirement',
  },
  { name: 'formal', text: 'Formal' },
  { name: 'planned', text: 'Planned' },
  { name: 'group', text: 'A group session' },
  { name: 'onRequest', text: 'Arranged when a member of staff asks' },
  { name: 'carriesForwardToNextFormal', text: 'Issues raised are carried forward to the next formal session' },
  { name: 'decisionsToChildRecord', text: 'Decisions about a child must reach the child’s record' },
  { name: 'recordsConfidentialityBoundary', text: 'The group agrees and records its confidentiality boundary' },
]

const sessionFocuses: ListDef = {
  key: 'focuses',
  path: ['focuses'],
  noun: 'focus',
  heading: 'Ways a session may be focused (optional)',
  hint: 'For example theme-centred, case-centred or staff-centred.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name', blankError: 'Enter the name of the focus' },
    idField('focus'),
  ],
  blank: () => ({ id: '', name: '' }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: () => '',
}

const sessionTypes: ListDef = {
  key: 'items',
  path: ['sessionTypes'],
  noun: 'session type',
  heading: 'Session types',
  hint: 'The kinds of supervision the policy names, and which of them count towards a person’s entitlement.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name', blankError: 'Enter the name of the session type' },
    {
      kind: 'textarea',
      name: 'description',
      label: 'Description',
      blankError: 'Enter a description of the session type',
    },
    {
      kind: 'booleans',
      name: 'properties',
      label: 'What kind of session it is',
      hint: 'Select all that apply.',
      items: sessionTypeFlags,
    },
    idField('session type'),
  ],
  blank: () => ({
    id: '',
    name: '',
    description: '',
    countsTowardEntitlement: false,
    group: false,
    planned: true,
    formal: true,
    onRequest: false,
    carriesForwardToNextFormal: false,
    decisionsToChildRecord: false,
    recordsConfidentialityBoundary: false,
    focuses: [],
  }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) =>
    [
      item.countsTowardEntitlement ? 'Counts towards the entitlement' : 'Does not count towards the entitlement',
      item.formal ? 'formal' : 'informal',
      item.planned ? 'planned' : 'unplanned',
      item.group ? 'group' : null,
    ]
      .filter((x) => x)
      .join(', '),
  sublists: [sessionFocuses],
}

const supervisorRules: ListDef = {
  key: 'rules',
  path: ['supervisors', 'rules'],
  noun: 'rule',
  heading: 'Who may supervise whom',
  hint: 'Booking a session with a supervisor outside these rules is refused.',
  fields: (doc) => [
    selectorGroup('supervisees', 'Supervisees: who this rule is for', 'Select all that apply.', doc),
    {
      kind: 'supervisors',
      name: 'supervisors',
      label: 'Who may supervise them',
      hint: 'Select everyone allowed.',
      roles: roleOptions(doc),
      bodies: externalBodyOptions,
    },
    {
      kind: 'checkboxes',
      name: 'sessionTypes',
      label: 'Kinds of supervision it is for',
      hint: 'Leave them all unticked for every kind. For a kind you tick, this rule wins over rules for every kind, for example safeguarding supervision with the DSL only.',
      options: sessionTypeOptions(doc).filter((option) => option.hint === undefined),
    },
    {
      kind: 'booleans',
      name: 'fallback',
      label: 'Fallback',
      items: [{ name: 'fallback', text: 'Use this rule only for staff no other rule covers' }],
    },
    {
      kind: 'textarea',
      name: 'description',
      label: 'Description (optional)',
      hint: 'Leave blank and Haven describes the rule from your choices',
      optional: true,
    },
    idField('rule'),
  ],
  blank: () => ({
    id: '',
    description: null,
    supervisees: blankSelector(),
    supervisors: [],
    fallback: false,
    sessionTypes: [],
  }),
  idFrom: [],
  hasId: true,
  title: (item, doc) => safe(() => upperFirst(describeSelector(doc, item.supervisees as StaffSelector))),
  detail: (item, doc) =>
    safe(() => {
      const who = ((item.supervisors as SupervisorSpec[]) ?? []).map((spec) => describeSupervisorSpec(doc, spec))
      const kinds = ruleSessionTypeNames(doc, { sessionTypes: (item.sessionTypes as string[]) ?? [] })
      return kinds.length > 0 ? `${who.join('; ')} (${kinds.join(', ')} only)` : who.join('; ')
    }),
}

const rebookingOptions: ChoiceOption[] = [
  {
    value: 'within',
    text: 'Within a set time',
    hint: 'For example 5 working days from the date of the session',
    fields: [
      durationGroup(
        'cancellation.rebooking.within',
        'Rebook within',
        'If within a set time: from the date of the session, for example 5 working days',
        false,
      ),
    ],
    // A warning time is only for "as soon as possible".
    writes: [{ name: 'cancellation.rebooking.warnAfter', value: undefined }],
  },
  {
    value: 'as-soon-as-possible',
    text: 'As soon as possible',
    hint: 'The session is flagged until it is rebooked, with no deadline',
    fields: [
      {
        ...durationGroup(
          'cancellation.rebooking.warnAfter',
          'Warn when still not rebooked after (optional)',
          'If as soon as possible: from the date of the session, or the day the person returns after absence, for example 10 working days. Leave the amount blank for no warning.',
          true,
        ),
        omitWhenNone: true,
      } as FieldSpec,
    ],
    writes: [{ name: 'cancellation.rebooking.within', value: null }],
  },
  { value: 'none', text: 'The policy does not say', absent: true },
]

const cancellationReasons: ListDef = {
  key: 'reasons',
  path: ['cancellation', 'reasons'],
  noun: 'cancellation reason',
  heading: 'Reasons for cancelling',
  hint: 'A cancellation records one of these.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Reason', blankError: 'Enter the reason' },
    {
      kind: 'booleans',
      name: 'absence',
      label: 'Absence',
      items: [
        {
          name: 'absence',
          text: 'This is staff absence or illness',
          hint: 'The rebooking deadline then counts from the day the person returns',
        },
      ],
    },
    idField('reason'),
  ],
  blank: () => ({ id: '', name: '', absence: false }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => (item.absence ? 'Staff absence or illness' : ''),
}

const escalationSteps: ListDef = {
  key: 'steps',
  path: ['steps'],
  noun: 'step',
  heading: 'Steps',
  hint: 'In order: each step comes on or after the one before.',
  fields: (doc) => [
    {
      kind: 'integer',
      name: 'afterWorkingDays',
      label: 'When, in working days after the escalation starts',
      hint: '0 for straight away',
      min: 0,
      max: 365,
      suffix: 'working days',
      blankError: 'Enter the number of working days, like 0 for straight away',
    },
    {
      kind: 'radios',
      name: 'target.kind',
      label: 'Who it goes to',
      options: targetOptions,
      blankError: 'Select who the step goes to',
      conditional: {
        value: 'role',
        field: {
          kind: 'select',
          name: 'target.role',
          label: 'The role (if it goes to someone in a particular role)',
          options: roleOptions(doc),
          blankError: 'Select the role the step goes to',
        },
      },
    },
    {
      kind: 'textarea',
      name: 'action',
      label: 'What happens',
      hint: 'For example The supervisee raises it with their supervisor',
      blankError: 'Enter what happens at this step',
    },
    {
      kind: 'integer',
      name: 'repeatEveryWorkingDays',
      label: 'Repeat every (optional)',
      hint: 'Repeat the step until it is resolved, for example every 10 working days',
      optional: true,
      min: 1,
      max: 365,
      suffix: 'working days',
    },
    idField('step'),
  ],
  blank: () => ({
    id: '',
    afterWorkingDays: 0,
    target: { kind: 'supervisor' },
    action: '',
    repeatEveryWorkingDays: null,
  }),
  idFrom: ['action'],
  hasId: true,
  title: (item) => text(item.action),
  detail: (item, doc) => {
    const target = item.target as { kind?: string; role?: string } | undefined
    const who =
      target?.kind === 'role' && target.role
        ? safe(() => describeSupervisorSpec(doc, { kind: 'role', role: target.role as string }))
        : (targetOptions.find((o) => o.value === target?.kind)?.text ?? '')
    const days = typeof item.afterWorkingDays === 'number' ? item.afterWorkingDays : 0
    return `${days === 0 ? 'Straight away' : `After ${days} working day${days === 1 ? '' : 's'}`}: ${who.charAt(0).toLowerCase()}${who.slice(1)}`
  },
}

const escalationChains: ListDef = {
  key: 'chains',
  path: ['escalation'],
  noun: 'escalation',
  heading: 'Escalations',
  hint: 'What happens when supervision is overdue or a cancelled session is not rebooked in time.',
  fields: () => [
    { kind: 'radios', name: 'trigger', label: 'What starts it', options: triggerOptions },
    {
      kind: 'textarea',
      name: 'description',
      label: 'Description',
      hint: 'For example A supervisee not supervised often enough raises it with their supervisor, then the supervisor’s manager',
      blankError: 'Enter a description of the escalation',
    },
    idField('escalation'),
  ],
  blank: () => ({ id: '', trigger: 'entitlement-unmet', description: '', steps: [] }),
  idFrom: ['description'],
  hasId: true,
  title: (item) => text(item.description),
  detail: (item) => {
    const steps = Array.isArray(item.steps) ? item.steps.length : 0
    const trigger = triggerOptions.find((o) => o.value === item.trigger)?.text ?? ''
    return `${trigger}; ${steps} step${steps === 1 ? '' : 's'}`
  },
  sublists: [escalationSteps],
}

const frameworkItems: ListDef = {
  key: 'items',
  path: ['items'],
  noun: 'item',
  heading: 'Items',
  hint: 'The functions, principles or stages a discussion can be tagged with.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name', blankError: 'Enter the name of the item' },
    { kind: 'textarea', name: 'description', label: 'Description', blankError: 'Enter a description of the item' },
    { kind: 'lines', name: 'prompts', label: 'Prompts (optional)', hint: 'Questions for the discussion, one per line' },
    {
      kind: 'group',
      name: 'duties',
      label: 'Duties (optional)',
      hint: 'Separate duties for the supervisee, the supervisor and management, one per line',
      presentWhen: ['duties.supervisee', 'duties.supervisor', 'duties.management'],
      children: [
        { kind: 'lines', name: 'duties.supervisee', label: 'The supervisee’s duties', rows: 3 },
        { kind: 'lines', name: 'duties.supervisor', label: 'The supervisor’s duties', rows: 3 },
        { kind: 'lines', name: 'duties.management', label: 'Management’s duties', rows: 3 },
      ],
    },
    idField('item'),
  ],
  blank: () => ({ id: '', name: '', description: '', prompts: [], duties: null }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => text(item.description),
}

const frameworks: ListDef = {
  key: 'frameworks',
  path: ['frameworks'],
  noun: 'framework',
  heading: 'Frameworks',
  hint: 'Models that structure discussion, such as the five key functions, Morrison’s four functions or the four key principles.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name', blankError: 'Enter the name of the framework' },
    { kind: 'radios', name: 'kind', label: 'Kind of framework', options: frameworkKindOptions },
    { kind: 'textarea', name: 'description', label: 'Description', blankError: 'Enter a description of the framework' },
    {
      kind: 'booleans',
      name: 'tagSessions',
      label: 'Tagging',
      items: [{ name: 'tagSessions', text: 'Session discussions can be tagged with its items' }],
    },
    durationGroup(
      'coverageLookback',
      'Flag an item not covered within (optional)',
      'For example 1 year: an item not discussed in a supervisee’s sessions for a year is flagged',
      true,
    ),
    idField('framework'),
  ],
  blank: () => ({
    id: '',
    name: '',
    kind: 'functions',
    description: '',
    tagSessions: true,
    coverageLookback: null,
    items: [],
  }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => {
    const count = Array.isArray(item.items) ? item.items.length : 0
    const kind = frameworkKindOptions.find((o) => o.value === item.kind)?.text ?? ''
    return `${kind}; ${count} item${count === 1 ? '' : 's'}`
  },
  sublists: [frameworkItems],
}

const recordTemplates: ListDef = {
  key: 'records',
  path: ['templates', 'records'],
  noun: 'record template',
  heading: 'Record templates',
  hint: 'The forms sessions are recorded on.',
  fields: (doc) => [
    {
      kind: 'select',
      name: 'templateId',
      label: 'Template',
      options: templateOptions((doc.templates?.records ?? []).map((r) => r.templateId)),
      blankError: 'Select the template',
    },
    {
      kind: 'textarea',
      name: 'description',
      label: 'When it is used',
      blankError: 'Enter a description of when the record template is used',
    },
    {
      kind: 'checkboxes',
      name: 'sessionTypes',
      label: 'Session types recorded on it',
      hint: 'Leave them all unticked for every type.',
      options: sessionTypeOptions(doc),
    },
    {
      kind: 'booleans',
      name: 'perChildOrFamily',
      label: 'Records per child',
      items: [{ name: 'perChildOrFamily', text: 'One record for each child or family discussed' }],
    },
  ],
  blank: () => ({ templateId: '', description: '', sessionTypes: [], perChildOrFamily: false }),
  idFrom: [],
  hasId: false,
  title: (item) => {
    const id = text(item.templateId)
    const found = builtInTemplates().find((t) => t.id === id)
    return found ? found.name : id
  },
  detail: (item) => text(item.description),
}

const partyOptions: Option[] = [
  { value: 'supervisor', text: 'The supervisor' },
  { value: 'supervisee', text: 'The supervisee' },
]

const customRoles: ListDef = {
  key: 'roles',
  path: ['customRoles'],
  noun: 'role of the school’s own',
  heading: 'Roles of the school’s own (optional)',
  hint: 'Roles the policy names that are not in Haven’s list, for example a Director of Safeguarding for the trust.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name of the role', blankError: 'Enter the name of the role' },
    {
      kind: 'textarea',
      name: 'description',
      label: 'What the role does',
      blankError: 'Enter a description of the role',
    },
    idField('role'),
  ],
  blank: () => ({ id: '', name: '', description: '' }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => text(item.description),
}

/** The confidentiality exceptions a record may be shared under (CA-09, AM-05, MW-10): the reasons a supervisor chooses from. */
const disclosureReasons: ListDef = {
  key: 'reasons',
  path: ['confidentiality', 'disclosure', 'reasons'],
  noun: 'reason to share a record',
  heading: 'Reasons to share a record',
  hint: 'The confidentiality exceptions a supervisor chooses from when sharing a record, for example To safeguard a child. Tick sharing on above first.',
  fields: () => [
    {
      kind: 'text',
      name: 'label',
      label: 'Reason, as the supervisor chooses it',
      hint: 'For example A disciplinary matter, or Whistleblowing',
      blankError: 'Enter the reason for sharing a record',
    },
    idField('reason'),
  ],
  blank: () => ({ id: '', label: '' }),
  idFrom: ['label'],
  hasId: true,
  title: (item) => String(item['label'] ?? ''),
  detail: () => '',
}

const disputeSteps: ListDef = {
  key: 'steps',
  path: ['disputeResolution', 'steps'],
  noun: 'step to resolve a disagreement',
  heading: 'Steps to resolve a disagreement',
  hint: 'In order. Adding the first step sets out the route; untick it above to remove the whole route.',
  fields: (doc) => [
    {
      kind: 'textarea',
      name: 'description',
      label: 'What happens',
      hint: 'For example The supervisor and supervisee meet with the DSL to agree a way forward',
      blankError: 'Enter what happens at this step',
    },
    {
      kind: 'text',
      name: 'when',
      label: 'When this step applies (optional)',
      hint: 'For example when the disagreement is with the headteacher',
      optional: true,
    },
    {
      kind: 'checkboxes',
      name: 'whenWithRoles',
      label: 'Only when the disagreement is with someone in these roles (optional)',
      hint: 'For example the headteacher. When the supervisor holds one of them, this step is the route instead of the others.',
      options: roleOptions(doc),
    },
    {
      kind: 'select',
      name: 'meetingWithRole',
      label: 'The meeting is with whoever holds this role (optional)',
      hint: 'For example the chair of governors. Leave blank to meet the person named in the supervision contract.',
      options: roleOptions(doc),
      optional: true,
    },
    {
      kind: 'text',
      name: 'meetingWithTeam',
      label: 'Or the meeting is with this team outside the school (optional)',
      hint: 'For example the local authority safeguarding team',
      optional: true,
    },
    {
      kind: 'booleans',
      name: 'agreement',
      label: 'Agreement',
      items: [
        { name: 'bothPartiesAgree', text: 'The meeting needs the agreement of both the supervisor and the supervisee' },
      ],
    },
    idField('step'),
  ],
  blank: () => ({
    id: '',
    description: '',
    when: null,
    whenWithRoles: [],
    meetingWithRole: null,
    meetingWithTeam: null,
    bothPartiesAgree: false,
  }),
  idFrom: ['description'],
  hasId: true,
  title: (item) => text(item.description),
  detail: (item) => (typeof item.when === 'string' ? upperFirst(item.when) : ''),
}

const standingGroups: ListDef = {
  key: 'groups',
  path: ['standingGroups'],
  noun: 'standing group',
  heading: 'Standing supervision groups (optional)',
  hint: 'Groups that meet regularly, for example a multi-agency group or a group for the pastoral team.',
  fields: (doc) => [
    { kind: 'text', name: 'name', label: 'Name', blankError: 'Enter the name of the group' },
    { kind: 'textarea', name: 'description', label: 'Description', blankError: 'Enter a description of the group' },
    {
      kind: 'select',
      name: 'sessionTypeId',
      label: 'Its sessions are of this type',
      options: sessionTypeOptions(doc),
      blankError: 'Select the session type of the group',
    },
    {
      kind: 'supervisors',
      name: 'ledBy',
      label: 'Who leads the group',
      hint: 'Select everyone who may lead it.',
      roles: roleOptions(doc),
      bodies: externalBodyOptions,
    },
    {
      ...selectorGroup('members', 'Members (optional)', 'Select all that apply.', doc),
      toggle: { text: 'The policy says who the members are' },
    } as FieldSpec,
    frequencyGroup('frequency', 'How often it meets (optional)', 'Leave Every blank if the policy does not say', true),
    idField('group'),
  ],
  blank: (doc) => ({
    id: '',
    name: '',
    description: '',
    sessionTypeId: doc.sessionTypes?.find((t) => t.group)?.id ?? doc.sessionTypes?.[0]?.id ?? '',
    ledBy: [],
    members: null,
    frequency: null,
  }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => (item.frequency ? safe(() => upperFirst(describeFrequency(item.frequency as never))) : ''),
}

const furtherSupport: ListDef = {
  key: 'further-support',
  path: ['furtherSupport'],
  noun: 'kind of further support',
  heading: 'Further support (optional)',
  hint: 'Support beyond supervision that is tracked, for example counselling through the employee assistance programme.',
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name', blankError: 'Enter the name of the support' },
    { kind: 'text', name: 'providedBy', label: 'Provided by', blankError: 'Enter who provides the support' },
    { kind: 'textarea', name: 'description', label: 'Description', blankError: 'Enter a description of the support' },
    idField('support'),
  ],
  blank: () => ({ id: '', name: '', providedBy: '', description: '' }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => text(item.providedBy),
}

const feedbackQuestions: ListDef = {
  key: 'feedback-questions',
  path: ['practice', 'feedbackQuestions'],
  noun: 'feedback question',
  heading: 'Feedback questions (optional)',
  hint: 'Statements supervisees answer from strongly disagree to strongly agree, up to 10. With none, Haven asks its own: felt listened to, time protected, actions useful, workload manageable.',
  fields: () => [
    { kind: 'text', name: 'text', label: 'Statement', blankError: 'Enter the statement' },
    idField('question'),
  ],
  blank: () => ({ id: '', text: '' }),
  idFrom: ['text'],
  hasId: true,
  title: (item) => text(item.text),
  detail: (item) => text(item.id),
}

const caseEscalationStages: ListDef = {
  key: 'case-escalation-stages',
  path: ['practice', 'caseEscalationStages'],
  noun: 'stage of escalating a case',
  heading: 'Stages of escalating a case (optional)',
  hint: "In order: the stages of the local safeguarding partnership's dispute-resolution procedure. The DSL is reminded when a stage's working days are up. With no stages, cases cannot be escalated in Haven.",
  fields: () => [
    { kind: 'text', name: 'name', label: 'Name of the stage', blankError: 'Enter the name of the stage' },
    {
      kind: 'integer',
      name: 'days',
      label: 'Working days allowed',
      hint: 'A number, for example 5',
      min: 1,
      max: 120,
      blankError: 'Enter the working days allowed, as a number, like 5',
    },
    idField('stage'),
  ],
  blank: () => ({ id: '', name: '', days: 5 }),
  idFrom: ['name'],
  hasId: true,
  title: (item) => text(item.name),
  detail: (item) => `${String(item.days)} working days`,
}

const commitmentTopicOptions: Option[] = [
  { value: 'purpose', text: 'Purpose' },
  { value: 'principle', text: 'Principle' },
  { value: 'preparation', text: 'Preparation' },
  { value: 'recording', text: 'Recording' },
  { value: 'training', text: 'Training' },
  { value: 'support', text: 'Support' },
  { value: 'other', text: 'Other' },
]

const commitments: ListDef = {
  key: 'commitments',
  path: ['commitments'],
  noun: 'commitment',
  heading: 'Other commitments (optional)',
  hint: 'Anything else the policy commits to, in plain words. They are shown in the policy summary.',
  fields: () => [
    {
      kind: 'radios',
      name: 'topic',
      label: 'Topic',
      options: commitmentTopicOptions,
      inline: true,
      blankError: 'Select the topic of the commitment',
    },
    { kind: 'textarea', name: 'text', label: 'What the policy commits to', blankError: 'Enter the commitment' },
    idField('commitment'),
  ],
  blank: () => ({ id: '', topic: 'other', text: '' }),
  idFrom: ['text'],
  hasId: true,
  title: (item) => text(item.text),
  detail: (item) => commitmentTopicOptions.find((o) => o.value === item.topic)?.text ?? '',
}

export const sections: SectionDef[] = [
  {
    id: 'details',
    title: 'Details and review dates',
    hint: 'Title, lead, where it comes from, staff consultation, approval and review dates',
    owns: ['metadata', 'notes', 'customRoles', 'id', 'version', 'effectiveFrom', 'schemaVersion'],
    editable: true,
    lists: [customRoles],
    fields: (doc) => [
      { kind: 'text', name: 'metadata.title', label: 'Title of the policy', blankError: 'Enter the policy title' },
      { kind: 'text', name: 'metadata.school', label: 'School', blankError: 'Enter the name of the school' },
      { kind: 'text', name: 'metadata.trust', label: 'Trust (optional)', optional: true },
      {
        kind: 'textarea',
        name: 'metadata.description',
        label: 'What is distinctive about the policy (optional)',
        optional: true,
      },
      {
        kind: 'textarea',
        name: 'metadata.provenance',
        label: 'Where the policy comes from (optional)',
        hint: 'For example Based on the local safeguarding partnership’s model, 2023',
        optional: true,
      },
      {
        kind: 'group',
        name: 'metadata.owner',
        label: 'Lead for the policy',
        hint: 'A person: enter a name, a role, or both. An organisation: enter its name. Review reminders go to the lead, or to the DSL for an organisation.',
        children: [
          {
            kind: 'radios',
            name: 'metadata.owner.kind',
            label: 'The lead is',
            inline: true,
            options: [
              { value: 'person', text: 'A person' },
              { value: 'organisation', text: 'An organisation', hint: 'For example the trust' },
            ],
            blankError: 'Select whether the lead is a person or an organisation',
          },
          { kind: 'text', name: 'metadata.owner.name', label: 'Name (optional)', optional: true },
          {
            kind: 'select',
            name: 'metadata.owner.role',
            label: 'Role, for a person (optional)',
            optional: true,
            options: roleOptions(doc),
          },
        ],
      },
      {
        kind: 'date',
        name: 'metadata.createdOn',
        label: 'Date the policy was first written or adopted (optional)',
        optional: true,
        hint: 'For example 27 3 2026',
      },
      {
        kind: 'group',
        name: 'metadata.consultation',
        label: 'Staff consultation',
        hint: 'An optional step before the policy is approved and published.',
        toggle: { text: 'Staff were consulted on the policy' },
        children: [
          {
            kind: 'text',
            name: 'metadata.consultation.who',
            label: 'Who was consulted',
            hint: 'For example All staff, at the staff meeting',
            blankError: 'Enter who was consulted',
          },
          {
            kind: 'date',
            name: 'metadata.consultation.consultedOn',
            label: 'Date staff were consulted',
            hint: 'For example 27 3 2026',
            blankError: 'Enter the date staff were consulted',
          },
        ],
      },
      { kind: 'text', name: 'metadata.governorCommittee', label: 'Governor committee (optional)', optional: true },
      { kind: 'text', name: 'metadata.approvedBy', label: 'Approved by (optional)', optional: true },
      {
        kind: 'date',
        name: 'metadata.approvedOn',
        label: 'Date approved (optional)',
        optional: true,
        hint: 'For example 27 3 2026',
      },
      {
        kind: 'date',
        name: 'metadata.lastReviewedOn',
        label: 'Date last reviewed (optional)',
        optional: true,
        hint: 'For example 27 3 2026',
      },
      {
        kind: 'text',
        name: 'metadata.lastReviewedBy',
        label: 'Who carried out the last review (optional)',
        hint: 'For example Jo Adams, DSL, with the safeguarding governor',
        optional: true,
      },
      {
        kind: 'choice',
        name: 'metadata.reviewEvery',
        label: 'How often the policy is reviewed',
        blankError: 'Select how often the policy is reviewed',
        chosen: (doc) => {
          const every = (doc as PolicyDocument).metadata?.reviewEvery
          if (every === null || every === undefined) return 'none'
          return every.unit === 'years' && (every.amount === 1 || every.amount === 2) ? String(every.amount) : ''
        },
        options: [
          {
            value: '1',
            text: 'Every year',
            writes: [{ name: 'metadata.reviewEvery', value: { amount: 1, unit: 'years' } }],
          },
          {
            value: '2',
            text: 'Every 2 years',
            writes: [{ name: 'metadata.reviewEvery', value: { amount: 2, unit: 'years' } }],
          },
          {
            value: 'none',
            text: 'The policy does not say',
            hint: 'A review then moves the next one a year on',
            writes: [{ name: 'metadata.reviewEvery', value: null }],
          },
        ],
      },
      {
        kind: 'date',
        name: 'metadata.nextReviewDue',
        label: 'Next review due (optional)',
        optional: true,
        hint: 'Leave blank and Haven works it out from the last review and how often it is reviewed',
      },
      durationGroup(
        'metadata.reviewReminder',
        'Remind the school before the review',
        'How long before the review date Haven starts reminding, for example 1 month',
        false,
      ),
      {
        kind: 'lines',
        name: 'notes',
        label: 'How Haven reads this policy (optional)',
        hint: 'Where the written policy is silent or loose, say how it is read here, one note per line',
      },
    ],
  },
  {
    id: 'scope',
    title: 'Who must be supervised',
    hint: 'Rules by role and circumstance, qualifying periods, part-time staff',
    owns: ['scope'],
    editable: true,
    fields: () => [
      {
        kind: 'radios',
        name: 'scope.identifiedAt',
        label: 'When staff are identified',
        options: [
          { value: 'continuously', text: 'Whenever they meet a rule' },
          { value: 'start-of-academic-year', text: 'At the start of each academic year' },
        ],
      },
      {
        kind: 'checkboxes',
        name: 'scope.excludedEmploymentTypes',
        label: 'Kinds of staff the policy never covers (optional)',
        hint: 'For example volunteers',
        options: employmentOptions,
      },
      {
        kind: 'textarea',
        name: 'scope.manualInclusion',
        label: 'Who else is brought into scope one by one (optional)',
        hint: 'For example Class teachers and teaching assistants who hold child protection casework. Each needs a reason recorded on their page.',
        optional: true,
      },
    ],
    lists: [scopeRules, qualifyingPeriods],
  },
  {
    id: 'requirements',
    title: 'Requirements',
    hint: 'Which sessions count, how often, maximum gaps, stricter rules, agreed frequencies',
    owns: ['requirements'],
    editable: true,
    lists: [requirements],
  },
  {
    id: 'session-types',
    title: 'Session types',
    hint: 'Which count towards the entitlement; group, planned, formal',
    owns: ['sessionTypes'],
    editable: true,
    lists: [sessionTypes],
  },
  {
    id: 'supervisors',
    title: 'Who may supervise whom',
    hint: 'Supervisee roles and their allowed supervisors',
    owns: ['supervisors'],
    editable: true,
    fields: () => [
      {
        kind: 'booleans',
        name: 'supervisors.trainingRequired',
        label: 'Training',
        items: [
          {
            name: 'supervisors.trainingRequired',
            text: 'Supervisors must have recorded supervisor training',
            hint: 'External supervisors are excepted',
          },
        ],
      },
      {
        kind: 'textarea',
        name: 'supervisors.trainingDescription',
        label: 'The training, in plain words (optional)',
        optional: true,
      },
      durationGroup(
        'supervisors.trainingValidFor',
        'How long training stays valid (optional)',
        'A refresher is due this long after the latest course, for example 3 years. Leave blank if it does not run out',
        true,
      ),
      {
        kind: 'select',
        name: 'supervisors.onUntrained',
        label: 'When a supervisor’s training is missing or has run out (optional)',
        hint: 'Where training is required. Left blank, the booking is refused',
        optional: true,
        options: [
          { value: '', text: 'Not set' },
          { value: 'refuse', text: 'Refuse the booking' },
          { value: 'warn', text: 'Warn, and let the person booking go ahead' },
        ],
      },
      {
        kind: 'textarea',
        name: 'supervisors.accountability',
        label: 'Who stays accountable when the supervisor is not the line manager (optional)',
        optional: true,
      },
    ],
    lists: [supervisorRules],
  },
  {
    id: 'cancellation',
    title: 'Cancellation and rebooking',
    hint: 'Reasons, who sees cancellations, the rebooking deadline',
    owns: ['cancellation'],
    editable: true,
    fields: (doc) => [
      {
        kind: 'booleans',
        name: 'cancellation.choices',
        label: 'Cancelling a session',
        hint: 'Select all that apply.',
        items: [
          { name: 'cancellation.exceptionalOnly', text: 'Sessions are cancelled only in exceptional circumstances' },
          { name: 'cancellation.reasonRequired', text: 'A cancellation must record its reason' },
          { name: 'cancellation.notifyOtherParty', text: 'Whoever cancels tells the other person' },
        ],
      },
      {
        kind: 'checkboxes',
        name: 'cancellation.visibleTo',
        label: 'Who sees every cancellation (optional)',
        hint: 'For example the DSL',
        options: roleOptions(doc),
      },
      {
        kind: 'checkboxes',
        name: 'cancellation.notifyRoles',
        label: 'Who is told of every cancellation (optional)',
        options: roleOptions(doc),
      },
      {
        kind: 'group',
        name: 'cancellation.rebooking',
        label: 'Rebooking',
        hint: 'How soon a session that did not take place must be rebooked.',
        presentWhen: ['cancellation.rebooking.deadline'],
        children: [
          {
            kind: 'choice',
            name: 'cancellation.rebooking.deadline',
            label: 'How soon it must be rebooked',
            blankError: 'Select how soon a session must be rebooked',
            chosen: (doc) => {
              const rebooking = (doc as PolicyDocument).cancellation?.rebooking
              if (rebooking === null || rebooking === undefined) return 'none'
              return rebooking.within === null ? 'as-soon-as-possible' : 'within'
            },
            options: rebookingOptions,
          },
          durationGroup(
            'cancellation.rebooking.afterAbsence',
            'After staff absence or illness, rebook within (optional)',
            'From the day the person returns, for example 5 working days',
            true,
          ),
          {
            kind: 'checkboxes',
            name: 'cancellation.rebooking.sessionTypes',
            label: 'Session types this applies to',
            hint: 'Leave them all unticked for every type.',
            options: sessionTypeOptions(doc),
          },
        ],
      },
    ],
    lists: [cancellationReasons],
  },
  {
    id: 'escalation',
    title: 'Escalation',
    hint: 'Steps, who they go to and when, in working days',
    owns: ['escalation'],
    editable: true,
    lists: [escalationChains],
  },
  {
    id: 'frameworks',
    title: 'Frameworks',
    hint: 'Functions, principles and models that discussions are tagged with',
    owns: ['frameworks'],
    editable: true,
    lists: [frameworks],
  },
  {
    id: 'templates',
    title: 'Templates',
    hint: 'The contract, agenda, preparation and record templates the policy uses',
    owns: ['templates'],
    editable: true,
    fields: (doc) => {
      const current = [doc.templates?.contract, doc.templates?.agenda, doc.templates?.preparation]
      return [
        {
          kind: 'select',
          name: 'templates.contract',
          label: 'Contract (optional)',
          optional: true,
          options: templateOptions(current),
        },
        {
          kind: 'select',
          name: 'templates.agenda',
          label: 'Agenda (optional)',
          optional: true,
          options: templateOptions(current),
        },
        {
          kind: 'select',
          name: 'templates.preparation',
          label: 'Preparation the supervisee completes for each case (optional)',
          optional: true,
          options: templateOptions(current),
        },
      ]
    },
    lists: [recordTemplates],
  },
  {
    id: 'contract',
    title: 'Supervision contract',
    hint: 'When contracts are issued, who signs them and who they go back to',
    owns: ['contract'],
    editable: true,
    fields: (doc) => [
      {
        kind: 'group',
        name: 'contract',
        label: 'Supervision contract',
        toggle: {
          text: 'The policy sets out a supervision contract',
          hint: 'Untick it if the policy has no contract between supervisor and supervisee',
        },
        children: [
          {
            kind: 'radios',
            name: 'contract.issuedAt',
            label: 'When a contract is issued',
            options: [
              { value: 'start-of-academic-year', text: 'At the start of each academic year' },
              { value: 'on-entering-scope', text: 'When a member of staff comes into scope' },
            ],
            blankError: 'Select when a contract is issued',
          },
          { kind: 'checkboxes', name: 'contract.signedBy', label: 'Who signs it', options: partyOptions },
          {
            kind: 'checkboxes',
            name: 'contract.returnTo',
            label: 'Who the signed contract is returned to (optional)',
            hint: 'For example the DSL or the deputy DSL',
            options: roleOptions(doc),
          },
          durationGroup('contract.reviewEvery', 'Reviewed every (optional)', 'For example 1 year', true),
          {
            kind: 'textarea',
            name: 'contract.venue',
            label: 'Where sessions take place (optional)',
            hint: 'For example a private room where the session will not be interrupted',
            optional: true,
          },
          {
            kind: 'textarea',
            name: 'contract.preparation',
            label: 'How both prepare for a session (optional)',
            optional: true,
          },
        ],
      },
    ],
    lists: [],
  },
  {
    id: 'confidentiality',
    title: 'Confidentiality and disagreements',
    hint: 'What stays confidential and its exceptions; how a disagreement is resolved',
    owns: ['confidentiality', 'disputeResolution'],
    editable: true,
    fields: (doc) => [
      {
        kind: 'group',
        name: 'confidentiality',
        label: 'Confidentiality',
        toggle: { text: 'The policy says what stays confidential' },
        children: [
          {
            kind: 'textarea',
            name: 'confidentiality.summary',
            label: 'What stays confidential',
            hint: 'For example What is discussed stays between supervisor and supervisee, with the exceptions below',
            blankError: 'Enter what stays confidential',
          },
          {
            kind: 'lines',
            name: 'confidentiality.exceptions',
            label: 'Exceptions (optional)',
            hint: 'One per line, for example A concern that a child is at risk of harm is always passed on',
          },
          {
            kind: 'textarea',
            name: 'confidentiality.sharing',
            label: 'Who else may see what is discussed, and on what terms (optional)',
            optional: true,
          },
          {
            kind: 'group',
            name: 'confidentiality.disclosure',
            label: 'Sharing a record to safeguard someone',
            hint: 'A supervisor may share a signed record, or part of it, with a named person, always with a reason from the exceptions you list below. The headteacher is told general feedback only, never what was said.',
            toggle: {
              text: 'A supervisor may share a record with a named person when an exception applies',
              blank: () => ({
                reasons: [],
                toSupervisorsLineManager: false,
                toRoles: [],
                superviseeTold: 'before',
                noticeDays: 0,
              }),
            },
            children: [
              {
                kind: 'booleans',
                name: 'confidentiality.disclosure.to',
                label: 'Who may receive it',
                hint: 'Select all that apply.',
                items: [
                  {
                    name: 'confidentiality.disclosure.toSupervisorsLineManager',
                    text: 'The supervisor’s own line manager',
                  },
                ],
              },
              {
                kind: 'checkboxes',
                name: 'confidentiality.disclosure.toRoles',
                label: 'And whoever holds one of these roles (optional)',
                hint: 'For example the DSL or HR',
                options: roleOptions(doc),
              },
              {
                kind: 'radios',
                name: 'confidentiality.disclosure.superviseeTold',
                label: 'When the supervisee is told',
                options: [
                  { value: 'before', text: 'Before the record is shared' },
                  { value: 'after', text: 'When it is shared' },
                ],
                blankError: 'Select when the supervisee is told',
              },
              {
                kind: 'integer',
                name: 'confidentiality.disclosure.noticeDays',
                label: 'Days between telling the supervisee and sharing the record',
                hint: 'A number from 0 to 30. Used only when the supervisee is told first; 0 shares it on the same day.',
                min: 0,
                max: 30,
                suffix: 'days',
                blankError: 'Enter the number of days, like 2, or 0',
              },
            ],
          },
        ],
      },
      {
        kind: 'group',
        name: 'disputeResolution',
        label: 'Resolving a disagreement',
        hint: 'How a disagreement between supervisor and supervisee is resolved. Add its steps below.',
        toggle: {
          text: 'The policy sets out how a disagreement is resolved',
          blank: () => ({ steps: [], bothPartiesToldInAdvance: false }),
        },
        children: [
          {
            kind: 'booleans',
            name: 'disputeResolution.choices',
            label: 'Telling both people',
            items: [
              {
                name: 'disputeResolution.bothPartiesToldInAdvance',
                text: 'Both people are told in advance that a meeting to resolve it has been arranged',
              },
            ],
          },
        ],
      },
    ],
    lists: [disclosureReasons, disputeSteps],
  },
  {
    id: 'records',
    title: 'Records',
    hint: 'Who records and signs sessions, copies, what the headteacher is told, children’s records',
    owns: ['recording', 'childRecord'],
    editable: true,
    fields: (doc) => [
      {
        kind: 'radios',
        name: 'recording.recordedBy',
        label: 'Who records the session',
        options: [
          { value: 'supervisor', text: 'The supervisor' },
          { value: 'supervisee', text: 'The supervisee' },
          { value: 'either', text: 'Either of them' },
        ],
        blankError: 'Select who records the session',
      },
      { kind: 'checkboxes', name: 'recording.signedBy', label: 'Who signs the record', options: partyOptions },
      {
        kind: 'checkboxes',
        name: 'recording.copiesHeldBy',
        label: 'Who keeps a copy (optional)',
        options: partyOptions,
      },
      {
        kind: 'booleans',
        name: 'recording.choices',
        label: 'Actions',
        hint: 'Select all that apply.',
        items: [
          { name: 'recording.actionsReviewedAtNextSession', text: 'Actions are reviewed at the next session' },
          {
            name: 'recording.actionSummaryDuringSession',
            text: 'A summary of actions is completed during the session or straight after it',
          },
        ],
      },
      {
        kind: 'radios',
        name: 'recording.headteacherFeedback',
        label: 'What the headteacher is told',
        options: [
          { value: 'none', text: 'Nothing' },
          { value: 'general-only', text: 'General feedback only, never what was discussed' },
          { value: 'full', text: 'Everything' },
        ],
        blankError: 'Select what the headteacher is told',
      },
      {
        kind: 'lines',
        name: 'recording.evidenceUses',
        label: 'Where records may later be used as evidence (optional)',
        hint: 'One per line, for example a serious case review',
      },
      {
        kind: 'textarea',
        name: 'recording.storage',
        label: 'How records are stored (optional)',
        optional: true,
      },
      {
        kind: 'text',
        name: 'childRecord.system',
        label: 'The school’s system for children’s safeguarding records (optional)',
        hint: 'For example CPOMS',
        optional: true,
      },
      {
        kind: 'booleans',
        name: 'childRecord.choices',
        label: 'Children’s records',
        hint: 'Select all that apply.',
        items: [
          {
            name: 'childRecord.decisionsMustReachChildRecord',
            text: 'A decision about a child must reach the child’s record',
          },
          {
            name: 'childRecord.caseDiscussionsOnChildRecord',
            text: 'Case discussions are recorded on the child’s record',
          },
        ],
      },
      {
        kind: 'select',
        name: 'childRecord.signOffRole',
        label: 'Who signs off decisions entered on a child’s record (optional)',
        optional: true,
        options: roleOptions(doc),
      },
      {
        kind: 'integer',
        name: 'childRecord.remindAfterDays',
        label: 'Remind after how many days a decision is still not on the child’s record (optional)',
        hint: 'The DSL, or whoever signs decisions off, is reminded each day after that. Leave it blank for no reminder.',
        optional: true,
        min: 1,
        max: 365,
        suffix: 'days',
      },
    ],
    lists: [],
  },
  {
    id: 'retention',
    title: 'How long records are kept',
    hint: 'How many years each kind of record is kept before the DSL is asked to confirm its removal',
    owns: ['retention'],
    editable: true,
    fields: () =>
      (
        [
          ['supervisionRecords', 'Supervision records'],
          ['childProtection', 'Records with child-protection content'],
          ['contracts', 'Supervision contracts'],
          ['stressRiskAssessments', 'Stress risk assessments'],
          ['referrals', 'Referrals to occupational health'],
          ['decisionsAboutChildren', 'Decisions about children'],
        ] as const
      ).flatMap(([key, label]): FieldSpec[] => [
        {
          kind: 'integer',
          name: `retention.${key}.years`,
          label: `${label}: how many years they are kept`,
          min: 1,
          max: 100,
          suffix: 'years',
          blankError: `Enter how many years ${label.toLowerCase()} are kept`,
        },
        {
          kind: 'radios',
          name: `retention.${key}.from`,
          label: `${label}: the years count from`,
          inline: true,
          options: [
            { value: 'leaving', text: 'The day the person leaves' },
            { value: 'record', text: 'The date of the record' },
          ],
          blankError: `Select what the years for ${label.toLowerCase()} count from`,
        },
      ]),
    lists: [],
  },
  {
    id: 'requests',
    title: 'Requests and standing groups',
    hint: 'Supervision on request, and groups that meet regularly',
    owns: ['requests', 'standingGroups'],
    editable: true,
    fields: (doc) => [
      {
        kind: 'group',
        name: 'requests',
        label: 'Supervision on request',
        toggle: { text: 'The policy says staff may ask for supervision' },
        children: [
          {
            kind: 'booleans',
            name: 'requests.choices',
            label: 'Who may ask',
            items: [
              { name: 'requests.anyStaffMayRequest', text: 'Any member of staff may ask for a meeting at any time' },
            ],
          },
          {
            kind: 'lines',
            name: 'requests.topics',
            label: 'What they may ask about (optional)',
            hint: 'One per line, for example a concern about a child',
          },
          {
            kind: 'checkboxes',
            name: 'requests.sessionTypes',
            label: 'Session types a request may lead to (optional)',
            options: sessionTypeOptions(doc),
          },
          {
            kind: 'textarea',
            name: 'requests.description',
            label: 'How to ask, in plain words (optional)',
            optional: true,
          },
        ],
      },
    ],
    lists: [standingGroups],
  },
  {
    id: 'practice',
    title: 'Practice, support and commitments',
    hint: 'Handovers, feedback, workload, the order of a session, further support, other commitments',
    owns: ['practice', 'furtherSupport', 'commitments'],
    editable: true,
    fields: () => [
      {
        kind: 'booleans',
        name: 'practice.choices',
        label: 'Practice',
        hint: 'Select all that apply.',
        items: [
          {
            name: 'practice.handoverOnLineManagerChange',
            text: 'When line management changes, a handover between the old and new supervisor is recorded',
          },
          { name: 'practice.feedbackFromSupervisees', text: 'Supervisees are asked for feedback on their supervision' },
          { name: 'practice.workloadMonitored', text: 'Management makes sure workload does not exceed capacity' },
          { name: 'practice.feedbackComment', text: 'Supervisees may add a comment to their feedback' },
          {
            name: 'practice.developmentNeedsFeedPlanning',
            text: 'Development needs found in supervision feed professional development planning',
          },
        ],
      },
      {
        kind: 'radios',
        name: 'practice.feedbackAsked',
        label: 'When are supervisees asked for feedback?',
        options: [
          { value: 'after-each-session', text: 'After each session, once its record is signed' },
          { value: 'termly', text: 'Once a term' },
        ],
      },
      {
        kind: 'text',
        name: 'practice.feedbackWorkloadQuestion',
        label: 'Reference of the feedback question about workload (optional)',
        hint: 'Answering disagree or strongly disagree says workload is more than the person can manage. Leave blank while Haven asks its own questions.',
        optional: true,
        classes: 'govuk-input--width-20',
      },
      {
        kind: 'integer',
        name: 'practice.workloadFlagAt',
        label: 'How many supervisees must say their workload is too much before it is flagged?',
        hint: 'A number, for example 3',
        min: 1,
        max: 1000,
        blankError: 'Enter how many supervisees, as a number, like 3',
      },
      {
        kind: 'integer',
        name: 'practice.feedbackReminderAfterDays',
        label: 'After how many days is a supervisee who has not given feedback reminded?',
        hint: 'They are reminded once, by email. 0 means they are not reminded',
        min: 0,
        max: 60,
        blankError: 'Enter the number of days, like 7',
      },
      {
        kind: 'textarea',
        name: 'practice.caseEscalationProcedure',
        label: 'How a case that is not progressing is escalated outside the school (optional)',
        optional: true,
      },
      {
        kind: 'lines',
        name: 'practice.sessionOutline',
        label: 'The order of business in a session (optional)',
        hint: 'One item per line',
      },
    ],
    lists: [feedbackQuestions, furtherSupport, caseEscalationStages, commitments],
  },
  {
    id: 'other',
    title: 'Other problems in the policy file',
    hint: 'Problems in an uploaded file that belong to no section, such as a field Haven does not recognise',
    owns: [],
    editable: false,
    lists: [],
  },
]

export function sectionById(id: string): SectionDef | undefined {
  return sections.find((section) => section.id === id)
}

/** The section a problem path belongs to ("other" for parts the editor does not change). */
export function sectionOfPath(path: string): SectionDef {
  const first = path.replace(/\[.*$/, '').split('.')[0] ?? ''
  return sections.find((s) => s.owns.includes(first)) ?? (first === '' ? sections[0]! : sections.at(-1)!)
}

/** A reference made from words: "One-to-one supervision" -> "one-to-one-supervision". */
export function slugify(words: string): string {
  return words
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .split('-')
    .slice(0, 6)
    .join('-')
}

/** A reference for a new item, unique in its list. */
export function uniqueId(base: string, taken: ReadonlySet<string>, fallback: string): string {
  const root = slugify(base) || slugify(fallback) || 'item'
  if (!taken.has(root)) return root
  for (let n = 2; ; n++) if (!taken.has(`${root}-${n}`)) return `${root}-${n}`
}
