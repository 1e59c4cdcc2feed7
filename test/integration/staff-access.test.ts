/**
 * Who may use the staff pages: every route refuses people signed out and people whose roles do
 * not grant its permission, and every form needs its CSRF token, fetched from a page like a browser.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { client } from '../helpers/browser-like.ts'
import { textOf } from '../helpers/html.ts'
import { personSignedIn, postFile, staffTestApp } from '../helpers/staff.ts'

test('X-03: staff pages are refused when signed out, and to roles without the permission', async (t) => {
  const s = await staffTestApp(t)
  const teacher = await personSignedIn(s, {
    name: 'Ben Carter',
    email: 'ben.carter@oakfield.example',
    roles: ['class-teacher'],
  })
  const head = await personSignedIn(s, {
    name: 'Hana Osei',
    email: 'hana.osei@oakfield.example',
    roles: ['headteacher'],
  })
  const id = teacher.id
  const reads = ['/staff', `/staff/${id}`, '/staff/roles']
  const manages = [
    '/staff/new',
    `/staff/${id}/edit`,
    `/staff/${id}/change/line-manager`,
    `/staff/${id}/change/supervisor`,
    `/staff/${id}/handover`,
    `/staff/${id}/end`,
    '/staff/import',
    '/staff/import/template.csv',
    '/staff/export.csv',
  ]
  const anonymous = client(s.app)
  for (const url of [...reads, ...manages, '/admin/schools']) {
    const res = await anonymous.get(url)
    assert.equal(res.statusCode, 302, url)
    assert.match(res.headers.location as string, /^\/sign-in\?next=/, url)
  }
  for (const url of [...reads, ...manages, '/admin/schools'])
    assert.equal((await teacher.browser.get(url)).statusCode, 403, `teacher ${url}`)
  // A headteacher reads staff but does not manage them.
  for (const url of reads) assert.equal((await head.browser.get(url)).statusCode, 200, `head ${url}`)
  for (const url of [...manages, '/admin/schools'])
    assert.equal((await head.browser.get(url)).statusCode, 403, `head ${url}`)
  // The administrator does everything here.
  for (const url of [...reads, ...manages, '/admin/schools'])
    assert.equal((await s.admin.get(url)).statusCode, 200, `admin ${url}`)

  // Posts: refused to the headteacher even with a valid token from a page they can see.
  const posts = [
    '/staff/new',
    `/staff/${id}/edit`,
    `/staff/${id}/change/supervisor`,
    `/staff/${id}/handover`,
    `/staff/${id}/end`,
    `/staff/${id}/invite`,
    '/staff/invite-all',
    '/staff/roles',
    '/admin/schools',
  ]
  for (const url of posts) {
    const res = await head.browser.post(url, { name: 'x' }, { formPage: '/staff' })
    assert.equal(res.statusCode, 403, `head POST ${url}`)
  }
  const upload = await postFile(
    s.app,
    head.browser,
    '/staff/import',
    { filename: 'a.csv', content: 'Full name,Email\n' },
    { formPage: '/staff' },
  )
  assert.equal(upload.statusCode, 403)
  assert.equal(await s.database.db.selectFrom('staff_import').select('id').executeTakeFirst(), undefined)
})

test('every staff form needs its CSRF token: without it nothing changes', async (t) => {
  const s = await staffTestApp(t)
  const forged = await s.admin.post(
    '/staff/new',
    { name: 'Mallory', email: 'mallory@example.org', partTime: 'no' },
    { csrf: 'forged' },
  )
  assert.equal(forged.statusCode, 403)
  assert.match(textOf(forged.body, 'h1'), /Your form has expired/)
  const missing = await s.admin.post('/staff/roles', { name: 'Chaplain' }, { csrf: null })
  assert.equal(missing.statusCode, 403)
  const upload = await postFile(
    s.app,
    s.admin,
    '/staff/import',
    { filename: 'a.csv', content: 'Full name,Email\nA,a@example.org\n' },
    { csrf: null },
  )
  assert.equal(upload.statusCode, 403)
  const people = await s.database.db.selectFrom('person').select('email').execute()
  assert.deepEqual(
    people.map((p) => p.email),
    ['amira.khan@oakfield.example'],
  )
  assert.equal(await s.database.db.selectFrom('custom_role').select('id').executeTakeFirst(), undefined)
  assert.equal(await s.database.db.selectFrom('staff_import').select('id').executeTakeFirst(), undefined)
})

test('people of another organisation, and ids that are not ids, are not found', async (t) => {
  const s = await staffTestApp(t)
  for (const url of [
    '/staff/not-a-uuid',
    '/staff/00000000-0000-4000-8000-000000000000',
    '/staff/not-a-uuid/edit',
    '/staff/import/short',
  ])
    assert.equal((await s.admin.get(url)).statusCode, 404, url)
  assert.equal((await s.admin.get('/staff?page=abc')).statusCode, 404)
  assert.equal((await s.admin.get('/staff?page=99')).statusCode, 404)
  assert.equal((await s.admin.get('/staff?school=nowhere')).statusCode, 404)
  assert.equal((await s.admin.get('/staff/x/change/boss')).statusCode, 404)
  // A second organisation's person.
  const other = await s.database.db
    .insertInto('organisation')
    .values({ kind: 'single-school', name: 'Elsewhere' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const stranger = await s.database.db
    .insertInto('person')
    .values({ organisation_id: other.id, name: 'Stranger', email: 'stranger@elsewhere.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  assert.equal((await s.admin.get(`/staff/${stranger.id}`)).statusCode, 404)
  assert.equal((await s.admin.get(`/staff/${stranger.id}/edit`)).statusCode, 404)
  assert.equal((await s.admin.post(`/staff/${stranger.id}/invite`, {}, { formPage: '/staff' })).statusCode, 404)
})
