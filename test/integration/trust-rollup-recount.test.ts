/**
 * The trust rollup answers from kept figures after a change and counts the academy again in the
 * background (issue 16, item 6; ADR 0044). Ouse Learning Trust runs Lode Heath's policy (once a
 * term, from 1 September 2024) in one academy with its DSL and five heads of year, one supervised
 * on 1 October 2026. The clock is set: figures are first counted at 10:00 on 10 January 2027;
 * at 11:30 four more heads are found supervised. The app waits no time for a recount
 * (ROLLUP_WAIT_MS=0), so the view after the change shows the figures of 10:00, saying they are
 * being updated; once the recount has finished, the next view shows the new figures, counted at
 * 11:30, and says nothing about updating.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPack } from '../../src/packs/index.ts'
import { rollupRecountsSettled } from '../../src/services/trust/rollup.ts'
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

test('the rollup shows kept figures, marked as being updated, while a changed academy is counted again, and the new figures once counted', async (t) => {
  let now = new Date('2027-01-10T10:00:00Z')
  const w = await buildTestApp(t, { rollupWaitMs: 0 }, { clock: () => now })
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
  const url = `/trust/rollup?period=${autumn}`

  // Nothing kept yet: the first view waits for the count.
  const first = read((await client.get(url)).body)
  assert.match(first.held, /^1\b/)
  assert.equal(first.note, null)

  now = new Date('2027-01-10T11:30:00Z')
  for (const id of heads.slice(1)) await held(id)
  const during = read((await client.get(url)).body)
  assert.match(during.held, /^1\b/, 'the kept figures are shown at once')
  assert.equal(
    during.note,
    'Some academies have changed since their figures were counted: they show figures as of 10 January 2027 at 10am, being updated. Reload the page in a minute to see the new figures.',
  )

  await rollupRecountsSettled()
  const kept = await db
    .selectFrom('trust_rollup_figures')
    .select('computed_at')
    .where('school_id', '=', org.schoolId)
    .where('period_id', '=', autumn)
    .executeTakeFirstOrThrow()
  assert.equal(new Date(kept.computed_at as unknown as string).toISOString(), '2027-01-10T11:30:00.000Z')
  const after = read((await client.get(url)).body)
  assert.match(after.held, /^5\b/, 'the recount is shown')
  assert.equal(after.note, null)
})
