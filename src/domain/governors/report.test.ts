/**
 * The governors' report from facts (issue 16): the figures of a term worked out by the engine and
 * the overview's own computations, small numbers hidden, and the trend over the terms before.
 *
 * The school (Lode Heath's policy, in force from 1 September 2024, with a rebooking rule of 5
 * working days; CA-03) is reported for the autumn term 2026 (1 September to 18 December), on
 * 10 January 2027:
 * - ten heads of year (LH-05 in scope): five supervised on 1 October; five whose session of
 *   2 November was cancelled ("another reason") and rebooked for 4 November (deadline met); one of
 *   the first five also had a session of 10 November cancelled for a safeguarding emergency and
 *   never rebooked (deadline missed);
 * - one SENCO, never supervised (a group of one: hidden);
 * - the headteacher, not in scope, led every session, untrained and never supervised herself.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar } from '../calendar/index.ts'
import { aCancellation, aPerson, aSession } from '../compliance/builders.ts'
import { assessCompliance, type CancellationFact, type SessionFact } from '../compliance/index.ts'
import type { OverviewFacts } from '../overview/model.ts'
import { type PolicyDocument, policyBookOf } from '../policy/index.ts'
import { chosenPeriod, previousPeriods, reportPeriods } from './periods.ts'
import { buildGovernorsReport, focusedSessions, sessionsAskedFor } from './report.ts'
import { hidden } from './suppression.ts'
import { reportCsvRows } from './tables.ts'

const today = '2027-01-10'
const calendar = englandDefaultCalendar('england-and-wales', 2023, 2027)
const lodeHeath = loadPack('lode-heath')
const cornerstone = loadPack('cornerstone')
const policy: PolicyDocument = {
  ...lodeHeath,
  effectiveFrom: '2024-09-01',
  cancellation: {
    ...lodeHeath.cancellation,
    rebooking: { ...cornerstone.cancellation.rebooking!, sessionTypes: [] },
  },
}

const head = aPerson({ id: 'head', name: 'Head', roles: ['headteacher'] })
const heads = Array.from({ length: 10 }, (_, i) =>
  aPerson({ id: `yh${i + 1}`, name: `Year head ${i + 1}`, roles: ['year-head'], lineManagerId: 'head' }),
)
const senco = aPerson({ id: 'senco', name: 'Senco', roles: ['senco'], lineManagerId: 'head' })
const people = [head, ...heads, senco]

const led = { supervisorIds: ['head'] }
const sessions: SessionFact[] = [
  ...heads.slice(0, 5).map((p) => aSession('one-to-one', '2026-10-01', [p.id], led)),
  ...heads.slice(5).map((p) => aSession('one-to-one', '2026-11-04', [p.id], led)),
  // A group session does not count for a one-to-one requirement (MW-08).
  aSession(
    'group',
    '2026-10-15',
    heads.map((p) => p.id),
    led,
  ),
]
const cancellations: CancellationFact[] = [
  ...heads
    .slice(5)
    .map((p) =>
      aCancellation({ date: '2026-11-02', superviseeIds: [p.id], reasonId: 'other', rebookedFor: '2026-11-04' }),
    ),
  aCancellation({ date: '2026-11-10', superviseeIds: ['yh1'], reasonId: 'safeguarding-emergency' }),
]

function factsOn(day: string, standingOnly = false): OverviewFacts {
  return {
    today: day,
    school: { id: 'school-1', name: 'Lode Heath School', slug: 'lode-heath' },
    policy,
    calendar,
    people,
    compliance: assessCompliance({
      policy: [policy],
      calendar,
      people,
      sessions,
      cancellations,
      today: day,
      standingOnly,
    }),
    sessions,
    recordTags: new Map(),
    assignments: [],
    records: [],
    contracts: [],
    actions: [],
    maxPerWeek: { value: 10, source: 'default' },
    others: [],
    lastSupervisedOn: new Map(),
  }
}

/**
 * `standingOnly`: as the service works it out (ADR 0056): the report's own day judged for its
 * standing alone, and the engine's full run for the people escalated in the period alone.
 */
function report(periodId = '2026-27/autumn', { standingOnly = false } = {}) {
  const period = chosenPeriod(calendar, today, periodId)!
  const asAt = period.end < today ? period.end : today
  return buildGovernorsReport({
    today,
    period,
    previous: previousPeriods(calendar, period),
    facts: factsOn(asAt, standingOnly),
    escalatedAmong: standingOnly
      ? (ids) =>
          new Set(
            assessCompliance({
              policy: [policy],
              calendar,
              people: people.filter((p) => ids.includes(p.id)),
              sessions,
              cancellations,
              today: asAt,
            })
              .filter((c) => c.escalations.length > 0)
              .map((c) => c.personId),
          )
      : undefined,
    book: policyBookOf([policy]),
    cancellations,
    overrides: [],
    contractsSigned: [
      ...heads.slice(0, 6).map((p) => ({ superviseeId: p.id, signedOn: '2026-09-20' })),
      { superviseeId: 'yh1', signedOn: '2026-10-20' },
      { superviseeId: 'yh7', signedOn: '2026-06-20' },
    ],
    escalations: [
      ...heads.slice(5).map((p) => ({ personId: p.id, reachedOn: '2026-09-15' })),
      { personId: 'senco', reachedOn: '2026-09-15' },
      { personId: 'senco', reachedOn: '2026-10-01' },
    ],
    caseEscalations: [
      // Raised before the term, resolved in it.
      { raisedOn: '2026-06-01', closedOn: '2026-09-20', outcome: 'resolved' },
      // Raised in the term: five resolved and one withdrawn in it, five still open at its end.
      ...[1, 2, 3, 4, 5].map(() => ({ raisedOn: '2026-09-10', closedOn: '2026-10-10', outcome: 'resolved' as const })),
      { raisedOn: '2026-09-10', closedOn: '2026-10-12', outcome: 'withdrawn' },
      ...[1, 2, 3, 4].map(() => ({ raisedOn: '2026-10-01', closedOn: null, outcome: null })),
      // Raised in the term, closed after it: still open at its end.
      { raisedOn: '2026-10-02', closedOn: '2027-01-20', outcome: 'resolved' },
      // Raised after the term: not counted.
      { raisedOn: '2027-01-10', closedOn: null, outcome: null },
    ],
  })
}

describe('the governors’ report (issue 16)', () => {
  test('X-02: the terms and years of the school calendar that have begun can be chosen, newest first', () => {
    const periods = reportPeriods(calendar, today)
    assert.deepEqual(
      periods.slice(0, 4).map((p) => [p.id, p.name]),
      [
        ['2026-27/spring', 'Spring term 2027'],
        ['2026-27', 'Academic year 2026 to 2027'],
        ['2026-27/autumn', 'Autumn term 2026'],
        ['2025-26/summer', 'Summer term 2026'],
      ],
    )
    assert.equal(chosenPeriod(calendar, today, undefined)?.id, '2026-27/spring', 'the latest term begun')
    assert.equal(chosenPeriod(calendar, today, '2027-28/autumn'), null, 'a term not yet begun')
    assert.deepEqual(
      previousPeriods(calendar, chosenPeriod(calendar, today, '2026-27/autumn')!).map((p) => p.id),
      ['2025-26/autumn', '2025-26/spring', '2025-26/summer'],
    )
  })

  test('X-04: in scope and up to date on the term’s last day, a group of fewer than 5 hidden, and a row that would give it away hidden too', () => {
    const r = report()
    assert.equal(r.asAt, '2026-12-18')
    assert.equal(r.complete, true)
    assert.deepEqual(r.headline, { label: 'Everyone in scope', inScope: 11, upToDate: 10, percent: 90 })
    // The SENCO alone is hidden; heads of year would give the SENCO away (11 - 10): hidden as well.
    assert.deepEqual(
      r.byRole.map((row) => [row.label, row.inScope, row.upToDate, row.percent]),
      [
        ['Head of year', hidden, hidden, hidden],
        ['SENCO or SENDCO', hidden, hidden, hidden],
      ],
    )
    assert.deepEqual(
      r.byKind.map((row) => [row.label, row.inScope, row.upToDate, row.percent]),
      [
        ['Planned one-to-one safeguarding supervision', 11, 10, 90],
        ["Supervisors' own supervision, one-to-one or as a group", 0, 0, null],
      ],
    )
  })

  test('MW-08, MW-06, CA-03: one-to-one sessions held against those required, cancellations by reason, rebooking deadlines met and missed', () => {
    const r = report()
    // Once a term each: 11 required; 10 held (the group session does not count).
    assert.deepEqual(r.sessions, { held: 10, required: 11, percent: 90 })
    assert.equal(r.cancellations.total, 6)
    // 5 and 1: the 1 is hidden, and so the 5 (6 - 5 = 1).
    assert.deepEqual(
      r.cancellations.byReason.map((c) => [c.label, c.count]),
      [
        ['Another reason', hidden],
        ['A safeguarding emergency', hidden],
      ],
    )
    assert.deepEqual(r.rebooking, { met: 5, missed: hidden })
  })

  test('MW-02, LH-08, LH-09: contracts signed in the term, supervisors, escalations raised and resolved', () => {
    const r = report()
    assert.equal(r.contractsSigned, 6, 'six people, once each; a contract signed before the term does not count')
    assert.deepEqual(r.supervisors, { total: hidden, trained: 0, supervised: 0 })
    // Six people escalated; five supervised since, the SENCO still escalated.
    assert.deepEqual(r.escalations, { raised: 6, resolved: 5, open: hidden })
  })

  test('LH-10: case escalations raised, resolved, closed otherwise and still open in the term', () => {
    const r = report('2026-27/autumn')
    // Raised in the term: 6 closed, 4 open, 1 closed after it; 1 withdrawn is a small number, hidden.
    assert.deepEqual(r.caseEscalations, { raised: 11, resolved: 6, closedOtherwise: hidden, open: 5 })
    const csv = reportCsvRows(r).rows.filter((row) => row[1] === 'Case escalations')
    assert.deepEqual(
      csv.map((row) => [row[2], row[4]]),
      [
        ['Raised', 11],
        ['Resolved', 6],
        ['Closed without being resolved', '[c]'],
        ['Still open', 5],
      ],
    )
  })

  test('the trend: the three terms before, each judged on its own last day, then this one', () => {
    const r = report()
    assert.deepEqual(
      r.trend.map((t) => [t.name, t.inScope, t.percent, t.held, t.required]),
      [
        ['Autumn term 2025', 11, 0, 0, 11],
        ['Spring term 2026', 11, 0, 0, 11],
        ['Summer term 2026', 11, 0, 0, 11],
        ['Autumn term 2026', 11, 90, 10, 11],
      ],
    )
  })

  test('a term still running is reported up to today', () => {
    const r = report('2026-27/spring')
    assert.equal(r.asAt, today)
    assert.equal(r.complete, false)
    assert.equal(r.sessions.held, 0)
  })

  test('what a frequency asks of one person in a term and in a year', () => {
    const autumn = chosenPeriod(calendar, today, '2026-27/autumn')!
    const year = chosenPeriod(calendar, today, '2026-27')!
    const f = (
      every: number,
      unit: 'weeks' | 'months' | 'half-terms' | 'terms' | 'academic-years',
      termTimeOnly = false,
    ) => ({
      every,
      unit,
      termTimeOnly,
      wording: null,
    })
    assert.equal(sessionsAskedFor(calendar, autumn, f(1, 'terms')), 1)
    assert.equal(sessionsAskedFor(calendar, autumn, f(1, 'half-terms')), 2, 'CA-02: each half term')
    assert.equal(sessionsAskedFor(calendar, year, f(1, 'half-terms')), 6)
    assert.equal(sessionsAskedFor(calendar, autumn, f(6, 'weeks')), 2, 'AM-02: every 6 weeks')
    assert.equal(sessionsAskedFor(calendar, autumn, f(12, 'weeks', true)), 1, 'MW-03: 12 weeks of term time')
    assert.equal(sessionsAskedFor(calendar, year, f(1, 'academic-years')), 1)
    assert.equal(sessionsAskedFor(calendar, autumn, null), 0)
  })
})

describe('multi-agency sessions by focus (CA-01)', () => {
  const cornerstone = loadPack('cornerstone')
  const period = {
    id: '2026-27/autumn',
    kind: 'term',
    name: 'Autumn term 2026',
    start: '2026-09-03',
    end: '2026-12-18',
  }
  const run = (sessions: SessionFact[], focus: Record<string, string>) =>
    focusedSessions(
      {
        facts: { policy: cornerstone, sessions } as unknown as OverviewFacts,
        sessionFocuses: Object.entries(focus).map(([sessionId, focusId]) => ({ sessionId, focusId })),
      },
      period as Parameters<typeof focusedSessions>[1],
      '2026-11-20',
    )

  test('CA-01: held sessions of a focused type in the period are counted by focus; others are not', () => {
    const ma = (date: string, status: SessionFact['status'] = 'held') =>
      aSession('multi-agency', date, ['p1'], { status })
    const sessions = [
      ...Array.from({ length: 5 }, () => ma('2026-10-01')),
      ...Array.from({ length: 6 }, () => ma('2026-10-02')),
      ma('2026-10-03'),
      ma('2026-10-04', 'planned'),
      ma('2026-08-01'),
      ma('2026-11-25'),
      aSession('formal-planned', '2026-10-01', ['p1']),
    ]
    const focus: Record<string, string> = {}
    sessions.forEach((s, i) => {
      focus[s.id] = i < 5 ? 'theme-centred' : i < 11 ? 'case-centred' : 'staff-centred'
    })
    delete focus[sessions[11]!.id]
    const [result] = run(sessions, focus)
    assert.equal(result?.typeName, 'Multi-agency supervision')
    assert.deepEqual(
      result?.byFocus.map((f) => [f.label, f.count]),
      [
        ['Theme-centred', hidden],
        ['Case-centred', 6],
        ['Staff-centred', 0],
      ],
    )
    // One held without a focus recorded: hidden, and protected by hiding the smallest other (5).
    assert.equal(result?.notRecorded, hidden)
    assert.equal(result?.total, 12)
  })

  test('CA-01: a policy with no focused type has no such table', () => {
    assert.deepEqual(
      focusedSessions(
        { facts: { policy, sessions: [] } as unknown as OverviewFacts },
        chosenPeriod(calendar, today, '2026-27/autumn')!,
        today,
      ),
      [],
    )
  })

  test('the report worked out from the standing on its own day, with the escalated judged alone, is the report worked out from the full answer', () => {
    const full = report()
    assert.ok(full.escalations.open !== 0, 'someone escalated in the term is still escalated at its end')
    assert.deepEqual(report('2026-27/autumn', { standingOnly: true }), full)
    assert.deepEqual(report('2025-26/summer', { standingOnly: true }), report('2025-26/summer'))
    assert.deepEqual(report('2026-27', { standingOnly: true }), report('2026-27'))
  })
})
