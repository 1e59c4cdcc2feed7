/**
 * Staff import from the school's MIS through the web pages and the command line: preview, then
 * import all or nothing; every problem reported by row and column; never a 500.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import type { CommandContext } from '../../src/cli.ts'
import { runCli } from '../../src/cli.ts'
import { testConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { importStaffCommand } from '../../src/features/staff/cli.ts'
import { html, textOf } from '../helpers/html.ts'
import { personSignedIn, postFile, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url))

async function upload(s: StaffTestApp, content: Buffer | string, browser = s.admin, filename = 'staff.csv') {
  return postFile(s.app, browser, '/staff/import', { filename, content })
}

/** The cells of the first table on the page (the problems, or the people to add). */
function errorRows(body: string): string[][] {
  return (html(body).querySelector('table')?.querySelectorAll('tbody tr') ?? []).map((tr) =>
    tr.querySelectorAll('th, td').map((c) => c.textContent.trim()),
  )
}

async function previewAndImport(s: StaffTestApp, content: Buffer | string, browser = s.admin) {
  const up = await upload(s, content, browser)
  assert.equal(up.statusCode, 303, up.body.slice(0, 2000))
  const preview = await browser.get(up.headers.location as string)
  assert.equal(preview.statusCode, 200)
  const digest = html(preview.body).querySelector('input[name=digest]')?.getAttribute('value')
  const done = digest ? await browser.post(up.headers.location as string, { digest }) : null
  return { url: up.headers.location as string, preview, done }
}

async function people(s: StaffTestApp) {
  return s.database.db.selectFrom('person').selectAll().orderBy('email').execute()
}

test('X-03: a SIMS export is previewed, then imported all at once, with roles and line managers', async (t) => {
  const s = await staffTestApp(t)
  const { preview, done } = await previewAndImport(s, fixture('sims-export.csv'))
  assert.match(preview.body, /5 people to add/)
  assert.match(preview.body, /0 people to update/)
  assert.match(preview.body, /Import 5 people/)
  assert.match(textOf(preview.body, '.govuk-inset-text'), /Title/)
  const toAdd = errorRows(preview.body)
  assert.deepEqual(toAdd[0], [
    'Maggie Threlkeld',
    'm.threlkeld@meadowbank.example.org',
    'Headteacher',
    'Headteacher or principal, Designated safeguarding lead (DSL)',
  ])
  assert.equal(done!.statusCode, 303)
  assert.equal(done!.headers.location, '/staff?imported=1&created=5&updated=0')

  const list = await s.admin.get(done!.headers.location as string)
  assert.match(textOf(list.body, '.govuk-notification-banner'), /5 added and 0 updated/)
  for (const name of [
    'Maggie Threlkeld',
    'Siân O&#39;Brien',
    'Zoë Fairweather-Quill',
    'Bart Okonkwo-Hale',
    'Idris Pennyfeather',
  ])
    assert.ok(list.body.includes(name), name)
  const rows = await people(s)
  const byEmail = new Map(rows.map((r) => [r.email, r]))
  const zoe = byEmail.get('z.fairweather-quill@meadowbank.example.org')!
  assert.equal(zoe.line_manager_id, byEmail.get('s.obrien@meadowbank.example.org')!.id)
  assert.equal(zoe.employment_type, 'fixed-term')
  assert.equal(zoe.part_time, true)
  assert.equal(zoe.end_date, '2025-08-31')
  assert.deepEqual(zoe.roles, ['class-teacher', 'eyfs-practitioner'])
  // The line management history starts with the import.
  const assignments = await s.database.db.selectFrom('supervision_assignment').selectAll().execute()
  assert.equal(assignments.length, 4)
  assert.ok(assignments.every((a) => a.kind === 'line-manager' && a.ends_on === null))
  // One audit entry, with counts and no personal data; the stored file is gone.
  const audit = await s.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'staff.import').execute()
  assert.equal(audit.length, 1)
  assert.deepEqual(
    { ...audit[0]!.detail, sha256: undefined },
    { created: 5, updated: 0, unchanged: 0, notInFile: 1, source: 'web', sha256: undefined },
  )
  assert.doesNotMatch(JSON.stringify(audit[0]!.detail), /@|Threlkeld/)
  assert.equal(await s.database.db.selectFrom('staff_import').select('id').executeTakeFirst(), undefined)
})

test('importing the same file twice changes nothing', async (t) => {
  const s = await staffTestApp(t)
  await previewAndImport(s, fixture('sims-export.csv'))
  const before = await people(s)
  const auditBefore = await s.database.db.selectFrom('audit_event').select('id').execute()
  const second = await previewAndImport(s, fixture('sims-export.csv'))
  assert.match(second.preview.body, /There is nothing to import/)
  assert.match(second.preview.body, /5 people already up to date/)
  assert.equal(second.done, null, 'no import button')
  // Even a forced confirmation writes nothing.
  const forced = await s.admin.post(second.url, { digest: 'whatever' })
  assert.equal(forced.statusCode, 409)
  assert.deepEqual(await people(s), before)
  const auditAfter = await s.database.db.selectFrom('audit_event').select('id').execute()
  assert.equal(auditAfter.length, auditBefore.length)
})

test('a changed file updates people, listing what changes; a new line manager is a recorded handover (LH-07)', async (t) => {
  const s = await staffTestApp(t)
  await previewAndImport(s, fixture('sims-export.csv'))
  const changed = fixture('sims-export.csv')
    .toString('utf8')
    .replace(
      '"Teaching Assistant, ""Owls"" class",b.okonkwo-hale@meadowbank.example.org,z.fairweather-quill@',
      '"Teaching Assistant, Hawks class",b.okonkwo-hale@meadowbank.example.org,i.pennyfeather@',
    )
  const { preview, done } = await previewAndImport(s, changed)
  assert.match(preview.body, /1 person to update/)
  const rows = errorRows(preview.body)
  assert.deepEqual(rows[0], ['Bart Okonkwo-Hale', 'b.okonkwo-hale@meadowbank.example.org', 'job title, line manager'])
  assert.equal(done!.headers.location, '/staff?imported=1&created=0&updated=1')
  const bart = (await people(s)).find((p) => p.email === 'b.okonkwo-hale@meadowbank.example.org')!
  assert.equal(bart.job_title, 'Teaching Assistant, Hawks class')
  assert.equal(bart.version, 2)
  const history = await s.database.db
    .selectFrom('supervision_assignment')
    .selectAll()
    .where('supervisee_id', '=', bart.id)
    .orderBy('created_at')
    .execute()
  assert.equal(history.length, 2)
  assert.notEqual(history[0]!.ends_on, null)
  assert.equal(history[1]!.ends_on, null)
  assert.equal(history[1]!.supervisor_id, bart.line_manager_id)
  const handover = await s.database.db.selectFrom('handover').selectAll().executeTakeFirstOrThrow()
  assert.equal(handover.reason, 'import')
  assert.equal(handover.supervisee_id, bart.id)
  assert.equal(history[1]!.handover_id, handover.id)
  const page = await s.admin.get(`/staff/${bart.id}`)
  assert.match(page.body, /Line manager changed by a staff import/)
})

test('Arbor and Bromcom exports import; "Additional support" is ignored unless the importer may see it', async (t) => {
  const s = await staffTestApp(t)
  const arbor = await previewAndImport(s, fixture('arbor-export.csv'))
  assert.match(arbor.preview.body, /4 people to add/)
  assert.match(arbor.preview.body, /The Additional support column is ignored/)
  const noor = (await people(s)).find((p) => p.email === 'n.al-haddad@larchfield.example.org')!
  assert.equal(noor.additional_support, false)
  assert.equal(noor.employment_type, 'temporary')

  const dsl = await personSignedIn(s, { name: 'Dafydd Marsh', email: 'dafydd.marsh@oakfield.example', roles: ['dsl'] })
  const again = await previewAndImport(s, fixture('arbor-export.csv'), dsl.browser)
  assert.match(again.preview.body, /1 person to update/)
  assert.match(again.preview.body, /additional support/)
  assert.equal((await people(s)).find((p) => p.id === noor.id)!.additional_support, true)

  const bromcom = await previewAndImport(s, fixture('bromcom-export.csv'))
  assert.match(bromcom.preview.body, /4 people to add/)
  assert.equal(bromcom.done!.statusCode, 303)
  const aoife = (await people(s)).find((p) => p.email === 'a.nibhraonain@oakhollow.example.org')!
  assert.equal(aoife.employment_type, 'external')
  assert.deepEqual(aoife.working_days, [2, 3])
})

const badFiles: [string, () => Buffer | string, (rows: string[][], body: string) => void][] = [
  [
    'a file saved in Windows-1252 instead of UTF-8',
    () => fixture('windows-1252.csv'),
    (rows) => {
      assert.equal(rows[0]![0], '2')
      assert.match(rows[0]![2]!, /CSV UTF-8/)
    },
  ],
  [
    'missing required columns',
    () => fixture('missing-columns.csv'),
    (rows) => {
      assert.deepEqual(
        rows.map((r) => r[1]),
        ['Last name', 'Email'],
      )
      assert.match(rows[1]![2]!, /must have an "Email" column/)
    },
  ],
  [
    'duplicate emails',
    () => fixture('duplicates.csv'),
    (rows) =>
      assert.ok(
        rows.some((r) => r[0] === '4' && r[1] === 'Email' && /more than once|also on row|same email/i.test(r[2]!)),
        JSON.stringify(rows),
      ),
  ],
  [
    'an unknown role',
    () => fixture('unknown-role.csv'),
    (rows) => {
      assert.deepEqual(rows[0]!.slice(0, 2), ['2', 'Roles'])
      assert.match(rows[0]![2]!, /"Head of Maths" is not in Haven/)
    },
  ],
  [
    'an unknown line manager',
    () => 'Full name,Email,Line manager email\nAda Lowe,ada@example.org,nobody@example.org\n',
    (rows) => {
      assert.deepEqual(rows[0]!.slice(0, 2), ['2', 'Line manager email'])
      assert.match(rows[0]![2]!, /No one with the email address nobody@example.org/)
    },
  ],
  [
    'a line-management loop',
    () => fixture('loop.csv'),
    (rows) => {
      assert.equal(rows.length, 3)
      assert.match(rows[0]![2]!, /Line managers form a loop/)
    },
  ],
  [
    '4 MB of binary junk',
    () => Buffer.from(Array.from({ length: 4 * 1024 * 1024 }, (_, i) => (i * 7919) % 256)),
    (rows) => assert.match(rows[0]![2]!, /must be a CSV file/),
  ],
  [
    'an Excel workbook',
    () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]),
    (rows) => assert.match(rows[0]![2]!, /Excel workbook/),
  ],
  ['headings and no staff', () => 'Full name,Email\r\n', (rows) => assert.match(rows[0]![2]!, /headings but no staff/)],
]

describe('X-04: bad files get a readable report by row and column, and import nothing', () => {
  // One app for all the bad files: none of them changes anything.
  let s: StaffTestApp
  const cleanUp: (() => Promise<void>)[] = []
  before(async () => {
    s = await staffTestApp({ after: (fn: () => Promise<void>) => cleanUp.push(fn) } as never)
  })
  after(async () => {
    for (const fn of cleanUp.reverse()) await fn()
  })
  for (const [name, content, check] of badFiles) {
    test(name, async () => {
      const before = await people(s)
      const res = await upload(s, content())
      assert.equal(res.statusCode, 400, res.body.slice(0, 500))
      assert.match(textOf(res.body, '.govuk-error-summary'), /Nothing has been imported/)
      assert.match(textOf(res.body, '#file-error'), /problem/)
      const rows = errorRows(res.body)
      assert.ok(rows.length > 0)
      check(rows, res.body)
      assert.deepEqual(await people(s), before)
      assert.equal(await s.database.db.selectFrom('staff_import').select('id').executeTakeFirst(), undefined)
    })
  }
})

test('10 MB of junk, an empty file, no file and a malformed form are refused clearly, never with a 500', async (t) => {
  const s = await staffTestApp(t)
  const big = await upload(s, Buffer.alloc(10 * 1024 * 1024, 0x41))
  assert.equal(big.statusCode, 400)
  assert.match(textOf(big.body, '#file-error'), /must be smaller than 5 MB/)
  const empty = await upload(s, '')
  assert.equal(empty.statusCode, 400)
  assert.match(textOf(empty.body, '#file-error'), /Select a CSV file|empty/)
  const nothing = await postFile(s.app, s.admin, '/staff/import', {
    filename: '',
    content: '',
    type: 'application/octet-stream',
  })
  assert.equal(nothing.statusCode, 400)
  assert.match(textOf(nothing.body, '#file-error'), /Select a CSV file/)
  const token = await s.admin.csrfToken('/staff/import')
  const cookie = [...s.admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const malformed = await s.app.inject({
    method: 'POST',
    url: '/staff/import',
    headers: { cookie, 'content-type': 'multipart/form-data; boundary=xyz' },
    payload: `--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--xyz\r\nbroken`,
  })
  assert.equal(malformed.statusCode, 400)
  assert.match(textOf(malformed.body, 'h1'), /problem with your request/)
  const noBoundary = await s.app.inject({
    method: 'POST',
    url: '/staff/import',
    headers: { cookie, 'content-type': 'multipart/form-data' },
    payload: 'x',
  })
  assert.equal(noBoundary.statusCode, 400)
  const tooBig = await s.app.inject({
    method: 'POST',
    url: '/staff/import',
    headers: { cookie, 'content-type': 'multipart/form-data; boundary=xyz' },
    payload: Buffer.alloc(12 * 1024 * 1024, 0x41),
  })
  assert.equal(tooBig.statusCode, 413)
  // Other forms still refuse multipart bodies.
  const elsewhere = await s.app.inject({
    method: 'POST',
    url: '/admin/schools',
    headers: { cookie, 'content-type': 'multipart/form-data; boundary=xyz' },
    payload: `--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--xyz--\r\n`,
  })
  assert.equal(elsewhere.statusCode, 415)
  assert.equal((await people(s)).length, 1)
})

test('the import is refused when people changed in Haven after the preview, then works from the new preview', async (t) => {
  const s = await staffTestApp(t)
  await previewAndImport(s, fixture('sims-export.csv'))
  const changed = fixture('sims-export.csv').toString('utf8').replace('Deputy Headteacher', 'Deputy Head')
  const up = await upload(s, changed)
  const preview = await s.admin.get(up.headers.location as string)
  assert.match(preview.body, /1 person to update/)
  const digest = html(preview.body).querySelector('input[name=digest]')!.getAttribute('value')!
  // Meanwhile someone changes Siân's job title in Haven to what the file says.
  await s.database.db
    .updateTable('person')
    .set({ job_title: 'Deputy Head', version: 2 })
    .where('email', '=', 's.obrien@meadowbank.example.org')
    .execute()
  const refused = await s.admin.post(up.headers.location as string, { digest })
  assert.equal(refused.statusCode, 409)
  assert.match(textOf(refused.body, '.govuk-error-summary'), /changed after you uploaded this file/)
  assert.match(refused.body, /There is nothing to import/)
  // Another change the file would now undo: the new preview shows it, and importing it works.
  await s.database.db
    .updateTable('person')
    .set({ job_title: 'Headteacher (acting)' })
    .where('email', '=', 'm.threlkeld@meadowbank.example.org')
    .execute()
  const again = await s.admin.get(up.headers.location as string)
  const digest2 = html(again.body).querySelector('input[name=digest]')!.getAttribute('value')!
  const done = await s.admin.post(up.headers.location as string, { digest: digest2 })
  assert.equal(done.headers.location, '/staff?imported=1&created=0&updated=1')
})

test('an upload is only for the person who uploaded it, and not after it expires', async (t) => {
  const s = await staffTestApp(t)
  const dsl = await personSignedIn(s, { name: 'Dafydd Marsh', email: 'dafydd.marsh@oakfield.example', roles: ['dsl'] })
  const up = await upload(s, fixture('sims-export.csv'))
  const url = up.headers.location as string
  const other = await dsl.browser.get(url)
  assert.equal(other.statusCode, 404)
  assert.match(textOf(other.body, 'h1'), /This import has expired/)
  assert.equal((await dsl.browser.post(url, { digest: 'x' }, { formPage: '/staff' })).statusCode, 404)
  await s.database.db
    .updateTable('staff_import')
    // Expired by the app's clock, which the import pages read (not the real time).
    .set({ expires_at: new Date(s.app.clock().getTime() - 1000) })
    .execute()
  assert.equal((await s.admin.get(url)).statusCode, 404)
  assert.equal((await people(s)).length, 2)
})

test('an email already used at another school of the trust cannot be created again', async (t) => {
  const s = await staffTestApp(t, { trust: true })
  await s.admin.post('/admin/schools', { name: 'Larchfield Academy', slug: 'larchfield', region: 'england-and-wales' })
  await previewAndImport(s, fixture('sims-export.csv'))
  const res = await postFile(
    s.app,
    s.admin,
    '/staff/import?school=larchfield',
    { filename: 's.csv', content: fixture('sims-export.csv') },
    { formPage: '/staff/import?school=larchfield' },
  )
  assert.equal(res.statusCode, 400)
  const rows = errorRows(res.body)
  assert.equal(rows.length, 5)
  assert.match(rows[0]![2]!, /already in Haven at another school/)
})

test('a file with the importer in it imports their row but keeps their own roles, saying so (issue 18)', async (t) => {
  const s = await staffTestApp(t)
  const [me] = await s.database.db
    .selectFrom('person')
    .select(['roles'])
    .where('email', '=', 'amira.khan@oakfield.example')
    .execute()
  const { preview, done } = await previewAndImport(
    s,
    'Full name,Email,Job title,Roles\nAmira Khan,amira.khan@oakfield.example,Deputy head,class-teacher\nBo Bell,bo.bell@oakfield.example,Teacher,class-teacher\n',
  )
  assert.equal(preview.statusCode, 200, 'a notice, not an error')
  assert.equal(textOf(preview.body, '.govuk-error-summary'), '')
  const notice = textOf(preview.body, '.govuk-inset-text:has(#own-roles)')
  assert.match(notice, /Your own roles stay as they are/)
  assert.match(notice, /Amira Khan, amira\.khan@oakfield\.example\) gives you these roles: Class teacher/)
  assert.match(preview.body, />job title \(your own roles stay as they are\)</)
  assert.match(preview.body, /Import 2 people/)
  assert.equal(done!.statusCode, 303)
  const after = await s.database.db
    .selectFrom('person')
    .select(['roles', 'job_title'])
    .where('email', '=', 'amira.khan@oakfield.example')
    .executeTakeFirstOrThrow()
  assert.deepEqual(after.roles, me!.roles, 'their own roles are left as they were')
  assert.equal(after.job_title, 'Deputy head', 'the rest of their row is imported')
  const bo = await s.database.db
    .selectFrom('person')
    .select('roles')
    .where('email', '=', 'bo.bell@oakfield.example')
    .executeTakeFirstOrThrow()
  assert.deepEqual(bo.roles, ['class-teacher'])
})

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

function commandContext(database: DatabaseHandle, args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CommandContext = {
    args,
    config: testConfig(),
    database: async () => database,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => '',
  }
  return { ctx, out, err }
}

const fixturePath = (name: string) => new URL(`../fixtures/csv/${name}`, import.meta.url).pathname

test('haven import-staff: a dry run prints the plan and changes nothing; then the import; then again changes nothing', async (t) => {
  const s = await staffTestApp(t)
  const dry = commandContext(s.database, ['oakfield', fixturePath('sims-export.csv'), '--dry-run'])
  assert.equal(await importStaffCommand.run(dry.ctx), 0, dry.err.join('\n'))
  assert.match(dry.out[0]!, /^Dry run: would add 5 people, would update 0 people/)
  assert.equal((await people(s)).length, 1)
  const real = commandContext(s.database, ['oakfield', fixturePath('sims-export.csv')])
  assert.equal(await importStaffCommand.run(real.ctx), 0, real.err.join('\n'))
  assert.match(
    real.out[0]!,
    /Oakfield Primary School: added 5 people, updated 0 people, 0 people already up to date, 1 person in Haven but not in the file/,
  )
  assert.equal((await people(s)).length, 6)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'staff.import')
    .executeTakeFirstOrThrow()
  assert.equal(audit.actor_id, null)
  assert.equal(audit.detail.source, 'cli')
  const again = commandContext(s.database, ['oakfield', fixturePath('sims-export.csv')])
  assert.equal(await importStaffCommand.run(again.ctx), 0)
  assert.match(again.out[0]!, /added 0 people, updated 0 people, 5 people already up to date/)
})

test('haven import-staff prints every problem as "row N, column X: message" and exits 1, importing nothing', async (t) => {
  const s = await staffTestApp(t)
  const cases: [string[], RegExp][] = [
    [['oakfield', fixturePath('unknown-role.csv')], /^row 2, column Roles: Role "Head of Maths" is not in Haven/],
    [['oakfield', fixturePath('loop.csv')], /^row 2, column Line manager email: Line managers form a loop/],
    [['oakfield', fixturePath('windows-1252.csv')], /^row 2: The selected file must be saved as "CSV UTF-8"/],
    [['oakfield', fixturePath('missing-columns.csv')], /^row 1, column Last name: /],
    [['oakfield', fixturePath('duplicates.csv'), '--dry-run'], /^row 2, column Email: .* is also on row 4/],
    [['nowhere', fixturePath('sims-export.csv')], /no school has the short name "nowhere"/],
    [['oakfield', fixturePath('no-such-file.csv')], /cannot read .*no such file/],
  ]
  for (const [args, first] of cases) {
    const c = commandContext(s.database, args)
    assert.equal(await importStaffCommand.run(c.ctx), 1, args.join(' '))
    assert.match(c.err[0]!, first, `${args.join(' ')}: ${c.err.join('\n')}`)
    if (args[0] === 'oakfield' && !args[1]!.includes('no-such')) assert.match(c.err.at(-1)!, /nothing imported/)
  }
  const loop = commandContext(s.database, ['oakfield', fixturePath('loop.csv')])
  await importStaffCommand.run(loop.ctx)
  assert.equal(loop.err.length, 4, 'three rows in the loop, then the count')
  assert.equal((await people(s)).length, 1)
  await assert.rejects(
    importStaffCommand.run(commandContext(s.database, ['oakfield']).ctx),
    /usage: haven import-staff/,
  )
})

test('haven import-staff is one of the haven commands', async () => {
  const out: string[] = []
  const err: string[] = []
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { LOG_LEVEL: 'silent' } }
  assert.equal(await runCli(['--help'], io), 0)
  assert.match(out.join('\n'), /haven import-staff <school-slug> <file> \[--dry-run\]/)
  assert.equal(await runCli(['import-staff', 'oakfield'], io), 2)
  assert.match(err[0]!, /usage: haven import-staff/)
})
