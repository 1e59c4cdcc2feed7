/**
 * Issue 17, item 3: development needs feed a development plan (PL-07, CA-08). When everyone has
 * signed a record, each development need in it (PLACE's learning needs, Cornerstone's professional
 * development rows) becomes an item on the supervisee's plan with an owner, a due date and a
 * status, linked back to the record; it shows on the person's page; the DSL exports the school's
 * plans as CSV for its CPD lead. Only when the policy says development needs feed planning.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { addDays, formatLongDate } from '../../src/domain/calendar/index.ts'
import { testToday } from '../helpers/clock.ts'
import { signedRecord } from '../helpers/development-plan.ts'
import { html, textOf } from '../helpers/html.ts'
import { type RecordsTestApp, recordsTestApp } from '../helpers/records.ts'

const today = testToday

function signed(s: RecordsTestApp, typeId: string, template: string, values: Record<string, unknown>) {
  return signedRecord(s.database.db, {
    organisationId: s.org.organisationId,
    schoolId: s.org.schoolId,
    date: today,
    typeId,
    template,
    supervisor: s.supervisor,
    supervisee: s.supervisee,
    values,
  })
}

test('PL-07: the learning needs agreed in a signed PLACE record go on the supervisee’s development plan, linked to the record', async (t) => {
  const s = await recordsTestApp(t, { pack: 'the-place' })
  const db = s.database.db
  const due = addDays(today, 30)
  const recordId = await signed(s, 'one-to-one', 'pl-supervision-record', {
    model: 'one-to-one',
    learningNeeds: [
      { need: 'Restorative practice with older pupils', activity: 'Book the county course', byWhen: due },
      { need: 'Writing chronologies', activity: 'Shadow the DSL', byWhen: '' },
    ],
  })
  const items = await db.selectFrom('development_plan_item').selectAll().orderBy('source_key').execute()
  assert.deepEqual(
    items.map((i) => [i.person_id, i.record_id, i.need, i.action, i.owner_id, i.due_on, i.status]),
    [
      [
        s.supervisee.id,
        recordId,
        'Restorative practice with older pupils',
        'Book the county course',
        s.supervisee.id,
        due,
        'planned',
      ],
      [s.supervisee.id, recordId, 'Writing chronologies', 'Shadow the DSL', s.supervisee.id, null, 'planned'],
    ],
  )

  // The supervisee reads the plan from their home page; each item links back to its record.
  const home = await s.supervisee.browser.get('/')
  const href = html(home.body).querySelector('a[href^="/development-plan/"]')?.getAttribute('href')
  assert.equal(href, `/development-plan/${s.supervisee.id}`)
  const plan = await s.supervisee.browser.get(href!)
  assert.equal(plan.statusCode, 200)
  const cards = html(plan.body).querySelectorAll('.govuk-summary-card')
  assert.deepEqual(
    cards.map((c) => c.querySelector('.govuk-summary-card__title')?.text.trim()),
    ['Restorative practice with older pupils', 'Writing chronologies'],
  )
  assert.match(cards[0]!.text, new RegExp(`Due by\\s*${formatLongDate(due)}`))
  assert.ok(cards[0]!.querySelector(`a[href="/records/${recordId}"]`), 'linked back to its record')

  // The DSL reads it, and sees it from the person's page; a colleague does not.
  assert.equal((await s.dsl.browser.get(href!)).statusCode, 200)
  const personPage = await s.dsl.browser.get(`/staff/${s.supervisee.id}`)
  assert.ok(html(personPage.body).querySelector(`a[href="${href}"]`), 'on the person’s page')
  assert.equal((await s.bystander.browser.get(href!)).statusCode, 404)
  assert.equal((await s.headteacher.browser.get(href!)).statusCode, 404)

  // The supervisee moves an item on; a bad date is refused with the field named.
  const item = items[1]!
  const bad = await s.supervisee.browser.post(
    `/development-plan/${s.supervisee.id}/items/${item.id}`,
    { status: 'in-progress', 'dueOn-day': '31', 'dueOn-month': '2', 'dueOn-year': '2027', version: '1' },
    { formPage: href! },
  )
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, `#dueOn-${item.id}-error`), 'Error: Due date must be a real date')
  assert.equal(html(bad.body).querySelector('.govuk-error-summary a')?.getAttribute('href'), `#dueOn-${item.id}-day`)
  const moved = await s.supervisee.browser.post(
    `/development-plan/${s.supervisee.id}/items/${item.id}`,
    { status: 'in-progress', 'dueOn-day': '1', 'dueOn-month': '3', 'dueOn-year': '2027', version: '1' },
    { formPage: href! },
  )
  assert.equal(moved.statusCode, 303)
  const after = await db
    .selectFrom('development_plan_item')
    .selectAll()
    .where('id', '=', item.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual([after.status, after.due_on, after.version], ['in-progress', '2027-03-01', 2])
  const stale = await s.supervisee.browser.post(
    `/development-plan/${s.supervisee.id}/items/${item.id}`,
    { status: 'done', version: '1' },
    { formPage: href! },
  )
  assert.equal(stale.statusCode, 409)

  // The DSL exports the school's plans for the CPD lead; the headteacher may not.
  const csv = await s.dsl.browser.get('/development-plans.csv')
  assert.equal(csv.statusCode, 200)
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="development-plans-/)
  const lines = csv.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
  assert.equal(lines[0], 'Person,Development need,Action,Owner,Due by,Status,From the record of,Record')
  assert.equal(lines.length, 3)
  assert.match(
    lines[1]!,
    new RegExp(
      `^Priya Shah,Restorative practice with older pupils,Book the county course,Priya Shah,${formatLongDate(due)},Planned,`,
    ),
  )
  assert.match(lines[1]!, new RegExp(`/records/${recordId}$`))
  assert.equal((await s.headteacher.browser.get('/development-plans.csv')).statusCode, 403)
  const audit = await db
    .selectFrom('audit_event')
    .select('action')
    .where('action', 'like', 'development-plan.%')
    .execute()
  assert.deepEqual([...new Set(audit.map((a) => a.action))].sort(), [
    'development-plan.export',
    'development-plan.fed',
    'development-plan.item-changed',
    'development-plan.read',
  ])
})

test('CA-08, PL-07: Cornerstone’s professional development rows feed the plan, with their person responsible, only when the policy says so', async (t) => {
  const s = await recordsTestApp(t, { pack: 'cornerstone' })
  const db = s.database.db
  const values = {
    supervisionType: 'formal',
    progressOnTasks: 'None yet',
    summary: 'We discussed workload.',
    professionalDevelopment: [
      {
        development: 'Level 3 safeguarding refresher',
        actionRecommended: 'Attend in the spring term',
        personResponsible: s.dsl.name,
      },
    ],
  }
  // Cornerstone's own policy does not feed planning: nothing goes on the plan.
  await signed(s, 'formal-planned', 'ca-supervision-record', values)
  assert.equal((await db.selectFrom('development_plan_item').selectAll().execute()).length, 0)

  // With the setting on, the next signed record does.
  await db
    .updateTable('policy_version')
    .set({ document: sql<string>`jsonb_set(document, '{practice,developmentNeedsFeedPlanning}', 'true')` })
    .where('school_id', '=', s.org.schoolId)
    .execute()
  const recordId = await signed(s, 'formal-planned', 'ca-supervision-record', values)
  const items = await db.selectFrom('development_plan_item').selectAll().execute()
  assert.deepEqual(
    items.map((i) => [i.person_id, i.record_id, i.need, i.action, i.owner_id, i.owner_name, i.due_on]),
    [
      [
        s.supervisee.id,
        recordId,
        'Level 3 safeguarding refresher',
        'Attend in the spring term',
        null,
        s.dsl.name,
        null,
      ],
    ],
  )
})
