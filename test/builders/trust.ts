/**
 * A trust with two schools, built once per test file, for the tests that walk every route (the
 * authorisation matrix, the fuzz test): people for every role in the first school, a DSL,
 * supervisor and supervisee in the second, and in each school sessions, records, contracts,
 * requests, templates, staff uploads and planner rows whose content carries a unique marker
 * (`MATRIX-SECRET-<n>`), so a test can tell where each thing's content must never appear.
 *
 * How roles that have no built-in role id are modelled (as closely as today's code allows):
 * - governor: a person of the school who is not an employee (issue 14: kind "governor", who may sign
 *   and receive reports), holding the chair-of-governors role (which grants no permission);
 * - trust lead: the trust's central safeguarding lead: no school of their own (school_id null),
 *   holding the DSL role (X-03: the trust's central people reach every school);
 * - external supervisor (LH-05, CA-12): a person of the school who is not an employee (kind
 *   "external-supervisor", who may supervise and sign, with their organisation named), holding the
 *   external-supervisor role, and the supervisor of
 *   none of the objects above (so taking part in nothing they are shown);
 * - leaver: a class teacher whose employment ended yesterday (LH-07), with a session opened
 *   before they left (signing in afresh is refused to leavers).
 */

import { hashToken } from '../../src/domain/auth/tokens.ts'
import { academicYearIdFor, addDays } from '../../src/domain/calendar/index.ts'
import { londonDateOf } from '../../src/domain/calendar/london.ts'
import { csrfCookieName } from '../../src/plugins/csrf.ts'
import { createSession } from '../../src/services/auth/sessions.ts'
import { createFeed } from '../../src/services/calendar-feed/feeds.ts'
import { enqueueEmail } from '../../src/services/mail/outbox.ts'
import { storeUpload } from '../../src/services/staff/import.ts'
import { addSchool } from '../../src/services/staff/schools.ts'
import { type Client, client } from '../helpers/browser-like.ts'
import { formValues as contractFormValues } from '../helpers/contracts.ts'
import { textOf } from '../helpers/html.ts'
import { insertSession, formValues as recordFormValues, recordIdFrom } from '../helpers/records.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import type { TestApp } from '../helpers/test-app.ts'
import { csrfTokenFor } from './csrf.ts'
import { insertOrganisation, insertPersonWithAccount } from './organisation.ts'

/** The viewers every route is tried as (all of the first school, except the trust lead). */
export const viewerRoles = [
  'dsl',
  'deputyDsl',
  'headteacher',
  'associateHead',
  'supervisor',
  'supervisee',
  'governor',
  'trustLead',
  'administrator',
  'externalSupervisor',
  'leaver',
] as const
export type ViewerRole = (typeof viewerRoles)[number]

/** Objects of one kind: in the viewer's own school, in another school of the trust, another supervisee's. */
export interface Objects {
  own: string
  otherSchool: string
  otherSupervisee: string
}

export interface TrustFixture {
  organisationId: string
  schoolA: { id: string; slug: string }
  schoolB: { id: string; slug: string }
  /** Person ids by viewer role, and the other people of the fixture. */
  people: Record<ViewerRole, string> & {
    otherSupervisor: string
    otherSupervisee: string
    bDsl: string
    bSupervisor: string
    bSupervisee: string
  }
  /** Sessions held today, each with a record. */
  sessions: Objects
  /** Sessions planned for this morning, not yet marked held (to cancel, postpone, mark held...). */
  plannedSessions: Objects
  records: Objects
  contracts: Objects
  requests: Objects
  /** The staff pages' people: the supervisee, a person of the other school, the other supervisee. */
  persons: Objects
  /** School copies of a record template (the other supervisee's is the own school's). */
  templates: Objects
  templateSection: string
  templateField: string
  /** Staff CSV uploads waiting to be applied. */
  uploads: Objects
  /** Rows of a planner draft. */
  plannerRows: Objects
  /** A session reference of someone else (the administrator's second session). */
  otherSessionRef: string
  /** The token of the calendar feed the leaver made before they left. */
  leaverFeedToken: string
  outboxId: string
  yearId: string
  today: string
  /** Every marker, with whose content it is and so who may see it. */
  markers: { marker: string; kind: keyof Pick<TrustFixture, 'records' | 'contracts' | 'requests'>; of: keyof Objects }[]
  /** A signed-in browser per viewer role (the session inserted directly: no Argon2 per role). */
  browsers: Record<ViewerRole, Client>
  /**
   * A new signed-in browser for a viewer (for requests that may end the session), or a signed-out
   * one for null; with
   * `ownAddress`, from an address no other browser uses (many requests, none throttled).
   */
  freshBrowser(role: ViewerRole | null, ownAddress?: boolean): Promise<Client>
  /** A browser with no session, its CSRF cookie set. */
  signedOut: Client
  /** The CSRF token for any browser of this fixture (every one carries the same CSRF cookie). */
  csrf: string
}

const CSRF_SECRET = 'matrixCsrfSecretmatrixCsrfSecretmatrixCsrfS'

export async function buildTrustFixture(built: TestApp): Promise<TrustFixture> {
  const db = built.database.db
  // The app's day (its clock is set: helpers/clock.ts), never the real date.
  const today = londonDateOf(built.app.clock())
  const yesterday = addDays(today, -1)
  const yearId = academicYearIdFor(today)
  const org = await insertOrganisation(db, {
    organisationKind: 'trust',
    organisationName: 'Riverside Learning Trust',
    packId: 'cornerstone',
  })
  await relaxTwoStep(db, org.organisationId, org.personId)
  const added = await addSchool(db, {
    organisationId: org.organisationId,
    name: 'Larchfield Academy',
    slug: 'larchfield',
    region: 'england-and-wales',
    actorId: org.personId,
  })
  if (!added.ok) throw new Error('could not add the second school')
  const schoolB = added.id
  // The second school adopts the same policy (a copy of the first school's version).
  const policy = await db
    .selectFrom('policy_version')
    .selectAll()
    .where('school_id', '=', org.schoolId)
    .executeTakeFirstOrThrow()
  await db
    .insertInto('policy_version')
    .values({
      school_id: schoolB,
      version: 1,
      effective_from: policy.effective_from,
      document: JSON.stringify(policy.document),
      pack_id: policy.pack_id,
      created_by: org.personId,
    })
    .execute()
  // The trust keeps a policy of its own (issue 14), which no school has adopted: its editor has a version to start from.
  await db
    .insertInto('trust_policy_version')
    .values({
      organisation_id: org.organisationId,
      version: 1,
      effective_from: policy.effective_from,
      document: JSON.stringify(policy.document),
      created_by: org.personId,
    })
    .execute()

  let n = 0
  const person = async (
    schoolId: string | null,
    name: string,
    roles: string[],
    extra: {
      jobTitle?: string
      employmentType?: string
      externalOrganisation?: string
      /** Issue 14: someone who is not an employee, and what they may do. */
      kind?: string
      capabilities?: string[]
    } = {},
  ) => {
    const id = await insertPersonWithAccount(
      db,
      { organisationId: org.organisationId, schoolId: schoolId ?? org.schoolId },
      { name, email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${++n}@riverside.example`, roles },
    )
    await db
      .updateTable('person')
      .set({
        school_id: schoolId,
        job_title: extra.jobTitle ?? '',
        ...(extra.employmentType ? { employment_type: extra.employmentType } : {}),
        external_organisation: extra.externalOrganisation ?? null,
        ...(extra.kind ? { kind: extra.kind } : {}),
        ...(extra.capabilities ? { capabilities: extra.capabilities } : {}),
      })
      .where('id', '=', id)
      .execute()
    return id
  }
  const A = org.schoolId
  const people = {
    administrator: org.personId,
    dsl: await person(A, 'Grace Obi', ['dsl'], { jobTitle: 'Designated safeguarding lead' }),
    deputyDsl: await person(A, 'Dev Patel', ['deputy-dsl'], { jobTitle: 'Deputy DSL' }),
    headteacher: await person(A, 'Helen Ward', ['headteacher'], { jobTitle: 'Headteacher' }),
    associateHead: await person(A, 'Asha Bell', ['associate-headteacher'], { jobTitle: 'Associate headteacher' }),
    supervisor: await person(A, 'Sam Ellis', ['pastoral-lead'], { jobTitle: 'Pastoral lead' }),
    supervisee: await person(A, 'Pat Shah', ['class-teacher'], { jobTitle: 'Class teacher' }),
    governor: await person(A, 'Gill Moss', ['chair-of-governors'], {
      jobTitle: 'Chair of governors',
      employmentType: 'volunteer',
      kind: 'governor',
      capabilities: ['sign', 'receive-reports'],
    }),
    trustLead: await person(null, 'Tara Trust', ['dsl'], { jobTitle: 'Trust safeguarding lead' }),
    externalSupervisor: await person(A, 'Erin Ortiz', ['external-supervisor'], {
      jobTitle: 'Supervisor',
      employmentType: 'external',
      externalOrganisation: 'Local authority SCiES team',
      kind: 'external-supervisor',
      capabilities: ['supervise', 'sign'],
    }),
    leaver: await person(A, 'Lee Gone', ['class-teacher'], { jobTitle: 'Class teacher' }),
    otherSupervisor: await person(A, 'Wendy Cole', ['pastoral-lead'], { jobTitle: 'Pastoral lead' }),
    otherSupervisee: await person(A, 'Zed Adams', ['class-teacher'], { jobTitle: 'Class teacher' }),
    bDsl: await person(schoolB, 'Bea Larch', ['dsl'], { jobTitle: 'Designated safeguarding lead' }),
    bSupervisor: await person(schoolB, 'Bob Lane', ['pastoral-lead'], { jobTitle: 'Pastoral lead' }),
    bSupervisee: await person(schoolB, 'Bill Hart', ['class-teacher'], { jobTitle: 'Class teacher' }),
  }
  for (const [supervisee, supervisor] of [
    [people.supervisee, people.supervisor],
    [people.otherSupervisee, people.otherSupervisor],
    [people.bSupervisee, people.bSupervisor],
  ] as const)
    await db
      .insertInto('supervision_assignment')
      .values({
        organisation_id: org.organisationId,
        supervisee_id: supervisee,
        supervisor_id: supervisor,
        kind: 'supervisor',
        starts_on: '2020-09-01',
      })
      .execute()

  // Each person browses from an address of their own: the app's per-address ceiling (600 a
  // minute) is for floods, and a test walking every route is not one.
  const addresses = new Map<string | null, string>()
  let spare = 0
  const newBrowser = async (personId: string | null, ownAddress = false): Promise<Client> => {
    if (ownAddress) addresses.set(personId, `10.1.${Math.floor(spare / 250) % 250}.${(spare++ % 250) + 1}`)
    else if (!addresses.has(personId))
      addresses.set(personId, `10.0.${Math.floor(addresses.size / 250)}.${(addresses.size % 250) + 1}`)
    const browser = client(built.app, { ip: addresses.get(personId) })
    browser.cookies.set(csrfCookieName(false), CSRF_SECRET)
    if (personId) {
      const { token } = await createSession(db, {
        personId,
        secondStepDone: true,
        userAgent: 'test',
        now: new Date(),
        settings: { idleMinutes: 30, absoluteHours: 12 },
      })
      browser.cookies.set('haven_session', token)
    }
    return browser
  }
  const csrf = await csrfTokenFor(built.app, CSRF_SECRET)
  const post = async (browser: Client, url: string, fields: Record<string, string>, expect = 303) => {
    const res = await browser.post(url, fields, { csrf })
    if (res.statusCode !== expect)
      throw new Error(
        `POST ${url}: ${res.statusCode} ${textOf(res.body, '.govuk-error-summary') || textOf(res.body, 'main').slice(0, 500)}`,
      )
    return res
  }

  const admin = await newBrowser(people.administrator)
  const supervisorOf = {
    own: await newBrowser(people.supervisor),
    otherSupervisee: await newBrowser(people.otherSupervisor),
    otherSchool: await newBrowser(people.bSupervisor),
  }
  const markers: TrustFixture['markers'] = []
  const marker = (kind: TrustFixture['markers'][number]['kind'], of: keyof Objects) => {
    const m = `MATRIX-SECRET-${markers.length + 1}`
    markers.push({ marker: m, kind, of })
    return m
  }

  // Sessions held today, each with a record whose summary carries a marker.
  const pairs: Record<keyof Objects, [string, string, string]> = {
    own: [A, people.supervisor, people.supervisee],
    otherSchool: [schoolB, people.bSupervisor, people.bSupervisee],
    otherSupervisee: [A, people.otherSupervisor, people.otherSupervisee],
  }
  const sessions = {} as Objects
  const records = {} as Objects
  for (const where of ['own', 'otherSchool', 'otherSupervisee'] as const) {
    const [schoolId, supervisorId, superviseeId] = pairs[where]
    sessions[where] = await insertSession(db, {
      schoolId,
      typeId: 'formal-planned',
      date: today,
      supervisors: [supervisorId],
      supervisees: [superviseeId],
    })
    const browser = supervisorOf[where]
    const started = await post(browser, `/records/sessions/${sessions[where]}/start`, {
      template: 'ca-supervision-record@1',
    })
    records[where] = recordIdFrom(started.headers.location)
    const page = await browser.get(`/records/${records[where]}`)
    await post(browser, `/records/${records[where]}`, {
      ...recordFormValues(page.body),
      summary: marker('records', where),
    })
  }

  const plannedSessions = {} as Objects
  for (const where of ['own', 'otherSchool', 'otherSupervisee'] as const) {
    const [schoolId, supervisorId, superviseeId] = pairs[where]
    plannedSessions[where] = await insertSession(db, {
      schoolId,
      typeId: 'formal-planned',
      date: today,
      startTime: '08:00',
      status: 'planned',
      supervisors: [supervisorId],
      supervisees: [superviseeId],
    })
  }
  // Contracts issued by the administrator (who reaches both schools), a marker in a free-text term.
  const contracts = {} as Objects
  for (const where of ['own', 'otherSchool', 'otherSupervisee'] as const) {
    const [, supervisorId, superviseeId] = pairs[where]
    const url = `/contracts/new?person=${superviseeId}&year=${yearId}`
    const form = await admin.get(url)
    if (form.statusCode !== 200) throw new Error(`GET ${url}: ${form.statusCode}`)
    const values = contractFormValues(form.body)
    const fields: Record<string, string> = { ...values, supervisorId, disputeThirdPerson: people.administrator }
    const secret = marker('contracts', where)
    // Every free-text term left empty carries the marker.
    for (const [name, value] of Object.entries(values))
      if (value === '' && !/-(day|month|year)$|Id$|Person$|custom/.test(name)) fields[name] = secret
    const issued = await post(admin, url, fields)
    const m = /\/contracts\/([0-9a-f-]{36})/.exec(String(issued.headers.location))
    if (!m) throw new Error(`not a contract page: ${String(issued.headers.location)}`)
    contracts[where] = m[1]!
  }

  // Requests for a session, each with a note carrying a marker.
  const requests = {} as Objects
  for (const where of ['own', 'otherSchool', 'otherSupervisee'] as const) {
    const [schoolId, supervisorId, superviseeId] = pairs[where]
    const row = await db
      .insertInto('session_request')
      .values({
        organisation_id: org.organisationId,
        school_id: schoolId,
        requester_id: superviseeId,
        topic: 'wellbeing',
        note: marker('requests', where),
        supervisor_id: supervisorId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    requests[where] = row.id
  }

  // A school copy of a record template in each school (the second school's under its own id).
  await post(admin, '/templates/copy', { from: 'built-in:ca-supervision-record', name: 'Oakfield record' })
  const templateA = await db
    .selectFrom('record_template')
    .selectAll()
    .where('school_id', '=', A)
    .executeTakeFirstOrThrow()
  await db
    .insertInto('record_template')
    .values({
      school_id: schoolB,
      template_id: 'larchfield-record',
      version: templateA.version,
      document: JSON.stringify(templateA.document),
      based_on: JSON.stringify(templateA.based_on),
      created_by: people.administrator,
    })
    .execute()
  const document = templateA.document as { sections: { id: string; fields: { id: string }[] }[] }
  const firstSection = document.sections[0]!

  const csv = 'name,email\nNew Person,new.person@riverside.example\n'
  const upload = (schoolId: string) =>
    storeUpload(db, {
      organisationId: org.organisationId,
      schoolId,
      uploadedBy: people.administrator,
      fileName: 'staff.csv',
      buffer: Buffer.from(csv),
    })
  const uploadA = await upload(A)

  const drafts = new Map<string, Promise<{ id: string }>>()
  const draftOf = (schoolId: string) => {
    if (!drafts.has(schoolId)) drafts.set(schoolId, newDraft(schoolId))
    return drafts.get(schoolId)!
  }
  const newDraft = (schoolId: string) =>
    db
      .insertInto('planner_draft')
      .values({
        school_id: schoolId,
        year_id: yearId,
        plan_from: today,
        plan_until: today,
        unplaceable: JSON.stringify([]),
        created_by: people.administrator,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
  const plannerRow = async (schoolId: string, superviseeId: string, supervisorId: string) => {
    const draft = await draftOf(schoolId)
    const row = await db
      .insertInto('planner_draft_row')
      .values({
        draft_id: draft.id,
        supervisee_id: superviseeId,
        supervisor_id: supervisorId,
        type_id: 'formal-planned',
        requirement_id: 'r',
        date: today,
        start_time: '15:30',
        duration_minutes: 60,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  const otherSession = await createSession(db, {
    personId: people.administrator,
    secondStepDone: true,
    userAgent: 'test',
    now: new Date(),
    settings: { idleMinutes: 30, absoluteHours: 12 },
  })
  const otherSessionRef = hashToken(otherSession.token).slice(0, 12)

  const outbox = await enqueueEmail(db, {
    kind: 'governors.report',
    organisationId: org.organisationId,
    to: 'someone@riverside.example',
    subject: 'Matrix',
    text: 'Hello',
  })

  const browsers = {} as Record<ViewerRole, Client>
  for (const role of viewerRoles) browsers[role] = await newBrowser(people[role])
  // The leaver's calendar feed, made while they worked here.
  const leaverFeed = await createFeed(db, { personId: people.leaver, organisationId: org.organisationId, schoolId: A })
  // The leaver's employment ended yesterday, after their session began.
  await db.updateTable('person').set({ end_date: yesterday }).where('id', '=', people.leaver).execute()

  return {
    organisationId: org.organisationId,
    schoolA: { id: A, slug: 'oakfield' },
    schoolB: { id: schoolB, slug: 'larchfield' },
    people,
    sessions,
    plannedSessions,
    records,
    contracts,
    requests,
    persons: { own: people.supervisee, otherSchool: people.bSupervisee, otherSupervisee: people.otherSupervisee },
    templates: { own: templateA.template_id, otherSchool: 'larchfield-record', otherSupervisee: templateA.template_id },
    templateSection: firstSection.id,
    templateField: firstSection.fields[0]!.id,
    uploads: { own: uploadA, otherSchool: await upload(schoolB), otherSupervisee: uploadA },
    plannerRows: {
      own: await plannerRow(A, people.supervisee, people.supervisor),
      otherSchool: await plannerRow(schoolB, people.bSupervisee, people.bSupervisor),
      otherSupervisee: await plannerRow(A, people.otherSupervisee, people.otherSupervisor),
    },
    otherSessionRef,
    leaverFeedToken: leaverFeed.token,
    outboxId: outbox.id,
    yearId,
    today,
    markers,
    browsers,
    freshBrowser: (role, ownAddress) => newBrowser(role ? people[role] : null, ownAddress),
    signedOut: await newBrowser(null),
    csrf,
  }
}
