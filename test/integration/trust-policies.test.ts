/**
 * An invented trust (issue 14, "Show it"; ADR 0024): Fenland Learning Trust keeps its own policy
 * (test/fixtures/policies/fenland-learning-trust.json) and two academies follow it: Marsh Lane
 * Academy with changes of its own (test/fixtures/policies/adoptions/marsh-lane-academy.json: a
 * stricter frequency, its own record template, an extra requirement for nursery staff) and Fen
 * Edge Academy with none. Run end to end through the real app with the clock set: who is in scope,
 * when they are due, a trust amendment reaching one academy and not the rule the other changed,
 * past days never judged again (X-01), the trust's regional safeguarding lead offered and accepted
 * as a supervisor in an academy where they are on no staff list, the forms of the trust's central
 * team, and a single school becoming a trust without losing its history.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { type TestContext, test } from 'node:test'
import { sql } from 'kysely'
import type { AcademyOverrides, SourcedPolicy } from '../../src/domain/policy/adoption.ts'
import { type PolicyDocument, parsePolicy } from '../../src/domain/policy/index.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { publishTrustVersion, saveAdoption } from '../../src/services/policy/trust.ts'
import { addSchool } from '../../src/services/staff/schools.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import { submitForm } from '../helpers/forms.ts'
import { html, textOf } from '../helpers/html.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import { addPerson, addSession, type PlanningOrg } from './planner-fixtures.ts'

const fixtures = path.join(import.meta.dirname, '../fixtures/policies')
const trustPolicy: PolicyDocument = parsePolicy(
  JSON.parse(fs.readFileSync(path.join(fixtures, 'fenland-learning-trust.json'), 'utf8')),
  'fenland-learning-trust.json',
)
const marshLane = JSON.parse(fs.readFileSync(path.join(fixtures, 'adoptions/marsh-lane-academy.json'), 'utf8')) as {
  effectiveFrom: string
  overrides: AcademyOverrides
  amendment: {
    effectiveFrom: string
    requirementId: string
    frequency: PolicyDocument['requirements'][number]['frequency']
  }
}

interface Trust extends TestApp {
  organisationId: string
  fenEdge: PlanningOrg
  marshLane: PlanningOrg
  leadId: string
  lead: Client
  setToday(date: string): void
  today(): string
}

/** The words of a page's main content, spaces collapsed. */
function words(body: string): string {
  return (html(body).querySelector('main')?.text ?? body).replace(/\s+/g, ' ').trim()
}

function dateFields(iso: string, name = 'effectiveFrom'): Record<string, string> {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y as string }
}

/** The trust with its two academies and its regional safeguarding lead (no school of their own), the clock at `today`. */
async function trustOn(t: Pick<TestContext, 'after'>, today: string): Promise<Trust> {
  let now = new Date(`${today}T10:00:00Z`)
  const built = await buildTestApp(t, {}, { clock: () => now })
  const db = built.database.db
  const ids = await insertOrganisation(db, {
    organisationKind: 'trust',
    organisationName: 'Fenland Learning Trust',
    schoolName: 'Fen Edge Academy',
    schoolSlug: 'fen-edge',
    adminName: 'Dana Shah',
    adminEmail: 'dana.shah@fenland.example',
  })
  await relaxTwoStep(db, ids.organisationId, ids.personId)
  const added = await addSchool(db, {
    organisationId: ids.organisationId,
    name: 'Marsh Lane Academy',
    slug: 'marsh-lane',
    region: 'england-and-wales',
    actorId: ids.personId,
  })
  assert.ok(added.ok)
  const fenEdge = { organisationId: ids.organisationId, schoolId: ids.schoolId, adminId: ids.personId }
  const marsh = { organisationId: ids.organisationId, schoolId: added.id, adminId: ids.personId }
  // The trust's regional safeguarding lead: of the trust's central team, on no academy's staff list.
  const lead = await db
    .insertInto('person')
    .values({
      organisation_id: ids.organisationId,
      school_id: null,
      name: 'Rhiannon Reed',
      email: 'rhiannon.reed@fenland.example',
      job_title: 'Regional safeguarding lead',
      roles: ['dsl', 'regional-safeguarding-lead'],
      start_date: '2020-09-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('account').values({ person_id: lead.id, password_hash: null }).execute()
  return {
    ...built,
    organisationId: ids.organisationId,
    fenEdge,
    marshLane: marsh,
    leadId: lead.id,
    lead: await signedInClient(built.app, db, lead.id),
    setToday: (date) => {
      now = new Date(`${date}T10:00:00Z`)
    },
    today: () => now.toISOString().slice(0, 10),
  }
}

/** Trust version 1 published, both academies following it from 1 September 2026, Marsh Lane with its changes. */
async function adopted(s: Trust) {
  const db = s.database.db
  const published = await publishTrustVersion(db, {
    organisationId: s.organisationId,
    document: trustPolicy,
    effectiveFrom: '2026-09-01',
    today: s.today(),
    reason: null,
    actorId: s.leadId,
  })
  assert.ok(published.ok, JSON.stringify(published))
  // Fen Edge follows it with no changes, through the trust team's page.
  const res = await s.lead.post('/trust/policy/academies/fen-edge/adopt', dateFields('2026-09-01'), {
    formPage: '/trust/policy/academies/fen-edge',
  })
  assert.equal(res.statusCode, 303, res.body)
  // Marsh Lane follows it with the changes in its adoption file.
  const saved = await saveAdoption(db, {
    organisationId: s.organisationId,
    schoolId: s.marshLane.schoolId,
    change: () => marshLane.overrides,
    effectiveFrom: marshLane.effectiveFrom,
    today: s.today(),
    reason: null,
    actorId: s.leadId,
    action: 'trust-policy.adopted',
  })
  assert.ok(saved.ok, JSON.stringify(saved))
}

async function complianceOf(s: Trust, org: PlanningOrg, personId: string) {
  const found = (await schoolCompliance(s.database.db, org.schoolId, s.today())).find((p) => p.personId === personId)
  assert.ok(found, 'the person is assessed')
  return found
}

function due(person: Awaited<ReturnType<typeof complianceOf>>, requirementId: string) {
  const found = person.requirements.find((r) => r.requirementId === requirementId)
  assert.ok(found, `${person.name} has ${requirementId}: ${JSON.stringify(person.requirements)}`)
  return found
}

test('X-01: each academy runs the trust policy with its own changes; a trust amendment reaches the rules an academy did not change, from its date', async (t) => {
  const s = await trustOn(t, '2026-08-20')
  const db = s.database.db
  // The academies' kept overviews are counted again when an adoption or a trust version changes.
  const overviewVersion = async (schoolId: string) =>
    Number(
      (
        await sql<{
          v: string
        }>`select coalesce(sum(weight), 0) as v from overview_change where school_id = ${schoolId}`.execute(db)
      ).rows[0]!.v,
    )
  const beforeAdoption = await overviewVersion(s.fenEdge.schoolId)
  await adopted(s)
  assert.ok((await overviewVersion(s.fenEdge.schoolId)) > beforeAdoption, 'an adoption changes the overview’s version')
  const add = (
    org: PlanningOrg,
    name: string,
    extra: { pastoral?: boolean; worksInEyfs?: boolean; roles?: string[] },
  ) => addPerson(db, org, { name, ...extra })
  const marshDsl = await add(s.marshLane, 'Maya Marsh', { roles: ['dsl'] })
  const fenDsl = await add(s.fenEdge, 'Felix Fen', { roles: ['dsl'] })
  const marshPastoral = await add(s.marshLane, 'Priya Patel', { pastoral: true })
  const fenPastoral = await add(s.fenEdge, 'Paul Price', { pastoral: true })
  const marshNursery = await add(s.marshLane, 'Nia Nwosu', { worksInEyfs: true })
  const fenNursery = await add(s.fenEdge, 'Nell North', { worksInEyfs: true })
  for (const [org, supervisor, supervisee] of [
    [s.marshLane, marshDsl, marshPastoral],
    [s.fenEdge, fenDsl, fenPastoral],
  ] as const)
    await addSession(db, org, {
      typeId: 'reflective',
      date: '2026-09-07',
      status: 'held',
      supervisorId: supervisor,
      superviseeIds: [supervisee],
    })

  s.setToday('2026-09-21')
  // Marsh Lane's own frequency for pastoral staff: every four weeks of term; Fen Edge's: the trust's, once a term.
  const marshDue = due(await complianceOf(s, s.marshLane, marshPastoral), 'fl-pastoral')
  const fenDue = due(await complianceOf(s, s.fenEdge, fenPastoral), 'fl-pastoral')
  assert.equal(marshDue.lastSession, '2026-09-07')
  assert.ok(marshDue.nextDue !== null && marshDue.nextDue < '2026-10-15', `${marshDue.nextDue}: ${marshDue.dueBecause}`)
  assert.ok(fenDue.nextDue !== null && fenDue.nextDue >= '2026-12-01', `${fenDue.nextDue}: ${fenDue.dueBecause}`)
  // Marsh Lane's extra requirement: its nursery staff are in scope; Fen Edge's are not.
  const nia = await complianceOf(s, s.marshLane, marshNursery)
  assert.equal(nia.required, true)
  due(nia, 'marsh-lane-nursery-supervision')
  assert.equal((await complianceOf(s, s.fenEdge, fenNursery)).required, false)
  // Marsh Lane's own record template, in place of the trust's.
  const marshBook = await policyBook(db, s.marshLane.schoolId)
  assert.equal(marshBook.on('2026-09-21')?.templates.records[0]?.templateId, 'pl-supervision-record')
  assert.equal(
    (await policyBook(db, s.fenEdge.schoolId)).on('2026-09-21')?.templates.records[0]?.templateId,
    'ca-supervision-record',
  )

  // The trust amends its policy: pastoral staff every half term, from 4 January 2027.
  const amended: PolicyDocument = {
    ...trustPolicy,
    requirements: trustPolicy.requirements.map((r) =>
      r.id === marshLane.amendment.requirementId ? { ...r, frequency: marshLane.amendment.frequency } : r,
    ),
  }
  const before = {
    fen: (await policyBook(db, s.fenEdge.schoolId)).on('2026-12-01'),
    marsh: (await policyBook(db, s.marshLane.schoolId)).on('2026-12-01'),
  }
  const overviewsBefore = [await overviewVersion(s.fenEdge.schoolId), await overviewVersion(s.marshLane.schoolId)]
  const published = await publishTrustVersion(db, {
    organisationId: s.organisationId,
    document: amended,
    effectiveFrom: marshLane.amendment.effectiveFrom,
    today: s.today(),
    reason: null,
    actorId: s.leadId,
  })
  assert.ok(published.ok)
  assert.ok(
    (await overviewVersion(s.fenEdge.schoolId)) > overviewsBefore[0]! &&
      (await overviewVersion(s.marshLane.schoolId)) > overviewsBefore[1]!,
    'a trust amendment changes every academy’s overview version',
  )
  const fenBook = await policyBook(db, s.fenEdge.schoolId)
  const marshAfter = await policyBook(db, s.marshLane.schoolId)
  const unit = (p: PolicyDocument | null) => p?.requirements.find((r) => r.id === 'fl-pastoral')?.frequency?.unit
  assert.equal(unit(fenBook.on('2027-01-04')), 'half-terms', 'the amendment reaches Fen Edge from its date')
  assert.equal(unit(marshAfter.on('2027-01-04')), 'weeks', 'Marsh Lane keeps the frequency it changed')
  // X-01: the days before the amendment keep the versions then in force, in both academies.
  assert.deepEqual(fenBook.on('2026-12-01'), before.fen)
  assert.deepEqual(marshAfter.on('2026-12-01'), before.marsh)
  s.setToday('2027-01-20')
  assert.match(due(await complianceOf(s, s.fenEdge, fenPastoral), 'fl-pastoral').dueBecause, /half term/)
  assert.match(due(await complianceOf(s, s.marshLane, marshPastoral), 'fl-pastoral').dueBecause, /week/)

  // X-01: a trust version that would judge past days again needs a reason; never before the last one.
  const early = await publishTrustVersion(db, {
    organisationId: s.organisationId,
    document: amended,
    effectiveFrom: '2026-12-01',
    today: s.today(),
    reason: 'A correction',
    actorId: s.leadId,
  })
  assert.ok(!early.ok && early.problems[0]?.path === 'effectiveFrom', JSON.stringify(early))
  const backdated = await publishTrustVersion(db, {
    organisationId: s.organisationId,
    document: amended,
    effectiveFrom: '2027-01-11',
    today: s.today(),
    reason: null,
    actorId: s.leadId,
  })
  assert.ok(!backdated.ok && backdated.problems[0]?.path === 'reason', JSON.stringify(backdated))
  assert.match(backdated.ok ? '' : (backdated.problems[0]?.message ?? ''), /judged again/)

  // A trust version that would leave an academy's own rules broken is refused, naming the academy.
  const renamed = JSON.parse(JSON.stringify(amended).replaceAll('"reflective"', '"coaching"')) as PolicyDocument
  const broken = await publishTrustVersion(db, {
    organisationId: s.organisationId,
    document: renamed,
    effectiveFrom: '2027-02-01',
    today: s.today(),
    reason: null,
    actorId: s.leadId,
  })
  assert.ok(!broken.ok, 'refused')
  assert.match(broken.ok ? '' : (broken.problems[0]?.message ?? ''), /^With Marsh Lane Academy's changes: /)
})

test('issue 14: every rule shows where it comes from, on the summary page and in the export', async (t) => {
  const s = await trustOn(t, '2026-08-20')
  await adopted(s)
  const db = s.database.db
  s.setToday('2026-09-21')
  const dslId = await addPerson(db, s.marshLane, { name: 'Maya Marsh', roles: ['dsl'], account: true })
  const dsl = await signedInClient(s.app, db, dslId)
  const page = await dsl.get('/policy')
  assert.equal(page.statusCode, 200)
  const text = words(page.body)
  assert.match(text, /Where the rules come from/)
  assert.match(text, /Marsh Lane Academy follows Fenland Learning Trust's policy/)
  assert.match(text, /Requirement: reflective supervision for nursery staff \(Marsh Lane Academy\)/)
  assert.match(
    text,
    /How often for reflective supervision for pastoral staff: .*four weeks of term.* \(Marsh Lane Academy\)/,
  )
  assert.match(text, /This is Fenland Learning Trust's requirement\./)
  assert.match(text, /This is Marsh Lane Academy's own requirement\./)
  assert.match(text, /trust version 1, academy changes 1/)
  assert.doesNotMatch(text, /Edit the policy/, 'the academy changes it through the trust team')
  // The export says where each rule comes from.
  const link = html(page.body).querySelector('a[download]')?.getAttribute('href')
  assert.ok(link)
  const exported = JSON.parse((await dsl.get(link)).body) as SourcedPolicy
  assert.equal(exported.sources?.trust.name, 'Fenland Learning Trust')
  assert.deepEqual(exported.sources?.academy.toSorted(), [
    'requirement:fl-pastoral:frequency',
    'requirement:marsh-lane-nursery-supervision',
    'scope-rule:marsh-lane-nursery',
    'template:ca-supervision-record',
  ])
  // The trust's central team reads each academy's policy by choosing it; its version links keep
  // the choice; a school out of reach is not found.
  const chosen = await s.lead.get('/policy?school=marsh-lane')
  assert.equal(chosen.statusCode, 200)
  assert.match(words(chosen.body), /This is Marsh Lane Academy's own requirement\./)
  const versionLink = html(chosen.body).querySelector('#versions ~ .haven-scroll-region a')?.getAttribute('href')
  assert.match(versionLink ?? '', /\?school=marsh-lane$/)
  assert.equal((await s.lead.get(versionLink!)).statusCode, 200)
  assert.doesNotMatch(words((await s.lead.get('/policy?school=fen-edge')).body), /Marsh Lane Academy's own/)
  assert.equal((await s.lead.get('/policy?school=nowhere')).statusCode, 404)
  // The academy cannot publish a version of its own over the trust's.
  const upload = await dsl.get('/policy/upload')
  assert.equal(upload.statusCode, 200)
})

test('LH-05: the trust’s regional safeguarding lead is offered in an academy’s supervisor choices and may supervise as the policy allows', async (t) => {
  const s = await trustOn(t, '2026-08-20')
  await adopted(s)
  const db = s.database.db
  s.setToday('2026-09-21')
  const dslId = await addPerson(db, s.marshLane, { name: 'Maya Marsh', roles: ['dsl'], account: true })
  const pastoral = await addPerson(db, s.marshLane, { name: 'Priya Patel', pastoral: true })
  const dsl = await signedInClient(s.app, db, dslId)
  const form = await dsl.get('/sessions/new')
  assert.equal(form.statusCode, 200)
  const options = html(form.body)
    .querySelectorAll('select[name=supervisorId] option, input[name=supervisorId]')
    .map((o) => `${o.getAttribute('value')} ${o.text}`)
  assert.ok(
    options.some((o) => o.startsWith(s.leadId) && /Rhiannon Reed/.test(o)),
    `the regional lead is offered: ${options.join(' | ')}`,
  )
  const book = (superviseeId: string) =>
    dsl.post('/sessions/new', {
      typeId: 'reflective',
      ...dateFields('2026-09-28', 'date'),
      startTime: '10:00',
      durationMinutes: '60',
      venue: 'Meeting room',
      onlineLink: '',
      supervisorId: s.leadId,
      superviseeIds: [superviseeId],
    })
  // The policy: safeguarding leads by the regional lead; pastoral staff by their academy's leads.
  const refused = await book(pastoral)
  assert.equal(refused.statusCode, 400)
  assert.match(words(refused.body), /Rhiannon Reed cannot supervise Priya Patel under the policy/)
  const accepted = await book(dslId)
  assert.equal(accepted.statusCode, 303, words(accepted.body))
})

test('issue 14: the trust’s central team makes an academy’s changes in forms, each from a date, refusing what it cannot save', async (t) => {
  const s = await trustOn(t, '2026-08-20')
  const db = s.database.db
  assert.ok(
    (
      await publishTrustVersion(db, {
        organisationId: s.organisationId,
        document: trustPolicy,
        effectiveFrom: '2026-09-01',
        today: s.today(),
        reason: null,
        actorId: s.leadId,
      })
    ).ok,
  )
  const index = await s.lead.get('/trust/policy')
  assert.equal(index.statusCode, 200)
  assert.match(words(index.body), /Fen Edge Academy Keeps its own policy/)
  const academy = '/trust/policy/academies/fen-edge'
  const post = (action: string, fields: Record<string, string | string[]>) =>
    s.lead.post(`${academy}/${action}`, fields, { formPage: academy })
  // X-01: backdating needs a reason, named on its field.
  const backdated = await post('adopt', dateFields('2026-08-01'))
  assert.equal(backdated.statusCode, 400)
  assert.match(textOf(backdated.body, '.govuk-error-summary'), /Enter the reason for backdating/)
  assert.equal((await post('adopt', dateFields('2026-09-01'))).statusCode, 303)
  // A change with a field missing is refused with the error summary naming it.
  const missing = await post('frequency', { every: '4', unit: 'weeks', ...dateFields('2026-09-01') })
  assert.equal(missing.statusCode, 400)
  assert.match(textOf(missing.body, '.govuk-error-summary'), /Select the requirement/)
  // Issue 14: an academy's frequency may be stricter than the trust's, never looser; the message names the field.
  const looser = await post('frequency', {
    requirementId: 'fl-leads',
    every: '8',
    unit: 'weeks',
    termTimeOnly: 'yes',
    ...dateFields('2026-09-01'),
  })
  assert.equal(looser.statusCode, 400)
  assert.match(
    textOf(looser.body, '.govuk-error-summary'),
    /The frequency for 'Reflective supervision for the safeguarding leads' must be at least as often as the trust's: every 6 weeks of term time/,
  )
  assert.match(looser.body, /href="#frequency-every"/)
  assert.equal(
    (
      await post('frequency', {
        requirementId: 'fl-leads',
        every: '4',
        unit: 'weeks',
        termTimeOnly: 'yes',
        ...dateFields('2026-09-01'),
      })
    ).statusCode,
    303,
  )
  // A template the academy does not have is refused; a built-in one is accepted.
  const unknown = await post('template', {
    replaces: 'ca-supervision-record',
    with: 'no-such-template',
    ...dateFields('2026-09-01'),
  })
  assert.equal(unknown.statusCode, 400)
  assert.match(words(unknown.body), /The school has no template 'no-such-template'/)
  assert.equal(
    (
      await post('template', {
        replaces: 'ca-supervision-record',
        with: 'pl-supervision-record',
        ...dateFields('2026-09-01'),
      })
    ).statusCode,
    303,
  )
  assert.equal(
    (
      await post('requirement', {
        description: 'Reflective supervision for nursery practitioners',
        sessionTypes: ['reflective'],
        roles: ['eyfs-practitioner'],
        every: '1',
        unit: 'half-terms',
        ...dateFields('2026-09-01'),
      })
    ).statusCode,
    303,
  )
  const page = await s.lead.get(academy)
  const text = words(page.body)
  assert.match(text, /Reflective supervision for nursery practitioners .* Fen Edge Academy/)
  assert.match(
    text,
    /Reflective supervision for the safeguarding leads At least every 4 weeks.* Fenland Learning Trust, with the academy's frequency/,
  )
  let policy = (await policyBook(db, s.fenEdge.schoolId)).on('2026-09-02') as SourcedPolicy
  assert.equal(policy.requirements.length, 3)
  assert.equal(policy.templates.records[0]?.templateId, 'pl-supervision-record')
  // Taking a change away: the trust's rule applies again from the date given; earlier days keep the change.
  assert.equal((await post('remove', { change: 'frequency:fl-leads', ...dateFields('2026-10-01') })).statusCode, 303)
  const book = await policyBook(db, s.fenEdge.schoolId)
  policy = book.on('2026-10-01') as SourcedPolicy
  assert.equal(policy.requirements.find((r) => r.id === 'fl-leads')?.frequency?.every, 6)
  assert.equal(book.on('2026-09-30')?.requirements.find((r) => r.id === 'fl-leads')?.frequency?.every, 4)
  // The academy's own staff do not manage the trust's policy.
  const dslId = await addPerson(db, s.fenEdge, { name: 'Felix Fen', roles: ['dsl'], account: true })
  const dsl = await signedInClient(s.app, db, dslId)
  assert.equal((await dsl.get('/trust/policy')).statusCode, 403)
  assert.equal((await dsl.get(academy)).statusCode, 403)
})

test('issue 14: a single school becomes a trust and follows the trust policy without losing its history', async (t) => {
  let now = new Date('2026-10-05T10:00:00Z')
  const built = await buildTestApp(t, {}, { clock: () => now })
  const db = built.database.db
  const ids = await insertOrganisation(db, {
    schoolName: 'Oakfield Primary School',
    schoolSlug: 'oakfield',
    alsoDsl: true,
  })
  await relaxTwoStep(db, ids.organisationId, ids.personId)
  const org = { organisationId: ids.organisationId, schoolId: ids.schoolId, adminId: ids.personId }
  const teacher = await addPerson(db, org, { name: 'Tom Tate' })
  const typeId = (await policyBook(db, ids.schoolId)).on('2026-10-05')?.sessionTypes[0]?.id ?? 'one-to-one'
  await addSession(db, org, {
    typeId,
    date: '2026-09-20',
    status: 'held',
    supervisorId: ids.personId,
    superviseeIds: [teacher],
  })
  const before = await policyBook(db, ids.schoolId)
  const ownVersion = before.on('2026-09-20')
  const admin = await signedInClient(built.app, db, ids.personId)

  const schools = await admin.get('/admin/schools')
  assert.match(words(schools.body), /make the organisation a trust/)
  const blank = await admin.post('/admin/become-a-trust', { name: '' })
  assert.equal(blank.statusCode, 400)
  assert.match(words(blank.body), /Enter the name of the trust/)
  const noDate = await admin.post('/admin/become-a-trust', {
    name: 'Oakfield Learning Trust',
    'effectiveFrom-day': '',
    'effectiveFrom-month': '',
    'effectiveFrom-year': '',
  })
  assert.equal(noDate.statusCode, 400)
  assert.match(words(noDate.body), /Enter the date the school follows the trust policy/)
  // X-01: before the school's own version took effect would judge its past again: refused, nothing written.
  const tooEarly = await admin.post('/admin/become-a-trust', {
    name: 'Oakfield Learning Trust',
    ...dateFields('2020-01-06'),
  })
  assert.equal(tooEarly.statusCode, 400, words(tooEarly.body))
  assert.equal((await db.selectFrom('organisation').select('kind').executeTakeFirstOrThrow()).kind, 'single-school')
  assert.equal((await db.selectFrom('trust_policy_version').select('id').execute()).length, 0)
  // One step (ADR 0050): the trust's first version is the school's policy on that date, and the
  // school, its first academy, follows it from then.
  const became = await admin.post('/admin/become-a-trust', {
    name: 'Oakfield Learning Trust',
    ...dateFields('2026-10-06'),
  })
  assert.equal(became.statusCode, 303, words(became.body))
  const audit = await db
    .selectFrom('audit_event')
    .select('action')
    .where('organisation_id', '=', ids.organisationId)
    .where('action', 'in', ['organisation.became-trust', 'trust-policy.version-published', 'trust-policy.adopted'])
    .execute()
  assert.equal(audit.length, 3)
  now = new Date('2026-10-07T10:00:00Z')
  const after = await policyBook(db, ids.schoolId)
  // X-01: its own versions still govern the days before; its session is still there.
  assert.deepEqual(after.on('2026-09-20'), ownVersion)
  assert.equal((after.on('2026-10-06') as SourcedPolicy).sources?.trust.name, 'Oakfield Learning Trust')
  const sessions = await db
    .selectFrom('supervision_session')
    .select('id')
    .where('school_id', '=', ids.schoolId)
    .execute()
  assert.equal(sessions.length, 1)
  const page = words((await admin.get('/policy')).body)
  assert.match(page, /trust version 1, academy changes 1/)
  assert.match(page, /Replaced/, 'its own version is still listed')
})

test('issue 14: the trust central team edits the trust policy in the editor forms, sees what changes, and publishes a version from a date (X-01)', async (t) => {
  const s = await trustOn(t, '2026-08-20')
  const db = s.database.db
  await adopted(s)
  s.setToday('2026-09-21')
  const fenDsl = await addPerson(db, s.fenEdge, { name: 'Felix Fen', roles: ['dsl'] })
  const pastBefore = await schoolCompliance(db, s.fenEdge.schoolId, '2026-09-21')

  const index = await s.lead.get('/trust/policy')
  assert.match(words(index.body), /Edit the trust policy/)
  const tasks = await s.lead.get('/trust/policy/edit')
  assert.equal(tasks.statusCode, 200)
  assert.match(words(tasks.body), /Fenland Learning Trust Edit the policy/)
  assert.match(tasks.body, /href="\/trust\/policy\/edit\/requirements"/)
  // The school editor's form for a requirement, on the trust's draft: the leads every 4 weeks of term.
  const url = '/trust/policy/edit/requirements/items/0'
  const page = await s.lead.get(url)
  assert.equal(page.statusCode, 200)
  assert.match(words(page.body), /Reflective supervision for the safeguarding leads/)
  const saved = await submitForm(s.lead, url, { 'frequency.every': '4' })
  assert.equal(saved.statusCode, 303, saved.body)
  assert.equal(saved.headers.location, '/trust/policy/edit/requirements?saved=1')
  // Nothing reaches the academies until it is published; the school's own editor is untouched.
  assert.equal((await policyBook(db, s.fenEdge.schoolId)).on('2026-10-01')?.requirements[0]?.frequency?.every, 6)
  assert.equal(await db.selectFrom('policy_draft').select('school_id').executeTakeFirst(), undefined)

  // Before publishing: what changes against the trust version in force.
  const publish = await s.lead.get('/trust/policy/edit/publish')
  assert.equal(publish.statusCode, 200)
  assert.match(textOf(publish.body, '#changes ~ ul, [data-changes]'), /6 weeks.*4 weeks|4 weeks/)
  assert.match(words(publish.body), /Against version 1, in force from 1 September 2026/)
  // Backdating needs a reason (X-01).
  const backdated = await submitForm(s.lead, '/trust/policy/edit/publish', dateFields('2026-09-01'))
  assert.equal(backdated.statusCode, 400)
  const published = await submitForm(s.lead, '/trust/policy/edit/publish', dateFields('2026-10-01'))
  assert.equal(published.statusCode, 303, published.body)
  assert.equal(published.headers.location, '/trust/policy?published=2')
  assert.match(
    words((await s.lead.get('/trust/policy?published=2')).body),
    /Version 2 of the trust policy has been published/,
  )
  const audit = await db
    .selectFrom('audit_event')
    .select(['action', 'detail'])
    .where('action', '=', 'trust-policy.version-published')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.deepEqual((audit.detail as { fromDraft?: boolean }).fromDraft, true)

  // The academy follows it from its date; Marsh Lane keeps the rule it changed; past days are unchanged (X-01).
  const fen = await policyBook(db, s.fenEdge.schoolId)
  assert.equal(fen.on('2026-10-01')?.requirements.find((r) => r.id === 'fl-leads')?.frequency?.every, 4)
  assert.equal(fen.on('2026-09-30')?.requirements.find((r) => r.id === 'fl-leads')?.frequency?.every, 6)
  assert.deepEqual(await schoolCompliance(db, s.fenEdge.schoolId, '2026-09-21'), pastBefore)
  assert.ok(fenDsl)
  // The draft is gone: the editor starts again from version 2.
  assert.equal(await db.selectFrom('trust_policy_draft').select('organisation_id').executeTakeFirst(), undefined)

  // Issue 14: a trust amendment that would leave an academy's changed frequency looser is refused, naming the academy.
  assert.equal(
    (
      await submitForm(s.lead, '/trust/policy/edit/requirements/items/1', {
        'frequency.every': '2',
        'frequency.unit': 'weeks',
      })
    ).statusCode,
    303,
  )
  const looser = await submitForm(s.lead, '/trust/policy/edit/publish', dateFields('2026-11-02'))
  assert.equal(looser.statusCode, 400)
  assert.match(
    words(looser.body),
    /With Marsh Lane Academy's changes: The frequency for 'Reflective supervision for pastoral staff' must be at least as often as the trust's: every 2 weeks/,
  )

  // An academy's own staff do not edit the trust's policy.
  const dslClient = await signedInClient(
    s.app,
    db,
    await addPerson(db, s.fenEdge, { name: 'Dee Dsl', roles: ['dsl'], account: true }),
  )
  assert.equal((await dslClient.get('/trust/policy/edit')).statusCode, 403)
  assert.equal((await dslClient.get('/trust/policy/edit/publish')).statusCode, 403)
})

test('issue 14: the trust’s central team adds its own people who are not staff; one who may supervise is offered in each academy while their access lasts', async (t) => {
  const s = await trustOn(t, '2026-08-20')
  await adopted(s)
  const db = s.database.db
  s.setToday('2026-09-21')
  const dslId = await addPerson(db, s.marshLane, { name: 'Maya Marsh', roles: ['dsl'], account: true })
  const dsl = await signedInClient(s.app, db, dslId)

  const empty = await s.lead.get('/trust/people')
  assert.equal(empty.statusCode, 200)
  assert.match(words(empty.body), /There is no one yet/)
  // Only the trust's central team: an academy's DSL manages her own academy's people, not the trust's.
  assert.equal((await dsl.get('/trust/people')).statusCode, 403)
  assert.equal((await dsl.post('/trust/people/new', { kind: 'governor', name: 'Nobody' })).statusCode, 403)

  const missing = await s.lead.post('/trust/people/new', { kind: 'governor', name: '', email: '' })
  assert.equal(missing.statusCode, 400)
  assert.match(textOf(missing.body, '.govuk-error-summary'), /name/i)
  const added = await s.lead.post('/trust/people/new', {
    kind: 'governor',
    name: 'Gareth Gill',
    email: 'gareth.gill@fenland.example',
    jobTitle: '',
    organisationName: '',
    capabilities: ['supervise', 'sign'],
    roles: ['regional-safeguarding-lead'],
    'accessEndsOn-day': '',
    'accessEndsOn-month': '',
    'accessEndsOn-year': '',
  })
  assert.equal(added.statusCode, 303, words(added.body).slice(0, 500))
  const id = /\/staff\/([0-9a-f-]{36})/.exec(String(added.headers.location))?.[1]
  assert.ok(id)
  const row = await db.selectFrom('person').select(['school_id', 'kind']).where('id', '=', id).executeTakeFirstOrThrow()
  assert.deepEqual(row, { school_id: null, kind: 'governor' }, 'the trust’s, not one academy’s')
  assert.match(words((await s.lead.get('/trust/people')).body), /Gareth Gill Governor/)
  assert.doesNotMatch(words((await dsl.get('/staff/others')).body), /Gareth Gill/, 'not on an academy’s list')
  assert.equal((await dsl.get(`/staff/${id}/about`)).statusCode, 404, 'nor changed by an academy')

  // Offered as a supervisor in the academy, and accepted where the policy allows.
  const offered = async () =>
    html((await dsl.get('/sessions/new')).body)
      .querySelectorAll('select[name=supervisorId] option, input[name=supervisorId]')
      .some((o) => o.getAttribute('value') === id)
  assert.ok(await offered(), 'the trust’s governor is offered in Marsh Lane')
  const booked = await dsl.post('/sessions/new', {
    typeId: 'reflective',
    ...dateFields('2026-09-28', 'date'),
    startTime: '10:00',
    durationMinutes: '60',
    venue: 'Meeting room',
    onlineLink: '',
    supervisorId: id,
    superviseeIds: [dslId],
  })
  assert.equal(booked.statusCode, 303, words(booked.body).slice(0, 500))

  // Their supervisor training is recorded on their page, as anyone's.
  const trained = await s.lead.post(`/staff/${id}/training/new`, {
    course: 'Reflective supervision',
    kind: 'initial',
    ...dateFields('2026-06-12', 'completedOn'),
    evidence: '',
  })
  assert.equal(trained.statusCode, 303, words(trained.body).slice(0, 500))
  const page = await s.lead.get(`/staff/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(words(page.body), /Reflective supervision/)

  // Their access ends: the central team changes it on their page, and they are offered no longer.
  const form = await s.lead.get(`/staff/${id}/about`)
  assert.equal(form.statusCode, 200)
  const version = /name="version" value="(\d+)"/.exec(form.body)?.[1]
  const changed = await s.lead.post(`/staff/${id}/about`, {
    version: version ?? '',
    kind: 'governor',
    name: 'Gareth Gill',
    organisationName: '',
    capabilities: ['supervise', 'sign'],
    roles: ['regional-safeguarding-lead'],
    ...dateFields('2026-09-20', 'accessEndsOn'),
  })
  assert.equal(changed.statusCode, 303, words(changed.body).slice(0, 500))
  assert.ok(!(await offered()), 'not offered once their access has ended')
})
