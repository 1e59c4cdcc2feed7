import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { aPerson } from '../../domain/compliance/builders.ts'
import { decideScope, type ExternalSupervisor, maySupervise } from '../../domain/policy/index.ts'
import { loadPack } from '../index.ts'

const policy = loadPack('ashbury-meadow')

describe('Ashbury Meadow pack', () => {
  test('AM-01: Morrison’s four functions, managerial, developmental, supportive and mediation, tag discussions', () => {
    const framework = policy.frameworks.find((f) => f.id === 'am-morrison-functions')
    assert.ok(framework)
    assert.equal(framework.tagSessions, true)
    assert.deepEqual(
      framework.items.map((item) => item.id),
      ['managerial', 'developmental', 'supportive', 'mediation'],
    )
  })

  test('AM-02: group supervision every 6 weeks; one-to-one on request for immediate case issues; informal sessions after a crisis', () => {
    const group = policy.requirements.find((r) => r.id === 'am-group')
    assert.deepEqual(group?.sessionTypes, ['group'])
    assert.deepEqual(group?.frequency, { every: 6, unit: 'weeks', termTimeOnly: true, wording: 'once every 6 weeks' })
    const types = new Map(policy.sessionTypes.map((type) => [type.id, type]))
    assert.equal(types.get('one-to-one')?.onRequest, true)
    assert.match(types.get('one-to-one')?.description ?? '', /immediate case issues/)
    assert.equal(types.get('informal')?.countsTowardEntitlement, false)
    assert.match(types.get('informal')?.description ?? '', /after a crisis/)
    assert.deepEqual(policy.requests?.sessionTypes, ['one-to-one'])
    assert.ok(decideScope(policy, aPerson({ roles: ['dsl'] }), '2025-09-01').required)
    assert.equal(decideScope(policy, aPerson({ roles: ['class-teacher'] }), '2025-09-01').required, false)
  })

  test('AM-03: cases are reflected on through SENSE, FEEL, THINK and DO, asked as tell me, explain to me, describe to me', () => {
    const cycle = policy.frameworks.find((f) => f.id === 'am-supervision-cycle')
    assert.ok(cycle)
    assert.deepEqual(
      cycle.items.map((item) => item.name),
      ['SENSE', 'FEEL', 'THINK', 'DO'],
    )
    assert.deepEqual(cycle.items[0]?.prompts, ['Tell me', 'Explain to me', 'Describe to me'])
  })

  test('AM-04: the supervisor need not be the line manager (reciprocal or independent), the line manager stays accountable, and the DSL signs off decisions on a child’s record', () => {
    const dsl = aPerson({ id: 'd', name: 'Dee', roles: ['dsl'], lineManagerId: 'h' })
    const head = aPerson({ id: 'h', name: 'Head', roles: ['headteacher'] })
    const deputy = aPerson({ name: 'Deputy', roles: ['deputy-dsl'] })
    const elsewhere = aPerson({ name: 'Reciprocal', roles: ['dsl'], schoolId: 'school-7' })
    const independent: ExternalSupervisor = { kind: 'external', body: 'independent', name: 'Independent supervisor' }
    for (const supervisor of [head, deputy, elsewhere, independent])
      assert.ok(maySupervise(policy, supervisor, dsl).allowed)
    assert.equal(maySupervise(policy, aPerson({ name: 'Teacher', roles: ['class-teacher'] }), dsl).allowed, false)
    assert.match(policy.supervisors.accountability ?? '', /line manager still holds accountability/)
    assert.equal(policy.childRecord.signOffRole, 'dsl')
  })

  test('AM-05: the contract: half-termly, one hour or sooner on request; venue; preparation; cancellation notice; confidentiality and its exceptions; disagreements', () => {
    assert.equal(policy.templates.contract, 'am-contract')
    const contract = policy.requirements.find((r) => r.id === 'am-contract')
    assert.deepEqual(contract?.frequency, { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null })
    assert.equal(contract?.expectedMinutes, 60)
    assert.equal(contract?.agreedFrequency.allowed, 'any')
    assert.match(policy.contract?.venue ?? '', /private and uninterrupted/)
    assert.match(policy.contract?.preparation ?? '', /identifies cases or issues/)
    assert.equal(policy.cancellation.notifyOtherParty, true)
    const exceptions = policy.confidentiality?.exceptions.join(' ') ?? ''
    for (const expected of [
      /Child protection concerns about the supervisee/,
      /disrepute/,
      /disciplinary/,
      /Whistleblowing/,
    ]) {
      assert.match(exceptions, expected)
    }
    const steps = policy.disputeResolution?.steps ?? []
    assert.match(steps[0]?.description ?? '', /local authority .* safeguarding team .* agreement of both parties/)
    assert.match(steps[1]?.when ?? '', /with the Principal/)
    assert.match(steps[1]?.description ?? '', /Chair of the Governing Body/)
  })

  test('AM-06: the supervisor takes and shares the notes, both sign them as accurate, and a summary of actions is completed during or straight after', () => {
    assert.equal(policy.recording.recordedBy, 'supervisor')
    assert.deepEqual(policy.recording.signedBy, ['supervisor', 'supervisee'])
    assert.equal(policy.recording.actionSummaryDuringSession, true)
  })

  test('AM-07: the agenda template is used', () => {
    assert.equal(policy.templates.agenda, 'am-agenda')
  })

  test('AM-08: the notes and action template is used', () => {
    assert.ok(policy.templates.records.some((r) => r.templateId === 'am-notes-actions'))
  })

  test('AM-09: a DSL not supervised often enough raises it with the supervisor, then the Headteacher', () => {
    const chain = policy.escalation.find((c) => c.trigger === 'entitlement-unmet')
    assert.deepEqual(
      chain?.steps.map((s) => s.target),
      [{ kind: 'supervisor' }, { kind: 'role', role: 'headteacher' }],
    )
  })
})
