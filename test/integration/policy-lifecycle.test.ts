/**
 * A policy's life and a school's own identity (issue 14, LH-01, MW-02): a school set
 * up from a pack gets its own name, lead and dates; its contracts carry its name and use its own
 * contract template; templates a policy names must exist; roles it declares are created; a review
 * is recorded as a new version and clears the warning; the owner is reminded; a backdated version
 * needs a reason. The app's clock is set (ADR 0017).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Db } from '../../src/db/database.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { loadPack } from '../../src/packs/index.ts'
import { templateById } from '../../src/packs/templates.ts'
import { contractSetting } from '../../src/services/contracts/setting.ts'
import { publishDraft, saveDraft } from '../../src/services/policy/drafts.ts'
import { sendPolicyReviewReminders } from '../../src/services/policy/review.ts'
import { savePolicyVersion } from '../../src/services/policy/store.ts'
import { copyToSchool } from '../../src/services/records/templates.ts'
import { ADMIN_PASSWORD, insertOrganisation } from '../builders/organisation.ts'
import { type Client, client } from '../helpers/browser-like.ts'
import { html, textOf } from '../helpers/html.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { postFile, relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

/** Thursday 3 December 2026, mid-morning in London. */
const now = new Date('2026-12-03T10:00:00Z')
const today = '2026-12-03'

let t: TestApp
let db: Db
let dsl: Client
let school: { id: string; organisationId: string }
let personId: string

const cleanups: (() => Promise<void>)[] = []

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function latestDocument(): Promise<{ version: number; origin: string; document: PolicyDocument }> {
  const row = await db
    .selectFrom('policy_version')
    .select(['version', 'origin', 'document'])
    .where('school_id', '=', school.id)
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow()
  return { version: row.version, origin: row.origin, document: row.document as PolicyDocument }
}

function ownPolicy(change: (doc: PolicyDocument) => void): PolicyDocument {
  const doc = structuredClone(loadPack('meanwood'))
  doc.metadata.school = 'Riverside Primary School'
  doc.metadata.approvedBy = 'The governing body'
  doc.metadata.approvedOn = '2026-11-20'
  doc.metadata.lastReviewedOn = null
  doc.metadata.nextReviewDue = '2027-11-20'
  change(doc)
  return doc
}

before(async () => {
  t = await buildTestApp({ after: (fn) => void cleanups.push(fn as () => Promise<void>) }, {}, { clock: () => now })
  db = t.database.db
})

test('issue 14, X-08: set-up asks for the policy lead, approval and review date, and refuses a date that is not real', async () => {
  const browser = client(t.app)
  const form = await browser.get('/setup')
  assert.equal(form.statusCode, 200)
  for (const id of ['policyLead', 'approvedBy', 'approvedOn-day', 'nextReviewDue-day']) {
    assert.ok(html(form.body).querySelector(`#${id}`), id)
  }
  const bad = await browser.post('/setup', {
    organisationKind: 'single-school',
    schoolName: 'Riverside Primary School',
    schoolSlug: 'riverside',
    region: 'england-and-wales',
    packId: 'meanwood',
    adminName: 'Jo Adams',
    adminEmail: 'jo.adams@riverside.example',
    password: ADMIN_PASSWORD,
    'approvedOn-day': '31',
    'approvedOn-month': '2',
    'approvedOn-year': '2026',
  })
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, '#approvedOn-error'), 'Error: Date the policy was approved must be a real date')
  const links = html(bad.body)
    .querySelectorAll('.govuk-error-summary a')
    .map((a) => a.getAttribute('href'))
  assert.deepEqual(links, ['#approvedOn-day'])
})

test('issue 14, X-08, LH-01: a school set up from a pack gets its own name, lead and dates, none of the seed school’s', async () => {
  const browser = client(t.app)
  const ok = await browser.post('/setup', {
    organisationKind: 'single-school',
    schoolName: 'Riverside Primary School',
    schoolSlug: 'riverside',
    region: 'england-and-wales',
    packId: 'meanwood',
    policyLead: 'Jo Adams',
    approvedBy: '',
    adminName: 'Jo Adams',
    adminEmail: 'jo.adams@riverside.example',
    password: ADMIN_PASSWORD,
    alsoDsl: 'yes',
  })
  assert.equal(ok.statusCode, 302, ok.body.slice(0, 2000))
  const row = await db.selectFrom('school').select(['id', 'organisation_id']).executeTakeFirstOrThrow()
  school = { id: row.id, organisationId: row.organisation_id }
  personId = (await db.selectFrom('person').select('id').executeTakeFirstOrThrow()).id
  await relaxTwoStep(db, school.organisationId, personId)
  dsl = await signedInClient(t.app, db, personId)

  const first = await latestDocument()
  assert.equal(first.origin, 'setup')
  const { metadata } = first.document
  assert.equal(metadata.school, 'Riverside Primary School')
  assert.deepEqual(metadata.owner, { kind: 'person', name: 'Jo Adams', role: 'dsl' })
  assert.equal(metadata.approvedBy, null)
  assert.equal(metadata.approvedOn, null)
  assert.equal(metadata.lastReviewedOn, null)
  assert.equal(metadata.createdOn, today)
  assert.equal(metadata.nextReviewDue, '2027-12-03', 'the first review is a year on, not years ago')
  assert.equal(metadata.provenance, 'Based on the supervision policy of Meanwood CE Primary School')
  assert.doesNotMatch(JSON.stringify(metadata), /Jamie Chapman|2023-11-01|2022-11-01/)

  // Its home page does not warn from its first minute that a review was due years ago.
  const home = await dsl.get('/')
  assert.equal(home.statusCode, 200)
  assert.doesNotMatch(home.body, /review was due/)

  // The policy page warns that the approval is blank, and never claims one.
  const page = await dsl.get('/policy')
  const warnings = html(page.body)
    .querySelectorAll('.govuk-warning-text')
    .map((w) => w.textContent.replace(/\s+/g, ' ').trim())
  assert.deepEqual(warnings, [
    '! Warning This policy has no recorded approval. Record who approved it, and when, in the policy details',
  ])
  assert.match(textOf(page.body, '.govuk-summary-list'), /Approved Not recorded/)
  assert.doesNotMatch(page.body, /Approved by/)
  assert.match(textOf(page.body, 'h1'), /Riverside Primary School/)
})

test('X-01: the automatic first version does not block importing the school’s older versions; backdating needs a reason, which is kept', async () => {
  const older = ownPolicy((doc) => {
    doc.metadata.approvedOn = '2024-07-01'
    doc.metadata.nextReviewDue = '2025-07-01'
  })
  const upload = (fields: Record<string, string>) =>
    postFile(
      t.app,
      dsl,
      '/policy/upload',
      { filename: 'policy.json', content: JSON.stringify(older), type: 'application/json' },
      { fields: { 'effectiveFrom-day': '1', 'effectiveFrom-month': '9', 'effectiveFrom-year': '2024', ...fields } },
    )
  const noReason = await upload({})
  assert.equal(noReason.statusCode, 400)
  assert.equal(
    textOf(noReason.body, '#reason-error'),
    'Error: It takes effect before today: supervision from 1 September 2024 to 2 December 2026 would be judged again by this version, not by the version that was in force. Enter the reason for backdating it, or choose today or a later date',
  )
  const withReason = await upload({ reason: 'Importing the policy the governors approved in 2024' })
  assert.equal(withReason.statusCode, 303, withReason.body.slice(0, 3000))
  const row = await db
    .selectFrom('policy_version')
    .select(['version', 'effective_from', 'origin', 'backdating_reason'])
    .where('school_id', '=', school.id)
    .where('version', '=', 2)
    .executeTakeFirstOrThrow()
  assert.deepEqual(row, {
    version: 2,
    effective_from: '2024-09-01',
    origin: 'uploaded',
    backdating_reason: 'Importing the policy the governors approved in 2024',
  })
  const audit = await db
    .selectFrom('audit_event')
    .select('detail')
    .where('action', '=', 'policy.version-saved')
    .executeTakeFirstOrThrow()
  assert.equal((audit.detail as { backdatingReason?: string }).backdatingReason, row.backdating_reason)
})

test('MW-02, issue 14: the contract is headed with the school’s own name, and uses the school’s own contract template', async () => {
  const setting = await contractSetting(db, school.id, today)
  assert.equal(setting?.template?.name, 'Supervision Contract – Riverside Primary School')

  // The school's own copy of the contract template, named in its policy, is the one used.
  const copyId = await copyToSchool(
    db as never,
    { actorId: personId, organisationId: school.organisationId, schoolId: school.id },
    templateById('mw-contract')!,
    'Riverside supervision agreement',
  )
  const saved = await savePolicyVersion(db as never, {
    schoolId: school.id,
    organisationId: school.organisationId,
    document: ownPolicy((doc) => {
      doc.templates.contract = copyId
    }),
    effectiveFrom: today,
    actorId: personId,
    today,
  })
  assert.ok(saved.ok, JSON.stringify(saved))
  const own = await contractSetting(db, school.id, today)
  assert.equal(own?.template?.id, copyId)
  assert.equal(own?.template?.name, 'Riverside supervision agreement')
})

test('issue 14: publishing refuses a policy naming a template the school does not have, naming the field', async () => {
  const before = (await latestDocument()).version
  const missing = await savePolicyVersion(db as never, {
    schoolId: school.id,
    organisationId: school.organisationId,
    document: ownPolicy((doc) => {
      doc.templates.contract = 'no-such-contract'
      doc.templates.records[0]!.templateId = 'mw-contract'
    }),
    effectiveFrom: today,
    actorId: personId,
    today,
  })
  assert.equal(missing.ok, false)
  assert.deepEqual(!missing.ok && missing.problems, [
    {
      path: 'templates.contract',
      message:
        "The school has no template 'no-such-contract': add it on the templates page, or name one of the school's templates (check the spelling)",
    },
    {
      path: 'templates.records[0].templateId',
      message: "Template 'mw-contract' is a contract template, not a record template",
    },
  ])
  assert.equal((await latestDocument()).version, before, 'nothing saved')

  // The same through the upload page: the problem names where it is in the file.
  const page = await postFile(
    t.app,
    dsl,
    '/policy/upload',
    {
      filename: 'policy.json',
      content: JSON.stringify(
        ownPolicy((doc) => {
          doc.templates.contract = 'no-such-contract'
        }),
      ),
      type: 'application/json',
    },
    { fields: { 'effectiveFrom-day': '3', 'effectiveFrom-month': '12', 'effectiveFrom-year': '2026' } },
  )
  assert.equal(page.statusCode, 400)
  assert.match(textOf(page.body, '#file-error'), /templates\.contract: The school has no template 'no-such-contract'/)
})

test('issue 14: roles a published policy declares are created for the school', async () => {
  const saved = await savePolicyVersion(db as never, {
    schoolId: school.id,
    organisationId: school.organisationId,
    document: ownPolicy((doc) => {
      doc.customRoles = [
        { id: 'pastoral-mentor', name: 'Pastoral mentor', description: 'Mentors pupils with pastoral needs' },
      ]
      doc.scope.rules.push({
        id: 'mentors',
        description: 'Pastoral mentors',
        who: { everyone: false, roles: ['pastoral-mentor'], flags: [], trainedSupervisors: false, conditions: [] },
      })
    }),
    effectiveFrom: today,
    actorId: personId,
    today,
  })
  assert.ok(saved.ok, JSON.stringify(saved))
  const roles = await db
    .selectFrom('custom_role')
    .select(['id', 'name', 'school_id'])
    .where('organisation_id', '=', school.organisationId)
    .execute()
  assert.deepEqual(roles, [{ id: 'pastoral-mentor', name: 'Pastoral mentor', school_id: school.id }])
})

test('X-08: the owner is reminded before the review; recording a review on the policy page clears the warning as a new version', async () => {
  // A version whose review is overdue.
  const saved = await savePolicyVersion(db as never, {
    schoolId: school.id,
    organisationId: school.organisationId,
    document: ownPolicy((doc) => {
      doc.metadata.owner = { kind: 'person', name: 'Jo Adams', role: 'dsl' }
      doc.metadata.lastReviewedOn = '2025-11-01'
      doc.metadata.nextReviewDue = '2026-11-01'
    }),
    effectiveFrom: today,
    actorId: personId,
    today,
  })
  assert.ok(saved.ok)
  const overdueVersion = await latestDocument()
  const page = await dsl.get('/policy')
  assert.match(page.body, /The policy review was due by 1 November 2026/)
  assert.match(page.body, /href="\/policy\/review"/)

  // the reminder goes to the owner, once per review date.
  assert.equal(await sendPolicyReviewReminders(db, { today, baseUrl: 'https://haven.example' }), 1)
  assert.equal(await sendPolicyReviewReminders(db, { today, baseUrl: 'https://haven.example' }), 0)
  const mail = await db
    .selectFrom('outbox_message')
    .select(['to_address', 'subject', 'text_body'])
    .where('subject', 'like', '%policy review%')
    .execute()
  assert.equal(mail.length, 1)
  assert.equal(mail[0]!.to_address, 'jo.adams@riverside.example')
  assert.match(mail[0]!.text_body, /https:\/\/haven\.example\/policy\/review/)

  // A draft started before the review (to change a rule), published after it.
  const scope = { schoolId: school.id, organisationId: school.organisationId, actorId: personId }
  const draftDoc = structuredClone(overdueVersion.document)
  draftDoc.requirements[0]!.expectedMinutes = 45
  const draft = await saveDraft(db as never, { ...scope, document: draftDoc, expectedVersion: 0, section: 'test' })
  assert.ok(draft.ok)

  // The review form: every error names its field.
  assert.equal((await dsl.get('/policy/review')).statusCode, 200)
  const blank = await dsl.post('/policy/review', {})
  assert.equal(blank.statusCode, 400)
  assert.equal(textOf(blank.body, '#reviewedOn-error'), 'Error: Enter the date the policy was reviewed')
  assert.equal(textOf(blank.body, '#reviewedBy-error'), 'Error: Enter who reviewed the policy')
  const future = await dsl.post('/policy/review', {
    'reviewedOn-day': '4',
    'reviewedOn-month': '12',
    'reviewedOn-year': '2026',
    reviewedBy: 'Jo Adams',
  })
  assert.equal(future.statusCode, 400)
  assert.equal(textOf(future.body, '#reviewedOn-error'), 'Error: Date reviewed must be today or in the past')

  const done = await dsl.post('/policy/review', {
    'reviewedOn-day': '2',
    'reviewedOn-month': '12',
    'reviewedOn-year': '2026',
    reviewedBy: 'Jo Adams, DSL, with the safeguarding governor',
  })
  assert.equal(done.statusCode, 303)
  const reviewed = await latestDocument()
  assert.equal(done.headers.location, `/policy?reviewed=${reviewed.version}`)
  assert.equal(reviewed.origin, 'review')
  assert.equal(reviewed.version, overdueVersion.version + 1)
  assert.equal(reviewed.document.metadata.lastReviewedOn, '2026-12-02')
  assert.equal(reviewed.document.metadata.lastReviewedBy, 'Jo Adams, DSL, with the safeguarding governor')
  assert.equal(reviewed.document.metadata.nextReviewDue, '2027-12-02')
  assert.deepEqual(reviewed.document.requirements, overdueVersion.document.requirements, 'the same rules')
  // The reviewed version is never changed in place.
  const old = await db
    .selectFrom('policy_version')
    .select('document')
    .where('school_id', '=', school.id)
    .where('version', '=', overdueVersion.version)
    .executeTakeFirstOrThrow()
  assert.equal((old.document as PolicyDocument).metadata.nextReviewDue, '2026-11-01')

  const after = await dsl.get(`/policy?reviewed=${reviewed.version}`)
  assert.match(after.body, /The review has been recorded/)
  assert.equal(html(after.body).querySelector('.govuk-warning-text'), null, 'the warning is cleared')
  assert.match(textOf(after.body, '.govuk-summary-list'), /Last reviewed 2 December 2026, by Jo Adams, DSL/)
  assert.equal(await sendPolicyReviewReminders(db, { today, baseUrl: 'https://haven.example' }), 0)

  // The draft started before the review keeps the review when it is published.
  const published = await publishDraft(db as never, {
    ...scope,
    expectedVersion: draft.ok ? draft.version : 0,
    effectiveFrom: today,
    today,
  })
  assert.ok(published.ok, JSON.stringify(published))
  const latest = await latestDocument()
  assert.equal(latest.origin, 'published')
  assert.equal(latest.document.requirements[0]!.expectedMinutes, 45)
  assert.equal(latest.document.metadata.lastReviewedOn, '2026-12-02')
  assert.equal(latest.document.metadata.nextReviewDue, '2027-12-02')
})

test('X-01: a version backdated before today needs a reason, which is kept; never before a version the school saved', async () => {
  const upload = (fields: Record<string, string>) =>
    postFile(
      t.app,
      dsl,
      '/policy/upload',
      { filename: 'policy.json', content: JSON.stringify(ownPolicy(() => {})), type: 'application/json' },
      { fields: { 'effectiveFrom-day': '3', 'effectiveFrom-month': '12', 'effectiveFrom-year': '2026', ...fields } },
    )
  // Today's versions exist, so yesterday is before a version the school saved: refused outright.
  const early = await upload({ 'effectiveFrom-day': '2', reason: 'Approved last week' })
  assert.equal(early.statusCode, 400)
  assert.match(textOf(early.body, '#effectiveFrom-error'), /must be on or after 3 December 2026/)
})

test('issue 14: a school adopting a pack gets the roles its policy declares', async (ctx) => {
  const other = await buildTestApp(ctx, {}, { clock: () => now })
  const org = await insertOrganisation(other.database.db, { packId: 'cornerstone', schoolName: 'Hillside Academy' })
  const roles = await other.database.db
    .selectFrom('custom_role')
    .select(['id', 'school_id'])
    .where('organisation_id', '=', org.organisationId)
    .execute()
  assert.deepEqual(roles, [{ id: 'form-tutor', school_id: org.schoolId }])
  const policy = await other.database.db
    .selectFrom('policy_version')
    .select('document')
    .where('school_id', '=', org.schoolId)
    .executeTakeFirstOrThrow()
  const { metadata } = policy.document as PolicyDocument
  assert.equal(metadata.school, 'Hillside Academy')
  assert.equal(metadata.governorCommittee, null, 'not the Cornerstone board')
  assert.equal(metadata.approvedBy, null, 'not Ofsted (pre-opening)')
})
