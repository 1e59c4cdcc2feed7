/**
 * Lists that scale (issue 16): the cancellations list is paged with a count, filtered by what
 * happened, date and name, and sorted, all in the query; nothing is cut short at a fixed number.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { html } from '../helpers/html.ts'
import { insertSession, type RecordsTestApp, recordsTestApp } from '../helpers/records.ts'

const now = new Date('2026-11-20T12:00:00Z')
const kinds = ['cancelled', 'postponed', 'did-not-attend'] as const

function listed(body: string) {
  const doc = html(body)
  return {
    caption: doc.querySelector('[role="status"]')?.text.trim() ?? '',
    ids: doc
      .querySelectorAll('#cancellations tbody tr')
      .map((tr) => /\/sessions\/([0-9a-f-]{36})/.exec(tr.innerHTML)?.[1]),
  }
}

describe('the cancellations list, paged (issue 16)', () => {
  let s: RecordsTestApp
  const made: { id: string; kind: (typeof kinds)[number]; date: string; supervisee: string }[] = []
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone', clock: () => now })
    const other = await s.person('Ola Brennan')
    for (let i = 0; i < 230; i++) {
      const supervisee = i % 5 === 0 ? other.id : s.supervisee.id
      const date = addDays('2025-09-01', i)
      const id = await insertSession(s.database.db, {
        schoolId: s.org.schoolId,
        typeId: 'formal-planned',
        date,
        status: 'planned',
        supervisors: [s.supervisor.id],
        supervisees: [supervisee],
      })
      const kind = kinds[i % 3]!
      await s.database.db
        .updateTable('supervision_session')
        .set({ status: kind === 'did-not-attend' ? 'did-not-attend' : 'cancelled' })
        .where('id', '=', id)
        .execute()
      await s.database.db
        .insertInto('session_cancellation')
        .values({
          session_id: id,
          school_id: s.org.schoolId,
          kind,
          reason_id: 'unavoidable-circumstances',
          cancelled_by: s.supervisor.id,
        })
        .execute()
      made.push({ id, kind, date, supervisee })
    }
  })

  test('MW-06, issue 16: all 230 are reached a page at a time, with the count (no cut at 200)', async () => {
    const seen: string[] = []
    for (let n = 1; n <= 5; n++) {
      const res = await s.dsl.browser.get(`/sessions/cancellations?page=${n}`)
      assert.equal(res.statusCode, 200)
      const page = listed(res.body)
      assert.equal(page.caption, `Showing ${(n - 1) * 50 + 1} to ${Math.min(n * 50, 230)} of 230 sessions`)
      seen.push(...page.ids.map(String))
    }
    assert.equal(new Set(seen).size, 230)
    assert.deepEqual([...seen].sort(), made.map((m) => m.id).sort())
    assert.equal((await s.dsl.browser.get('/sessions/cancellations?page=6')).statusCode, 404)
  })

  test('issue 16: filtered by what happened, date and name; sorted oldest first', async () => {
    const caption = async (q: string) => listed((await s.dsl.browser.get(`/sessions/cancellations?${q}`)).body).caption
    const n = (count: number) => `Showing 1 to ${Math.min(50, count)} of ${count} matching sessions`
    assert.equal(await caption('status=postponed'), n(made.filter((m) => m.kind === 'postponed').length))
    assert.equal(
      await caption('from=2025-10-01&to=2025-10-31'),
      n(made.filter((m) => m.date >= '2025-10-01' && m.date <= '2025-10-31').length),
    )
    const ola = made.filter((m) => m.supervisee !== s.supervisee.id).length
    assert.equal(await caption('q=brennan'), n(ola))
    assert.equal(await caption('q=nobody'), 'No sessions')
    const oldest = listed((await s.dsl.browser.get('/sessions/cancellations?sort=date&order=asc')).body).ids[0]
    assert.equal(oldest, made[0]!.id)
  })
})
