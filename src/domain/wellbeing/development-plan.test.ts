import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { templateById } from '../../packs/templates.ts'
import { developmentNeedsOf, mayReadDevelopmentPlan } from './development-plan.ts'

const place = templateById('pl-supervision-record')!
const cornerstone = templateById('ca-supervision-record')!

describe('development plans', () => {
  test('PL-07: each PLACE learning need with a need written becomes an item, with its activity and date', () => {
    const values = {
      learningNeeds: [
        { need: ' Restorative practice ', activity: 'County course', byWhen: '2026-03-01' },
        { need: '', activity: 'Nothing', byWhen: '' },
        { need: 'Chronologies', activity: '', byWhen: '' },
      ],
    }
    assert.deepEqual(developmentNeedsOf(place, values, true), [
      {
        sourceKey: 'learningNeeds.0',
        need: 'Restorative practice',
        action: 'County course',
        owner: null,
        dueOn: '2026-03-01',
      },
      { sourceKey: 'learningNeeds.2', need: 'Chronologies', action: null, owner: null, dueOn: null },
    ])
    assert.deepEqual(developmentNeedsOf(place, values, false), [], 'only when the policy says needs feed planning')
  })

  test('CA-08: Cornerstone’s professional development rows carry their person responsible as the owner', () => {
    const values = {
      professionalDevelopment: [
        { development: 'Safeguarding refresher', actionRecommended: 'Spring term', personResponsible: 'Grace Obi' },
      ],
      // Other tables are not development needs.
      welfareNeeds: [{ need: 'Time off', action: 'Agreed', personResponsible: 'Grace Obi' }],
    }
    assert.deepEqual(developmentNeedsOf(cornerstone, values, true), [
      {
        sourceKey: 'professionalDevelopment.0',
        need: 'Safeguarding refresher',
        action: 'Spring term',
        owner: { personId: null, name: 'Grace Obi' },
        dueOn: null,
      },
    ])
  })

  test('PL-07: the person, their line manager and supervisor, and the DSL read the plan; nobody else', () => {
    const subject = { id: 'pat', lineManagerId: 'lin', supervisorIds: ['sue'] }
    for (const [personId, roles] of [
      ['pat', []],
      ['lin', []],
      ['sue', []],
      ['dee', ['dsl']],
    ] as const)
      assert.ok(mayReadDevelopmentPlan({ personId, roles: [...roles] }, subject), personId)
    assert.equal(mayReadDevelopmentPlan({ personId: 'hal', roles: ['headteacher'] }, subject), false)
    assert.equal(mayReadDevelopmentPlan({ personId: 'col', roles: ['class-teacher'] }, subject), false)
  })
})
