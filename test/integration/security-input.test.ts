/**
 * Issue 12, security and reliability of input: a NUL, a lone surrogate or malformed UTF-8 in any
 * text field is refused with a 400 naming the field (never a 500, nothing saved, what was typed kept);
 * forms take urlencoded bodies (and multipart where a file is uploaded), never JSON; TRUST_PROXY
 * trusts only the proxies it names, so a forged X-Forwarded-For cannot dodge the sign-in throttle or
 * the rate limit; and a body over the limit gets the "too large" page on a real connection, which
 * is not reset before the response can be read.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { describe, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { loadConfig } from '../../src/config.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import { type Fields, formFields } from '../helpers/forms.ts'
import { html, textOf } from '../helpers/html.ts'
import { formValues, hidden, recordsTestApp, startedRecord } from '../helpers/records.ts'
import { postFile, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { booking, sessionCount, sessionsApp } from './sessions-support.ts'

/** A person on the staff list and their edit form's fields as the page has them (without the CSRF token). */
async function personToEdit(s: StaffTestApp): Promise<{ id: string; fields: Fields }> {
  const id = await insertPersonWithAccount(s.database.db, s.org, {
    name: 'Imogen Castellane',
    email: 'imogen.castellane@oakfield.example',
  })
  const page = await s.admin.get(`/staff/${id}/edit`)
  assert.equal(page.statusCode, 200)
  const { _csrf, ...fields } = formFields(page.body)
  return { id, fields }
}

const cookieOf = (browser: Client) => [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')

/** POSTs a urlencoded body exactly as given (bytes or text), with the browser's cookies and a CSRF token. */
async function postRaw(
  app: FastifyInstance,
  browser: Client,
  url: string,
  body: string | Buffer,
  options: { formPage?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const csrf = await browser.csrfToken(options.formPage ?? url)
  const prefix = `_csrf=${encodeURIComponent(csrf)}&`
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: '127.0.0.1',
    headers: {
      cookie: cookieOf(browser),
      'content-type': 'application/x-www-form-urlencoded',
      ...options.headers,
    },
    payload: typeof body === 'string' ? prefix + body : Buffer.concat([Buffer.from(prefix), body]),
  })
}

/** Every field as urlencoded text, without the CSRF token. */
const encode = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value)
  return params.toString()
}

/** The 400 page: error summary naming the field, what was typed shown read-only, a way back. */
function assertRefusedPage(res: LightMyRequestResponse, message: RegExp, typed: string[] = []) {
  assert.equal(res.statusCode, 400, res.body.slice(0, 1000))
  assert.match(String(res.headers['content-type']), /^text\/html/)
  assert.equal(textOf(res.body, '.govuk-error-summary__title'), 'There is a problem')
  assert.match(textOf(res.body, '.govuk-error-summary__list'), message)
  assert.match(textOf(res.body, 'title'), /^Error: /)
  const shown = html(res.body)
    .querySelectorAll('main textarea[readonly]')
    .map((t) => t.textContent)
    .join('\n')
  for (const text of typed) assert.ok(shown.includes(text), `"${text}" is shown read-only`)
  assert.ok(!res.body.includes('\u0000') && !res.body.includes('\uFFFD'), 'no bad characters echoed')
  assert.ok(html(res.body).querySelector('a.govuk-back-link'), 'a link back to the form')
  assert.ok(!/csrf/i.test(textOf(res.body, 'main')), 'the CSRF token is not shown')
}

describe('issue 12: NUL, lone surrogates and malformed UTF-8 are refused with a 400 naming the field', () => {
  test('staff edit: a NUL, malformed UTF-8 or an encoded surrogate is refused naming the field; nothing is saved', async (t) => {
    const s = await staffTestApp(t)
    const { id, fields: form } = await personToEdit(s)
    const row = () => s.database.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const before = await row()
    const fields = encode({ ...form, name: 'Imogen Castellane-Reeve', jobTitle: 'Year 2 teacher' }).replace(
      /jobTitle=[^&]*/,
      'jobTitle=Year+2%00teacher',
    )
    const nul = await postRaw(s.app, s.admin, `/staff/${id}/edit`, fields, { formPage: `/staff/${id}` })
    assertRefusedPage(nul, /^Job title must not contain unusual characters such as a null character$/, [
      'Imogen Castellane-Reeve',
      'Year 2teacher',
    ])
    // A raw NUL byte, bytes that are not UTF-8, and the UTF-8 form of a surrogate, percent-encoded or not.
    for (const bad of ['Year\u00002', '%C3%28', '%FF', '%ED%A0%80', '%ED%B0%80']) {
      const res = await postRaw(
        s.app,
        s.admin,
        `/staff/${id}/edit`,
        fields.replace(/jobTitle=[^&]*/, `jobTitle=${bad}`),
        {
          formPage: `/staff/${id}`,
        },
      )
      assertRefusedPage(res, /^Job title must not contain/)
    }
    for (const bytes of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const body = Buffer.concat([
        Buffer.from(fields.replace(/jobTitle=[^&]*/, '').replace(/&&/, '&')),
        Buffer.from('&jobTitle=Year'),
        Buffer.from(bytes),
      ])
      const res = await postRaw(s.app, s.admin, `/staff/${id}/edit`, body, { formPage: `/staff/${id}` })
      assertRefusedPage(res, /^Job title must not contain/)
    }
    // A field's name can be bad too: the message then names the form.
    const badName = await postRaw(s.app, s.admin, `/staff/${id}/edit`, `${fields}&no%00te=x`, {
      formPage: `/staff/${id}`,
    })
    assert.equal(badName.statusCode, 400)
    assert.deepEqual(await row(), before, 'nothing saved')
    // What is well-formed still saves, accents, emoji and all.
    const ok = await s.admin.post(
      `/staff/${id}/edit`,
      { ...form, jobTitle: 'Année 2 — 🌱 teacher' },
      { formPage: `/staff/${id}` },
    )
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500))
    assert.equal((await row()).job_title, 'Année 2 — 🌱 teacher')
  })

  test('the query string is checked too: a search for a NUL is a 400 naming the search box', async (t) => {
    const s = await staffTestApp(t)
    const res = await s.admin.get('/staff?q=a%00b')
    assertRefusedPage(res, /^Search must not contain unusual characters such as a null character$/)
    assert.equal((await s.admin.get('/staff?q=%FF')).statusCode, 400)
    assert.equal((await s.admin.get('/staff?q=Castellane')).statusCode, 200)
  })

  test('record save and autosave: the draft is untouched; autosave gets JSON naming the field and keeps its text', async (t) => {
    const s = await recordsTestApp(t)
    const { recordId } = await startedRecord(s)
    const stored = () =>
      s.database.db
        .selectFrom('supervision_record')
        .select(['draft_version', 'document'])
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow()
    const before = await stored()
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const values = formValues(page.body)
    const token = hidden(page.body, '_csrf')
    const body = (summary: string) => `${encode({ ...values, _csrf: token })}&summary=${summary}`
    for (const summary of ['Talked%00about+workload', '%ED%A0%80', '%C3%28']) {
      const autosave = await s.app.inject({
        method: 'POST',
        url: `/records/${recordId}`,
        headers: {
          cookie: cookieOf(s.supervisor.browser),
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'x-csrf-token': token,
        },
        payload: body(summary),
      })
      assert.equal(autosave.statusCode, 400, autosave.body.slice(0, 500))
      const answer = autosave.json() as { saved: boolean; field: string; message: string }
      assert.equal(answer.saved, false)
      assert.equal(answer.field, 'summary')
      assert.match(answer.message, /^Summary must not contain/)
    }
    const saveDraft = await s.app.inject({
      method: 'POST',
      url: `/records/${recordId}`,
      headers: { cookie: cookieOf(s.supervisor.browser), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body('Talked%00about+workload'),
    })
    assertRefusedPage(saveDraft, /^Summary must not contain unusual characters such as a null character$/, [
      'Talkedabout workload',
    ])
    // A lone surrogate sent as JSON never reaches the database: forms are not taken as JSON.
    const json = await s.app.inject({
      method: 'POST',
      url: `/records/${recordId}`,
      headers: { cookie: cookieOf(s.supervisor.browser), accept: 'application/json', 'x-csrf-token': token },
      payload: { ...values, summary: 'Lone \uD800 surrogate' },
    })
    assert.equal(json.statusCode, 415)
    assert.deepEqual(await stored(), before, 'the draft is untouched')
  })

  test('session booking: a NUL in the venue is refused naming it, and no session is booked', async (t) => {
    const s = await sessionsApp(t, 'lode-heath')
    const teacher = await s.add('Wendy Ash')
    const before = await sessionCount(s)
    const fields = encode(booking({ supervisorId: s.dslId, superviseeIds: [teacher] }))
    const res = await postRaw(s.app, s.dsl, '/sessions/new', fields.replace(/venue=[^&]*/, 'venue=Room%002'))
    assertRefusedPage(res, /^Venue must not contain unusual characters such as a null character$/, ['Room2'])
    assert.equal(await sessionCount(s), before)
    const ok = await postRaw(s.app, s.dsl, '/sessions/new', fields)
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500))
  })

  test('policy upload: a JSON file with an escaped NUL or lone surrogate, or bytes that are not UTF-8, is refused', async (t) => {
    const s = await staffTestApp(t)
    const versions = () =>
      s.database.db.selectFrom('policy_version').select('version').where('school_id', '=', s.org.schoolId).execute()
    const before = await versions()
    const exported = await s.admin.get('/policy/versions/1.json')
    assert.equal(exported.statusCode, 200)
    const text = exported.body
    const fields = { 'effectiveFrom-day': '1', 'effectiveFrom-month': '1', 'effectiveFrom-year': '2099' }
    const bad: [string, Buffer][] = [
      ['an escaped NUL', Buffer.from(text.replace(/"school": "/, '"school": "\\u0000'))],
      ['an escaped lone surrogate', Buffer.from(text.replace(/"school": "/, '"school": "\\ud800'))],
      ['a lone surrogate in a key', Buffer.from(text.replace(/^\{/, '{"\\udc00": 1,'))],
      ['a raw NUL', Buffer.from(text.replace(/"school": "/, '"school": "\u0000'))],
      [
        'bytes that are not UTF-8',
        Buffer.concat([Buffer.from(text.replace(/"school": "/, '"school": "Caf')), Buffer.from([0xe9])]),
      ],
    ]
    for (const [what, content] of bad) {
      const res = await postFile(
        s.app,
        s.admin,
        '/policy/upload',
        { filename: 'policy.json', content, type: 'application/json' },
        { fields },
      )
      assert.equal(res.statusCode, 400, `${what}: ${res.body.slice(0, 300)}`)
      assert.match(textOf(res.body, '.govuk-error-summary__list'), /^The selected file must /, what)
    }
    // A text field of the same form with a NUL, and one that is not UTF-8.
    for (const day of [Buffer.from('1\u0000'), Buffer.from([0x31, 0xff])]) {
      const csrf = await s.admin.csrfToken('/policy/upload')
      const boundary = '----havenSecurityInputTest'
      const part = (name: string, value: Buffer, file = '') =>
        Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`),
          value,
          Buffer.from('\r\n'),
        ])
      const res = await s.app.inject({
        method: 'POST',
        url: '/policy/upload',
        headers: { cookie: cookieOf(s.admin), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          part('_csrf', Buffer.from(csrf)),
          part('effectiveFrom-day', day),
          part('effectiveFrom-month', Buffer.from('1')),
          part('effectiveFrom-year', Buffer.from('2099')),
          part('file', Buffer.from(text), '; filename="policy.json"\r\nContent-Type: application/json'),
          Buffer.from(`--${boundary}--\r\n`),
        ]),
      })
      assertRefusedPage(res, /^Effective from must not contain/, ['2099'])
    }
    assert.deepEqual(await versions(), before)
  })

  test('staff CSV upload: a NUL far into the file is refused naming the file, and no one is imported', async (t) => {
    const s = await staffTestApp(t)
    const people = () => s.database.db.selectFrom('person').select('id').execute()
    const before = await people()
    const rows = ['Full name,Email,Job title']
    for (let i = 0; i < 1500; i++)
      rows.push(`Person Number${i},person.${i}@oakfield.example,Teaching assistant in year ${i % 6}`)
    rows.push('Nul Person,nul.person@oakfield.example,Teach\u0000er')
    const csv = `${rows.join('\r\n')}\r\n`
    assert.ok(csv.indexOf('\u0000') > 64 * 1024)
    const res = await postFile(s.app, s.admin, '/staff/import', { filename: 'staff.csv', content: csv })
    assert.equal(res.statusCode, 400, res.body.slice(0, 300))
    assert.match(
      textOf(res.body, '.govuk-error-summary__list'),
      /^The selected file must not contain unusual characters such as a null character$/,
    )
    assert.deepEqual(await people(), before)
    assert.equal(await s.database.db.selectFrom('staff_import').select('id').executeTakeFirst(), undefined)
  })
})

describe('issue 12: forms are urlencoded (or multipart for uploads), never JSON or plain text', () => {
  test('a JSON or text body is refused with 415 before any handler, even with a valid CSRF token', async (t) => {
    const s = await staffTestApp(t)
    const { id, fields } = await personToEdit(s)
    const token = await s.admin.csrfToken(`/staff/${id}`)
    const before = await s.database.db.selectFrom('person').selectAll().execute()
    const asJson = await s.app.inject({
      method: 'POST',
      url: `/staff/${id}/edit`,
      headers: { cookie: cookieOf(s.admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ _csrf: token, ...fields, jobTitle: 'Sent as JSON' }),
    })
    assert.equal(asJson.statusCode, 415)
    assert.match(textOf(asJson.body, 'h1'), /problem with your request/)
    const asText = await s.app.inject({
      method: 'POST',
      url: `/staff/${id}/edit`,
      headers: { cookie: cookieOf(s.admin), 'content-type': 'text/plain' },
      payload: `_csrf=${token}&jobTitle=Sent+as+text`,
    })
    assert.equal(asText.statusCode, 415)
    assert.deepEqual(await s.database.db.selectFrom('person').selectAll().execute(), before)
  })
})

/**
 * Sends a whole request over a real connection, reading nothing until every byte is written (as a
 * browser uploading a file does), then reads the response. A server that answers early and closes
 * makes the client's writes fail with EPIPE or ECONNRESET and the response is lost.
 */
function sendWholeThenRead(
  port: number,
  head: string,
  body: { bytes: number; chunked?: boolean },
): Promise<{ response: string; error: string | null }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let response = ''
    let settled = false
    const done = (error: string | null) => {
      if (settled) return
      settled = true
      socket.destroy()
      resolve({ response, error })
    }
    socket.pause()
    socket.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? String(e)))
    socket.on('data', (d: Buffer) => {
      response += d.toString('latin1')
    })
    socket.on('end', () => done(null))
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    socket.on('connect', () => {
      const length = body.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.bytes}`
      socket.write(`${head}Host: 127.0.0.1\r\n${length}\r\nConnection: close\r\n\r\n`)
      let sent = 0
      const write = () => {
        while (sent < body.bytes) {
          const n = Math.min(chunk.length, body.bytes - sent)
          sent += n
          const piece = body.chunked
            ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), chunk.subarray(0, n), Buffer.from('\r\n')])
            : chunk.subarray(0, n)
          if (!socket.write(piece)) {
            socket.once('drain', write)
            return
          }
        }
        if (body.chunked) socket.write('0\r\n\r\n')
        socket.resume()
      }
      write()
    })
    setTimeout(() => done('timeout'), 60_000).unref()
  })
}

describe('issue 12: a body over the limit gets the "too large" page on a real connection', () => {
  test('12 MB multipart or urlencoded, with a length or chunked: a 413 page, read in full, never a reset', async (t) => {
    const { app } = await buildTestApp(t)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as net.AddressInfo
    const cases: [string, string, boolean][] = [
      ['/staff/import', 'multipart/form-data; boundary=xyz', false],
      ['/staff/import', 'multipart/form-data; boundary=xyz', true],
      ['/sign-in', 'application/x-www-form-urlencoded', false],
      ['/sign-in', 'application/x-www-form-urlencoded', true],
    ]
    for (const [path, type, chunked] of cases) {
      const what = `${path} ${type} ${chunked ? 'chunked' : 'with a length'}`
      const { response, error } = await sendWholeThenRead(port, `POST ${path} HTTP/1.1\r\nContent-Type: ${type}\r\n`, {
        bytes: 12 * 1024 * 1024,
        chunked,
      })
      assert.equal(error, null, `${what}: the connection failed (${error}) after ${response.length} bytes`)
      assert.match(response, /^HTTP\/1\.1 413 /, what)
      assert.match(response, /The file or form is too large/, what)
      assert.match(response, /<\/html>\s*$/, `${what}: the whole page arrives`)
    }
    // A body refused for its type, or sent to no page at all, is read in full before the answer too.
    for (const [path, type, status] of [
      ['/sign-in', 'application/json', 415],
      ['/no-such-page', 'application/x-www-form-urlencoded', 413],
    ] as const) {
      const head = `POST ${path} HTTP/1.1\r\nContent-Type: ${type}\r\n`
      const { response, error } = await sendWholeThenRead(port, head, { bytes: 12 * 1024 * 1024 })
      assert.equal(error, null, `${path}: the connection failed (${error})`)
      assert.match(response, new RegExp(`^HTTP/1\\.1 ${status} `), path)
      assert.match(response, /<\/html>\s*$/, path)
    }
    // The server is still well after all that.
    assert.equal((await fetch(`http://127.0.0.1:${port}/sign-in`)).status, 200)
  })
})

describe('issue 12: TRUST_PROXY trusts only the proxies it names', () => {
  const PROXY = '10.0.0.5'
  const CLIENT = '203.0.113.7'

  /** A request as the proxy passes it on: the client's forged X-Forwarded-For, then the address the proxy saw. */
  function viaProxy(app: FastifyInstance, forged: string, over: { remoteAddress?: string; cookie?: string } = {}) {
    return (method: 'GET' | 'POST', url: string, payload?: string) =>
      app.inject({
        method,
        url,
        remoteAddress: over.remoteAddress ?? PROXY,
        headers: {
          'x-forwarded-for': over.remoteAddress ? forged : `${forged}, ${CLIENT}`,
          ...(over.cookie ? { cookie: over.cookie } : {}),
          ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        payload,
      })
  }

  /** Failed sign-ins from one real address, each with a new forged address and a new email; the statuses. */
  async function failedSignIns(app: FastifyInstance, count: number, remoteAddress?: string): Promise<number[]> {
    const first = await viaProxy(app, '198.51.100.1', { remoteAddress })('GET', '/sign-in')
    const cookie = first.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const token = html(first.body).querySelector('input[name=_csrf]')!.getAttribute('value')!
    const statuses: number[] = []
    for (let i = 0; i < count; i++) {
      const forged = `198.51.${Math.floor(i / 200)}.${(i % 200) + 1}`
      const res = await viaProxy(app, forged, { remoteAddress, cookie })(
        'POST',
        '/sign-in',
        encode({ _csrf: token, email: `nobody.${i}@oakfield.example`, password: 'not the password at all' }),
      )
      statuses.push(res.statusCode)
    }
    return statuses
  }

  for (const setting of ['true', '1', `${PROXY},10.0.1.0/24`]) {
    test(`TRUST_PROXY=${setting}: rotating X-Forwarded-For does not dodge the sign-in throttle or the rate limit`, async (t) => {
      const { app, database } = await buildTestApp(t, { trustProxy: loadConfig({ TRUST_PROXY: setting }).trustProxy })
      await insertOrganisation(database.db)
      // Twenty failures from an address are free; the twenty-first blocks it.
      const statuses = await failedSignIns(app, 22)
      assert.deepEqual(statuses.slice(0, 21), Array(21).fill(400))
      assert.equal(statuses[21], 429, 'the real address is throttled whatever the header says')
      // The rate limit counts the real address too.
      const remaining = async (forged: string) =>
        Number((await viaProxy(app, forged)('GET', '/healthz')).headers['x-ratelimit-remaining'])
      const before = await remaining('192.0.2.1')
      assert.equal(await remaining('192.0.2.2'), before - 1)
      assert.equal(await remaining('192.0.2.3'), before - 2)
      // Another person behind the same proxy has a count of their own.
      const other = await app.inject({
        method: 'GET',
        url: '/healthz',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': '203.0.113.8' },
      })
      assert.equal(Number(other.headers['x-ratelimit-remaining']), Number(other.headers['x-ratelimit-limit']) - 1)
    })
  }

  test('TRUST_PROXY as addresses: a client that reaches Haven directly cannot claim an address', async (t) => {
    const { app, database } = await buildTestApp(t, { trustProxy: loadConfig({ TRUST_PROXY: PROXY }).trustProxy })
    await insertOrganisation(database.db)
    const statuses = await failedSignIns(app, 22, '203.0.113.99')
    assert.equal(statuses[21], 429)
  })
})
