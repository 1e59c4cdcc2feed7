import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { templateById } from '../../packs/templates.ts'
import { displayLines, displaySections, displayValue } from './display.ts'
import type { Field } from './template.ts'

describe('a record’s values in words', () => {
  test('X-05: each kind of value is written for people; blanks are blank', () => {
    const f = (field: Partial<Field> & Pick<Field, 'kind'>) =>
      ({ id: 'x', label: 'X', required: false, ...field }) as Field
    assert.deepEqual(displayValue(f({ kind: 'date' }), '2026-09-01'), { kind: 'text', text: '1 September 2026' })
    assert.deepEqual(displayValue(f({ kind: 'time' }), '14:30'), { kind: 'text', text: '2:30pm' })
    assert.deepEqual(displayValue(f({ kind: 'yes-no' }), false), { kind: 'text', text: 'No' })
    assert.deepEqual(displayValue(f({ kind: 'scale', max: 10 }), 7), { kind: 'text', text: '7 out of 10' })
    assert.deepEqual(displayValue(f({ kind: 'scale' }), null), { kind: 'text', text: '' })
    assert.deepEqual(
      displayValue(f({ kind: 'child-or-family', allow: ['child'] } as Partial<Field> & Pick<Field, 'kind'>), {
        kind: 'child',
        name: 'Child A',
        reference: 'C1',
      }),
      { kind: 'text', text: 'Child: Child A (reference C1)' },
    )
    const choice = f({
      kind: 'multiple-choice',
      options: [
        { value: 'a', label: 'Apples' },
        { value: 'b', label: 'Pears' },
      ],
    } as Partial<Field> & Pick<Field, 'kind'>)
    assert.deepEqual(displayValue(choice, ['b', 'a']), { kind: 'list', items: ['Apples', 'Pears'] })
  })

  test('CA-08: tables become rows of labelled cells; signature blocks are left out', () => {
    const t = templateById('ca-supervision-record')!
    const sections = displaySections(
      t,
      {
        caseManagement: [{ case: 'Child A', advice: 'Refer', agreedActions: 'This week' }],
      },
      { skipFieldIds: ['agreedFurtherActions'] },
    )
    const table = sections.flatMap((s) => s.fields).find((x) => x.id === 'caseManagement')!
    assert.deepEqual(displayLines(table.display), [
      '1. Case management: Child A; Advice: Refer; Agreed actions: This week',
    ])
    const ids = sections.flatMap((s) => s.fields).map((x) => x.id)
    assert.ok(!ids.includes('signatures'))
    assert.ok(!ids.includes('agreedFurtherActions'))
    assert.equal(sections.flatMap((s) => s.fields).find((x) => x.id === 'summary')!.blank, true)
  })
})
