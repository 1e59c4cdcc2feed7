/**
 * Helpers for the contract tests (issue 8): a school on a policy pack with its DSL (also the
 * administrator) signed in, staff added straight to the database, people signed in with a
 * password or with a session whose second step is done, and the text of a PDF.
 */
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import zlib from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { generateTotpSecret } from '../../src/domain/auth/totp.ts'
import { academicYearIdFor } from '../../src/domain/calendar/index.ts'
import type { PackId } from '../../src/packs/index.ts'
import { ADMIN_PASSWORD, insertOrganisation } from '../builders/organisation.ts'
import type { Client } from './browser-like.ts'
import { clockFrom, testNow, testToday } from './clock.ts'
import { html } from './html.ts'
import { testPasswordHash } from './passwords.ts'
import { signedInClient, signedInClientByEmail } from './sessions.ts'
import { relaxTwoStep } from './staff.ts'
import { buildTestApp, type TestApp } from './test-app.ts'

/**
 * The fixed test instant and its London date (helpers/clock.ts): contractsTestApp sets the app's
 * clock to it (ADR 0017), so "today" here and in the app agree whenever the file runs.
 */
export const now = testNow
export const today = testToday

export interface ContractsTestApp extends TestApp {
  org: { organisationId: string; schoolId: string; personId: string }
  /** Amira Khan: administrator and DSL, signed in. */
  dsl: Client
}

export async function contractsTestApp(
  t: Pick<TestContext, 'after'>,
  pack: PackId = 'meanwood',
): Promise<ContractsTestApp> {
  const built = await buildTestApp(t, {}, { clock: clockFrom(now) })
  const org = await insertOrganisation(built.database.db, { alsoDsl: true, packId: pack })
  await relaxTwoStep(built.database.db, org.organisationId, org.personId)
  const dsl = await signedInClient(built.app, built.database.db, org.personId)
  return { ...built, org, dsl }
}

let hashed: Promise<string> | undefined

export interface NewPerson {
  name: string
  roles?: string[]
  jobTitle?: string
  worksInEyfs?: boolean
  lineManagerId?: string | null
  /** Their supervisor (a supervision_assignment from the start of the year). */
  supervisorId?: string
  account?: boolean
  endDate?: string | null
}

export function emailOf(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@oakfield.example`
}

/** Adds a member of staff of the school (with an account and the usual password unless told otherwise). */
export async function addPerson(s: Pick<ContractsTestApp, 'database' | 'org'>, p: NewPerson): Promise<string> {
  const db = s.database.db
  const row = await db
    .insertInto('person')
    .values({
      organisation_id: s.org.organisationId,
      school_id: s.org.schoolId,
      name: p.name,
      email: emailOf(p.name),
      job_title: p.jobTitle ?? '',
      roles: p.roles ?? ['class-teacher'],
      line_manager_id: p.lineManagerId ?? null,
      works_in_eyfs: p.worksInEyfs ?? false,
      end_date: p.endDate ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (p.account !== false) {
    hashed ??= testPasswordHash(ADMIN_PASSWORD)
    await db
      .insertInto('account')
      .values({ person_id: row.id, password_hash: await hashed })
      .execute()
  }
  if (p.supervisorId) {
    await db
      .insertInto('supervision_assignment')
      .values({
        organisation_id: s.org.organisationId,
        supervisee_id: row.id,
        supervisor_id: p.supervisorId,
        kind: 'supervisor',
        starts_on: '2020-09-01',
      })
      .execute()
  }
  return row.id
}

/** Signs a person in (by session row: these schools need no two-step verification). */
export function signInAs(s: ContractsTestApp, name: string): Promise<Client> {
  return signedInClientByEmail(s.app, s.database.db, emailOf(name))
}

/** Turns on two-step verification for a person and returns their secret. */
export async function enableTwoStep(s: ContractsTestApp, personId: string): Promise<string> {
  const secret = generateTotpSecret()
  await s.database.db
    .updateTable('account')
    .set({ totp_secret: secret, totp_enabled_at: new Date() })
    .where('person_id', '=', personId)
    .execute()
  return secret
}

/** Issues, as the DSL, this academic year's contract for a supervisee on the form's defaults; its id. */
export async function issueContract(
  s: ContractsTestApp,
  superviseeId: string,
  fields: Record<string, string> = {},
): Promise<string> {
  const page = `/contracts/new?person=${superviseeId}&year=${academicYearIdFor(today)}`
  const form = await s.dsl.get(page)
  const res = await s.dsl.post(page, { ...formValues(form.body), disputeThirdPerson: s.org.personId, ...fields })
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000))
  return contractIdFrom(res.headers.location)
}

/** A browser whose session has done its second step (as after signing in with a code). */
export function sessionFor(s: ContractsTestApp, personId: string): Promise<Client> {
  return signedInClient(s.app, s.database.db, personId)
}

const winAnsi: Record<number, string> = { 145: '‘', 146: '’', 147: '“', 148: '”', 150: '–', 151: '—', 149: '•' }

/**
 * The text of a PDF written by pdfkit with its standard fonts: every text-showing operator of
 * every content stream, decoded, one line per text object, whitespace collapsed.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1')
  const lines: string[] = []
  const streams = /stream\r?\n/g
  for (let m = streams.exec(raw); m !== null; m = streams.exec(raw)) {
    const start = m.index + m[0].length
    const end = raw.indexOf('endstream', start)
    let content: string
    try {
      content = zlib.inflateSync(pdf.subarray(start, end)).toString('latin1')
    } catch {
      content = raw.slice(start, end)
    }
    for (const block of content.split(/\bET\b/)) {
      const pieces = [...block.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) =>
        Buffer.from(h[1]!, 'hex')
          .toString('latin1')
          .replace(/[\x80-\x9f]/g, (c) => winAnsi[c.charCodeAt(0)] ?? c),
      )
      if (pieces.length > 0) lines.push(pieces.join(''))
    }
  }
  return lines.join(' ').replace(/\s+/g, ' ')
}

/** The id at the end of a redirect to a contract's page. */
export function contractIdFrom(location: unknown): string {
  const m = /\/contracts\/([0-9a-f-]{36})/.exec(String(location))
  if (!m) throw new Error(`not a contract page: ${String(location)}`)
  return m[1]!
}

export type { FastifyInstance }

/** What a browser would send for the form on a page (the first form posting to `action`, else the last form): every field as it stands. */
export function formValues(body: string, action?: string): Record<string, string> {
  const forms = html(body).querySelectorAll('form[method=post]')
  const form = (action ? forms.find((f) => f.getAttribute('action') === action) : undefined) ?? forms[forms.length - 1]
  if (!form) throw new Error('no form on the page')
  const values: Record<string, string> = {}
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name')
    const type = input.getAttribute('type') ?? 'text'
    if (!name || name === '_csrf') continue
    if ((type === 'radio' || type === 'checkbox') && !input.hasAttribute('checked')) continue
    values[name] = input.getAttribute('value') ?? ''
  }
  for (const select of form.querySelectorAll('select')) {
    const name = select.getAttribute('name')
    if (!name) continue
    const selected = select.querySelectorAll('option').find((o) => o.hasAttribute('selected'))
    values[name] = selected?.getAttribute('value') ?? select.querySelector('option')?.getAttribute('value') ?? ''
  }
  for (const area of form.querySelectorAll('textarea')) {
    const name = area.getAttribute('name')
    if (name) values[name] = area.textContent
  }
  return values
}
