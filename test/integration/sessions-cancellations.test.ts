/**
 * Cancelling, postponing, not attending and holding sessions (issue 6 item 3): MW-06 a reason from
 * the policy's categories, visible to the DSL; AM-05 the other party is told; CA-03 the rebooking
 * deadline shown, counted past half term, and a breach when it is missed; rebooking; optimistic
 * locking, permissions and CSRF.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  addWorkingDays,
  englandDefaultCalendar,
  formatLongDate,
  type IsoDate,
} from '../../src/domain/calendar/index.ts'
import { sessionFacts } from '../../src/services/compliance/facts.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  booking,
  dateFields,
  insertPlannedSession,
  sessionIdFrom,
  sharedSessionsApps,
  today,
  weekdayFromToday,
} from './sessions-support.ts'

const app = sharedSessionsApps()
const year = Number(today.slice(0, 4))
const calendar = englandDefaultCalendar('england-and-wales', year - 2, year + 2)

async function row(s: Awaited<ReturnType<typeof app>>, id: string) {
  return s.database.db.selectFrom('supervision_session').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

test('MW-06: a cancellation needs a reason from the policy, is visible to the DSL, and AM-05 the other party is told', async () => {
  const s = await app('cornerstone')
  const pat = await s.add('Pat Mills', { pastoral: true })
  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ typeId: 'formal-planned', supervisorId: s.dslId, superviseeIds: [pat], date: weekdayFromToday(10) }),
    ),
  )
  const patBrowser = await s.as('Pat Mills')

  const form = await patBrowser.get(`/sessions/${id}/cancel`)
  assert.equal(form.statusCode, 200)
  const reasons = html(form.body)
    .querySelectorAll('input[name=reasonId]')
    .map((i) => i.getAttribute('value'))
  assert.deepEqual(reasons, ['unavoidable-circumstances', 'staff-absence'])
  assert.match(textOf(form.body, 'main'), /cancelled only in exceptional circumstances/)
  assert.match(textOf(form.body, 'main'), /must be rebooked within 5 working days/)

  const noReason = await patBrowser.post(`/sessions/${id}/cancel`, { version: '1', reasonId: '', reasonNote: '' })
  assert.equal(noReason.statusCode, 400)
  assert.match(textOf(noReason.body, '#reasonId-error'), /Select a reason for cancelling the session/)
  const madeUp = await patBrowser.post(`/sessions/${id}/cancel`, {
    version: '1',
    reasonId: 'felt-like-it',
    reasonNote: '',
  })
  assert.match(textOf(madeUp.body, '#reasonId-error'), /Select a reason/)
  assert.equal((await row(s, id)).status, 'planned', 'nothing changed')

  const done = await patBrowser.post(`/sessions/${id}/cancel`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: 'Exam invigilation',
  })
  assert.equal(done.statusCode, 303)
  assert.equal(done.headers.location, `/sessions/${id}?saved=cancelled`)
  const after = await row(s, id)
  assert.equal(after.status, 'cancelled')
  assert.equal(after.sequence, 1, 'the iCalendar sequence moves on every change')
  assert.equal(after.version, 2)
  const cancellation = await s.database.db
    .selectFrom('session_cancellation')
    .selectAll()
    .where('session_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(cancellation.kind, 'cancelled')
  assert.equal(cancellation.reason_id, 'unavoidable-circumstances')
  assert.equal(cancellation.cancelled_by, pat)

  // AM-05: the supervisor is told, not the person who cancelled.
  const mail = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('subject', 'like', '%cancelled')
    .execute()
  assert.deepEqual(
    mail.map((m) => m.to_address),
    ['dana.shah@oakfield.example'],
  )
  assert.match(mail[0]!.text_body, /Pat Mills has cancelled the supervision session/)
  assert.match(mail[0]!.text_body, /Reason: Unavoidable circumstances\./)
  assert.match(mail[0]!.text_body, /Rebook for a date on or before/)

  // MW-06: visible to the DSL; not to staff.
  const list = await s.dsl.get('/sessions/cancellations')
  assert.equal(list.statusCode, 200)
  assert.match(textOf(list.body, '#cancellations'), /Pat Mills/)
  assert.match(textOf(list.body, '#cancellations'), /Unavoidable circumstances: Exam invigilation/)
  assert.equal((await patBrowser.get('/sessions/cancellations')).statusCode, 403)
  const page = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(page.body, 'main'), /Why it was cancelled/)
  assert.match(textOf(page.body, 'main'), /Recorded by Pat Mills/)

  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'session.cancelled')
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(audit.detail, { reasonId: 'unavoidable-circumstances', returnDate: null })
})

test('CA-03: the rebooking deadline is shown, counted past half term, and rebooking in time meets it', async () => {
  const s = await app('cornerstone')
  const pat = await s.add('Hana Term', { pastoral: true })
  // The last day of the next half term that ends at least a day from now.
  const halfTerms = calendar.years.flatMap((y) => y.halfTerms)
  const index = halfTerms.findIndex((h) => h.end > today)
  const lastDay = halfTerms[index]!.end
  const nextStart = halfTerms[index + 1]!.start
  const deadline = addWorkingDays(calendar, lastDay, 5)
  assert.ok(deadline > nextStart, 'the holiday is skipped')

  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date: lastDay,
        startTime: '15:30',
      }),
    ),
  )
  sessionIdFrom(
    await s.dsl.post(`/sessions/${id}/cancel`, { version: '1', reasonId: 'unavoidable-circumstances', reasonNote: '' }),
  )
  const page = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(page.body, 'main'), new RegExp(`Rebooking deadline ${formatLongDate(deadline)}`))
  assert.match(textOf(page.body, 'main'), new RegExp(`Rebook for a date on or before ${formatLongDate(deadline)}`))
  assert.ok(html(page.body).querySelector(`a[href="/sessions/new?rebook=${id}"]`), 'a Rebook button')

  // "My sessions" warns the supervisee and the supervisor before it passes.
  const mine = await (await s.as('Hana Term')).get('/sessions')
  assert.match(
    textOf(mine.body, '.govuk-warning-text'),
    new RegExp(`Rebook for a date on or before ${formatLongDate(deadline)}`),
  )
  const dslMine = await s.dsl.get('/sessions')
  assert.match(textOf(dslMine.body, 'main'), /Hana Term: Rebook for a date on or before/)

  // Rebook: prefilled from the cancelled session.
  const form = await s.dsl.get(`/sessions/new?rebook=${id}`)
  assert.equal(form.statusCode, 200)
  const doc = html(form.body)
  assert.equal(doc.querySelector('input[name=rebooks]')?.getAttribute('value'), id)
  assert.ok(doc.querySelector(`input[name=superviseeIds][value="${pat}"]`)?.hasAttribute('checked'))
  assert.ok(doc.querySelector('input[name=typeId][value=formal-planned]')?.hasAttribute('checked'))
  assert.equal(doc.querySelector('#venue')?.getAttribute('value'), 'Meeting room 2')
  assert.match(textOf(form.body, '.govuk-inset-text'), new RegExp(`on or before ${formatLongDate(deadline)}`))

  const rebookDate = nextStart
  const rebooked = sessionIdFrom(
    await s.dsl.post(`/sessions/new`, {
      ...booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date: rebookDate,
        startTime: '17:00',
      }),
      rebooks: id,
    }),
  )
  assert.equal((await row(s, rebooked)).rebooks_session_id, id)
  const old = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(old.body, 'main'), /Rebooked in time/)
  assert.match(textOf(old.body, '.govuk-summary-list'), /Rebooked as/)
  assert.equal(html(old.body).querySelector(`a[href="/sessions/new?rebook=${id}"]`), null, 'no second rebooking')
  assert.equal((await s.dsl.get(`/sessions/new?rebook=${id}`)).statusCode, 404)
  const list = await s.dsl.get('/sessions/cancellations')
  assert.match(textOf(list.body, '#cancellations'), /Hana Term.*Rebooked in time/)
})

test('CA-03: a breach is flagged when the deadline passes, and stays when it is rebooked too late', async () => {
  const s = await app('cornerstone')
  const pat = await s.add('Bill Breach', { pastoral: true })
  const past = addWorkingDays(calendar, today, -12)
  const deadline: IsoDate = addWorkingDays(calendar, past, 5)
  const id = await insertPlannedSession(s, {
    typeId: 'formal-planned',
    date: past,
    supervisorId: s.dslId,
    superviseeIds: [pat],
  })
  const dna = await s.dsl.post(`/sessions/${id}/did-not-attend`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: '',
  })
  assert.equal(dna.statusCode, 303)
  assert.equal((await row(s, id)).status, 'did-not-attend')

  const bill = (await schoolCompliance(s.database.db, s.org.schoolId, today)).find((p) => p.personId === pat)!
  const breach = bill.breaches.find((b) => b.kind === 'rebooking-deadline-missed')
  assert.ok(breach, 'the compliance engine reports the breach')
  assert.equal(breach.kind === 'rebooking-deadline-missed' && breach.deadline, deadline)

  const page = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(page.body, 'main'), /Rebooking deadline missed/)
  assert.match(
    textOf(page.body, '.govuk-warning-text'),
    new RegExp(`Not rebooked by the deadline of ${formatLongDate(deadline)}: the policy was not met`),
  )
  assert.match(
    textOf((await s.dsl.get('/sessions/cancellations')).body, '#cancellations'),
    /Bill Breach.*Rebooking deadline missed/,
  )

  // Rebooking now is after the deadline: a warning to confirm, then the breach stays, with the date.
  const fields = {
    ...booking({
      typeId: 'formal-planned',
      supervisorId: s.dslId,
      superviseeIds: [pat],
      date: weekdayFromToday(3),
      startTime: '16:00',
    }),
    rebooks: id,
  }
  const warned = await s.dsl.post('/sessions/new', fields)
  assert.equal(warned.statusCode, 200)
  assert.match(
    textOf(warned.body, '.govuk-warning-text'),
    new RegExp(`after the rebooking deadline of ${formatLongDate(deadline)}`),
  )
  sessionIdFrom(await s.dsl.post('/sessions/new', { ...fields, confirmed: 'yes' }))
  const later = (await schoolCompliance(s.database.db, s.org.schoolId, today)).find((p) => p.personId === pat)!
  const still = later.breaches.find((b) => b.kind === 'rebooking-deadline-missed')
  assert.ok(still && still.kind === 'rebooking-deadline-missed' && still.rebookedFor !== null)
  assert.match(textOf((await s.dsl.get(`/sessions/${id}`)).body, 'main'), /after the deadline of/)
})

test('CA-03: missed through absence, the deadline counts from the return date, recorded now or later', async () => {
  const s = await app('cornerstone')
  const pat = await s.add('Abi Sent', { pastoral: true })
  const date = weekdayFromToday(15)
  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ typeId: 'formal-planned', supervisorId: s.dslId, superviseeIds: [pat], date, startTime: '08:00' }),
    ),
  )
  const early = await s.dsl.post(`/sessions/${id}/cancel`, {
    version: '1',
    reasonId: 'staff-absence',
    reasonNote: '',
    ...dateFields('returnDate', '2020-01-06'),
  })
  assert.equal(early.statusCode, 400)
  assert.match(textOf(early.body, '#returnDate-error'), /on or after the date of the session/)
  const bad = await s.dsl.post(`/sessions/${id}/cancel`, {
    version: '1',
    reasonId: 'staff-absence',
    reasonNote: '',
    'returnDate-day': '40',
    'returnDate-month': '1',
    'returnDate-year': '2027',
  })
  assert.match(textOf(bad.body, '#returnDate-error'), /must be a real date/)
  sessionIdFrom(await s.dsl.post(`/sessions/${id}/cancel`, { version: '1', reasonId: 'staff-absence', reasonNote: '' }))
  const waiting = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(waiting.body, 'main'), /Return date needed/)
  assert.match(textOf(waiting.body, '.govuk-warning-text'), /Rebook within 5 working days of Abi Sent returning/)
  assert.match(textOf(waiting.body, 'main'), /Expected return Not known yet/)

  const before = await s.dsl.post(`/sessions/${id}/return-date`, {
    version: '2',
    ...dateFields('returnDate', '2020-01-06'),
  })
  assert.equal(before.statusCode, 400)
  assert.match(textOf(before.body, '#returnDate-error'), /must be on or after/)
  const back = weekdayFromToday(25)
  const saved = await s.dsl.post(`/sessions/${id}/return-date`, { version: '2', ...dateFields('returnDate', back) })
  assert.equal(saved.statusCode, 303)
  const page = await s.dsl.get(`/sessions/${id}`)
  assert.match(
    textOf(page.body, 'main'),
    new RegExp(`Rebooking deadline ${formatLongDate(addWorkingDays(calendar, back, 5))}`),
  )
  assert.equal((await row(s, id)).sequence, 2)
})

test('AM-05: postponing books the new date in the same step and tells the other party', async () => {
  const s = await app('cornerstone')
  const pat = await s.add('Paul Pone', { pastoral: true })
  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date: weekdayFromToday(11),
        startTime: '09:00',
      }),
    ),
  )
  const missing = await s.dsl.post(`/sessions/${id}/postpone`, { version: '1', reasonId: '', reasonNote: '' })
  assert.equal(missing.statusCode, 400)
  assert.match(textOf(missing.body, '#reasonId-error'), /Select a reason for postponing the session/)
  assert.match(textOf(missing.body, '#date-error'), /Enter the new date/)
  assert.match(textOf(missing.body, '#startTime-error'), /Enter the new start time/)
  const pastDate = await s.dsl.post(`/sessions/${id}/postpone`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: '',
    ...dateFields('date', '2021-03-01'),
    startTime: '09:00',
  })
  assert.match(textOf(pastDate.body, '#date-error'), /today or in the future/)

  const newDate = weekdayFromToday(13)
  const res = await s.dsl.post(`/sessions/${id}/postpone`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: '',
    ...dateFields('date', newDate),
    startTime: '1pm',
  })
  const newId = sessionIdFrom(res)
  assert.notEqual(newId, id)
  const old = await row(s, id)
  assert.equal(old.status, 'cancelled')
  assert.equal(old.sequence, 1)
  const fresh = await row(s, newId)
  assert.equal(fresh.rebooks_session_id, id)
  assert.equal(fresh.date, newDate)
  assert.equal(fresh.start_time, '13:00')
  assert.equal(fresh.venue, 'Meeting room 2')
  const kind = await s.database.db
    .selectFrom('session_cancellation')
    .select('kind')
    .where('session_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(kind.kind, 'postponed')
  const mail = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('to_address', '=', 'paul.pone@oakfield.example')
    .where('subject', 'like', '%postponed')
    .execute()
  assert.equal(mail.length, 1)
  assert.match(mail[0]!.text_body, new RegExp(`It is now on ${formatLongDate(newDate)}, 1pm to 2pm`))
  const oldPage = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(oldPage.body, 'main'), /Postponed/)
  assert.match(textOf(oldPage.body, 'main'), /Rebooked in time/)
})

test('held and did not attend: a group records who came; only the supervisor side, on or after the day', async () => {
  const s = await app('cornerstone')
  const a = await s.add('Gail Held')
  const b = await s.add('Gus Held')
  const group = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'group',
        supervisorId: s.dslId,
        superviseeIds: [a, b],
        date: today,
        startTime: '00:00',
        durationMinutes: '20',
      }),
    ),
  )
  const gail = await s.as('Gail Held')
  assert.equal((await gail.get(`/sessions/${group}/held`)).statusCode, 403)
  assert.equal(
    (await gail.post(`/sessions/${group}/held`, { version: '1', attended: [a] }, { formPage: `/sessions/${group}` }))
      .statusCode,
    403,
  )
  const nobody = await s.dsl.post(`/sessions/${group}/held`, { version: '1' })
  assert.equal(nobody.statusCode, 400)
  assert.match(textOf(nobody.body, '#attended-error'), /Select who attended/)
  const form = await s.dsl.get(`/sessions/${group}/held`)
  assert.equal(html(form.body).querySelectorAll('input[name=attended][checked]').length, 2)
  assert.equal((await s.dsl.post(`/sessions/${group}/held`, { version: '1', attended: [a] })).statusCode, 303)
  const people = await s.database.db
    .selectFrom('session_participant')
    .selectAll()
    .where('session_id', '=', group)
    .execute()
  assert.equal(people.find((p) => p.person_id === a)?.attended, true)
  assert.equal(people.find((p) => p.person_id === b)?.attended, false)
  assert.match(
    textOf((await s.dsl.get(`/sessions/${group}`)).body, '.govuk-summary-list'),
    /Gus Held \(did not attend\)/,
  )
  // The engine's facts (read as one text value, issue 16): the one who did not attend did not receive it.
  const held = (await sessionFacts(s.database.db, s.org.schoolId)).find((f) => f.id === group)
  assert.deepEqual(
    { status: held?.status, supervisors: held?.supervisorIds, supervisees: held?.superviseeIds, tags: held?.tags },
    { status: 'held', supervisors: [s.dslId], supervisees: [a], tags: [] },
  )

  const future = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [a],
        date: weekdayFromToday(5),
        startTime: '07:00',
      }),
    ),
  )
  assert.equal((await s.dsl.get(`/sessions/${future}/held`)).statusCode, 403)
  assert.equal((await s.dsl.get(`/sessions/${future}/did-not-attend`)).statusCode, 403)
})

test('optimistic locking, permissions and CSRF on changes', async () => {
  const s = await app('cornerstone')
  const pat = await s.add('Lou Lock')
  await s.add('Nia Nosy')
  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date: weekdayFromToday(16),
        startTime: '11:00',
      }),
    ),
  )
  const stale = await s.dsl.post(`/sessions/${id}/cancel`, {
    version: '7',
    reasonId: 'unavoidable-circumstances',
    reasonNote: '',
  })
  assert.equal(stale.statusCode, 409)
  assert.match(textOf(stale.body, 'h1'), /This has changed since you opened it/)
  assert.equal((await row(s, id)).status, 'planned')

  const nia = await s.as('Nia Nosy')
  assert.equal((await nia.get(`/sessions/${id}`)).statusCode, 404)
  assert.equal((await nia.get(`/sessions/${id}/cancel`)).statusCode, 404)
  const sneaky = await nia.post(
    `/sessions/${id}/cancel`,
    { version: '1', reasonId: 'unavoidable-circumstances', reasonNote: '' },
    { formPage: '/sessions' },
  )
  assert.equal(sneaky.statusCode, 404)
  const noToken = await s.dsl.post(
    `/sessions/${id}/cancel`,
    { version: '1', reasonId: 'unavoidable-circumstances', reasonNote: '' },
    { csrf: null },
  )
  assert.equal(noToken.statusCode, 403)
  assert.equal((await row(s, id)).status, 'planned')
  // A cancelled session cannot be cancelled again.
  sessionIdFrom(
    await s.dsl.post(`/sessions/${id}/cancel`, { version: '1', reasonId: 'unavoidable-circumstances', reasonNote: '' }),
  )
  assert.equal((await s.dsl.get(`/sessions/${id}/cancel`)).statusCode, 403)
  const again = await s.dsl.post(
    `/sessions/${id}/cancel`,
    { version: '2', reasonId: 'unavoidable-circumstances', reasonNote: '' },
    { formPage: `/sessions/${id}` },
  )
  assert.equal(again.statusCode, 403)
})
