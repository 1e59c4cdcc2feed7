import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { insertOrganisation } from '../builders/organisation.ts'
import { closeBrowser, skipBrowser, startJourney } from './browser.ts'

describe('foundation pages in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('the home page and a missing page pass axe, on a desktop and on a phone', async (t) => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 740 },
    ]) {
      const j = await startJourney(t, { viewport })
      await insertOrganisation(j.database.db)
      await j.page.goto('/')
      assert.equal(await j.page.getByRole('heading', { level: 1 }).textContent(), 'Haven')
      await j.checkA11y('home')
      const res = await j.page.goto('/this-page-does-not-exist')
      assert.equal(res?.status(), 404)
      assert.equal(await j.page.getByRole('heading', { level: 1 }).textContent(), 'Page not found')
      await j.checkA11y('404')
      const width = await j.page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= viewport.width, `page is ${width}px wide on a ${viewport.width}px screen`)
    }
  })

  test('the accessibility check fails on a page with a violation, naming it', async (t) => {
    const j = await startJourney(t)
    await insertOrganisation(j.database.db)
    await j.page.goto('/')
    await j.page.evaluate(() => {
      const field = document.createElement('input')
      field.type = 'text'
      document.querySelector('main')?.append(field)
    })
    await assert.rejects(j.checkA11y('a field with no label'), /label \(critical\)/)
  })

  test('the skip link is the first thing the keyboard reaches', async (t) => {
    const j = await startJourney(t)
    await insertOrganisation(j.database.db)
    await j.page.goto('/')
    await j.page.keyboard.press('Tab')
    const focused = await j.page.evaluate(() => document.activeElement?.textContent?.trim())
    assert.equal(focused, 'Skip to main content')
  })
})
