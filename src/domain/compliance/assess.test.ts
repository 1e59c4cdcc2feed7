import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import type { AcademicYear, SchoolCalendar } from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import type { PersonOverride, PolicyDocument } from '../policy/model.ts'
import { assessCompliance, type ComplianceInput } from './assess.ts'
import { aCancellation, aPerson, aSession, englandCalendar } from './builders.ts'
import { rebookingDeadline } from './cancellations.ts'
import type { PersonCompliance } from './model.ts'
import { nextDueDate } from './next-due.ts'

const meanwood = loadPack('meanwood')
const lodeHeath = loadPack('lode-heath')
const cornerstone = loadPack('cornerstone')
const ashburyMeadow = loadPack('ashbury-meadow')

function assess(
  input: Partial<ComplianceInput> & Pick<ComplianceInput, 'policy' | 'people' | 'today'>,
): PersonCompliance[] {
  return assessCompliance({ calendar: englandCalendar, sessions: [], ...input })
}

function assessOne(
  policy: ComplianceInput['policy'],
  person: Person,
  today: string,
  extra: Partial<ComplianceInput> = {},
): PersonCompliance {
  const [result] = assess({ policy, people: [person], today, ...extra })
  assert.ok(result)
  return result
}

function requirement(result: PersonCompliance, id: string) {
  const found = result.requirements.find((candidate) => candidate.requirementId === id)
  assert.ok(found, `requirement ${id} is assessed`)
  return found
}

describe('MW: Meanwood', () => {
  test('MW-04: a part-time EYFS practitioner is due on the same date as a full-time one', () => {
    const fullTime = aPerson({ id: 'full', name: 'Full Time', roles: ['eyfs-practitioner'] })
    const partTime = aPerson({
      id: 'part',
      name: 'Part Time',
      roles: ['eyfs-practitioner'],
      partTime: true,
      workingDays: [1, 2, 3],
    })
    const sessions = [aSession('one-to-one', '2025-09-10', ['full']), aSession('one-to-one', '2025-09-10', ['part'])]
    const [a, b] = assess({ policy: meanwood, people: [fullTime, partTime], sessions, today: '2025-10-01' })
    assert.ok(a && b)
    assert.equal(a.nextDue, '2025-12-12')
    assert.equal(b.nextDue, a.nextDue)
    assert.equal(b.status, a.status)
    // And for someone new, never supervised: the same first due date from the same start.
    const newFull = aPerson({ id: 'nf', name: 'New Full', roles: ['eyfs-practitioner'], startDate: '2025-09-01' })
    const newPart = aPerson({ ...newFull, id: 'np', name: 'New Part', partTime: true, workingDays: [4, 5] })
    const [c, d] = assess({ policy: meanwood, people: [newFull, newPart], today: '2025-10-01' })
    assert.ok(c && d)
    assert.equal(c.nextDue, d.nextDue)
  })

  test('MW-05: an agency teaching assistant starting on Monday 1 September 2025 is in scope from Monday 6 October 2025, not before', () => {
    const ta = aPerson({
      id: 'ta',
      name: 'Agency TA',
      roles: ['teaching-assistant'],
      employmentType: 'agency',
      startDate: '2025-09-01',
      flags: { worksInEyfs: true },
    })
    const before = assessOne(meanwood, ta, '2025-10-05')
    assert.equal(before.required, false)
    assert.equal(before.status, 'not-required')
    assert.equal(before.inScopeFrom, '2025-10-06')
    assert.match(before.reason, /Not required until 6 October 2025/)
    assert.match(before.reason, /agency and temporary staff are supervised in the same way/)
    assert.doesNotMatch(before.reason, /mw-/, 'the policy’s words, never a rule’s id')

    const from = assessOne(meanwood, ta, '2025-10-06')
    assert.equal(from.required, true)
    assert.equal(from.inScopeFrom, '2025-10-06')
    assert.match(from.reason, /staff working in the EYFS/)
    assert.match(from.reason, /more than 5 weeks: in scope from 6 October 2025$/)
    assert.doesNotMatch(from.reason, /mw-/)
    // Due 12 weeks of term time after coming into scope (the half-term week does not count).
    assert.equal(from.nextDue, '2026-01-23')
    assert.equal(from.status, 'compliant')

    // Temporary staff the same; a permanent member of staff from day one.
    assert.equal(assessOne(meanwood, { ...ta, employmentType: 'temporary' }, '2025-10-05').required, false)
    assert.equal(assessOne(meanwood, { ...ta, employmentType: 'permanent' }, '2025-09-01').required, true)
  })

  test('MW-08: a group session does not reset a 1:1 due date', () => {
    const person = aPerson({ id: 'p', name: 'Learning Mentor', roles: ['learning-mentor'] })
    const oneToOne = aSession('one-to-one', '2025-09-10', ['p'])
    const withoutGroup = assessOne(meanwood, person, '2025-12-15', { sessions: [oneToOne] })
    const withGroup = assessOne(meanwood, person, '2025-12-15', {
      sessions: [
        oneToOne,
        aSession('group', '2025-12-01', ['p']),
        aSession('informal', '2025-12-02', ['p']),
        aSession('targeted-improvement', '2025-12-03', ['p']),
      ],
    })
    assert.equal(withoutGroup.nextDue, '2025-12-12')
    assert.equal(withGroup.nextDue, '2025-12-12')
    assert.equal(withGroup.lastSession, '2025-09-10')
    assert.equal(withGroup.status, 'overdue')
  })

  test('MW-03: a contract frequency of every four weeks makes the person due sooner, never later', () => {
    const person = aPerson({ id: 'p', name: 'SENDCO', roles: ['senco'] })
    const sessions = [aSession('one-to-one', '2025-09-10', ['p'])]
    const contract: PersonOverride = {
      kind: 'frequency',
      personId: 'p',
      requirementId: 'mw-one-to-one',
      frequency: { every: 4, unit: 'weeks', termTimeOnly: true, wording: null },
      reason: 'Supervision contract 2025-26',
      from: '2025-09-01',
      source: 'contract',
    }
    const plain = assessOne(meanwood, person, '2025-09-20', { sessions })
    const agreed = assessOne(meanwood, person, '2025-09-20', { sessions, overrides: [contract] })
    assert.equal(plain.nextDue, '2025-12-12')
    assert.equal(agreed.nextDue, '2025-10-08')
    assert.equal(requirement(agreed, 'mw-one-to-one').dueSource, 'agreed')
    assert.match(requirement(agreed, 'mw-one-to-one').dueBecause, /as agreed in the supervision contract/)
    // A looser agreement cannot loosen the policy.
    const looser: PersonOverride = {
      ...contract,
      frequency: { every: 2, unit: 'terms', termTimeOnly: false, wording: null },
    }
    assert.equal(assessOne(meanwood, person, '2025-09-20', { sessions, overrides: [looser] }).nextDue, '2025-12-12')
  })
})

describe('LH: Lode Heath', () => {
  const dsl = aPerson({ id: 'dsl', name: 'Dee Dsl', roles: ['dsl'] })

  test('LH-03: never more than 3 months apart, across the summer holiday; an early-career teacher gets the stricter rule', () => {
    const summer = [aSession('one-to-one', '2025-07-01', ['dsl'])]
    // Once a term alone would allow until the end of the autumn term; 3 months runs across the holiday.
    const lateSeptember = assessOne(lodeHeath, dsl, '2025-09-30', { sessions: summer })
    assert.equal(lateSeptember.nextDue, '2025-10-01')
    assert.equal(lateSeptember.status, 'due-soon')
    assert.equal(requirement(lateSeptember, 'lh-safeguarding-supervision').dueSource, 'maximum-gap')

    const october = assessOne(lodeHeath, dsl, '2025-10-02', { sessions: summer })
    assert.equal(october.status, 'overdue')
    const open = october.breaches.find((breach) => breach.kind === 'gap-exceeded')
    assert.ok(open && open.kind === 'gap-exceeded')
    assert.equal(open.from, '2025-07-01')
    assert.equal(open.to, null)
    assert.equal(open.dueBy, '2025-10-01')
    assert.equal(open.limit, 'never more than 3 months apart')

    // A session on 10 October is recorded as a gap of more than 3 months.
    const held = assessOne(lodeHeath, dsl, '2025-10-20', {
      sessions: [...summer, aSession('one-to-one', '2025-10-10', ['dsl'])],
    })
    assert.equal(held.status, 'compliant')
    // 3 months after 10 October is Saturday 10 January: moved to the Friday before (issue 14).
    assert.equal(held.nextDue, '2026-01-09')
    const gap = held.breaches.find((breach) => breach.kind === 'gap-exceeded')
    assert.ok(gap && gap.kind === 'gap-exceeded')
    assert.deepEqual([gap.from, gap.to, gap.dueBy], ['2025-07-01', '2025-10-10', '2025-10-01'])

    // An early-career teacher with casework (brought into scope by name, X-04) is due by the end of
    // the next half term; the DSL with the same session, 3 months later.
    const ect = aPerson({ id: 'ect', name: 'Early Career', roles: ['class-teacher'], flags: { earlyCareer: true } })
    const casework: PersonOverride = {
      kind: 'scope',
      personId: 'ect',
      required: true,
      reason: 'Holds early help casework',
      from: null,
      until: null,
      requirementIds: ['lh-safeguarding-supervision'],
    }
    const sessions = [aSession('one-to-one', '2025-10-20', ['dsl', 'ect'])]
    const results = assess({
      policy: lodeHeath,
      people: [ect, dsl],
      sessions,
      overrides: [casework],
      today: '2025-11-10',
    })
    const ectResult = results.find((result) => result.personId === 'ect')
    const dslResult = results.find((result) => result.personId === 'dsl')
    assert.ok(ectResult && dslResult)
    assert.match(ectResult.reason, /Holds early help casework \(manual override\)/)
    assert.equal(ectResult.nextDue, '2025-12-19')
    assert.equal(requirement(ectResult, 'lh-safeguarding-supervision').dueSource, 'stricter-rule')
    const because = requirement(ectResult, 'lh-safeguarding-supervision').dueBecause
    assert.match(because, /\(stricter rule: staff who are newly qualified or in their probationary period/)
    assert.doesNotMatch(because, /lh-more-frequent/, 'the policy’s words, never a rule’s id')
    assert.equal(dslResult.nextDue, '2026-01-20')
  })

  test('LH-09: unmet entitlement goes to the supervisor, then their manager, then further up', () => {
    const sessions = [aSession('one-to-one', '2025-07-01', ['dsl'])]
    const at = (today: string) => assessOne(lodeHeath, dsl, today, { sessions }).escalations
    assert.deepEqual(at('2025-10-01'), [])
    const first = at('2025-10-02')
    assert.equal(first.length, 1)
    assert.equal(first[0]?.stepId, 'supervisor')
    assert.deepEqual(first[0]?.target, { kind: 'supervisor' })
    assert.equal(first[0]?.since, '2025-10-02')
    // 10 working days after the due date (1 October 2025): 15 October.
    assert.equal(at('2025-10-15')[0]?.stepId, 'supervisors-manager')
    const further = at('2025-11-17')
    assert.equal(further[0]?.stepId, 'further-up')
    assert.deepEqual(further[0]?.target, { kind: 'next-manager-up' })
    // 20 working days after 1 October is 5 November: the half-term week is not working time.
    assert.equal(further[0]?.since, '2025-11-05')
    assert.equal(further[0]?.repeats, 0)
    assert.equal(at('2025-11-19')[0]?.repeats, 1)
  })

  test('LH-02: a key function not covered in the last year is flagged', () => {
    const person = aPerson({ id: 'yh', name: 'Year Head', roles: ['year-head'], startDate: '2020-09-01' })
    const policy: PolicyDocument = { ...lodeHeath, effectiveFrom: '2024-01-01' }
    const sessions = [
      aSession('one-to-one', '2025-03-01', ['yh'], { tags: ['management-oversight', 'voice-of-the-child'] }),
      aSession('one-to-one', '2025-06-01', ['yh'], { tags: ['professional-development'] }),
      aSession('one-to-one', '2024-06-01', ['yh'], { tags: ['personal-support'] }),
    ]
    const result = assessOne(policy, person, '2025-09-01', { sessions })
    assert.equal(result.frameworkGaps.length, 1)
    assert.equal(result.frameworkGaps[0]?.frameworkId, 'lh-five-functions')
    assert.deepEqual(result.frameworkGaps[0]?.itemIds, ['multi-agency-working', 'personal-support'])
    assert.match(result.frameworkGaps[0]?.message ?? '', /last 12 months: multi-agency working and personal support/)
  })

  test('LH-02: a new policy version that keeps the framework does not reset the look-back', () => {
    const person = aPerson({ id: 'yh', name: 'Year Head', roles: ['year-head'], startDate: '2020-09-01' })
    const v1: PolicyDocument = { ...lodeHeath, version: 1, effectiveFrom: '2024-01-01' }
    const v2: PolicyDocument = { ...lodeHeath, version: 2, effectiveFrom: '2025-08-01' }
    const sessions = [aSession('one-to-one', '2025-03-01', ['yh'], { tags: ['management-oversight'] })]
    const kept = assessOne([v1, v2], person, '2025-09-01', { sessions })
    assert.equal(kept.frameworkGaps.length, 1, 'still flagged under the new version')
    // A version that stopped asking for the framework does restart it.
    const dropped: PolicyDocument = {
      ...lodeHeath,
      version: 2,
      effectiveFrom: '2025-02-01',
      frameworks: lodeHeath.frameworks.map((f) => ({ ...f, tagSessions: false })),
    }
    const v3: PolicyDocument = { ...lodeHeath, version: 3, effectiveFrom: '2025-08-01' }
    assert.equal(assessOne([v1, dropped, v3], person, '2025-09-01', { sessions }).frameworkGaps.length, 0)
  })
})

describe('CA: The Cornerstone Academy', () => {
  test('CA-02: half-termly', () => {
    const person = aPerson({
      id: 'p',
      name: 'Pastoral',
      startDate: '2025-09-01',
      flags: { pastoralResponsibilities: true },
    })
    // In scope from the first day of Autumn 1, so due within Autumn 1.
    assert.equal(assessOne(cornerstone, person, '2025-09-02').nextDue, '2025-10-24')
    const autumn1 = [aSession('formal-planned', '2025-09-15', ['p'])]
    const november = assessOne(cornerstone, person, '2025-11-10', { sessions: autumn1 })
    assert.equal(november.nextDue, '2025-12-19')
    assert.equal(november.status, 'compliant')
    assert.match(
      requirement(november, 'ca-half-termly').dueBecause,
      /once each half term: by the end of Autumn 2 2025-26/,
    )
    assert.equal(assessOne(cornerstone, person, '2025-12-10', { sessions: autumn1 }).status, 'due-soon')

    // Autumn 2 passes with only informal supervision: a missed half term.
    const missed = assessOne(cornerstone, person, '2026-01-06', {
      sessions: [...autumn1, aSession('informal-planned', '2025-12-01', ['p'])],
    })
    assert.equal(missed.status, 'overdue')
    const breach = missed.breaches.find((candidate) => candidate.kind === 'period-missed')
    assert.ok(breach && breach.kind === 'period-missed')
    assert.equal(breach.periodId, '2025-26/autumn-2')
    assert.equal(breach.dueBy, '2025-12-19')
    assert.match(breach.message, /none in Autumn 2 2025-26/)

    // One formal session in each half term keeps them compliant all year.
    const everyHalfTerm = ['2025-09-15', '2025-11-20', '2026-01-20', '2026-03-02', '2026-04-20', '2026-06-10'].map(
      (date) => aSession('formal-planned', date, ['p']),
    )
    const endOfYear = assessOne(cornerstone, person, '2026-07-17', { sessions: everyHalfTerm })
    assert.deepEqual(endOfYear.breaches, [])
    assert.equal(endOfYear.nextDue, '2026-10-23')
  })

  test('CA-03: a session cancelled on the Friday before half term must be rebooked within 5 working days counted past the holiday and any bank holiday (breach flagged when missed); and 5 working days after return for absence/illness', () => {
    const person = aPerson({
      id: 'p',
      name: 'Pastoral',
      startDate: '2025-09-01',
      flags: { pastoralResponsibilities: true },
    })
    const fridayBeforeHalfTerm = aCancellation({
      date: '2025-10-24',
      superviseeIds: ['p'],
      reasonId: 'unavoidable-circumstances',
      typeId: 'formal-planned',
    })
    // Half term is 27 to 31 October: the 5 working days are 3 to 7 November.
    assert.equal(rebookingDeadline(cornerstone, englandCalendar, fridayBeforeHalfTerm), '2025-11-07')

    const pending = assessOne(cornerstone, person, '2025-11-07', { cancellations: [fridayBeforeHalfTerm] })
    assert.deepEqual(
      pending.breaches.filter((b) => b.kind === 'rebooking-deadline-missed'),
      [],
    )
    assert.equal(pending.openRebookings[0]?.deadline, '2025-11-07')

    const missed = assessOne(cornerstone, person, '2025-11-10', { cancellations: [fridayBeforeHalfTerm] })
    const breach = missed.breaches.find((b) => b.kind === 'rebooking-deadline-missed')
    assert.ok(breach && breach.kind === 'rebooking-deadline-missed')
    assert.equal(breach.deadline, '2025-11-07')
    assert.equal(breach.rebookedFor, null)
    assert.match(breach.message, /was not rebooked by the deadline of 7 November 2025/)
    assert.equal(missed.escalations[0]?.chainId, 'ca-rebooking')
    assert.deepEqual(missed.escalations[0]?.target, { kind: 'role', role: 'dsl' })

    const inTime = { ...fridayBeforeHalfTerm, rebookedFor: '2025-11-07' }
    assert.deepEqual(
      assessOne(cornerstone, person, '2025-12-01', { cancellations: [inTime] }).breaches.filter(
        (b) => b.kind === 'rebooking-deadline-missed',
      ),
      [],
    )
    const late = { ...fridayBeforeHalfTerm, rebookedFor: '2025-11-10' }
    const lateBreach = assessOne(cornerstone, person, '2025-12-01', { cancellations: [late] }).breaches.find(
      (b) => b.kind === 'rebooking-deadline-missed',
    )
    assert.ok(lateBreach)
    assert.match(lateBreach.message, /rebooked for 10 November 2025, after the deadline of 7 November 2025/)

    // A bank holiday on the first day back is not a working day either: a school that returns from
    // the Easter holiday on Easter Monday (6 April 2026) has until Monday 13 April.
    const easterMondayReturn = calendarWithSpring2EndingAndSummer1Starting('2026-03-20', '2026-04-06')
    const beforeEaster = aCancellation({
      date: '2026-03-20',
      superviseeIds: ['p'],
      reasonId: 'unavoidable-circumstances',
      typeId: 'formal-planned',
    })
    assert.equal(rebookingDeadline(cornerstone, easterMondayReturn, beforeEaster), '2026-04-13')

    // Absence or illness: 5 working days from the day the person returns.
    const illness = aCancellation({
      date: '2025-10-24',
      superviseeIds: ['p'],
      reasonId: 'staff-absence',
      typeId: 'formal-planned',
      returnDate: '2025-11-10',
    })
    assert.equal(rebookingDeadline(cornerstone, englandCalendar, illness), '2025-11-17')
    assert.equal(
      assessOne(cornerstone, person, '2025-11-18', { cancellations: [illness] }).breaches.filter(
        (b) => b.kind === 'rebooking-deadline-missed',
      ).length,
      1,
    )
    // Until the return date is known there is no deadline and no breach, only a reminder.
    const stillOff = { ...illness, returnDate: null }
    assert.equal(rebookingDeadline(cornerstone, englandCalendar, stillOff), null)
    const waiting = assessOne(cornerstone, person, '2026-01-10', { cancellations: [stillOff] })
    assert.equal(waiting.breaches.filter((b) => b.kind === 'rebooking-deadline-missed').length, 0)
    assert.equal(waiting.openRebookings[0]?.deadline, null)

    // The rule is for formal planned sessions only.
    assert.equal(rebookingDeadline(cornerstone, englandCalendar, { ...fridayBeforeHalfTerm, typeId: 'peer' }), null)
  })
})

describe('AM: Ashbury Meadow', () => {
  test('AM-02: group every 6 weeks', () => {
    const dsl = aPerson({ id: 'dsl', name: 'Dee', roles: ['dsl'], startDate: '2025-09-01' })
    const group = (date: string) => aSession('group', date, ['dsl'])
    const september = assessOne(ashburyMeadow, dsl, '2025-10-10', { sessions: [group('2025-09-10')] })
    assert.equal(requirement(september, 'am-group').nextDue, '2025-10-22')
    assert.equal(requirement(september, 'am-group').status, 'due-soon')
    // Six weeks of term time: the October half term does not count.
    const acrossHalfTerm = assessOne(ashburyMeadow, dsl, '2025-11-10', { sessions: [group('2025-10-15')] })
    assert.equal(requirement(acrossHalfTerm, 'am-group').nextDue, '2025-12-05')
    // Nor does the summer holiday.
    const acrossSummer = assessOne(
      { ...ashburyMeadow, effectiveFrom: '2024-09-01' },
      { ...dsl, startDate: '2024-09-01' },
      '2025-08-20',
      {
        sessions: [group('2025-07-10')],
      },
    )
    // Six weeks of term time end on Saturday 4 October; a due date lands on a working day, the
    // Friday before (issue 14).
    assert.equal(requirement(acrossSummer, 'am-group').nextDue, '2025-10-03')
    // A one-to-one counts towards the half-termly contract but not towards group supervision.
    const oneToOne = assessOne(ashburyMeadow, dsl, '2025-11-10', {
      sessions: [group('2025-10-15'), aSession('one-to-one', '2025-11-05', ['dsl'])],
    })
    assert.equal(requirement(oneToOne, 'am-group').lastSession, '2025-10-15')
    assert.equal(requirement(oneToOne, 'am-contract').lastSession, '2025-11-05')
    assert.equal(requirement(oneToOne, 'am-contract').nextDue, '2026-02-13')
    assert.equal(oneToOne.nextDue, '2025-12-05')
  })

  test('AM-09: a DSL not supervised often enough raises it with the supervisor, then the Headteacher', () => {
    const dsl = aPerson({ id: 'dsl', name: 'Dee', roles: ['dsl'], startDate: '2025-09-01' })
    const sessions = [aSession('group', '2025-09-10', ['dsl']), aSession('one-to-one', '2025-11-05', ['dsl'])]
    assert.equal(assessOne(ashburyMeadow, dsl, '2025-10-23', { sessions }).escalations[0]?.stepId, 'supervisor')
    const later = assessOne(ashburyMeadow, dsl, '2025-11-12', { sessions }).escalations[0]
    assert.equal(later?.stepId, 'headteacher')
    assert.deepEqual(later?.target, { kind: 'role', role: 'headteacher' })
  })
})

describe('never supervised, due soon and not required', () => {
  test('a new starter is due one interval after coming into scope, then never supervised', () => {
    const person = aPerson({ id: 'p', name: 'New', roles: ['senco'], startDate: '2025-09-01' })
    const early = assessOne(meanwood, person, '2025-10-01')
    assert.equal(early.status, 'compliant')
    assert.equal(early.lastSession, null)
    assert.equal(early.nextDue, '2025-12-03')
    assert.match(requirement(early, 'mw-one-to-one').dueBecause, /after coming into scope on 1 September 2025/)
    assert.equal(assessOne(meanwood, person, '2025-11-20').status, 'due-soon')
    assert.equal(assessOne(meanwood, person, '2025-12-03').status, 'due-soon')
    const never = assessOne(meanwood, person, '2025-12-04')
    assert.equal(never.status, 'never-supervised')
    assert.equal(never.escalations[0]?.chainId, 'mw-overdue')
    // A session before coming into scope does not move the clock but does count as supervision.
    const agency = { ...person, employmentType: 'agency' as const }
    const before = assessOne(meanwood, agency, '2026-02-01', {
      sessions: [aSession('one-to-one', '2025-09-20', ['p'])],
    })
    assert.equal(before.nextDue, '2026-01-23')
    assert.equal(before.status, 'overdue')
  })

  test('due soon is 14 days by default and configurable', () => {
    const person = aPerson({ id: 'p', name: 'Mentor', roles: ['learning-mentor'] })
    const sessions = [aSession('one-to-one', '2025-09-10', ['p'])]
    assert.equal(assessOne(meanwood, person, '2025-11-27', { sessions }).status, 'compliant')
    assert.equal(assessOne(meanwood, person, '2025-11-28', { sessions }).status, 'due-soon')
    assert.equal(assessOne(meanwood, person, '2025-11-20', { sessions, dueSoonDays: 28 }).status, 'due-soon')
  })

  test('X-04: a manual override takes someone out of scope, or into it, with its reason', () => {
    const mentor = aPerson({ id: 'p', name: 'Mentor', roles: ['learning-mentor'] })
    const out: PersonOverride = {
      kind: 'scope',
      personId: 'p',
      required: false,
      reason: 'On secondment to the local authority until July',
      from: '2025-09-01',
      until: '2026-07-31',
      requirementIds: null,
    }
    const during = assessOne(meanwood, mentor, '2025-10-01', { overrides: [out] })
    assert.equal(during.required, false)
    assert.equal(during.reason, 'Not required: On secondment to the local authority until July (manual override)')
    assert.equal(assessOne(meanwood, mentor, '2026-08-01', { overrides: [out] }).required, true)
  })

  test('people who have left, or not yet started, are not required', () => {
    const left = aPerson({ id: 'l', name: 'Left', roles: ['senco'], endDate: '2025-07-31' })
    const starting = aPerson({ id: 's', name: 'Starting', roles: ['senco'], startDate: '2026-01-05' })
    const [a, b] = assess({ policy: meanwood, people: [left, starting], today: '2025-10-01' })
    assert.match(a?.reason ?? '', /left on 31 July 2025/)
    assert.match(b?.reason ?? '', /starts on 5 January 2026/)
  })

  test('results are sorted by name and two people with one id are refused', () => {
    const people = [aPerson({ id: 'b', name: 'Zoe' }), aPerson({ id: 'a', name: 'Amir' })]
    assert.deepEqual(
      assess({ policy: meanwood, people, today: '2025-10-01' }).map((r) => r.name),
      ['Amir', 'Zoe'],
    )
    assert.throws(
      () => assess({ policy: meanwood, people: [people[0] as Person, people[0] as Person], today: '2025-10-01' }),
      /Two people/,
    )
  })

  test('X-01: before any version of the policy, nobody is required', () => {
    const result = assessOne(meanwood, aPerson({ id: 'p', name: 'Mentor', roles: ['learning-mentor'] }), '2022-10-01')
    assert.equal(result.required, false)
    assert.equal(result.policyVersion, null)
    assert.match(result.reason, /no supervision policy was in force on 1 October 2022/)
  })

  test('X-01: the past is judged by the version in force at the time, the present by the current one', () => {
    const version1: PolicyDocument = {
      ...meanwood,
      version: 1,
      effectiveFrom: '2024-09-01',
      requirements: meanwood.requirements.map((r) => ({
        ...r,
        frequency: { every: 6, unit: 'weeks', termTimeOnly: false, wording: null },
      })),
    }
    const version2: PolicyDocument = { ...meanwood, version: 2, effectiveFrom: '2025-09-01' }
    const person = aPerson({ id: 'p', name: 'Mentor', roles: ['learning-mentor'], startDate: '2020-09-01' })
    // 8 weeks apart in 2024-25: a breach under version 1 (every 6 weeks) ...
    const sessions = [
      aSession('one-to-one', '2024-09-02', ['p']),
      aSession('one-to-one', '2024-10-28', ['p']),
      aSession('one-to-one', '2025-09-10', ['p']),
    ]
    const result = assessOne([version2, version1], person, '2025-10-01', { sessions })
    assert.equal(result.policyVersion, 2)
    const gaps = result.breaches.filter((b) => b.kind === 'gap-exceeded')
    assert.equal(gaps[0]?.kind === 'gap-exceeded' && gaps[0].from, '2024-09-02')
    assert.equal(gaps[0]?.kind === 'gap-exceeded' && gaps[0].limit, 'every 6 weeks')
    // ... while today's due date follows version 2 (12 weeks of term time).
    assert.equal(result.nextDue, '2025-12-12')
    // The clock started with version 1, which carried the same requirement.
    const sameVersionOnly = assessOne(version2, person, '2025-10-01', { sessions: [] })
    const bothVersions = assessOne([version1, version2], person, '2025-10-01', { sessions: [] })
    assert.match(requirement(sameVersionOnly, 'mw-one-to-one').dueBecause, /policy taking effect on 1 September 2025/)
    assert.match(requirement(bothVersions, 'mw-one-to-one').dueBecause, /policy taking effect on 1 September 2024/)
  })
})

describe('nextDueDate', () => {
  test('agrees with the engine, and plans ahead from a planned date', () => {
    const person = aPerson({
      id: 'p',
      name: 'Pastoral',
      startDate: '2025-09-01',
      flags: { pastoralResponsibilities: true },
    })
    const engine = assessOne(cornerstone, person, '2025-11-10', {
      sessions: [aSession('formal-planned', '2025-09-15', ['p'])],
    })
    const next = nextDueDate(cornerstone, englandCalendar, { person, lastSession: '2025-09-15', today: '2025-11-10' })
    assert.equal(next?.date, engine.nextDue)
    assert.equal(next?.requirementId, 'ca-half-termly')
    const following = nextDueDate(cornerstone, englandCalendar, {
      person,
      lastSession: '2025-12-01',
      today: '2025-11-10',
    })
    assert.equal(following?.date, '2026-02-13')
    assert.equal(
      nextDueDate(cornerstone, englandCalendar, {
        person: { ...person, flags: { ...person.flags, pastoralResponsibilities: false } },
        lastSession: null,
        today: '2025-11-10',
      }),
      null,
    )
  })
})

function calendarWithSpring2EndingAndSummer1Starting(spring2End: string, summer1Start: string): SchoolCalendar {
  const years = englandCalendar.years.map((year): AcademicYear => {
    if (year.id !== '2025-26') return year
    return {
      ...year,
      halfTerms: year.halfTerms.map((half) => {
        if (half.id === 'spring-2') return { ...half, end: spring2End }
        if (half.id === 'summer-1') return { ...half, start: summer1Start }
        return half
      }),
    }
  })
  return { ...englandCalendar, years }
}
