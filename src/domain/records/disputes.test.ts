import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import type { DisputeResolution } from '../policy/model.ts'
import { applicableSteps, disputeMeetingRoutes } from './disputes.ts'

const meanwood: DisputeResolution = {
  steps: [
    {
      id: 'third-person',
      description: 'A meeting of both with a named third person',
      when: null,
      whenWithRoles: [],
      meetingWithRole: null,
      meetingWithTeam: null,
      bothPartiesAgree: false,
    },
  ],
  bothPartiesToldInAdvance: true,
}
const ashbury = loadPack('ashbury-meadow').disputeResolution
const chair = { id: 'c1', name: 'Cara Chair' }
const holdersOf = (role: string) => (role === 'chair-of-governors' ? [chair] : [])

describe('disputes between supervisor and supervisee', () => {
  test('MW-11: the meeting is with the third person the contract names', () => {
    const [route] = disputeMeetingRoutes({
      resolution: meanwood,
      supervisorRoles: ['dsl'],
      contractNamedPerson: { personId: 'p9', name: 'Iris Moss' },
      holdersOf,
    })
    assert.deepEqual(route?.with, { kind: 'person', personId: 'p9', name: 'Iris Moss', source: 'contract' })
  })

  test('MW-11: with nobody named in the contract, the person booking chooses', () => {
    const routes = disputeMeetingRoutes({
      resolution: meanwood,
      supervisorRoles: [],
      contractNamedPerson: null,
      holdersOf,
    })
    assert.deepEqual(routes[0]?.with, { kind: 'choose' })
  })

  test('AM-05: the local authority team with both parties’ agreement; the Chair of Governors when it is with the Principal', () => {
    const general = disputeMeetingRoutes({
      resolution: ashbury,
      supervisorRoles: ['dsl'],
      contractNamedPerson: null,
      holdersOf,
    })
    assert.deepEqual(
      general.map((r) => [r.stepId, r.with.kind, r.bothPartiesAgree]),
      [['local-authority', 'team', true]],
    )
    const principal = disputeMeetingRoutes({
      resolution: ashbury,
      supervisorRoles: ['headteacher'],
      contractNamedPerson: null,
      holdersOf,
    })
    assert.deepEqual(
      principal.map((r) => [r.stepId, r.with]),
      [['chair-of-governors', { kind: 'person', personId: 'c1', name: 'Cara Chair', source: 'role' }]],
    )
    assert.deepEqual(
      applicableSteps(ashbury, ['headteacher']).map((s) => s.id),
      ['chair-of-governors'],
    )
  })
})
