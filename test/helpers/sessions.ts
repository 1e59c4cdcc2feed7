/**
 * Signing people in by writing their session row, as the sign-in page would after checking the
 * password, and handing the cookie to a client: a password check costs a deliberately slow Argon2
 * hash (about 0.2 s of CPU), which is what signing in tests, not what the page after it tests.
 * Signing in itself (the password, the throttle, the audit entry, two-step verification) is tested
 * through the real pages in test/integration/auth.test.ts and test/browser/auth.test.ts.
 */
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/db/database.ts'
import { sessionCookieName } from '../../src/plugins/auth.ts'
import { createSession } from '../../src/services/auth/sessions.ts'
import { type Client, client } from './browser-like.ts'

/** The session cookie's name for an app served over plain HTTP, as every test app is. */
export const SESSION_COOKIE = sessionCookieName(false)

/** Writes a session for the person (second step done unless told) and returns the cookie's value. */
export async function sessionToken(
  db: Db,
  personId: string,
  options: { secondStepDone?: boolean; userAgent?: string; now?: Date } = {},
): Promise<string> {
  const { token } = await createSession(db, {
    personId,
    secondStepDone: options.secondStepDone ?? true,
    userAgent: options.userAgent ?? 'test',
    now: options.now ?? new Date(),
    settings: { idleMinutes: 30, absoluteHours: 12 },
  })
  return token
}

/** A browser-like client signed in as the person, second step done. */
export async function signedInClient(app: FastifyInstance, db: Db, personId: string): Promise<Client> {
  const browser = client(app)
  browser.cookies.set(SESSION_COOKIE, await sessionToken(db, personId))
  return browser
}

/** The id of the person with this email address (any case). */
export async function personIdByEmail(db: Db, email: string): Promise<string> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .executeTakeFirstOrThrow(() => new Error(`No person with the email address ${email}`))
  return row.id
}

/** A browser-like client signed in as the person with this email address, second step done. */
export async function signedInClientByEmail(app: FastifyInstance, db: Db, email: string): Promise<Client> {
  return signedInClient(app, db, await personIdByEmail(db, email))
}
