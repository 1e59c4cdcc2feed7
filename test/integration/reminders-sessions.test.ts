import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import type { Db } from '../../src/db/database.ts'
import { backgroundJobs } from '../../src/jobs/index.ts'
import { startScheduler } from '../../src/jobs/scheduler.ts'
import { recordsTable, sendPreparationReminders, sendRecordReminders } from '../../src/services/reminders/sessions.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, addSession, emailOf, orgOnPack, type PlanningOrg } from './planner-fixtures.ts'

const baseUrl = 'http://localhost:3000'

async function mailTo(db: Db, name: string, subject: RegExp) {
  const rows = await db
    .selectFrom('outbox_message')
    .select(['subject', 'text_body'])
    .where('to_address', '=', emailOf(name))
    .execute()
  return rows.filter((r) => subject.test(r.subject))
}

async function school(db: Db): Promise<{ org: PlanningOrg; lead: string; ava: string }> {
  const org = await orgOnPack(db, 'cornerstone', '2025-09-01')
  // Issue 18: only people who have been invited are emailed.
  const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'], account: true })
  const ava = await addPerson(db, org, { name: 'Ava Pastoral', lineManagerId: lead, pastoral: true, account: true })
  return { org, lead, ava }
}

describe('session reminders', () => {
  test('the supervisee is reminded to prepare 3 working days before a session, once, and the half-term holiday is skipped', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    const { org, lead, ava } = await school(db)
    await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-12',
      startTime: '10:00',
      supervisorId: lead,
      superviseeIds: [ava],
      venue: 'Room 4',
    })
    const sent: [string, number][] = []
    for (const today of ['2025-11-06', '2025-11-07', '2025-11-07', '2025-11-10', '2025-11-11', '2025-11-12'])
      sent.push([today, await sendPreparationReminders(db, { today, baseUrl })])
    assert.deepEqual(sent, [
      ['2025-11-06', 0],
      ['2025-11-07', 1],
      ['2025-11-07', 0],
      ['2025-11-10', 0],
      ['2025-11-11', 0],
      ['2025-11-12', 0],
    ])
    const [mail] = await mailTo(db, 'Ava Pastoral', /^Prepare for your supervision/)
    assert.equal(mail!.subject, 'Prepare for your supervision on Wednesday 12 November 2025 at 10am')
    assert.match(mail!.text_body, /with Lena Lead\) is on Wednesday 12 November 2025 at 10am in Room 4/)
    assert.equal((await mailTo(db, 'Lena Lead', /Prepare/)).length, 0, 'only the supervisee')

    // Monday 3 November, straight after half term: three working days before is Wednesday 22 October.
    await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-03',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    assert.equal(await sendPreparationReminders(db, { today: '2025-10-21', baseUrl }), 0)
    assert.equal(await sendPreparationReminders(db, { today: '2025-10-22', baseUrl }), 1)
    // A cancelled session is not reminded; a school that turned reminders off gets none.
    await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-20',
      status: 'cancelled',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    assert.equal(await sendPreparationReminders(db, { today: '2025-11-17', baseUrl }), 0)
    await db.insertInto('planner_setting').values({ school_id: org.schoolId, preparation_working_days: 0 }).execute()
    await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-26',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    assert.equal(await sendPreparationReminders(db, { today: '2025-11-25', baseUrl }), 0)
  })

  test('the supervisor is reminded once when a held session has no record a working day later', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    const { org, lead, ava } = await school(db)
    assert.equal(await recordsTable(db), 'supervision_record')
    const unrecorded = await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-14',
      status: 'held',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    const recorded = await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-14',
      startTime: '14:00',
      status: 'held',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    await db
      .insertInto('supervision_record')
      .values({
        school_id: org.schoolId,
        session_id: recorded,
        template_id: 'ca-supervision-record',
        template_version: 1,
        template: '{}',
        document: '{}',
      })
      .execute()
    // Friday 14 November: the next working day is Monday 17 November.
    assert.equal(await sendRecordReminders(db, { today: '2025-11-14', baseUrl }), 0)
    assert.equal(await sendRecordReminders(db, { today: '2025-11-15', baseUrl }), 0)
    assert.equal(await sendRecordReminders(db, { today: '2025-11-17', baseUrl }), 1)
    assert.equal(await sendRecordReminders(db, { today: '2025-11-18', baseUrl }), 0)
    const [mail] = await mailTo(db, 'Lena Lead', /^Write up/)
    assert.match(
      mail!.text_body,
      /with Ava Pastoral\) on Friday 14 November 2025 at 10am was held, but it has no record yet/,
    )
    assert.match(mail!.text_body, new RegExp(`/sessions/${unrecorded}`))
    assert.equal((await mailTo(db, 'Ava Pastoral', /Write up/)).length, 0)
  })

  test('the scheduler runs the reminder jobs for every school, before the outbox is delivered', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    const { org, lead, ava } = await school(db)
    await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2025-11-12',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    const config = testConfig({ baseUrl })
    const jobs = backgroundJobs(config, { info() {}, warn() {}, error() {} } as never, db)
    assert.deepEqual(
      jobs.map((j) => j.name).filter((n) => ['preparation-reminders', 'record-reminders', 'escalations'].includes(n)),
      ['preparation-reminders', 'record-reminders', 'escalations'],
    )
    const scheduler = startScheduler({ db, log: { debug() {}, info() {}, error() {} }, intervalSeconds: 0, jobs })
    await scheduler.runOnce(new Date('2025-11-07T07:00:00Z'))
    await scheduler.stop()
    assert.equal((await mailTo(db, 'Ava Pastoral', /^Prepare/)).length, 1)
    const runs = await db.selectFrom('job_run').select(['name', 'last_error']).execute()
    assert.ok(
      runs.every((r) => r.last_error === null),
      JSON.stringify(runs),
    )
  })
})
