import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { mayLeadGroup, standingGroups } from './groups.ts'
import { mayAskForSupervision, unplannedTypes } from './session-types.ts'

const cornerstone = loadPack('cornerstone')
const today = '2027-01-11'

const lead = aPerson({ id: 'lead', name: 'Esme Lead', roles: ['education-lead'] })
const head = aPerson({ id: 'head', name: 'Hugh Head', roles: ['headteacher'] })
const tutorA = aPerson({ id: 'ta', name: 'Tia Tutor', roles: ['form-tutor'] })
const tutorB = aPerson({ id: 'tb', name: 'Abe Tutor', roles: ['form-tutor'] })
const gone = aPerson({ id: 'gone', name: 'Gil Gone', roles: ['form-tutor'], endDate: '2026-07-31' })
const staff = [lead, head, tutorA, tutorB, gone]

describe('standing groups', () => {
  test('CA-05: the Cornerstone groups, each with who leads it and who is in it among the staff', () => {
    const groups = standingGroups(cornerstone, staff, today)
    assert.deepEqual(
      groups.map((g) => [g.name, g.leaders.map((p) => p.name), g.members?.map((p) => p.name) ?? null]),
      [
        ['Student Services Team', ['Esme Lead'], null],
        ['SEND Team', ['Esme Lead'], null],
        ['Tutors', ['Hugh Head'], ['Abe Tutor', 'Tia Tutor']],
      ],
    )
    assert.equal(groups[2]?.ledBy, 'a headteacher or principal')
    assert.equal(groups[2]?.typeId, 'group')
  })

  test('CA-05: an invented group that meets every 6 weeks, led by any member of staff, for everyone in the EYFS', () => {
    const policy: PolicyDocument = {
      ...cornerstone,
      standingGroups: [
        {
          id: 'eyfs',
          name: 'Early years team',
          description: 'Everyone who works in the early years',
          sessionTypeId: 'peer',
          ledBy: [{ kind: 'any-staff' }],
          members: { everyone: false, roles: [], flags: ['works-in-eyfs'], trainedSupervisors: false, conditions: [] },
          frequency: { every: 6, unit: 'weeks', termTimeOnly: true, wording: null },
        },
      ],
    }
    const eyfs = aPerson({ id: 'e', name: 'Eve Early', flags: { worksInEyfs: true } })
    const [group] = standingGroups(policy, [...staff, eyfs], today)
    assert.equal(group?.frequency, 'at least every 6 weeks of term time')
    assert.equal(group?.typeName, 'Peer supervision')
    assert.ok(mayLeadGroup(policy.standingGroups[0]!, tutorA))
    assert.deepEqual(group?.leaders, [])
    assert.deepEqual(
      group?.members?.map((p) => p.name),
      ['Eve Early'],
    )
  })

  test('a policy with no groups has none', () => {
    assert.deepEqual(standingGroups(loadPack('meanwood'), staff, today), [])
    assert.deepEqual(standingGroups(null, staff, today), [])
  })
})

describe('requests and carried-forward issues', () => {
  test('CA-04: any member of staff may ask under Cornerstone; under Ashbury Meadow only those with a supervisor', () => {
    assert.equal(mayAskForSupervision(cornerstone, false), true)
    const ashbury = loadPack('ashbury-meadow')
    assert.equal(ashbury.requests?.anyStaffMayRequest, false)
    assert.equal(mayAskForSupervision(ashbury, false), false)
    assert.equal(mayAskForSupervision(ashbury, true), true)
    assert.equal(
      mayAskForSupervision(loadPack('meanwood'), false),
      true,
      'a policy silent on requests lets everyone ask',
    )
  })

  test('CA-01: issues raised in any type the policy carries forward can be recorded, the planned drop-in too', () => {
    assert.deepEqual(
      unplannedTypes(cornerstone).map((t) => t.id),
      ['formal-unplanned', 'informal-unplanned', 'informal-planned'],
    )
    const invented: PolicyDocument = {
      ...cornerstone,
      sessionTypes: cornerstone.sessionTypes.map((t) => ({ ...t, carriesForwardToNextFormal: t.id === 'peer' })),
    }
    assert.deepEqual(
      unplannedTypes(invented).map((t) => t.id),
      ['formal-unplanned', 'informal-unplanned', 'peer'],
    )
  })
})
