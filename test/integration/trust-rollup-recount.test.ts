/**
 * The trust rollup answers from kept figures after a change and counts the academy again in the
 * background (issue 16, item 6; ADR 0044). Ouse Learning Trust runs Lode Heath's policy (once a
 * term, from 1 September 2024) in one academy with its DSL and five heads of year, one supervised
 * on 1 October 2026. The clock is set: figures are first counted at 10:00 on 10 January 2027;
 * at 11:30 four more heads are found supervised. The app waits no time for a recount
 * (ROLLUP_WAIT_MS=0), so the view after the change shows the figures of 10:00, saying they are
 * being updated; once the recount has finished, the next view shows the new figures, counted at
 * 11:30, and says nothing about updating. A view that does wait (ROLLUP_WAIT_MS above 0) answers
 * from the kept figures when its wait ends, even on PGlite, where the recount's statements run on
 * the process's own thread and one connection.
 */
import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import { backgroundJobs } from '../../src/jobs/index.ts'
import { loadPack } from '../../src/packs/index.ts'
import { rollupRecountsSettled, rollupWait } from '../../src/services/trust/rollup.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import { html } from '../helpers/html.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, addSession } from './planner-fixtures.ts'

const autumn = '2026-27/autumn'

/** The academy's "Sessions held" cell and the page's note on figures being updated. */
function read(body: string): { held: string; note: string | null } {
  const page = html(body)
  const cells = page.querySelectorAll('#academies tbody tr td').map((td) => td.text.replace(/\s+/g, ' ').trim())
  return { held: cells[3] ?? '', note: page.querySelector('#figures-as-of')?.text.replace(/\s+/g, ' ').trim() ?? null }
}

/**
 * Ouse Learning Trust, its figures first counted at 10:00 (the first view, which waits for the
 * count); `change` finds four more heads supervised at 11:30.
 */
async function ouseTrust(t: TestContext, rollupWaitMs: number) {
  let now = new Date('2027-01-10T10:00:00Z')
  const w = await buildTestApp(t, { rollupWaitMs }, { clock: () => now })
  const db = w.database.db
  const org = await insertOrganisation(db, {
    organisationKind: 'trust',
    organisationName: 'Ouse Learning Trust',
    schoolName: 'Ouse Bank Academy',
    schoolSlug: 'ouse-bank',
    adminName: 'Dana Shah',
    adminEmail: 'dana@ouse.example',
    packId: 'lode-heath',
    policy: { ...loadPack('lode-heath'), effectiveFrom: '2024-09-01' },
  })
  await relaxTwoStep(db, org.organisationId, org.personId)
  const academy = { organisationId: org.organisationId, schoolId: org.schoolId, adminId: org.personId }
  const dsl = await addPerson(db, academy, { name: 'Olu Ouse', roles: ['dsl'] })
  const heads: string[] = []
  for (const tree of ['Ash', 'Birch', 'Cedar', 'Damson', 'Elm'])
    heads.push(await addPerson(db, academy, { name: `${tree} Ouse`, roles: ['year-head'], lineManagerId: dsl }))
  const held = (superviseeId: string) =>
    addSession(db, academy, {
      typeId: 'one-to-one',
      date: '2026-10-01',
      status: 'held',
      supervisorId: dsl,
      superviseeIds: [superviseeId],
    })
  await held(heads[0]!)
  const lead = await db
    .insertInto('person')
    .values({
      organisation_id: org.organisationId,
      school_id: null,
      name: 'Rhiannon Reed',
      email: 'rhiannon.reed@ouse.example',
      job_title: 'Trust safeguarding lead',
      roles: ['dsl'],
      start_date: '2020-09-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('account').values({ person_id: lead.id, password_hash: null }).execute()
  const client = await signedInClient(w.app, db, lead.id)

  const view = async () => read((await client.get(`/trust/rollup?period=${autumn}`)).body)
  const first = await view()
  assert.match(first.held, /^1\b/)
  assert.equal(first.note, null)
  const change = async () => {
    now = new Date('2027-01-10T11:30:00Z')
    for (const id of heads.slice(1)) await held(id)
  }
  return { db, schoolId: org.schoolId, view, change, client }
}

const updating =
  'Some academies have changed since their figures were counted: they show figures as of 10 January 2027 at 10am, being updated. Reload the page in a minute to see the new figures.'

test('the rollup shows kept figures, marked as being updated, while a changed academy is counted again, and the new figures once counted', async (t) => {
  const { db, schoolId, view, change } = await ouseTrust(t, 0)
  await change()
  const during = await view()
  assert.match(during.held, /^1\b/, 'the kept figures are shown at once')
  assert.equal(during.note, updating)

  await rollupRecountsSettled()
  const kept = await db
    .selectFrom('trust_rollup_figures')
    .select('computed_at')
    .where('school_id', '=', schoolId)
    .where('period_id', '=', autumn)
    .executeTakeFirstOrThrow()
  assert.equal(new Date(kept.computed_at as unknown as string).toISOString(), '2027-01-10T11:30:00.000Z')
  const after = await view()
  assert.match(after.held, /^5\b/, 'the recount is shown')
  assert.equal(after.note, null)
})

// On PGlite the recount's statements run on this thread, one connection in order of arrival: a
// recount that did not let the process in between them kept a waiting view until it had finished
// (issue 16). The view here waits (ROLLUP_WAIT_MS is not 0) until the next turn of the event loop.
test('a view that waits for a changed academy answers from its kept figures when its wait ends, while the recount goes on', async (t) => {
  const { view, change } = await ouseTrust(t, 10_000)
  await change()
  const timeUp = rollupWait.timeUp
  rollupWait.timeUp = () => new Promise((resolve) => setImmediate(resolve, 'time up'))
  t.after(() => {
    rollupWait.timeUp = timeUp
  })
  const during = await view()
  assert.match(during.held, /^1\b/, 'the kept figures are shown, not the recount')
  assert.equal(during.note, updating)
  await rollupRecountsSettled()
  const after = await view()
  assert.match(after.held, /^5\b/, 'the recount finished in the background')
  assert.equal(after.note, null)
})

test('issue 16: the hourly job counts every academy ahead of the day’s first view, and again after a change or on a new day', async (t) => {
  const { db, schoolId, change, client } = await ouseTrust(t, 0)
  // Nothing kept, as on the first morning of a term.
  await db.deleteFrom('trust_rollup_figures').execute()
  const quiet = { info() {}, warn() {}, error() {} } as never
  const job = backgroundJobs(testConfig(), quiet, db).find((j) => j.name === 'trust-rollup-counts')
  assert.ok(job, 'the job runs with the others')
  const run = async (at: string) => {
    await db.transaction().execute((trx) => job.run(trx, new Date(at)))
    await rollupRecountsSettled()
  }
  const kept = async () =>
    Object.fromEntries(
      (
        await db
          .selectFrom('trust_rollup_figures')
          .select(['period_id', 'computed_at'])
          .where('school_id', '=', schoolId)
          .execute()
      ).map((r) => [r.period_id, new Date(r.computed_at as unknown as string).toISOString()]),
    )
  const spring = '2026-27/spring'

  await run('2027-01-10T07:00:00Z')
  const counted = { [spring]: '2027-01-10T07:00:00.000Z', [autumn]: '2027-01-10T07:00:00.000Z' }
  assert.deepEqual(await kept(), counted, 'the term and the term before it are counted before anyone looks')
  // The lead's first view at 10:00 (the app's clock) finds them current: it counts nothing again.
  const page = await client.get('/trust/rollup')
  assert.equal(page.statusCode, 200)
  assert.equal(read(page.body).note, null)
  await rollupRecountsSettled()
  assert.deepEqual(await kept(), counted, 'the view used the kept figures')

  // Run again with nothing changed: nothing is counted.
  await run('2027-01-10T08:00:00Z')
  assert.deepEqual(await kept(), counted)

  // After a change, the next run counts the academy again.
  await change()
  await run('2027-01-10T12:00:00Z')
  assert.deepEqual(await kept(), { [spring]: '2027-01-10T12:00:00.000Z', [autumn]: '2027-01-10T12:00:00.000Z' })

  // On a new day the running term's figures are counted for it.
  await run('2027-01-11T07:00:00Z')
  assert.equal((await kept())[spring], '2027-01-11T07:00:00.000Z')
})
