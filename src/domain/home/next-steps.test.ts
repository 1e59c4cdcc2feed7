import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  counted,
  type HomeInput,
  homeBlocks,
  listedAtMost,
  type PersonFacts,
  type PersonSession,
  type SetupFacts,
  setupSteps,
  weekOf,
} from './next-steps.ts'

// Thursday 3 December 2026.
const today = '2026-12-03'

const nobody: PersonFacts = {
  supervises: false,
  supervised: false,
  sessions: [],
  recordsToSign: [],
  requestsWaiting: 0,
}

function session(over: Partial<PersonSession> & Pick<PersonSession, 'id' | 'date' | 'role'>): PersonSession {
  return {
    startTime: '10:00',
    typeName: 'One-to-one supervision',
    status: 'planned',
    withNames: ['Priya Shah'],
    writesRecord: over.role === 'supervisor',
    recordStatuses: [],
    preparedBy: [],
    preparedByMe: false,
    ...over,
  }
}

function input(over: Partial<HomeInput>): HomeInput {
  return { today, dsl: null, setup: null, person: nobody, ...over }
}

const setUp: SetupFacts = {
  academicYear: '2026-27',
  policyAdopted: true,
  calendarSaved: true,
  staffCount: 20,
  inScope: 12,
  inScopeWithoutSupervisor: 0,
  inScopeWithoutSession: 0,
  inScopeWithoutContract: 0,
}

describe('issue 18: what the home page asks each person to do next', () => {
  test('counts are worded as people write them', () => {
    assert.equal(counted(1, 'person', 'people'), '1 person')
    assert.equal(counted(2, 'person', 'people'), '2 people')
    assert.deepEqual(weekOf(today), { from: '2026-11-30', to: '2026-12-06' })
  })

  test('the DSL sees each figure that needs work, with its count and where it is done; none that is zero', () => {
    const blocks = homeBlocks(
      input({
        dsl: {
          requestsWaiting: 2,
          decisionsPending: 1,
          openEscalations: 0,
          figures: { overdue: 3, neverSupervised: 0, rebookingsAtRisk: 1, recordsAwaitingSignature: 4 },
        },
      }),
    )
    assert.deepEqual(
      blocks.dsl?.map((i) => [i.key, i.count, i.text]),
      [
        ['requests', 2, '2 requests for a session waiting for an answer'],
        ['decisions', 1, '1 decision about children to sign off or put on their records'],
        ['records-awaiting-signature', 4, '4 records waiting for signatures'],
        ['rebookings-at-risk', 1, '1 rebooking deadline at risk'],
        ['overdue', 3, '3 people overdue for supervision'],
      ],
    )
    assert.deepEqual(blocks.dsl?.[4]?.link, { to: 'overview-list', list: 'overdue' })
    assert.equal(blocks.setup, null)
    assert.equal(blocks.supervisor, null)
    assert.equal(blocks.supervisee, null)
  })

  test('a new school gets a checklist ticked from its data; a school with every step done gets none', () => {
    const fresh = setupSteps({
      ...setUp,
      calendarSaved: false,
      staffCount: 1,
      inScope: 0,
      inScopeWithoutSupervisor: 0,
      inScopeWithoutSession: 0,
      inScopeWithoutContract: 0,
    })
    assert.deepEqual(
      fresh?.map((s) => [s.key, s.done]),
      [
        ['policy', true],
        ['calendar', false],
        ['staff', false],
        ['supervisors', false],
        ['plan', false],
        ['contracts', false],
      ],
    )
    assert.equal(fresh?.[3]?.hint, 'No one is in scope of the policy yet')
    const halfway = setupSteps({ ...setUp, inScopeWithoutSession: 1, inScopeWithoutContract: 12 })
    assert.deepEqual(
      halfway?.filter((s) => !s.done).map((s) => s.hint),
      ['1 person in scope with no session this year', '12 people in scope with no contract for the year'],
    )
    assert.deepEqual(halfway?.[5]?.link, { to: 'contracts-issue' })
    assert.equal(setupSteps(setUp), null)
    assert.equal(homeBlocks(input({ setup: setUp })).setup, null)
  })

  test('a supervisor: sessions this week, records to write (not once completed), records to sign, preparation received', () => {
    const blocks = homeBlocks(
      input({
        person: {
          ...nobody,
          supervises: true,
          requestsWaiting: 1,
          sessions: [
            session({ id: 'mon', date: '2026-11-30', role: 'supervisor', status: 'held' }),
            session({
              id: 'tue',
              date: '2026-12-01',
              role: 'supervisor',
              status: 'held',
              recordStatuses: ['completed'],
            }),
            session({ id: 'fri', date: '2026-12-04', role: 'supervisor', preparedBy: ['Priya Shah'] }),
            session({ id: 'next-week', date: '2026-12-08', role: 'supervisor' }),
          ],
          recordsToSign: [{ recordId: 'r1', date: '2026-11-20', typeName: 'Group supervision', role: 'supervisor' }],
        },
      }),
    )
    assert.deepEqual(
      blocks.supervisor?.map((i) => [i.key, i.text]),
      [
        ['this-week', '3 sessions to lead this week'],
        ['requests', '1 request for a session waiting for your answer'],
        ['record-to-write', 'Write the record of the one-to-one supervision on 30 November 2026 with Priya Shah'],
        ['record-to-sign', 'Read and sign the record of the group supervision on 20 November 2026'],
        ['preparation-received', 'Read what Priya Shah prepared for the one-to-one supervision on 4 December 2026'],
      ],
    )
    assert.deepEqual(blocks.supervisor?.[2]?.link, { to: 'session-records', sessionId: 'mon' })
    assert.deepEqual(blocks.supervisor?.[3]?.link, { to: 'record', recordId: 'r1' })
    assert.equal(blocks.supervisee, null)
  })

  test('a long list of records to write shows the first few and one link to the rest', () => {
    const sessions = Array.from({ length: listedAtMost + 2 }, (_, i) =>
      session({ id: `s${String(i)}`, date: `2026-11-${String(10 + i)}`, role: 'supervisor', status: 'held' }),
    )
    const items = homeBlocks(input({ person: { ...nobody, sessions } })).supervisor ?? []
    assert.equal(items.filter((i) => i.key === 'record-to-write').length, listedAtMost)
    assert.deepEqual(
      items.find((i) => i.key === 'records-to-write-more'),
      { key: 'records-to-write-more', text: '2 more records to write', count: 2, link: { to: 'records' } },
    )
  })

  test('a supervisee: their next session, preparation to do (not once done), a record to sign', () => {
    const blocks = homeBlocks(
      input({
        person: {
          ...nobody,
          supervised: true,
          sessions: [
            session({ id: 'past', date: '2026-11-02', role: 'supervisee', status: 'held', withNames: ['Dana Ellis'] }),
            session({ id: 'soon', date: '2026-12-08', role: 'supervisee', withNames: ['Dana Ellis'] }),
            session({ id: 'later', date: '2026-12-10', role: 'supervisee', preparedByMe: true }),
            session({ id: 'far', date: '2027-01-20', role: 'supervisee' }),
          ],
          recordsToSign: [
            { recordId: 'r2', date: '2026-11-02', typeName: 'One-to-one supervision', role: 'supervisee' },
          ],
        },
      }),
    )
    assert.deepEqual(blocks.supervisee?.next, {
      text: 'One-to-one supervision on 8 December 2026 at 10:00 with Dana Ellis',
      link: { to: 'session', sessionId: 'soon' },
    })
    assert.deepEqual(
      blocks.supervisee?.items.map((i) => [i.key, i.link]),
      [
        ['prepare', { to: 'preparation', sessionId: 'soon' }],
        ['record-to-sign', { to: 'record', recordId: 'r2' }],
      ],
    )
    assert.equal(blocks.supervisor, null)
  })

  test('a supervisee with nothing booked is asked to request a session', () => {
    const blocks = homeBlocks(input({ person: { ...nobody, supervised: true } }))
    assert.equal(blocks.supervisee?.next, null)
    assert.deepEqual(
      blocks.supervisee?.items.map((i) => i.link),
      [{ to: 'new-request' }],
    )
  })

  test('a person with several roles sees each block; requests sit in the DSL’s block when it shows them', () => {
    const blocks = homeBlocks(
      input({
        dsl: { requestsWaiting: 3, decisionsPending: null, openEscalations: null, figures: null },
        setup: { ...setUp, calendarSaved: false },
        person: {
          ...nobody,
          supervises: true,
          supervised: true,
          requestsWaiting: 3,
          sessions: [session({ id: 'a', date: '2026-12-02', role: 'supervisor', status: 'held' })],
        },
      }),
    )
    assert.ok(blocks.setup && blocks.dsl && blocks.supervisor && blocks.supervisee)
    assert.deepEqual(
      blocks.dsl.map((i) => i.key),
      ['requests'],
    )
    assert.ok(!blocks.supervisor.some((i) => i.key === 'requests'))
  })
})
