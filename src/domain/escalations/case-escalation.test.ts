import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { englandDefaultYear } from '../calendar/academic-year.ts'
import type { SchoolCalendar } from '../calendar/school-calendar.ts'
import type { CaseEscalationStage } from '../policy/model.ts'
import {
  countEscalations,
  currentDeadline,
  type EscalationFacts,
  firstStage,
  nextStage,
  remindersDue,
  stageDeadline,
} from './case-escalation.ts'

/** England default 2026-27: autumn 1 ends Friday 23 October, half term 26 to 30 October. */
function calendar(): SchoolCalendar {
  return { region: 'england-and-wales', years: [englandDefaultYear(2026)] }
}

const stages: CaseEscalationStage[] = [
  { id: 'practitioner', name: 'Practitioner to practitioner', days: 5 },
  { id: 'manager', name: 'Manager to manager', days: 3 },
  { id: 'partnership', name: 'Safeguarding partnership', days: 10 },
]

function escalation(overrides: Partial<EscalationFacts> = {}): EscalationFacts {
  return {
    id: 'e1',
    stageId: 'practitioner',
    stageStartedOn: '2026-10-05',
    raisedOn: '2026-10-05',
    closedOn: null,
    ...overrides,
  }
}

describe('LH-10: case escalation stages', () => {
  test('LH-10: a stage is due after its working days, skipping weekends', () => {
    // Monday 5 October + 5 working days = Monday 12 October.
    assert.equal(stageDeadline(calendar(), '2026-10-05', stages[0]!), '2026-10-12')
  })

  test('LH-10: a stage deadline skips the half-term holiday', () => {
    // Wednesday 21 October + 3 working days: Thu 22, Fri 23, then half term, Mon 2 November.
    assert.equal(stageDeadline(calendar(), '2026-10-21', stages[1]!), '2026-11-02')
  })

  test('LH-10: escalations begin at the first stage and move to the next in order, ending at the last', () => {
    assert.equal(firstStage(stages)?.id, 'practitioner')
    assert.equal(nextStage(stages, 'practitioner')?.id, 'manager')
    assert.equal(nextStage(stages, 'manager')?.id, 'partnership')
    assert.equal(nextStage(stages, 'partnership'), null)
    assert.equal(nextStage(stages, 'gone'), null)
    assert.equal(firstStage([]), null)
  })

  test('LH-10: a reminder is due on and after the deadline of an open escalation, never before or once closed', () => {
    const cal = calendar()
    assert.deepEqual(remindersDue(cal, stages, [escalation()], '2026-10-09'), [])
    assert.deepEqual(remindersDue(cal, stages, [escalation()], '2026-10-12'), [
      { escalationId: 'e1', stageId: 'practitioner', deadline: '2026-10-12' },
    ])
    assert.equal(remindersDue(cal, stages, [escalation()], '2026-10-14').length, 1)
    assert.deepEqual(remindersDue(cal, stages, [escalation({ closedOn: '2026-10-08' })], '2026-10-14'), [])
    assert.equal(currentDeadline(cal, stages, escalation({ stageId: 'gone' })), null)
  })

  test('LH-10: counts for a period are raised, given an outcome, and open at its end', () => {
    const rows = [
      { raisedOn: '2026-09-10', closedOn: null },
      { raisedOn: '2026-09-20', closedOn: '2026-10-02' },
      { raisedOn: '2026-10-05', closedOn: '2026-12-01' },
      { raisedOn: '2026-12-05', closedOn: null },
    ]
    assert.deepEqual(countEscalations(rows, '2026-09-01', '2026-10-31'), { raised: 3, resolved: 1, open: 2 })
  })
})
