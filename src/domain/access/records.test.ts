import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { roleCatalogue } from '../people/roles.ts'
import {
  canAddAddendum,
  canCompleteRecord,
  canOpenRecord,
  canPrepare,
  canWriteRecord,
  type RecordParties,
  type RecordViewer,
  recordRoleOf,
} from './records.ts'

const record: RecordParties = {
  organisationId: 'org',
  schoolId: 'school-a',
  supervisorIds: ['sup'],
  superviseeIds: ['see', 'see-2'],
}
const viewer = (
  personId: string,
  roles: string[],
  schoolId: string | null = 'school-a',
  organisationId = 'org',
): RecordViewer => ({
  personId,
  roles,
  schoolId,
  organisationId,
})

describe('who may open a supervision record', () => {
  test('X-06: the supervisees, the supervisors and the school’s DSL open a record; nobody else', () => {
    assert.equal(recordRoleOf(viewer('sup', ['class-teacher']), record), 'supervisor')
    assert.equal(recordRoleOf(viewer('see', ['class-teacher']), record), 'supervisee')
    assert.equal(recordRoleOf(viewer('see-2', ['teaching-assistant']), record), 'supervisee')
    assert.equal(recordRoleOf(viewer('dsl', ['dsl']), record), 'dsl')
    for (const roles of [
      ['headteacher'],
      ['administrator'],
      ['deputy-dsl'],
      ['associate-headteacher'],
      ['class-teacher'],
      [],
    ]) {
      assert.equal(canOpenRecord(viewer('someone', roles), record), false, roles.join(','))
    }
    assert.equal(canOpenRecord(viewer('dsl', ['dsl'], 'school-b'), record), false, 'the DSL of another school')
    assert.equal(
      canOpenRecord(viewer('dsl', ['dsl'], null), record),
      false,
      'trust-wide staff are not the school’s DSL',
    )
    assert.equal(canOpenRecord(viewer('sup', ['class-teacher'], 'school-a', 'other-org'), record), false)
    assert.equal(canOpenRecord(null, record), false)
  })

  test('X-06: a supervisor from another school of the trust (LH-05) opens the records of sessions they ran', () => {
    assert.equal(recordRoleOf(viewer('sup', ['dsl'], 'school-b'), record), 'supervisor')
  })

  test('X-06: whatever their roles, someone who took no part and is not the school’s DSL never opens it (property)', () => {
    const roleIds = roleCatalogue.map((r) => r.id)
    fc.assert(
      fc.property(fc.subarray(roleIds), fc.constantFrom('school-a', 'school-b', null), (roles, schoolId) => {
        const v = viewer('outsider', roles, schoolId)
        assert.equal(canOpenRecord(v, record), roles.includes('dsl') && schoolId === 'school-a')
      }),
    )
  })

  test('X-05, AM-06: the supervisor writes and completes; the supervisee writes only when the policy says either may', () => {
    const sup = viewer('sup', ['class-teacher'])
    const see = viewer('see', ['class-teacher'])
    const dsl = viewer('dsl', ['dsl'])
    assert.equal(canWriteRecord(sup, record, 'supervisor'), true)
    assert.equal(canWriteRecord(see, record, 'supervisor'), false)
    assert.equal(canWriteRecord(see, record, 'either'), true)
    assert.equal(canWriteRecord(dsl, record, 'either'), false, 'the DSL reads, does not write')
    assert.equal(canCompleteRecord(sup, record), true)
    assert.equal(canCompleteRecord(see, record), false)
    assert.equal(canPrepare(see, record), true)
    assert.equal(canPrepare(sup, record), false)
    assert.equal(canAddAddendum(dsl, record), true)
    assert.equal(canAddAddendum(viewer('x', ['headteacher']), record), false)
  })
})
