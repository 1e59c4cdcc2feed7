import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { assessCompliance } from '../../domain/compliance/assess.ts'
import { aPerson, aSession, englandCalendar } from '../../domain/compliance/builders.ts'
import type { Person, PersonFlags } from '../../domain/people/person.ts'
import { decideScope, type ExternalSupervisor, maySupervise } from '../../domain/policy/index.ts'
import { furtherSupportOffered } from '../../domain/policy/practice.ts'
import { flagOnClosing, flagWhileOpen, mayStartFurtherSupport } from '../../domain/wellbeing/further-support.ts'
import { loadPack } from '../index.ts'

const policy = loadPack('lode-heath')
const trained = '2024-09-01'

function staff(name: string, roles: string[], more: Partial<Person> & { flags?: Partial<PersonFlags> } = {}): Person {
  return aPerson({ id: name.toLowerCase().replace(/\s+/g, '-'), name, roles, supervisorTrainedOn: trained, ...more })
}

const dsl = staff('Dee Dsl', ['dsl'])
const deputy = staff('Dan Deputy', ['deputy-dsl'])
const associate = staff('Ava Associate', ['associate-headteacher'])
const head = staff('Hal Head', ['headteacher'])
const yearHead = staff('Yas Year Head', ['year-head'])
const pastoral = staff('Pat Pastoral', ['pastoral-lead'])
const senco = staff('Sam Senco', ['senco'])
const teacher = staff('Tia Teacher', ['class-teacher'], { supervisorTrainedOn: null })
const assistant = staff('Tom Assistant', ['teaching-assistant'], { supervisorTrainedOn: null })
const familyWorker = staff('Fay Family', ['child-family-support-worker'], {
  lineManagerId: 'manny-manager',
  supervisorTrainedOn: null,
})
const specialist = staff('Sol Specialist', ['specialist-support-worker'], {
  lineManagerId: 'manny-manager',
  supervisorTrainedOn: null,
})
const manager = staff('Manny Manager', ['line-manager'])
const otherTrustDsl = staff('Olu Other Dsl', ['dsl'], { schoolId: 'school-2' })
const otherTrustHead = staff('Orla Other Head', ['headteacher'], { schoolId: 'school-2' })
const outsideDsl = staff('Xan Outside Dsl', ['dsl'], { schoolId: 'school-9' })
const professionalBody: ExternalSupervisor = {
  kind: 'external',
  body: 'professional-body',
  name: 'The counselling body',
}
const trust = { trustSchoolIds: ['school-1', 'school-2', 'school-3'] }

function allowed(supervisor: Person | ExternalSupervisor, supervisee: Person): boolean {
  return maySupervise(policy, supervisor, supervisee, trust).allowed
}

describe('Lode Heath School pack', () => {
  test('LH-01: the policy header has its lead, governor committee, last review, annual review frequency and next review date', () => {
    const { metadata } = policy
    assert.equal(metadata.owner.name, 'Mr N Hayfield')
    assert.equal(metadata.governorCommittee, 'BSII Committee')
    assert.equal(metadata.lastReviewedOn, '2025-06-01')
    assert.deepEqual(metadata.reviewEvery, { amount: 1, unit: 'years' })
    assert.equal(metadata.nextReviewDue, '2026-06-01')
    assert.equal(metadata.trust, 'Arden Multi Academy Trust')
  })

  test('LH-02: sessions can be tagged with the five key functions, and one not covered in a year is flagged', () => {
    const framework = policy.frameworks.find((f) => f.id === 'lh-five-functions')
    assert.ok(framework)
    assert.deepEqual(
      framework.items.map((i) => i.id),
      [
        'management-oversight',
        'professional-development',
        'multi-agency-working',
        'voice-of-the-child',
        'personal-support',
      ],
    )
    assert.equal(framework.tagSessions, true)
    assert.deepEqual(framework.coverageLookback, { amount: 12, unit: 'months' })
    const [result] = assessCompliance({
      policy: { ...policy, effectiveFrom: '2024-01-01' },
      calendar: englandCalendar,
      people: [senco],
      sessions: [
        aSession('one-to-one', '2025-05-01', [senco.id], {
          tags: ['management-oversight', 'voice-of-the-child', 'personal-support', 'multi-agency-working'],
        }),
      ],
      today: '2025-07-01',
    })
    assert.deepEqual(result?.frameworkGaps[0]?.itemIds, ['professional-development'])
  })

  test('LH-03: at least once a term and never more than 3 months apart; a higher frequency may be agreed; new, probationary and struggling staff get more', () => {
    const [main] = policy.requirements
    assert.ok(main)
    assert.deepEqual(main.frequency, { every: 1, unit: 'terms', termTimeOnly: false, wording: null })
    assert.deepEqual(main.maximumGap, { amount: 3, unit: 'months' })
    assert.equal(main.agreedFrequency.allowed, 'any')
    const stricter = main.stricterFor[0]
    assert.ok(stricter)
    assert.deepEqual(stricter.who.flags, ['early-career', 'in-probation', 'additional-support'])
    assert.deepEqual(stricter.frequency, { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null })
    const sessions = [aSession('one-to-one', '2025-10-20', [yearHead.id, pastoral.id])]
    const stressed = { ...pastoral, flags: { ...pastoral.flags, additionalSupport: true } }
    const results = assessCompliance({
      policy,
      calendar: englandCalendar,
      people: [yearHead, stressed],
      sessions,
      today: '2025-11-01',
    })
    assert.equal(results.find((r) => r.personId === yearHead.id)?.nextDue, '2026-01-20')
    assert.equal(results.find((r) => r.personId === pastoral.id)?.nextDue, '2025-12-19')
  })

  test('LH-04: a stress risk assessment by the line manager brings the stricter frequency while it is open, and ends it when it closes', () => {
    assert.deepEqual(
      furtherSupportOffered(policy).map((s) => s.id),
      ['stress-risk-assessment', 'occupational-health'],
    )
    // The line manager may start one; a colleague may not, nor the person.
    const subject = { id: pastoral.id, lineManagerId: 'manny-manager', supervisorIds: [] }
    assert.ok(mayStartFurtherSupport({ personId: 'manny-manager', roles: ['year-head'] }, subject))
    assert.equal(mayStartFurtherSupport({ personId: teacher.id, roles: ['class-teacher'] }, subject), false)
    assert.equal(mayStartFurtherSupport({ personId: pastoral.id, roles: ['pastoral-lead'] }, subject), false)

    const sessions = [aSession('one-to-one', '2025-10-20', [pastoral.id])]
    const before = { set: false, since: null, until: null }
    const open = flagWhileOpen(before, '2025-11-03')
    const closed = flagOnClosing(before, '2025-11-03', '2025-11-28', open)
    assert.deepEqual(closed, { since: '2025-11-03', until: '2025-11-28' })
    const nextDue = (period: typeof open, today: string) =>
      assessCompliance({
        policy,
        calendar: englandCalendar,
        people: [
          {
            ...pastoral,
            flags: { ...pastoral.flags, additionalSupport: true },
            flagDates: { additionalSupport: period },
          },
        ],
        sessions,
        today,
      })[0]?.requirements[0]?.dueSource
    assert.equal(nextDue(open, '2025-11-10'), 'stricter-rule')
    assert.equal(nextDue(closed!, '2025-11-28'), 'stricter-rule')
    assert.notEqual(nextDue(closed!, '2025-11-29'), 'stricter-rule')
  })

  test('LH-05: who may supervise whom follows the grid, and a booking outside it is refused with a clear message', () => {
    // DSL: Associate Headteacher (or another Headteacher), deputy DSL, a DSL of another school in the trust.
    assert.ok(allowed(associate, dsl))
    assert.ok(allowed(head, dsl))
    assert.ok(allowed(otherTrustHead, dsl))
    assert.ok(allowed(deputy, dsl))
    assert.ok(allowed(otherTrustDsl, dsl))
    assert.equal(allowed(outsideDsl, dsl), false)
    assert.equal(allowed(yearHead, dsl), false)
    // Deputy DSL: the DSL or the Associate Headteacher.
    assert.ok(allowed(dsl, deputy))
    assert.ok(allowed(associate, deputy))
    assert.equal(allowed(yearHead, deputy), false)
    // Year Heads, Pastoral Leads, SENCO/LAC co-ordinator: DSL, deputy DSL, Associate Headteacher.
    for (const supervisee of [yearHead, pastoral, senco]) {
      assert.ok(allowed(dsl, supervisee))
      assert.ok(allowed(deputy, supervisee))
      assert.ok(allowed(associate, supervisee))
      assert.equal(allowed(head, supervisee), false)
    }
    // Class teachers and teaching assistants: DSL, deputy DSL, Year Heads, Pastoral Leads.
    for (const supervisee of [teacher, assistant]) {
      for (const supervisor of [dsl, deputy, yearHead, pastoral]) assert.ok(allowed(supervisor, supervisee))
      assert.equal(allowed(senco, supervisee), false)
    }
    // Child and family support workers: DSL, deputy DSL, Pastoral Leads, their line manager.
    for (const supervisor of [dsl, deputy, pastoral, manager]) assert.ok(allowed(supervisor, familyWorker))
    assert.equal(allowed(yearHead, familyWorker), false)
    // Other specialist support workers: DSL, Pastoral Leads, line manager, their professional body.
    for (const supervisor of [dsl, pastoral, manager, professionalBody]) assert.ok(allowed(supervisor, specialist))
    assert.equal(allowed(deputy, specialist), false)
    assert.equal(allowed(professionalBody, teacher), false)

    const refused = maySupervise(policy, senco, teacher, trust)
    assert.equal(refused.allowed, false)
    assert.equal(
      !refused.allowed && refused.reason,
      'Sam Senco cannot supervise Tia Teacher under the policy. Class teachers and teaching assistants may be supervised by the DSL, a deputy DSL, a Year Head or a Pastoral Lead. Sam Senco is none of these',
    )
  })

  test('LH-06: planned one-to-one, group and ad hoc supervision; group records its boundary, ad hoc decisions reach the child; neither replaces one-to-one', () => {
    const byId = new Map(policy.sessionTypes.map((t) => [t.id, t]))
    assert.equal(byId.get('one-to-one')?.planned, true)
    assert.equal(byId.get('group')?.recordsConfidentialityBoundary, true)
    assert.equal(byId.get('group')?.group, true)
    assert.equal(byId.get('ad-hoc')?.decisionsToChildRecord, true)
    assert.equal(byId.get('ad-hoc')?.planned, false)
    assert.deepEqual(policy.requirements[0]?.sessionTypes, ['one-to-one'])
    const [result] = assessCompliance({
      policy,
      calendar: englandCalendar,
      people: [yearHead],
      sessions: [
        aSession('one-to-one', '2025-07-01', [yearHead.id]),
        aSession('group', '2025-09-20', [yearHead.id]),
        aSession('ad-hoc', '2025-09-25', [yearHead.id]),
      ],
      today: '2025-10-05',
    })
    const main = result?.requirements.find((r) => r.requirementId === 'lh-safeguarding-supervision')
    assert.equal(main?.lastSession, '2025-07-01')
    assert.equal(main?.status, 'overdue')
  })

  test('LH-07: a handover is arranged and recorded when line management changes', () => {
    assert.equal(policy.practice.handoverOnLineManagerChange, true)
  })

  test('LH-08: supervisors must be trained, and must themselves receive supervision', () => {
    assert.equal(policy.supervisors.trainingRequired, true)
    const untrainedDsl = { ...dsl, supervisorTrainedOn: null }
    const refused = maySupervise(policy, untrainedDsl, teacher, { ...trust, on: '2025-10-01' })
    assert.match(
      !refused.allowed ? refused.reason : '',
      /supervisors must be trained, and no supervisor training is recorded for them by 1 October 2025/,
    )
    assert.ok(maySupervise(policy, dsl, teacher, { ...trust, on: '2025-10-01' }).allowed)
    const decision = decideScope(policy, associate, '2025-10-01')
    assert.ok(decision.required)
    assert.deepEqual(decision.ruleIds, ['lh-supervisors'])
    assert.deepEqual(decision.requirementIds, ['lh-supervisor-supervision'])
    assert.deepEqual(policy.requirements[1]?.sessionTypes, ['one-to-one', 'group'])
  })

  test('LH-09: unmet entitlement is raised with the supervisor, then the supervisor’s manager, then further up until resolved', () => {
    const chain = policy.escalation.find((c) => c.trigger === 'entitlement-unmet')
    assert.ok(chain)
    assert.deepEqual(
      chain.steps.map((s) => s.target.kind),
      ['supervisor', 'supervisors-line-manager', 'next-manager-up'],
    )
    assert.equal(chain.steps[2]?.repeatEveryWorkingDays, 10)
  })

  test('LH-10: a case that is not progressing is escalated through the local safeguarding partnership’s dispute-resolution procedure', () => {
    assert.match(policy.practice.caseEscalationProcedure ?? '', /Solihull LSCB dispute resolution procedure/)
  })

  test('LH-11: the management-oversight prompts are available in the record', () => {
    assert.ok(policy.templates.records.some((r) => r.templateId === 'lh-management-oversight'))
    const prompts = policy.frameworks[0]?.items.flatMap((item) => item.prompts).join('\n') ?? ''
    for (const expected of [
      /plans are adhered to/,
      /plan is not working/,
      /disguised compliance/,
      /Consent is obtained/,
      /Feedback on a referral/,
      /Advice sought/,
      /wishes and feelings/,
      /Diversity and disability/,
    ]) {
      assert.match(prompts, expected)
    }
  })

  test('X-04: class teachers and teaching assistants with casework are brought into scope by name', () => {
    assert.match(policy.scope.manualInclusion ?? '', /Class teachers and teaching assistants/)
    assert.equal(decideScope(policy, teacher, '2025-10-01').required, false)
    const withCasework = decideScope(policy, teacher, '2025-10-01', [
      {
        kind: 'scope',
        personId: teacher.id,
        required: true,
        reason: 'Early help casework',
        from: null,
        until: null,
        requirementIds: null,
      },
    ])
    assert.ok(withCasework.required)
  })
})
