/**
 * A whole supervision session in a real browser (issue 7), with axe on every page: the supervisee
 * prepares (agenda, a case and its proforma, CA-06); the supervisor opens the record, sees
 * last time's action first (CA-07) and the autosave at work, completes it; both sign with their
 * password again (AM-06); the record locks and takes a dated addendum. Then: two people editing one
 * draft (the second is told and sees what they typed), a record altered in the database shown as
 * altered, and the template pages.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { templateById } from '../../src/packs/templates.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { saveDraft, startRecord } from '../../src/services/records/records.ts'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { testNow, testToday } from '../helpers/clock.ts'
import { insertSession, loadSession } from '../helpers/records.ts'
import { SESSION_COOKIE, sessionToken } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, type Journey, sharedBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const today = testToday

interface School {
  org: { organisationId: string; schoolId: string; personId: string }
  supervisor: string
  supervisee: string
  dsl: string
}

async function school(j: Journey): Promise<School> {
  const db = j.database.db
  const org = await insertOrganisation(db, { packId: 'cornerstone' })
  await relaxTwoStep(db, org.organisationId, org.personId)
  const add = (name: string, roles: string[]) =>
    insertPersonWithAccount(db, org, {
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@oakfield.example`,
      roles,
    })
  return {
    org,
    supervisor: await add('Dana Ellis', ['pastoral-lead']),
    supervisee: await add('Priya Shah', ['class-teacher']),
    dsl: await add('Grace Obi', ['dsl']),
  }
}

/** Acts as the person from now on: a fresh session cookie, as after signing in. */
async function actAs(j: Journey, personId: string) {
  await j.context.clearCookies()
  await j.signInAs(personId)
}

describe('session records in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('X-05, CA-06, CA-07, AM-06: preparation, the record with last time’s action, both signatures, the lock and an addendum', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const s = await school(j)
    const db = j.database.db
    // PL-06: this school's policy asks supervisees for feedback (Haven's own questionnaire).
    const version = await db
      .selectFrom('policy_version')
      .select(['id', 'document'])
      .where('school_id', '=', s.org.schoolId)
      .executeTakeFirstOrThrow()
    const document = (typeof version.document === 'string' ? JSON.parse(version.document) : version.document) as {
      practice: Record<string, unknown>
    }
    document.practice.feedbackFromSupervisees = true
    await db
      .updateTable('policy_version')
      .set({ document: JSON.stringify(document) })
      .where('id', '=', version.id)
      .execute()

    // Last time: a session whose record agreed an action for the supervisee.
    const earlier = await insertSession(db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, -28),
      supervisors: [s.supervisor],
      supervisees: [s.supervisee],
    })
    const earlierSession = (await loadSession(db, earlier))!
    const policy = (await policyBook(db, s.org.schoolId)).on(earlierSession.date)
    const actor = { personId: s.supervisor, name: 'Dana Ellis', organisationId: s.org.organisationId }
    const earlierRecord = await startRecord(db, {
      session: earlierSession,
      policy,
      template: templateById('ca-supervision-record')!,
      actor,
    })
    const saved = await saveDraft(db, {
      recordId: earlierRecord,
      expectedDraftVersion: 1,
      actor,
      today,
      draft: {
        values: {},
        actions: [
          {
            id: '',
            text: 'Complete the online safeguarding update',
            ownerKind: 'supervisee',
            ownerId: s.supervisee,
            ownerName: 'Priya Shah',
            dueOn: addDays(today, -7),
          },
        ],
        reviews: [],
        decisions: [],
        boundary: '',
      },
    })
    assert.equal(saved.outcome, 'saved')

    const sessionId = await insertSession(db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: today,
      status: 'planned',
      supervisors: [s.supervisor],
      supervisees: [s.supervisee],
    })

    // The supervisee prepares.
    await actAs(j, s.supervisee)
    await page.goto('/')
    await visible(page.getByRole('heading', { name: 'Your actions' }))
    assert.equal((await page.locator('#your-actions .govuk-tag--red').first().textContent())?.trim(), 'Overdue')
    await j.checkA11y('home with your actions')
    await page.getByRole('link', { name: 'Records' }).first().click()
    await j.checkA11y('records list')
    await page.goto(`/records/sessions/${sessionId}`)
    await j.checkA11y('session, before preparation')
    await page.getByRole('link', { name: 'Prepare for this session' }).click()
    await j.checkA11y('preparation form')
    await page.getByLabel('Agenda item 1').fill('Workload in Year 6')
    await page.getByLabel('Name of the child or family').fill('Child A')
    await page.getByLabel('What do you want to discuss? (optional)').fill('Not attending since half term')
    await page.getByRole('button', { name: 'Save preparation' }).click()
    await visible(page.getByText('Your preparation has been saved'))
    await j.checkA11y('session, after preparation')
    await page.getByRole('link', { name: 'Prepare for this session' }).click()
    await page.getByRole('link', { name: /Fill in the case proforma/ }).click()
    await j.checkA11y('case proforma')
    await page.getByLabel('Genogram', { exact: true }).fill('Lives with mum and two brothers')
    await page.getByRole('button', { name: 'Save the proforma' }).click()
    assert.match(page.url(), /\/preparation$/)

    // The supervisor records the session.
    await actAs(j, s.supervisor)
    await page.goto(`/records/sessions/${sessionId}`)
    await j.checkA11y('session, supervisor')
    await page.getByRole('link', { name: /Read the case proforma/ }).click()
    await visible(page.getByText('Lives with mum and two brothers'))
    await j.checkA11y('case proforma, read by the supervisor')
    await page.goBack()
    await page.getByLabel('The Cornerstone Academy Supervision Record').check()
    await page.getByRole('button', { name: 'Start the record' }).click()
    assert.match(page.url(), /\/records\/[0-9a-f-]{36}$/)
    const recordUrl = page.url()
    await j.checkA11y('new record')
    // Last time's action comes first.
    const firstHeading = await page
      .locator('h2.govuk-heading-m')
      .evaluateAll((hs) => hs.map((h) => h.textContent?.trim()))
    assert.ok(firstHeading.indexOf('Preparation') < firstHeading.indexOf('Actions from last time'))
    assert.ok(firstHeading.indexOf('Actions from last time') < firstHeading.indexOf('Supervision details'))
    const earlierAction = page.getByRole('group', { name: /Complete the online safeguarding update/ })
    await earlierAction.getByLabel('Done').check()
    await page.getByLabel('Formal', { exact: true }).check()
    await page.getByLabel('Progress on tasks from last supervision session').fill('The safeguarding update is done.')
    await page.getByLabel('Summary', { exact: true }).fill('Talked through Child A and workload.')
    // The autosave module saves as the person types.
    await page.getByLabel('What will be done').first().fill('Make the early help referral for Child A')
    await page.locator('#agreedFurtherActions-0-owner').selectOption({ label: 'Priya Shah (supervisee)' })
    await page
      .locator('#autosave-status')
      .getByText(/Draft saved at/)
      .waitFor({ timeout: 15_000 })
    const stored = await db
      .selectFrom('supervision_record')
      .select(['draft_version', 'document'])
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow()
    assert.ok(stored.draft_version > 1)
    assert.match(JSON.stringify(stored.document), /Make the early help referral for Child A/)
    await j.checkA11y('record after autosave')
    await page.getByRole('button', { name: 'Complete the record' }).click()
    await visible(page.getByText('The record is complete'))
    await j.checkA11y('completed record')

    await page.getByRole('button', { name: 'Sign the record' }).click()
    await j.checkA11y('sign page')
    await page.getByLabel('Your password').fill('not my password')
    await page.getByRole('button', { name: 'Sign the record' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('sign page with an error')
    await page.getByLabel('Your password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign the record' }).click()
    await visible(page.getByText('You have signed the record'))

    // The supervisee reads it and signs: it locks.
    await actAs(j, s.supervisee)
    await page.goto(recordUrl)
    await j.checkA11y('completed record, supervisee')
    await page.getByRole('button', { name: 'Sign the record' }).click()
    await page.getByLabel('Your password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign the record' }).click()
    await visible(page.getByText('Everyone has signed: the record is locked'))
    assert.equal(await page.locator('#record-form').count(), 0)
    await j.checkA11y('locked record')
    await page.getByRole('link', { name: 'Add an addendum' }).click()
    await j.checkA11y('addendum form')
    await page.getByRole('button', { name: 'Add addendum' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('addendum form with an error')
    await page.getByLabel('Addendum').fill('The referral was made on Thursday.')
    await page.getByRole('button', { name: 'Add addendum' }).click()
    await visible(page.getByText('The referral was made on Thursday.'))
    await visible(page.getByText(/Addendum by Priya Shah/))
    await j.checkA11y('locked record with an addendum')
    const row = await db
      .selectFrom('supervision_record')
      .select(['status'])
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'signed')

    // PL-06: the supervisee is asked about their supervision on their home page, and answers.
    await page.goto('/')
    await page.locator('#feedback-tasks').getByRole('link').first().click()
    await visible(page.getByRole('heading', { name: 'Tell us about your supervision' }))
    await j.checkA11y('feedback questionnaire')
    await page.getByRole('button', { name: 'Send your feedback' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('feedback questionnaire with an error')
    for (const statement of [
      'I felt listened to',
      'The time for my supervision was protected',
      'The actions we agreed are useful',
    ])
      await page.getByRole('group', { name: statement }).getByLabel('Agree', { exact: true }).check()
    await page.getByRole('group', { name: 'My workload is manageable' }).getByLabel('Disagree', { exact: true }).check()
    await page.getByLabel('Anything else you want to say (optional)').fill('More time would help.')
    await page.getByRole('button', { name: 'Send your feedback' }).click()
    await visible(page.getByText('Your answers have been sent'))
    await j.checkA11y('feedback sent')
    // The DSL sees the year's figures: too few answers to show any.
    await actAs(j, s.dsl)
    await page.goto('/supervision-feedback')
    await visible(page.getByText('Everyone: fewer than 5 answers, so no figures are shown.'))
    await j.checkA11y('supervision quality')
    // CA-09: private, not confidential. The supervisor shares a part of the signed record with the
    // DSL to safeguard someone; the supervisee sees who has it and why; the DSL opens that part.
    await actAs(j, s.supervisor)
    await page.goto(recordUrl)
    await page.getByRole('link', { name: 'Share the record to safeguard someone' }).click()
    await j.checkA11y('share the record')
    await page.getByRole('button', { name: 'Share the record' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('share the record with errors')
    await page.getByLabel('Who to share it with').selectOption(s.dsl)
    await page.getByLabel('To safeguard a child').check()
    await page.getByLabel('What the person needs to know, and why').fill('Child A may need a referral')
    await page.getByLabel('Only the parts ticked below').check()
    await page.getByLabel('Review', { exact: true }).check()
    await page.getByRole('button', { name: 'Share the record' }).click()
    await visible(page.getByText('The record has been shared'))
    await actAs(j, s.supervisee)
    await page.goto(recordUrl)
    await visible(page.getByRole('heading', { name: 'Who this record is shared with' }))
    await visible(page.getByText('Child A may need a referral'))
    await j.checkA11y('record shared, supervisee')
    // The policy's notice period (two days) has passed.
    await db
      .updateTable('record_share')
      .set({ opens_at: new Date(testNow.getTime() - 60_000) })
      .execute()
    await actAs(j, s.dsl)
    await page.goto('/records/shared')
    await j.checkA11y('records shared with you')
    await page.getByRole('link', { name: /Open the record/ }).click()
    await visible(page.getByText('Talked through Child A and workload.'))
    await j.checkA11y('shared record')
  })

  test('two people editing one draft: the second is told and sees what they typed; a record altered in the database is shown as altered', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const s = await school(j)
    const db = j.database.db
    const second = await insertPersonWithAccount(db, s.org, {
      name: 'Sam Lee',
      email: 'sam.lee@oakfield.example',
      roles: ['year-head'],
    })
    const sessionId = await insertSession(db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: today,
      supervisors: [s.supervisor, second],
      supervisees: [s.supervisee],
    })
    const session = (await loadSession(db, sessionId))!
    const recordId = await startRecord(db, {
      session,
      policy: (await policyBook(db, s.org.schoolId)).on(today),
      template: templateById('ca-supervision-record')!,
      actor: { personId: s.supervisor, name: 'Dana Ellis', organisationId: s.org.organisationId },
    })

    // Sam opens the draft; meanwhile Dana saves it from another browser.
    await actAs(j, second)
    await page.goto(`/records/${recordId}`)
    const other = await (await sharedBrowser()).newContext({ baseURL: j.baseUrl, javaScriptEnabled: false })
    t.after(() => other.close())
    const token = await sessionToken(db, s.supervisor, { userAgent: 'other' })
    await other.addCookies([{ name: SESSION_COOKIE, value: token, url: j.baseUrl }])
    const danaPage = await other.newPage()
    await danaPage.goto(`/records/${recordId}`)
    await danaPage.getByLabel('Summary', { exact: true }).fill('Dana’s summary')
    await danaPage.getByRole('button', { name: 'Save draft' }).click()
    await visible(danaPage.getByText('Your draft has been saved'))

    // Sam types: the autosave is refused and says so; saving by hand shows both versions.
    await page.getByLabel('Summary', { exact: true }).fill('Sam’s summary, typed at the same time')
    await page
      .locator('#autosave-status')
      .getByText(/Your latest changes have not been saved/)
      .waitFor({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Save draft' }).click()
    await visible(page.getByText('Someone else saved this draft while you were editing it'))
    await visible(page.locator('#unsaved-changes').getByText('Sam’s summary, typed at the same time'))
    assert.equal(await page.getByLabel('Summary', { exact: true }).inputValue(), 'Dana’s summary')
    await j.checkA11y('draft conflict')

    // The record is completed and signed, then changed behind Haven's back.
    await db
      .updateTable('supervision_record')
      .set({ status: 'signed', content_hash: 'a'.repeat(64), completed_at: testNow, locked_at: testNow })
      .where('id', '=', recordId)
      .execute()
    await db
      .insertInto('record_signature')
      .values({
        record_id: recordId,
        person_id: s.supervisee,
        role: 'supervisee',
        name: 'Priya Shah',
        content_hash: 'a'.repeat(64),
        method: 'password',
      })
      .execute()
    await actAs(j, s.dsl)
    await page.goto(`/records/${recordId}`)
    await visible(
      page.locator('#record-altered').getByText('This record has been altered since it was completed or signed'),
    )
    await j.checkA11y('altered record')
  })

  test('X-01: the template pages: copy a built-in template and add a field', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const s = await school(j)
    await actAs(j, s.dsl)
    await page.goto('/templates')
    await j.checkA11y('templates')
    await page.getByRole('link', { name: 'The Cornerstone Academy Supervision Record' }).click()
    await j.checkA11y('built-in template')
    await page.getByRole('link', { name: 'Make a copy to change' }).click()
    await j.checkA11y('copy a template')
    await page.getByRole('button', { name: 'Make a copy' }).click()
    await visible(page.getByText('Your copy has been made'))
    await j.checkA11y('the school’s template')
    await page.getByRole('link', { name: 'Add a field to Review' }).click()
    await j.checkA11y('choose the kind of field')
    await page.getByLabel('Table').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await j.checkA11y('field form')
    await page.getByRole('button', { name: 'Save and make a new version' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('field form with errors')
    await page.getByLabel('Question or label').fill('Risks')
    await page.getByLabel('No', { exact: true }).check()
    await page.getByLabel('Columns').fill('Risk | long answer\nLevel | choice | required | Low; Medium; High')
    await page.getByRole('button', { name: 'Save and make a new version' }).click()
    await visible(page.getByText('Your change has been saved as version 2.'))
    await page.getByRole('link', { name: 'Remove Risks' }).click()
    await j.checkA11y('remove a field')
  })
})
