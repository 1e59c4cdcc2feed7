import assert from 'node:assert/strict'
import { test } from 'node:test'
import { insertOrganisation } from '../builders/organisation.ts'
import { html, textOf } from '../helpers/html.ts'
import { buildTestApp } from '../helpers/test-app.ts'

test('the home page is served in Haven’s own layout, not the GOV.UK brand', async (t) => {
  const { app, database } = await buildTestApp(t)
  await insertOrganisation(database.db)
  const res = await app.inject({ method: 'GET', url: '/' })
  assert.equal(res.statusCode, 200)
  assert.match(res.headers['content-type'] as string, /text\/html/)
  assert.equal(textOf(res.body, '.govuk-generic-header__homepage-link'), 'Haven')
  assert.doesNotMatch(res.body, /govuk-logo|Crown copyright|GDS Transport/)
  assert.equal(html(res.body).querySelector('html')?.getAttribute('lang'), 'en-GB')
  assert.match(textOf(res.body, 'title'), /– Haven$/)
})

test('an unknown page gets the styled 404 page', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/no-such-page' })
  assert.equal(res.statusCode, 404)
  assert.equal(textOf(res.body, 'h1'), 'Page not found')
  assert.equal(textOf(res.body, '.govuk-generic-header__homepage-link'), 'Haven')
})

test('GET /healthz answers 200 when the database answers and 503 when it does not', async (t) => {
  const { app, database } = await buildTestApp(t, {}, { ownDatabase: true })
  const ok = await app.inject({ method: 'GET', url: '/healthz' })
  assert.equal(ok.statusCode, 200)
  assert.deepEqual(ok.json(), { status: 'ok', database: 'ok' })
  await database.close()
  const down = await app.inject({ method: 'GET', url: '/healthz' })
  assert.equal(down.statusCode, 503)
  assert.equal(down.json().status, 'unavailable')
})

test('pages carry security headers with a nonce-based CSP and are not cached', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/' })
  const csp = res.headers['content-security-policy'] as string
  assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(res.headers['x-content-type-options'], 'nosniff')
  assert.equal(res.headers['cache-control'], 'no-store')
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
  for (const script of html(res.body).querySelectorAll('script')) assert.equal(script.getAttribute('nonce'), nonce)
})

test('static assets are served and may be cached', async (t) => {
  const { app } = await buildTestApp(t)
  const css = await app.inject({ method: 'GET', url: '/public/build/app.css' })
  assert.equal(css.statusCode, 200)
  assert.match(css.headers['cache-control'] as string, /max-age/)
  const asset = await app.inject({ method: 'GET', url: '/assets/images/favicon.ico' })
  assert.equal(asset.statusCode, 200)
})

test('every registered route declares its access (deny by default)', async (t) => {
  const { app } = await buildTestApp(t)
  const routes = app.registeredRoutes()
  assert.ok(routes.length > 3)
  const undeclared = routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`)
  assert.deepEqual(undeclared, [])
})
