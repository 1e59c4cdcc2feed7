/**
 * Issue 14: policy settings that change what Haven does, seen through its pages. Each test sets
 * the setting in the school's policy (an invented value as well as the pack's) and watches the
 * behaviour follow it.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { html, textOf } from '../helpers/html.ts'
import { insertPlannedSession, type SessionsApp, sessionsApp, weekdayFromToday } from './sessions-support.ts'

/** Sets one value of the school's policy in force, at a JSON path like `{cancellation,reasonRequired}`. */
async function setPolicy(s: SessionsApp, path: string, value: unknown) {
  await sql`update policy_version set document = jsonb_set(document, ${path}::text[], ${JSON.stringify(value)}::jsonb)`.execute(
    s.database.db,
  )
}

function bookFor(s: SessionsApp, superviseeId: string, days: number) {
  return insertPlannedSession(s, {
    typeId: 'formal-planned',
    date: weekdayFromToday(days),
    supervisorId: s.dslId,
    superviseeIds: [superviseeId],
  })
}

test('MW-06: the cancel form asks for a reason only when the policy requires one', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const pat = await s.add('Pat Mills', { pastoral: true })
  const required = await bookFor(s, pat, 10)
  const optional = await bookFor(s, pat, 11)

  // Cornerstone requires a reason (the default).
  const refused = await s.dsl.post(`/sessions/${required}/cancel`, { version: '1', reasonId: '', reasonNote: '' })
  assert.equal(refused.statusCode, 400)
  assert.match(textOf(refused.body, '#reasonId-error'), /Select a reason for cancelling the session/)

  await setPolicy(s, '{cancellation,reasonRequired}', false)
  const form = await s.dsl.get(`/sessions/${optional}/cancel`)
  assert.match(textOf(form.body, 'legend'), /Why is it being cancelled\? \(optional\)/)
  const done = await s.dsl.post(`/sessions/${optional}/cancel`, { version: '1', reasonId: '', reasonNote: '' })
  assert.equal(done.statusCode, 303)
  const list = await s.dsl.get('/sessions/cancellations')
  assert.match(textOf(list.body, '#cancellations'), /No reason given/)
  const madeUp = await s.dsl.post(`/sessions/${required}/cancel`, { version: '1', reasonId: 'whim', reasonNote: '' })
  assert.equal(madeUp.statusCode, 400, 'a reason the policy does not list is still refused')
})

test('MW-06: the roles the policy names see every cancellation of the school; others see only their own sessions', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const pat = await s.add('Pat Mills', { pastoral: true })
  await s.add('Hal Head', { roles: ['headteacher'] })
  await s.add('Cass Teacher', { roles: ['class-teacher'] })
  const id = await bookFor(s, pat, 10)
  await s.dsl.post(`/sessions/${id}/cancel`, { version: '1', reasonId: 'unavoidable-circumstances', reasonNote: '' })
  const head = await s.as('Hal Head')
  const teacher = await s.as('Cass Teacher')

  // Cornerstone: the DSL (who also manages sessions) sees them; the headteacher does not.
  assert.equal((await s.dsl.get('/sessions/cancellations')).statusCode, 200)
  assert.equal((await head.get('/sessions/cancellations')).statusCode, 403)
  assert.doesNotMatch(textOf((await head.get('/sessions')).body, 'main'), /Sessions that did not take place/)

  // An invented policy that names the headteacher.
  await setPolicy(s, '{cancellation,visibleTo}', ['headteacher'])
  const list = await head.get('/sessions/cancellations')
  assert.equal(list.statusCode, 200)
  assert.match(textOf(list.body, '#cancellations'), /Pat Mills/)
  const links = html((await head.get('/sessions')).body)
    .querySelectorAll('main a')
    .map((a) => a.text.trim())
  assert.ok(links.includes('Sessions that did not take place'))
  assert.equal((await teacher.get('/sessions/cancellations')).statusCode, 403)
})
