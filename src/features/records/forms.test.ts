import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseForm } from '../../forms/form.ts'
import { preparationForm, readDraftVersion, textPageForm } from './forms.ts'

test('a comment is trimmed, its line endings made \\n, and refused when empty or too long', () => {
  assert.deepEqual(parseForm(textPageForm('comment'), { text: ' one\r\ntwo ', thirdPersonId: '' }), {
    ok: true,
    value: { text: 'one\ntwo', thirdPersonId: '' },
  })
  const empty = parseForm(textPageForm('comment'), { text: '  ' })
  assert.equal(empty.ok ? '' : empty.errors.fields['text']?.text, 'Enter your comment')
  const long = parseForm(textPageForm('addendum'), { text: 'x'.repeat(10_001) })
  assert.equal(long.ok ? '' : long.errors.fields['text']?.text, 'The addendum must be 10000 characters or fewer')
})

test('the third person of a disagreement is someone from the list or nobody yet', () => {
  const form = parseForm(textPageForm('disagree'), { text: 'x', thirdPersonId: 'not-an-id' })
  assert.equal(form.ok ? '' : form.errors.fields['thirdPersonId']?.text, 'Select a person from the list')
})

test('the draft version is a whole number or the form is refused', () => {
  assert.equal(readDraftVersion({ draftVersion: '12' }), 12)
  assert.equal(readDraftVersion({ draftVersion: '1e3' }), null)
  assert.equal(readDraftVersion({}), null)
})

test('preparation drops blank rows and names the case that needs a name', () => {
  const ok = parseForm(preparationForm, {
    version: '3',
    'agenda-0-text': 'Workload',
    'agenda-1-text': '',
    'cases-0-name': 'A family',
    'cases-0-kind': 'family',
    'cases-1-name': '',
  })
  assert.ok(ok.ok)
  if (ok.ok) {
    assert.equal(ok.value.version, 3)
    assert.deepEqual(ok.value.agenda, ['Workload'])
    assert.equal(ok.value.cases.length, 1)
    assert.equal(ok.value.cases[0]?.kind, 'family')
  }
  const nameless = parseForm(preparationForm, { version: '0', 'cases-0-notes': 'Something' })
  assert.equal(
    nameless.ok ? '' : nameless.errors.fields['cases-0-name']?.text,
    'Enter the name of the child or family for case 1',
  )
  const stale = parseForm(preparationForm, { version: 'x' })
  assert.ok(!stale.ok && stale.errors.fields['version'])
})
