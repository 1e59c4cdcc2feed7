/**
 * Every figure of the DSL's overview (issue 9) against hand-computed expectations, on the small
 * school of overview-school.ts, on Monday 23 November 2026, through the real database queries.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/database.ts'
import type { Overview } from '../../src/domain/overview/index.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { loadPack } from '../../src/packs/index.ts'
import { templateById } from '../../src/packs/templates.ts'
import { computeOverview, overviewSummary, overviewWithLists } from '../../src/services/overview/overview.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import { freshDatabase } from '../helpers/database.ts'
import { buildOverviewSchool, fixedToday, type OverviewSchool } from './overview-school.ts'

describe('the overview of a small school on 23 November 2026', () => {
  let database: DatabaseHandle
  let built: OverviewSchool
  let overview: Overview

  before(async () => {
    database = await freshDatabase()
    built = await buildOverviewSchool(database.db)
    overview = await computeOverview(database.db, built.school, fixedToday)
  })
  after(() => database.close())

  const names = (list: readonly { name: string }[]) => list.map((x) => x.name)

  test('X-04: people in scope, and the percentage compliant rounded down', () => {
    const { figures } = overview.summary
    assert.equal(figures.inScope, 6)
    assert.deepEqual(names(overview.lists.people), [
      'Ada Brook',
      'Bea Clarke',
      'Cal Doyle',
      'Daniel Okafor',
      'Dev Evans',
      'Priya Raman',
    ])
    assert.equal(figures.upToDate, 4)
    assert.equal(figures.percentCompliant, 66)
  })

  test('LH-03: overdue, due in the next 14 days and never supervised', () => {
    const { figures } = overview.summary
    const status = (name: string) => overview.lists.people.find((p) => p.name === name)?.status
    assert.equal(figures.overdue, 1)
    assert.equal(status('Cal Doyle'), 'overdue')
    assert.equal(figures.dueSoon, 1)
    assert.equal(status('Bea Clarke'), 'due-soon')
    assert.equal(overview.lists.people.find((p) => p.name === 'Bea Clarke')?.nextDue, '2026-12-01')
    assert.equal(figures.neverSupervised, 1)
    assert.equal(status('Dev Evans'), 'never-supervised')
    assert.deepEqual(overview.summary.statusCounts, [
      { status: 'compliant', count: 3 },
      { status: 'due-soon', count: 1 },
      { status: 'overdue', count: 1 },
      { status: 'never-supervised', count: 1 },
    ])
    // The supervisor shown is the current supervisor, else the line manager.
    assert.equal(overview.lists.people.find((p) => p.name === 'Cal Doyle')?.supervisorName, 'Daniel Okafor')
  })

  test('CA-03: rebooking deadlines at risk (within 2 working days) and missed (in the last 12 months)', () => {
    const { figures } = overview.summary
    assert.equal(figures.rebookingsAtRisk, 1)
    assert.deepEqual(
      overview.lists.rebookingsAtRisk.map((r) => [r.personName, r.sessionDate, r.deadline]),
      [['Bea Clarke', '2026-11-17', '2026-11-24']],
    )
    assert.equal(figures.rebookingsMissed, 1)
    assert.deepEqual(
      overview.lists.rebookingsMissed.map((r) => [r.personName, r.sessionDate, r.deadline, r.rebookedFor]),
      [['Cal Doyle', '2026-10-05', '2026-10-12', null]],
    )
  })

  test('X-05: records awaiting a signature, and who they wait for', () => {
    assert.equal(overview.summary.figures.recordsAwaitingSignature, 1)
    assert.deepEqual(
      overview.lists.recordsAwaitingSignature.map((r) => [
        r.sessionDate,
        r.supervisorNames,
        r.superviseeNames,
        r.waitingFor,
      ]),
      [['2026-09-01', ['Daniel Okafor'], ['Bea Clarke'], ['Bea Clarke']]],
    )
  })

  test('MW-02: contracts issued and not yet signed by every party', () => {
    assert.equal(overview.summary.figures.contractsUnsigned, 1)
    assert.deepEqual(
      overview.lists.contractsUnsigned.map((c) => [
        c.superviseeName,
        c.supervisorName,
        c.academicYear,
        c.issuedOn,
        c.waitingFor,
      ]),
      [['Bea Clarke', 'Daniel Okafor', '2026-27', '2026-09-07', ['supervisor']]],
    )
  })

  test('X-05: overdue actions and drifting actions (carried forward at two sessions running); a draft’s actions do not count', () => {
    const { figures } = overview.summary
    assert.equal(figures.overdueActions, 1)
    assert.deepEqual(
      overview.lists.overdueActions.map((a) => [a.ownerName, a.dueOn, a.raisedOn, a.superviseeNames]),
      [['Bea Clarke', '2026-11-01', '2026-09-01', ['Bea Clarke']]],
    )
    assert.equal(figures.driftingActions, 1)
    assert.deepEqual(
      overview.lists.driftingActions.map((a) => [a.ownerName, a.carriedForwardRun, a.raisedOn, a.supervisorNames]),
      [['Ada Brook', 2, '2026-05-20', ['Sam Gale']]],
    )
  })

  test('LH-08: supervisors with no recorded training, and supervisors not themselves supervised', () => {
    const { figures } = overview.summary
    assert.equal(figures.supervisorsUntrained, 3)
    assert.deepEqual(
      overview.lists.supervisorsUntrained.map((s) => [s.name, s.roles]),
      [
        ['Ada Brook', ['line-manager']],
        ['Bea Clarke', ['current-supervisor']],
        ['Helen Ashworth', ['supervised', 'line-manager']],
      ],
    )
    assert.equal(figures.supervisorsUnsupervised, 1)
    assert.deepEqual(
      overview.lists.supervisorsUnsupervised.map((s) => [s.name, s.lastSupervisedOn, s.status]),
      [['Helen Ashworth', null, null]],
    )
  })

  test('LH-02: the balance of the five key functions over the last 12 months, from session tags and record tags', () => {
    const [framework] = overview.lists.balance.frameworks
    assert.equal(framework?.id, 'lh-five-functions')
    const row = (name: string) => framework!.rows.find((r) => r.name === name)!
    assert.deepEqual(row('Daniel Okafor').missing, [])
    assert.equal(row('Daniel Okafor').flagged, false)
    assert.deepEqual(row('Ada Brook').covered, [
      'management-oversight',
      'professional-development',
      'multi-agency-working',
      'voice-of-the-child',
    ])
    assert.deepEqual(row('Ada Brook').missing, ['personal-support'])
    assert.equal(row('Ada Brook').sessions, 3)
    assert.equal(row('Dev Evans').sessions, 0)
    assert.equal(overview.summary.figures.frameworkGaps, 5)
    assert.deepEqual(
      framework!.items.map((i) => i.coveredBy),
      [2, 2, 2, 2, 1],
    )
  })

  test('supervisor load by half term against the planner’s weekly limit', () => {
    const { load } = overview.lists
    assert.deepEqual(load.maxPerWeek, { value: 1, source: 'planner' })
    assert.equal(load.currentPeriodIndex, 1)
    assert.deepEqual(
      load.rows.map((r) => [r.name, r.counts, r.busiestWeek[1]]),
      [
        ['Daniel Okafor', [3, 3, 0, 0, 0, 0], 2],
        ['Helen Ashworth', [1, 0, 0, 0, 0, 0], 0],
      ],
    )
    assert.equal(overview.summary.figures.supervisorsOverLimit, 1)
  })

  test('X-08: the policy review date shows when it is near', () => {
    assert.equal(overview.summary.policyReview?.state, 'review-soon')
    assert.equal(overview.summary.policyReview?.nextReviewDue, '2026-12-10')
  })

  test('the kept overview is used until something it reads changes, then worked out again', async () => {
    const db = database.db
    const first = await overviewSummary(db, built.school, fixedToday)
    assert.deepEqual(first.figures, overview.summary.figures)
    const kept = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at', 'change_version'])
      .executeTakeFirstOrThrow()
    // Nothing changed: the same snapshot answers, for the summary and for the lists.
    await overviewSummary(db, built.school, fixedToday)
    await overviewWithLists(db, built.school, fixedToday)
    const again = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at', 'change_version'])
      .executeTakeFirstOrThrow()
    assert.deepEqual(again, kept)
    // Saving a draft record changes nothing the overview counts: it is not worked out again.
    await db
      .updateTable('supervision_record')
      .set({ document: JSON.stringify({ values: { summary: 'Work in progress' } }), draft_version: 2 })
      .where('id', '=', built.ids.r3!)
      .execute()
    await overviewSummary(db, built.school, fixedToday)
    const afterDraft = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at', 'change_version'])
      .executeTakeFirstOrThrow()
    assert.deepEqual(afterDraft, kept)
    // Bea signs her record: one fewer waiting, at once.
    await db
      .insertInto('record_signature')
      .values({
        record_id: built.ids.r2!,
        person_id: built.ids.bea!,
        role: 'supervisee',
        name: 'Bea Clarke',
        content_hash: 'a'.repeat(64),
        method: 'password',
      })
      .execute()
    await db
      .updateTable('supervision_record')
      .set({ status: 'signed', locked_at: new Date() })
      .where('id', '=', built.ids.r2!)
      .execute()
    const after = await overviewSummary(db, built.school, fixedToday)
    assert.equal(after.figures.recordsAwaitingSignature, 0)
    const lists = await overviewWithLists(db, built.school, fixedToday)
    assert.deepEqual(lists.lists.recordsAwaitingSignature, [])
  })

  test('a change in another school of the trust leaves this school’s kept overview alone', async () => {
    const db = database.db
    await overviewSummary(db, built.school, fixedToday)
    const kept = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at'])
      .where('school_id', '=', built.schoolId)
      .executeTakeFirstOrThrow()
    const other = await db
      .insertInto('school')
      .values({ organisation_id: built.organisationId, slug: 'elm', name: 'Elm Grove School' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('supervision_session')
      .values({ school_id: other.id, type_id: 'one-to-one', date: '2026-11-20' })
      .execute()
    await overviewSummary(db, built.school, fixedToday)
    const again = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at'])
      .where('school_id', '=', built.schoolId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(again, kept)
  })

  test('the change log is folded into one row without changing the version', async () => {
    const db = database.db
    const version = async () =>
      (
        await sql<{ version: number; rows: number }>`
          select coalesce(sum(weight), 0) as version, count(*) as rows from overview_change where school_id = ${built.schoolId}`.execute(
          db,
        )
      ).rows[0]!
    await sql`insert into overview_change (school_id) select ${built.schoolId} from generate_series(1, 150)`.execute(db)
    const before = await version()
    assert.ok(before.rows > 100)
    await overviewSummary(db, built.school, fixedToday)
    const after = await version()
    assert.equal(Number(after.version), Number(before.version))
    assert.equal(Number(after.rows), 1)
    // And the kept overview made at that version is used.
    const kept = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at', 'change_version'])
      .where('school_id', '=', built.schoolId)
      .executeTakeFirstOrThrow()
    assert.equal(Number(kept.change_version), Number(before.version))
    await overviewSummary(db, built.school, fixedToday)
    const again = await db
      .selectFrom('overview_snapshot')
      .select(['computed_at'])
      .where('school_id', '=', built.schoolId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(again.computed_at, kept.computed_at)
    // A new day is worked out afresh.
    const tomorrow = await overviewSummary(db, built.school, '2026-11-24')
    assert.equal(tomorrow.today, '2026-11-24')
  })
})

describe('AM-01, PL-01: the balance of other frameworks, from what is ticked on records', () => {
  let database: DatabaseHandle
  after(() => database.close())

  test('AM-01: Morrison’s four functions; PL-01: the four key principles; each not covered is flagged', async () => {
    database = await freshDatabase()
    const db = database.db
    const ashbury: PolicyDocument = { ...loadPack('ashbury-meadow'), effectiveFrom: '2024-09-01' }
    const place: PolicyDocument = { ...loadPack('the-place'), effectiveFrom: '2024-09-01' }
    const org = await insertOrganisation(db, {
      organisationKind: 'trust',
      organisationName: 'Meadow Learning Trust',
      schoolName: 'Ashbury Meadow',
      schoolSlug: 'ashbury',
      policy: ashbury,
    })
    const placeSchool = await db
      .insertInto('school')
      .values({ organisation_id: org.organisationId, slug: 'the-place', name: 'The PLACE' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('policy_version')
      .values({ school_id: placeSchool.id, version: 1, effective_from: '2024-09-01', document: JSON.stringify(place) })
      .execute()
    const person = async (schoolId: string, name: string, roles: string[]) =>
      (
        await db
          .insertInto('person')
          .values({
            organisation_id: org.organisationId,
            school_id: schoolId,
            name,
            email: `${name.split(' ')[0]!.toLowerCase()}@meadow.example`,
            roles,
            start_date: '2020-09-01',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const zara = await person(org.schoolId, 'Zara Ahmed', ['dsl'])
    await person(org.schoolId, 'Yusuf Khan', ['deputy-dsl'])
    const xena = await person(placeSchool.id, 'Xena Lowe', ['class-teacher'])
    const lead = await person(placeSchool.id, 'Wyn Lead', ['headteacher'])
    const held = async (
      schoolId: string,
      typeId: string,
      supervisor: string,
      supervisee: string,
      tags: string[],
      templateId: string,
      values: Record<string, unknown>,
    ) => {
      const session = await db
        .insertInto('supervision_session')
        .values({ school_id: schoolId, type_id: typeId, date: '2026-10-01', status: 'held', tags })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('session_participant')
        .values([
          { session_id: session.id, person_id: supervisor, role: 'supervisor', attended: true },
          { session_id: session.id, person_id: supervisee, role: 'supervisee', attended: true },
        ])
        .execute()
      const template = templateById(templateId)!
      await db
        .insertInto('supervision_record')
        .values({
          school_id: schoolId,
          session_id: session.id,
          template_id: template.id,
          template_version: template.version,
          template: JSON.stringify(template),
          document: JSON.stringify({
            values,
            actions: [],
            reviews: [],
            carried: [],
            decisions: [],
            boundary: '',
            session: null,
          }),
          status: 'completed',
          content_hash: 'b'.repeat(64),
          completed_at: new Date('2026-10-01T16:00:00Z'),
        })
        .execute()
    }
    await held(org.schoolId, 'one-to-one', org.personId, zara, ['managerial'], 'am-notes-actions', {
      functions: ['supportive', 'developmental'],
    })
    await held(placeSchool.id, 'one-to-one', lead, xena, [], 'pl-supervision-record', {
      principles: ['better-outcomes', 'accountable-practice'],
    })
    const schools = await db.selectFrom('school').select(['id', 'organisation_id', 'slug', 'name']).execute()
    const ref = (slug: string) => {
      const s = schools.find((x) => x.slug === slug)!
      return { id: s.id, organisationId: s.organisation_id, slug: s.slug, name: s.name }
    }

    const am = await computeOverview(db, ref('ashbury'), fixedToday)
    const morrison = am.lists.balance.frameworks.find((f) => f.id === 'am-morrison-functions')!
    const row = (f: typeof morrison, name: string) => f.rows.find((r) => r.name === name)!
    assert.deepEqual(row(morrison, 'Zara Ahmed').covered, ['managerial', 'developmental', 'supportive'])
    assert.deepEqual(row(morrison, 'Zara Ahmed').missing, ['mediation'])
    assert.equal(row(morrison, 'Zara Ahmed').flagged, true)
    assert.deepEqual(row(morrison, 'Yusuf Khan').covered, [])
    // The SENSE, FEEL, THINK, DO cycle is not tagged, so it has no balance.
    assert.deepEqual(
      am.lists.balance.frameworks.map((f) => f.id),
      ['am-morrison-functions'],
    )
    assert.equal(am.summary.figures.frameworkGaps, 2)

    const pl = await computeOverview(db, ref('the-place'), fixedToday)
    const principles = pl.lists.balance.frameworks.find((f) => f.id === 'pl-key-principles')!
    assert.deepEqual(row(principles, 'Xena Lowe').covered, ['better-outcomes', 'accountable-practice'])
    assert.deepEqual(row(principles, 'Xena Lowe').missing, [
      'roles-and-responsibilities',
      'development-and-improvement',
    ])
    assert.equal(pl.summary.school.name, 'The PLACE')
  })
})
