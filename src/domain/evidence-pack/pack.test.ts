/**
 * The inspection evidence pack (issue 16, item 3): which files a pack holds, the rules on its
 * range, the manifest, and the spreadsheets built from facts (metadata only: never what was said).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar } from '../calendar/index.ts'
import { aCancellation, aPerson, aSession } from '../compliance/builders.ts'
import { type PolicyDocument, policyBookOf } from '../policy/index.ts'
import {
  buildManifest,
  cancellationsSheet,
  deadlineOutcome,
  ManifestError,
  manifestMismatches,
  packFileName,
  periodsInRange,
  planPack,
  rangeProblems,
  readmeText,
  sessionsSheet,
  trainingSheet,
  versionsInRange,
} from './index.ts'

const sha = (s: string) => createHash('sha256').update(s).digest('hex')
const range = { from: '2025-09-01', to: '2026-08-31' }

describe('the evidence pack’s files (issue 16)', () => {
  test('a default pack holds the policy, its summary, scope, compliance, sessions, contracts, training and each term’s governors’ report, and no record content', () => {
    const files = planPack({
      range,
      content: false,
      versions: [
        { version: 1, effectiveFrom: '2024-09-01' },
        { version: 2, effectiveFrom: '2026-01-05' },
      ],
      periods: [
        { id: '2025-26/autumn', name: 'Autumn term 2025' },
        { id: '2025-26/spring', name: 'Spring term 2026' },
      ],
    }).map((f) => f.path)
    assert.deepEqual(files, [
      'README.txt',
      'policy/versions.csv',
      'policy/version-1.json',
      'policy/version-2.json',
      'policy/summary.pdf',
      'people/in-scope.csv',
      'people/compliance.csv',
      'sessions/sessions.csv',
      'sessions/cancellations.csv',
      'contracts/signed.csv',
      'training/supervisors.csv',
      'governors/report-2025-26-autumn.pdf',
      'governors/report-2025-26-autumn.csv',
      'governors/report-2025-26-spring.pdf',
      'governors/report-2025-26-spring.csv',
      'manifest.json',
    ])
  })

  test('X-06: record content is in a pack only when asked for, and the README says so', () => {
    const plan = planPack({ range, content: true, versions: [], periods: [] })
    assert.ok(plan.some((f) => f.path === 'records/'))
    assert.equal(plan.at(-1)!.path, 'manifest.json', 'the manifest is written last')
    const readme = readmeText({ schoolName: 'Oak', range, content: true, generatedOn: '2026-09-01', files: plan })
    assert.match(readme, /holds what was written in supervision records/)
    const plain = readmeText({
      schoolName: 'Oak',
      range,
      content: false,
      generatedOn: '2026-09-01',
      files: planPack({ range, content: false, versions: [], periods: [] }),
    })
    assert.match(plain, /no record content/)
    assert.match(plain, /1 September 2025 to 31 August 2026/)
  })

  test('X-01: the versions in force in the range: the one in force on its first day and those taking effect in it', () => {
    const versions = [
      { version: 1, effectiveFrom: '2023-09-01' },
      { version: 2, effectiveFrom: '2024-09-01' },
      { version: 3, effectiveFrom: '2026-01-05' },
      { version: 4, effectiveFrom: '2026-09-01' },
    ]
    assert.deepEqual(
      versionsInRange(versions, range).map((v) => v.version),
      [2, 3],
    )
    // Before any version took effect: the first.
    assert.deepEqual(
      versionsInRange(versions, { from: '2022-01-01', to: '2022-12-31' }).map((v) => v.version),
      [1],
    )
  })

  test('the governors’ reports: each term overlapping the range, oldest first; a range over more than 3 terms, each year', () => {
    const periods = [
      { id: '2026-27/autumn', kind: 'term' as const, name: 'A26', start: '2026-09-01', end: '2026-12-18' },
      { id: '2025-26', kind: 'year' as const, name: 'Y', start: '2025-09-01', end: '2026-07-22' },
      { id: '2025-26/summer', kind: 'term' as const, name: 'S26', start: '2026-04-13', end: '2026-07-22' },
      { id: '2025-26/autumn', kind: 'term' as const, name: 'A25', start: '2025-09-01', end: '2025-12-19' },
      { id: '2024-25/summer', kind: 'term' as const, name: 'S25', start: '2025-04-22', end: '2025-07-22' },
    ]
    assert.deepEqual(
      periodsInRange(periods, { from: '2025-10-01', to: '2026-09-02' }).map((p) => p.id),
      ['2025-26/autumn', '2025-26/summer', '2026-27/autumn'],
    )
    const longer = [
      ...periods,
      { id: '2024-25', kind: 'year' as const, name: 'Y25', start: '2024-09-02', end: '2025-07-22' },
      { id: '2026-27', kind: 'year' as const, name: 'Y27', start: '2026-09-01', end: '2027-07-21' },
    ]
    assert.deepEqual(
      periodsInRange(longer, { from: '2025-05-01', to: '2026-09-02' }).map((p) => p.id),
      ['2024-25', '2025-26', '2026-27'],
    )
  })

  test('the range: not ending after today, not ending before it starts, at most 4 years', () => {
    assert.deepEqual(rangeProblems(range, '2026-09-01'), [])
    assert.deepEqual(rangeProblems({ from: '2026-01-01', to: '2026-09-02' }, '2026-09-01'), [
      { field: 'to', message: 'End date must be today or in the past' },
    ])
    assert.deepEqual(rangeProblems({ from: '2026-02-01', to: '2026-01-01' }, '2026-09-01'), [
      { field: 'to', message: 'End date must be the same as or after the start date' },
    ])
    assert.deepEqual(rangeProblems({ from: '2022-01-01', to: '2026-08-31' }, '2026-09-01'), [
      { field: 'from', message: 'Start date must be no more than 4 years before the end date' },
    ])
    assert.deepEqual(rangeProblems({ from: '2023-09-01', to: '2026-08-31' }, '2026-09-01'), [])
  })

  test('the file name names the school and the range', () => {
    assert.equal(packFileName('oak/field', range), 'evidence-pack-oak-field-2025-09-01-to-2026-08-31.zip')
  })
})

describe('the manifest (issue 16)', () => {
  const school = { name: 'Oak', slug: 'oak' }
  const files = [
    { path: 'README.txt', bytes: 5, sha256: sha('hello') },
    { path: 'people/in-scope.csv', bytes: 3, sha256: sha('a,b') },
  ]

  test('lists every file written with its size and SHA-256, and what the pack is', () => {
    const manifest = buildManifest({ school, range, recordContent: false, generatedAt: new Date(0), files })
    assert.equal(manifest.pack, 'haven-evidence-pack')
    assert.deepEqual(manifest.files, files)
    assert.equal(manifest.from, '2025-09-01')
    assert.equal(manifest.recordContent, false)
  })

  test('refuses a file written twice, or one without a hash', () => {
    assert.throws(
      () =>
        buildManifest({ school, range, recordContent: false, generatedAt: new Date(0), files: [files[0]!, files[0]!] }),
      ManifestError,
    )
    assert.throws(
      () =>
        buildManifest({
          school,
          range,
          recordContent: false,
          generatedAt: new Date(0),
          files: [{ path: 'x', bytes: 1, sha256: 'nope' }],
        }),
      ManifestError,
    )
  })

  test('a changed, missing or extra file is found', () => {
    const manifest = buildManifest({ school, range, recordContent: false, generatedAt: new Date(0), files })
    assert.deepEqual(
      manifestMismatches(
        manifest,
        new Map([
          ['README.txt', sha('hello')],
          ['people/in-scope.csv', sha('a,b')],
        ]),
      ),
      [],
    )
    assert.deepEqual(
      manifestMismatches(
        manifest,
        new Map([
          ['README.txt', sha('changed')],
          ['extra.txt', sha('x')],
        ]),
      ),
      ['README.txt has changed', 'people/in-scope.csv is missing', 'extra.txt is not in the manifest'],
    )
  })
})

describe('the spreadsheets (issue 16)', () => {
  const cornerstone: PolicyDocument = { ...loadPack('cornerstone'), effectiveFrom: '2024-09-01' }
  const book = policyBookOf([cornerstone])
  const calendar = englandDefaultCalendar('england-and-wales', 2024, 2026)
  const names = new Map([
    ['ada', 'Ada Brook'],
    ['sam', 'Sam Okoro'],
  ])

  test('CA-03: a cancelled session’s rebooking deadline, met or missed on the range’s last day', () => {
    const met = aCancellation({
      date: '2025-11-03',
      superviseeIds: ['ada'],
      reasonId: 'unavoidable-circumstances',
      typeId: 'formal-planned',
      rebookedFor: '2025-11-06',
    })
    const missed = aCancellation({
      date: '2025-11-10',
      superviseeIds: ['ada'],
      reasonId: 'unavoidable-circumstances',
      typeId: 'formal-planned',
    })
    const outside = aCancellation({ date: '2024-11-10', superviseeIds: ['ada'], reasonId: 'unavoidable-circumstances' })
    const sheet = cancellationsSheet({ cancellations: [missed, outside, met], range, book, calendar, names })
    assert.deepEqual(sheet.rows, [
      [
        '2025-11-03',
        'Formal planned supervision',
        'Unavoidable circumstances',
        'Ada Brook',
        '2025-11-10',
        '2025-11-06',
        'Met',
      ],
      [
        '2025-11-10',
        'Formal planned supervision',
        'Unavoidable circumstances',
        'Ada Brook',
        '2025-11-17',
        null,
        'Missed',
      ],
    ])
    assert.equal(deadlineOutcome('2026-09-03', null, '2026-08-31'), 'open')
    assert.equal(deadlineOutcome(null, null, '2026-08-31'), 'none')
  })

  test('X-05, X-06: sessions in the range with who took part and the state of the record, never its content', () => {
    const held = aSession('formal-planned', '2025-10-01', ['ada'], { supervisorIds: ['sam'] })
    const unrecorded = aSession('formal-planned', '2025-10-02', ['gone'], { supervisorIds: ['sam'] })
    const early = aSession('formal-planned', '2025-08-01', ['ada'])
    const sheet = sessionsSheet({
      sessions: [unrecorded, early, held],
      range,
      book,
      names,
      records: new Map([[held.id, { status: 'signed' as const }]]),
    })
    assert.deepEqual(sheet.head, ['Date', 'Kind of supervision', 'Status', 'Supervisors', 'Supervisees', 'Record'])
    assert.deepEqual(sheet.rows, [
      ['2025-10-01', 'Formal planned supervision', 'Held', 'Sam Okoro', 'Ada Brook', 'Signed and locked'],
      ['2025-10-02', 'Formal planned supervision', 'Held', 'Sam Okoro', 'Someone no longer at the school', 'No record'],
    ])
  })

  test('LH-08, MW-01: training held for supervisors and trained DSLs', () => {
    const dsl = aPerson({
      id: 'dee',
      name: 'Dee Lane',
      jobTitle: 'DSL',
      flags: { trainedDsl: true },
      flagDates: { trainedDsl: { since: '2024-01-10', until: null } },
    })
    const teacher = aPerson({ id: 'tia', name: 'Tia Marsh' })
    const sheet = trainingSheet({
      supervisors: [
        {
          id: 'sam',
          name: 'Sam Okoro',
          jobTitle: 'Deputy head',
          roles: ['line-manager'],
          trainedOn: '2023-05-01',
          lastSupervisedOn: '2026-06-01',
          status: null,
        },
      ],
      people: [dsl, teacher],
      asAt: '2026-08-31',
    })
    assert.deepEqual(sheet.rows, [
      ['Dee Lane', 'DSL', false, null, true, '2024-01-10', null],
      ['Sam Okoro', 'Deputy head', true, '2023-05-01', false, null, '2026-06-01'],
    ])
  })
})
