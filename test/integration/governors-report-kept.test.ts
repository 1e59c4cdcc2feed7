/**
 * The governors' report is kept (migration 0029, ADR 0044) and worked out again when something it
 * counts changes: on the overview's small school (overview-school.ts) on Monday 23 November 2026,
 * the autumn term running. The first view keeps the report; escalations reached by five people
 * in the term afterwards (LH-09) raise the school's change version, so the next view counts them
 * (5 is shown, where nothing raised was shown before) instead of the kept report.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { warmUpGovernors } from '../../src/features/governors/routes.ts'
import { governorsReport, reportSource, warmUpGovernorsReport } from '../../src/services/governors/report.ts'
import { html } from '../helpers/html.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { buildOverviewSchool } from './overview-school.ts'

function raised(body: string): string {
  const table = html(body).querySelector('#escalations + p + table')
  assert.ok(table, 'the escalations table')
  const row = table.querySelectorAll('tbody tr').find((tr) => tr.querySelector('th')?.text.trim() === 'Raised')
  assert.ok(row, 'the row of escalations raised')
  return row.querySelector('td')!.text.trim()
}

test('LH-09, issue 16: the kept governors’ report is worked out again once escalations are raised after it was kept', async (t) => {
  const w = await buildTestApp(t, {}, { clock: () => new Date('2026-11-23T12:00:00Z') })
  const db = w.database.db
  const built = await buildOverviewSchool(db)
  await relaxTwoStep(db, built.organisationId, built.adminId)
  const dsl = await signedInClientByEmail(w.app, db, built.emails.dsl)

  const first = await dsl.get('/governors/report')
  assert.equal(first.statusCode, 200)
  assert.equal(raised(first.body), '0')
  const kept = await db.selectFrom('governors_report_kept').select(['period_id', 'as_at']).execute()
  assert.deepEqual(
    kept.map((k) => k.period_id),
    ['2026-27/autumn'],
    'the report is kept for the term',
  )
  assert.equal(raised((await dsl.get('/governors/report')).body), '0', 'the kept report is read back the same')

  const people = Object.values(built.ids).slice(0, 5)
  for (const personId of people)
    await db
      .insertInto('escalation_event')
      .values({
        school_id: built.schoolId,
        person_id: personId,
        chain_id: 'lh-entitlement',
        step_id: 'supervisor',
        reached_on: '2026-11-02',
        recipient_ids: [],
      })
      .execute()
  assert.equal(raised((await dsl.get('/governors/report')).body), '5')
})

test('issue 16, ADR 0051: a term first viewed after a change is worked out from the changed data, not the data read for an earlier view', async (t) => {
  const w = await buildTestApp(t, {}, { clock: () => new Date('2026-11-23T12:00:00Z') })
  const db = w.database.db
  const built = await buildOverviewSchool(db)
  const today = '2026-11-23'
  // The school's data is read for the first view and kept for the change version: the second term is judged from it.
  const before = await governorsReport(db, built.school, today, '2026-27/autumn')
  assert.ok(before)
  assert.ok(await governorsReport(db, built.school, today, '2025-26/summer'))

  // Six sessions held this term: the change version rises.
  for (const [i, supervisee] of ['ada', 'eve', 'ada', 'eve', 'ada', 'eve'].entries()) {
    const row = await db
      .insertInto('supervision_session')
      .values({ school_id: built.schoolId, type_id: 'one-to-one', date: `2026-11-1${i}`, status: 'held', tags: [] })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('session_participant')
      .values([
        { session_id: row.id, person_id: built.ids.daniel!, role: 'supervisor', attended: true },
        { session_id: row.id, person_id: built.ids[supervisee]!, role: 'supervisee', attended: true },
      ])
      .execute()
  }
  const after = await governorsReport(db, built.school, today, '2026-27/autumn')
  assert.ok(after)
  assert.notDeepEqual(after.report.sessions, before.report.sessions, 'the sessions held this term are counted')

  // The same report worked out from a fresh read of the school, nothing kept.
  await db.deleteFrom('governors_report_kept').execute()
  const fresh = await governorsReport(
    db,
    built.school,
    today,
    '2026-27/autumn',
    await reportSource(db, built.schoolId, [today]),
  )
  assert.deepEqual(after.report, fresh?.report)
})

test('issue 16, ADR 0056: the warm-up at start works the latest term’s report out for the school and keeps nothing', async (t) => {
  const w = await buildTestApp(t, {}, { clock: () => new Date('2026-11-23T12:00:00Z') })
  const db = w.database.db
  const built = await buildOverviewSchool(db)
  const today = '2026-11-23'
  const worked: string[] = []
  assert.equal(
    await warmUpGovernorsReport(db, today, (school, loaded) => worked.push(`${school.id} ${loaded.report.period.id}`)),
    built.schoolId,
  )
  assert.deepEqual(
    worked,
    ['2026-27/autumn', '2025-26/summer', '2025-26/spring', '2025-26/autumn'].map((p) => `${built.schoolId} ${p}`),
    'the latest term begun and the three terms before it, from one read',
  )
  assert.deepEqual(await db.selectFrom('governors_report_kept').select('period_id').execute(), [], 'no report kept')
  // The first view after it works the report out and keeps it, as without the warm-up.
  const source = await reportSource(db, built.schoolId, [today])
  const fresh = await governorsReport(db, built.school, today, '2026-27/autumn', source, { keep: false })
  const viewed = await governorsReport(db, built.school, today, '2026-27/autumn')
  assert.deepEqual(viewed?.report, fresh?.report)
  assert.deepEqual(
    (await db.selectFrom('governors_report_kept').select('period_id').execute()).map((k) => k.period_id),
    ['2026-27/autumn'],
  )
})

/** How many rows each table of the schema holds. */
async function rowsByTable(db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const counts: Record<string, number> = {}
  for (const { table_name } of rows) {
    const counted = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table_name)}`.execute(db)
    counts[table_name] = Number(counted.rows[0]!.n)
  }
  return counts
}

test('issue 16, ADR 0056: the warm-up at start renders the report’s page as the handler does, with no request, and writes nothing', async (t) => {
  const w = await buildTestApp(t, {}, { clock: () => new Date('2026-11-23T12:00:00Z') })
  const db = w.database.db
  const built = await buildOverviewSchool(db)
  const before = await rowsByTable(db)
  assert.deepEqual(await warmUpGovernors(db, '2026-11-23'), { schoolId: built.schoolId, pages: 4 })
  assert.deepEqual(await rowsByTable(db), before, 'no row written, kept or removed in any table')
  // The page a DSL is then shown is the handler's, worked out and kept as without the warm-up.
  const dsl = await signedInClientByEmail(w.app, db, built.emails.dsl)
  const page = await dsl.get('/governors/report')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Governors’ report: Autumn term 2026/)
  assert.deepEqual(
    (await db.selectFrom('governors_report_kept').select('period_id').execute()).map((k) => k.period_id),
    ['2026-27/autumn'],
  )
})
