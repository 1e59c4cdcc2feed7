/**
 * CSRF protection as a browser meets it (ASVS V4.2.2): the secret cookie's flags, where the token
 * may come from, and the page shown when it is missing or wrong.
 */
import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { type Client, client } from '../helpers/browser-like.ts'
import { textOf } from '../helpers/html.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const TEACHER = 'ben.carter@oakfield.example'

/** Signs in with the browser's cookies but no `_csrf` field: the token, if any, travels another way. */
function signInWithoutField(app: FastifyInstance, browser: Client, url: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    payload: new URLSearchParams({ email: TEACHER, password: ADMIN_PASSWORD }).toString(),
  })
}

/** An app with an organisation and Ben Carter's account, who signs in with ADMIN_PASSWORD. */
async function appWithTeacher(t: TestContext): Promise<FastifyInstance> {
  const { app, database } = await buildTestApp(t)
  await insertPersonWithAccount(database.db, await insertOrganisation(database.db))
  return app
}

type Cookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string }

test('the CSRF cookie is HttpOnly and SameSite=Lax; over HTTPS it is a __Host- cookie marked Secure', async (t) => {
  const plain = await buildTestApp(t)
  const page = await client(plain.app).get('/sign-in')
  const cookie = (page.cookies as Cookie[]).find((c) => c.name === 'haven_csrf')!
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, 'Lax')
  assert.equal(cookie.path, '/')
  assert.notEqual(cookie.secure, true)

  const https = await buildTestApp(t, { baseUrl: 'https://haven.example' })
  const secure = (((await client(https.app).get('/sign-in')).cookies as Cookie[]) ?? []).find(
    (c) => c.name === '__Host-haven_csrf',
  )!
  assert.equal(secure.secure, true)
  assert.equal(secure.httpOnly, true)
  assert.equal(secure.sameSite, 'Lax')
  assert.equal(secure.path, '/')
})

test('a form posts with the token of its own browser, in the form or in the x-csrf-token header', async (t) => {
  const app = await appWithTeacher(t)

  const browser = client(app)
  const token = await browser.csrfToken('/sign-in')
  const viaHeader = await signInWithoutField(app, browser, '/sign-in', { 'x-csrf-token': token })
  assert.equal(viaHeader.statusCode, 302, 'signed in')

  const viaForm = await client(app).post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  assert.equal(viaForm.statusCode, 302)

  // Another browser's token does not fit this browser's cookie.
  const mallory = client(app)
  const stolen = await mallory.csrfToken('/sign-in')
  const victim = client(app)
  await victim.get('/sign-in')
  const forged = await victim.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD }, { csrf: stolen })
  assert.equal(forged.statusCode, 403)
  assert.match(textOf(forged.body, 'h1'), /Your form has expired/)
})

test('a token in the web address is not accepted: it would leak into logs and Referer headers', async (t) => {
  const app = await appWithTeacher(t)
  const browser = client(app)
  const token = await browser.csrfToken('/sign-in')
  const res = await signInWithoutField(app, browser, `/sign-in?_csrf=${encodeURIComponent(token)}`)
  assert.equal(res.statusCode, 403)
  assert.match(textOf(res.body, 'h1'), /Your form has expired/)
})

test('a POST from a browser with no CSRF cookie is refused and given no cookie', async (t) => {
  const app = await appWithTeacher(t)
  const res = await client(app).post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD }, { csrf: 'anything' })
  assert.equal(res.statusCode, 403)
  assert.match(textOf(res.body, 'h1'), /Your form has expired/)
  assert.equal(
    (res.cookies as Cookie[]).find((c) => c.name === 'haven_csrf'),
    undefined,
  )
})
