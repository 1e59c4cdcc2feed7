/**
 * Issue 18: a home page that says what to do next. On both databases: a new school's setup
 * checklist ticked from its data; the DSL's, a supervisor's and a supervisee's blocks with their
 * counts, each item a link that opens; no dead ends from a session's page; a weekend booking
 * warned about; a group record that asks for its boundary and decisions once. One app for the file.
 */
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import {
  addDays,
  bankHolidayOn,
  bankHolidays,
  englandDefaultCalendar,
  isoWeekday,
  isTermTime,
  isWeekend,
} from '../../src/domain/calendar/index.ts'
import { weekOf } from '../../src/domain/home/next-steps.ts'
import type { Client } from '../helpers/browser-like.ts'
import { html } from '../helpers/html.ts'
import { completedRecord, formValues, insertSession, recordIdFrom } from '../helpers/records.ts'
import {
  booking,
  type SessionsApp,
  sessionCount,
  sessionIdFrom,
  sharedSessionsApps,
  today,
} from './sessions-support.ts'

const app = sharedSessionsApps()

/** The links of a block on the home page: [item key, link text, address]. */
function block(body: string, id: string): [string, string, string][] {
  return html(body)
    .querySelectorAll(`#${id} li`)
    .map((li) => {
      const a = li.querySelector('a')
      return [li.getAttribute('data-item') ?? '', a?.textContent.trim() ?? '', a?.getAttribute('href') ?? '']
    })
}

async function opens(who: Client, hrefs: readonly string[]) {
  for (const href of hrefs) assert.equal((await who.get(href)).statusCode, 200, `${href} does not open`)
}

describe('issue 18: the home page says what to do next', () => {
  let s: SessionsApp
  let sam: Client
  let priya: Client
  const ids: Record<string, string> = {}

  before(async () => {
    s = await app('lode-heath')
  })

  test('a new school gets a setup checklist ticked from its own data', async () => {
    const home = await s.dsl.get('/')
    assert.equal(home.statusCode, 200)
    const tasks = html(home.body)
      .querySelectorAll('#setup-steps .govuk-task-list__item')
      .map((li) => [
        li.querySelector('a')?.getAttribute('href'),
        li.querySelector('.govuk-task-list__status')?.textContent.trim(),
      ])
    assert.deepEqual(tasks, [
      ['/policy', 'Done'],
      ['/calendar', 'To do'],
      ['/staff/import', 'To do'],
      ['/staff', 'To do'],
      ['/planner', 'To do'],
      ['/contracts/issue', 'To do'],
    ])
    assert.match(
      html(home.body).querySelector('#setup-steps')?.textContent ?? '',
      /1 person in scope with no supervisor or line manager/,
    )
    await opens(
      s.dsl,
      tasks.map((t) => t[0] as string),
    )
  })

  test('the DSL, a supervisor and a supervisee each see their own work, with counts and links that open', async () => {
    const db = s.database.db
    const samId = await s.add('Sam Okafor', { roles: ['pastoral-lead'], trained: true })
    const priyaId = await s.add('Priya Shah', { roles: ['year-head'], supervisorId: samId })
    sam = await s.as('Sam Okafor')
    priya = await s.as('Priya Shah')
    const session = (date: string, status: 'planned' | 'held') =>
      insertSession(db, {
        schoolId: s.org.schoolId,
        typeId: 'one-to-one',
        date,
        status,
        supervisors: [samId],
        supervisees: [priyaId],
      })
    ids.held = await session(addDays(today, -3), 'held')
    ids.today = await session(today, 'planned')
    ids.soon = await session(addDays(today, 3), 'planned')
    ids.signed = await session(addDays(today, -10), 'held')
    await db
      .insertInto('record_preparation')
      .values({ school_id: s.org.schoolId, session_id: ids.today, person_id: priyaId, content: '{}' })
      .execute()
    const record = {
      id: (
        await completedRecord(db, {
          sessionId: ids.signed,
          schoolId: s.org.schoolId,
          date: addDays(today, -10),
          supervisor: { personId: samId, name: 'Sam Okafor', organisationId: s.org.organisationId },
          summary: 'Workload and two cases',
          mailer: { baseUrl: 'http://localhost' },
        })
      ).recordId,
    }
    await db
      .insertInto('session_request')
      .values({
        organisation_id: s.org.organisationId,
        school_id: s.org.schoolId,
        requester_id: priyaId,
        requested_by: priyaId,
        topic: 'A case that worries me',
        supervisor_id: samId,
      })
      .execute()

    const dslHome = (await s.dsl.get('/')).body
    const school = block(dslHome, 'school-steps')
    assert.deepEqual(
      school.map(([key, text]) => [key, text]),
      [
        ['requests', '1 request for a session waiting for an answer'],
        ['records-awaiting-signature', '1 record waiting for signatures'],
        ['never-supervised', '2 people never supervised'],
      ],
    )
    assert.deepEqual(
      school.map(([, , href]) => href),
      ['/sessions/requests', '/overview/records-awaiting-signature', '/overview/never-supervised'],
    )
    // Sam, in scope, has no supervisor yet: the checklist stays, saying so.
    assert.match(
      html(dslHome).querySelector('#setup-steps')?.textContent ?? '',
      /2 people in scope with no supervisor or line manager/,
    )
    await opens(
      s.dsl,
      school.map(([, , href]) => href),
    )

    const samHome = (await sam.get('/')).body
    const supervisor = block(samHome, 'supervisor-steps')
    assert.deepEqual(
      supervisor.map(([key, , href]) => [key, href]),
      [
        ['this-week', '/sessions'],
        ['requests', '/sessions/requests'],
        ['record-to-write', `/records/sessions/${ids.held}`],
        ['record-to-sign', `/records/${record.id}`],
        ['preparation-received', `/records/sessions/${ids.today}`],
      ],
    )
    const week = weekOf(today)
    const thisWeek = [-3, 0, 3, -10].map((d) => addDays(today, d)).filter((d) => d >= week.from && d <= week.to).length
    assert.equal(supervisor[0]?.[1], `${thisWeek === 1 ? '1 session' : `${thisWeek} sessions`} to lead this week`)
    assert.match(supervisor[4]?.[1] ?? '', /^Read what Priya Shah prepared for the planned one-to-one supervision on /)
    assert.equal(html(samHome).querySelector('#school-steps'), null, 'a supervisor sees no school block')
    assert.equal(html(samHome).querySelector('#setup-steps'), null)
    await opens(
      sam,
      supervisor.map(([, , href]) => href),
    )

    const priyaHome = (await priya.get('/')).body
    assert.equal(html(priyaHome).querySelector('#next-session a')?.getAttribute('href'), `/sessions/${ids.today}`)
    const supervisee = block(priyaHome, 'supervisee-steps')
    assert.deepEqual(
      supervisee.map(([key, , href]) => [key, href]),
      [
        ['prepare', `/records/sessions/${ids.soon}/preparation`],
        ['record-to-sign', `/records/${record.id}`],
      ],
    )
    assert.equal(html(priyaHome).querySelector('#supervisor-steps'), null)
    assert.match(priyaHome, /Your actions/)
    await opens(priya, [`/sessions/${ids.today}`, ...supervisee.map(([, , href]) => href)])
  })

  test('no dead ends: the session page leads the supervisor to its record and the supervisee to preparing', async () => {
    const forSam = html((await sam.get(`/sessions/${ids.held}`)).body)
    assert.equal(forSam.querySelector('#write-record')?.getAttribute('href'), `/records/sessions/${ids.held}`)
    const forPriya = html((await priya.get(`/sessions/${ids.soon}`)).body)
    assert.equal(forPriya.querySelector('#prepare')?.getAttribute('href'), `/records/sessions/${ids.soon}/preparation`)
    assert.equal(forPriya.querySelector('#write-record'), null)
  })

  test('a Saturday or Sunday booking is warned about before it is made', async () => {
    let saturday = addDays(today, 7)
    while (isoWeekday(saturday) !== 6) saturday = addDays(saturday, 1)
    const teacher = await s.add('Wendy Ash', { roles: ['year-head'] })
    const count = await sessionCount(s)
    const warned = await s.dsl.post(
      '/sessions/new',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], date: saturday }),
    )
    assert.equal(warned.statusCode, 200)
    assert.match(warned.body, /Saturday \d+ \w+ \d{4} is a weekend: the school is closed/)
    assert.equal(await sessionCount(s), count, 'nothing is booked until confirmed')
    const confirmed = await s.dsl.post(
      '/sessions/new',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], date: saturday, confirmed: 'yes' }),
    )
    sessionIdFrom(confirmed)
  })

  test('a bank holiday or a weekday of the school holidays is warned about too (issue 18)', async () => {
    const calendar = englandDefaultCalendar(
      'england-and-wales',
      Number(today.slice(0, 4)) - 1,
      Number(today.slice(0, 4)) + 2,
    )
    const after = addDays(today, 7)
    const bankHoliday = bankHolidays('england-and-wales').find((h) => h.date >= after && !isWeekend(h.date))!
    let holiday = after
    while (isWeekend(holiday) || isTermTime(calendar, holiday) || bankHolidayOn('england-and-wales', holiday))
      holiday = addDays(holiday, 1)
    const teacher = await s.add('Vera Lane', { roles: ['year-head'] })
    const count = await sessionCount(s)
    for (const [date, warning] of [
      [bankHoliday.date, /is a bank holiday \([^)]+\): the school is closed/],
      [holiday, /is in the school holidays/],
    ] as const) {
      const warned = await s.dsl.post(
        '/sessions/new',
        booking({ supervisorId: s.dslId, superviseeIds: [teacher], date }),
      )
      assert.equal(warned.statusCode, 200, date)
      assert.match(warned.body, warning)
    }
    assert.equal(await sessionCount(s), count, 'nothing is booked until confirmed')
    sessionIdFrom(
      await s.dsl.post(
        '/sessions/new',
        booking({ supervisorId: s.dslId, superviseeIds: [teacher], date: holiday, confirmed: 'yes' }),
      ),
    )
  })

  test('a group record asks for the group’s boundary and the decisions once, and keeps them once', async () => {
    const db = s.database.db
    const idOf = async (name: string) =>
      (await db.selectFrom('person').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
    const samId = await idOf('Sam Okafor')
    const priyaId = await idOf('Priya Shah')
    const omar = await s.add('Omar Hale', { roles: ['year-head'] })
    const groupId = await insertSession(db, {
      schoolId: s.org.schoolId,
      typeId: 'group',
      date: today,
      supervisors: [samId],
      supervisees: [priyaId, omar],
    })
    const started = await sam.post(
      `/records/sessions/${groupId}/start`,
      { template: 'lh-management-oversight@1' },
      { formPage: `/records/sessions/${groupId}` },
    )
    const recordId = recordIdFrom(started.headers.location)
    const page = await sam.get(`/records/${recordId}`)
    const form = html(page.body)
    assert.equal((page.body.match(/[Cc]onfidentiality boundar/g) ?? []).length, 1, 'one boundary field')
    assert.ok(form.querySelector('textarea[name=boundary]'))
    assert.equal(form.querySelector('[name=groupConfidentiality]'), null)
    assert.equal(form.querySelector('textarea[name=decisions]'), null, 'the decisions are asked once')
    assert.equal(form.querySelector('[name^=recordedOnChildRecord]'), null)
    assert.ok(form.querySelector('textarea[name=decisions-0-decision]'))
    const saved = await sam.post(
      `/records/${recordId}`,
      { ...formValues(page.body), boundary: 'What is said stays in the room.' },
      { formPage: `/records/${recordId}` },
    )
    assert.ok(saved.statusCode < 400, `saving failed: ${saved.statusCode}`)
    const row = await db
      .selectFrom('supervision_record')
      .select('document')
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    const doc = (typeof row.document === 'string' ? JSON.parse(row.document) : row.document) as {
      boundary: string
      values: Record<string, unknown>
    }
    assert.equal(doc.boundary, 'What is said stays in the room.')
    assert.ok(!('groupConfidentiality' in doc.values) || !doc.values.groupConfidentiality)
    assert.ok(!('decisions' in doc.values) || !doc.values.decisions)
  })
})
