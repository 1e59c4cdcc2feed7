/**
 * Helpers for the staff tests: an organisation whose administrator can sign in with a password
 * alone (two-step verification required only for a role nobody holds), people with accounts, and
 * multipart uploads from the browser-like client with its cookies and a CSRF token fetched from a page.
 * `signIn` goes through the sign-in page with the password; the apps and people these helpers make
 * are signed in by session row (sessions.ts), which skips the deliberately slow password hash.
 */
import type { TestContext } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Db } from '../../src/db/database.ts'
import { setTwoStepPolicy } from '../../src/services/auth/accounts.ts'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { type Client, client } from './browser-like.ts'
import { signedInClient } from './sessions.ts'
import { buildTestApp, type TestApp } from './test-app.ts'

export const ADMIN_EMAIL = 'amira.khan@oakfield.example'

export interface StaffTestApp extends TestApp {
  org: { organisationId: string; schoolId: string; personId: string }
  admin: Client
}

/** No one needs two-step verification in these tests unless a test says so. */
export async function relaxTwoStep(db: Db, organisationId: string, actorId: string) {
  await setTwoStepPolicy(db, organisationId, { mode: 'roles', roles: ['chair-of-governors'] }, actorId)
}

export async function signIn(app: FastifyInstance, email: string, password = ADMIN_PASSWORD): Promise<Client> {
  const browser = client(app)
  const res = await browser.post('/sign-in', { email, password })
  if (res.statusCode !== 302) throw new Error(`sign-in as ${email} failed with ${res.statusCode}`)
  return browser
}

/** An app with an organisation (a trust when asked) and its administrator signed in. */
export async function staffTestApp(
  t: Pick<TestContext, 'after'>,
  options: { trust?: boolean; alsoDsl?: boolean; clock?: () => Date } = {},
): Promise<StaffTestApp> {
  const built = await buildTestApp(t, {}, { clock: options.clock })
  const org = await insertOrganisation(built.database.db, {
    ...(options.trust ? { organisationKind: 'trust', organisationName: 'Riverside Learning Trust' } : {}),
    alsoDsl: options.alsoDsl ?? false,
  })
  await relaxTwoStep(built.database.db, org.organisationId, org.personId)
  const admin = await signedInClient(built.app, built.database.db, org.personId)
  return { ...built, org, admin }
}

/** Adds a person with an account and signs them in (by session row). */
export async function personSignedIn(
  test: StaffTestApp,
  over: { name?: string; email: string; roles: string[] },
): Promise<{ id: string; browser: Client }> {
  const id = await insertPersonWithAccount(test.database.db, test.org, over)
  return { id, browser: await signedInClient(test.app, test.database.db, id) }
}

/** POSTs a multipart form with one file, as a browser does, with the CSRF token from `formPage`. */
export async function postFile(
  app: FastifyInstance,
  browser: Client,
  url: string,
  file: { name?: string; filename: string; content: Buffer | string; type?: string },
  options: { formPage?: string; fields?: Record<string, string>; csrf?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const csrf = options.csrf === undefined ? await browser.csrfToken(options.formPage ?? url) : options.csrf
  const boundary = `----havenTestBoundary${Math.random().toString(36).slice(2)}`
  const chunks: Buffer[] = []
  const fields = { ...(csrf === null ? {} : { _csrf: csrf }), ...options.fields }
  for (const [name, value] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
    ),
  )
  chunks.push(typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content)
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`))
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: '127.0.0.1',
    headers: {
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.concat(chunks),
  })
}
