import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { effectiveDateProblem, supervisorsForKind, supervisorWarnings } from './supervision.ts'

describe('LH-08 and LH-07', () => {
  test('LH-08: a supervisor without training or without a supervisor of their own is flagged', () => {
    assert.deepEqual(supervisorWarnings({ superviseeCount: 0, supervisorTrainedOn: null, hasOwnSupervisor: false }), [])
    assert.deepEqual(
      supervisorWarnings({ superviseeCount: 2, supervisorTrainedOn: '2024-01-15', hasOwnSupervisor: true }),
      [],
    )
    const both = supervisorWarnings({ superviseeCount: 1, supervisorTrainedOn: null, hasOwnSupervisor: false })
    assert.equal(both.length, 2)
    assert.match(both[0]!, /training/)
    assert.match(both[1]!, /receive supervision themselves/)
  })

  test('LH-07: a change takes effect today or earlier, not before the current arrangement began', () => {
    assert.equal(effectiveDateProblem('2026-11-23', '2026-11-23', '2026-09-01'), null)
    assert.match(effectiveDateProblem('2026-11-24', '2026-11-23', null)!, /today or in the past/)
    assert.match(
      effectiveDateProblem('2026-08-31', '2026-11-23', '2026-09-01')!,
      /on or after 1 September 2026, when the current arrangement started/,
    )
  })
})

describe('supervisorsForKind (issue 14)', () => {
  test('LH-05: the supervisor for the kind first, then the general supervisor, then the line manager, each once', () => {
    const assigned = {
      byKind: new Map([['safeguarding', 'dsl']]),
      supervisorId: 'sup',
      lineManagerId: 'lm',
    }
    assert.deepEqual(supervisorsForKind(assigned, 'safeguarding'), ['dsl', 'sup', 'lm'])
    assert.deepEqual(supervisorsForKind(assigned, 'management'), ['sup', 'lm'])
    assert.deepEqual(
      supervisorsForKind({ byKind: new Map([['x', 'lm']]), supervisorId: null, lineManagerId: 'lm' }, 'x'),
      ['lm'],
    )
    assert.deepEqual(supervisorsForKind({ byKind: new Map(), supervisorId: null, lineManagerId: null }, 'x'), [])
  })
})
