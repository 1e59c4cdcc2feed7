/**
 * in a trust, someone based at one school reaches that school's pages only. The trust's
 * central people and its administrators reach every school; a supervisor from another school
 * still opens the sessions they take part in.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { academicYearIdFor } from '../../src/domain/calendar/index.ts'
import type { Client } from '../helpers/browser-like.ts'
import {
  addPerson,
  type ContractsTestApp,
  contractIdFrom,
  contractsTestApp,
  formValues,
  signInAs,
  today,
} from '../helpers/contracts.ts'
import { textOf } from '../helpers/html.ts'
import { insertSession } from '../helpers/records.ts'

const year = academicYearIdFor(today)

describe('X-03: each school’s pages stay with that school', () => {
  let s: ContractsTestApp
  const ids: Record<string, string> = {}
  let lena: Client
  let tara: Client
  let contractId: string
  let oakSession: string
  let sharedSession: string
  let request: string
  const cleanup: ((...args: never[]) => unknown)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })

  before(async () => {
    s = await contractsTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    const db = s.database.db
    const larch = await db
      .insertInto('school')
      .values({ organisation_id: s.org.organisationId, slug: 'larchfield', name: 'Larchfield Academy' })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.head = await addPerson(s, { name: 'Hana Head', roles: ['headteacher'], jobTitle: 'Headteacher' })
    ids.esme = await addPerson(s, { name: 'Esme Ward', roles: ['class-teacher'], lineManagerId: ids.head })
    // Lena is the DSL of Larchfield, the trust's other school.
    ids.lena = await addPerson({ ...s, org: { ...s.org, schoolId: larch.id } }, { name: 'Lena Larch', roles: ['dsl'] })
    // Tara is the trust's safeguarding lead, based centrally.
    ids.tara = await addPerson(s, { name: 'Tara Trust', roles: ['dsl'] })
    await db.updateTable('person').set({ school_id: null }).where('id', '=', ids.tara).execute()
    lena = await signInAs(s, 'Lena Larch')
    tara = await signInAs(s, 'Tara Trust')

    const form = await s.dsl.get(`/contracts/new?person=${ids.esme}&year=${year}`)
    const issued = await s.dsl.post(`/contracts/new?person=${ids.esme}&year=${year}`, {
      ...formValues(form.body),
      supervisorId: ids.head,
      disputeThirdPerson: s.org.personId,
    })
    assert.equal(issued.statusCode, 303, issued.body.slice(0, 1500))
    contractId = contractIdFrom(issued.headers.location)
    const oakfieldSession = (supervisor: string, supervisee: string) =>
      insertSession(db, {
        schoolId: s.org.schoolId,
        typeId: 'one-to-one',
        date: today,
        status: 'planned',
        supervisors: [supervisor],
        supervisees: [supervisee],
      })
    oakSession = await oakfieldSession(ids.head, ids.esme)
    // Lena supervises Hana across schools (X-03, LH-05): a session of Oakfield she takes part in.
    sharedSession = await oakfieldSession(ids.lena, ids.head)
    // Esme asks Hana for a session; Hana (her supervisor) and Oakfield's DSL answer it.
    const asked = await db
      .insertInto('session_request')
      .values({
        organisation_id: s.org.organisationId,
        school_id: s.org.schoolId,
        requester_id: ids.esme,
        topic: 'wellbeing',
        supervisor_id: ids.head,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    request = asked.id
  })

  test('X-03: another school’s staff list, people and forms are not found for a school’s DSL', async () => {
    assert.equal((await lena.get('/staff?school=oakfield')).statusCode, 404)
    const own = await lena.get('/staff')
    assert.equal(own.statusCode, 200)
    assert.match(textOf(own.body, 'main'), /Larchfield Academy/)
    assert.doesNotMatch(textOf(own.body, 'main'), /Esme Ward/)
    for (const path of [`/staff/${ids.esme}`, `/staff/${ids.esme}/edit`, `/staff/${ids.esme}/end`]) {
      assert.equal((await lena.get(path)).statusCode, 404, path)
    }
    const invite = await lena.post(`/staff/${ids.esme}/invite`, {})
    assert.equal(invite.statusCode, 404)
    assert.equal((await lena.get('/staff/new?school=oakfield')).statusCode, 404)
  })

  test('X-03: another school’s sessions, requests, planner and contracts are not found; sessions one takes part in are', async () => {
    assert.equal((await lena.get('/sessions?school=oakfield')).statusCode, 404)
    assert.equal((await lena.get(`/sessions/${oakSession}`)).statusCode, 404)
    assert.equal((await lena.get(`/planner?school=oakfield&year=${year}`)).statusCode, 404)
    assert.equal((await lena.get(`/contracts/${contractId}`)).statusCode, 404)
    assert.equal((await lena.get(`/contracts/${contractId}/edit`)).statusCode, 404)
    assert.equal((await lena.get(`/sessions/requests/${request}`)).statusCode, 404)
    const decline = await lena.post(`/sessions/requests/${request}/decline`, { reason: 'Not mine', version: '1' })
    assert.equal(decline.statusCode, 404)
    const shared = await lena.get(`/sessions/${sharedSession}`)
    assert.equal(shared.statusCode, 200)
    assert.match(textOf(shared.body, 'main'), /Hana Head/)
  })

  test('X-03: the trust’s central lead and its administrator reach every school', async () => {
    for (const client of [tara, s.dsl]) {
      const list = await client.get('/staff?school=oakfield')
      assert.equal(list.statusCode, 200)
      assert.match(textOf(list.body, 'main'), /Esme Ward/)
      assert.equal((await client.get('/staff?school=larchfield')).statusCode, 200)
      assert.equal((await client.get(`/staff/${ids.esme}`)).statusCode, 200)
      assert.equal((await client.get(`/contracts/${contractId}`)).statusCode, 200)
      assert.equal((await client.get(`/sessions/${oakSession}`)).statusCode, 200)
      assert.equal((await client.get(`/sessions/requests/${request}`)).statusCode, 200)
    }
  })
})
