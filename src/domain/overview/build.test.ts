import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar } from '../calendar/index.ts'
import type { ComplianceStatus, PersonCompliance, SessionFact } from '../compliance/index.ts'
import { noFlags, type Person } from '../people/person.ts'
import type { PolicyDocument } from '../policy/index.ts'
import { buildOverview, frameworkTaggedSince, otherPersonIds, supervisorRoles, windowStartFor } from './build.ts'
import type { ActionFact, OverviewFacts } from './model.ts'

// Monday 23 November 2026, in the second half term of the autumn term (2 November to 18 December).
const today = '2026-11-23'
const calendar = englandDefaultCalendar('england-and-wales', 2024, 2027)
const lodeHeath: PolicyDocument = { ...loadPack('lode-heath'), effectiveFrom: '2024-09-01' }

function person(id: string, over: Partial<Person> = {}): Person {
  return {
    id,
    schoolId: 'school',
    name: `Person ${id}`,
    email: `${id}@example.org`,
    jobTitle: 'Teacher',
    roles: ['class-teacher'],
    lineManagerId: null,
    employmentType: 'permanent',
    partTime: false,
    workingDays: [1, 2, 3, 4, 5],
    startDate: '2020-09-01',
    endDate: null,
    flags: { ...noFlags },
    supervisorTrainedOn: null,
    ...over,
  }
}

function compliance(p: Person, status: ComplianceStatus, over: Partial<PersonCompliance> = {}): PersonCompliance {
  return {
    personId: p.id,
    name: p.name,
    required: status !== 'not-required',
    reason: '',
    scopeRuleIds: [],
    inScopeFrom: '2020-09-01',
    status,
    lastSession: null,
    nextDue: null,
    requirements: [],
    breaches: [],
    openRebookings: [],
    frameworkGaps: [],
    escalations: [],
    policyVersion: 1,
    ...over,
  }
}

function session(
  id: string,
  date: string,
  supervisor: string,
  supervisee: string,
  over: Partial<SessionFact> = {},
): SessionFact {
  return {
    id,
    typeId: 'one-to-one',
    date,
    supervisorIds: [supervisor],
    superviseeIds: [supervisee],
    status: 'held',
    ...over,
  }
}

function facts(over: Partial<OverviewFacts> = {}): OverviewFacts {
  return {
    today,
    school: { id: 'school', name: 'Lode Heath School', slug: 'lode-heath' },
    policy: lodeHeath,
    calendar,
    people: [],
    compliance: [],
    sessions: [],
    recordTags: new Map(),
    assignments: [],
    records: [],
    contracts: [],
    actions: [],
    maxPerWeek: { value: 10, source: 'default' },
    others: [],
    lastSupervisedOn: new Map(),
    ...over,
  }
}

describe('the overview figures', () => {
  test('people in scope, percentage compliant (rounded down), overdue, due soon and never supervised are counted separately', () => {
    const people = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => person(id))
    const statuses: ComplianceStatus[] = [
      'compliant',
      'compliant',
      'due-soon',
      'overdue',
      'never-supervised',
      'not-required',
    ]
    const { summary, lists } = buildOverview(
      facts({ people, compliance: people.map((p, i) => compliance(p, statuses[i]!)) }),
    )
    assert.equal(summary.figures.inScope, 5)
    assert.equal(summary.figures.upToDate, 3)
    assert.equal(summary.figures.percentCompliant, 60)
    assert.equal(summary.figures.overdue, 1)
    assert.equal(summary.figures.dueSoon, 1)
    assert.equal(summary.figures.neverSupervised, 1)
    assert.deepEqual(
      lists.people.map((p) => p.id),
      ['a', 'b', 'c', 'd', 'e'],
    )
    assert.deepEqual(summary.statusCounts, [
      { status: 'compliant', count: 2 },
      { status: 'due-soon', count: 1 },
      { status: 'overdue', count: 1 },
      { status: 'never-supervised', count: 1 },
    ])
  })

  test('299 of 300 up to date is 99%, never 100%; nobody in scope has no percentage', () => {
    const people = Array.from({ length: 300 }, (_, i) => person(`p${String(i).padStart(3, '0')}`))
    const c = people.map((p, i) => compliance(p, i === 0 ? 'overdue' : 'compliant'))
    assert.equal(buildOverview(facts({ people, compliance: c })).summary.figures.percentCompliant, 99)
    assert.equal(buildOverview(facts()).summary.figures.percentCompliant, null)
  })

  test('CA-03: a rebooking is at risk when its deadline is within 2 working days; missed deadlines of the last 12 months count', () => {
    const p = person('a', { name: 'Ada' })
    const leaver = person('z', { name: 'Zed', endDate: '2026-10-31' })
    const open = (sessionId: string, deadline: string | null) => ({
      cancellationId: `c-${sessionId}`,
      sessionId,
      sessionDate: '2026-11-16',
      deadline,
      asSoonAsPossible: false,
      warnFrom: null,
      warning: false,
      message: '',
    })
    const missed = (sessionId: string, deadline: string, rebookedFor: string | null) => ({
      kind: 'rebooking-deadline-missed' as const,
      cancellationId: `c-${sessionId}`,
      sessionId,
      sessionDate: '2025-01-06',
      deadline,
      rebookedFor,
      message: '',
    })
    const { summary, lists } = buildOverview(
      facts({
        people: [p, leaver],
        compliance: [
          compliance(p, 'compliant', {
            // Wednesday 25 November is 2 working days after Monday 23rd: at risk; Thursday is not.
            openRebookings: [
              open('s1', '2026-11-25'),
              open('s2', '2026-11-26'),
              open('s3', null),
              open('s4', '2026-11-23'),
            ],
            breaches: [
              missed('s5', '2026-01-10', null),
              missed('s6', '2025-11-20', '2025-12-01'),
              missed('s7', '2025-11-24', '2025-12-01'),
            ],
          }),
          compliance(leaver, 'not-required', { openRebookings: [open('s8', '2026-11-24')] }),
        ],
      }),
    )
    assert.equal(summary.figures.rebookingsAtRisk, 2)
    assert.deepEqual(
      lists.rebookingsAtRisk.map((r) => [r.sessionId, r.deadline]),
      [
        ['s4', '2026-11-23'],
        ['s1', '2026-11-25'],
      ],
    )
    // The window starts on 23 November 2025: a deadline on 20 November 2025 is too old to count.
    assert.equal(windowStartFor(today), '2025-11-23')
    assert.equal(summary.figures.rebookingsMissed, 2)
    assert.deepEqual(
      lists.rebookingsMissed.map((r) => [r.sessionId, r.rebookedFor]),
      [
        ['s7', '2025-12-01'],
        ['s5', null],
      ],
    )
  })

  test('CA-03: "as soon as possible" is at risk when its warning day is within 2 working days', () => {
    const p = person('a', { name: 'Ada' })
    const open = (sessionId: string, warnFrom: string | null, warning: boolean) => ({
      cancellationId: `c-${sessionId}`,
      sessionId,
      sessionDate: '2026-11-09',
      deadline: null,
      asSoonAsPossible: true,
      warnFrom,
      warning,
      message: '',
    })
    const { summary, lists } = buildOverview(
      facts({
        people: [p],
        compliance: [
          compliance(p, 'compliant', {
            openRebookings: [
              open('s1', '2026-11-25', false),
              open('s2', '2026-11-26', false),
              open('s3', null, false),
              open('s4', '2026-11-20', true),
            ],
          }),
        ],
      }),
    )
    assert.equal(summary.figures.rebookingsAtRisk, 2)
    assert.deepEqual(
      lists.rebookingsAtRisk.map((r) => [r.sessionId, r.deadline]),
      [
        ['s4', '2026-11-20'],
        ['s1', '2026-11-25'],
      ],
    )
  })

  test('X-05: a record waits for the required signers who have not signed', () => {
    const sup = person('sup', { name: 'Sam Supervisor' })
    const a = person('a', { name: 'Ada' })
    const b = person('b', { name: 'Bea' })
    const { summary, lists } = buildOverview(
      facts({
        people: [sup, a, b],
        sessions: [
          session('s1', '2026-11-02', 'sup', 'a'),
          session('s2', '2026-10-12', 'sup', 'b', { superviseeIds: ['a', 'b'], typeId: 'group' }),
        ],
        records: [
          { id: 'r1', sessionId: 's1', completedOn: '2026-11-03', signedPersonIds: ['sup'] },
          { id: 'r2', sessionId: 's2', completedOn: '2026-10-13', signedPersonIds: ['b'] },
        ],
      }),
    )
    assert.equal(summary.figures.recordsAwaitingSignature, 2)
    assert.deepEqual(
      lists.recordsAwaitingSignature.map((r) => [r.id, r.waitingFor]),
      [
        ['r2', ['Sam Supervisor', 'Ada']],
        ['r1', ['Ada']],
      ],
    )
  })

  test('MW-02: a contract counts as unsigned until every party the policy asks has signed', () => {
    const meanwood: PolicyDocument = { ...loadPack('meanwood'), effectiveFrom: '2024-09-01' }
    const a = person('a', { name: 'Ada' })
    const sup = person('sup', { name: 'Sam' })
    const contract = (id: string, signedRoles: ('supervisee' | 'supervisor')[]) => ({
      id,
      superviseeId: 'a',
      supervisorId: 'sup',
      academicYear: '2026-27',
      issuedOn: '2026-09-07',
      reviewOn: '2027-09-01',
      signedRoles,
      signing: { supervisee: { maySign: true }, supervisor: { maySign: id !== 'k4' } },
    })
    const { summary, lists } = buildOverview(
      facts({
        policy: meanwood,
        people: [a, sup],
        contracts: [
          contract('k1', []),
          contract('k2', ['supervisee']),
          contract('k3', ['supervisee', 'supervisor']),
          // Issue 14: a supervisor who may not sign is not waited for.
          contract('k4', ['supervisee']),
        ],
      }),
    )
    assert.equal(summary.figures.contractsUnsigned, 2)
    assert.deepEqual(
      lists.contractsUnsigned.map((c) => [c.id, c.waitingFor]),
      [
        ['k1', ['supervisee', 'supervisor']],
        ['k2', ['supervisor']],
      ],
    )
  })

  test('X-05: overdue actions are open and past their due date; drifting ones were carried forward at two sessions running', () => {
    const sup = person('sup', { name: 'Sam' })
    const a = person('a', { name: 'Ada' })
    const action = (id: string, over: Partial<ActionFact>): ActionFact => ({
      id,
      recordId: 'r1',
      sessionId: 's1',
      ownerKind: 'supervisee',
      ownerPersonId: 'a',
      ownerName: 'Ada',
      dueOn: null,
      status: 'open',
      history: [],
      ...over,
    })
    const carried = [
      { sessionDate: '2026-10-05', status: 'carried-forward' as const },
      { sessionDate: '2026-11-02', status: 'carried-forward' as const },
    ]
    const { summary, lists } = buildOverview(
      facts({
        people: [sup, a],
        sessions: [session('s1', '2026-09-14', 'sup', 'a')],
        actions: [
          action('late', { dueOn: '2026-11-20' }),
          action('due-today', { dueOn: '2026-11-23' }),
          action('no-date', {}),
          action('drifting', { status: 'carried-forward', history: carried }),
          action('late-and-drifting', { status: 'carried-forward', dueOn: '2026-10-01', history: carried }),
          action('moved-on', {
            status: 'in-progress',
            history: [...carried, { sessionDate: '2026-11-16', status: 'in-progress' }],
          }),
          action('once', { status: 'carried-forward', history: carried.slice(1) }),
        ],
      }),
    )
    assert.equal(summary.figures.overdueActions, 2)
    assert.deepEqual(
      lists.overdueActions.map((x) => x.id),
      ['late-and-drifting', 'late'],
    )
    assert.equal(summary.figures.driftingActions, 2)
    assert.deepEqual(
      lists.driftingActions.map((x) => [x.id, x.carriedForwardRun]),
      [
        ['drifting', 2],
        ['late-and-drifting', 2],
      ],
    )
    assert.deepEqual(lists.driftingActions[0]!.supervisorNames, ['Sam'])
    assert.equal(lists.driftingActions[0]!.raisedOn, '2026-09-14')
  })

  test('LH-08: supervisors with no recorded training, or not themselves supervised in the last 12 months', () => {
    const head = person('head', { name: 'Helen Head', supervisorTrainedOn: '2020-01-01' })
    const dsl = person('dsl', { name: 'Dan DSL', lineManagerId: 'head', supervisorTrainedOn: null })
    const pastoral = person('pastoral', {
      name: 'Pat Pastoral',
      lineManagerId: 'dsl',
      supervisorTrainedOn: '2024-05-01',
    })
    const teacher = person('teacher', { name: 'Tia Teacher', lineManagerId: 'pastoral' })
    const ta = person('ta', { name: 'Tom TA', lineManagerId: 'gone' })
    const gone = person('gone', { name: 'Gwen Gone', endDate: '2026-08-31' })
    const external = person('ext', { name: 'Eve External', employmentType: 'external' })
    const { summary, lists } = buildOverview(
      facts({
        people: [head, dsl, pastoral, teacher, ta, gone, external],
        compliance: [compliance(dsl, 'overdue'), compliance(pastoral, 'compliant'), compliance(teacher, 'compliant')],
        sessions: [
          session('s1', '2026-06-01', 'ext', 'dsl'),
          session('s2', '2026-10-01', 'pastoral', 'teacher'),
          // Led more than 12 months ago: does not make someone a supervisor now.
          session('s3', '2025-06-01', 'ta', 'teacher'),
        ],
        assignments: [{ superviseeId: 'teacher', supervisorId: 'other-school-dsl', kind: 'supervisor' }],
        others: [
          {
            id: 'other-school-dsl',
            name: 'Olu Other',
            jobTitle: 'DSL',
            employmentType: 'permanent',
            endDate: null,
            supervisorTrainedOn: '2023-01-01',
          },
        ],
        lastSupervisedOn: new Map([
          ['dsl', '2026-06-01'],
          ['pastoral', '2026-09-30'],
          ['other-school-dsl', '2025-10-01'],
        ]),
      }),
    )
    assert.deepEqual(
      [
        ...supervisorRoles(facts({ people: [dsl, teacher], sessions: [session('s', '2026-01-01', 'x', 'teacher')] })),
      ].map(([id, roles]) => [id, [...roles]]),
      [
        ['x', ['supervised']],
        ['head', ['line-manager']],
        ['pastoral', ['line-manager']],
      ],
    )
    assert.equal(summary.figures.supervisorsUntrained, 1)
    assert.deepEqual(
      lists.supervisorsUntrained.map((s) => [s.name, s.roles]),
      [['Dan DSL', ['line-manager']]],
    )
    // Dan is overdue himself; Helen and Olu have had no supervision in the last 12 months.
    assert.equal(summary.figures.supervisorsUnsupervised, 3)
    assert.deepEqual(
      lists.supervisorsUnsupervised.map((s) => [s.name, s.lastSupervisedOn, s.status]),
      [
        ['Dan DSL', '2026-06-01', 'overdue'],
        ['Helen Head', null, null],
        ['Olu Other', '2025-10-01', null],
      ],
    )
  })

  test('LH-02: the balance of functions over the last 12 months, from session tags and record tags', () => {
    const a = person('a', { name: 'Ada' })
    const b = person('b', { name: 'Bea' })
    const newcomer = person('c', { name: 'Cal' })
    const { summary, lists } = buildOverview(
      facts({
        people: [a, b, newcomer],
        compliance: [
          compliance(a, 'compliant'),
          compliance(b, 'compliant'),
          compliance(newcomer, 'compliant', { inScopeFrom: '2026-09-01' }),
        ],
        sessions: [
          session('s1', '2026-10-01', 'x', 'a', { tags: ['management-oversight', 'voice-of-the-child'] }),
          session('s2', '2026-06-01', 'x', 'a', { tags: [] }),
          session('s3', '2025-06-01', 'x', 'b', { tags: ['personal-support'] }),
          session('s4', '2026-11-30', 'x', 'b', { tags: ['personal-support'], status: 'planned' }),
          session('s5', '2026-10-10', 'x', 'c', { tags: ['voice-of-the-child'] }),
        ],
        recordTags: new Map([['s2', ['professional-development', 'multi-agency-working', 'personal-support']]]),
      }),
    )
    const framework = lists.balance.frameworks[0]!
    assert.equal(framework.id, 'lh-five-functions')
    const row = (id: string) => framework.rows.find((r) => r.personId === id)!
    assert.deepEqual(row('a').missing, [])
    assert.equal(row('a').sessions, 2)
    assert.deepEqual(row('b').covered, [])
    assert.equal(row('b').flagged, true)
    // In scope for only part of the window: not flagged.
    assert.equal(row('c').flagged, false)
    assert.deepEqual(row('c').missing.length, 4)
    assert.equal(summary.figures.frameworkGaps, 1)
    assert.deepEqual(
      framework.items.map((i) => [i.id, i.coveredBy]),
      [
        ['management-oversight', 1],
        ['professional-development', 1],
        ['multi-agency-working', 1],
        ['voice-of-the-child', 2],
        ['personal-support', 1],
      ],
    )
  })

  test('AM-01, PL-01: every framework the policy tags sessions with is balanced; a policy with none has no balance', () => {
    const ashbury: PolicyDocument = { ...loadPack('ashbury-meadow'), effectiveFrom: '2024-09-01' }
    const place: PolicyDocument = { ...loadPack('the-place'), effectiveFrom: '2024-09-01' }
    const meanwood: PolicyDocument = { ...loadPack('meanwood'), effectiveFrom: '2024-09-01' }
    assert.deepEqual(
      buildOverview(facts({ policy: ashbury })).lists.balance.frameworks.map((f) => f.id),
      ['am-morrison-functions'],
    )
    assert.deepEqual(
      buildOverview(facts({ policy: place })).lists.balance.frameworks.map((f) => f.id),
      ['pl-key-principles'],
    )
    assert.deepEqual(buildOverview(facts({ policy: meanwood })).lists.balance.frameworks, [])
  })

  test('supervisor load: sessions led per half term, the busiest week, and who is over the weekly limit', () => {
    const sessions: SessionFact[] = [
      // Autumn 1 and the half-term holiday after it.
      session('a1', '2026-09-07', 'sam', 'x'),
      session('a2', '2026-10-28', 'sam', 'x'),
      // Autumn 2: three in the week of 16 November, one cancelled (does not count), one planned.
      session('b1', '2026-11-16', 'sam', 'x'),
      session('b2', '2026-11-17', 'sam', 'y'),
      session('b3', '2026-11-22', 'sam', 'z'),
      session('b4', '2026-11-18', 'sam', 'z', { status: 'cancelled' }),
      session('b5', '2026-12-01', 'sam', 'x', { status: 'planned' }),
      session('b6', '2026-11-19', 'kim', 'y'),
      // Last academic year: not this year's load.
      session('old', '2026-07-01', 'kim', 'y'),
    ]
    const people = [person('sam', { name: 'Sam' }), person('kim', { name: 'Kim' })]
    const { summary, lists } = buildOverview(facts({ people, sessions, maxPerWeek: { value: 2, source: 'planner' } }))
    const { load } = lists
    assert.equal(load.academicYear, '2026-27')
    assert.deepEqual(
      load.periods.map((p) => p.name),
      ['Autumn 1', 'Autumn 2', 'Spring 1', 'Spring 2', 'Summer 1', 'Summer 2'],
    )
    assert.equal(load.currentPeriodIndex, 1)
    assert.deepEqual(
      load.rows.map((r) => [r.name, r.counts, r.busiestWeek]),
      [
        ['Kim', [0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
        ['Sam', [2, 4, 0, 0, 0, 0], [1, 3, 0, 0, 0, 0]],
      ],
    )
    assert.equal(summary.figures.supervisorsOverLimit, 1)
  })

  test('X-08: the policy review shows only when it is near or past', () => {
    const review = (nextReviewDue: string) =>
      buildOverview(facts({ policy: { ...lodeHeath, metadata: { ...lodeHeath.metadata, nextReviewDue } } })).summary
        .policyReview
    assert.equal(review('2027-06-01'), null)
    assert.equal(review('2026-12-10')?.state, 'review-soon')
    assert.equal(review('2026-11-01')?.state, 'overdue')
    assert.match(review('2026-11-01')?.message ?? '', /1 November 2026/)
  })

  test('names of people outside the school are looked up; the rest come from the staff list', () => {
    const own = person('own', { lineManagerId: 'boss' })
    assert.deepEqual(
      otherPersonIds({
        people: [own],
        sessions: [session('s', '2026-01-01', 'visitor', 'own')],
        assignments: [{ superviseeId: 'own', supervisorId: 'trust-dsl', kind: 'supervisor' }],
        contracts: [],
        actions: [],
      }),
      ['boss', 'trust-dsl', 'visitor'],
    )
  })
})

describe('LH-02: how long the policy has asked for a framework', () => {
  const v = (version: number, effectiveFrom: string, tagged: boolean) =>
    ({
      version,
      effectiveFrom,
      frameworks: tagged ? [{ id: 'functions', tagSessions: true }] : [],
    }) as unknown as PolicyDocument

  test('LH-02: a later version that keeps the framework does not move the day; one without it does', () => {
    assert.equal(
      frameworkTaggedSince([v(1, '2024-09-01', true), v(2, '2026-11-01', true)], 'functions', '2026-11-23'),
      '2024-09-01',
    )
    assert.equal(
      frameworkTaggedSince([v(1, '2024-09-01', false), v(2, '2026-11-01', true)], 'functions', '2026-11-23'),
      '2026-11-01',
    )
    assert.equal(
      frameworkTaggedSince([v(1, '2024-09-01', true), v(2, '2026-12-01', false)], 'functions', '2026-11-23'),
      '2024-09-01',
      'a version not yet in force is ignored',
    )
    assert.equal(
      frameworkTaggedSince([v(1, '2024-09-01', true), v(2, '2026-11-01', false)], 'functions', '2026-11-23'),
      null,
    )
  })
})
