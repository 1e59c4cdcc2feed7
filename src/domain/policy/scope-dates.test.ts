/**
 * Conditions that end by themselves (issue 14): flags with their own dates, date-derived selector
 * conditions, and identification at the start of the academic year (MW-01). Tested with invented
 * policies as well as the packs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blankPolicy, loadPack } from '../../packs/index.ts'
import { assessCompliance } from '../compliance/assess.ts'
import { aPerson, aSession, englandCalendar } from '../compliance/builders.ts'
import { flagHolds, type Person } from '../people/person.ts'
import type { PolicyDocument, SelectorCondition, StaffSelector } from './model.ts'
import { decideScope, selectorMatches } from './scope.ts'
import { summarisePolicy } from './summary.ts'
import { validatePolicy } from './validate.ts'
import { describeSelector } from './wording.ts'

const selector = (over: Partial<StaffSelector>): StaffSelector => ({
  everyone: false,
  roles: [],
  flags: [],
  trainedSupervisors: false,
  conditions: [],
  ...over,
})

const firstSixMonths: SelectorCondition = { kind: 'in-post-for-less-than', duration: { amount: 6, unit: 'months' } }
const ectFirstYear: SelectorCondition = {
  kind: 'flag-for-less-than',
  flag: 'early-career',
  duration: { amount: 1, unit: 'years' },
}

describe('issue 14: flags with their own end date', () => {
  test('LH-03: a flag with an end date matches up to and including that day, and no longer after it', () => {
    const person = aPerson({
      flags: { additionalSupport: true },
      flagDates: { additionalSupport: { since: '2025-10-06', until: '2026-01-31' } },
    })
    const stress = selector({ flags: ['additional-support'] })
    assert.equal(selectorMatches(stress, person, '2025-10-05'), false, 'not before it began')
    assert.ok(selectorMatches(stress, person, '2025-10-06'))
    assert.ok(selectorMatches(stress, person, '2026-01-31'))
    assert.equal(selectorMatches(stress, person, '2026-02-01'), false, 'stops by itself')
    assert.equal(flagHolds(person, 'additionalSupport', '2026-02-01'), false)
    // A flag without dates holds for as long as it is set; an unset flag never does.
    assert.ok(selectorMatches(stress, aPerson({ flags: { additionalSupport: true } }), '2040-01-01'))
    assert.equal(
      selectorMatches(
        stress,
        aPerson({ flagDates: { additionalSupport: { since: null, until: null } } }),
        '2026-01-01',
      ),
      false,
    )
  })
})

describe('issue 14: date-derived conditions', () => {
  test('LH-03: "in post for less than 6 months" holds from the start date to the day before 6 months have passed', () => {
    const newStarter = aPerson({ startDate: '2025-09-01' })
    const newlyInPost = selector({ conditions: [firstSixMonths] })
    assert.equal(selectorMatches(newlyInPost, newStarter, '2025-08-31'), false)
    assert.ok(selectorMatches(newlyInPost, newStarter, '2025-09-01'))
    assert.ok(selectorMatches(newlyInPost, newStarter, '2026-02-28'))
    assert.equal(selectorMatches(newlyInPost, newStarter, '2026-03-01'), false)
    // No start date recorded: the condition cannot be worked out, so it does not hold.
    assert.equal(selectorMatches(newlyInPost, aPerson({ startDate: null }), '2025-09-01'), false)
  })

  test('LH-03: "early-career teacher in their first year" counts from the flag\'s own start date', () => {
    const ect = aPerson({
      startDate: '2019-09-01',
      flags: { earlyCareer: true },
      flagDates: { earlyCareer: { since: '2025-09-01', until: null } },
    })
    const firstYearEct = selector({ conditions: [ectFirstYear] })
    assert.ok(selectorMatches(firstYearEct, ect, '2025-09-01'))
    assert.ok(selectorMatches(firstYearEct, ect, '2026-08-31'))
    assert.equal(selectorMatches(firstYearEct, ect, '2026-09-01'), false, 'ends by itself after a year')
    // Without the flag, the dates mean nothing.
    assert.equal(
      selectorMatches(firstYearEct, { ...ect, flags: { ...ect.flags, earlyCareer: false } }, '2025-10-01'),
      false,
    )
    // With no date for the flag, it counts from the start in post.
    const noFlagDate = aPerson({ startDate: '2025-09-01', flags: { earlyCareer: true } })
    assert.ok(selectorMatches(firstYearEct, noFlagDate, '2026-08-31'))
    assert.equal(selectorMatches(firstYearEct, noFlagDate, '2026-09-01'), false)
    // A flag ended early ends the condition early.
    const endedEarly: Person = { ...ect, flagDates: { earlyCareer: { since: '2025-09-01', until: '2025-12-31' } } }
    assert.equal(selectorMatches(firstYearEct, endedEarly, '2026-01-01'), false)
  })

  test('LH-03: a stricter rule on a date-derived condition gives a stricter frequency while it holds, and stops on the right day', () => {
    // An invented policy: termly for all, half-termly for staff in their first 6 months in post.
    const base = blankPolicy({ school: 'Invented Academy', effectiveFrom: '2024-09-01' })
    const requirement = base.requirements[0]!
    const policy: PolicyDocument = {
      ...base,
      requirements: [
        {
          ...requirement,
          stricterFor: [
            {
              id: 'new-staff',
              description: 'Staff new in post',
              who: selector({ conditions: [firstSixMonths] }),
              frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
              maximumGap: null,
            },
          ],
        },
      ],
    }
    assert.ok(validatePolicy(policy).ok, 'the invented policy is valid')
    const howOften = summarisePolicy(policy).sections.find((section) => section.id === 'how-often')
    assert.ok(
      howOften?.paragraphs.includes(
        'This applies to staff in their first 6 months in post, and stops by itself when that time is over.',
      ),
      JSON.stringify(howOften?.paragraphs),
    )
    const newStarter = aPerson({ id: 'n', startDate: '2025-09-01' })
    const assess = (today: string) =>
      assessCompliance({
        policy,
        people: [newStarter],
        today,
        calendar: englandCalendar,
        sessions: [aSession('one-to-one', '2025-09-10', ['n']), aSession('one-to-one', '2025-11-05', ['n'])],
      })[0]!.requirements[0]!
    const november = assess('2025-11-10')
    assert.equal(november.dueSource, 'stricter-rule')
    assert.equal(november.nextDue, '2026-02-13', 'by the end of spring 1')
    assert.equal(assess('2026-02-28').dueSource, 'stricter-rule', 'the last day of the 6 months')
    const march = assess('2026-03-01')
    assert.equal(march.dueSource, 'policy', 'the stricter rule ended with the 6 months')
    assert.equal(march.nextDue, '2026-03-27', 'by the end of the spring term')
  })

  test('LH-03: the Lode Heath stricter rule stops when a stress flag reaches its end date', () => {
    const lodeHeath = loadPack('lode-heath')
    const dsl = aPerson({
      id: 'd',
      roles: ['dsl'],
      flags: { additionalSupport: true },
      flagDates: { additionalSupport: { since: '2025-09-01', until: '2025-11-30' } },
    })
    const sessions = [aSession('one-to-one', '2025-10-20', ['d'])]
    const on = (today: string) =>
      assessCompliance({ policy: lodeHeath, people: [dsl], today, calendar: englandCalendar, sessions })[0]!
        .requirements[0]!
    assert.deepEqual([on('2025-11-30').dueSource, on('2025-11-30').nextDue], ['stricter-rule', '2025-12-19'])
    assert.deepEqual([on('2025-12-01').dueSource, on('2025-12-01').nextDue], ['maximum-gap', '2026-01-20'])
  })

  test('issue 14: conditions are checked by the schema, with errors naming the field, and read in plain words', () => {
    const policy = blankPolicy({ school: 'Invented Academy', effectiveFrom: '2024-09-01' })
    const withConditions = (conditions: unknown) => ({
      ...policy,
      scope: { ...policy.scope, rules: [{ id: 'new', description: 'New staff', who: { conditions } }] },
    })
    const good = validatePolicy(withConditions([firstSixMonths, ectFirstYear]))
    assert.ok(good.ok)
    const bad = validatePolicy(
      withConditions([
        { kind: 'in-post-for-less-than', duration: { amount: 0, unit: 'months' } },
        { kind: 'flag-for-less-than', flag: 'made-up', duration: { amount: 1, unit: 'years' } },
        { kind: 'in-post-for-ages' },
      ]),
    )
    assert.equal(bad.ok, false)
    const problems = bad.ok ? [] : bad.problems.map((p) => `${p.path}: ${p.message}`)
    assert.ok(
      problems.includes(
        'scope.rules[0].who.conditions[0].duration.amount: How long the condition lasts (amount) must be 1 or more',
      ),
      problems.join('\n'),
    )
    assert.ok(
      problems.some((p) => /conditions\[1\]\.flag: The flag of the condition must be/.test(p)),
      problems.join('\n'),
    )
    assert.ok(
      problems.some((p) =>
        p.includes("conditions[2].kind: The kind of condition must be 'in-post-for-less-than' or 'flag-for-less-than'"),
      ),
      problems.join('\n'),
    )
    assert.equal(
      describeSelector(policy, selector({ conditions: [firstSixMonths, ectFirstYear] })),
      'staff in their first 6 months in post or early-career (newly qualified) staff, in the first year from the date that began',
    )
    const summary = summarisePolicy(good.ok ? good.policy : policy)
    const who = summary.sections.find((s) => s.id === 'who')
    assert.ok(
      who?.paragraphs.includes(
        'New staff: this applies to staff in their first 6 months in post or early-career (newly qualified) staff, in the first year from the date that began, and stops by itself when that time is over.',
      ),
      JSON.stringify(who?.paragraphs),
    )
  })
})

describe('MW-01: staff are identified at the start of each academic year', () => {
  const meanwood = loadPack('meanwood')

  test('MW-01: someone who comes to meet a rule during the year comes into scope on the next 1 September', () => {
    const midYear = aPerson({
      startDate: '2018-09-01',
      flags: { worksInEyfs: true },
      flagDates: { worksInEyfs: { since: '2025-11-03', until: null } },
    })
    const december = decideScope(meanwood, midYear, '2025-12-01')
    assert.equal(december.required, false)
    assert.equal(december.inScopeFrom, '2026-09-01')
    assert.match(december.reason, /^Not required until 1 September 2026: meets staff working in the EYFS/)
    assert.match(december.reason, /identifies staff at the start of each academic year/)
    const september = decideScope(meanwood, midYear, '2026-09-01')
    assert.ok(september.required)
    assert.equal(september.inScopeFrom, '2026-09-01')
  })

  test('MW-01: someone identified on 1 September stays in scope for that year; a new starter is identified on their first day', () => {
    const leftEyfs = aPerson({
      startDate: '2018-09-01',
      flags: { worksInEyfs: true },
      flagDates: { worksInEyfs: { since: '2019-09-01', until: '2025-12-31' } },
    })
    assert.ok(decideScope(meanwood, leftEyfs, '2026-03-01').required)
    assert.equal(decideScope(meanwood, leftEyfs, '2026-09-01').required, false)

    const newStarter = aPerson({ startDate: '2026-01-05', flags: { worksInEyfs: true } })
    const decision = decideScope(meanwood, newStarter, '2026-01-05')
    assert.ok(decision.required)
    assert.equal(decision.inScopeFrom, '2026-01-05')
    // Someone whose flag has no dates is taken to have met it all along.
    assert.equal(
      decideScope(meanwood, aPerson({ flags: { worksInEyfs: true } }), '2025-12-01').inScopeFrom,
      '2020-09-01',
    )
  })

  test('MW-01: a policy that identifies staff continuously brings them in on the day they meet a rule', () => {
    const continuously: PolicyDocument = { ...meanwood, scope: { ...meanwood.scope, identifiedAt: 'continuously' } }
    const midYear = aPerson({
      startDate: '2018-09-01',
      flags: { worksInEyfs: true },
      flagDates: { worksInEyfs: { since: '2025-11-03', until: null } },
    })
    const decision = decideScope(continuously, midYear, '2025-12-01')
    assert.ok(decision.required)
    assert.equal(decision.inScopeFrom, '2025-11-03')
    assert.equal(decideScope(continuously, midYear, '2025-11-02').required, false)
  })
})
