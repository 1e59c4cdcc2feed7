import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  canonicalContent,
  contentHash,
  emptyEntry,
  missingSignatures,
  normaliseEntry,
  stableStringify,
  validateEntry,
} from './entry.ts'
import { type Template, validateTemplate } from './template.ts'

/** One field of every kind. */
const template: Template = {
  id: 'test-record',
  version: 3,
  name: 'Test record',
  kind: 'record',
  description: 'Every kind of field.',
  sections: [
    {
      id: 'details',
      title: 'Details',
      fields: [
        { id: 'summary', kind: 'short-text', label: 'Summary', errorName: 'a summary', required: true, maxLength: 20 },
        { id: 'concerns', kind: 'long-text', label: 'Concerns', required: true },
        {
          id: 'sessionDate',
          kind: 'date',
          label: 'Supervision date',
          errorName: 'the supervision date',
          required: true,
        },
        { id: 'dateOfBirth', kind: 'date', label: 'Date of birth', required: false, notInFuture: true },
        { id: 'startTime', kind: 'time', label: 'Start time', required: true },
        { id: 'disclosure', kind: 'yes-no', label: 'Do you have anything to disclose?', required: true },
        {
          id: 'type',
          kind: 'single-choice',
          label: 'Type of supervision',
          errorName: 'the type of supervision',
          required: true,
          options: [
            { value: 'formal', label: 'Formal' },
            { value: 'peer', label: 'Peer' },
          ],
        },
        {
          id: 'topics',
          kind: 'multiple-choice',
          label: 'Topics',
          errorName: 'the topics',
          required: false,
          options: [
            { value: 'cases', label: 'Cases' },
            { value: 'welfare', label: 'Welfare' },
            { value: 'training', label: 'Training' },
          ],
        },
        { id: 'safety', kind: 'scale', label: 'Safety scale', errorName: 'the safety scale', required: true },
        {
          id: 'supervisor',
          kind: 'person',
          label: 'Supervisor',
          errorName: 'the name of the supervisor',
          required: true,
        },
        { id: 'child', kind: 'child-or-family', label: 'Child or family', required: true, allow: ['child', 'family'] },
      ],
    },
    {
      id: 'tables',
      title: 'Tables',
      fields: [
        {
          id: 'caseManagement',
          kind: 'table',
          label: 'Case management',
          required: true,
          maxRows: 3,
          columns: [
            { id: 'case', kind: 'short-text', label: 'Case', errorName: 'the case', required: true },
            { id: 'advice', kind: 'long-text', label: 'Advice', errorName: 'the advice', required: true },
            { id: 'reviewOn', kind: 'date', label: 'Review on', errorName: 'the review date', required: false },
            { id: 'onFile', kind: 'yes-no', label: 'On file', errorName: 'whether it is on file', required: false },
          ],
        },
        { id: 'actions', kind: 'actions', label: 'Actions agreed', required: true, requireOwner: true },
        {
          id: 'functions',
          kind: 'framework-tags',
          label: 'Functions',
          required: false,
          framework: 'am-morrison-functions',
          options: [
            { value: 'managerial', label: 'Managerial' },
            { value: 'supportive', label: 'Supportive' },
          ],
        },
        {
          id: 'signatures',
          kind: 'signatures',
          label: 'Signed',
          required: true,
          includeRole: true,
          signatories: [
            { id: 'supervisee', label: 'Supervisee' },
            { id: 'supervisor', label: 'Supervisor' },
          ],
        },
      ],
    },
  ],
}

const complete = () => ({
  summary: 'Termly 1:1',
  concerns: 'Attendance has dropped.',
  sessionDate: '2026-03-04',
  dateOfBirth: '2015-06-01',
  startTime: '14:30',
  disclosure: false,
  type: 'formal',
  topics: ['welfare', 'cases'],
  safety: 6,
  supervisor: { personId: 'p1', name: 'Jo Hughes' },
  child: { kind: 'child', name: 'Child A', reference: 'CPOMS-123' },
  caseManagement: [{ case: 'Child A', advice: 'Refer to early help', reviewOn: '2026-04-01', onFile: true }],
  actions: [{ text: 'Make the referral', owner: 'Sam', dueOn: '2026-03-11' }],
  functions: ['supportive'],
  signatures: {},
})

describe('validateEntry', () => {
  test('the test template is itself valid', () => {
    assert.equal(validateTemplate(template).ok, true)
  })

  test('X-05: a draft may leave required fields blank; completing needs them, in GOV.UK wording', () => {
    assert.deepEqual(validateEntry(template, {}, { mode: 'draft' }), { ok: true, values: emptyEntry(template) })
    const result = validateEntry(template, {}, { mode: 'complete' })
    assert.equal(result.ok, false)
    assert.deepEqual(result.ok ? {} : result.errors, {
      summary: 'Enter a summary',
      concerns: 'Enter concerns',
      sessionDate: 'Enter the supervision date',
      startTime: 'Enter start time',
      disclosure: 'Select yes or no: Do you have anything to disclose?',
      type: 'Select the type of supervision',
      safety: 'Select the safety scale',
      supervisor: 'Enter the name of the supervisor',
      child: 'Enter child or family',
      caseManagement: 'Add at least one row to case management',
      actions: 'Add at least one action to actions agreed',
    })
  })

  test('X-05: a complete record is accepted and normalised', () => {
    const result = validateEntry(template, complete(), { mode: 'complete', today: '2026-03-04' })
    assert.equal(result.ok, true)
    assert.ok(result.ok)
    assert.deepEqual(result.values['topics'], ['cases', 'welfare'], 'choices in option order')
    assert.deepEqual(result.values['supervisor'], { personId: 'p1', name: 'Jo Hughes' })
  })

  test('format errors are reported even in a draft', () => {
    const result = validateEntry(
      template,
      {
        summary: 'x'.repeat(21),
        sessionDate: '2026-02-30',
        dateOfBirth: { day: '1', month: '', year: '2026' },
        startTime: '25:00',
        disclosure: 'perhaps',
        type: 'informal',
        topics: ['cases', 'gossip'],
        safety: 11,
        functions: 'sideways',
      },
      { mode: 'draft' },
    )
    assert.deepEqual(result.ok ? {} : result.errors, {
      summary: 'A summary must be 20 characters or fewer',
      sessionDate: 'The supervision date must be a real date',
      dateOfBirth: 'Date of birth must include a month',
      startTime: 'Start time must be a real time, like 09:30 or 14:15',
      disclosure: 'Select yes or no: Do you have anything to disclose?',
      type: 'Select the type of supervision from the list',
      topics: 'Select the topics from the list',
      safety: 'The safety scale must be a whole number from 0 to 10',
      functions: 'Select functions from the list',
    })
  })

  test('CA-06: scales take whole numbers from 0 to 10 only', () => {
    const check = (safety: unknown) => validateEntry(template, { safety }, { mode: 'draft' })
    for (const ok of [0, 10, '7', ' 3 ']) assert.equal(check(ok).ok, true, String(ok))
    for (const bad of [-1, 11, 3.5, 'seven', '1e1', true]) assert.equal(check(bad).ok, false, String(bad))
    const seven = check('7')
    assert.ok(seven.ok)
    assert.equal(seven.values['safety'], 7)
  })

  test('dates: GOV.UK date parts become ISO dates; dates of birth may not be in the future', () => {
    const parts = validateEntry(template, { sessionDate: { day: '4', month: '3', year: '2026' } }, { mode: 'draft' })
    assert.ok(parts.ok)
    assert.equal(parts.values['sessionDate'], '2026-03-04')
    assert.deepEqual(
      validateEntry(template, { sessionDate: { day: '29', month: '2', year: '2025' } }, { mode: 'draft' }),
      { ok: false, errors: { sessionDate: 'The supervision date must be a real date' } },
    )
    assert.deepEqual(
      validateEntry(template, { sessionDate: { day: '29', month: '2', year: '26' } }, { mode: 'draft' }),
      { ok: false, errors: { sessionDate: 'Year must include 4 numbers' } },
    )
    assert.equal(validateEntry(template, { sessionDate: '2024-02-29' }, { mode: 'draft' }).ok, true)
    assert.deepEqual(validateEntry(template, { dateOfBirth: '2026-03-05' }, { mode: 'draft', today: '2026-03-04' }), {
      ok: false,
      errors: { dateOfBirth: 'Date of birth must be today or in the past' },
    })
    assert.equal(validateEntry(template, { dateOfBirth: '2026-03-05' }, { mode: 'draft' }).ok, true)
    const time = validateEntry(template, { startTime: '9:05' }, { mode: 'draft' })
    assert.ok(time.ok)
    assert.equal(time.values['startTime'], '09:05')
  })

  test('CA-08: table rows are checked column by column, blank rows are ignored', () => {
    const values = {
      ...complete(),
      caseManagement: [
        { case: 'Child A', advice: '', reviewOn: '2026-13-01' },
        { case: '', advice: '', reviewOn: '', onFile: null },
        { case: 'Child B', advice: 'Wait', wibble: 'x' },
      ],
    }
    const result = validateEntry(template, values, { mode: 'complete' })
    assert.deepEqual(result.ok ? {} : result.errors, {
      'caseManagement.0.reviewOn': 'The review date in row 1 must be a real date',
      'caseManagement.0.advice': 'Enter the advice in row 1',
      'caseManagement.2.wibble': 'Case management has no column called wibble',
    })
    const draft = validateEntry(template, { caseManagement: [{ case: 'Child A' }, {}] }, { mode: 'draft' })
    assert.ok(draft.ok)
    assert.deepEqual(draft.values['caseManagement'], [{ case: 'Child A', advice: '', reviewOn: '', onFile: null }])
    const tooMany = validateEntry(
      template,
      { caseManagement: [1, 2, 3, 4].map((n) => ({ case: `Case ${String(n)}` })) },
      { mode: 'draft' },
    )
    assert.deepEqual(tooMany.ok ? {} : tooMany.errors, { caseManagement: 'Case management must have 3 rows or fewer' })
  })

  test('X-05: actions need a description and, here, an owner when the record is completed', () => {
    const values = {
      ...complete(),
      actions: [{ text: 'Refer', owner: '' }, { text: '', owner: 'Sam', dueOn: 'soon' }, ''],
    }
    const result = validateEntry(template, values, { mode: 'complete' })
    assert.deepEqual(result.ok ? {} : result.errors, {
      'actions.0.owner': 'Enter who will do action 1',
      'actions.1.dueOn': 'The due date for action 2 must be a real date',
      'actions.1.text': 'Enter a description of action 2',
    })
    const draft = validateEntry(
      template,
      { actions: ['Refer to early help', { text: 'Chase', id: 'a-1' }] },
      { mode: 'draft' },
    )
    assert.ok(draft.ok)
    assert.deepEqual(draft.values['actions'], [
      { text: 'Refer to early help', owner: '', dueOn: '' },
      { text: 'Chase', owner: '', dueOn: '', id: 'a-1' },
    ])
  })

  test('people and children: plain names are accepted; a child-or-family field needs to know which', () => {
    const result = validateEntry(template, { supervisor: '  Jo Hughes ', child: 'Child A' }, { mode: 'draft' })
    assert.deepEqual(result.ok ? {} : result.errors, { child: 'Select whether child or family is a child or a family' })
    const family = validateEntry(template, { child: { kind: 'family', name: 'The A family' } }, { mode: 'draft' })
    assert.ok(family.ok)
    assert.deepEqual(family.values['child'], { kind: 'family', name: 'The A family', reference: null })
    const person = validateEntry(template, { supervisor: '  Jo Hughes ' }, { mode: 'draft' })
    assert.ok(person.ok)
    assert.deepEqual(person.values['supervisor'], { personId: null, name: 'Jo Hughes' })
  })

  test('X-05: signatures are never required to complete a record, but are checked when present', () => {
    assert.equal(validateEntry(template, complete(), { mode: 'complete' }).ok, true)
    const bad = validateEntry(
      template,
      { ...complete(), signatures: { supervisor: { name: 'Jo', signedOn: '2026-3-4' }, governor: {} } },
      { mode: 'complete' },
    )
    assert.deepEqual(bad.ok ? {} : bad.errors, {
      'signatures.supervisor.role': 'Enter the role of the supervisor',
      'signatures.supervisor.signedOn': 'The date the supervisor signed must be a real date',
      'signatures.governor': 'Signed has no signatory called governor',
    })
    const signedBySupervisor = {
      ...complete(),
      signatures: { supervisor: { name: 'Jo Hughes', role: 'DSL', signedOn: '2026-03-04', personId: 'p1' } },
    }
    assert.deepEqual(missingSignatures(template, signedBySupervisor), [
      { fieldId: 'signatures', signatoryId: 'supervisee' },
    ])
  })

  test('a value for a field the template does not have is reported', () => {
    assert.deepEqual(validateEntry(template, { colour: 'blue' }, { mode: 'draft' }), {
      ok: false,
      errors: { colour: 'This record has no field called colour' },
    })
  })

  test('emptyEntry gives every field its blank value', () => {
    assert.deepEqual(emptyEntry(template), {
      summary: '',
      concerns: '',
      sessionDate: '',
      dateOfBirth: '',
      startTime: '',
      disclosure: null,
      type: '',
      topics: [],
      safety: null,
      supervisor: null,
      child: null,
      caseManagement: [],
      actions: [],
      functions: [],
      signatures: {},
    })
  })
})

describe('canonical content and hash', () => {
  test('X-06: the same content in a different key order gives the same hash', () => {
    const a = complete()
    const reversed = Object.fromEntries(
      Object.entries(a)
        .reverse()
        .map(([k, v]) => [
          k,
          Array.isArray(v) && typeof v[0] === 'object'
            ? v.map((row) => Object.fromEntries(Object.entries(row as object).reverse()))
            : v,
        ]),
    )
    assert.notEqual(JSON.stringify(a), JSON.stringify(reversed))
    assert.equal(canonicalContent(template, a), canonicalContent(template, reversed))
    assert.equal(contentHash(template, a), contentHash(template, reversed))
    assert.match(contentHash(template, a), /^[0-9a-f]{64}$/)
  })

  test('X-06: the hash changes with the content, the template version, but not with signatures or stray spaces', () => {
    const base = contentHash(template, complete())
    assert.notEqual(contentHash(template, { ...complete(), concerns: 'Something else' }), base)
    assert.notEqual(contentHash({ ...template, version: 4 }, complete()), base)
    const signed = {
      ...complete(),
      signatures: { supervisor: { name: 'Jo Hughes', role: 'DSL', signedOn: '2026-03-04', personId: 'p1' } },
    }
    assert.equal(contentHash(template, signed), base, 'signing does not change what was signed')
    assert.equal(contentHash(template, { ...complete(), concerns: '  Attendance has dropped.\r\n' }), base)
    assert.equal(contentHash(template, { ...complete(), topics: ['cases', 'welfare'] }), base)
    assert.equal(contentHash(template, { ...complete(), sessionDate: { day: '4', month: '03', year: '2026' } }), base)
  })

  test('X-06: canonical content is the same whatever the key order (property)', () => {
    const shuffle = (o: Record<string, unknown>, seed: number): Record<string, unknown> => {
      const entries = Object.entries(o)
      entries.sort((x, y) => ((x[0].length * seed) % 7) - ((y[0].length * seed) % 7) || (seed % 2 ? 1 : -1))
      return Object.fromEntries(entries)
    }
    fc.assert(
      fc.property(
        fc.record({
          summary: fc.string({ maxLength: 20 }),
          concerns: fc.string(),
          safety: fc.integer({ min: 0, max: 10 }),
          disclosure: fc.boolean(),
          topics: fc.subarray(['cases', 'welfare', 'training']),
          caseManagement: fc.array(fc.record({ case: fc.string(), advice: fc.string() }), { maxLength: 3 }),
        }),
        fc.integer({ min: 1, max: 1000 }),
        (values, seed) => {
          const shuffled = shuffle(values, seed)
          shuffled['caseManagement'] = values.caseManagement.map((row) => shuffle(row, seed + 1))
          shuffled['topics'] = [...values.topics].reverse()
          assert.equal(contentHash(template, shuffled), contentHash(template, values))
        },
      ),
      { numRuns: 200 },
    )
  })

  test('stableStringify sorts keys at every level and leaves out undefined', () => {
    assert.equal(
      stableStringify({ b: 1, a: { d: [2, { z: 1, y: undefined, x: 'é' }], c: null } }),
      '{"a":{"c":null,"d":[2,{"x":"é","z":1}]},"b":1}',
    )
  })

  test('normaliseEntry keeps only the template fields', () => {
    const n = normaliseEntry(template, { ...complete(), colour: 'blue' })
    assert.equal('colour' in n, false)
    assert.deepEqual(Object.keys(n), Object.keys(emptyEntry(template)))
  })
})
