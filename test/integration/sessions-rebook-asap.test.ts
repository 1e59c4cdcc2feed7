/**
 * Rebooking "as soon as possible" (issue 14, CA-03) on the pages that show rebooking deadlines: a
 * school whose policy sets no deadline, only a warning after 10 working days. The session page
 * and the cancellations list flag a session until it is rebooked, and warn once the time passes.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { addWorkingDays, englandDefaultCalendar } from '../../src/domain/calendar/index.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { textOf } from '../helpers/html.ts'
import { insertPlannedSession, sessionsApp, today } from './sessions-support.ts'

const year = Number(today.slice(0, 4))
const calendar = englandDefaultCalendar('england-and-wales', year - 2, year + 2)

test('CA-03: "as soon as possible" is flagged until rebooked, and warned about after the policy’s time', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const rule = { within: null, warnAfter: { amount: 10, unit: 'working-days' }, afterAbsence: null, sessionTypes: [] }
  await sql`update policy_version set document = jsonb_set(document, '{cancellation,rebooking}', ${JSON.stringify(rule)}::jsonb)`.execute(
    s.database.db,
  )
  const pat = await s.add('Asa Soon', { pastoral: true })
  const didNotHappen = async (date: string) => {
    const id = await insertPlannedSession(s, {
      typeId: 'formal-planned',
      date,
      supervisorId: s.dslId,
      superviseeIds: [pat],
    })
    const res = await s.dsl.post(`/sessions/${id}/did-not-attend`, {
      version: '1',
      reasonId: 'unavoidable-circumstances',
      reasonNote: '',
    })
    assert.equal(res.statusCode, 303)
    return id
  }
  const recent = await didNotHappen(addWorkingDays(calendar, today, -3))
  const old = await didNotHappen(addWorkingDays(calendar, today, -12))

  const fresh = await s.dsl.get(`/sessions/${recent}`)
  assert.equal(fresh.statusCode, 200)
  assert.match(textOf(fresh.body, 'main'), /Rebooking deadline As soon as possible/)
  assert.match(textOf(fresh.body, '.govuk-inset-text'), /Rebook as soon as possible/)
  assert.equal(textOf(fresh.body, '.govuk-warning-text'), '')

  const late = await s.dsl.get(`/sessions/${old}`)
  assert.match(textOf(late.body, '.govuk-warning-text'), /Not rebooked yet: rebook it as soon as possible/)
  const list = textOf((await s.dsl.get('/sessions/cancellations')).body, '#cancellations')
  assert.match(list, /Asa Soon.*Not rebooked/)
  assert.match(list, /Asa Soon.*Rebook as soon as possible/)

  const [asa] = (await schoolCompliance(s.database.db, s.org.schoolId, today)).filter((p) => p.personId === pat)
  assert.ok(asa)
  assert.deepEqual(
    asa.openRebookings.map((open) => [open.sessionId, open.asSoonAsPossible, open.warning]),
    [
      [old, true, true],
      [recent, true, false],
    ],
  )
  assert.equal(asa.breaches.filter((b) => b.kind === 'rebooking-deadline-missed').length, 0)
})
