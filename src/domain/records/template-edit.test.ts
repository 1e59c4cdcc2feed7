import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { templateById } from '../../packs/templates.ts'
import { copyTemplate, fieldIdPattern, nextVersion, type Template, validateTemplate } from './template.ts'
import {
  addField,
  addSection,
  camelId,
  changeField,
  changeSection,
  columnLines,
  describePath,
  idProblem,
  optionValueOf,
  parseColumnLines,
  parseOptionLines,
  parseSignatoryLines,
  removeField,
  removeSection,
  uniqueId,
  usedIds,
} from './template-edit.ts'

const original = templateById('ca-supervision-record')!
const copy = (): Template => copyTemplate(original, 'oakfield-supervision-record', 'Oakfield supervision record')

describe('editing a school’s own template', () => {
  test('X-01: add, change and remove a section; the template given is never changed', () => {
    const before = copy()
    const snapshot = structuredClone(before)
    const added = addSection(before, { id: 'wellbeing', title: 'Wellbeing', fields: [] }, 'details')
    assert.deepEqual(before, snapshot)
    assert.equal(added.sections[1]!.id, 'wellbeing')
    assert.equal(validateTemplate(added).ok, true)
    const changed = changeSection(added, 'wellbeing', { title: 'Wellbeing and workload', hint: 'How are you?' })
    assert.equal(changed.sections[1]!.title, 'Wellbeing and workload')
    assert.equal(changed.sections[1]!.hint, 'How are you?')
    assert.equal(changeSection(changed, 'wellbeing', { title: 'W', hint: '' }).sections[1]!.hint, undefined)
    const removed = removeSection(changed, 'wellbeing')
    assert.deepEqual(
      removed.sections.map((s) => s.id),
      before.sections.map((s) => s.id),
    )
    assert.throws(() => removeSection(before, 'nope'), /no section called nope/)
  })

  test('X-01: add, change and remove fields of every kind, and each result is valid', () => {
    let t = copy()
    const fields = [
      { id: 'venue', kind: 'short-text', label: 'Venue', required: false },
      { id: 'reflections', kind: 'long-text', label: 'Reflections', required: true, maxLength: 5000 },
      { id: 'nextDate', kind: 'date', label: 'Next date', required: false, notInFuture: false },
      { id: 'nextTime', kind: 'time', label: 'Next time', required: false },
      { id: 'declaration', kind: 'yes-no', label: 'Any declaration?', required: true },
      {
        id: 'mood',
        kind: 'single-choice',
        label: 'Mood',
        required: false,
        options: parseOptionLines('Good\nOK\nPoor'),
      },
      {
        id: 'topics',
        kind: 'multiple-choice',
        label: 'Topics',
        required: false,
        options: parseOptionLines('Cases\nTraining'),
      },
      { id: 'confidence', kind: 'scale', label: 'Confidence', required: false, min: 0, max: 10 },
      { id: 'witness', kind: 'person', label: 'Witness', required: false },
      { id: 'family', kind: 'child-or-family', label: 'Family', required: false, allow: ['family'] },
      {
        id: 'risks',
        kind: 'table',
        label: 'Risks',
        required: false,
        columns: parseColumnLines('Risk | long answer\nOwner | person | optional').items,
      },
      { id: 'moreActions', kind: 'actions', label: 'More actions', required: false, requireOwner: true },
      {
        id: 'themes',
        kind: 'framework-tags',
        label: 'Themes',
        required: false,
        framework: 'oakfield-themes',
        options: parseOptionLines('Workload\nCases'),
      },
      {
        id: 'witnessSignatures',
        kind: 'signatures',
        label: 'Witnessed',
        required: false,
        signatories: parseSignatoryLines('Witness'),
      },
    ] as const
    for (const field of fields) {
      t = addField(t, 'review', structuredClone(field) as never)
      const checked = validateTemplate(t)
      assert.equal(checked.ok, true, `${field.kind}: ${JSON.stringify(checked.ok ? [] : checked.problems)}`)
    }
    t = changeField(t, 'mood', {
      id: 'mood',
      kind: 'single-choice',
      label: 'Mood today',
      required: true,
      options: parseOptionLines('Good\nPoor'),
    })
    const mood = t.sections.find((s) => s.id === 'review')!.fields.find((f) => f.id === 'mood')!
    assert.equal(mood.label, 'Mood today')
    for (const field of fields) t = removeField(t, field.id)
    assert.deepEqual(t, copy())
  })

  test('X-01: a broken edit is caught by validateTemplate, with a path that says where in words', () => {
    const t = addField(copy(), 'review', {
      id: 'summary',
      kind: 'single-choice',
      label: 'Summary again',
      required: false,
      options: [
        { value: 'a', label: 'A' },
        { value: 'a', label: 'A again' },
      ],
    })
    const checked = validateTemplate(t)
    assert.equal(checked.ok, false)
    if (checked.ok) return
    const paths = checked.problems.map((p) => p.path)
    assert.ok(paths.includes('sections.1.fields.4.id'), paths.join(', '))
    assert.ok(paths.includes('sections.1.fields.4.options.1.value'), paths.join(', '))
    assert.equal(
      describePath(t, 'sections.1.fields.4.options.1.value'),
      'Section 2 (Review), field “Summary again”, options.1.value',
    )
    assert.equal(describePath(t, ''), 'The template')
  })

  test('X-01: saving an edit makes the next version; past versions are untouched', () => {
    const v1 = copy()
    const edited = addSection(v1, { id: 'extra', title: 'Extra', fields: [] })
    const v2 = nextVersion(v1, edited)
    assert.equal(v2.version, 2)
    assert.equal(v1.version, 1)
    assert.equal(v1.sections.length + 1, v2.sections.length)
  })

  test('ids and option values are made from labels, unique and well formed (property)', () => {
    assert.equal(camelId('Date of birth'), 'dateOfBirth')
    assert.equal(camelId('1. Welcome'), 'welcome')
    assert.equal(camelId('!!!'), 'field')
    assert.equal(uniqueId('Summary', usedIds(copy())), 'summary2')
    assert.equal(optionValueOf('Multi-agency'), 'multi-agency')
    assert.equal(optionValueOf('Zoë’s  Group!'), 'zoe-s-group')
    assert.equal(idProblem('summary', usedIds(copy())), 'The id summary is already used in this template')
    assert.match(idProblem('Bad id', new Set()) ?? '', /must start with a lower-case letter/)
    assert.equal(idProblem('fine', new Set()), null)
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
        (label, others) => {
          const taken = new Set(others.map((o) => camelId(o)))
          const id = uniqueId(label, taken)
          assert.match(id, fieldIdPattern)
          assert.equal(taken.has(id), false)
          assert.match(optionValueOf(label), /^[a-z0-9]+(?:-[a-z0-9]+)*$/)
        },
      ),
    )
  })

  test('table columns, options and signatories are written one per line and read back', () => {
    const parsed = parseColumnLines(
      'Case\nAdvice | long answer | optional\nRisk | choice | required | Low; Medium; High\n',
    )
    assert.deepEqual(parsed.problems, [])
    assert.deepEqual(
      parsed.items.map((c) => [c.id, c.kind, c.required, (c.options ?? []).map((o) => o.value).join(',')]),
      [
        ['case', 'short-text', true, ''],
        ['advice', 'long-text', false, ''],
        ['risk', 'single-choice', true, 'low,medium,high'],
      ],
    )
    assert.equal(
      columnLines(parsed.items),
      'Case | short answer | required\nAdvice | long answer | optional\nRisk | choice | required | Low; Medium; High',
    )
    assert.deepEqual(parseColumnLines(columnLines(parsed.items)).items, parsed.items)
    const bad = parseColumnLines('Case | colour\nRisk | choice\n | date\nX | date | maybe')
    assert.deepEqual(bad.problems, [
      'The kind of column on line 1 must be one of: short answer, long answer, date, time, yes or no, person, choice',
      'List the choices for the column on line 2, separated by semicolons',
      'Enter a column name on line 3',
      'Write “optional” or “required” after the kind on line 4',
    ])
    const existing = original.sections.find((s) => s.id === 'caseManagementSection')!.fields[0]!
    if (existing.kind !== 'table') throw new Error('expected a table')
    const kept = parseColumnLines(columnLines(existing.columns), existing.columns).items
    assert.deepEqual(
      kept.map((c) => c.id),
      ['case', 'advice', 'agreedActions'],
      'existing columns keep their ids',
    )
    assert.deepEqual(parseSignatoryLines('Supervisee\nSupervisor\nSupervisor'), [
      { id: 'supervisee', label: 'Supervisee' },
      { id: 'supervisor', label: 'Supervisor' },
      { id: 'supervisor2', label: 'Supervisor' },
    ])
  })
})

describe('a section shown by who the supervisor is (issue 14)', () => {
  test('changeSection sets a condition, keeps it when none is given, and removes it with "always"', () => {
    const sectionId = copy().sections[0]!.id
    const set = changeSection(copy(), sectionId, { title: 'T', showWhen: 'supervisor-is-not-line-manager' })
    assert.equal(set.sections[0]!.showWhen, 'supervisor-is-not-line-manager')
    assert.equal(validateTemplate(set).ok, true)
    assert.equal(changeSection(set, sectionId, { title: 'T' }).sections[0]!.showWhen, 'supervisor-is-not-line-manager')
    assert.equal(changeSection(set, sectionId, { title: 'T', showWhen: 'always' }).sections[0]!.showWhen, undefined)
  })
})
