/**
 * Disputes between supervisor and supervisee (MW-11, AM-05; issue 17): an unresolved disagreement
 * with a record books a meeting with the third person the contract names (Meanwood), or the
 * route the policy names (Ashbury Meadow: the local authority team with both parties' agreement;
 * the Chair of Governors when the disagreement is with the Principal). Both parties are told in
 * advance, with the date and time, and the outcome is recorded.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { html, textOf } from '../helpers/html.ts'
import {
  completedRecord,
  dateFields,
  hidden,
  insertContractNamingThirdPerson,
  insertSession,
  type Person,
  type RecordsTestApp,
  recordsTestApp,
} from '../helpers/records.ts'

const now = new Date('2027-01-11T10:00:00Z')
const today = '2027-01-11'

function useApp(pack: 'meanwood' | 'ashbury-meadow') {
  const state: { s?: RecordsTestApp } = {}
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    state.s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack, clock: () => now })
  })
  return () => state.s!
}

/** A completed record of a session today between the supervisor and the supervisee. */
async function aCompletedRecord(s: RecordsTestApp, supervisor: Person = s.supervisor): Promise<string> {
  const sessionId = await insertSession(s.database.db, {
    schoolId: s.org.schoolId,
    typeId: 'one-to-one',
    date: today,
    supervisors: [supervisor.id],
    supervisees: [s.supervisee.id],
  })
  const { recordId } = await completedRecord(s.database.db, {
    sessionId,
    schoolId: s.org.schoolId,
    date: today,
    supervisor: { personId: supervisor.id, name: supervisor.name, organisationId: s.org.organisationId },
    summary: 'Discussed two cases',
    mailer: { baseUrl: 'http://localhost' },
  })
  return recordId
}

/** A signed contract for the supervisee naming the third person for a dispute (MW-11). */
function contractNaming(s: RecordsTestApp, third: { id: string; name: string }): Promise<void> {
  return insertContractNamingThirdPerson(s.database.db, {
    organisationId: s.org.organisationId,
    schoolId: s.org.schoolId,
    superviseeId: s.supervisee.id,
    supervisorId: s.supervisor.id,
    third,
    at: now,
  })
}

async function outbox(s: RecordsTestApp) {
  return s.database.db.selectFrom('outbox_message').select(['to_address', 'subject', 'text_body']).execute()
}

describe('MW-11: a disagreement books a meeting with the third person named in the contract', () => {
  const app = useApp('meanwood')

  test('MW-11: the contract’s named person is used, both parties are told in advance with the date, and the outcome is recorded', async () => {
    const s = app()
    const third = await s.person('Iris Moss', ['associate-headteacher'])
    await contractNaming(s, third)
    const recordId = await aCompletedRecord(s)

    const form = await s.supervisee.browser.get(`/records/${recordId}/disagree`)
    assert.match(form.body, /The person named in your contract: Iris Moss/)
    await s.database.db.deleteFrom('outbox_message').execute()
    const disagreed = await s.supervisee.browser.post(`/records/${recordId}/disagree`, {
      text: 'The actions are not what we agreed.',
      thirdPersonId: '',
    })
    assert.equal(disagreed.statusCode, 303)
    const first = await outbox(s)
    assert.ok(
      first.some((m) => m.to_address === third.email && /named you as the third person/.test(m.text_body)),
      'the person named in the contract is told, with nobody chosen on the form',
    )
    const toSupervisor = first.find((m) => m.to_address === s.supervisor.email)!
    assert.doesNotMatch(toSupervisor.text_body, /will be arranged/)
    assert.match(toSupervisor.text_body, /book a meeting with Iris Moss/)

    const booking = await s.supervisor.browser.get(`/records/${recordId}/dispute-meeting`)
    assert.equal(booking.statusCode, 200)
    assert.match(textOf(booking.body, '#meeting-with'), /A meeting with Iris Moss, named in the supervision contract/)

    const past = await s.supervisor.browser.post(`/records/${recordId}/dispute-meeting`, {
      stepId: 'third-person',
      ...dateFields('meetingOn', '2027-01-04'),
      meetingTime: '15:30',
      venue: '',
    })
    assert.equal(past.statusCode, 400)
    assert.match(textOf(past.body, '#meetingOn-error'), /Date of the meeting must be today or in the future/)

    await s.database.db.deleteFrom('outbox_message').execute()
    const booked = await s.supervisor.browser.post(`/records/${recordId}/dispute-meeting`, {
      stepId: 'third-person',
      ...dateFields('meetingOn', '2027-01-19'),
      meetingTime: '15:30',
      venue: 'Library office',
    })
    assert.equal(booked.statusCode, 303)
    const told = await outbox(s)
    assert.deepEqual(
      told.map((m) => m.to_address).sort(),
      [s.supervisor.email, s.supervisee.email, third.email].sort(),
      'both parties and the third person are told in advance',
    )
    for (const m of told) {
      assert.match(m.text_body, /Tuesday 19 January 2027 at 3:30pm/)
      assert.doesNotMatch(m.text_body, /not what we agreed/, 'no content in emails')
    }
    assert.match(told.find((m) => m.to_address === s.supervisee.email)!.text_body, /With: Iris Moss/)

    const again = await s.supervisee.browser.post(`/records/${recordId}/dispute-meeting`, {
      stepId: 'third-person',
      ...dateFields('meetingOn', '2027-01-20'),
    })
    assert.equal(again.statusCode, 409, 'one open meeting at a time')

    const page = await s.supervisee.browser.get(`/records/${recordId}`)
    assert.match(page.body, /Meetings to resolve the disagreement/)
    assert.match(page.body, /Tuesday 19 January 2027 at 3:30pm/)
    const outcomeHref = html(page.body)
      .querySelectorAll('a')
      .map((a) => a.getAttribute('href') ?? '')
      .find((h) => h.endsWith('/outcome'))!
    assert.ok(outcomeHref, 'a link to record the outcome')
    const version = hidden((await s.supervisee.browser.get(outcomeHref)).body, 'version')
    const blank = await s.supervisee.browser.post(
      outcomeHref,
      { outcome: '', note: '', version },
      { formPage: outcomeHref },
    )
    assert.equal(blank.statusCode, 400)
    assert.match(textOf(blank.body, '#outcome-error'), /Select whether the disagreement was resolved/)
    assert.match(textOf(blank.body, '#note-error'), /Enter what was agreed/)
    const saved = await s.supervisee.browser.post(
      outcomeHref,
      { outcome: 'resolved', note: 'The actions will be corrected in an addendum.', version },
      { formPage: outcomeHref },
    )
    assert.equal(saved.statusCode, 303)
    const after = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(after.body, /Resolved: The actions will be corrected in an addendum\./)
    assert.ok(!html(after.body).querySelector(`a[href="${outcomeHref}"]`))

    const bystander = await s.bystander.browser.get(`/records/${recordId}/dispute-meeting`)
    assert.equal(bystander.statusCode, 403)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', recordId)
      .execute()
    for (const a of ['record.dispute-meeting', 'record.dispute-outcome'])
      assert.ok(
        audit.some((x) => x.action === a),
        a,
      )
  })
})

describe('AM-05: Ashbury Meadow’s route: the local authority team, or the Chair of Governors for the Principal', () => {
  const app = useApp('ashbury-meadow')

  async function disagree(s: RecordsTestApp, recordId: string) {
    const res = await s.supervisee.browser.post(`/records/${recordId}/disagree`, {
      text: 'I do not agree with the summary.',
      thirdPersonId: '',
    })
    assert.equal(res.statusCode, 303)
  }

  test('AM-05: the local authority team is booked only with both parties’ agreement', async () => {
    const s = app()
    const recordId = await aCompletedRecord(s)
    await disagree(s, recordId)
    const page = await s.supervisee.browser.get(`/records/${recordId}/dispute-meeting`)
    assert.match(textOf(page.body, '#meeting-with'), /The local authority \(MCC\) safeguarding team/)
    const refused = await s.supervisee.browser.post(`/records/${recordId}/dispute-meeting`, {
      stepId: 'local-authority',
      ...dateFields('meetingOn', '2027-01-25'),
    })
    assert.equal(refused.statusCode, 400)
    assert.match(textOf(refused.body, '#bothAgreed-error'), /Confirm that both of you agree to the meeting/)
    const booked = await s.supervisee.browser.post(`/records/${recordId}/dispute-meeting`, {
      stepId: 'local-authority',
      bothAgreed: 'yes',
      ...dateFields('meetingOn', '2027-01-25'),
    })
    assert.equal(booked.statusCode, 303)
    const row = await s.database.db
      .selectFrom('dispute_meeting')
      .select(['third_party_name', 'both_agreed', 'third_person_id'])
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, {
      third_party_name: 'The local authority (MCC) safeguarding team',
      both_agreed: true,
      third_person_id: null,
    })
  })

  test('AM-05: a disagreement with the Principal goes to the Chair of Governors, who is told in advance', async () => {
    const s = app()
    const chair = await s.person('Carol Dunn', ['chair-of-governors'])
    const recordId = await aCompletedRecord(s, s.headteacher)
    await disagree(s, recordId)
    const page = await s.supervisee.browser.get(`/records/${recordId}/dispute-meeting`)
    assert.match(textOf(page.body, '#meeting-with'), /A meeting with Carol Dunn/)
    await s.database.db.deleteFrom('outbox_message').execute()
    const booked = await s.supervisee.browser.post(`/records/${recordId}/dispute-meeting`, {
      stepId: 'chair-of-governors',
      ...dateFields('meetingOn', '2027-01-26'),
      meetingTime: '9am',
    })
    assert.equal(booked.statusCode, 303)
    const told = await outbox(s)
    assert.deepEqual(
      told.map((m) => m.to_address).sort(),
      [s.headteacher.email, s.supervisee.email, chair.email].sort(),
    )
    assert.ok(told.every((m) => m.text_body.includes('Tuesday 26 January 2027 at 9am')))
  })
})
