import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { builtInTemplates } from '../../packs/templates.ts'
import { checkRecord, newRecordDocument, type SessionSnapshot } from './record.ts'
import { type Template, validateTemplate } from './template.ts'
import {
  conditionHolds,
  filedToStaffFile,
  hiddenFieldIds,
  staffFileFields,
  supervisionFactsOf,
  visibleTemplate,
  withoutHiddenValues,
} from './template-conditions.ts'

/** An invented template: a conduct check asked only where the supervisor is not the line manager. */
const conductTemplate = (): Template => ({
  id: 'invented-conduct-record',
  version: 1,
  name: 'Supervision with conduct check',
  kind: 'record',
  description: 'An invented record template.',
  sections: [
    {
      id: 'discussion',
      title: 'Discussion',
      fields: [{ id: 'summary', kind: 'long-text', label: 'Summary', required: true }],
    },
    {
      id: 'conduct',
      title: 'Conduct',
      fields: [
        {
          id: 'conductCheck',
          kind: 'yes-no',
          label: 'Has anything about your conduct changed that the school should know?',
          errorName: 'whether anything about your conduct has changed',
          required: true,
          showWhen: 'supervisor-is-not-line-manager',
          fileTo: 'staff-file',
        },
        {
          id: 'managementNote',
          kind: 'long-text',
          label: 'Line management note',
          required: true,
          showWhen: 'supervisor-is-line-manager',
        },
      ],
    },
    {
      id: 'external',
      title: 'Clinical supervision',
      showWhen: 'supervisor-is-external',
      fields: [{ id: 'clinicalNote', kind: 'long-text', label: 'Clinical note', required: true }],
    },
  ],
})

const lineManaged = { supervisorIsLineManager: true, supervisorIsExternal: false }
const notLineManaged = { supervisorIsLineManager: false, supervisorIsExternal: false }
const external = { supervisorIsLineManager: false, supervisorIsExternal: true }

const session = (facts: SessionSnapshot['supervision']): SessionSnapshot => ({
  date: '2026-11-02',
  startTime: null,
  typeId: 'one-to-one',
  typeName: 'Supervision',
  group: false,
  supervisors: [{ personId: 'a', name: 'Ann', attended: true }],
  supervisees: [{ personId: 'b', name: 'Ben', attended: true }],
  ...(facts ? { supervision: facts } : {}),
})

describe('supervision conditions on template items (issue 14)', () => {
  test('the invented template with conditions and a staff-file item is valid', () => {
    const result = validateTemplate(conductTemplate())
    assert.equal(result.ok, true, JSON.stringify(result))
  })

  test('an unknown condition is named by its path', () => {
    const t = conductTemplate() as unknown as { sections: { showWhen?: string; fields: { showWhen?: string }[] }[] }
    t.sections[1]!.fields[0]!.showWhen = 'supervisor-is-headteacher'
    t.sections[2]!.showWhen = 'sometimes'
    const result = validateTemplate(t)
    assert.equal(result.ok, false)
    if (result.ok) return
    const paths = result.problems.map((p) => p.path)
    assert.ok(paths.includes('sections.1.fields.0.showWhen'), JSON.stringify(result.problems))
    assert.ok(paths.includes('sections.2.showWhen'))
    assert.match(
      result.problems.find((p) => p.path === 'sections.2.showWhen')!.message,
      /supervisor-is-not-line-manager/,
    )
  })

  test('an actions field cannot be hidden, and only a record template is filed', () => {
    const t = conductTemplate()
    t.sections[0]!.fields.push({
      id: 'agreed',
      kind: 'actions',
      label: 'Actions',
      required: false,
      showWhen: 'supervisor-is-external',
    })
    const contract = { ...conductTemplate(), kind: 'contract' as const, fileTo: 'staff-file' as const }
    const a = validateTemplate(t)
    const b = validateTemplate(contract)
    assert.ok(!a.ok && a.problems.some((p) => p.path === 'sections.0.fields.1.showWhen'))
    assert.ok(!b.ok && b.problems.some((p) => p.path === 'fileTo'))
    const badDestination = validateTemplate({ ...conductTemplate(), fileTo: 'the-bin' })
    assert.ok(!badDestination.ok && badDestination.problems.some((p) => p.path === 'fileTo'))
  })

  test('the supervisor is the line manager only when every supervisee is line managed by a supervisor', () => {
    const ann = { personId: 'ann', lineManagerId: null, external: false }
    const ext = { personId: 'ext', lineManagerId: null, external: true }
    const ben = { personId: 'ben', lineManagerId: 'ann', external: false }
    const cat = { personId: 'cat', lineManagerId: 'dan', external: false }
    const noManager = { personId: 'eve', lineManagerId: null, external: false }
    assert.deepEqual(supervisionFactsOf([ann], [ben]), lineManaged)
    assert.deepEqual(supervisionFactsOf([ann], [ben, cat]), notLineManaged)
    assert.deepEqual(supervisionFactsOf([ann], [noManager]), notLineManaged)
    assert.deepEqual(supervisionFactsOf([ext], [ben]), external)
  })

  test('no condition or unknown facts: shown', () => {
    assert.equal(conditionHolds(undefined, notLineManaged), true)
    assert.equal(conditionHolds('supervisor-is-line-manager', null), true)
    assert.equal(conditionHolds('supervisor-is-not-external', external), false)
    assert.equal(conditionHolds('supervisor-is-not-external', lineManaged), true)
  })

  test('the conduct check shows only where the supervisor is not the line manager', () => {
    assert.deepEqual(hiddenFieldIds(conductTemplate(), notLineManaged), ['managementNote', 'clinicalNote'])
    assert.deepEqual(hiddenFieldIds(conductTemplate(), lineManaged), ['conductCheck', 'clinicalNote'])
    assert.deepEqual(hiddenFieldIds(conductTemplate(), external), ['managementNote'])
    assert.deepEqual(hiddenFieldIds(conductTemplate(), null), [])
    const shown = visibleTemplate(conductTemplate(), lineManaged)
    assert.deepEqual(
      shown.sections.map((s) => s.id),
      ['discussion', 'conduct'],
    )
  })

  test('completing requires only the visible items', () => {
    const t = conductTemplate()
    const options = { mode: 'complete' as const, previousActions: [], boundaryRequired: false }
    const doc = newRecordDocument(t, session(lineManaged))
    doc.values['summary'] = 'Talked'
    doc.values['managementNote'] = 'Fine'
    const shown = (facts: typeof lineManaged) => ({ ...doc, values: withoutHiddenValues(t, facts, doc.values) })
    assert.deepEqual(checkRecord(visibleTemplate(t, lineManaged), shown(lineManaged), options), {})
    // The same answers where the supervisor is not the line manager: the conduct check is asked.
    const errors = checkRecord(visibleTemplate(t, notLineManaged), shown(notLineManaged), options)
    assert.deepEqual(Object.keys(errors), ['conductCheck'])
    assert.match(errors['conductCheck']!, /conduct/)
    // Breaking the rule (validating the whole template) would ask for every item.
    assert.ok(Object.keys(checkRecord(t, doc, options)).length > 1)
  })

  test('the conduct check goes to the staff file only when it was asked and answered', () => {
    const t = conductTemplate()
    const answered = () => true
    assert.deepEqual(
      staffFileFields(t, notLineManaged, answered).map((f) => f.id),
      ['conductCheck'],
    )
    assert.equal(filedToStaffFile(t, lineManaged, answered), false)
    assert.equal(
      filedToStaffFile(t, notLineManaged, () => false),
      false,
    )
    assert.equal(
      filedToStaffFile({ ...t, fileTo: 'staff-file' }, lineManaged, () => false),
      true,
    )
  })

  test('the pack templates stay valid and show every item in every relationship', () => {
    for (const template of builtInTemplates()) {
      assert.equal(validateTemplate(template).ok, true, template.id)
      for (const facts of [lineManaged, notLineManaged, external]) {
        assert.deepEqual(hiddenFieldIds(template, facts), [], template.id)
        assert.equal(
          filedToStaffFile(template, facts, () => true),
          false,
          template.id,
        )
      }
    }
  })

  test('a pack template copied by a school can carry a condition', () => {
    const pack = builtInTemplates().find((t) => t.kind === 'record')!
    const copy = structuredClone(pack)
    copy.sections[0]!.fields[0]!.showWhen = 'supervisor-is-not-line-manager'
    assert.equal(validateTemplate(copy).ok, true)
    assert.deepEqual(hiddenFieldIds(copy, lineManaged), [copy.sections[0]!.fields[0]!.id])
  })
})
