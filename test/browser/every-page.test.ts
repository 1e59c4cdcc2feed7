/**
 * Every page a person can open, checked with axe at least once: the pages no other journey walks
 * through (the overview's lists, a person's further pages, a session's outcome pages, the
 * template sections, the administrator's and the trust's pages, the pages anyone can open signed
 * out, the policy editors' drafts). A demonstration school on Lode Heath's policy gives each page
 * real content; its DSL (also the administrator) opens them one after another, then the
 * organisation becomes a trust, with a policy, and its pages are opened too. Each must answer as
 * expected (200, or 404 for a link that does not work) and show a heading.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/index.ts'
import { templatesForPack } from '../../src/packs/templates.ts'
import { setTwoStepPolicy } from '../../src/services/auth/accounts.ts'
import { buildDemo } from '../../src/services/demo/build-demo.ts'
import { publishTrustVersion } from '../../src/services/policy/trust.ts'
import { copyToSchool } from '../../src/services/records/templates.ts'
import { testToday } from '../helpers/clock.ts'
import { insertSession } from '../helpers/records.ts'
import { trustPolicy } from '../integration/joining-fixtures.ts'
import { closeBrowser, type Journey, skipBrowser, startJourney, visible } from './browser.ts'

/** Opens the page, expects it to answer `status` (200) with a main heading, and checks it with axe. */
async function checkPage(j: Journey, path: string, label: string, status = 200) {
  const response = await j.page.goto(path)
  assert.equal(response?.status(), status, `${label} (${path}) answered ${response?.status()}`)
  await visible(j.page.locator('h1').first(), `${label} (${path}) has a main heading`)
  await j.checkA11y(label)
}

describe('every page, checked with axe', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('every page no other journey opens passes axe: the overview’s lists, a person’s, a session’s and a template’s further pages, the administrator’s and the trust’s', async (t) => {
    const j = await startJourney(t)
    const db = j.database.db
    const demo = await buildDemo(db, { packId: 'lode-heath', today: testToday, baseUrl: j.baseUrl })
    const org = await db.selectFrom('organisation').select('id').executeTakeFirstOrThrow()
    const dsl = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', demo.signIn[0]!.email)
      .executeTakeFirstOrThrow()
    await setTwoStepPolicy(db, org.id, { mode: 'roles', roles: ['governor-only'] }, dsl.id)

    // Signed out.
    for (const [path, label] of [
      ['/privacy', 'the privacy notice'],
      ['/accessibility', 'the accessibility statement'],
      ['/password-reset', 'asking to reset a password'],
      ['/signed-out', 'signed out'],
    ] as const)
      await checkPage(j, path, label)
    await checkPage(j, '/password-reset/not-a-real-token', 'a password reset link that does not work', 404)
    await checkPage(j, '/invitation/not-a-real-token', 'an invitation link that does not work', 404)

    await j.signInAs(dsl.id)
    const person = await db
      .selectFrom('person')
      .select(['id', 'school_id', 'line_manager_id'])
      .where('organisation_id', '=', org.id)
      .where('line_manager_id', 'is not', null)
      .orderBy('name')
      .executeTakeFirstOrThrow()
    // A session planned for today, between the person and their line manager.
    const typeId = await db.selectFrom('supervision_session').select('type_id').executeTakeFirstOrThrow()
    const planned = {
      id: await insertSession(db, {
        schoolId: person.school_id!,
        typeId: typeId.type_id,
        date: testToday,
        status: 'planned',
        supervisors: [person.line_manager_id!],
        supervisees: [person.id],
      }),
    }
    const record = await db
      .selectFrom('supervision_record')
      .select('id')
      .where('status', '=', 'signed')
      .executeTakeFirstOrThrow()
    const mail = await db.selectFrom('outbox_message').select('id').executeTakeFirstOrThrow()

    for (const [path, label] of [
      ['/overview/overdue-actions', 'the overview: overdue actions'],
      ['/overview/due-soon', 'the overview: supervision due soon'],
      ['/overview/drifting-actions', 'the overview: actions carried forward again and again'],
      ['/overview/never-supervised', 'the overview: never supervised'],
      ['/overview/rebookings-at-risk', 'the overview: rebookings at risk'],
      ['/overview/rebookings-missed', 'the overview: rebookings missed'],
      ['/overview/records-awaiting-signature', 'the overview: records awaiting signature'],
      ['/overview/contracts-unsigned', 'the overview: contracts not signed'],
      ['/overview/supervisors-untrained', 'the overview: supervisors not trained'],
      ['/overview/supervisors-unsupervised', 'the overview: supervisors not supervised'],
      ['/overview/supervisors-training-expiring', 'the overview: supervisors’ training expiring'],
      [`/staff/${person.id}/about`, 'about a person'],
      [`/staff/${person.id}/end`, 'a person leaving'],
      [`/staff/${person.id}/handover`, 'a person’s handover'],
      [`/staff/${person.id}/supervision-kinds`, 'a person’s kinds of supervision'],
      [`/staff/${person.id}/scope`, 'whether a person must be supervised'],
      ['/staff/others', 'people who are not staff'],
      ['/staff/others/new', 'adding someone who is not staff'],
      ['/sessions/groups', 'group supervision'],
      [`/sessions/${planned.id}/held`, 'a session held'],
      [`/sessions/${planned.id}/did-not-attend`, 'a session not attended'],
      [`/sessions/${planned.id}/postpone`, 'postponing a session'],
      ['/supervision-feedback', 'feedback on supervision'],
      [`/records/${record.id}/comment`, 'a comment on a signed record'],
      ['/records/transfers', 'decisions passed to children’s records'],
      ['/records/staff-file', 'a member of staff’s file'],
      ['/contracts/new', 'a new contract'],
      ['/policy/review', 'reviewing the policy'],
      ['/policy/edit', 'the policy editor'],
      ['/policy/edit/discard', 'discarding the policy’s draft'],
      ['/admin', 'administration'],
      ['/admin/outbox', 'the outbox'],
      [`/admin/outbox/${mail.id}`, 'an email in the outbox'],
      ['/admin/become-a-trust', 'becoming a trust'],
    ] as const)
      await checkPage(j, path, label)

    // The school's own copy of its pack's template: a section and a field of it.
    const template = templatesForPack('lode-heath')[0]!
    const templateId = await copyToSchool(
      db,
      { actorId: dsl.id, organisationId: org.id, schoolId: person.school_id! },
      template,
      'Our supervision record',
    )
    const section = template.sections[0]!
    const field = section.fields[0]!
    for (const [path, label] of [
      [`/templates/school/${templateId}/sections/new`, 'adding a section to a template'],
      [`/templates/school/${templateId}/sections/${section.id}/change`, 'changing a template’s section'],
      [`/templates/school/${templateId}/sections/${section.id}/remove`, 'removing a template’s section'],
      [`/templates/school/${templateId}/fields/${field.id}/change`, 'changing a template’s field'],
    ] as const)
      await checkPage(j, path, label)

    // The organisation is a trust, with a trust policy: its central pages.
    await db.updateTable('organisation').set({ kind: 'trust' }).where('id', '=', org.id).execute()
    const published = await publishTrustVersion(db, {
      organisationId: org.id,
      document: trustPolicy,
      effectiveFrom: addDays(testToday, -30),
      today: testToday,
      reason: 'The trust policy was agreed last month',
      actorId: dsl.id,
    })
    assert.ok(published.ok, JSON.stringify(published))
    for (const [path, label] of [
      ['/trust/people', 'the trust’s central people'],
      ['/trust/people/new', 'adding someone to the trust’s central team'],
      ['/trust/policy', 'the trust policy'],
      ['/trust/policy/publish', 'publishing the trust policy'],
      ['/trust/policy/edit', 'the trust policy editor'],
      ['/trust/policy/edit/other', 'the trust policy’s other settings'],
      ['/trust/policy/edit/discard', 'discarding the trust policy’s draft'],
    ] as const)
      await checkPage(j, path, label)
  })

  test('the feedback a supervisee is asked for after a signed record, and the DSL’s evaluation of it, pass axe (a policy that asks for it)', async (t) => {
    const j = await startJourney(t)
    const db = j.database.db
    const demo = await buildDemo(db, { packId: 'the-place', today: testToday, baseUrl: j.baseUrl })
    const request = await db
      .selectFrom('feedback_request')
      .select(['id', 'person_id', 'organisation_id'])
      .where('answered_on', 'is', null)
      .executeTakeFirstOrThrow()
    await setTwoStepPolicy(db, request.organisation_id, { mode: 'roles', roles: ['governor-only'] }, request.person_id)
    await j.signInAs(request.person_id)
    await checkPage(j, `/supervision-feedback/${request.id}`, 'feedback on a supervision session')
    // The DSL's evaluation of the feedback given.
    await j.signInAs(demo.signIn[0]!.email)
    await checkPage(j, '/supervision-feedback', 'the evaluation of supervisees’ feedback')
  })
})
