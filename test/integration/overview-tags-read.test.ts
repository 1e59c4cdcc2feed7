/**
 * How the database reads the framework tags ticked on records (LH-02; issue 16, the first
 * governors' report): the framework-tags fields of a template version are found once, not once per
 * record. Inlined, the planner ran the JSON path over a record's copy of its template for every
 * record of the window, about two thirds of the query on a 300-staff school (ADR 56). The plan is
 * read from the database itself (EXPLAIN ANALYZE), on PGlite and on PostgreSQL. The query's
 * estimate on such a school is above PostgreSQL's threshold for JIT compilation (154,809 against
 * 100,000 on the bench school), which would cost it about 200 ms more: it runs with JIT off.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { test } from 'node:test'
import { type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, sql } from 'kysely'
import { recordTags, recordTagsQuery } from '../../src/db/repositories/overview.ts'
import { freshDatabase } from '../helpers/database.ts'
import { buildOverviewSchool, fixedToday } from './overview-school.ts'

interface PlanNode {
  'Node Type': string
  'Function Name'?: string
  'Actual Loops'?: number
  Plans?: PlanNode[]
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)]
}

test('LH-02: the framework tags are read with the template fields found once per template version, not once per record', async (t) => {
  // A database of its own: the statistics gathered below are not left to other tests.
  const database = await freshDatabase({ own: true })
  t.after(() => database.close())
  const db = database.db
  const built = await buildOverviewSchool(db)
  // A school's worth of records on one template version: 300 held sessions like Ada's of 2
  // November, each with a signed record ticking two functions.
  const copies = 300
  const copied = await sql<{ id: string }>`
    insert into supervision_session
    select (jsonb_populate_record(null::supervision_session, to_jsonb(s) || jsonb_build_object(
      'id', gen_random_uuid(), 'date', s.date - n, 'rebooks_session_id', null))).*
    from supervision_session s, generate_series(1, ${copies}) n
    where s.id = ${built.ids.s1!}
    returning id`.execute(db)
  const sessionIds = copied.rows.map((r) => r.id)
  await sql`
    insert into supervision_record
    select (jsonb_populate_record(null::supervision_record, to_jsonb(r) || jsonb_build_object(
      'id', gen_random_uuid(), 'session_id', c.id, 'content_hash', encode(sha256(c.id::text::bytea), 'hex')))).*
    from supervision_record r, supervision_session c
    where r.id = ${built.ids.r1!} and c.id = any(${sessionIds}::uuid[])`.execute(db)
  await sql`analyze`.execute(db)
  const from = '2025-06-01'
  const to = fixedToday

  const tags = await recordTags(db, built.schoolId, from, to)
  const inWindow = sessionIds.filter((id) => tags.has(id))
  assert.ok(inWindow.length > copies / 2, `the copied sessions' tags are read (${inWindow.length})`)
  for (const id of inWindow) assert.deepEqual(tags.get(id), ['professional-development', 'multi-agency-working'])

  const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (analyze, format json) ${recordTagsQuery(
    built.schoolId,
    from,
    to,
  )}`.execute(db)
  const raw = rows[0]!['QUERY PLAN']
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[]
  const scans = nodesOf(plan[0]!.Plan).filter((n) => n['Function Name'] === 'jsonb_path_query')
  assert.equal(scans.length, 1, 'one scan of the templates for their framework-tags fields')
  assert.equal(scans[0]!['Actual Loops'], 1, 'the JSON path is run once for the one template version')
})

test("LH-02: the framework tags are read with JIT compilation off (the planner's estimate for the JSON functions is far above what they cost)", async (t) => {
  const database = await freshDatabase()
  t.after(() => database.close())
  const statements: string[] = []
  const seen: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs) {
      const node = args.node as { kind: string; sqlFragments?: readonly string[] }
      statements.push(
        node.kind === 'RawNode' ? (node.sqlFragments ?? []).join('?').replace(/\s+/g, ' ').trim() : node.kind,
      )
      return args.node
    },
    async transformResult(args: PluginTransformResultArgs) {
      return args.result
    },
  }
  await recordTags(database.db.withPlugin(seen), crypto.randomUUID(), '2025-06-01', fixedToday)
  assert.equal(statements.length, 2)
  assert.equal(statements[0], 'set local jit = off')
  assert.match(statements[1]!, /jsonb_path_query/)
})
