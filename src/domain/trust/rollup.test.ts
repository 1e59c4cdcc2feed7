/**
 * The trust rollup from facts (issue 16, item 2): each academy's figures for a term from the same
 * computations as the governors' report, cross-school supervision counted once where the
 * supervisee belongs (LH-05), academies flagged below the trust's threshold, sorting by any
 * column, and the change since the term before.
 *
 * Two academies on Lode Heath's policy (one-to-one once a term for heads of year), autumn term
 * 2026, judged on its last day (18 December):
 * - North: five heads of year supervised on 1 October by North's DSL; North's DSL herself
 *   supervised on 5 October by South's DSL, in a session recorded at South (cross-school).
 * - South: five heads of year, two supervised on 1 October.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar } from '../calendar/index.ts'
import { aCancellation, aPerson, aSession } from '../compliance/builders.ts'
import { assessCompliance, type SessionFact } from '../compliance/index.ts'
import { chosenPeriod, previousPeriods } from '../governors/index.ts'
import { policyBookOf } from '../policy/index.ts'
import {
  type AcademyFigures,
  academyFigures,
  buildTrustRollup,
  defaultSort,
  parseSort,
  sessionsWhereTheyBelong,
} from './rollup.ts'

const calendar = englandDefaultCalendar('england-and-wales', 2024, 2027)
const policy = { ...loadPack('lode-heath'), effectiveFrom: '2024-09-01' }
const book = policyBookOf([policy])
const period = chosenPeriod(calendar, '2027-01-10', '2026-27/autumn')!
const asAt = period.end

const northDsl = aPerson({ id: 'n-dsl', schoolId: 'north', roles: ['dsl'] })
const southDsl = aPerson({ id: 's-dsl', schoolId: 'south', roles: ['dsl'] })
const northHeads = Array.from({ length: 5 }, (_, i) =>
  aPerson({ id: `n${i}`, schoolId: 'north', roles: ['year-head'], lineManagerId: 'n-dsl' }),
)
const southHeads = Array.from({ length: 5 }, (_, i) =>
  aPerson({ id: `s${i}`, schoolId: 'south', roles: ['year-head'], lineManagerId: 's-dsl' }),
)
const north = [northDsl, ...northHeads]
const south = [southDsl, ...southHeads]

const northOwn: SessionFact[] = northHeads.map((p) =>
  aSession('one-to-one', '2026-10-01', [p.id], { supervisorIds: ['n-dsl'] }),
)
/** Recorded at South: South's DSL supervising North's DSL (LH-05, "a DSL from another school of the trust"). */
const crossSchool = aSession('one-to-one', '2026-10-05', ['n-dsl'], { supervisorIds: ['s-dsl'] })
const southOwn: SessionFact[] = [
  ...southHeads.slice(0, 2).map((p) => aSession('one-to-one', '2026-10-01', [p.id], { supervisorIds: ['s-dsl'] })),
  crossSchool,
]

function figuresOf(people: typeof north, own: SessionFact[], elsewhere: SessionFact[]): AcademyFigures {
  const sessions = sessionsWhereTheyBelong(own, elsewhere, new Set(people.map((p) => p.id)))
  const compliance = assessCompliance({ policy: [policy], calendar, people, sessions, cancellations: [], today: asAt })
  return academyFigures({
    calendar,
    book,
    period,
    asAt,
    compliance,
    sessions,
    cancellations: [aCancellation({ date: '2026-11-02', superviseeIds: ['n1'], reasonId: 'other' })].filter(
      () => people === north,
    ),
    contractsSigned: [
      { superviseeId: 'n1', signedOn: '2026-09-20' },
      { superviseeId: 'n1', signedOn: '2026-10-20' },
      { superviseeId: 'n2', signedOn: '2026-06-20' },
    ].filter(() => people === north),
  })
}

const northFigures = () => figuresOf(north, northOwn, southOwn)
const southFigures = () => figuresOf(south, southOwn, northOwn)

function figures(overrides: Partial<AcademyFigures>): AcademyFigures {
  return {
    inScope: 10,
    upToDate: 10,
    percent: 100,
    overdue: 0,
    held: 10,
    required: 10,
    cancellations: 0,
    rebookingsMissed: 0,
    contractsSigned: 0,
    ...overrides,
  }
}

describe('the trust rollup (issue 16)', () => {
  test('LH-05: a DSL supervised by a DSL of another academy is counted once, where she belongs', () => {
    const n = northFigures()
    const s = southFigures()
    // North: its five heads of year and its DSL, each held once; all six up to date.
    assert.equal(n.inScope, 6)
    assert.equal(n.upToDate, 6)
    assert.equal(n.held, 6, 'the session recorded at South counts for North, where the supervisee belongs')
    // South: the session it recorded for North's DSL is not South's.
    assert.equal(s.held, 2)
    assert.equal(s.inScope, 6)
    assert.equal(s.upToDate, 2)
    assert.equal(s.overdue, 4, 'three heads of year and the DSL, never supervised')
    const rollup = buildTrustRollup({
      academies: [
        { school: { id: 'north', name: 'North', slug: 'north' }, current: n, previous: null },
        { school: { id: 'south', name: 'South', slug: 'south' }, current: s, previous: null },
      ],
      threshold: 80,
      sort: defaultSort,
    })
    assert.equal(rollup.total.current.held, 8, 'the trust counts the cross-school session once')
  })

  test('LH-05: a session elsewhere counts only the academy’s own people, and one already its own is not taken twice', () => {
    const group = aSession('group', '2026-10-05', ['n1', 's1'], { supervisorIds: ['s-dsl'] })
    const merged = sessionsWhereTheyBelong(northOwn, [group, northOwn[0]!], new Set(['n1', 'n0']))
    assert.equal(merged.length, northOwn.length + 1)
    assert.deepEqual(merged.at(-1)!.superviseeIds, ['n1'])
    assert.equal(sessionsWhereTheyBelong([], [group], new Set(['x'])).length, 0)
  })

  test('MW-06, MW-02: cancellations in the term; a contract signed in the term counts the person once', () => {
    const n = northFigures()
    assert.equal(n.cancellations, 1)
    assert.equal(n.contractsSigned, 1)
    assert.equal(n.required, 6, 'once a term for each of the six in scope')
  })

  test('an academy below the trust’s threshold is flagged; one with no one in scope or no policy is not', () => {
    const rollup = buildTrustRollup({
      academies: [
        { school: { id: 'a', name: 'Ash', slug: 'ash' }, current: figures({ percent: 79 }), previous: null },
        { school: { id: 'b', name: 'Birch', slug: 'birch' }, current: figures({ percent: 80 }), previous: null },
        {
          school: { id: 'c', name: 'Cedar', slug: 'cedar' },
          current: figures({ inScope: 0, upToDate: 0, percent: null }),
          previous: null,
        },
        { school: { id: 'd', name: 'Damson', slug: 'damson' }, current: null, previous: null },
      ],
      threshold: 80,
      sort: defaultSort,
    })
    assert.deepEqual(
      rollup.rows.map((r) => [r.school.name, r.flagged]),
      [
        ['Ash', true],
        ['Birch', false],
        ['Cedar', false],
        ['Damson', false],
      ],
    )
    assert.equal(rollup.flaggedCount, 1)
  })

  test('sorted by any column either way, unknown values last, ties by name', () => {
    const academies = [
      { school: { id: 'a', name: 'Ash', slug: 'ash' }, current: figures({ overdue: 3, percent: 70 }), previous: null },
      {
        school: { id: 'b', name: 'Birch', slug: 'birch' },
        current: figures({ overdue: 1, percent: 90 }),
        previous: null,
      },
      {
        school: { id: 'c', name: 'Cedar', slug: 'cedar' },
        current: figures({ overdue: 3, percent: 60 }),
        previous: null,
      },
      { school: { id: 'd', name: 'Damson', slug: 'damson' }, current: null, previous: null },
    ]
    const order = (sort: unknown, dir: unknown) =>
      buildTrustRollup({ academies, threshold: 50, sort: parseSort(sort, dir) }).rows.map((r) => r.school.name)
    assert.deepEqual(order('overdue', 'desc'), ['Ash', 'Cedar', 'Birch', 'Damson'])
    assert.deepEqual(order('overdue', 'asc'), ['Birch', 'Ash', 'Cedar', 'Damson'])
    assert.deepEqual(order('academy', 'desc'), ['Damson', 'Cedar', 'Birch', 'Ash'])
    assert.deepEqual(order(undefined, undefined), ['Cedar', 'Ash', 'Birch', 'Damson'], 'lowest percentage first')
    assert.deepEqual(parseSort('nonsense', 'sideways'), defaultSort)
    assert.deepEqual(parseSort('held', undefined), { column: 'held', direction: 'desc' })
  })

  test('this term against the term before: the change in each figure, and for the trust as a whole', () => {
    const previous = previousPeriods(calendar, period, 1)
    assert.deepEqual(
      previous.map((p) => p.id),
      ['2025-26/summer'],
    )
    const rollup = buildTrustRollup({
      academies: [
        {
          school: { id: 'a', name: 'Ash', slug: 'ash' },
          current: figures({ upToDate: 9, percent: 90, held: 12 }),
          previous: figures({ upToDate: 7, percent: 70, held: 8 }),
        },
        { school: { id: 'b', name: 'Birch', slug: 'birch' }, current: figures({}), previous: null },
      ],
      threshold: 80,
      sort: defaultSort,
    })
    const ash = rollup.rows.find((r) => r.school.id === 'a')!
    assert.equal(ash.change.percent, 20)
    assert.equal(ash.change.held, 4)
    assert.equal(rollup.rows.find((r) => r.school.id === 'b')!.change.percent, null)
    assert.equal(rollup.total.current.percent, 95)
    assert.equal(rollup.total.previous?.percent, 70)
    assert.equal(rollup.total.change.inScope, 10)
  })
})
