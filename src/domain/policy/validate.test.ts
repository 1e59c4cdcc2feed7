import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import meanwoodJson from '../../packs/meanwood/policy.json' with { type: 'json' }
import { formatPath, type PolicyProblem, validatePolicy } from './validate.ts'

/** Raw JSON, broken in arbitrary places by the tests below. */
// biome-ignore lint/suspicious/noExplicitAny: the tests reach into the raw document at will
type RawJson = Record<string, any>

/** A deep copy of the Meanwood pack as raw JSON, to break in each test. */
function meanwood(): RawJson {
  return structuredClone(meanwoodJson) as RawJson
}

function problemsOf(json: unknown): PolicyProblem[] {
  const result = validatePolicy(json)
  assert.equal(result.ok, false, 'expected the document to be invalid')
  return result.ok ? [] : result.problems
}

function hasProblem(problems: readonly PolicyProblem[], path: string, message: RegExp): void {
  const found = problems.some((problem) => problem.path === path && message.test(problem.message))
  assert.ok(found, `expected a problem at ${path} matching ${message}; got\n${JSON.stringify(problems, null, 2)}`)
}

describe('X-01: validatePolicy', () => {
  test('X-01: a valid document comes back with its defaults filled in', () => {
    const result = validatePolicy(meanwood())
    assert.ok(result.ok)
    assert.equal(result.policy.sessionTypes[0]?.onRequest, false)
    assert.deepEqual(result.policy.customRoles, [])
    assert.equal(result.policy.requirements[0]?.planning, 'rolling')
  })

  test('issue 14: a document that still states the removed partTimeStaff setting is read without it', () => {
    const old = meanwood()
    old['scope']['partTimeStaff'] = 'same-frequency'
    const result = validatePolicy(old)
    assert.ok(result.ok)
    assert.ok(!('partTimeStaff' in result.policy.scope))
    old['scope']['partTimeStaff'] = 'pro-rata'
    hasProblem(problemsOf(old), 'scope.partTimeStaff', /Remove 'partTimeStaff'/)
  })

  test('X-01: lists every problem at once, each with its JSON path, in GOV.UK wording', () => {
    const doc = meanwood()
    delete doc.metadata.title
    doc.effectiveFrom = '2025-02-30'
    doc.requirements[0].frequency.every = 0
    doc.requirements[0].frequency.unit = 'fortnights'
    doc.requirements[0].sessionTypes = ['one-to-one', 'grup', 'group']
    doc.requirements[0].frequncy = 'typo'
    doc.scope.rules[1].who.roles = ['dsl', 'tutor']
    doc.sessionTypes.push({ ...doc.sessionTypes[0] })
    doc.cancellation.reasons[0].absence = 'yes'
    doc.supervisors.rules[0].supervisors.push({ kind: 'somebody' })
    const problems = problemsOf(doc)
    hasProblem(problems, 'metadata.title', /^Enter the policy title$/)
    hasProblem(problems, 'effectiveFrom', /must be a real date in the format YYYY-MM-DD/)
    hasProblem(problems, 'requirements[0].frequency.every', /must be 1 or more/)
    hasProblem(
      problems,
      'requirements[0].frequency.unit',
      /must be 'weeks', 'months', 'half-terms', 'terms' or 'academic-years'/,
    )
    hasProblem(problems, 'requirements[0].frequncy', /Remove 'frequncy'/)
    hasProblem(problems, 'requirements[0].sessionTypes[1]', /There is no session type 'grup'/)
    hasProblem(problems, 'requirements[0].sessionTypes[2]', /'group' does not count towards the entitlement/)
    hasProblem(problems, 'scope.rules[1].who.roles[1]', /There is no role 'tutor'.*customRoles/)
    hasProblem(problems, 'sessionTypes[4].id', /The session type id 'one-to-one' is used more than once/)
    hasProblem(problems, 'cancellation.reasons[0].absence', /must be true or false/)
    hasProblem(
      problems,
      'supervisors.rules[0].supervisors[1].kind',
      /The kind of supervisor must be 'role', 'line-manager'/,
    )
    assert.ok(problems.length >= 11)
    for (const problem of problems) assert.doesNotMatch(problem.message, /Invalid input|expected/)
  })

  test('X-03: a role declared as a custom role may be used; a custom role may not reuse a built-in id', () => {
    const doc = meanwood()
    doc.scope.rules[1].who.roles = ['dsl', 'tutor']
    doc.customRoles = [{ id: 'tutor', name: 'Form tutor', description: 'Takes a tutor group.' }]
    assert.ok(validatePolicy(doc).ok)
    doc.customRoles.push({ id: 'dsl', name: 'Our DSL', description: 'Ours.' })
    hasProblem(problemsOf(doc), 'customRoles[1].id', /'dsl' is already a built-in role/)
  })

  test('X-01: cross-references are checked across the document', () => {
    const doc = meanwood()
    doc.requirements[0].scopeRules = ['mw-nobody']
    doc.requirements.push({ ...structuredClone(doc.requirements[0]), scopeRules: [] })
    doc.requirements[0].frequency.unit = 'terms'
    doc.requirements[0].frequency.termTimeOnly = true
    doc.templates.records[0].sessionTypes = ['lunch']
    doc.escalation[0].steps.push(
      { id: 'later', afterWorkingDays: 10, target: { kind: 'supervisor' }, action: 'Remind' },
      { id: 'sooner', afterWorkingDays: 5, target: { kind: 'role', role: 'caretaker' }, action: 'Tell' },
    )
    doc.cancellation.rebooking = {
      within: { amount: 0, unit: 'working-days' },
      afterAbsence: { amount: 5, unit: 'working-days' },
    }
    doc.cancellation.reasons = [{ id: 'other', name: 'Other', absence: false }]
    doc.scope.rules[2].who = {}
    const problems = problemsOf(doc)
    hasProblem(problems, 'requirements[0].scopeRules[0]', /There is no scope rule 'mw-nobody'/)
    hasProblem(problems, 'requirements[1].id', /The requirement id 'mw-one-to-one' is used more than once/)
    hasProblem(
      problems,
      'requirements[0].frequency.termTimeOnly',
      /Only a frequency in weeks or months can count term time only/,
    )
    hasProblem(problems, 'templates.records[0].sessionTypes[0]', /There is no session type 'lunch'/)
    hasProblem(problems, 'escalation[0].steps[2].afterWorkingDays', /must come on or after the step before it/)
    hasProblem(problems, 'escalation[0].steps[2].target.role', /There is no role 'caretaker'/)
    hasProblem(problems, 'cancellation.rebooking.within.amount', /The time allowed to rebook must be 1 or more/)
    hasProblem(
      problems,
      'cancellation.rebooking.afterAbsence',
      /Add a cancellation reason for staff absence or illness/,
    )
    hasProblem(problems, 'scope.rules[2].who', /Say who this applies to/)
  })

  test('X-08: a policy needs an owner, and its next review must come after its last one', () => {
    const doc = meanwood()
    doc.metadata.owner = { name: null, role: null }
    doc.metadata.nextReviewDue = '2022-01-01'
    const problems = problemsOf(doc)
    hasProblem(problems, 'metadata.owner', /Enter the policy owner's name, or the role/)
    hasProblem(problems, 'metadata.nextReviewDue', /must be after the date the policy was last reviewed/)
  })

  test('X-01: a requirement needs a frequency unless one may be agreed per person', () => {
    const doc = meanwood()
    doc.requirements[0].frequency = null
    doc.requirements[0].agreedFrequency = { allowed: 'none' }
    hasProblem(problemsOf(doc), 'requirements[0].frequency', /Enter how often sessions must happen/)
    doc.requirements[0].agreedFrequency = { allowed: 'any' }
    assert.ok(validatePolicy(doc).ok)
  })

  test('X-01: anything that is not a policy document is refused with a message, not an exception', () => {
    hasProblem(problemsOf(null), '', /must be a set of named fields/)
    hasProblem(problemsOf([]), '', /must be a set of named fields/)
    const problems = problemsOf({})
    hasProblem(problems, 'metadata', /^Enter the policy details$/)
    hasProblem(problems, 'sessionTypes', /^Enter the session types/)
  })

  test('X-01: a $schema key for editors is allowed', () => {
    assert.ok(validatePolicy({ $schema: './policy.schema.json', ...meanwood() }).ok)
  })

  test('formatPath writes array indexes in brackets', () => {
    assert.equal(formatPath(['requirements', 1, 'frequency', 'every']), 'requirements[1].frequency.every')
    assert.equal(formatPath([]), '')
  })
})
