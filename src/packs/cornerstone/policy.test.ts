import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { assessCompliance } from '../../domain/compliance/assess.ts'
import { aCancellation, aPerson, englandCalendar } from '../../domain/compliance/builders.ts'
import { rebookingDeadline } from '../../domain/compliance/cancellations.ts'
import { decideScope, type ExternalSupervisor, maySupervise } from '../../domain/policy/index.ts'
import { loadPack } from '../index.ts'

const policy = loadPack('cornerstone')
const types = new Map(policy.sessionTypes.map((type) => [type.id, type]))

describe('The Cornerstone Academy pack', () => {
  test('CA-01: seven types of supervision; issues from unplanned or informal supervision are carried forward to the next formal session', () => {
    assert.deepEqual(
      [...types.keys()],
      ['formal-planned', 'formal-unplanned', 'informal-unplanned', 'informal-planned', 'group', 'peer', 'multi-agency'],
    )
    for (const id of ['formal-unplanned', 'informal-unplanned', 'informal-planned']) {
      assert.equal(types.get(id)?.carriesForwardToNextFormal, true, id)
    }
    assert.deepEqual(
      types.get('multi-agency')?.focuses.map((f) => f.id),
      ['theme-centred', 'case-centred', 'staff-centred'],
    )
    assert.equal(types.get('formal-unplanned')?.formal, true)
    assert.equal(types.get('formal-unplanned')?.planned, false)
  })

  test('CA-02: staff with additional pastoral responsibilities have a formal one-to-one each half term, planned at the start of the year', () => {
    const [requirement] = policy.requirements
    assert.deepEqual(requirement?.sessionTypes, ['formal-planned'])
    assert.deepEqual(requirement?.frequency, { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null })
    assert.equal(requirement?.planning, 'start-of-year')
    assert.ok(decideScope(policy, aPerson({ flags: { pastoralResponsibilities: true } }), '2025-09-01').required)
    assert.equal(decideScope(policy, aPerson({ roles: ['class-teacher'] }), '2025-09-01').required, false)
  })

  test('CA-03: a session that cannot take place is rebooked within 5 working days, or within 5 working days of return after absence; a breach is flagged', () => {
    assert.deepEqual(policy.cancellation.rebooking, {
      within: { amount: 5, unit: 'working-days' },
      afterAbsence: { amount: 5, unit: 'working-days' },
      sessionTypes: ['formal-planned'],
    })
    assert.equal(policy.cancellation.reasons.find((r) => r.id === 'staff-absence')?.absence, true)
    const cancellation = aCancellation({
      date: '2026-02-13',
      superviseeIds: ['p'],
      reasonId: 'unavoidable-circumstances',
      typeId: 'formal-planned',
    })
    // Friday before the February half term: the week of 16 February is a holiday.
    assert.equal(rebookingDeadline(policy, englandCalendar, cancellation), '2026-02-27')
    const person = aPerson({ id: 'p', name: 'Pastoral', flags: { pastoralResponsibilities: true } })
    const [result] = assessCompliance({
      policy,
      calendar: englandCalendar,
      people: [person],
      sessions: [],
      cancellations: [cancellation],
      today: '2026-03-02',
    })
    assert.ok(result?.breaches.some((b) => b.kind === 'rebooking-deadline-missed'))
    assert.equal(policy.escalation[0]?.trigger, 'rebooking-deadline-missed')
  })

  test('CA-04: any member of staff can ask for a supervision meeting at any time, about safeguarding or wellbeing', () => {
    assert.equal(policy.requests?.anyStaffMayRequest, true)
    assert.deepEqual(policy.requests?.topics, ['safeguarding', 'wellbeing'])
  })

  test('CA-05: group supervision for the Student Services and SEND teams with the Education Lead, and tutors with the Headteacher', () => {
    const groups = new Map(policy.standingGroups.map((group) => [group.id, group]))
    assert.deepEqual(groups.get('ca-student-services')?.ledBy, [{ kind: 'role', role: 'education-lead' }])
    assert.deepEqual(groups.get('ca-send-team')?.ledBy, [{ kind: 'role', role: 'education-lead' }])
    assert.deepEqual(groups.get('ca-tutors')?.ledBy, [{ kind: 'role', role: 'headteacher' }])
    assert.deepEqual(groups.get('ca-tutors')?.members?.roles, ['form-tutor'])
    assert.ok(policy.customRoles.some((role) => role.id === 'form-tutor'))
    for (const group of groups.values()) assert.equal(group.sessionTypeId, 'group')
  })

  test('CA-06: the supervisee prepares each case: genogram, first, worst and last incidents, Signs of Safety mapping with EARS and 0 to 10 scales', () => {
    assert.equal(policy.templates.preparation, 'ca-case-proforma')
    const preparation = policy.commitments
      .filter((c) => c.topic === 'preparation')
      .map((c) => c.text)
      .join(' ')
    for (const expected of [
      /genogram/,
      /first, worst and last incidents/,
      /worries, strengths and goals/,
      /EARS/,
      /0 to 10/,
    ]) {
      assert.match(preparation, expected)
    }
    assert.deepEqual(
      policy.frameworks.find((f) => f.id === 'ca-signs-of-safety')?.items.map((i) => i.id),
      ['worries', 'strengths', 'goals'],
    )
  })

  test('CA-07: tasks from the previous meeting come first, then new cases, development or support needs, and welfare', () => {
    assert.deepEqual(policy.practice.sessionOutline, [
      'Tasks from the previous meeting',
      'New cases',
      'Development or support needs',
      'Welfare issues',
    ])
  })

  test('CA-08: the Supervision Record is used for every type of supervision', () => {
    const record = policy.templates.records.find((r) => r.templateId === 'ca-supervision-record')
    assert.ok(record)
    assert.deepEqual(record.sessionTypes, [])
    assert.equal(policy.recording.recordedBy, 'supervisor')
  })

  test('CA-09: records are private but not confidential: they belong to the school and may be shared, with the supervisee’s knowledge', () => {
    assert.match(policy.confidentiality?.summary ?? '', /private but not confidential/)
    assert.match(policy.confidentiality?.sharing ?? '', /always with the supervisee's knowledge/)
    assert.match(policy.confidentiality?.sharing ?? '', /Access to electronic records is controlled/)
  })

  test('CA-10: details of case discussions are recorded on the child’s own record', () => {
    assert.equal(policy.childRecord.caseDiscussionsOnChildRecord, true)
  })

  test('CA-11: supervision is not appraisal or performance management', () => {
    assert.ok(
      policy.commitments.some((c) => c.topic === 'principle' && /not appraisal or performance management/.test(c.text)),
    )
  })

  test('CA-12: external supervisors may supervise: the local authority team for DSLs, the critical incident team in a crisis', () => {
    const localAuthority: ExternalSupervisor = { kind: 'external', body: 'local-authority', name: 'SCiES Team' }
    const criticalIncident: ExternalSupervisor = {
      kind: 'external',
      body: 'critical-incident-team',
      name: 'Cheshire East Critical Incident Team',
    }
    const dsl = aPerson({ name: 'Dee', roles: ['dsl'] })
    const teacher = aPerson({ name: 'Tia', roles: ['class-teacher'] })
    assert.ok(maySupervise(policy, localAuthority, dsl).allowed)
    assert.ok(maySupervise(policy, criticalIncident, teacher).allowed)
    assert.equal(maySupervise(policy, localAuthority, teacher).allowed, false)
    assert.ok(maySupervise(policy, aPerson({ name: 'Clare Holmes', roles: ['education-lead'] }), teacher).allowed)
  })
})
