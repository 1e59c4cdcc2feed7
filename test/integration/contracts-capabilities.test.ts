/**
 * Who signs a contract follows what people may do (issue 14, ADR 25; MW-02, X-05): at a nursery
 * run by a committee (an invented policy: Little Acorns with a contract), the committee chair, not
 * an employee, supervises the manager but may not sign. She is not asked to sign the manager's
 * contract, cannot sign it, and the contract comes into force with the manager's signature alone.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { type PolicyDocument, parsePolicy } from '../../src/domain/policy/index.ts'
import { ADMIN_PASSWORD, insertOrganisation } from '../builders/organisation.ts'
import {
  addPerson,
  type ContractsTestApp,
  emailOf,
  formValues,
  issueContract,
  now,
  pdfText,
  sessionFor,
} from '../helpers/contracts.ts'
import { textOf } from '../helpers/html.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'

/** Little Acorns (test/fixtures/policies) with a contract of its own, signed by both parties. */
function acornsWithContract(): PolicyDocument {
  const file = path.join(import.meta.dirname, '../fixtures/policies/little-acorns-nursery.json')
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  return parsePolicy(
    {
      ...raw,
      effectiveFrom: '2020-09-01',
      templates: { contract: 'mw-contract', records: [] },
      contract: {
        issuedAt: 'start-of-academic-year',
        signedBy: ['supervisee', 'supervisor'],
        returnTo: ['dsl'],
        reviewEvery: { amount: 1, unit: 'years' },
        venue: 'The nursery office',
        preparation: null,
      },
    },
    'little-acorns-with-contract',
  )
}

test('X-05, MW-02: a committee chair who may not sign is not asked to sign the manager’s contract, cannot sign it, and it comes into force without her', async (t) => {
  const built = await buildTestApp(t, {}, { clock: () => now })
  const db = built.database.db
  const policy = acornsWithContract()
  const org = await insertOrganisation(db, { policy, schoolName: policy.metadata.school, alsoDsl: true })
  await relaxTwoStep(db, org.organisationId, org.personId)
  const s: ContractsTestApp = { ...built, org, dsl: await signedInClient(built.app, db, org.personId) }

  // The chair, through the page for people who are not staff: she may supervise, not sign.
  const added = await s.dsl.post('/staff/others/new', {
    kind: 'committee-chair',
    name: 'Carol Chambers',
    email: emailOf('Carol Chambers'),
    jobTitle: 'Chair of the management committee',
    organisationName: 'Little Acorns Management Committee',
    roles: ['committee-chair'],
    capabilities: ['supervise'],
    'accessEndsOn-day': '',
    'accessEndsOn-month': '',
    'accessEndsOn-year': '',
  })
  assert.equal(added.statusCode, 303, added.body.slice(0, 2000))
  const chair = /\/staff\/([0-9a-f-]{36})/.exec(String(added.headers.location))?.[1]
  assert.ok(chair)
  await db
    .insertInto('account')
    .values({
      person_id: chair,
      password_hash: (await db.selectFrom('account').select('password_hash').executeTakeFirstOrThrow()).password_hash,
    })
    .execute()
  const manager = await addPerson(s, { name: 'Maya Moss', roles: ['nursery-manager'], supervisorId: chair })

  const contractId = await issueContract(s, manager, { supervisorId: chair })
  const issued = await db.selectFrom('contract').selectAll().where('id', '=', contractId).executeTakeFirstOrThrow()
  assert.equal(issued.supervisor_id, chair)
  assert.equal(issued.status, 'issued')

  // Only the manager is asked to sign.
  const asked = await db.selectFrom('outbox_message').select(['to_address as recipient']).execute()
  assert.ok(
    asked.some((m) => m.recipient === emailOf('Maya Moss')),
    'the manager is asked to sign',
  )
  assert.ok(!asked.some((m) => m.recipient === emailOf('Carol Chambers')), 'the chair is not asked to sign')
  const page = textOf((await s.dsl.get(`/contracts/${contractId}`)).body, 'main')
  assert.match(page, /Still to sign Supervisee Returned to/)
  assert.doesNotMatch(page, /Supervisor Carol Chambers, Chair of the management committee Not yet signed/)

  // The school's list waits for the manager alone.
  const list = textOf((await s.dsl.get('/contracts')).body, 'main')
  const still = /Maya Moss Carol Chambers \S+ Waiting for signatures (.*?) \d{1,2} [A-Z][a-z]+ \d{4}/.exec(list)?.[1]
  assert.equal(still, 'Supervisee', list)

  // The chair may read it as a party, but not sign it.
  const carol = await sessionFor(s, chair)
  assert.equal((await carol.get(`/contracts/${contractId}`)).statusCode, 200)
  assert.doesNotMatch(textOf((await carol.get(`/contracts/${contractId}`)).body, 'main'), /You have still to sign/)
  assert.notEqual((await carol.get(`/contracts/${contractId}/sign`)).statusCode, 200)

  // The manager's signature alone brings it into force.
  const maya = await sessionFor(s, manager)
  const signPage = await maya.get(`/contracts/${contractId}/sign`)
  assert.equal(signPage.statusCode, 200)
  const signed = await maya.post(`/contracts/${contractId}/sign`, {
    ...formValues(signPage.body, `/contracts/${contractId}/sign`),
    password: ADMIN_PASSWORD,
  })
  assert.equal(signed.statusCode, 303, signed.body.slice(0, 1000))
  const row = await db.selectFrom('contract').selectAll().where('id', '=', contractId).executeTakeFirstOrThrow()
  assert.equal(row.status, 'signed', 'in force with the signatures of those who may sign')
  const signatures = await db.selectFrom('contract_signature').select(['role', 'person_id']).execute()
  assert.deepEqual(signatures, [{ role: 'supervisee', person_id: manager }])

  // The PDF has no line for the chair's signature.
  const pdf = pdfText((await s.dsl.get(`/contracts/${contractId}/contract.pdf`)).rawPayload)
  assert.match(pdf, /Supervisee: Maya Moss Role: Nursery manager Signed on/)
  assert.doesNotMatch(pdf, /Supervisor: Carol Chambers Role:/)
  assert.match(pdf, /Signed by every party who signs: in force/)
})
