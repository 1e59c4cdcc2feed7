/**
 * Helpers for the session-record tests (issue 7): a school on one of the five policy packs with a
 * supervisor, supervisees, the DSL and bystanders signed in (two-step verification required only
 * for a role nobody holds), sessions inserted directly, and text pulled out of a PDF.
 */
import assert from 'node:assert/strict'
import { inflateSync } from 'node:zlib'
import type { Db } from '../../src/db/database.ts'
import { recordByIdAcrossOrganisations as loadRecord } from '../../src/db/repositories/records/records.ts'
import { sessionByIdAcrossOrganisations as loadSession } from '../../src/db/repositories/records/sessions.ts'
import { londonDateOf } from '../../src/domain/calendar/london.ts'
import { templateById } from '../../src/packs/templates.ts'
import { type StepUpProof, type StepUpPurpose, stepUp } from '../../src/services/auth/step-up.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { completeRecord, startRecord } from '../../src/services/records/records.ts'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import type { Client } from './browser-like.ts'
import { html } from './html.ts'
import { signedInClient } from './sessions.ts'
import { relaxTwoStep } from './staff.ts'
import { buildTestApp, type TestApp } from './test-app.ts'

export interface Person {
  id: string
  name: string
  email: string
  browser: Client
}

export interface RecordsTestApp extends TestApp {
  org: { organisationId: string; schoolId: string; personId: string }
  admin: Client
  supervisor: Person
  supervisee: Person
  dsl: Person
  bystander: Person
  headteacher: Person
  person(name: string, roles?: string[]): Promise<Person>
}

export async function recordsTestApp(
  t: { after: (fn: () => Promise<void>) => void },
  options: {
    pack: 'meanwood' | 'lode-heath' | 'cornerstone' | 'the-place' | 'ashbury-meadow'
    /** The app's clock (ADR 0017); by default it starts at the fixed test instant (helpers/clock.ts). */
    clock?: () => Date
  } = {
    pack: 'cornerstone',
  },
): Promise<RecordsTestApp> {
  const built = await buildTestApp(t, process.env.RECORDS_DEBUG ? { logLevel: 'error' } : {}, { clock: options.clock })
  const org = await insertOrganisation(built.database.db, { packId: options.pack })
  await relaxTwoStep(built.database.db, org.organisationId, org.personId)
  const admin = await sessionFor(built, org.personId)
  const person = async (name: string, roles: string[] = ['class-teacher']): Promise<Person> => {
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@oakfield.example`
    const id = await insertPersonWithAccount(built.database.db, org, { name, email, roles })
    return { id, name, email, browser: await sessionFor(built, id) }
  }
  const [supervisor, supervisee, dsl, bystander, headteacher] = [
    await person('Dana Ellis', ['pastoral-lead']),
    await person('Priya Shah', ['class-teacher']),
    await person('Grace Obi', ['dsl']),
    await person('Tom Reed', ['class-teacher']),
    await person('Helen Ward', ['headteacher']),
  ]
  return { ...built, org, admin, supervisor, supervisee, dsl, bystander, headteacher, person }
}

/** A browser signed in as the person, second step done (no password check: faster than signing in). */
export function sessionFor(built: TestApp, personId: string): Promise<Client> {
  return signedInClient(built.app, built.database.db, personId)
}

/** A session with its participants, as the booking pages would make it. */
export async function insertSession(
  db: Db,
  input: {
    schoolId: string
    typeId: string
    date: string
    startTime?: string
    status?: 'planned' | 'held'
    supervisors: string[]
    supervisees: string[]
    absent?: string[]
  },
): Promise<string> {
  const row = await db
    .insertInto('supervision_session')
    .values({
      school_id: input.schoolId,
      type_id: input.typeId,
      date: input.date,
      start_time: input.startTime ?? '15:30',
      duration_minutes: 60,
      status: input.status ?? 'held',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const personId of input.supervisors)
    await db
      .insertInto('session_participant')
      .values({ session_id: row.id, person_id: personId, role: 'supervisor', attended: true })
      .execute()
  for (const personId of input.supervisees)
    await db
      .insertInto('session_participant')
      .values({
        session_id: row.id,
        person_id: personId,
        role: 'supervisee',
        attended: !(input.absent ?? []).includes(personId),
      })
      .execute()
  return row.id
}

/** A session held today by the supervisor with the supervisee, and its record started by the supervisor on the school's form. */
export async function startedRecord(
  s: RecordsTestApp,
  template = 'ca-supervision-record@1',
): Promise<{ sessionId: string; recordId: string }> {
  const sessionId = await insertSession(s.database.db, {
    schoolId: s.org.schoolId,
    typeId: 'formal-planned',
    date: londonDateOf(s.app.clock()),
    supervisors: [s.supervisor.id],
    supervisees: [s.supervisee.id],
  })
  const started = await s.supervisor.browser.post(
    `/records/sessions/${sessionId}/start`,
    { template },
    { formPage: `/records/sessions/${sessionId}` },
  )
  return { sessionId, recordId: recordIdFrom(started.headers.location) }
}

/**
 * A record on The Cornerstone Academy's form for a session, started and completed by its
 * supervisor through the services (no pages); its id and the hash to sign.
 */
export async function completedRecord(
  db: Db,
  input: {
    sessionId: string
    schoolId: string
    date: string
    supervisor: { personId: string; name: string; organisationId: string }
    summary: string
    mailer: { baseUrl: string }
    /** Actions agreed in the record (none unless given). */
    actions?: Parameters<typeof completeRecord>[1]['draft']['actions']
  },
): Promise<{ recordId: string; contentHash: string }> {
  const actor = input.supervisor
  const recordId = await startRecord(db, {
    session: (await loadSession(db, input.sessionId))!,
    policy: (await policyBook(db, input.schoolId)).on(input.date),
    template: templateById('ca-supervision-record')!,
    actor,
  })
  const completed = await completeRecord(db, {
    recordId,
    expectedDraftVersion: 1,
    draft: {
      values: {
        ...(await loadRecord(db, recordId))!.document.values,
        supervisionType: 'formal',
        progressOnTasks: 'None yet',
        summary: input.summary,
      },
      actions: input.actions ?? [],
      reviews: [],
      decisions: [],
      boundary: '',
    },
    actor,
    today: input.date,
    mailer: input.mailer,
  })
  assert.equal(completed.outcome, 'completed', JSON.stringify(completed))
  return { recordId, contentHash: (completed as { contentHash: string }).contentHash }
}

/** A proof of step-up with the usual password, for signing through the services. */
export async function passStepUp(
  db: Db,
  who: { personId: string; organisationId: string },
  targetId: string,
  purpose: StepUpPurpose = 'sign-record',
): Promise<StepUpProof> {
  const step = await stepUp(db, { ...who, method: 'password', secret: ADMIN_PASSWORD, purpose, targetId })
  assert.ok(step.ok, 'the right password passes step-up')
  return step.proof
}

/** The record id a redirect points at (`/records/<uuid>`). */
export function recordIdFrom(location: unknown): string {
  const m = /\/records\/([0-9a-f-]{36})/.exec(String(location))
  if (!m) throw new Error(`not a record address: ${String(location)}`)
  return m[1]!
}

/** The value of a hidden input on a page. */
export function hidden(body: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(body)
  if (!m) throw new Error(`no hidden input ${name}`)
  return m[1]!
}

/** Date input fields for an ISO date. */
export function dateFields(prefix: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
}

/**
 * The text a PDF shows: every content stream inflated, the strings of its text operators (hex
 * strings in TJ arrays and Tj, as pdfkit writes them with the standard fonts) decoded as
 * Windows-1252 and joined. Lines are joined with spaces.
 */
export function pdfText(pdf: Buffer): string {
  const out: string[] = []
  const source = pdf.toString('latin1')
  const streams = /(?<!end)stream\r?\n/g
  for (let m = streams.exec(source); m; m = streams.exec(source)) {
    const start = m.index + m[0].length
    const end = source.indexOf('endstream', start)
    if (end < 0) break
    const bytes = pdf.subarray(start, end)
    let content: string
    try {
      content = inflateSync(bytes).toString('latin1')
    } catch {
      content = bytes.toString('latin1')
    }
    for (const op of content.matchAll(/\[((?:[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [op[2]!]
      out.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''))
    }
    streams.lastIndex = end
  }
  return out
    .join(' ')
    .replace(/\u0092/g, '’')
    .replace(/\s+/g, ' ')
}

/**
 * Every field of a form as the page has it (text inputs, textareas, checked radios and boxes,
 * selects): the record form, or the form `selector` picks.
 */
export function formValues(body: string, selector = '#record-form'): Record<string, string> {
  const form = html(body).querySelector(selector)
  if (!form) throw new Error(`no form ${selector} on the page`)
  const values: Record<string, string> = {}
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name')
    if (!name || name === '_csrf') continue
    const type = input.getAttribute('type') ?? 'text'
    if (type === 'radio' || type === 'checkbox') {
      if (input.hasAttribute('checked')) values[name] = input.getAttribute('value') ?? ''
    } else values[name] = input.getAttribute('value') ?? ''
  }
  for (const area of form.querySelectorAll('textarea'))
    values[area.getAttribute('name')!] = area.textContent.replace(/^\n/, '')
  for (const select of form.querySelectorAll('select')) {
    const chosen = select.querySelectorAll('option').find((o) => o.hasAttribute('selected'))
    values[select.getAttribute('name')!] = chosen?.getAttribute('value') ?? ''
  }
  return values
}

/** The document title of a PDF (its Info dictionary's /Title), decoded from a PDF string. */
export function pdfTitle(pdf: Buffer): string | null {
  const source = pdf.toString('latin1')
  const ref = /\/Title (\d+) 0 R/.exec(source)
  let literal: string | null = null
  if (ref) {
    const at = source.indexOf(`\n${ref[1]} 0 obj`)
    if (at >= 0) literal = source.slice(source.indexOf('(', at))
  } else {
    const inline = source.indexOf('/Title (')
    if (inline >= 0) literal = source.slice(inline + 7)
  }
  if (literal === null) return null
  const bytes: number[] = []
  let depth = 0
  for (let i = 1; i < literal.length; i++) {
    const c = literal.charCodeAt(i)
    if (literal[i] === '\\') {
      const next = literal[++i] ?? ''
      const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 }
      if (next in escapes) bytes.push(escapes[next]!)
      else if (/[0-7]/.test(next)) {
        let octal = next
        while (octal.length < 3 && /[0-7]/.test(literal[i + 1] ?? '')) octal += literal[++i]
        bytes.push(Number.parseInt(octal, 8))
      }
      continue
    }
    if (literal[i] === '(') depth++
    if (literal[i] === ')') {
      if (depth === 0) break
      depth--
    }
    bytes.push(c)
  }
  const buffer = Buffer.from(bytes)
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return buffer.subarray(2).swap16().toString('utf16le')
  return buffer.toString('latin1')
}

/** A record or a session by id alone, whichever organisation it belongs to: only tests look things up this way. */
export { loadRecord, loadSession }

/** A signed contract for the supervisee naming the third person for a dispute meeting (MW-11). */
export async function insertContractNamingThirdPerson(
  db: Db,
  input: {
    organisationId: string
    schoolId: string
    superviseeId: string
    supervisorId: string
    third: { id: string; name: string }
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('contract')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      supervisee_id: input.superviseeId,
      supervisor_id: input.supervisorId,
      template_id: 'mw-contract',
      template_version: 1,
      policy_version: 1,
      academic_year: '2026-27',
      status: 'signed',
      content_hash: 'a'.repeat(64),
      issued_at: input.at,
      signed_at: input.at,
      agreed: JSON.stringify({
        requirementId: null,
        frequency: null,
        values: { disputeThirdPerson: { personId: input.third.id, name: input.third.name } },
      }),
      rendered: JSON.stringify({ title: 'Supervision contract', clauses: [] }),
    })
    .execute()
}
