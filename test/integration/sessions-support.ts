/**
 * Helpers for the scheduling tests: an app whose school runs a real policy pack (in force since
 * 2020, so past sessions are judged by it), people with accounts and the details the policy reads
 * (roles, flags, supervisor training, line manager, supervisor), signed in with a password alone.
 */
import assert from 'node:assert/strict'
import { after, type TestContext } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import type { Config } from '../../src/config.ts'
import { addDays, englandDefaultCalendar, isTermTime, isWeekend } from '../../src/domain/calendar/index.ts'
import { closedDayWarning } from '../../src/domain/scheduling/index.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import { clockFrom, testNow, testToday } from '../helpers/clock.ts'
import { signedInClient, signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * The fixed test instant and its London date (test/helpers/clock.ts): sessionsApp sets the app's
 * clock to it (ADR 0017), so "today" here and in the app agree whenever the file runs.
 */
export const now = testNow
export const today = testToday

const defaultCalendar = englandDefaultCalendar(
  'england-and-wales',
  Number(today.slice(0, 4)) - 2,
  Number(today.slice(0, 4)) + 2,
)

/**
 * A day the school is open, about `days` days from today: days of the school holidays and bank
 * holidays are not counted (issue 18: booking on them asks to confirm), and a date that falls on a
 * weekend moves to the next open day. In term time, the first weekday on or after `days` days.
 */
export function weekdayFromToday(days: number): string {
  let date = today
  let left = days
  while (left > 0) {
    date = addDays(date, 1)
    if (closedDayWarning(defaultCalendar, date) === null || (isWeekend(date) && isTermTime(defaultCalendar, date)))
      left--
  }
  while (closedDayWarning(defaultCalendar, date) !== null) date = addDays(date, 1)
  return date
}

export function dateFields(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y as string }
}

export interface PersonOptions {
  roles?: string[]
  trained?: boolean
  lineManagerId?: string
  supervisorId?: string
  pastoral?: boolean
  eyfs?: boolean
  external?: boolean
}

export interface SessionsApp extends TestApp {
  org: { organisationId: string; schoolId: string; personId: string }
  /** The administrator, who is also the DSL (trained as a supervisor). */
  dsl: Client
  dslId: string
  add(name: string, options?: PersonOptions): Promise<string>
  as(name: string): Promise<Client>
}

function emailOf(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@oakfield.example`
}

export async function sessionsApp(
  t: Pick<TestContext, 'after'>,
  packId: string,
  overrides: Partial<Config> = {},
): Promise<SessionsApp> {
  const built = await buildTestApp(t, overrides, { clock: clockFrom(now) })
  const db = built.database.db
  const org = await insertOrganisation(db, {
    packId,
    alsoDsl: true,
    adminName: 'Dana Shah',
    adminEmail: 'dana.shah@oakfield.example',
  })
  await relaxTwoStep(db, org.organisationId, org.personId)
  await db
    .updateTable('person')
    .set({ supervisor_trained_on: '2020-01-10', trained_dsl: true })
    .where('id', '=', org.personId)
    .execute()
  await sql`update policy_version set effective_from = '2020-09-01', document = jsonb_set(document, '{effectiveFrom}', '"2020-09-01"')`.execute(
    db,
  )
  const dsl = await signedInClient(built.app, db, org.personId)
  const add = async (name: string, o: PersonOptions = {}) => {
    const id = await insertPersonWithAccount(db, org, {
      name,
      email: emailOf(name),
      roles: o.roles ?? ['class-teacher'],
    })
    await db
      .updateTable('person')
      .set({
        supervisor_trained_on: o.trained ? '2020-01-10' : null,
        line_manager_id: o.lineManagerId ?? null,
        pastoral_responsibilities: o.pastoral ?? false,
        works_in_eyfs: o.eyfs ?? false,
        ...(o.external
          ? { employment_type: 'external', external_organisation: 'Local authority safeguarding team' }
          : {}),
      })
      .where('id', '=', id)
      .execute()
    if (o.supervisorId)
      await db
        .insertInto('supervision_assignment')
        .values({
          organisation_id: org.organisationId,
          supervisee_id: id,
          supervisor_id: o.supervisorId,
          kind: 'supervisor',
          starts_on: '2024-09-01',
        })
        .execute()
    return id
  }
  return {
    ...built,
    org,
    dsl,
    dslId: org.personId,
    add,
    as: (name: string) => signedInClientByEmail(built.app, db, emailOf(name)),
  }
}

export function sessionIdFrom(res: LightMyRequestResponse): string {
  assert.equal(res.statusCode, 303, `expected a redirect, got ${res.statusCode}: ${res.body.slice(0, 2000)}`)
  const match = /\/sessions\/([0-9a-f-]{36})/.exec(res.headers.location as string)
  assert.ok(match, `no session in ${res.headers.location}`)
  return match[1] as string
}

/** A booking form's fields, with good defaults. */
export function booking(
  over: Record<string, string | string[]> & { date?: string },
): Record<string, string | string[]> {
  const { date, ...rest } = over
  return {
    typeId: 'one-to-one',
    ...dateFields('date', date ?? weekdayFromToday(7)),
    startTime: '10:00',
    durationMinutes: '60',
    venue: 'Meeting room 2',
    onlineLink: '',
    ...rest,
  }
}

/** A planned session written straight to the database (for dates Haven would not book, like the past). */
export async function insertPlannedSession(
  s: SessionsApp,
  input: { typeId: string; date: string; supervisorId: string; superviseeIds: string[]; startTime?: string },
): Promise<string> {
  const db = s.database.db
  const row = await db
    .insertInto('supervision_session')
    .values({
      school_id: s.org.schoolId,
      type_id: input.typeId,
      date: input.date,
      start_time: input.startTime ?? '10:00',
      duration_minutes: 60,
      venue: 'Room 1',
      created_by: s.dslId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('session_participant')
    .values([
      { session_id: row.id, person_id: input.supervisorId, role: 'supervisor', attended: null },
      ...input.superviseeIds.map((id) => ({
        session_id: row.id,
        person_id: id,
        role: 'supervisee' as const,
        attended: null,
      })),
    ])
    .execute()
  return row.id
}

export async function sessionCount(s: SessionsApp): Promise<number> {
  const row = await s.database.db
    .selectFrom('supervision_session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * One app per policy pack for a whole test file (building an app and signing in is the slow part):
 * call at the top level of the file; the apps close when the file's tests are done. Tests sharing
 * an app give their people different names.
 */
export function sharedSessionsApps(): (packId: string) => Promise<SessionsApp> {
  const cleanups: (() => void | Promise<void>)[] = []
  const cache = new Map<string, Promise<SessionsApp>>()
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })
  return (packId) => {
    let app = cache.get(packId)
    if (!app) {
      app = sessionsApp(
        { after: (fn: () => void | Promise<void>) => cleanups.push(fn) } as Pick<TestContext, 'after'>,
        packId,
      )
      cache.set(packId, app)
    }
    return app
  }
}
