/**
 * Issuing supervision contracts (issue 8; MW-01, MW-02, MW-03, MW-11): to everyone in scope at the
 * start of the year, or to one person; drafts with optimistic locking; new versions when terms
 * change; who may do it; CSRF.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { academicYearIdFor } from '../../src/domain/calendar/index.ts'
import { addDuration } from '../../src/domain/policy/index.ts'
import { formatDate } from '../../src/presenters/format.ts'
import {
  addPerson,
  type ContractsTestApp,
  contractIdFrom,
  contractsTestApp,
  formValues,
  signInAs,
  today,
} from '../helpers/contracts.ts'
import { html, textOf } from '../helpers/html.ts'

const year = academicYearIdFor(today)
const yearAfter = addDuration(today, { amount: 1, unit: 'years' })

describe('issuing contracts at Meanwood', () => {
  let s: ContractsTestApp
  const ids: Record<string, string> = {}

  const cleanup: ((...args: never[]) => unknown)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })

  before(async () => {
    s = await contractsTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    ids.head = await addPerson(s, { name: 'Hana Head', roles: ['headteacher'], jobTitle: 'Headteacher' })
    ids.esme = await addPerson(s, {
      name: 'Esme Ward',
      roles: ['eyfs-practitioner'],
      jobTitle: 'EYFS practitioner',
      lineManagerId: ids.head,
    })
    ids.sam = await addPerson(s, {
      name: 'Sam Senco',
      roles: ['senco'],
      jobTitle: 'SENDCO',
      supervisorId: s.org.personId,
    })
    ids.dee = await addPerson(s, {
      name: 'Dee Deputy',
      roles: ['deputy-dsl'],
      jobTitle: 'Deputy DSL',
      lineManagerId: ids.head,
    })
    ids.tom = await addPerson(s, { name: 'Tom Teacher', roles: ['class-teacher'], lineManagerId: ids.head })
  })

  test('MW-01, MW-02, mw-sendco: the bulk page previews everyone in scope with their supervisor and why in words, and who is left out and why', async () => {
    const page = await s.dsl.get(`/contracts/issue?year=${year}`)
    assert.equal(page.statusCode, 200)
    assert.equal(textOf(page.body, 'h1'), `Issue contracts for ${year}`)
    const tables = html(page.body).querySelectorAll('table')
    const issued = tables[0]!.querySelectorAll('tbody tr').map((r) => r.textContent.replace(/\s+/g, ' ').trim())
    assert.deepEqual(
      issued.map((r) => r.split(' Hana Head')[0]!.split(' Amira Khan')[0]),
      ['Dee Deputy', 'Esme Ward', 'Sam Senco'],
    )
    assert.match(issued[1]!, /Esme Ward Hana Head .*EYFS/)
    assert.match(issued[2]!, /Sam Senco Amira Khan/)
    // Why each person gets one, in the policy's words (mw-sendco), never a rule's id (issue 18).
    assert.match(issued[2]!, /Required: the SENDCO$/)
    assert.doesNotMatch(textOf(page.body, 'main'), /\brule mw-|\bmw-[a-z]/)
    const skipped = tables[1]!.querySelectorAll('tbody tr').map((r) => r.textContent.replace(/\s+/g, ' ').trim())
    assert.deepEqual(skipped, [
      'Amira Khan Has no supervisor or line manager yet: set one on their staff page, then issue theirs',
    ])
    assert.ok(
      !issued.some((r) => r.includes('Tom Teacher')) && !skipped.some((r) => r.includes('Tom Teacher')),
      'not in scope',
    )
    assert.match(page.body, /returned to designated safeguarding lead \(DSL\) or deputy designated safeguarding lead/)
  })

  test('MW-11: a Meanwood contract cannot be issued without the named person for a dispute resolution meeting', async () => {
    const page = await s.dsl.get(`/contracts/issue?year=${year}`)
    const fields = formValues(page.body)
    assert.equal(fields.disputeThirdPerson, '')
    assert.equal(fields.collectedBy, s.org.personId, 'returned to the DSL by default')
    assert.match(fields.venue ?? '', /confidential space/)
    const res = await s.dsl.post(`/contracts/issue?year=${year}`, fields, { formPage: `/contracts/issue?year=${year}` })
    assert.equal(res.statusCode, 400)
    assert.equal(
      textOf(res.body, '#disputeThirdPerson-error'),
      'Error: Select the name of the person for a dispute resolution meeting',
    )
    assert.match(
      textOf(res.body, '.govuk-error-summary'),
      /Select the name of the person for a dispute resolution meeting/,
    )
    const blankReview = await s.dsl.post(
      `/contracts/issue?year=${year}`,
      {
        ...fields,
        disputeThirdPerson: ids.head!,
        'reviewDate-day': '',
        'reviewDate-month': '2',
        'reviewDate-year': '',
      },
      { formPage: `/contracts/issue?year=${year}` },
    )
    assert.equal(blankReview.statusCode, 400)
    assert.match(textOf(blankReview.body, '#reviewDate-error'), /must include a day and year/)
    assert.equal(
      await s.database.db.selectFrom('contract').select('id').executeTakeFirst(),
      undefined,
      'nothing issued',
    )
  })

  test('MW-02: issuing to everyone in scope: one contract each, both parties emailed, returned to the DSL, review date shown', async () => {
    const page = await s.dsl.get(`/contracts/issue?year=${year}`)
    const fields = { ...formValues(page.body), disputeThirdPerson: ids.head! }
    const res = await s.dsl.post(`/contracts/issue?year=${year}`, fields, { formPage: `/contracts/issue?year=${year}` })
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000))
    assert.equal(res.headers.location, '/contracts?status=issued&issued=3')
    const rows = await s.database.db.selectFrom('contract').selectAll().orderBy('created_at').execute()
    assert.equal(rows.length, 3)
    for (const row of rows) {
      assert.equal(row.status, 'issued')
      assert.equal(row.academic_year, year)
      assert.match(row.content_hash ?? '', /^[0-9a-f]{64}$/)
      assert.equal(row.review_on, yearAfter)
      assert.equal(row.template_id, 'mw-contract')
      assert.equal(row.issued_by, s.org.personId)
    }
    const esme = rows.find((r) => r.supervisee_id === ids.esme)!
    assert.equal(esme.supervisor_id, ids.head, 'the line manager, when there is no supervisor')
    assert.equal(rows.find((r) => r.supervisee_id === ids.sam)!.supervisor_id, s.org.personId)
    const mail = await s.database.db
      .selectFrom('outbox_message')
      .select(['to_address', 'subject', 'text_body'])
      .execute()
    const toSign = mail.filter((m) => /ready for you to sign$/.test(m.subject))
    // Issue 18: one email per person; Hana Head, supervisor on two contracts, gets one listing both.
    assert.deepEqual(toSign.map((m) => m.to_address).sort(), [
      'amira.khan@oakfield.example',
      'dee.deputy@oakfield.example',
      'esme.ward@oakfield.example',
      'hana.head@oakfield.example',
      'sam.senco@oakfield.example',
    ])
    const hana = toSign.find((m) => m.to_address === 'hana.head@oakfield.example')!
    assert.equal(hana.subject, '2 supervision contracts are ready for you to sign')
    const hanasContracts = rows.filter((r) => r.supervisor_id === ids.head).map((r) => r.id)
    for (const id of hanasContracts) assert.ok(hana.text_body.includes(`/contracts/${id}`), 'a link to each contract')
    for (const m of toSign) {
      assert.doesNotMatch(m.text_body, /Esme|Sam|Dee|Hana/, 'no names in emails')
      assert.match(m.text_body, /https?:\/\/\S+\/contracts\/[0-9a-f-]{36}/, 'a link to the exact contract')
    }

    const list = await s.dsl.get(res.headers.location as string)
    assert.match(textOf(list.body, '.govuk-notification-banner'), /3 contracts issued/)
    const listRows = html(list.body)
      .querySelectorAll('table tbody tr')
      .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
    assert.equal(listRows.length, 3)
    assert.match(
      listRows[1]!,
      new RegExp(
        `^Esme Ward Hana Head ${year} Waiting for signatures Supervisee and supervisor ${formatDate(yearAfter)}$`,
      ),
    )

    // The contract page: the clauses filled in, the review date and who it is returned to (MW-02, MW-11).
    const contract = await s.dsl.get(`/contracts/${esme.id}`)
    assert.equal(contract.statusCode, 200)
    assert.match(contract.body, /Esme Ward, EYFS practitioner\. Supervisor: Hana Head, Headteacher\./)
    assert.match(contract.body, /both parties agree to meet together with Hana Head/)
    assert.match(
      contract.body,
      /Both parties will make sure the other is aware in advance that a dispute resolution meeting has been arranged/,
    )
    assert.match(contract.body, new RegExp(`Date of review of contract: ${formatDate(yearAfter)}\\.`))
    const summary = html(contract.body).querySelector('.govuk-summary-list')!.textContent.replace(/\s+/g, ' ')
    assert.match(summary, new RegExp(`Review date ${formatDate(yearAfter)}`))
    assert.match(summary, /Returned to Amira Khan/)
    assert.match(summary, /Still to sign Supervisee and supervisor/)
    assert.match(summary, /How often once a term \(the policy’s\)/)

    // A second run issues nothing more: everyone has one for the year.
    const again = await s.dsl.get(`/contracts/issue?year=${year}`)
    assert.match(again.body, /0 people get a contract/)
    assert.equal(html(again.body).querySelectorAll('table')[0]!.querySelectorAll('tbody tr').length, 4)
    assert.match(again.body, new RegExp(`Already has a contract for ${year}`))
  })

  test('an issue made from an out-of-date preview is refused and nothing is issued', async () => {
    const ivy = await addPerson(s, { name: 'Ivy Mentor', roles: ['learning-mentor'], lineManagerId: ids.head })
    const page = await s.dsl.get(`/contracts/issue?year=${year}`)
    const fields = { ...formValues(page.body), disputeThirdPerson: ids.head! }
    await addPerson(s, { name: 'Lou Mentor', roles: ['learning-mentor'], lineManagerId: ids.head })
    const res = await s.dsl.post(`/contracts/issue?year=${year}`, fields, { formPage: `/contracts/issue?year=${year}` })
    assert.equal(res.statusCode, 409)
    assert.match(
      textOf(res.body, '.govuk-error-summary'),
      /Who gets a contract changed while you were reading this page/,
    )
    assert.equal(
      await s.database.db.selectFrom('contract').select('id').where('supervisee_id', '=', ivy).executeTakeFirst(),
      undefined,
    )
  })

  test('MW-03: one contract with a stricter frequency: only the options the policy allows', async () => {
    const form = await s.dsl.get(`/contracts/new?person=${s.org.personId}&year=${year}`)
    assert.equal(form.statusCode, 200)
    const radios = html(form.body)
      .querySelectorAll('input[name=frequency]')
      .map((r) => r.getAttribute('value'))
    assert.deepEqual(radios, ['policy', 'option-1', 'option-2'])
    assert.match(form.body, /Every four weeks/)
    assert.match(form.body, /Once per half term/)
    const fields = { ...formValues(form.body), supervisorId: ids.head!, disputeThirdPerson: ids.dee! }
    const custom = await s.dsl.post(`/contracts/new?person=${s.org.personId}&year=${year}`, {
      ...fields,
      frequency: 'custom',
      customEvery: '2',
      customUnit: 'weeks',
    })
    assert.equal(custom.statusCode, 400)
    assert.equal(textOf(custom.body, '#frequency-error'), 'Error: Select how often supervision will take place')
    const noSupervisor = await s.dsl.post(`/contracts/new?person=${s.org.personId}&year=${year}`, {
      ...fields,
      supervisorId: '',
      frequency: 'option-1',
    })
    assert.equal(textOf(noSupervisor.body, '#supervisorId-error'), 'Error: Select a supervisor from the list')
    const ok = await s.dsl.post(`/contracts/new?person=${s.org.personId}&year=${year}`, {
      ...fields,
      frequency: 'option-1',
    })
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 1500))
    const id = contractIdFrom(ok.headers.location)
    const row = await s.database.db.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual((row.agreed as { frequency: unknown }).frequency, {
      every: 4,
      unit: 'weeks',
      termTimeOnly: true,
      wording: 'every four weeks',
    })
    const page = await s.dsl.get(ok.headers.location as string)
    assert.match(page.body, /Supervision will take place every four weeks\./)
    assert.match(textOf(page.body, '.govuk-notification-banner'), /The contract has been issued/)
    // A second contract for the same year goes to the one they have.
    const twice = await s.dsl.get(`/contracts/new?person=${s.org.personId}&year=${year}`)
    assert.equal(twice.statusCode, 303)
    assert.equal(twice.headers.location, `/contracts/${id}?notice=exists`)
  })

  test('drafts: saved, changed with optimistic locking (a stale form is refused), then issued', async () => {
    const form = await s.dsl.get(`/contracts/new?person=${ids.tom}&year=${year}`)
    const fields = {
      ...formValues(form.body),
      supervisorId: ids.head!,
      disputeThirdPerson: ids.dee!,
      frequency: 'policy',
      venue: '',
    }
    const draft = await s.dsl.post(`/contracts/new?person=${ids.tom}&year=${year}`, { ...fields, action: 'draft' })
    assert.equal(draft.statusCode, 303, draft.body.slice(0, 1500))
    const id = contractIdFrom(draft.headers.location)
    assert.equal(
      (await s.database.db.selectFrom('contract').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
      'draft',
    )
    // Tom cannot see a draft of his own contract.
    const tom = await signInAs(s, 'Tom Teacher')
    assert.equal((await tom.get(`/contracts/${id}`)).statusCode, 404)

    const edit = await s.dsl.get(`/contracts/${id}/edit`)
    const editFields = formValues(edit.body)
    assert.equal(editFields.version, '1')
    // Someone else saves first.
    const first = await s.dsl.post(`/contracts/${id}/edit`, { ...editFields, venue: 'Room 4', action: 'draft' })
    assert.equal(first.statusCode, 303)
    const stale = await s.dsl.post(`/contracts/${id}/edit`, { ...editFields, venue: 'The library', action: 'draft' })
    assert.equal(stale.statusCode, 409)
    assert.match(textOf(stale.body, '.govuk-error-summary'), /Someone else changed this contract/)
    const row = await s.database.db.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal((row.agreed as { values: { venue: string } }).values.venue, 'Room 4')
    assert.equal(row.version, 2)
    // Issuing from the page, with the version shown.
    const issueStale = await s.dsl.post(`/contracts/${id}/issue`, { version: '1' }, { formPage: `/contracts/${id}` })
    assert.equal(issueStale.statusCode, 409)
    const issue = await s.dsl.post(`/contracts/${id}/issue`, { version: '2' }, { formPage: `/contracts/${id}` })
    assert.equal(issue.statusCode, 303)
    assert.equal(
      (await s.database.db.selectFrom('contract').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
      'issued',
    )
  })

  test('changing the terms issues a new version that supersedes the old one; every version is kept and viewable', async () => {
    const old = await s.database.db
      .selectFrom('contract')
      .selectAll()
      .where('supervisee_id', '=', ids.dee!)
      .executeTakeFirstOrThrow()
    const edit = await s.dsl.get(`/contracts/${old.id}/edit`)
    assert.equal(textOf(edit.body, 'h1'), 'Change the terms of the contract')
    const fields = formValues(edit.body)
    const res = await s.dsl.post(`/contracts/${old.id}/edit`, {
      ...fields,
      frequency: 'option-2',
      venue: 'The quiet room',
    })
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500))
    const id = contractIdFrom(res.headers.location)
    assert.notEqual(id, old.id)
    const rows = await s.database.db
      .selectFrom('contract')
      .selectAll()
      .where('supervisee_id', '=', ids.dee!)
      .orderBy('created_at')
      .execute()
    assert.deepEqual(
      rows.map((r) => r.status),
      ['superseded', 'issued'],
    )
    assert.equal(rows[1]!.supersedes_id, old.id)
    // The same stale form again: refused.
    const again = await s.dsl.post(`/contracts/${old.id}/edit`, { ...fields, frequency: 'option-1' })
    assert.equal(again.statusCode, 404, 'a superseded version cannot be changed')
    const page = await s.dsl.get(`/contracts/${old.id}`)
    assert.match(page.body, /This version has been replaced/)
    const history = html(page.body)
      .querySelectorAll('table')[1]!
      .querySelectorAll('tbody tr')
      .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
    assert.equal(history.length, 2)
    assert.match(history[0]!, /Waiting for signatures/)
    assert.match(history[1]!, /\(this version\) Superseded/)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('subject_id', '=', id)
      .execute()
    assert.ok(
      audit.some(
        (a) => a.action === 'contract.issued' && (a.detail as { supersedesId: string }).supersedesId === old.id,
      ),
    )
  })

  test('X-06: an issued contract’s content cannot be changed in the database', async () => {
    const row = await s.database.db
      .selectFrom('contract')
      .select('id')
      .where('status', '=', 'issued')
      .executeTakeFirstOrThrow()
    await assert.rejects(
      s.database.db
        .updateTable('contract')
        .set({ rendered: JSON.stringify({ title: 'x', clauses: [] }) })
        .where('id', '=', row.id)
        .execute(),
      /issued contract cannot be changed/,
    )
  })

  test('permissions: only people who manage contracts see the list and issue; CSRF is checked', async () => {
    const tom = await signInAs(s, 'Tom Teacher')
    for (const url of [
      '/contracts',
      `/contracts/issue?year=${year}`,
      '/contracts/new',
      `/contracts/new?person=${ids.tom}&year=${year}`,
    ]) {
      assert.equal((await tom.get(url)).statusCode, 403, url)
    }
    const denied = await tom.post(`/contracts/issue?year=${year}`, { digest: 'x' }, { formPage: '/contracts/mine' })
    assert.equal(denied.statusCode, 403)
    // Tom sees only his own contracts.
    const mine = await tom.get('/contracts/mine')
    assert.equal(mine.statusCode, 200)
    assert.match(mine.body, /Your contract with Hana Head/)
    assert.doesNotMatch(mine.body, /Esme/)
    const esmeContract = await s.database.db
      .selectFrom('contract')
      .select('id')
      .where('supervisee_id', '=', ids.esme!)
      .executeTakeFirstOrThrow()
    assert.equal((await tom.get(`/contracts/${esmeContract.id}`)).statusCode, 404)
    assert.equal((await tom.get(`/contracts/${esmeContract.id}/contract.pdf`)).statusCode, 404)
    // The deputy DSL manages contracts too.
    const dee = await signInAs(s, 'Dee Deputy')
    assert.equal((await dee.get('/contracts')).statusCode, 200)
    // No CSRF token: refused, nothing changed.
    const before = await s.database.db.selectFrom('contract').select('id').execute()
    const noToken = await s.dsl.post(
      `/contracts/new?person=${ids.head}&year=${year}`,
      { supervisorId: s.org.personId, frequency: 'policy' },
      { csrf: null },
    )
    assert.equal(noToken.statusCode, 403)
    const wrongToken = await s.dsl.post(
      `/contracts/${esmeContract.id}/sign`,
      { method: 'password', password: 'x' },
      { csrf: 'nonsense' },
    )
    assert.equal(wrongToken.statusCode, 403)
    assert.equal((await s.database.db.selectFrom('contract').select('id').execute()).length, before.length)
  })

  test('bad input never gives a 500: an unknown contract, year, person or school is not found', async () => {
    const statuses: Record<string, number> = {}
    const urls = [
      '/contracts/not-a-uuid',
      '/contracts/00000000-0000-4000-8000-000000000000',
      '/contracts/issue?year=1999-00',
      '/contracts/new?person=x',
      '/contracts?status=nonsense&school=nowhere',
    ]
    for (const url of urls) statuses[url] = (await s.dsl.get(url)).statusCode
    assert.deepEqual(statuses, Object.fromEntries(urls.map((url) => [url, 404])))
  })
})
