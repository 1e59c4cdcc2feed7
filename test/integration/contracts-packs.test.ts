/**
 * Contracts from another school's policy (issue 8; AM-05): Ashbury Meadow's contract names both
 * parties with their roles, the agreed and review dates, half-termly one-hour sessions or sooner
 * on request, the venue, preparation, who notifies a cancellation, confidentiality and its
 * exceptions, and the dispute route; any stricter frequency may be agreed, never a looser one.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { academicYearIdFor } from '../../src/domain/calendar/index.ts'
import { addDuration } from '../../src/domain/policy/index.ts'
import { formatDate } from '../../src/presenters/format.ts'
import { addPerson, contractIdFrom, contractsTestApp, formValues, today } from '../helpers/contracts.ts'
import { html, textOf } from '../helpers/html.ts'

const year = academicYearIdFor(today)

test('AM-05: the Ashbury Meadow contract has every clause the policy names, and agrees only stricter frequencies', async (t) => {
  const s = await contractsTestApp(t, 'ashbury-meadow')
  const principal = await addPerson(s, { name: 'Pat Principal', roles: ['headteacher'], jobTitle: 'Principal' })
  await s.database.db
    .updateTable('person')
    .set({ line_manager_id: principal })
    .where('id', '=', s.org.personId)
    .execute()
  const deputy = await addPerson(s, {
    name: 'Dev Deputy',
    roles: ['deputy-dsl'],
    jobTitle: 'Deputy DSL',
    supervisorId: s.org.personId,
  })

  // Everyone in scope (the DSL and deputy DSLs) gets one.
  const bulk = await s.dsl.get(`/contracts/issue?year=${year}`)
  const issued = await s.dsl.post(`/contracts/issue?year=${year}`, formValues(bulk.body), {
    formPage: `/contracts/issue?year=${year}`,
  })
  assert.equal(issued.statusCode, 303, issued.body.slice(0, 2000))
  assert.equal(issued.headers.location, '/contracts?status=issued&issued=2')

  const row = await s.database.db
    .selectFrom('contract')
    .selectAll()
    .where('supervisee_id', '=', s.org.personId)
    .executeTakeFirstOrThrow()
  assert.equal(row.template_id, 'am-contract')
  const page = await s.dsl.get(`/contracts/${row.id}`)
  const text = html(page.body).querySelector('main')!.textContent.replace(/\s+/g, ' ')
  const review = formatDate(addDuration(today, { amount: 1, unit: 'years' }))
  for (const expected of [
    'Supervisee: Amira Khan, Designated safeguarding lead.',
    'Supervisor: Pat Principal, Principal.',
    `Agreed date: ${formatDate(today)}. Review date: ${review}.`,
    'Safeguarding supervision will be undertaken at least once each half term, or sooner if requested, and will be for about an hour.',
    'The venue will be A private and uninterrupted space during the working day.',
    'The preparation for supervision will include identifying cases to discuss and starting reflection on these.',
    'Each party in the agreement has the responsibility to notify the other in the event of cancellation or postponement.',
    'child protection concerns about the supervisee, which need to be referred on',
    'information that could bring the school into disrepute',
    'a potential disciplinary matter',
    'whistleblowing',
    'the local authority (MCC) safeguarding team will be consulted with the agreement of both parties',
    'If the disagreement is with the Principal, it will be referred to the Chair of Governors',
  ]) {
    assert.ok(text.includes(expected), `expected to find: ${expected}`)
  }
  // Signatures: name and role of each party, to be signed.
  const signatures = html(page.body)
    .querySelectorAll('table')[0]!
    .querySelectorAll('tbody tr')
    .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
  assert.deepEqual(signatures, [
    'Supervisee Amira Khan, Designated safeguarding lead Not yet signed',
    'Supervisor Pat Principal, Principal Not yet signed',
  ])

  // A stricter frequency for the deputy: any may be agreed, never a looser one.
  const deputyContract = await s.database.db
    .selectFrom('contract')
    .select('id')
    .where('supervisee_id', '=', deputy)
    .executeTakeFirstOrThrow()
  const edit = await s.dsl.get(`/contracts/${deputyContract.id}/edit`)
  assert.deepEqual(
    html(edit.body)
      .querySelectorAll('input[name=frequency]')
      .map((r) => r.getAttribute('value')),
    ['policy', 'custom'],
  )
  const fields = formValues(edit.body)
  const looser = await s.dsl.post(`/contracts/${deputyContract.id}/edit`, {
    ...fields,
    frequency: 'custom',
    customEvery: '2',
    customUnit: 'terms',
  })
  assert.equal(looser.statusCode, 400)
  assert.equal(
    textOf(looser.body, '#customEvery-error'),
    'Error: The agreed frequency must be at least as often as the policy requires: once each half term',
  )
  const stricter = await s.dsl.post(`/contracts/${deputyContract.id}/edit`, {
    ...fields,
    frequency: 'custom',
    customEvery: '3',
    customUnit: 'weeks',
  })
  assert.equal(stricter.statusCode, 303, stricter.body.slice(0, 1500))
  const newPage = await s.dsl.get(`/contracts/${contractIdFrom(stricter.headers.location)}`)
  assert.match(
    newPage.body,
    /Safeguarding supervision will be undertaken at least every 3 weeks of term time, or sooner if requested/,
  )
})
