import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runCli } from '../../src/cli.ts'
import { halfTermOn, isoWeekday } from '../../src/domain/calendar/index.ts'
import { schoolCalendar } from '../../src/services/calendar/store.ts'
import { namedDatabase } from '../helpers/named-database.ts'
import { addPerson, orgOnPack } from './planner-fixtures.ts'

function capture(env: Record<string, string>) {
  const out: string[] = []
  const err: string[] = []
  return {
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { ...env, LOG_LEVEL: 'silent' } },
    out,
    err,
  }
}

test('MW-01, MW-04: haven plan prints the proposal for everyone identified, part-timers on their own days', async (t) => {
  const target = await namedDatabase(t)
  const handle = await target.open()
  let calendar: Awaited<ReturnType<typeof schoolCalendar>>
  try {
    const db = handle.db
    const org = await orgOnPack(db, 'meanwood', '2026-09-01')
    const head = await addPerson(db, org, { name: 'Hana Head', roles: ['headteacher'] })
    await addPerson(db, org, { name: 'Erin Eyfs', roles: ['eyfs-practitioner'], lineManagerId: head })
    await addPerson(db, org, {
      name: 'Paul Parttime',
      worksInEyfs: true,
      lineManagerId: head,
      partTime: true,
      workingDays: [4, 5],
    })
    await addPerson(db, org, { name: 'Sam Sendco', roles: ['senco'], lineManagerId: head })
    await addPerson(db, org, { name: 'Lee Mentor', roles: ['learning-mentor'], lineManagerId: head })
    await addPerson(db, org, { name: 'Tom Teacher', roles: ['class-teacher'], lineManagerId: head })
    await addPerson(db, org, { name: 'Dora Dsl', roles: ['dsl'] })
    calendar = await schoolCalendar(db, org.schoolId, '2026-09-01')
  } finally {
    await handle.close()
  }

  const json = capture(target.env)
  assert.equal(
    await runCli(['plan', 'oakfield', '--year', '2026-27', '--on', '2026-08-20', '--json'], json.io),
    0,
    json.err.join('\n'),
  )
  const plan = JSON.parse(json.out.join('\n'))
  assert.equal(plan.from, '2026-09-01')
  const byName = new Map<string, { date: string; supervisor: string; durationMinutes: number }[]>()
  for (const p of plan.proposals) byName.set(p.supervisee, [...(byName.get(p.supervisee) ?? []), p])
  assert.deepEqual([...byName.keys()].sort(), ['Erin Eyfs', 'Lee Mentor', 'Paul Parttime', 'Sam Sendco'])
  for (const [name, sessions] of byName) {
    assert.ok(sessions.length >= 3, `${name}: once a term at least`)
    assert.ok(sessions.every((s) => s.supervisor === 'Hana Head' && s.durationMinutes === 60))
    assert.ok(sessions.every((s) => halfTermOn(calendar, s.date)))
  }
  assert.equal(byName.get('Paul Parttime')!.length, byName.get('Erin Eyfs')!.length, 'never pro rata')
  assert.ok(byName.get('Paul Parttime')!.every((s) => [4, 5].includes(isoWeekday(s.date))))
  assert.deepEqual(
    plan.unplaceable.map((u: { name: string }) => u.name),
    ['Dora Dsl'],
    'the DSL is identified (MW-01) but has no line manager to supervise her',
  )

  const text = capture(target.env)
  assert.equal(await runCli(['plan', 'oakfield', '--year', '2026-27', '--on', '2026-08-20'], text.io), 0)
  const out = text.out.join('\n')
  assert.match(
    out,
    /Proposed sessions for Oakfield Primary School, 2026-27, from Tuesday 1 September 2026 to Friday 16 July 2027/,
  )
  assert.match(
    out,
    /Autumn 2\n {2}\w+day \d+ November 2026 +9am +\w+ \w+ +with Hana Head \(Formal one-to-one supervision\)/,
  )
  assert.match(out, /Dora Dsl: Dora Dsl has no supervisor or line manager in Haven/)
  assert.match(out, /sessions for 4 people; 1 not planned\. Nothing has been saved/)

  const bad = capture(target.env)
  assert.equal(await runCli(['plan', 'oakfield', '--year', '2026'], bad.io), 2)
  assert.match(bad.err[0]!, /--year must be an academic year like 2026-27/)
  const unknown = capture(target.env)
  assert.equal(await runCli(['plan', 'nowhere', '--year', '2026-27'], unknown.io), 1)
  assert.match(unknown.err[0]!, /no school has the short name "nowhere"/)
})
