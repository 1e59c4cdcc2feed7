import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  copyTemplate,
  findField,
  nextVersion,
  placeholdersIn,
  type Template,
  templateFields,
  templateSchema,
  validateTemplate,
} from './template.ts'

const minimal = (): Template => ({
  id: 'school-record',
  version: 1,
  name: 'Supervision record',
  kind: 'record',
  description: 'A record.',
  sections: [
    {
      id: 'details',
      title: 'Details',
      fields: [
        { id: 'date', kind: 'date', label: 'Date', required: true },
        {
          id: 'type',
          kind: 'single-choice',
          label: 'Type',
          required: true,
          options: [
            { value: 'formal', label: 'Formal' },
            { value: 'group', label: 'Group' },
          ],
        },
      ],
    },
  ],
})

describe('validateTemplate', () => {
  test('X-05: a well-formed template is accepted as it is', () => {
    const t = minimal()
    assert.deepEqual(validateTemplate(t), { ok: true, template: t })
    assert.equal(templateSchema.safeParse(t).success, true)
  })

  test('X-05: a bad template lists every problem with where it is, not just the first', () => {
    const bad = {
      id: 'Bad Id',
      version: 0,
      name: 'Record',
      kind: 'record',
      description: 'x',
      colour: 'blue',
      sections: [
        {
          id: 'details',
          title: 'Details',
          fields: [
            { id: 'date', kind: 'date', label: 'Date', required: true },
            { id: 'type', kind: 'single-choice', label: 'Type', required: true, options: [] },
            { id: 'cases', kind: 'table', label: 'Cases', required: false, columns: [] },
            { id: 'mystery', kind: 'sparkle', label: 'Mystery', required: false },
            { id: 'safety', kind: 'scale', label: 'Safety', required: true, min: 8, max: 3 },
            { id: 'note', kind: 'long-text', label: 'Note' },
          ],
        },
        {
          id: 'more',
          title: 'More',
          fields: [
            { id: 'date', kind: 'short-text', label: 'Another date', required: false },
            {
              id: 'choice',
              kind: 'multiple-choice',
              label: 'Choice',
              required: false,
              options: [
                { value: 'a', label: 'A' },
                { value: 'a', label: 'A again' },
              ],
            },
            {
              id: 'rows',
              kind: 'table',
              label: 'Rows',
              required: false,
              minRows: 3,
              maxRows: 1,
              columns: [
                { id: 'x', kind: 'short-text', label: 'X', required: true },
                { id: 'x', kind: 'single-choice', label: 'X again', required: true },
              ],
            },
            { id: 'signed', kind: 'signatures', label: 'Signed', required: true, signatories: [] },
          ],
        },
      ],
      clauses: [{ id: 'c', heading: 'Heading', text: 'Meet at {{venue}}' }],
    }
    const result = validateTemplate(bad)
    assert.equal(result.ok, false)
    const problems = result.ok ? [] : result.problems
    const byPath = new Map(problems.map((p) => [p.path, p.message]))
    const expected: [string, RegExp][] = [
      ['id', /lower-case letters/],
      ['version', /1 or more/],
      ['', /Unknown setting: colour/],
      ['sections.0.fields.1.options', /choice needs at least one option/],
      ['sections.0.fields.2.columns', /table needs at least one column/],
      ['sections.0.fields.3.kind', /Unknown field kind/],
      ['sections.0.fields.4.max', /greater than the bottom/],
      ['sections.0.fields.5.required', /Missing/],
      ['sections.1.fields.0.id', /"date" is already used at sections\.0\.fields\.0\.id/],
      ['sections.1.fields.1.options.1.value', /"a" is used more than once/],
      ['sections.1.fields.2.maxRows', /cannot be fewer than the fewest/],
      ['sections.1.fields.2.columns.1.id', /"x" is used more than once/],
      ['sections.1.fields.2.columns.1.options', /choice column needs at least one option/],
      ['sections.1.fields.3.signatories', /at least one signatory/],
      ['clauses', /Only a contract template has clauses/],
      ['clauses.0.text', /Unknown placeholder "venue"/],
    ]
    for (const [path, message] of expected) {
      assert.match(byPath.get(path) ?? `(no problem at "${path}")`, message, path)
    }
    assert.equal(problems.length, expected.length, JSON.stringify(problems, null, 1))
  })

  test('issue 8: contract placeholders must name a field or a known context value, and be closed', () => {
    const contract = {
      ...minimal(),
      id: 'school-contract',
      kind: 'contract',
      sections: [
        {
          id: 'arrangements',
          title: 'Arrangements',
          fields: [
            { id: 'venue', kind: 'short-text', label: 'Venue', required: true },
            {
              id: 'rows',
              kind: 'table',
              label: 'Rows',
              required: false,
              columns: [{ id: 'a', kind: 'short-text', label: 'A', required: false }],
            },
          ],
        },
      ],
      clauses: [
        {
          id: 'ok',
          heading: 'Fine',
          text: '{{supervisee.name}} meets {{supervisor.name}} at {{venue}}, {{policy.frequency}}.',
        },
        {
          id: 'broken',
          heading: 'Broken {{nobody}}',
          text: 'At {{venue',
          items: ['{{rows}}', '{{ }}', '{{venue|school.nam}}'],
        },
      ],
    }
    const result = validateTemplate(contract)
    assert.equal(result.ok, false)
    assert.deepEqual(result.ok ? [] : result.problems, [
      {
        path: 'clauses.1.heading',
        message:
          'Unknown placeholder "nobody" in {{nobody}}: use a field id of this template or one of supervisee.name, supervisee.role, supervisor.name, supervisor.role, school.name, policy.frequency, policy.duration',
      },
      { path: 'clauses.1.text', message: 'A placeholder is not closed: write placeholders like {{venue}}' },
      {
        path: 'clauses.1.items.0',
        message: 'The placeholder "rows" names a table field, which cannot be shown in a clause',
      },
      { path: 'clauses.1.items.1', message: 'The placeholder {{ }} is empty' },
      {
        path: 'clauses.1.items.2',
        message:
          'Unknown placeholder "school.nam" in {{venue|school.nam}}: use a field id of this template or one of supervisee.name, supervisee.role, supervisor.name, supervisor.role, school.name, policy.frequency, policy.duration',
      },
    ])
    const noClauses = validateTemplate({ ...contract, clauses: undefined })
    assert.deepEqual(noClauses.ok ? [] : noClauses.problems, [
      { path: 'clauses', message: 'A contract needs at least one clause' },
    ])
  })

  test('placeholdersIn splits alternatives', () => {
    assert.deepEqual(placeholdersIn('{{a|policy.frequency}} and {{ b }}'), [
      { raw: '{{a|policy.frequency}}', names: ['a', 'policy.frequency'] },
      { raw: '{{ b }}', names: ['b'] },
    ])
  })

  test('validateTemplate never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const result = validateTemplate(json)
        assert.equal(typeof result.ok, 'boolean')
      }),
      { numRuns: 300 },
    )
    // Nearly right templates, with random junk in places.
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const t = minimal() as unknown as Record<string, unknown>
        const result = validateTemplate({
          ...t,
          sections: [{ id: 'x', title: 'X', fields: [a, { kind: 'table', columns: [b] }] }],
          clauses: a,
        })
        assert.equal(result.ok, false)
      }),
      { numRuns: 300 },
    )
  })
})

describe('copyTemplate and versions', () => {
  test('X-01: a school copy gets a new id and name, version 1, and remembers its origin; the original is untouched', () => {
    const original = { ...minimal(), version: 4 }
    const before = structuredClone(original)
    const copy = copyTemplate(original, 'our-record', '  Our record ')
    assert.equal(copy.id, 'our-record')
    assert.equal(copy.name, 'Our record')
    assert.equal(copy.version, 1)
    assert.deepEqual(copy.basedOn, { id: 'school-record', version: 4 })
    copy.sections[0]?.fields.pop()
    assert.deepEqual(original, before)
    assert.equal(validateTemplate(copy).ok, true)
    assert.throws(() => copyTemplate(original, 'Our Record', 'x'), RangeError)
    assert.throws(() => copyTemplate(original, 'our-record', ' '), RangeError)
  })

  test('X-01: editing a template makes the next version with the same id', () => {
    const v1 = minimal()
    const { id: _id, version: _version, ...rest } = v1
    const v2 = nextVersion(v1, { ...rest, name: 'Renamed' })
    assert.equal(v2.id, v1.id)
    assert.equal(v2.version, 2)
    assert.equal(v2.name, 'Renamed')
    assert.equal(v1.name, 'Supervision record')
  })

  test('templateFields and findField read fields in order', () => {
    const t = minimal()
    assert.deepEqual(
      templateFields(t).map((f) => f.id),
      ['date', 'type'],
    )
    assert.equal(findField(t, 'type')?.kind, 'single-choice')
    assert.equal(findField(t, 'nope'), undefined)
  })
})
