import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import type { DatabaseHandle, Db } from '../../src/db/database.ts'
import { addWorkingDays, englandDefaultCalendar } from '../../src/domain/calendar/index.ts'
import { escalationsJob } from '../../src/jobs/reminders.ts'
import { startScheduler } from '../../src/jobs/scheduler.ts'
import { runEscalations } from '../../src/services/reminders/escalations.ts'
import { postgresOnly } from '../helpers/engines.ts'
import { namedDatabase } from '../helpers/named-database.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, assignSupervisor, emailOf, orgOnPack } from './planner-fixtures.ts'

const baseUrl = 'http://localhost:3000'
const calendar = englandDefaultCalendar('england-and-wales', 2025, 2026)

async function overdueMail(db: Db, about: string) {
  return db
    .selectFrom('outbox_message')
    .select(['to_address', 'subject', 'text_body'])
    .where('subject', '=', `Supervision overdue: ${about}`)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/**
 * Lode Heath (LH-09): Yusuf, a head of year, is supervised by Dee (the DSL), who reports to Asha
 * (associate headteacher), who reports to Hana (headteacher), who reports to no one. The policy took
 * effect on 1 September 2025 and nobody has been supervised since.
 */
async function lodeHeath(db: Db) {
  const org = await orgOnPack(db, 'lode-heath', '2025-09-01')
  const head = await addPerson(db, org, { account: true, name: 'Hana Head', roles: ['headteacher'] })
  const associate = await addPerson(db, org, {
    account: true,
    name: 'Asha Associate',
    roles: ['associate-headteacher'],
    lineManagerId: head,
  })
  const dsl = await addPerson(db, org, {
    account: true,
    name: 'Dee Lead',
    roles: ['dsl'],
    lineManagerId: associate,
    supervisorTrainedOn: '2024-01-01',
  })
  const yusuf = await addPerson(db, org, {
    account: true,
    name: 'Yusuf Yearhead',
    roles: ['year-head'],
    lineManagerId: head,
  })
  await assignSupervisor(db, org, yusuf, dsl)
  return { org, head, associate, dsl, yusuf }
}

describe('escalation of overdue supervision', () => {
  test('LH-09: overdue supervision goes to the supervisor, then after 10 working days the supervisor’s manager, then further up every 10 working days, each step once', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    await lodeHeath(db)
    // Due by 1 December 2025: never more than 3 months after the policy took effect.
    const due = '2025-12-01'
    const managerDay = addWorkingDays(calendar, due, 10)
    const furtherDay = addWorkingDays(calendar, due, 20)
    const repeatDay = addWorkingDays(calendar, furtherDay, 10)
    assert.deepEqual([managerDay, furtherDay, repeatDay], ['2025-12-15', '2026-01-12', '2026-01-26'])

    const steps: [string, string[]][] = []
    for (const today of [
      '2025-12-01',
      '2025-12-02',
      '2025-12-03',
      '2025-12-12',
      managerDay,
      '2025-12-16',
      furtherDay,
      repeatDay,
      '2026-01-27',
    ]) {
      const before = (await overdueMail(db, 'Yusuf Yearhead')).length
      await runEscalations(db, { today, baseUrl })
      const mail = await overdueMail(db, 'Yusuf Yearhead')
      steps.push([today, mail.slice(before).map((m) => m.to_address)])
    }
    assert.deepEqual(steps, [
      ['2025-12-01', []],
      ['2025-12-02', [emailOf('Dee Lead')]],
      ['2025-12-03', []],
      ['2025-12-12', []],
      ['2025-12-15', [emailOf('Asha Associate')]],
      ['2025-12-16', []],
      ['2026-01-12', [emailOf('Hana Head')]],
      // At the top of the organisation there is no one further to tell: recorded, not sent.
      ['2026-01-26', []],
      ['2026-01-27', []],
    ])
    const first = (await overdueMail(db, 'Yusuf Yearhead'))[0]!
    assert.match(first.text_body, /overdue since 2 December 2025/)
    assert.match(first.text_body, /You are receiving this as Yusuf Yearhead’s supervisor/)
    assert.match(first.text_body, /The supervisee discusses it with their supervisor/)
    // Yusuf is told each time who it has been raised with.
    const told = await db
      .selectFrom('outbox_message')
      .select('text_body')
      .where('to_address', '=', emailOf('Yusuf Yearhead'))
      .execute()
    assert.equal(told.length, 3)
    assert.match(told[1]!.text_body, /Haven has raised it with the manager of Yusuf Yearhead’s supervisor/)

    const events = await db
      .selectFrom('escalation_event as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .select(['e.step_id', 'e.repeats', 'e.reached_on', 'e.recipient_ids'])
      .where('p.name', '=', 'Yusuf Yearhead')
      .orderBy('e.reached_on')
      .orderBy('e.repeats')
      .execute()
    assert.deepEqual(
      events.map((e) => [e.step_id, e.repeats, e.reached_on, e.recipient_ids.length]),
      [
        ['supervisor', 0, '2025-12-02', 1],
        ['supervisors-manager', 0, '2025-12-15', 1],
        ['further-up', 0, '2026-01-12', 1],
        ['further-up', 1, '2026-01-12', 0],
      ],
    )
    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('action', '=', 'escalation.raised')
      .execute()
    assert.ok(audit.length >= 4)
    assert.doesNotMatch(JSON.stringify(audit.map((a) => a.detail)), /Yusuf|@/)
  })

  test('AM-09: a DSL not supervised often enough: the supervisor first, then the headteacher 10 working days later', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    const org = await orgOnPack(db, 'ashbury-meadow', '2025-09-01')
    const head = await addPerson(db, org, { account: true, name: 'Hana Head', roles: ['headteacher'] })
    const deputy = await addPerson(db, org, {
      account: true,
      name: 'Dan Deputy',
      roles: ['line-manager'],
      lineManagerId: head,
    })
    await addPerson(db, org, { account: true, name: 'Dee Lead', roles: ['dsl'], lineManagerId: deputy })
    // Group supervision every 6 weeks of term time: due by 13 October 2025.
    const headDay = addWorkingDays(calendar, '2025-10-13', 10)
    assert.equal(headDay, '2025-11-03', 'the half-term holiday does not count')
    const steps: [string, string[]][] = []
    for (const today of ['2025-10-13', '2025-10-14', '2025-10-31', headDay, '2025-11-04']) {
      const before = (await overdueMail(db, 'Dee Lead')).length
      await runEscalations(db, { today, baseUrl })
      steps.push([today, (await overdueMail(db, 'Dee Lead')).slice(before).map((m) => m.to_address)])
    }
    assert.deepEqual(steps, [
      ['2025-10-13', []],
      ['2025-10-14', [emailOf('Dan Deputy')]],
      ['2025-10-31', []],
      ['2025-11-03', [emailOf('Hana Head')]],
      ['2025-11-04', []],
    ])
    const toHead = (await overdueMail(db, 'Dee Lead'))[1]!
    assert.match(toHead.text_body, /You are receiving this as the headteacher or principal/)
    assert.match(toHead.text_body, /If no solution is agreed, the DSL raises it with the Headteacher/)
  })
})

/** Two handles on one database: two separate connection pools (PostgreSQL only). */
async function twoInstances(t: Parameters<typeof namedDatabase>[0]): Promise<[DatabaseHandle, DatabaseHandle]> {
  const target = await namedDatabase(t)
  const a = await target.open()
  const b = await target.open()
  t.after(async () => {
    await a.close()
    await b.close()
  })
  return [a, b]
}

const quietLog = { debug() {}, info() {}, error() {} }

test('LH-09: two Haven instances on one database escalate at the same moment, and exactly one email results', {
  ...postgresOnly('PGlite has one connection: two instances on it would share it and run one after the other'),
}, async (t) => {
  const [a, b] = await twoInstances(t)
  await lodeHeath(a.db)
  const config = testConfig({ baseUrl })
  // Two schedulers, each with its own pool, tick at the same moment.
  const one = startScheduler({ db: a.db, log: quietLog, intervalSeconds: 0, jobs: [escalationsJob(config)] })
  const two = startScheduler({ db: b.db, log: quietLog, intervalSeconds: 0, jobs: [escalationsJob(config)] })
  const now = new Date('2025-12-02T08:00:00Z')
  await Promise.all([one.runOnce(now), two.runOnce(now), one.runOnce(now), two.runOnce(new Date(now.getTime() + 1))])
  await Promise.all([one.stop(), two.stop()])
  assert.deepEqual(
    (await overdueMail(a.db, 'Yusuf Yearhead')).map((m) => m.to_address),
    [emailOf('Dee Lead')],
  )
  // Without the scheduler's lock, the database alone still makes it once: both instances run the
  // escalation itself concurrently, each in its own transaction.
  const results = await Promise.all([
    runEscalations(a.db, { today: '2025-12-15', baseUrl }),
    runEscalations(b.db, { today: '2025-12-15', baseUrl }),
    runEscalations(a.db, { today: '2025-12-15', baseUrl }),
  ])
  assert.equal(
    results.reduce((sum, r) => sum + r.events, 0),
    2,
    'one step for Yusuf and one for Dee, the DSL, recorded by whichever instance got there first',
  )
  assert.deepEqual(
    (await overdueMail(b.db, 'Yusuf Yearhead')).map((m) => m.to_address),
    [emailOf('Dee Lead'), emailOf('Asha Associate')],
  )
  const keys = await a.db.selectFrom('outbox_message').select('dedupe_key').execute()
  assert.equal(new Set(keys.map((k) => k.dedupe_key)).size, keys.length)
})
