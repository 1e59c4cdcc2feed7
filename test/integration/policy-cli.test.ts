import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../src/cli.ts'
import { projectRoot } from '../../src/root.ts'
import { engineIndependent } from '../helpers/engines.ts'
import { namedDatabase } from '../helpers/named-database.ts'

function capture(env: Record<string, string | undefined>) {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err }
}

test('haven packs lists the five policy packs with their schools', engineIndependent(), async () => {
  const c = capture({ LOG_LEVEL: 'silent' })
  assert.equal(await runCli(['packs'], c.io), 0)
  const text = c.out.join('\n')
  for (const id of ['meanwood', 'lode-heath', 'cornerstone', 'the-place', 'ashbury-meadow'])
    assert.match(text, new RegExp(`^${id}\\s`, 'm'))
  assert.match(text, /Meanwood CE Primary School/)
})

test(
  'haven policy validate: a pack is valid; a broken file lists every problem with its location and exits 1',
  engineIndependent(),
  async () => {
    const good = capture({})
    assert.equal(
      await runCli(['policy', 'validate', path.join(projectRoot, 'src/packs/cornerstone/policy.json')], good.io),
      0,
    )
    assert.match(good.out[0]!, /valid/)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-policy-'))
    try {
      const broken = JSON.parse(fs.readFileSync(path.join(projectRoot, 'src/packs/cornerstone/policy.json'), 'utf8'))
      broken.requirements[0].frequency.every = 0
      broken.requirements[0].sessionTypes = ['no-such-type']
      const file = path.join(dir, 'broken.json')
      fs.writeFileSync(file, JSON.stringify(broken))
      const bad = capture({})
      assert.equal(await runCli(['policy', 'validate', file], bad.io), 1)
      const text = bad.err.join('\n')
      assert.match(text, /requirements\[0\]\.frequency\.every/)
      assert.match(text, /requirements\[0\]\.sessionTypes/)
      const junk = path.join(dir, 'junk.json')
      fs.writeFileSync(junk, 'not json at all')
      const notJson = capture({})
      assert.equal(await runCli(['policy', 'validate', junk], notJson.io), 1)
      assert.match(notJson.err[0]!, /not valid JSON: line 1, column 1: expected a value/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  },
)

test(
  'haven policy validate explains every refusal by its JSON path: schema, cross-field, unknown keys; a file that is not JSON by line and column',
  engineIndependent(),
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-policy-'))
    const validate = async (name: string, text: string) => {
      const file = path.join(dir, name)
      fs.writeFileSync(file, text)
      const c = capture({})
      const code = await runCli(['policy', 'validate', file], c.io)
      return { code, lines: c.err }
    }
    try {
      const doc = JSON.parse(fs.readFileSync(path.join(projectRoot, 'src/packs/meanwood/policy.json'), 'utf8'))
      // Schema: a wrong type, a value out of range, a missing field.
      doc.requirements[0].frequency.unit = 'fortnights'
      doc.cancellation.rebooking = { within: { amount: -1, unit: 'working-days' } }
      delete doc.metadata.title
      // Across fields: an id used twice, a session type and a role that name nothing.
      doc.sessionTypes[1].id = doc.sessionTypes[0].id
      doc.cancellation.visibleTo = ['dsl', 'head-of-everything']
      // Keys Haven does not recognise, at the top and deep down.
      doc.colour = 'blue'
      doc.requirements[0].frequncy = { every: 4 }
      const broken = await validate('broken.json', JSON.stringify(doc, null, 2))
      assert.equal(broken.code, 1)
      const [head, ...problems] = broken.lines
      assert.match(head!, /broken\.json: \d+ problems/)
      for (const line of problems) assert.match(line, /^ {2}\S+: \S/, 'every problem is led by its path')
      const text = problems.join('\n')
      assert.match(text, /^ {2}requirements\[0\]\.frequency\.unit: The unit of the frequency must be/m)
      assert.match(text, /^ {2}cancellation\.rebooking\.within\.amount: .* must be 0 or more/m)
      assert.match(text, /^ {2}metadata\.title: Enter the policy title/m)
      assert.match(text, /^ {2}sessionTypes\[1\]\.id: The session type id '[a-z-]+' is used more than once/m)
      assert.match(text, /^ {2}cancellation\.visibleTo\[1\]: There is no role 'head-of-everything'/m)
      assert.match(text, /^ {2}colour: Remove 'colour': it is not a field Haven recognises here/m)
      assert.match(text, /^ {2}requirements\[0\]\.frequncy: Remove 'frequncy'/m)

      const list = await validate('list.json', '[]')
      assert.deepEqual(list.lines.slice(1), [
        '  (the whole file): The policy must be a set of named fields, written { ... }',
      ])

      const comma = await validate('comma.json', '{\n  "id": "riverside",\n  "version": 1,\n}\n')
      assert.equal(comma.code, 1)
      assert.match(comma.lines[0]!, /comma\.json is not valid JSON: line 4, column 1: found '\}' after a comma/)
      const unclosed = await validate('unclosed.json', '{\n  "id": "riverside"\n')
      assert.match(
        unclosed.lines[0]!,
        /line 3, column 1: expected ',' or '\}' after a field's value, found the end of the file/,
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  },
)

test('haven demo builds a living school and haven compliance shows every status, with the JSON fields promised', {
  skip: process.env.HAVEN_TEST_DB === 'postgres' && 'runs on the embedded database',
}, async (t) => {
  // A copy of the migrated template: migrating from nothing is haven migrate's test.
  const env = { ...(await namedDatabase(t)).env, LOG_LEVEL: 'silent' }
  {
    const demo = capture(env)
    assert.equal(await runCli(['demo', '--pack', 'cornerstone', '--on', '2026-11-23'], demo.io), 0, demo.err.join('\n'))
    const text = demo.out.join('\n')
    assert.match(text, /Created The Cornerstone Academy \(short name cornerstone\)/)
    assert.match(text, /@cornerstone\.demo\.invalid \/ \S+/)
    const again = capture(env)
    assert.equal(await runCli(['demo', '--pack', 'cornerstone'], again.io), 1)
    assert.match(again.err[0]!, /already exists/)

    const json = capture(env)
    assert.equal(
      await runCli(['compliance', 'cornerstone', '--on', '2026-11-23', '--json'], json.io),
      0,
      json.err.join('\n'),
    )
    const results = JSON.parse(json.out.join('\n')) as Record<string, unknown>[]
    for (const key of ['personId', 'name', 'required', 'reason', 'status', 'lastSession', 'nextDue', 'breaches'])
      assert.ok(key in results[0]!, key)
    const statuses = new Set(results.map((r) => r.status))
    for (const s of ['compliant', 'overdue', 'never-supervised', 'not-required']) assert.ok(statuses.has(s), s)
    const missed = results
      .flatMap((r) => r.breaches as { kind: string }[])
      .filter((b) => b.kind === 'rebooking-deadline-missed')
    assert.equal(missed.length, 1, 'CA-03: the cancellation whose rebooking deadline passed')

    const meanwood = capture(env)
    assert.equal(
      await runCli(['demo', '--pack', 'meanwood', '--on', '2026-11-23'], meanwood.io),
      0,
      meanwood.err.join('\n'),
    )
    const table = capture(env)
    assert.equal(await runCli(['compliance', 'meanwood', '--on', '2026-11-23'], table.io), 0)
    assert.match(table.out.join('\n'), /due soon/)
    assert.match(table.out.join('\n'), /Required: staff working in the EYFS|EYFS/)

    const unknown = capture(env)
    assert.equal(await runCli(['compliance', 'nowhere'], unknown.io), 1)
    assert.match(unknown.err[0]!, /no school has the short name "nowhere"/)

    // Export and re-import make a new version; an invalid import saves nothing.
    const exported = capture(env)
    assert.equal(await runCli(['policy', 'export', 'meanwood'], exported.io), 0)
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'haven-export-')), 'meanwood.json')
    t.after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }))
    fs.writeFileSync(file, exported.out.join('\n'))
    const imported = capture(env)
    assert.equal(
      // X-01 (issue 14): a date before today needs a reason for backdating.
      await runCli(
        ['policy', 'import', 'meanwood', file, '--effective', '2026-12-01', '--reason', 'Re-imported from the export'],
        imported.io,
      ),
      0,
      imported.err.join('\n'),
    )
    assert.match(imported.out[0]!, /version 2/)
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
    doc.scope.rules[0].who.roles = ['no-such-role']
    fs.writeFileSync(file, JSON.stringify(doc))
    const rejected = capture(env)
    assert.equal(await runCli(['policy', 'import', 'meanwood', file], rejected.io), 1)
    assert.match(rejected.err[0]!, /nothing was saved/)
  }
})
