import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readSetupForm } from './forms.ts'

const base = {
  organisationKind: 'single-school',
  schoolName: 'Riverside Primary School',
  schoolSlug: 'riverside',
  region: 'england-and-wales',
  packId: 'meanwood',
  adminName: 'Jo Adams',
  adminEmail: 'jo.adams@riverside.example',
  password: 'correct horse battery staple riverside',
}

test('issue 14, X-08: the policy lead, approval and review date are optional at set-up', () => {
  const form = readSetupForm(base)
  assert.ok(form.ok, JSON.stringify(form))
  assert.equal(form.value.policyLead, null)
  assert.equal(form.value.approvedBy, null)
  assert.equal(form.value.approvedOn, null)
  assert.equal(form.value.nextReviewDue, null)
})

test('issue 14, X-08: given, they are read; the next review must come after the approval, naming the field', () => {
  const given = readSetupForm({
    ...base,
    policyLead: ' Jo Adams ',
    approvedBy: 'The governing body',
    'approvedOn-day': '20',
    'approvedOn-month': '11',
    'approvedOn-year': '2026',
    'nextReviewDue-day': '20',
    'nextReviewDue-month': '11',
    'nextReviewDue-year': '2027',
  })
  assert.ok(given.ok, JSON.stringify(given))
  assert.equal(given.value.policyLead, 'Jo Adams')
  assert.equal(given.value.approvedOn, '2026-11-20')
  assert.equal(given.value.nextReviewDue, '2027-11-20')

  const backwards = readSetupForm({
    ...base,
    'approvedOn-day': '20',
    'approvedOn-month': '11',
    'approvedOn-year': '2026',
    'nextReviewDue-day': '1',
    'nextReviewDue-month': '1',
    'nextReviewDue-year': '2026',
  })
  assert.equal(backwards.ok, false)
  assert.deepEqual(!backwards.ok && backwards.errors.summary, [
    { text: 'Date of the next review must be after the date the policy was approved', href: '#nextReviewDue-day' },
  ])
})
