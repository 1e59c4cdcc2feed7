import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { assessCompliance } from '../../domain/compliance/assess.ts'
import { aPerson, aSession, englandCalendar } from '../../domain/compliance/builders.ts'
import { decideScope, maySupervise, untrainedSupervisorCheck } from '../../domain/policy/index.ts'
import { developmentNeedsOf } from '../../domain/wellbeing/development-plan.ts'
import { feedbackRoundFor, questionnaireOf, summariseFeedback } from '../../domain/wellbeing/supervision-feedback.ts'
import { loadPack } from '../index.ts'
import { templateById } from '../templates.ts'

const policy = loadPack('the-place')

describe('The PLACE Independent School pack', () => {
  test('PL-01: four key principles, each with duties for the supervisee, the supervisor and management; discussions can be tagged with them', () => {
    const framework = policy.frameworks.find((f) => f.id === 'pl-key-principles')
    assert.ok(framework)
    assert.equal(framework.kind, 'principles')
    assert.equal(framework.tagSessions, true)
    assert.deepEqual(
      framework.items.map((item) => item.id),
      ['better-outcomes', 'accountable-practice', 'roles-and-responsibilities', 'development-and-improvement'],
    )
    for (const item of framework.items) {
      assert.ok(item.duties, item.id)
      assert.ok(
        item.duties.supervisee.length > 0 && item.duties.supervisor.length > 0 && item.duties.management.length > 0,
      )
    }
  })

  test('PL-02: three models, one-to-one (formal, prearranged, contracted, with PMR), group consultation and shared supervision; staff may take part in more than one', () => {
    const types = new Map(policy.sessionTypes.map((type) => [type.id, type]))
    assert.deepEqual([...types.keys()], ['one-to-one', 'group-consultation', 'shared-supervision'])
    assert.equal(types.get('one-to-one')?.formal, true)
    assert.equal(types.get('one-to-one')?.planned, true)
    assert.match(types.get('one-to-one')?.description ?? '', /contracted.*performance management and review/)
    assert.equal(types.get('group-consultation')?.group, true)
    assert.deepEqual(policy.requirements[0]?.sessionTypes, ['one-to-one'])
    assert.ok(policy.commitments.some((c) => /more than one model/.test(c.text)))
    assert.ok(decideScope(policy, aPerson({ roles: ['teaching-assistant'] }), '2025-09-01').required)
    // No minimum frequency is set: it is whatever each person's contract agrees.
    assert.equal(policy.requirements[0]?.frequency, null)
    const person = aPerson({ id: 'p', name: 'Staff', startDate: '2025-09-01' })
    const sessions = [aSession('one-to-one', '2025-09-15', ['p'])]
    const run = (overrides = [] as Parameters<typeof assessCompliance>[0]['overrides']) =>
      assessCompliance({
        policy,
        calendar: englandCalendar,
        people: [person],
        sessions,
        overrides,
        today: '2025-12-01',
      })[0]
    assert.equal(run()?.status, 'compliant')
    assert.equal(run()?.nextDue, null)
    const contracted = run([
      {
        kind: 'frequency',
        personId: 'p',
        requirementId: null,
        frequency: { every: 6, unit: 'weeks', termTimeOnly: true, wording: null },
        reason: 'Supervision contract',
        from: '2025-09-01',
        source: 'contract',
      },
    ])
    assert.equal(contracted?.nextDue, '2025-11-05')
    assert.equal(contracted?.status, 'overdue')
  })

  test('PL-03: the supervisor is the line manager, or a senior team member they delegate to', () => {
    const manager = aPerson({ id: 'm', name: 'Manager', supervisorTrainedOn: '2024-01-01' })
    const senior = aPerson({
      id: 's',
      name: 'Senior',
      roles: ['senior-team-member'],
      supervisorTrainedOn: '2024-01-01',
    })
    const staff = aPerson({ id: 'x', name: 'Staff', lineManagerId: 'm' })
    assert.ok(maySupervise(policy, manager, staff).allowed)
    assert.equal(maySupervise(policy, senior, staff).allowed, false)
    const delegated = maySupervise(policy, senior, staff, {
      delegations: [{ fromId: 'm', toId: 's', superviseeId: null }],
    })
    assert.ok(delegated.allowed)
    assert.equal(delegated.rule.via.kind, 'line-manager-delegate')
    // Delegation is for senior team members only.
    const colleague = aPerson({ id: 'c', name: 'Colleague', supervisorTrainedOn: '2024-01-01' })
    assert.equal(
      maySupervise(policy, colleague, staff, { delegations: [{ fromId: 'm', toId: 'c', superviseeId: null }] }).allowed,
      false,
    )
  })

  test('PL-04: consultations about a young person are placed on that young person’s file', () => {
    assert.equal(policy.childRecord.caseDiscussionsOnChildRecord, true)
    assert.ok(policy.commitments.some((c) => /young person's file/.test(c.text)))
  })

  test('PL-05: every supervisor is trained in reflective practice and professional supervision', () => {
    assert.equal(policy.supervisors.trainingRequired, true)
    assert.match(policy.supervisors.trainingDescription ?? '', /reflective practice and professional supervision/)
    // "Will receive training": a supervisor with none recorded is allowed, with a warning (PL-05).
    const untrained = aPerson({ id: 'm', name: 'Manager' })
    assert.equal(policy.supervisors.onUntrained, 'warn')
    assert.equal(maySupervise(policy, untrained, aPerson({ name: 'Staff', lineManagerId: 'm' })).allowed, true)
    assert.equal(untrainedSupervisorCheck(policy, untrained, '2026-01-05')?.action, 'warn')
  })

  test('PL-06: management seeks supervisees’ views on their supervision and watches that workload does not exceed capacity', () => {
    // Asked after each signed session; five answers with 1 or 2 on workload from 3 people flag it.
    const questionnaire = questionnaireOf(policy)!
    assert.equal(feedbackRoundFor(questionnaire, { id: 's', date: '2026-10-05' }, englandCalendar)?.key, 'session:s')
    const answers = (workload: number) =>
      Object.fromEntries(
        questionnaire.questions.map((q) => [q.id, q.id === questionnaire.workloadQuestion ? workload : 4]),
      )
    const responses = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
      respondentId: id,
      supervisorId: 'm',
      answeredOn: '2026-10-06',
      answers: answers(i < 3 ? 2 : 4),
      comment: null,
    }))
    const summary = summariseFeedback(questionnaire, responses, {
      from: '2026-09-01',
      to: '2027-08-31',
      workloadMonitored: policy.practice.workloadMonitored,
    })
    assert.equal(summary.school.shown, true)
    assert.deepEqual(summary.school.workload, { watched: true, exceeding: 3, flagged: true })
  })

  test('PL-07: learning and development needs found in supervision feed professional development planning', () => {
    // The policy's setting turns the record's learning needs into development plan items.
    const values = {
      learningNeeds: [{ need: 'Restorative practice', activity: 'County course', byWhen: '2026-03-01' }],
    }
    const record = templateById('pl-supervision-record')!
    assert.deepEqual(
      developmentNeedsOf(record, values, policy.practice.developmentNeedsFeedPlanning).map((n) => [n.need, n.dueOn]),
      [['Restorative practice', '2026-03-01']],
    )
  })
})
