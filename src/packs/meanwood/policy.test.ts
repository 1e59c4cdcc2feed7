import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { assessCompliance } from '../../domain/compliance/assess.ts'
import { aPerson, aSession, englandCalendar } from '../../domain/compliance/builders.ts'
import type { Person } from '../../domain/people/person.ts'
import { decideScope, maySupervise, policyReview } from '../../domain/policy/index.ts'
import { loadPack } from '../index.ts'

const policy = loadPack('meanwood')
const inScope = (person: Person, today = '2025-09-01') => decideScope(policy, person, today)

describe('Meanwood CE Primary School pack', () => {
  test('MW-01: staff in the EYFS, all trained DSLs, the SENDCO and the Learning Mentor are supervised, identified at the start of each academic year', () => {
    assert.equal(policy.scope.identifiedAt, 'start-of-academic-year')
    assert.deepEqual(inScope(aPerson({ roles: ['eyfs-practitioner'] })).ruleIds, ['mw-eyfs'])
    assert.deepEqual(inScope(aPerson({ roles: ['teaching-assistant'], flags: { worksInEyfs: true } })).ruleIds, [
      'mw-eyfs',
    ])
    assert.deepEqual(inScope(aPerson({ roles: ['deputy-dsl'] })).ruleIds, ['mw-dsl'])
    assert.deepEqual(inScope(aPerson({ roles: ['class-teacher'], flags: { trainedDsl: true } })).ruleIds, ['mw-dsl'])
    assert.deepEqual(inScope(aPerson({ roles: ['senco'] })).ruleIds, ['mw-sendco'])
    assert.deepEqual(inScope(aPerson({ roles: ['learning-mentor'] })).ruleIds, ['mw-learning-mentor'])
    assert.equal(inScope(aPerson({ roles: ['class-teacher'] })).required, false)
    assert.equal(inScope(aPerson({ roles: ['teaching-assistant'] })).required, false)
  })

  test('MW-02: each member of staff in scope gets a contract at the start of the year, signed and returned to the DSL or deputy DSL, reviewed yearly', () => {
    assert.equal(policy.templates.contract, 'mw-contract')
    assert.ok(policy.contract)
    assert.equal(policy.contract.issuedAt, 'start-of-academic-year')
    assert.deepEqual(policy.contract.signedBy, ['supervisee', 'supervisor'])
    assert.deepEqual(policy.contract.returnTo, ['dsl', 'deputy-dsl'])
    assert.deepEqual(policy.contract.reviewEvery, { amount: 1, unit: 'years' })
  })

  test('MW-03: one-to-one supervision by the line manager at least once a term (12 weeks), about an hour; the contract may set every four weeks or half-termly', () => {
    const [requirement] = policy.requirements
    assert.ok(requirement)
    assert.deepEqual(requirement.sessionTypes, ['one-to-one'])
    assert.deepEqual(requirement.frequency, { every: 12, unit: 'weeks', termTimeOnly: true, wording: 'once a term' })
    assert.equal(requirement.expectedMinutes, 60)
    assert.equal(requirement.agreedFrequency.allowed, 'listed')
    assert.deepEqual(
      requirement.agreedFrequency.options.map((o) => [o.every, o.unit]),
      [
        [4, 'weeks'],
        [1, 'half-terms'],
      ],
    )
    const manager = aPerson({ id: 'm', name: 'Manager' })
    const mentor = aPerson({ name: 'Mentor', roles: ['learning-mentor'], lineManagerId: 'm' })
    assert.ok(maySupervise(policy, manager, mentor).allowed)
    assert.equal(maySupervise(policy, aPerson({ name: 'Colleague', roles: ['dsl'] }), mentor).allowed, false)
  })

  test('MW-04: part-time staff are supervised at the same frequency as full-time staff, never pro rata', () => {
    // Not a setting (issue 14): Haven never supervises pro rata, whatever the policy.
    assert.ok(!('partTimeStaff' in policy.scope))
    const people = [
      aPerson({ id: 'f', name: 'Full', roles: ['senco'] }),
      aPerson({ id: 'p', name: 'Part', roles: ['senco'], partTime: true, workingDays: [1, 2] }),
    ]
    const sessions = [aSession('one-to-one', '2025-11-12', ['f', 'p'])]
    const [full, part] = assessCompliance({ policy, calendar: englandCalendar, people, sessions, today: '2025-12-01' })
    assert.equal(part?.nextDue, full?.nextDue)
  })

  test('MW-05: agency and temporary staff are supervised like permanent staff once they have worked in the school for more than 5 weeks', () => {
    assert.deepEqual(policy.scope.qualifyingPeriods[0]?.employmentTypes, ['agency', 'temporary'])
    assert.deepEqual(policy.scope.qualifyingPeriods[0]?.after, { amount: 5, unit: 'weeks' })
    const agency = aPerson({ roles: ['learning-mentor'], employmentType: 'agency', startDate: '2025-09-01' })
    assert.equal(inScope(agency, '2025-10-05').required, false)
    assert.equal(inScope(agency, '2025-10-06').required, true)
    assert.equal(inScope({ ...agency, employmentType: 'fixed-term' }, '2025-09-01').required, true)
  })

  test('MW-06: sessions are cancelled only in exceptional circumstances; a cancellation records its reason and is visible to the DSL', () => {
    assert.equal(policy.cancellation.exceptionalOnly, true)
    assert.equal(policy.cancellation.reasonRequired, true)
    assert.ok(policy.cancellation.reasons.length >= 2)
    assert.deepEqual(policy.cancellation.visibleTo, ['dsl'])
  })

  test('MW-07: targeted improvement sessions are arranged by agreement and can be impromptu', () => {
    const type = policy.sessionTypes.find((t) => t.id === 'targeted-improvement')
    assert.ok(type)
    assert.equal(type.planned, false)
    assert.equal(type.onRequest, true)
    assert.match(type.description, /agreement/)
  })

  test('MW-08: informal and group supervision complement formal one-to-one sessions but do not count as them', () => {
    for (const id of ['informal', 'group', 'targeted-improvement']) {
      assert.equal(policy.sessionTypes.find((t) => t.id === id)?.countsTowardEntitlement, false, id)
      assert.equal(
        policy.requirements.some((r) => r.sessionTypes.includes(id)),
        false,
        id,
      )
    }
  })

  test('MW-09: a Supervision Decision Record is kept for each child or family discussed', () => {
    const record = policy.templates.records.find((r) => r.templateId === 'mw-decision-record')
    assert.ok(record)
    assert.equal(record.perChildOrFamily, true)
  })

  test('MW-10: the EYFS Record of Supervision is used, and only general feedback is shared with the Headteacher', () => {
    assert.ok(policy.templates.records.some((r) => r.templateId === 'mw-eyfs-record'))
    assert.equal(policy.recording.headteacherFeedback, 'general-only')
    assert.deepEqual(policy.recording.signedBy, ['supervisor', 'supervisee'])
  })

  test('MW-11: an unresolved disagreement leads to a meeting with a named third person, both told in advance', () => {
    assert.ok(policy.disputeResolution)
    assert.match(policy.disputeResolution.steps[0]?.description ?? '', /third person/)
    assert.equal(policy.disputeResolution.bothPartiesToldInAdvance, true)
  })

  test('MW-12: case information is recorded on CPOMS, and records may be evidence in a serious case review', () => {
    assert.equal(policy.childRecord.system, 'CPOMS')
    assert.equal(policy.childRecord.caseDiscussionsOnChildRecord, true)
    assert.ok(policy.recording.evidenceUses.some((use) => /serious case review/.test(use)))
    assert.ok(policy.recording.evidenceUses.some((use) => /internal management review/.test(use)))
  })

  test('X-08: the policy has an owner, an approval date and a review date, and its review is overdue', () => {
    assert.equal(policy.metadata.approvedBy, 'Jamie Chapman')
    assert.equal(policy.metadata.approvedOn, '2022-11-01')
    assert.equal(policy.metadata.nextReviewDue, '2023-11-01')
    assert.equal(policyReview(policy, '2025-09-01').state, 'overdue')
  })
})
