/**
 * The policy editor (issue 5): a draft edited section by section in forms, validated as a whole,
 * published as a new version (X-01). One app for the file; each test starts with no draft.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, test } from 'node:test'
import { addDays, formatLongDate } from '../../src/domain/calendar/index.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import type { Client } from '../helpers/browser-like.ts'
import { testToday } from '../helpers/clock.ts'
import { formFields, submitForm } from '../helpers/forms.ts'
import { html, textOf } from '../helpers/html.ts'
import { personSignedIn, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

let s: StaffTestApp
let dsl: Client
let headteacher: Client
let teacher: Client
const today = testToday

const cleanups: (() => Promise<void>)[] = []
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

before(async () => {
  s = await staffTestApp({ after: (fn) => void cleanups.push(fn as () => Promise<void>) })
  dsl = (await personSignedIn(s, { name: 'Dara Singh', email: 'dara.singh@oakfield.example', roles: ['dsl'] })).browser
  headteacher = (
    await personSignedIn(s, { name: 'Hana Okafor', email: 'hana.okafor@oakfield.example', roles: ['headteacher'] })
  ).browser
  teacher = (
    await personSignedIn(s, { name: 'Tom Reeve', email: 'tom.reeve@oakfield.example', roles: ['class-teacher'] })
  ).browser
})

beforeEach(async () => {
  await s.database.db.deleteFrom('policy_draft').execute()
})

async function draft(): Promise<{ document: PolicyDocument; version: number; based_on_version: number } | undefined> {
  const row = await s.database.db
    .selectFrom('policy_draft')
    .select(['document', 'version', 'based_on_version'])
    .where('school_id', '=', s.org.schoolId)
    .executeTakeFirst()
  return row ? { ...row, document: row.document as PolicyDocument } : undefined
}

async function versionCount(): Promise<number> {
  const rows = await s.database.db
    .selectFrom('policy_version')
    .select('version')
    .where('school_id', '=', s.org.schoolId)
    .execute()
  return rows.length
}

function summaryLinks(body: string): string[] {
  return html(body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map((a) => a.getAttribute('href') ?? '')
}

function summaryText(body: string): string {
  return textOf(body, '.govuk-error-summary')
}

test('X-01: the task list shows every section; the first save starts a draft and nothing changes for staff until it is published', async () => {
  const tasks = await s.admin.get('/policy/edit')
  assert.equal(tasks.statusCode, 200)
  const titles = html(tasks.body)
    .querySelectorAll('.govuk-task-list__name-and-hint a')
    .map((a) => a.textContent.trim())
  assert.deepEqual(titles, [
    'Details and review dates',
    'Who must be supervised',
    'Requirements',
    'Session types',
    'Who may supervise whom',
    'Cancellation and rebooking',
    'Escalation',
    'Frameworks',
    'Templates',
    'Supervision contract',
    'Confidentiality and disagreements',
    'Records',
    'How long records are kept',
    'Requests and standing groups',
    'Practice, support and commitments',
  ])
  assert.match(tasks.body, /Your first change starts a draft/)
  assert.equal(await draft(), undefined, 'looking starts nothing')

  const saved = await submitForm(s.admin, '/policy/edit/details', { 'metadata.title': 'Staff supervision policy 2027' })
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, '/policy/edit/details?saved=1')
  const d = await draft()
  assert.equal(d?.version, 1)
  assert.equal(d?.based_on_version, 1)
  assert.equal(d?.document.metadata.title, 'Staff supervision policy 2027')
  assert.equal(await versionCount(), 1)
  assert.doesNotMatch((await s.admin.get('/policy')).body, /Staff supervision policy 2027/)
  const again = await s.admin.get('/policy/edit')
  assert.match(again.body, /You are editing a draft copied from version 1, last saved by Amira Khan/)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select(['action', 'detail'])
    .where('action', '=', 'policy.draft-saved')
    .execute()
  assert.deepEqual(audit.at(-1)?.detail, { section: 'details', draftVersion: 1 })
})

test('MW-03, LH-03: a requirement’s frequency: bad input comes back by the field with nothing saved, then it saves', async () => {
  const url = '/policy/edit/requirements/items/0'
  const notNumber = await submitForm(s.admin, url, { 'frequency.every': 'six', description: '' })
  assert.equal(notNumber.statusCode, 400)
  assert.match(textOf(notNumber.body, 'title'), /^Error: /)
  assert.equal(textOf(notNumber.body, '#description-error'), 'Error: Enter a description of the requirement')
  assert.equal(textOf(notNumber.body, '#frequency-every-error'), 'Error: Every must be a whole number, like 1')
  assert.deepEqual(summaryLinks(notNumber.body), ['#description', '#frequency-every'])
  assert.equal(
    html(notNumber.body).querySelector('#frequency-every')?.getAttribute('value'),
    'six',
    'what was typed comes back',
  )
  assert.equal(await draft(), undefined, 'nothing saved')

  const zero = await submitForm(s.admin, url, { 'frequency.every': '0' })
  assert.equal(zero.statusCode, 400)
  assert.equal(textOf(zero.body, '#frequency-every-error'), 'Error: Every must be 1 or more')

  // A cross-field rule from validatePolicy, shown on the field it concerns.
  const termTime = await submitForm(s.admin, url, {
    'frequency.unit': 'terms',
    'frequency.termTimeOnly': 'frequency.termTimeOnly',
  })
  assert.equal(termTime.statusCode, 400)
  assert.match(
    textOf(termTime.body, '#frequency-termTimeOnly-error'),
    /Only a frequency in weeks or months can count term time only: untick it, or choose weeks or months/,
  )
  assert.deepEqual(summaryLinks(termTime.body), ['#frequency-termTimeOnly'])
  assert.equal(await draft(), undefined)

  const good = await submitForm(s.admin, url, {
    'frequency.every': '6',
    'frequency.unit': 'weeks',
    'frequency.termTimeOnly': 'frequency.termTimeOnly',
    'maximumGap.amount': '3',
    'maximumGap.unit': 'months',
  })
  assert.equal(good.statusCode, 303)
  assert.equal(good.headers.location, '/policy/edit/requirements?saved=1')
  const requirement = (await draft())!.document.requirements[0]!
  assert.deepEqual(requirement.frequency, { every: 6, unit: 'weeks', termTimeOnly: true, wording: null })
  assert.deepEqual(requirement.maximumGap, { amount: 3, unit: 'months' })
  assert.equal(requirement.id, 'one-to-one', 'the reference is kept')

  // Blank "every": no minimum frequency, which needs an agreed frequency (it has: any).
  const none = await submitForm(s.admin, url, { 'frequency.every': '', 'maximumGap.amount': '' })
  assert.equal(none.statusCode, 303)
  const after = (await draft())!.document.requirements[0]!
  assert.equal(after.frequency, null)
  assert.equal(after.maximumGap, null)
  const list = await s.admin.get('/policy/edit/requirements?saved=1')
  assert.match(list.body, /Your changes to the draft have been saved/)
  assert.match(list.body, /No minimum frequency/)
})

test('LH-03: stricter rules for some staff; MW-03: the frequencies that may be agreed', async () => {
  const noOne = await submitForm(s.admin, '/policy/edit/requirements/items/0/stricter/new', {
    description: 'Newly qualified staff have supervision each half term',
    'frequency.every': '1',
    'frequency.unit': 'half-terms',
  })
  assert.equal(noOne.statusCode, 400)
  assert.match(textOf(noOne.body, '.govuk-form-group--error .govuk-error-message'), /Say who this applies to/)
  assert.deepEqual(summaryLinks(noOne.body), ['#who-groups'])

  const added = await submitForm(s.admin, '/policy/edit/requirements/items/0/stricter/new', {
    description:
      'Newly qualified staff, staff in probation and staff with personal difficulties have supervision each half term',
    'who.flags': ['early-career', 'in-probation', 'additional-support'],
    'frequency.every': '1',
    'frequency.unit': 'half-terms',
    'maximumGap.amount': '3',
    'maximumGap.unit': 'months',
  })
  assert.equal(added.statusCode, 303)
  assert.equal(added.headers.location, '/policy/edit/requirements/items/0?saved=1')
  const stricter = (await draft())!.document.requirements[0]!.stricterFor[0]!
  assert.equal(stricter.id, 'newly-qualified-staff-staff-in-probation', 'a reference made from the words')
  assert.deepEqual(stricter.who, {
    everyone: false,
    roles: [],
    flags: ['early-career', 'in-probation', 'additional-support'],
    trainedSupervisors: false,
    conditions: [],
  })
  assert.deepEqual(stricter.frequency, { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null })

  // Listed frequencies with none listed: saved, but the requirement page says what is missing.
  const listed = await submitForm(s.admin, '/policy/edit/requirements/items/0', { 'agreedFrequency.allowed': 'listed' })
  assert.equal(listed.statusCode, 303)
  const page = await s.admin.get('/policy/edit/requirements/items/0')
  assert.match(textOf(page.body, '#list-options'), /List the frequencies that may be agreed/)
  const option = await submitForm(s.admin, '/policy/edit/requirements/items/0/options/new', {
    every: '4',
    unit: 'weeks',
    wording: 'every four weeks',
  })
  assert.equal(option.statusCode, 303)
  const agreed = (await draft())!.document.requirements[0]!.agreedFrequency
  assert.deepEqual(agreed, {
    allowed: 'listed',
    options: [{ every: 4, unit: 'weeks', termTimeOnly: false, wording: 'every four weeks' }],
    description: null,
  })
  assert.doesNotMatch(
    textOf((await s.admin.get('/policy/edit/requirements/items/0')).body, '#list-options'),
    /List the frequencies/,
  )
})

test('MW-04, MW-05: part-time staff at the same frequency; agency and temporary staff after 5 weeks', async () => {
  const scope = await s.admin.get('/policy/edit/scope')
  assert.match(
    scope.body,
    /Part-time staff are supervised as often as full-time staff, never pro rata\. Haven always does this/,
  )
  // MW-04 is the rule; school staff read the words, never the requirement's id.
  assert.doesNotMatch(scope.body, /\b(X|MW|LH|CA|PL|AM)-\d{2}\b/)

  const missing = await submitForm(s.admin, '/policy/edit/scope/qualifying-periods/new', {
    description: 'Agency and temporary staff are supervised after 5 weeks',
    'after.amount': '5',
    'after.unit': 'weeks',
  })
  assert.equal(missing.statusCode, 400)
  assert.equal(textOf(missing.body, '#employmentTypes-error'), 'Error: Add at least one employment type')

  const added = await submitForm(s.admin, '/policy/edit/scope/qualifying-periods/new', {
    description: 'Agency and temporary staff are supervised once they have worked here for more than 5 weeks',
    employmentTypes: ['agency', 'temporary'],
    'after.amount': '5',
    'after.unit': 'weeks',
  })
  assert.equal(added.statusCode, 303)
  assert.deepEqual((await draft())!.document.scope.qualifyingPeriods, [
    {
      id: 'agency-and-temporary-staff-are-supervised',
      description: 'Agency and temporary staff are supervised once they have worked here for more than 5 weeks',
      employmentTypes: ['agency', 'temporary'],
      after: { amount: 5, unit: 'weeks' },
    },
  ])
  const rule = await submitForm(s.admin, '/policy/edit/scope/rules/new', {
    description: 'Staff working in the EYFS',
    'who.flags': ['works-in-eyfs'],
    id: 'eyfs',
  })
  assert.equal(rule.statusCode, 303)
  const badId = await submitForm(s.admin, '/policy/edit/scope/rules/new', {
    description: 'Pastoral leads',
    'who.roles': ['pastoral-lead'],
    id: 'Pastoral Leads!',
  })
  assert.equal(badId.statusCode, 400)
  assert.match(textOf(badId.body, '#id-error'), /lower-case letters, numbers and single hyphens/)
  const duplicate = await submitForm(s.admin, '/policy/edit/scope/rules/new', {
    description: 'Pastoral leads',
    'who.roles': ['pastoral-lead'],
    id: 'eyfs',
  })
  assert.equal(duplicate.statusCode, 400)
  assert.match(textOf(duplicate.body, '#id-error'), /The scope rule reference 'eyfs' is used more than once/)
  const page = await s.admin.get('/policy/edit/scope')
  assert.match(page.body, /Agency, Temporary staff after 5 weeks/)
  assert.match(page.body, /Staff working in the EYFS/)
})

test('MW-08: a session type that stops counting leaves a problem in the requirements, listed on the task list and refused at publishing', async () => {
  const types = await s.admin.get('/policy/edit/session-types/items/0')
  const ticked = formFields(types.body).properties as string[]
  assert.ok(ticked.includes('countsTowardEntitlement'))
  const saved = await submitForm(s.admin, '/policy/edit/session-types/items/0', {
    properties: ticked.filter((p) => p !== 'countsTowardEntitlement'),
  })
  assert.equal(saved.statusCode, 303, 'a draft may be saved with a problem in another section')
  const tasks = await s.admin.get('/policy/edit')
  const requirementsRow = html(tasks.body)
    .querySelectorAll('.govuk-task-list__item')
    .find((row) => row.textContent.includes('Requirements'))!
  assert.match(requirementsRow.textContent, /1 problem/)
  assert.match(tasks.body, /There is 1 problem to fix before the draft can be published/)

  const publish = await s.admin.get('/policy/edit/publish')
  assert.match(publish.body, /You cannot publish the draft until this problem is fixed/)
  assert.deepEqual(summaryLinks(publish.body), ['/policy/edit/requirements/items/0#sessionTypes'])
  assert.match(
    summaryText(publish.body),
    /Requirements: Session type 'one-to-one' does not count towards the entitlement, so a requirement cannot count it: tick “Counts towards the entitlement” on the session type/,
  )
  assert.equal(html(publish.body).querySelector('#publish-form'), null)
  const forced = await s.admin.post('/policy/edit/publish', {
    draftVersion: String((await draft())!.version),
    'effectiveFrom-day': today.slice(8),
    'effectiveFrom-month': today.slice(5, 7),
    'effectiveFrom-year': today.slice(0, 4),
  })
  assert.equal(forced.statusCode, 400)
  assert.equal(await versionCount(), 1)

  const requirement = await s.admin.get('/policy/edit/requirements/items/0')
  assert.match(textOf(requirement.body, '#sessionTypes-error'), /does not count towards the entitlement/)
})

test('LH-05: who may supervise whom, as a grid of supervisees and their allowed supervisors', async () => {
  const none = await submitForm(s.admin, '/policy/edit/supervisors/rules/new', { 'supervisees.roles': ['dsl'] })
  assert.equal(none.statusCode, 400)
  assert.match(
    textOf(none.body, '.govuk-form-group--error .govuk-error-message'),
    /Add at least one allowed supervisor/,
  )
  assert.deepEqual(summaryLinks(none.body), ['#supervisors-more'])

  const added = await submitForm(s.admin, '/policy/edit/supervisors/rules/new', {
    'supervisees.roles': ['dsl'],
    'supervisors.roles': ['associate-headteacher', 'headteacher', 'deputy-dsl'],
    'supervisors.trust': ['dsl'],
    'supervisors.bodies': ['professional-body'],
  })
  assert.equal(added.statusCode, 303)
  const rule = (await draft())!.document.supervisors.rules[1]!
  assert.deepEqual(rule.supervisors, [
    { kind: 'role', role: 'associate-headteacher' },
    { kind: 'role', role: 'headteacher' },
    { kind: 'role', role: 'deputy-dsl' },
    { kind: 'another-school-in-trust', role: 'dsl' },
    { kind: 'external', body: 'professional-body' },
  ])
  assert.equal(rule.description, null)
  const grid = await s.admin.get('/policy/edit/supervisors')
  const rows = html(grid.body)
    .querySelectorAll('table tbody tr')
    .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
  assert.equal(rows.length, 2)
  assert.match(rows[1]!, /Anyone who is a designated safeguarding lead \(DSL\)/)
  assert.match(rows[1]!, /a designated safeguarding lead \(DSL\) from another school in the trust/)
  assert.match(rows[1]!, /their professional body/)

  // The form shows the rule as saved, and the line manager and a delegate with roles (PL-03) round-trip.
  const edit = await s.admin.get('/policy/edit/supervisors/rules/1')
  const fields = formFields(edit.body)
  assert.deepEqual(fields['supervisors.trust'], 'dsl')
  const delegate = await submitForm(s.admin, '/policy/edit/supervisors/rules/1', {
    'supervisors.more': ['line-manager', 'line-manager-delegate'],
    'supervisors.delegateRoles': ['deputy-dsl'],
  })
  assert.equal(delegate.statusCode, 303)
  const specs = (await draft())!.document.supervisors.rules[1]!.supervisors
  assert.deepEqual(specs.slice(-2), [
    { kind: 'line-manager' },
    { kind: 'line-manager-delegate', roles: ['deputy-dsl'] },
  ])
})

test('MW-06, CA-03: cancellation reasons and the rebooking rule', async () => {
  const unsaid = await submitForm(s.admin, '/policy/edit/cancellation', {
    'cancellation.rebooking.deadline': 'within',
    'cancellation.rebooking.within.amount': '',
  })
  assert.equal(unsaid.statusCode, 400)
  assert.equal(
    textOf(unsaid.body, '#cancellation-rebooking-within-amount-error'),
    'Error: Enter rebook within, as a number',
  )
  const zero = await submitForm(s.admin, '/policy/edit/cancellation', {
    'cancellation.rebooking.deadline': 'within',
    'cancellation.rebooking.within.amount': '0',
    'cancellation.rebooking.within.unit': 'working-days',
  })
  assert.equal(zero.statusCode, 400)
  assert.equal(
    textOf(zero.body, '#cancellation-rebooking-within-amount-error'),
    'Error: The time allowed to rebook must be 1 or more',
  )
  const saved = await submitForm(s.admin, '/policy/edit/cancellation', {
    'cancellation.choices': ['cancellation.exceptionalOnly', 'cancellation.reasonRequired'],
    'cancellation.visibleTo': ['dsl'],
    'cancellation.rebooking.deadline': 'within',
    'cancellation.rebooking.within.amount': '5',
    'cancellation.rebooking.within.unit': 'working-days',
    'cancellation.rebooking.afterAbsence.amount': '5',
    'cancellation.rebooking.afterAbsence.unit': 'working-days',
  })
  assert.equal(saved.statusCode, 303)
  const cancellation = (await draft())!.document.cancellation
  assert.equal(cancellation.exceptionalOnly, true)
  assert.deepEqual(cancellation.visibleTo, ['dsl'])
  assert.deepEqual(cancellation.rebooking, {
    within: { amount: 5, unit: 'working-days' },
    afterAbsence: { amount: 5, unit: 'working-days' },
    sessionTypes: [],
  })

  const added = await submitForm(s.admin, '/policy/edit/cancellation/reasons/new', { name: 'Safeguarding emergency' })
  assert.equal(added.statusCode, 303)
  assert.equal((await draft())!.document.cancellation.reasons[2]!.id, 'safeguarding-emergency')

  // Removing the absence reason: the page warns of what it leaves to fix, then allows it.
  const confirm = await s.admin.get('/policy/edit/cancellation/reasons/0/remove')
  assert.match(confirm.body, /Removing it leaves problems to fix/)
  assert.match(confirm.body, /Add a cancellation reason for staff absence or illness/)
  const removed = await submitForm(s.admin, '/policy/edit/cancellation/reasons/0/remove')
  assert.equal(removed.statusCode, 303)
  assert.equal(removed.headers.location, '/policy/edit/cancellation?saved=1')
  assert.equal((await draft())!.document.cancellation.reasons.length, 2)
  const page = await s.admin.get('/policy/edit/cancellation')
  assert.match(
    textOf(page.body, '#cancellation-rebooking-afterAbsence-error'),
    /Add a cancellation reason for staff absence/,
  )

  // Issue 14: as soon as possible, with a warning after a time; the time allowed is then none.
  const asap = await submitForm(s.admin, '/policy/edit/cancellation', {
    'cancellation.rebooking.deadline': 'as-soon-as-possible',
    'cancellation.rebooking.warnAfter.amount': '10',
    'cancellation.rebooking.warnAfter.unit': 'working-days',
    'cancellation.rebooking.afterAbsence.amount': '',
  })
  assert.equal(asap.statusCode, 303)
  assert.deepEqual((await draft())!.document.cancellation.rebooking, {
    within: null,
    warnAfter: { amount: 10, unit: 'working-days' },
    afterAbsence: null,
    sessionTypes: [],
  })
  const asapPage = await s.admin.get('/policy/edit/cancellation')
  assert.equal(
    html(asapPage.body).querySelector('#cancellation-rebooking-deadline-2')?.hasAttribute('checked'),
    true,
    'as soon as possible is chosen',
  )

  // The policy does not say: there is no rebooking rule.
  const off = await submitForm(s.admin, '/policy/edit/cancellation', {
    'cancellation.rebooking.deadline': 'none',
  })
  assert.equal(off.statusCode, 303)
  assert.equal((await draft())!.document.cancellation.rebooking, null)

  // The last reason cannot go.
  await submitForm(s.admin, '/policy/edit/cancellation/reasons/0/remove')
  const last = await submitForm(s.admin, '/policy/edit/cancellation/reasons/0/remove')
  assert.equal(last.statusCode, 400)
  assert.match(summaryText(last.body), /You cannot remove it: add at least one cancellation reason/)
  assert.equal((await draft())!.document.cancellation.reasons.length, 1)
})

test('LH-09, AM-09: escalation steps in working days, in order, to a person or a role', async () => {
  const early = await submitForm(s.admin, '/policy/edit/escalation/chains/0/steps/new', {
    afterWorkingDays: '5',
    'target.kind': 'supervisors-line-manager',
    action: 'The supervisee raises it with the supervisor’s manager',
  })
  assert.equal(early.statusCode, 400)
  assert.match(
    textOf(early.body, '#afterWorkingDays-error'),
    /Each escalation step must come on or after the step before it/,
  )

  const noRole = await submitForm(s.admin, '/policy/edit/escalation/chains/0/steps/new', {
    afterWorkingDays: '20',
    'target.kind': 'role',
    action: 'The headteacher is told',
  })
  assert.equal(noRole.statusCode, 400)
  assert.equal(textOf(noRole.body, '#target-role-error'), 'Error: Select the role the step goes to')

  const added = await submitForm(s.admin, '/policy/edit/escalation/chains/0/steps/new', {
    afterWorkingDays: '20',
    'target.kind': 'role',
    'target.role': 'headteacher',
    action: 'The headteacher is told',
    repeatEveryWorkingDays: '10',
  })
  assert.equal(added.statusCode, 303)
  assert.equal(added.headers.location, '/policy/edit/escalation/chains/0?saved=1')
  const steps = (await draft())!.document.escalation[0]!.steps
  assert.deepEqual(steps[2], {
    id: 'the-headteacher-is-told',
    afterWorkingDays: 20,
    target: { kind: 'role', role: 'headteacher' },
    action: 'The headteacher is told',
    repeatEveryWorkingDays: 10,
  })
  // A role target changed to "the next manager up" loses its role.
  const changed = await submitForm(s.admin, '/policy/edit/escalation/chains/0/steps/1', {
    'target.kind': 'next-manager-up',
  })
  assert.equal(changed.statusCode, 303)
  assert.deepEqual((await draft())!.document.escalation[0]!.steps[1]!.target, { kind: 'next-manager-up' })
  const chain = await s.admin.get('/policy/edit/escalation/chains/0')
  assert.match(chain.body, /After 20 working days: someone in a particular role|After 20 working days: a headteacher/)
})

test('LH-02, AM-01: a framework with named items; checking coverage needs tagging', async () => {
  const created = await submitForm(s.admin, '/policy/edit/frameworks/frameworks/new', {
    name: 'Five key functions',
    kind: 'functions',
    description: 'Each discussion can be tagged with the functions it served',
    tagSessions: 'tagSessions',
    'coverageLookback.amount': '1',
    'coverageLookback.unit': 'years',
  })
  assert.equal(created.statusCode, 303)
  assert.equal(created.headers.location, '/policy/edit/frameworks/frameworks/0?saved=1', 'its items are added next')
  const page = await s.admin.get('/policy/edit/frameworks/frameworks/0')
  assert.match(textOf(page.body, '#list-items'), /Add at least one framework item/)

  const item = await submitForm(s.admin, '/policy/edit/frameworks/frameworks/0/items/new', {
    name: 'Management oversight and accountability',
    description: 'Decisions about children are overseen and recorded',
    prompts: 'What has happened since we last met?\r\nWhat is the plan?',
  })
  assert.equal(item.statusCode, 303)
  const framework = (await draft())!.document.frameworks[0]!
  assert.equal(framework.id, 'five-key-functions')
  assert.deepEqual(framework.items[0], {
    id: 'management-oversight-and-accountability',
    name: 'Management oversight and accountability',
    description: 'Decisions about children are overseen and recorded',
    prompts: ['What has happened since we last met?', 'What is the plan?'],
    duties: null,
  })
  const untagged = await submitForm(s.admin, '/policy/edit/frameworks/frameworks/0', { tagSessions: null })
  assert.equal(untagged.statusCode, 400)
  assert.match(
    textOf(untagged.body, '.govuk-form-group--error'),
    /Tick “Session discussions can be tagged with its items” to check coverage/,
  )
  const tasks = await s.admin.get('/policy/edit')
  assert.doesNotMatch(tasks.body, /problem to fix/)
})

test('X-08, LH-01: details and review dates', async () => {
  const wrong = await submitForm(s.admin, '/policy/edit/details', {
    'metadata.lastReviewedOn-day': '1',
    'metadata.lastReviewedOn-month': '3',
    'metadata.lastReviewedOn-year': '2026',
    'metadata.nextReviewDue-day': '31',
    'metadata.nextReviewDue-month': '2',
    'metadata.nextReviewDue-year': '2027',
    'metadata.approvedOn-day': '1',
    'metadata.approvedOn-month': '',
    'metadata.approvedOn-year': '',
  })
  assert.equal(wrong.statusCode, 400)
  assert.equal(textOf(wrong.body, '#metadata-approvedOn-error'), 'Error: Date approved must include a month and year')
  assert.equal(textOf(wrong.body, '#metadata-nextReviewDue-error'), 'Error: Next review due must be a real date')
  assert.deepEqual(summaryLinks(wrong.body), ['#metadata-approvedOn-day', '#metadata-nextReviewDue-day'])

  const before = await submitForm(s.admin, '/policy/edit/details', {
    'metadata.lastReviewedOn-day': '1',
    'metadata.lastReviewedOn-month': '3',
    'metadata.lastReviewedOn-year': '2026',
    'metadata.nextReviewDue-day': '1',
    'metadata.nextReviewDue-month': '1',
    'metadata.nextReviewDue-year': '2026',
  })
  assert.equal(before.statusCode, 400)
  assert.match(
    textOf(before.body, '#metadata-nextReviewDue-error'),
    /must be after the date the policy was last reviewed/,
  )

  const noOwner = await submitForm(s.admin, '/policy/edit/details', {
    'metadata.owner.name': '',
    'metadata.owner.role': '',
  })
  assert.equal(noOwner.statusCode, 400)
  assert.match(
    summaryText(noOwner.body),
    /Enter the policy owner’s name, or the role that owns the policy|Enter the policy owner's name/,
  )

  const saved = await submitForm(s.admin, '/policy/edit/details', {
    'metadata.owner.name': 'Dara Singh',
    'metadata.governorCommittee': 'Safeguarding and welfare committee',
    'metadata.approvedBy': 'the full governing body',
    'metadata.lastReviewedOn-day': '1',
    'metadata.lastReviewedOn-month': '3',
    'metadata.lastReviewedOn-year': '2026',
    'metadata.nextReviewDue-day': '1',
    'metadata.nextReviewDue-month': '3',
    'metadata.nextReviewDue-year': '2027',
    notes: 'Termly means once in each of the three terms\n\nThe DSL counts as a line manager',
  })
  assert.equal(saved.statusCode, 303)
  const metadata = (await draft())!.document.metadata
  assert.equal(metadata.governorCommittee, 'Safeguarding and welfare committee')
  assert.equal(metadata.lastReviewedOn, '2026-03-01')
  assert.equal(metadata.nextReviewDue, '2027-03-01')
  assert.equal(metadata.trust, null)
  assert.deepEqual((await draft())!.document.notes, [
    'Termly means once in each of the three terms',
    'The DSL counts as a line manager',
  ])
})

test('X-01: two people editing the draft at once: the second save is refused and nothing is overwritten', async () => {
  const url = '/policy/edit/requirements/items/0'
  // Both open the form before either saves (no draft yet, then again with a draft).
  for (const round of [1, 2]) {
    const theirs = await dsl.get(url)
    const stale = formFields(theirs.body)
    const first = await submitForm(s.admin, url, { 'frequency.every': String(round + 1), 'frequency.unit': 'weeks' })
    assert.equal(first.statusCode, 303)
    const { _csrf, ...fields } = stale
    const second = await dsl.post(
      url,
      { ...fields, 'frequency.every': '9', 'frequency.unit': 'months' },
      {
        csrf: _csrf as string,
      },
    )
    assert.equal(second.statusCode, 409)
    assert.match(
      summaryText(second.body),
      /Someone else changed the draft while you were editing. Your changes have not been saved/,
    )
    assert.equal(
      html(second.body).querySelector('#frequency-every')?.getAttribute('value'),
      String(round + 1),
      'the page shows the draft as it is now',
    )
    const d = (await draft())!
    assert.equal(d.version, round)
    assert.equal(d.document.requirements[0]!.frequency?.every, round + 1)
  }
  // The same for removing and discarding.
  const removePage = await dsl.get('/policy/edit/cancellation/reasons/1/remove')
  await submitForm(s.admin, '/policy/edit/details', { 'metadata.title': 'Changed meanwhile' })
  const staleRemove = formFields(removePage.body)
  const refused = await dsl.post(
    '/policy/edit/cancellation/reasons/1/remove',
    { draftVersion: staleRemove.draftVersion as string },
    { csrf: staleRemove._csrf as string },
  )
  assert.equal(refused.statusCode, 409)
  assert.equal((await draft())!.document.cancellation.reasons.length, 2)
  const discard = await dsl.get('/policy/edit/discard')
  await submitForm(s.admin, '/policy/edit/details', { 'metadata.title': 'Changed again' })
  const staleDiscard = formFields(discard.body)
  const notDiscarded = await dsl.post(
    '/policy/edit/discard',
    { draftVersion: staleDiscard.draftVersion as string },
    { csrf: staleDiscard._csrf as string },
  )
  assert.equal(notDiscarded.statusCode, 409)
  assert.ok(await draft())
})

test('X-01: publishing writes a new version from its effective date, audits it, clears the draft; the summary shows the change', async () => {
  const changed = await submitForm(s.admin, '/policy/edit/requirements/items/0', {
    'frequency.every': '6',
    'frequency.unit': 'weeks',
  })
  assert.equal(changed.statusCode, 303)
  // Before publishing, the page says what changes against the version in force (issue 14).
  const confirm = await s.admin.get('/policy/edit/publish')
  assert.match(textOf(confirm.body, 'main'), /What changes\s+Against version 1, in force from \d+ \w+ \d{4}:/)
  const changes = html(confirm.body)
    .querySelectorAll('[data-changes] li')
    .map((li) => li.textContent.trim())
  assert.deepEqual(changes, ['Frequency of one-to-one supervision: once a term → every 6 weeks'])
  const noDate = await submitForm(s.admin, '/policy/edit/publish')
  assert.equal(noDate.statusCode, 400)
  assert.equal(textOf(noDate.body, '#effectiveFrom-error'), 'Error: Enter the date the new version takes effect')
  const tooEarly = await submitForm(s.admin, '/policy/edit/publish', {
    'effectiveFrom-day': '31',
    'effectiveFrom-month': '8',
    'effectiveFrom-year': String(Number(today.slice(0, 4)) - 1),
  })
  assert.equal(tooEarly.statusCode, 400)
  assert.match(
    textOf(tooEarly.body, '#effectiveFrom-error'),
    /must be on or after 1 September \d{4}, when version 1 took effect/,
  )
  assert.equal(await versionCount(), 1)

  const published = await submitForm(s.admin, '/policy/edit/publish', {
    'effectiveFrom-day': String(Number(today.slice(8))),
    'effectiveFrom-month': String(Number(today.slice(5, 7))),
    'effectiveFrom-year': today.slice(0, 4),
  })
  assert.equal(published.statusCode, 303)
  assert.equal(published.headers.location, '/policy?published=2')
  assert.equal(await draft(), undefined, 'the draft is cleared')
  const version = await s.database.db
    .selectFrom('policy_version')
    .selectAll()
    .where('school_id', '=', s.org.schoolId)
    .where('version', '=', 2)
    .executeTakeFirstOrThrow()
  assert.equal(version.effective_from, today)
  assert.equal(version.created_by, s.org.personId)
  assert.equal((version.document as PolicyDocument).requirements[0]!.frequency?.every, 6)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select(['action', 'detail', 'actor_id'])
    .where('action', '=', 'policy.draft-published')
    .execute()
  assert.deepEqual(audit.at(-1)?.detail, { version: 2, effectiveFrom: today, basedOnVersion: 1 })
  assert.equal(audit.at(-1)?.actor_id, s.org.personId)

  const summary = await s.admin.get('/policy?published=2')
  assert.match(summary.body, /Version 2 has been published/)
  assert.match(summary.body, /at least every 6 weeks/)
  assert.match(textOf(summary.body, '#versions ~ .haven-scroll-region table'), /2.*In force.*1.*Replaced/)
  assert.match((await s.admin.get('/policy/edit/publish')).body, /There are no changes to publish/)
})

test('X-01: a stricter version published to take effect later never changes compliance before that date', async () => {
  const db = s.database.db
  const supervisorId = (
    await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'dara.singh@oakfield.example')
      .executeTakeFirstOrThrow()
  ).id
  const superviseeId = (
    await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'tom.reeve@oakfield.example')
      .executeTakeFirstOrThrow()
  ).id
  const session = await db
    .insertInto('supervision_session')
    .values({ school_id: s.org.schoolId, type_id: 'one-to-one', date: addDays(today, -7), status: 'held' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('session_participant')
    .values([
      { session_id: session.id, person_id: supervisorId, role: 'supervisor', attended: true },
      { session_id: session.id, person_id: superviseeId, role: 'supervisee', attended: true },
    ])
    .execute()
  const later = addDays(today, 45)
  const beforeToday = await schoolCompliance(db, s.org.schoolId, today)
  const beforeLater = await schoolCompliance(db, s.org.schoolId, later)

  const stricter = await submitForm(s.admin, '/policy/edit/requirements/items/0', {
    'frequency.every': '1',
    'frequency.unit': 'weeks',
  })
  assert.equal(stricter.statusCode, 303)
  const effective = addDays(today, 14)
  const published = await submitForm(s.admin, '/policy/edit/publish', {
    'effectiveFrom-day': String(Number(effective.slice(8))),
    'effectiveFrom-month': String(Number(effective.slice(5, 7))),
    'effectiveFrom-year': effective.slice(0, 4),
  })
  assert.equal(published.statusCode, 303)

  assert.deepEqual(
    await schoolCompliance(db, s.org.schoolId, today),
    beforeToday,
    'compliance before the date is unchanged',
  )
  const afterLater = await schoolCompliance(db, s.org.schoolId, later)
  const was = beforeLater.find((r) => r.personId === superviseeId)!
  const now = afterLater.find((r) => r.personId === superviseeId)!
  assert.notDeepEqual(now, was, 'from the date it takes effect, the stricter version applies')
  assert.equal(now.status, 'overdue')

  // The summary still shows the version in force, and says when the next one takes effect.
  const summary = await s.admin.get('/policy')
  assert.match(summary.body, /Version \d+ takes effect on/)
  const json = await s.admin.get('/policy/versions/3.json')
  assert.equal(JSON.parse(json.body).effectiveFrom, effective)
})

test('the editor needs policy.manage; every form needs its CSRF token; pages that do not exist are not found', async () => {
  assert.equal((await headteacher.get('/policy/edit')).statusCode, 403)
  assert.equal((await headteacher.get('/policy/edit/requirements/items/0')).statusCode, 403)
  const page = await s.admin.get('/policy/edit/details')
  const fields = formFields(page.body)
  const refused = await headteacher.post(
    '/policy/edit/details',
    { ...fields, 'metadata.title': 'Hijacked' },
    { formPage: '/policy' },
  )
  assert.equal(refused.statusCode, 403)
  assert.equal((await teacher.get('/policy')).statusCode, 403)
  assert.equal((await teacher.get('/calendar')).statusCode, 403)

  const { _csrf, ...noToken } = fields
  const noCsrf = await s.admin.post(
    '/policy/edit/details',
    { ...noToken, 'metadata.title': 'No token' },
    { csrf: null },
  )
  assert.equal(noCsrf.statusCode, 403)
  const wrongCsrf = await s.admin.post(
    '/policy/edit/details',
    { ...noToken, 'metadata.title': 'No token' },
    { csrf: 'x'.repeat(43) },
  )
  assert.equal(wrongCsrf.statusCode, 403)
  assert.equal(await draft(), undefined)

  for (const url of [
    '/policy/edit/nothing',
    '/policy/edit/requirements/items/99',
    '/policy/edit/requirements/items/x',
    '/policy/edit/requirements/nothing/0',
    '/policy/edit/requirements/items/new/stricter/new',
    '/policy/edit/other/items/0',
    '/policy/edit/requirements/items/0/remove/more',
  ]) {
    assert.equal((await s.admin.get(url)).statusCode, 404, url)
  }
  const signedOut = await s.app.inject({ method: 'GET', url: '/policy/edit' })
  assert.equal(signedOut.statusCode, 302)
  assert.match(signedOut.headers.location as string, /^\/sign-in/)
})

test('discarding the draft; problems that belong to no section are listed on their own page', async () => {
  await submitForm(s.admin, '/policy/edit/details', { 'metadata.title': 'To be thrown away' })
  const confirm = await s.admin.get('/policy/edit/discard')
  assert.match(confirm.body, /Are you sure you want to discard the draft/)
  const discarded = await submitForm(s.admin, '/policy/edit/discard')
  assert.equal(discarded.statusCode, 303)
  assert.equal(discarded.headers.location, '/policy/edit?discarded=1')
  assert.equal(await draft(), undefined)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select('action')
    .where('action', '=', 'policy.draft-discarded')
    .execute()
  assert.equal(audit.length, 1)
  const other = await s.admin.get('/policy/edit/other')
  assert.equal(other.statusCode, 200)
  assert.match(other.body, /Every part of the policy has its own section/)
  assert.match(other.body, /There are none/)
})

test('MW-02: the supervision contract is changed in forms: bad input is named by its field, never a 500; unticked, the policy has none', async () => {
  const blankPage = await s.admin.get('/policy/edit/contract')
  assert.equal(html(blankPage.body).querySelector('#contract-present')?.hasAttribute('checked'), false)
  const bad = await submitForm(s.admin, '/policy/edit/contract', {
    'contract-present': 'yes',
    'contract.issuedAt': 'whenever',
    'contract.reviewEvery.amount': 'a year',
    'contract.reviewEvery.unit': 'years',
    'contract.returnTo': ['dsl', 'no-such-role'],
  })
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, '#contract-issuedAt-error'), 'Error: Select when a contract is issued')
  assert.match(textOf(bad.body, '#contract-reviewEvery-amount-error'), /Amount must be a whole number/)
  assert.deepEqual(summaryLinks(bad.body), ['#contract-issuedAt', '#contract-reviewEvery-amount'])
  assert.equal(await draft(), undefined, 'nothing saved')

  const saved = await submitForm(s.admin, '/policy/edit/contract', {
    'contract-present': 'yes',
    'contract.issuedAt': 'on-entering-scope',
    'contract.returnTo': ['dsl', 'deputy-dsl'],
    'contract.reviewEvery.amount': '1',
    'contract.reviewEvery.unit': 'years',
    'contract.venue': 'A private room',
  })
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, '/policy/edit/contract?saved=1')
  const contract = (await draft())!.document.contract!
  assert.equal(contract.issuedAt, 'on-entering-scope')
  assert.deepEqual(contract.returnTo, ['dsl', 'deputy-dsl'])
  assert.deepEqual(contract.reviewEvery, { amount: 1, unit: 'years' })
  assert.equal(contract.venue, 'A private room')
  assert.deepEqual(contract.signedBy, [], 'nobody ticked as signing')
  const shown = await s.admin.get('/policy/edit/contract')
  assert.equal(html(shown.body).querySelector('#contract-present')?.hasAttribute('checked'), true)

  const none = await submitForm(s.admin, '/policy/edit/contract', { 'contract-present': null })
  assert.equal(none.statusCode, 303)
  assert.equal((await draft())!.document.contract, null)
  const page = await s.admin.get('/policy/edit/contract')
  assert.equal(html(page.body).querySelector('#contract-present')?.hasAttribute('checked'), false)

  // Ticked again with nothing chosen: the fields it needs are named.
  const again = await submitForm(s.admin, '/policy/edit/contract', { 'contract-present': 'yes' })
  assert.equal(again.statusCode, 400)
  assert.match(summaryText(again.body), /Select when a contract is issued/)
})

test('MW-11, CA-09: confidentiality and the route to resolve a disagreement are changed in forms', async () => {
  const blank = await submitForm(s.admin, '/policy/edit/confidentiality', {
    'confidentiality-present': 'yes',
    'confidentiality.summary': '',
  })
  assert.equal(blank.statusCode, 400)
  assert.equal(textOf(blank.body, '#confidentiality-summary-error'), 'Error: Enter what stays confidential')

  const saved = await submitForm(s.admin, '/policy/edit/confidentiality', {
    'confidentiality-present': 'yes',
    'confidentiality.summary': 'What is said stays between the two of you',
    'confidentiality.exceptions': 'A child at risk of harm\r\n\r\nA crime',
  })
  assert.equal(saved.statusCode, 303)
  let d = (await draft())!.document
  assert.equal(d.confidentiality?.summary, 'What is said stays between the two of you')
  assert.deepEqual(d.confidentiality?.exceptions, ['A child at risk of harm', 'A crime'])
  assert.equal(d.disputeResolution, null)

  // A route with no steps is refused by the field; adding a step sets one out.
  const empty = await submitForm(s.admin, '/policy/edit/confidentiality', { 'disputeResolution-present': 'yes' })
  assert.equal(empty.statusCode, 400)
  assert.equal(textOf(empty.body, '#disputeResolution-error'), 'Error: Add at least one dispute resolution step')
  assert.deepEqual(summaryLinks(empty.body), ['#disputeResolution-present'])
  const added = await submitForm(s.admin, '/policy/edit/confidentiality/steps/new', {
    description: 'Both meet the headteacher',
    when: 'when the disagreement is with the DSL',
  })
  assert.equal(added.statusCode, 303)
  d = (await draft())!.document
  assert.deepEqual(d.disputeResolution?.steps, [
    {
      id: 'both-meet-the-headteacher',
      description: 'Both meet the headteacher',
      when: 'when the disagreement is with the DSL',
      whenWithRoles: [],
      meetingWithRole: null,
      meetingWithTeam: null,
      bothPartiesAgree: false,
    },
  ])
  const told = await submitForm(s.admin, '/policy/edit/confidentiality', {
    'disputeResolution.choices': ['disputeResolution.bothPartiesToldInAdvance'],
  })
  assert.equal(told.statusCode, 303)
  assert.equal((await draft())!.document.disputeResolution?.bothPartiesToldInAdvance, true)

  const last = await submitForm(s.admin, '/policy/edit/confidentiality/steps/0/remove')
  assert.equal(last.statusCode, 400)
  assert.match(summaryText(last.body), /You cannot remove it: add at least one dispute resolution step/)
  const off = await submitForm(s.admin, '/policy/edit/confidentiality', { 'disputeResolution-present': null })
  assert.equal(off.statusCode, 303)
  assert.equal((await draft())!.document.disputeResolution, null)
})

test('CA-09, AM-05, MW-10: sharing a record and its reasons, the policy’s confidentiality exceptions, are changed in forms', async () => {
  const page = await s.admin.get('/policy/edit/confidentiality')
  assert.equal(page.statusCode, 200)
  assert.ok(html(page.body).querySelector('input[name="confidentiality.disclosure-present"]'))

  const ticked = await submitForm(s.admin, '/policy/edit/confidentiality', {
    'confidentiality-present': 'yes',
    'confidentiality.summary': 'What is said stays between the two of you',
    'confidentiality.disclosure-present': 'yes',
    'confidentiality.disclosure.to': ['confidentiality.disclosure.toSupervisorsLineManager'],
    'confidentiality.disclosure.toRoles': ['dsl'],
    'confidentiality.disclosure.superviseeTold': 'before',
    'confidentiality.disclosure.noticeDays': '31',
  })
  assert.equal(ticked.statusCode, 400)
  assert.equal(
    textOf(ticked.body, '#confidentiality-disclosure-noticeDays-error'),
    'Error: Days between telling the supervisee and sharing the record must be 30 or fewer',
  )

  const reason = await submitForm(s.admin, '/policy/edit/confidentiality/reasons/new', {
    label: 'A disciplinary matter',
  })
  assert.equal(reason.statusCode, 303)
  const d = (await draft())!.document
  assert.deepEqual(d.confidentiality?.disclosure?.reasons.at(-1), {
    id: 'a-disciplinary-matter',
    label: 'A disciplinary matter',
  })
  const list = await s.admin.get('/policy/edit/confidentiality')
  assert.match(textOf(list.body, 'main'), /Reasons to share a record.*A disciplinary matter/s)
})

test('CA-04, CA-05: requests and standing groups; MW-09, MW-10: records; LH-04, PL-06: practice and further support', async () => {
  const requests = await submitForm(s.admin, '/policy/edit/requests', {
    'requests-present': 'yes',
    'requests.choices': ['requests.anyStaffMayRequest'],
    'requests.topics': 'A concern about a child',
  })
  assert.equal(requests.statusCode, 303)
  assert.deepEqual((await draft())!.document.requests, {
    anyStaffMayRequest: true,
    topics: ['A concern about a child'],
    sessionTypes: [],
    description: null,
  })

  const noLeader = await submitForm(s.admin, '/policy/edit/requests/groups/new', {
    name: 'Pastoral team group',
    description: 'The pastoral team meets with the DSL',
    sessionTypeId: 'made-up',
  })
  assert.equal(noLeader.statusCode, 400)
  assert.equal(textOf(noLeader.body, '#sessionTypeId-error'), 'Error: Select the session type of the group')
  const group = await submitForm(s.admin, '/policy/edit/requests/groups/new', {
    name: 'Pastoral team group',
    description: 'The pastoral team meets with the DSL',
    'ledBy.roles': ['dsl'],
    'frequency.every': '6',
    'frequency.unit': 'weeks',
  })
  assert.equal(group.statusCode, 303, summaryText(group.body))
  const made = (await draft())!.document.standingGroups[0]!
  assert.equal(made.id, 'pastoral-team-group')
  assert.deepEqual(made.ledBy, [{ kind: 'role', role: 'dsl' }])
  assert.equal(made.members, null)
  assert.deepEqual(made.frequency, { every: 6, unit: 'weeks', termTimeOnly: false, wording: null })

  const records = await submitForm(s.admin, '/policy/edit/records', {
    'recording.recordedBy': 'either',
    'recording.headteacherFeedback': 'general-only',
    'childRecord.system': 'CPOMS',
    'childRecord.signOffRole': 'nobody',
  })
  assert.equal(records.statusCode, 400)
  assert.equal(
    textOf(records.body, '#childRecord-signOffRole-error'),
    'Error: Select who signs off decisions entered on a child’s record',
  )
  const recordsSaved = await submitForm(s.admin, '/policy/edit/records', {
    'recording.recordedBy': 'either',
    'recording.headteacherFeedback': 'general-only',
    'childRecord.system': 'CPOMS',
  })
  assert.equal(recordsSaved.statusCode, 303)
  const doc = (await draft())!.document
  assert.equal(doc.recording.recordedBy, 'either')
  assert.equal(doc.childRecord.system, 'CPOMS')

  const support = await submitForm(s.admin, '/policy/edit/practice/further-support/new', {
    name: 'Counselling',
    providedBy: '',
    description: 'Six sessions a year',
  })
  assert.equal(support.statusCode, 400)
  assert.equal(textOf(support.body, '#providedBy-error'), 'Error: Enter who provides the support')
  const practice = await submitForm(s.admin, '/policy/edit/practice', {
    'practice.choices': ['practice.handoverOnLineManagerChange', 'practice.feedbackFromSupervisees'],
    'practice.sessionOutline': 'Actions from last time\nCases\nWellbeing',
  })
  assert.equal(practice.statusCode, 303)
  const p = (await draft())!.document.practice
  assert.equal(p.handoverOnLineManagerChange, true)
  assert.equal(p.workloadMonitored, false)
  assert.deepEqual(p.sessionOutline, ['Actions from last time', 'Cases', 'Wellbeing'])
})

test('X-04: a role of the school’s own is added in forms and can then be chosen wherever roles are', async () => {
  const blank = await submitForm(s.admin, '/policy/edit/details/roles/new', { name: '', description: '' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(summaryLinks(blank.body), ['#name', '#description'])
  const added = await submitForm(s.admin, '/policy/edit/details/roles/new', {
    name: 'Director of Safeguarding',
    description: 'Leads safeguarding across the trust',
  })
  assert.equal(added.statusCode, 303)
  assert.deepEqual((await draft())!.document.customRoles, [
    {
      id: 'director-of-safeguarding',
      name: 'Director of Safeguarding',
      description: 'Leads safeguarding across the trust',
    },
  ])
  const saved = await submitForm(s.admin, '/policy/edit/contract', {
    'contract-present': 'yes',
    'contract.issuedAt': 'start-of-academic-year',
    'contract.returnTo': ['director-of-safeguarding'],
  })
  assert.equal(saved.statusCode, 303)
  assert.deepEqual((await draft())!.document.contract?.returnTo, ['director-of-safeguarding'])
})

test('X-01: a stale form on a new section is refused and nothing is overwritten', async () => {
  const theirs = await dsl.get('/policy/edit/records')
  const stale = formFields(theirs.body)
  const first = await submitForm(s.admin, '/policy/edit/records', { 'childRecord.system': 'CPOMS' })
  assert.equal(first.statusCode, 303)
  const { _csrf, ...fields } = stale
  const second = await dsl.post(
    '/policy/edit/records',
    { ...fields, 'childRecord.system': 'MyConcern' },
    { csrf: _csrf as string },
  )
  assert.equal(second.statusCode, 409)
  assert.match(summaryText(second.body), /Someone else changed the draft while you were editing/)
  assert.equal((await draft())!.document.childRecord.system, 'CPOMS')
})

test('issue 14, X-08: the lead, where the policy comes from and the staff consultation are set in the details; a version cannot take effect before the consultation', async () => {
  const missing = await submitForm(s.admin, '/policy/edit/details', {
    'metadata.consultation-present': 'yes',
    'metadata.consultation.who': '',
  })
  assert.equal(missing.statusCode, 400)
  assert.equal(textOf(missing.body, '#metadata-consultation-who-error'), 'Error: Enter who was consulted')
  assert.equal(
    textOf(missing.body, '#metadata-consultation-consultedOn-error'),
    'Error: Enter the date staff were consulted',
  )
  assert.equal(await draft(), undefined, 'nothing saved')

  const consultedOn = addDays(today, 10)
  const saved = await submitForm(s.admin, '/policy/edit/details', {
    'metadata.owner.kind': 'organisation',
    'metadata.owner.name': 'Northshire Safeguarding Partnership',
    'metadata.owner.role': '',
    'metadata.provenance': 'Based on the partnership’s model, 2023',
    'metadata.consultation-present': 'yes',
    'metadata.consultation.who': 'All staff, at the staff meeting',
    'metadata.consultation.consultedOn-day': String(Number(consultedOn.slice(8))),
    'metadata.consultation.consultedOn-month': String(Number(consultedOn.slice(5, 7))),
    'metadata.consultation.consultedOn-year': consultedOn.slice(0, 4),
    'metadata.lastReviewedBy': 'Jo Adams, DSL',
    'metadata.reviewEvery': '2',
  })
  assert.equal(saved.statusCode, 303)
  const metadata = (await draft())!.document.metadata
  assert.deepEqual(metadata.owner, { kind: 'organisation', name: 'Northshire Safeguarding Partnership', role: null })
  assert.equal(metadata.provenance, 'Based on the partnership’s model, 2023')
  assert.deepEqual(metadata.consultation, { who: 'All staff, at the staff meeting', consultedOn })
  assert.equal(metadata.lastReviewedBy, 'Jo Adams, DSL')
  assert.deepEqual(metadata.reviewEvery, { amount: 2, unit: 'years' })

  const versions = await versionCount()
  const confirm = await s.admin.get('/policy/edit/publish')
  assert.equal(
    textOf(confirm.body, '[data-consultation]'),
    `Staff consulted: All staff, at the staff meeting, on ${formatLongDate(consultedOn)}. The version cannot take effect before that date.`,
  )
  const tooSoon = await submitForm(s.admin, '/policy/edit/publish', {
    'effectiveFrom-day': String(Number(today.slice(8))),
    'effectiveFrom-month': String(Number(today.slice(5, 7))),
    'effectiveFrom-year': today.slice(0, 4),
  })
  assert.equal(tooSoon.statusCode, 400)
  assert.equal(
    textOf(tooSoon.body, '#effectiveFrom-error'),
    `Error: The date it takes effect must be on or after ${formatLongDate(consultedOn)}, when staff were consulted`,
  )
  assert.equal(await versionCount(), versions, 'nothing published')
})

test('issue 14, LH-03: a scope rule for staff in post for less than a year, and a requirement at least 3 times each academic year', async () => {
  const rule = await submitForm(s.admin, '/policy/edit/scope/rules/new', {
    description: 'Staff new to the school, in their first year',
    'who.conditions.0.kind': 'in-post-for-less-than',
    'who.conditions.0.amount': '',
    'who.conditions.0.unit': 'years',
  })
  assert.equal(rule.statusCode, 400)
  assert.equal(
    textOf(rule.body, '#who-conditions-0-error'),
    'Error: Enter how long condition 1 lasts, as a number, like 1',
  )
  assert.deepEqual(summaryLinks(rule.body), ['#who-groups', '#who-conditions-0-kind'])
  const added = await submitForm(s.admin, '/policy/edit/scope/rules/new', {
    description: 'Staff new to the school, in their first year',
    'who.conditions.0.kind': 'in-post-for-less-than',
    'who.conditions.0.amount': '1',
    'who.conditions.0.unit': 'years',
  })
  assert.equal(added.statusCode, 303)
  const rules = (await draft())!.document.scope.rules
  assert.deepEqual(rules.at(-1)!.who.conditions, [
    { kind: 'in-post-for-less-than', duration: { amount: 1, unit: 'years' } },
  ])

  const yearly = await submitForm(s.admin, '/policy/edit/requirements/items/0', {
    'frequency.every': '1',
    'frequency.unit': 'academic-years',
    'frequency.times': '3',
  })
  assert.equal(yearly.statusCode, 303)
  assert.deepEqual((await draft())!.document.requirements[0]!.frequency, {
    every: 1,
    unit: 'academic-years',
    termTimeOnly: false,
    times: 3,
    wording: null,
  })
})
