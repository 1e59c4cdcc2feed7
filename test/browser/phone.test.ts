/**
 * Phone-sized pages (issue 18, point 4): the DSL of a school with a term of history (sessions,
 * a signed-off record with an action, staff, contracts issued, a planner) visits every main page
 * at 390 by 844 pixels, the size of a common phone. No page may scroll sideways: a wide table
 * scrolls inside its own labelled region, or stacks. Each page is screenshotted (into the system's
 * temporary directory, not the repository) and checked with axe.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { academicYearIdFor } from '../../src/domain/calendar/index.ts'
import { setTwoStepPolicy } from '../../src/services/auth/accounts.ts'
import { buildDemo } from '../../src/services/demo/build-demo.ts'
import { testToday } from '../helpers/clock.ts'
import { completedRecord, loadSession } from '../helpers/records.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const width = 390
const height = 844

describe('phone-sized pages', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('every main page fits a phone 390 pixels wide, without sideways scrolling, and passes axe', async (t) => {
    const j = await startJourney(t, { viewport: { width, height } })
    const { page } = j
    const db = j.database.db
    const today = testToday
    const demo = await buildDemo(db, { packId: 'lode-heath', today, baseUrl: j.baseUrl })
    const dsl = demo.signIn[0]!
    const org = await db.selectFrom('organisation').select('id').executeTakeFirstOrThrow()
    const school = await db.selectFrom('school').select(['id']).executeTakeFirstOrThrow()
    const dslId = (await db.selectFrom('person').select('id').where('email', '=', dsl.email).executeTakeFirstOrThrow())
      .id
    await setTwoStepPolicy(db, org.id, { mode: 'roles', roles: ['chair-of-governors'] }, dslId)

    // A record of the latest held session of someone with no record yet (the demo's records
    // leave actions that a later record must review), completed with an action for the supervisee.
    const recorded = db.selectFrom('supervision_record').select('session_id')
    const recordedPeople = db
      .selectFrom('session_participant')
      .select('person_id')
      .where('role', '=', 'supervisee')
      .where('session_id', 'in', recorded)
    const held = await db
      .selectFrom('supervision_session as s')
      .select(['s.id', 's.date'])
      .where('s.school_id', '=', school.id)
      .where('s.status', '=', 'held')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('session_participant as p')
              .select('p.person_id')
              .whereRef('p.session_id', '=', 's.id')
              .where('p.person_id', 'in', recordedPeople),
          ),
        ),
      )
      .orderBy('s.date', 'desc')
      .executeTakeFirstOrThrow()
    const session = (await loadSession(db, held.id))!
    const supervisor = session.participants.find((p) => p.role === 'supervisor')!
    const supervisee = session.participants.find((p) => p.role === 'supervisee')!
    const { recordId } = await completedRecord(db, {
      sessionId: held.id,
      schoolId: school.id,
      date: held.date,
      supervisor: { personId: supervisor.personId, name: supervisor.name, organisationId: org.id },
      summary: 'Workload in Year 6 and one family of concern',
      mailer: { baseUrl: j.baseUrl },
      actions: [
        {
          id: '',
          text: 'Complete the online safeguarding update',
          ownerKind: 'supervisee',
          ownerId: supervisee.personId,
          ownerName: supervisee.name,
          dueOn: today,
        },
      ],
    })

    await j.signInAs(dsl.email)

    // Contracts for the year, issued as the DSL would.
    const year = academicYearIdFor(today)
    await page.goto('/contracts')
    await page.getByRole('button', { name: `Issue contracts for ${year}` }).click()
    await page
      .getByRole('button', { name: /^Issue \d+ contracts?$/ })
      .first()
      .click()
    await visible(page.locator('.govuk-notification-banner'))

    const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-phone-'))
    const pages: [string, string][] = [
      ['home', '/'],
      ['overview', '/overview'],
      ['staff list', '/staff'],
      ['a person', `/staff/${supervisee.personId}`],
      ['sessions', '/sessions'],
      ['a session', `/sessions/${held.id}`],
      ['records', '/records'],
      ['a record', `/records/${recordId}`],
      ['calendar', '/calendar'],
      ['planner', '/planner'],
      ['contracts', '/contracts'],
      ['actions', '/actions'],
      ['policy summary', '/policy'],
      ['templates', '/templates'],
      ['account', '/account'],
      ['cancellations', '/sessions/cancellations'],
      ['month', '/sessions/month'],
    ]
    const overflowing: string[] = []
    const inaccessible: string[] = []
    for (const [label, address] of pages) {
      const response = await page.goto(address)
      assert.equal(response?.status(), 200, `${label} (${address})`)
      await page.screenshot({ path: path.join(shots, `${label.replace(/\W+/g, '-')}.png`), fullPage: true })
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
      if (scrollWidth > width) {
        const wide = await page.evaluate((w) => {
          const out: string[] = []
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect()
            if (r.right > w + 1 && !el.closest('[role=region][tabindex="0"]'))
              out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(r.right)}`)
          }
          return out.slice(0, 6)
        }, width)
        overflowing.push(`${label} (${address}): ${scrollWidth}px wide; ${wide.join(', ')}`)
      }
      try {
        await j.checkA11y(`${label} at ${width} pixels`)
      } catch (error) {
        inaccessible.push((error as Error).message.split('\n').slice(0, 4).join(' '))
      }
    }
    assert.deepEqual(overflowing, [], `pages wider than ${width} pixels (screenshots in ${shots})`)
    assert.deepEqual(inaccessible, [])
  })
})
