import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { formatDate, formatTime, renderContract } from './contract.ts'
import { type Template, validateTemplate } from './template.ts'

const contract: Template = {
  id: 'test-contract',
  version: 1,
  name: 'Supervision contract – {{school.name}}',
  kind: 'contract',
  description: 'A contract.',
  sections: [
    {
      id: 'arrangements',
      title: 'Arrangements',
      fields: [
        { id: 'agreedFrequency', kind: 'short-text', label: 'Agreed frequency', required: false },
        { id: 'venue', kind: 'short-text', label: 'Venue', required: true },
        { id: 'reviewDate', kind: 'date', label: 'Review date', required: true },
        { id: 'startTime', kind: 'time', label: 'Start time', required: false },
        { id: 'sooner', kind: 'yes-no', label: 'Sooner on request', required: false },
        {
          id: 'mode',
          kind: 'single-choice',
          label: 'Mode',
          required: false,
          options: [{ value: 'in-person', label: 'in person' }],
        },
        { id: 'collectedBy', kind: 'person', label: 'Collected by', required: true },
        {
          id: 'signatures',
          kind: 'signatures',
          label: 'Signed',
          required: true,
          signatories: [{ id: 'supervisee', label: 'Supervisee' }],
        },
      ],
    },
  ],
  clauses: [
    {
      id: 'parties',
      heading: 'Between {{supervisee.name}} and {{supervisor.name}}',
      text: '{{supervisee.name}} ({{supervisee.role}}) is supervised by {{supervisor.name}} ({{supervisor.role}}).',
    },
    {
      id: 'frequency',
      heading: 'Frequency',
      text: 'Supervision takes place {{agreedFrequency|policy.frequency}} for {{policy.duration}}, {{mode}}.',
      items: ['Venue: {{venue}}', 'Starting at {{startTime}}', 'Sooner on request: {{sooner}}'],
    },
    { id: 'review', heading: 'Review', text: 'Return it to {{collectedBy}}. Reviewed on {{reviewDate}}.' },
  ],
}

const context = {
  supervisee: { name: 'Sam Patel', role: 'Learning mentor' },
  supervisor: { name: 'Jo Hughes', role: 'DSL' },
  school: { name: 'Meanwood CE Primary School' },
  policy: { frequency: 'at least once a term', duration: 'about one hour' },
}

describe('renderContract', () => {
  test('the test contract is valid', () => {
    assert.equal(validateTemplate(contract).ok, true)
  })

  test('MW-02, AM-05: placeholders are filled from the people, the policy and the contract fields', () => {
    const rendered = renderContract(contract, {
      ...context,
      values: {
        venue: 'The library office',
        reviewDate: '2027-09-01',
        startTime: '14:00',
        sooner: 'yes',
        mode: 'in-person',
        collectedBy: { personId: 'p1', name: 'Jamie Chapman' },
      },
    })
    assert.deepEqual(rendered, {
      title: 'Supervision contract – Meanwood CE Primary School',
      clauses: [
        {
          heading: 'Between Sam Patel and Jo Hughes',
          text: 'Sam Patel (Learning mentor) is supervised by Jo Hughes (DSL).',
          items: [],
        },
        {
          heading: 'Frequency',
          text: 'Supervision takes place at least once a term for about one hour, in person.',
          items: ['Venue: The library office', 'Starting at 2pm', 'Sooner on request: Yes'],
        },
        { heading: 'Review', text: 'Return it to Jamie Chapman. Reviewed on 1 September 2027.', items: [] },
      ],
      problems: [],
      missing: [],
    })
  })

  test('MW-03: a frequency agreed for the person wins over the policy’s', () => {
    const rendered = renderContract(contract, { ...context, values: { agreedFrequency: 'every four weeks' } })
    assert.match(rendered.clauses[1]?.text ?? '', /takes place every four weeks for about one hour/)
  })

  test('values not yet known are shown as the blank marker and listed', () => {
    const rendered = renderContract(contract, { supervisee: { name: 'Sam Patel' } }, { blank: '……' })
    assert.equal(rendered.clauses[0]?.text, 'Sam Patel (……) is supervised by …… (……).')
    assert.deepEqual(rendered.problems, [])
    assert.deepEqual(rendered.missing, [
      'school.name',
      'supervisor.name',
      'supervisee.role',
      'supervisor.role',
      'agreedFrequency|policy.frequency',
      'policy.duration',
      'mode',
      'venue',
      'startTime',
      'sooner',
      'collectedBy',
      'reviewDate',
    ])
  })

  test('issue 8: an unknown placeholder is a problem, not a crash', () => {
    const broken: Template = {
      ...contract,
      clauses: [{ id: 'x', heading: 'X', text: 'Meet {{nobody}} at {{venue}}.', items: ['{{signatures}}'] }],
    }
    const rendered = renderContract(broken, { ...context, values: { venue: 'Room 4' } })
    assert.equal(rendered.clauses[0]?.text, 'Meet [to be agreed] at Room 4.')
    assert.deepEqual(rendered.problems, [
      { path: 'clauses.0.text', message: 'Unknown placeholder "nobody" in {{nobody}}' },
      { path: 'clauses.0.items.0', message: 'Unknown placeholder "signatures" in {{signatures}}' },
    ])
  })

  test('text typed into a field is never treated as a placeholder', () => {
    const rendered = renderContract(contract, { ...context, values: { venue: '{{supervisor.name}} {{venue}}' } })
    assert.equal(rendered.clauses[1]?.items[0], 'Venue: {{supervisor.name}} {{venue}}')
  })

  test('only a contract can be rendered', () => {
    const record: Template = { ...contract, kind: 'record', clauses: undefined }
    assert.deepEqual(renderContract(record, context), {
      title: record.name,
      clauses: [],
      problems: [{ path: 'kind', message: 'Only a contract template can be rendered as a contract' }],
      missing: [],
    })
  })

  test('renderContract never throws, whatever the clause text or values', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (text, venue) => {
        const t: Template = { ...contract, clauses: [{ id: 'x', heading: text, text: `${text}{{venue}}${text}` }] }
        const rendered = renderContract(t, { values: { venue } as Record<string, unknown> })
        assert.equal(rendered.clauses.length, 1)
      }),
      { numRuns: 300 },
    )
  })

  test('dates and times are written the GOV.UK way', () => {
    assert.equal(formatDate('2026-09-07'), '7 September 2026')
    assert.equal(formatDate('not a date'), 'not a date')
    assert.equal(formatTime('09:30'), '9:30am')
    assert.equal(formatTime('12:00'), 'midday')
    assert.equal(formatTime('00:00'), 'midnight')
    assert.equal(formatTime('13:05'), '1:05pm')
  })
})
