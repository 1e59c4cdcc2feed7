/**
 * One step-up for signing (issue 13, point 5, ASVS V2.2): signing a record and signing
 * a contract ask the signer to prove it is them again in one way. Their password, or a fresh code
 * from their authenticator app; one throttle per person whichever they sign, so failures on one
 * count toward the other; every failure and success audited alike; and neither signing service
 * signs without the proof the step-up gives, which nothing else can make.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { totpCode } from '../../src/domain/auth/totp.ts'
import { signContract } from '../../src/services/contracts/signing.ts'
import { signRecord } from '../../src/services/records/records.ts'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import {
  addPerson,
  type ContractsTestApp,
  contractsTestApp,
  enableTwoStep,
  formValues,
  issueContract,
  sessionFor,
  signInAs,
  today,
} from '../helpers/contracts.ts'
import { textOf } from '../helpers/html.ts'
import { completedRecord, insertSession, passStepUp } from '../helpers/records.ts'

const mailer = { baseUrl: 'http://localhost:3000' }
const WRONG = 'not my password at all'

describe('step-up before signing', () => {
  let s: ContractsTestApp
  const ids: Record<string, string> = {}
  let esme: Client
  let hana: Client
  let hanaSecret: string
  let contractId: string
  let recordId: string
  let shownHash: string
  const cleanup: ((...args: never[]) => unknown)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })

  const signatures = async () => ({
    records: (await s.database.db.selectFrom('record_signature').select('person_id').execute()).map((r) => r.person_id),
    contracts: (await s.database.db.selectFrom('contract_signature').select('person_id').execute()).map(
      (r) => r.person_id,
    ),
  })

  /** The step-up entries of the audit log for one person, oldest first. */
  async function stepUps(personId: string) {
    return s.database.db
      .selectFrom('audit_event')
      .select(['action', 'subject_type', 'subject_id', 'actor_id', 'organisation_id', 'detail'])
      .where('actor_id', '=', personId)
      .where('action', 'like', 'auth.%')
      .orderBy('id')
      .execute()
  }

  async function signRecordPage(browser: Client, fields: Record<string, string>) {
    const page = await browser.get(`/records/${recordId}/sign`)
    assert.equal(page.statusCode, 200, page.body.slice(0, 500))
    return browser.post(
      `/records/${recordId}/sign`,
      { ...formValues(page.body, `/records/${recordId}/sign`), ...fields },
      { formPage: `/records/${recordId}/sign` },
    )
  }

  async function signContractPage(browser: Client, fields: Record<string, string>) {
    const page = await browser.get(`/contracts/${contractId}/sign`)
    assert.equal(page.statusCode, 200, page.body.slice(0, 500))
    return browser.post(
      `/contracts/${contractId}/sign`,
      { hash: formValues(page.body, `/contracts/${contractId}/sign`).hash!, ...fields },
      { formPage: `/contracts/${contractId}/sign` },
    )
  }

  before(async () => {
    s = await contractsTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    ids.hana = await addPerson(s, { name: 'Hana Head', roles: ['headteacher'], jobTitle: 'Headteacher' })
    ids.esme = await addPerson(s, {
      name: 'Esme Ward',
      roles: ['eyfs-practitioner'],
      jobTitle: 'EYFS practitioner',
      lineManagerId: ids.hana,
    })
    hanaSecret = await enableTwoStep(s, ids.hana)
    esme = await signInAs(s, 'Esme Ward')
    hana = await sessionFor(s, ids.hana)

    // A contract between them, and the completed record of a session she held with him, both waiting for their signatures.
    contractId = await issueContract(s, ids.esme)
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'one-to-one',
      date: today,
      supervisors: [ids.hana],
      supervisees: [ids.esme],
    })
    ;({ recordId, contentHash: shownHash } = await completedRecord(s.database.db, {
      sessionId,
      schoolId: s.org.schoolId,
      date: today,
      supervisor: { personId: ids.hana, name: 'Hana Head', organisationId: s.org.organisationId },
      summary: 'We discussed attendance.',
      mailer,
    }))
  })

  test('X-05: a wrong password is audited alike whether signing a record or a contract, and so is the right one', async () => {
    // A blank field is not an attempt: the form asks for it, nothing is counted or audited.
    for (const blank of [
      await signContractPage(esme, { method: 'password', password: '' }),
      await signRecordPage(esme, { password: '' }),
    ]) {
      assert.equal(blank.statusCode, 400)
      assert.equal(textOf(blank.body, '#password-error'), 'Error: Enter your password')
    }
    const wrongContract = await signContractPage(esme, { method: 'password', password: WRONG })
    assert.equal(wrongContract.statusCode, 400)
    const wrongRecord = await signRecordPage(esme, { password: WRONG })
    assert.equal(wrongRecord.statusCode, 400)
    assert.deepEqual(await signatures(), { records: [], contracts: [] })

    const failed = await stepUps(ids.esme!)
    assert.deepEqual(
      failed.map((e) => [e.action, e.subject_type, e.subject_id, e.organisation_id, e.detail]),
      [
        [
          'auth.step-up-failed',
          'account',
          ids.esme,
          s.org.organisationId,
          { purpose: 'sign-contract', method: 'password', reason: 'wrong', targetId: contractId },
        ],
        [
          'auth.step-up-failed',
          'account',
          ids.esme,
          s.org.organisationId,
          { purpose: 'sign-record', method: 'password', reason: 'wrong', targetId: recordId },
        ],
      ],
    )

    assert.equal((await signContractPage(esme, { method: 'password', password: ADMIN_PASSWORD })).statusCode, 303)
    assert.equal((await signRecordPage(esme, { password: ADMIN_PASSWORD })).statusCode, 303)
    const passed = (await stepUps(ids.esme!)).slice(2)
    assert.deepEqual(
      passed.map((e) => [e.action, e.subject_id, e.detail]),
      [
        ['auth.step-up', ids.esme, { purpose: 'sign-contract', method: 'password', targetId: contractId }],
        ['auth.step-up', ids.esme, { purpose: 'sign-record', method: 'password', targetId: recordId }],
      ],
    )
    assert.deepEqual(await signatures(), { records: [ids.esme], contracts: [ids.esme] })
  })

  test('ASVS V2.2: one throttle per person: wrong codes on a record and wrong passwords on a contract add up, and then neither can be signed', async () => {
    const wrongCode = totpCode(hanaSecret, new Date()) === '000000' ? '111111' : '000000'
    for (let i = 0; i < 3; i++) {
      const res = await signRecordPage(hana, { password: '', code: wrongCode })
      assert.equal(res.statusCode, 400, `wrong code ${i + 1} on the record`)
    }
    for (let i = 0; i < 3; i++) {
      const res = await signContractPage(hana, { method: 'password', password: WRONG })
      assert.equal(res.statusCode, i < 2 ? 400 : 429, `wrong password ${i + 1} on the contract`)
    }
    const byPassword = await signRecordPage(hana, { password: ADMIN_PASSWORD })
    assert.equal(byPassword.statusCode, 429, 'the right password is refused while throttled')
    assert.match(byPassword.body, /Too many attempts/)
    const byCode = await signContractPage(hana, { method: 'two-step', code: totpCode(hanaSecret, new Date()) })
    assert.equal(byCode.statusCode, 429, 'a right code is refused while throttled')
    assert.deepEqual(await signatures(), { records: [ids.esme], contracts: [ids.esme] })
    const refused = (await stepUps(ids.hana!)).filter((e) => e.action === 'auth.step-up-failed')
    assert.deepEqual(
      refused.map((e) => (e.detail as { reason: string }).reason),
      ['wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'throttled', 'throttled'],
    )
  })

  test('neither signing service accepts something that only looks like a proof of step-up', async () => {
    const db = s.database.db
    const forged = { personId: ids.hana!, method: 'password', at: new Date() }
    await assert.rejects(
      // @ts-expect-error: only the step-up service makes a proof.
      signRecord(db, forged, {
        recordId,
        actor: { personId: ids.hana!, name: 'Hana Head', organisationId: s.org.organisationId },
        shownHash,
        mailer,
      }),
      { name: 'StepUpRequiredError' },
    )
    const contract = await db
      .selectFrom('contract')
      .select('content_hash')
      .where('id', '=', contractId)
      .executeTakeFirstOrThrow()
    await assert.rejects(
      // @ts-expect-error: only the step-up service makes a proof.
      signContract(db, forged, {
        organisationId: s.org.organisationId,
        contractId,
        personId: ids.hana!,
        canManage: () => false,
        expectedHash: contract.content_hash!,
        now: new Date(),
        today,
        baseUrl: mailer.baseUrl,
      }),
      { name: 'StepUpRequiredError' },
    )
    assert.deepEqual(await signatures(), { records: [ids.esme], contracts: [ids.esme] })
  })

  test('a proof of step-up signs once, and only for the person who passed it', async () => {
    const db = s.database.db
    const esmeOf = { personId: ids.esme!, organisationId: s.org.organisationId }
    const proof = await passStepUp(db, esmeOf, recordId)
    const asHana = { personId: ids.hana!, name: 'Hana Head', organisationId: s.org.organisationId }
    await assert.rejects(signRecord(db, proof, { recordId, actor: asHana, shownHash, mailer }), {
      name: 'StepUpRequiredError',
    })
    const again = await passStepUp(db, esmeOf, recordId)
    const asEsme = { personId: ids.esme!, name: 'Esme Ward', organisationId: s.org.organisationId }
    assert.deepEqual(await signRecord(db, again, { recordId, actor: asEsme, shownHash, mailer }), {
      ok: false,
      reason: 'already-signed',
    })
    await assert.rejects(signRecord(db, again, { recordId, actor: asEsme, shownHash, mailer }), {
      name: 'StepUpRequiredError',
    })
    assert.deepEqual(await signatures(), { records: [ids.esme], contracts: [ids.esme] })
  })
})
