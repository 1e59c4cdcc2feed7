/**
 * Issue 15 item 3 (ADR 0035): the integration API and its OpenAPI document, on both databases.
 *
 * A contract test: the served document is loaded once; every request below is made by a small
 * client that finds the operation in the document by its operationId, and every answer is checked
 * against the document's schema for its status and content type. At the end, every documented
 * operation has been called and every API route is documented (and nothing more). Then: a school's
 * integration pulls decisions pending for children's records and marks one entered with its
 * reference (X-07: the decision shows as entered by the integration); a token without the scope
 * is refused (403), a revoked one is not a credential (401), a session cookie is never one; the
 * token is kept only as its SHA-256; imports are all or nothing with errors naming the row; each
 * token is rate-limited on its own; every creation, use and revocation is audited without the token.
 */
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { insertDecisions, insertPupils, type NewDecision } from '../../src/db/repositories/children.ts'
import { html, textOf } from '../helpers/html.ts'
import { validate } from '../helpers/json-schema.ts'
import { sessionsApp, today } from './sessions-support.ts'

type Json = Record<string, unknown>
interface Operation {
  method: string
  path: string
  operationId: string
  responses: Record<string, { content?: Record<string, { schema: Json }> }>
}

function decision(over: Partial<NewDecision>): NewDecision {
  return {
    source: 'unplanned',
    sourceItemId: randomUUID(),
    sessionId: null,
    recordId: null,
    sessionKind: 'Unplanned supervision: Informal supervision',
    about: 'child',
    pupilId: null,
    aboutName: '',
    decision: 'Referral to early help',
    actions: 'DSL to call the family',
    agreedBy: 'Uma Plan and Cal Forward',
    decidedOn: today,
    status: 'ready',
    ...over,
  }
}

const RATE_LIMIT = 25

test('the integration API: its OpenAPI document, tokens, scopes, decisions, imports (X-07)', async (t) => {
  const s = await sessionsApp(t, 'ashbury-meadow', { apiRateLimitPerMinute: RATE_LIMIT })
  const db = s.database.db
  const { app } = s

  // Children and decisions: one ready for its record, one still waiting for sign-off, and one of another school.
  await insertPupils(db, s.org, [
    { upn: 'A123456789012', misId: '1001', name: 'Aisha Begum', dateOfBirth: '2016-03-14', yearGroup: 'Year 4' },
  ])
  const aisha = await db.selectFrom('pupil').select('id').where('upn', '=', 'A123456789012').executeTakeFirstOrThrow()
  await insertDecisions(db, s.org, [
    decision({ pupilId: aisha.id, decision: 'Referral to early help to be made today' }),
    decision({ status: 'awaiting-sign-off', decision: 'Not signed off yet' }),
  ])
  const elsewhere = await db
    .insertInto('school')
    .values({ organisation_id: s.org.organisationId, slug: 'elsewhere', name: 'Elsewhere Primary' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await insertDecisions(db, { organisationId: s.org.organisationId, schoolId: elsewhere.id }, [
    decision({ decision: 'Another school’s decision' }),
  ])
  const ids = Object.fromEntries(
    (await db.selectFrom('child_decision').select(['id', 'decision']).execute()).map((r) => [r.decision, r.id]),
  )

  // ---- Tokens, made on the page by the DSL: shown once, kept hashed.
  async function makeToken(name: string, scopes: string[]): Promise<string> {
    const res = await s.dsl.post('/api-tokens', { name, scopes })
    assert.equal(res.statusCode, 200, res.body.slice(0, 2000))
    const token = textOf(res.body, '#token')
    assert.match(token, /^haven_[A-Za-z0-9_-]{43}$/)
    return token
  }
  const refused = await s.dsl.post('/api-tokens', {
    name: '',
    'expires-day': '1',
    'expires-month': '1',
    'expires-year': '2000',
  })
  assert.equal(refused.statusCode, 400)
  const summary = textOf(refused.body, '.govuk-error-summary')
  assert.match(summary, /Enter a name for the token/)
  assert.match(summary, /Select what the token may do/)
  assert.match(summary, /last day the token works must be today or in the future/i)

  const cpoms = await makeToken('CPOMS', ['decisions:read', 'decisions:acknowledge'])
  const reader = await makeToken('Reader', ['decisions:read'])
  const mis = await makeToken('MIS', ['compliance:read', 'import:staff', 'import:pupils'])
  const page = await s.dsl.get('/api-tokens')
  assert.equal(page.statusCode, 200)
  assert.doesNotMatch(page.body, new RegExp(cpoms), 'a token is shown only once')
  assert.match(textOf(page.body, 'main'), /CPOMS.*Active.*haven_/)

  await t.test('a token is kept only as its SHA-256', async () => {
    const rows = await db.selectFrom('api_token').selectAll().execute()
    assert.equal(rows.length, 3)
    const stored = JSON.stringify(rows)
    for (const token of [cpoms, reader, mis]) {
      assert.ok(!stored.includes(token), 'no column holds the token')
      assert.ok(!stored.includes(token.slice(10)), 'nor its secret part')
      assert.ok(rows.some((r) => r.token_hash === createHash('sha256').update(token).digest('hex')))
    }
  })

  // ---- The document, and a client that finds operations in it.
  const docRes = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
  assert.equal(docRes.statusCode, 200)
  const doc = docRes.json() as { openapi: string; paths: Record<string, Record<string, Operation>>; components: Json }
  assert.equal(doc.openapi, '3.1.0')
  const operations = new Map<string, Operation>()
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) operations.set(op.operationId, { ...op, method, path })
  const checked = new Map<string, Set<string>>()

  /** Calls the documented operation and checks the answer against the document's schema for its status. */
  async function call(
    operationId: string,
    options: {
      token?: string
      params?: Record<string, string>
      query?: string
      json?: unknown
      csv?: string
      cookie?: boolean
    } = {},
  ): Promise<LightMyRequestResponse> {
    const op = operations.get(operationId)
    assert.ok(op, `${operationId} is in the document`)
    const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''))
    const headers: Record<string, string> = {}
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let payload: string | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(options.json)
    }
    if (options.csv !== undefined) {
      headers['content-type'] = 'text/csv'
      payload = options.csv
    }
    const res = options.cookie
      ? await s.dsl.get(`${url}${options.query ?? ''}`)
      : await app.inject({
          method: op.method.toUpperCase() as 'GET',
          url: `${url}${options.query ?? ''}`,
          headers,
          ...(payload !== undefined ? { payload } : {}),
        })
    const documented = op.responses[String(res.statusCode)]
    assert.ok(documented, `${operationId} answered ${res.statusCode}, which its document does not list: ${res.body}`)
    const type = String(res.headers['content-type']).split(';')[0] as string
    const content = documented.content?.[type]
    assert.ok(content, `${operationId} ${res.statusCode} answered ${type}, which its document does not list`)
    assert.deepEqual(
      validate(content.schema, res.json()),
      [],
      `${operationId} ${res.statusCode}: ${res.body.slice(0, 500)}`,
    )
    checked.set(operationId, (checked.get(operationId) ?? new Set()).add(String(res.statusCode)))
    return res
  }

  await t.test('every API route is documented, and every documented operation exists', () => {
    const routes = app
      .registeredRoutes()
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json' && r.method !== 'HEAD')
      .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort()
    const documented = [...operations.values()].map((o) => `${o.method} ${o.path}`).sort()
    assert.deepEqual(documented, routes)
    assert.ok(routes.length >= 6)
    for (const op of operations.values()) {
      const security = (op as unknown as { security: Json[] }).security
      assert.ok(Array.isArray(security) && security.length === 1, `${op.operationId} names its token and scope`)
    }
  })

  await t.test('X-07: an integration pulls pending decisions and marks one entered with its reference', async () => {
    const pending = (await call('listDecisions', { token: cpoms })).json() as { decisions: Json[] }
    assert.deepEqual(
      pending.decisions.map((d) => d.decision),
      ['Referral to early help to be made today'],
      'only the school’s decisions signed off and not yet entered',
    )
    const first = pending.decisions[0] as { id: string; child: Json }
    assert.equal(first.child.name, 'Aisha Begum')
    assert.equal(first.child.upn, 'A123456789012')

    assert.equal((await call('getDecision', { token: cpoms, params: { decisionId: first.id } })).statusCode, 200)
    const elsewhere = await call('getDecision', {
      token: cpoms,
      params: { decisionId: ids['Another school’s decision']! },
    })
    assert.equal(elsewhere.statusCode, 404, 'another school’s decision is not found')
    const waiting = await call('listDecisions', { token: cpoms, query: '?status=awaiting-sign-off' })
    assert.deepEqual(
      (waiting.json() as { decisions: Json[] }).decisions.map((d) => d.decision),
      ['Not signed off yet'],
    )
    const badStatus = await call('listDecisions', { token: cpoms, query: '?status=lost' })
    assert.equal(badStatus.statusCode, 400)
    assert.equal((badStatus.json() as { errors: Json[] }).errors[0]?.field, 'status')

    const noReference = await call('acknowledgeDecision', { token: cpoms, params: { decisionId: first.id }, json: {} })
    assert.equal(noReference.statusCode, 400)
    assert.deepEqual(
      (noReference.json() as { errors: Json[] }).errors.map((e) => e.field),
      ['reference'],
    )
    const nul = await call('acknowledgeDecision', {
      token: cpoms,
      params: { decisionId: first.id },
      json: { reference: 'A\u0000' },
    })
    assert.equal(nul.statusCode, 400)
    const entered = await call('acknowledgeDecision', {
      token: cpoms,
      params: { decisionId: first.id },
      json: { reference: 'CPOMS-4471', system: 'CPOMS' },
    })
    assert.equal(entered.statusCode, 200)
    const body = entered.json() as { status: string; entered: { by: string; reference: string } }
    assert.equal(body.status, 'entered')
    assert.equal(body.entered.reference, 'CPOMS-4471')
    assert.match(body.entered.by, /integration \(CPOMS\)/)
    const again = await call('acknowledgeDecision', {
      token: cpoms,
      params: { decisionId: first.id },
      json: { reference: 'X' },
    })
    assert.equal(again.statusCode, 409)
    const notSignedOff = await call('acknowledgeDecision', {
      token: cpoms,
      params: { decisionId: ids['Not signed off yet']! },
      json: { reference: 'X' },
    })
    assert.equal(notSignedOff.statusCode, 409)
    const otherSchool = await call('acknowledgeDecision', {
      token: cpoms,
      params: { decisionId: ids['Another school’s decision']! },
      json: { reference: 'X' },
    })
    assert.equal(otherSchool.statusCode, 404)

    // The DSL sees it entered by the integration, with the reference.
    const shown = await s.dsl.get(`/children/decisions/${first.id}`)
    assert.match(textOf(shown.body, '#entered'), /by The school’s integration \(CPOMS\) on .* reference CPOMS-4471/)
    assert.deepEqual((await call('listDecisions', { token: cpoms })).json(), { decisions: [] })
  })

  await t.test('scopes are refused (403), missing or wrong tokens and cookies are not credentials (401)', async () => {
    const noScope = await call('acknowledgeDecision', {
      token: reader,
      params: { decisionId: ids['Not signed off yet']! },
      json: { reference: 'X' },
    })
    assert.equal(noScope.statusCode, 403)
    assert.match(String((noScope.json() as Json).detail), /decisions:acknowledge/)
    assert.equal((await call('getCompliance', { token: cpoms })).statusCode, 403)
    assert.equal((await call('importStaff', { token: reader, csv: 'a' })).statusCode, 403)
    assert.equal((await call('importPupils', { token: cpoms, csv: 'a' })).statusCode, 403)
    const none = await call('listDecisions')
    assert.equal(none.statusCode, 401)
    assert.match(String(none.headers['www-authenticate']), /^Bearer/)
    assert.equal((await call('listDecisions', { token: `haven_${'a'.repeat(43)}` })).statusCode, 401)
    assert.equal(
      (await call('listDecisions', { cookie: true })).statusCode,
      401,
      'the DSL’s session cookie is not a credential',
    )
  })

  await t.test('compliance and all-or-nothing imports, errors naming the row', async () => {
    const compliance = await call('getCompliance', { token: mis })
    assert.equal(compliance.statusCode, 200)
    assert.ok((compliance.json() as { people: Json[] }).people.some((p) => p.name === 'Dana Shah'))

    const staffBad = [
      'First name,Last name,Email,Roles',
      'Imogen,Castellane,i.castellane@example.org,class-teacher',
      'Barnaby,Whitlock,not-an-email,class-teacher',
    ].join('\r\n')
    const bad = await call('importStaff', { token: mis, csv: staffBad })
    assert.equal(bad.statusCode, 400)
    assert.ok(
      (bad.json() as { errors: Json[] }).errors.some((e) => e.row === 3),
      bad.body,
    )
    assert.equal(
      (await db.selectFrom('person').select('id').where('email', '=', 'i.castellane@example.org').execute()).length,
      0,
      'nothing imported',
    )
    const admin = await call('importStaff', {
      token: mis,
      csv: 'First name,Last name,Email,Roles\r\nAda,Root,ada.root@example.org,administrator',
    })
    assert.equal(admin.statusCode, 400, 'an API token cannot give the administrator role')
    const good = await call('importStaff', {
      token: mis,
      csv: staffBad.replace('not-an-email', 'b.whitlock@example.org'),
    })
    assert.equal(good.statusCode, 200, good.body)
    assert.equal((good.json() as Json).created, 2)
    assert.equal((await call('importStaff', { token: mis })).statusCode, 400, 'no body')

    const pupilsBad = [
      'Legal Surname,Legal Forename,UPN,Adno,DOB,NC Year',
      'Okafor,Tobi,B123456789012,1002,02/01/2015,Year 5',
      'Nobody,Nameless,,,not a date,Year 5',
    ].join('\r\n')
    const badPupils = await call('importPupils', { token: mis, csv: pupilsBad })
    assert.equal(badPupils.statusCode, 400)
    assert.ok(
      (badPupils.json() as { errors: Json[] }).errors.every((e) => e.row === 3),
      badPupils.body,
    )
    const pupils = await call('importPupils', { token: mis, csv: pupilsBad.split('\r\n').slice(0, 2).join('\r\n') })
    assert.equal(pupils.statusCode, 200, pupils.body)
    assert.deepEqual(pupils.json(), { created: 1, updated: 0 })
  })

  await t.test('each token is rate-limited on its own', async () => {
    const flood = `haven_${'b'.repeat(43)}`
    let last: LightMyRequestResponse | undefined
    for (let i = 0; i <= RATE_LIMIT; i++) last = await call('listDecisions', { token: flood })
    assert.equal(last?.statusCode, 429)
    assert.ok(Number(last?.headers['retry-after']) > 0)
    assert.equal((await call('listDecisions', { token: reader })).statusCode, 200, 'another token is not held back')
  })

  await t.test('a revoked token is refused; creation, use and revocation are audited without the token', async () => {
    const before = await db
      .selectFrom('api_token')
      .select(['id', 'last_used_at'])
      .where('name', '=', 'CPOMS')
      .executeTakeFirstOrThrow()
    assert.ok(before.last_used_at, 'the last use is recorded')
    const form = html((await s.dsl.get('/api-tokens')).body)
      .querySelectorAll('form')
      .find((f) => f.getAttribute('action')?.includes(before.id))
    assert.ok(form, 'each active token has a revoke button')
    const revoked = await s.dsl.post(form.getAttribute('action') as string, {}, { formPage: '/api-tokens' })
    assert.equal(revoked.statusCode, 303)
    assert.equal((await call('listDecisions', { token: cpoms })).statusCode, 401)
    assert.match(textOf((await s.dsl.get('/api-tokens?revoked=1')).body, 'main'), /has been revoked.*CPOMS.*Revoked/)

    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'subject_id', 'detail'])
      .where('subject_type', '=', 'api-token')
      .execute()
    const actions = new Set(audit.filter((a) => a.subject_id === before.id).map((a) => a.action))
    for (const action of ['api-token.create', 'api-token.use', 'api-token.refuse', 'api-token.revoke'])
      assert.ok(actions.has(action), `${action} is audited`)
    const all = JSON.stringify(await db.selectFrom('audit_event').selectAll().execute())
    for (const token of [cpoms, reader, mis]) assert.ok(!all.includes(token.slice(6)), 'no token in the audit trail')
    const entered = await db
      .selectFrom('audit_event')
      .select('detail')
      .where('action', '=', 'child-decision.entered')
      .executeTakeFirstOrThrow()
    assert.equal((entered.detail as Json).by, 'api')
  })

  await t.test('every documented operation was called and its answers checked against the document', () => {
    assert.deepEqual([...checked.keys()].sort(), [...operations.keys()].sort())
    for (const [id, statuses] of checked) assert.ok(statuses.has('200'), `${id} was checked with a success`)
  })
})
