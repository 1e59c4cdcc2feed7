/**
 * Issue 18, item 7: a demonstration school shows the product on any day it is made. Built on a
 * term day, in the Christmas holidays, on a bank holiday, on a Saturday and in August (one pack
 * each), it has signed records, an open and a drifting action, a decision about a child waiting,
 * a contract unsigned, a request waiting and someone due soon; and no session falls on a day the
 * school is closed (the booking pages' rule: weekends, bank holidays, closures, school holidays).
 *
 * "Due soon" means due within 14 days, and nothing falls due in the school holidays (a due date
 * there moves to the end of term): before about 20 August no one can be due soon, so the August
 * date is late in the month, when the autumn term is less than 14 days away.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { closedDayWarning } from '../../src/domain/scheduling/closed-days.ts'
import { schoolCalendar } from '../../src/services/calendar/store.ts'
import { buildDemo } from '../../src/services/demo/build-demo.ts'
import { computeOverview } from '../../src/services/overview/overview.ts'
import { freshDatabase } from '../helpers/database.ts'
import { onOneEngine } from '../helpers/engines.ts'

const days = [
  { what: 'a term day', date: '2026-11-23', pack: 'cornerstone' },
  { what: 'a day in the Christmas holidays', date: '2026-12-29', pack: 'lode-heath' },
  { what: 'a bank holiday', date: '2027-05-03', pack: 'meanwood' },
  { what: 'a Saturday', date: '2027-03-13', pack: 'the-place' },
  { what: 'a date in August', date: '2026-08-26', pack: 'ashbury-meadow' },
] as const

for (const day of days) {
  test(
    `issue 18: a demonstration school made on ${day.what} (${day.date}, ${day.pack}) shows the work in hand and no session on a closed day`,
    onOneEngine(),
    async (t) => {
      const handle = await freshDatabase({ own: true })
      t.after(() => handle.close())
      const db = handle.db
      await buildDemo(db, { packId: day.pack, today: day.date, baseUrl: 'http://localhost' })
      const school = await db
        .selectFrom('school')
        .select(['id', 'organisation_id', 'slug', 'name'])
        .where('slug', '=', day.pack)
        .executeTakeFirstOrThrow()

      const records = await db
        .selectFrom('supervision_record')
        .select(['id', 'status'])
        .where('school_id', '=', school.id)
        .execute()
      const signatures = await db
        .selectFrom('record_signature')
        .select('record_id')
        .where(
          'record_id',
          'in',
          records.map((r) => r.id),
        )
        .execute()
      assert.ok(
        records.some((r) => r.status === 'signed'),
        'a record signed by both and locked',
      )
      assert.ok(signatures.length >= 2, 'records carry signatures')

      const overview = await computeOverview(
        db,
        { id: school.id, organisationId: school.organisation_id, slug: school.slug, name: school.name },
        day.date,
      )
      assert.ok(overview.lists.recordsAwaitingSignature.length > 0, 'a record waits for a signature')
      assert.ok(overview.lists.driftingActions.length > 0, 'an action is drifting')
      assert.ok(overview.lists.contractsUnsigned.length > 0, 'a contract is unsigned')
      assert.ok(
        overview.lists.people.some((p) => p.status === 'due-soon'),
        `someone is due soon: ${JSON.stringify(overview.lists.people.map((p) => p.status))}`,
      )
      const open = await db
        .selectFrom('record_action')
        .select('status')
        .where('school_id', '=', school.id)
        .where('status', 'in', ['open', 'in-progress'])
        .execute()
      assert.ok(open.length > 0, 'an action is open')
      const decisions = await db
        .selectFrom('child_decision')
        .select('status')
        .where('school_id', '=', school.id)
        .where('status', 'in', ['awaiting-sign-off', 'ready'])
        .execute()
      assert.ok(decisions.length > 0, 'a decision about a child waits')
      const requests = await db
        .selectFrom('session_request')
        .select('id')
        .where('school_id', '=', school.id)
        .where('status', '=', 'open')
        .execute()
      assert.ok(requests.length > 0, 'a request for a session waits')

      const calendar = await schoolCalendar(db, school.id, day.date)
      const sessions = await db
        .selectFrom('supervision_session')
        .select('date')
        .where('school_id', '=', school.id)
        .execute()
      assert.ok(sessions.length > 10)
      const closed = sessions
        .map((s) => ({ date: s.date, why: closedDayWarning(calendar, s.date) }))
        .filter((s) => s.why !== null)
      assert.deepEqual(closed, [], 'no session on a day the school is closed')
    },
  )
}
