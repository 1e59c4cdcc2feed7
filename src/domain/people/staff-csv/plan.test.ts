import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { noFlags } from '../person.ts'
import { type PersonDraft, resolveStaffImport } from './index.ts'
import { aPerson, csv, fixture, importInto, plan, planned, school } from './test-support.ts'

describe('planStaffImport: MIS exports', () => {
  test('SIMS export: UTF-8 with a byte order mark, CRLF line endings, quoted commas and quotes', () => {
    const bytes = fixture('sims-export.csv')
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'fixture starts with a UTF-8 BOM')
    assert.ok(bytes.includes('\r\n'), 'fixture has CRLF line endings')
    const result = planned(bytes)
    assert.deepEqual(
      result.creates.map((p) => p.name),
      [
        'Maggie Threlkeld',
        'Siân O’Brien'.replace('’', "'"),
        'Zoë Fairweather-Quill',
        'Bart Okonkwo-Hale',
        'Idris Pennyfeather',
      ],
      'preferred forename used before legal forename; accents and apostrophes kept',
    )
    const [head, deputy, teacher, ta, senco] = result.creates
    assert.equal(head?.email, 'm.threlkeld@meadowbank.example.org', 'no BOM left on the first heading')
    assert.equal(teacher?.jobTitle, 'Teacher, Reception', 'quoted comma')
    assert.equal(ta?.jobTitle, 'Teaching Assistant, "Owls" class', 'doubled quotes inside a quoted field')
    assert.deepEqual(head?.roles, ['headteacher', 'dsl'])
    assert.deepEqual(deputy?.roles, ['deputy-dsl', 'line-manager'], 'roles separated by |')
    assert.deepEqual(teacher?.roles, ['class-teacher', 'eyfs-practitioner'])
    assert.deepEqual(senco?.roles, ['senco', 'learning-mentor'], 'SENDCO is the SENCO role')
    assert.equal(teacher?.employmentType, 'fixed-term')
    assert.equal(ta?.employmentType, 'agency', 'Supply is agency')
    assert.deepEqual(
      result.creates.map((p) => p.partTime),
      [false, false, true, true, false],
      'FTE 1, 1.0, 0.6, 0.5, 1',
    )
    assert.equal(head?.startDate, '2015-09-01')
    assert.equal(senco?.startDate, '2020-09-01', '1/9/2020 is day first')
    assert.equal(teacher?.endDate, '2025-08-31')
    assert.deepEqual(teacher?.flags, { ...noFlags, earlyCareer: true, worksInEyfs: true })
    assert.deepEqual(deputy?.flags, { ...noFlags, trainedDsl: true })
    assert.equal(head?.lineManager, null)
    assert.deepEqual(deputy?.lineManager, { kind: 'new', email: 'm.threlkeld@meadowbank.example.org' })
    assert.ok(result.creates.every((p) => p.schoolId === school))
    // Staff Code is read (to find line managers given by code, issue 18); Title is not.
    assert.deepEqual(result.ignoredColumns, ['Title'])
  })

  test('Arbor export: first and last name, ISO dates, working pattern words and day lists', () => {
    const result = planned(fixture('arbor-export.csv'))
    const [principal, dsl, yearHead, mentor] = result.creates
    assert.deepEqual(
      result.creates.map((p) => p.name),
      ['Rosalind Ashworth-Penhale', 'Dafydd Llewellyn-Marsh', 'Chloé Brightwater', 'Noor Al-Haddad'],
    )
    assert.equal(principal?.supervisorTrainedOn, '2019-06-14')
    assert.deepEqual(dsl?.workingDays, [1, 2, 3, 4, 5], 'Monday;Tuesday;...;Friday')
    assert.deepEqual(yearHead?.workingDays, [1, 2, 3], 'Mon;Tue;Wed')
    assert.deepEqual(mentor?.workingDays, [4, 5], 'Thu-Fri')
    assert.equal(yearHead?.partTime, true, 'Part time')
    assert.equal(mentor?.partTime, true, 'PT')
    assert.equal(principal?.partTime, false, 'Full time')
    assert.equal(mentor?.employmentType, 'temporary', 'Casual is temporary')
    assert.equal(yearHead?.endDate, '2026-07-31')
    assert.deepEqual(yearHead?.flags, {
      ...noFlags,
      earlyCareer: true,
      inProbation: true,
      pastoralResponsibilities: true,
    })
    assert.deepEqual(mentor?.flags, {
      ...noFlags,
      inProbation: true,
      pastoralResponsibilities: true,
      additionalSupport: true,
    })
    // Staff ID is the staff code, read to find line managers given by code (issue 18).
    assert.deepEqual(result.ignoredColumns, [])
  })

  test('Bromcom export: upper-case headings with underscores, full names, hours, 01-Sep-2010 dates', () => {
    const result = planned(fixture('bromcom-export.csv'))
    const [head, pastoral, familyWorker, counsellor] = result.creates
    assert.equal(head?.name, 'Ptolemy Varga-Ennis')
    assert.equal(counsellor?.name, 'Aoife Ní Bhraonáin')
    assert.equal(head?.startDate, '2010-09-01')
    assert.equal(familyWorker?.endDate, '2024-03-29')
    assert.deepEqual(
      result.creates.map((p) => p.partTime),
      [false, false, true, true],
      '32.5 hours, 37 hours, 18.75 hours, 0.4 FTE',
    )
    assert.equal(familyWorker?.employmentType, 'temporary', 'Temp')
    assert.equal(counsellor?.employmentType, 'external', 'Contractor')
    assert.deepEqual(pastoral?.roles, ['pastoral-lead', 'deputy-dsl'])
    assert.deepEqual(familyWorker?.workingDays, [1, 3, 5])
    assert.deepEqual(counsellor?.workingDays, [2, 3])
    assert.deepEqual(familyWorker?.flags, { ...noFlags, inProbation: true })
    assert.deepEqual(result.ignoredColumns, [])
  })
})

describe('planStaffImport: matching existing people (by normalised email)', () => {
  const head = aPerson({
    id: 'p-head',
    name: 'Maggie Threlkeld',
    email: 'M.Threlkeld@Meadowbank.example.org',
    jobTitle: 'Headteacher',
    roles: ['headteacher', 'dsl'],
    startDate: '2015-09-01',
    flags: { ...noFlags, trainedDsl: true },
  })
  const ta = aPerson({
    id: 'p-ta',
    name: 'Bart Okonkwo-Hale',
    email: 'b.okonkwo-hale@meadowbank.example.org',
    jobTitle: 'Teaching Assistant',
    roles: ['teaching-assistant'],
    lineManagerId: 'p-head',
    partTime: true,
    workingDays: [1, 2, 3],
    endDate: '2026-07-31',
  })
  const leaver = aPerson({ id: 'p-leaver', name: 'Wilhelmina Fosse', email: 'w.fosse@meadowbank.example.org' })
  const existing = [head, ta, leaver]

  test('people are updated field by field; email case alone is not a change', () => {
    const result = planned(
      csv([
        'Full name,Email,Job title,Roles,Line manager email,Part time,Working days,End date',
        'Maggie Threlkeld,m.threlkeld@meadowbank.example.org,Headteacher,headteacher;dsl,,No,Mon-Fri,',
        'Bart Okonkwo-Hale,B.OKONKWO-HALE@meadowbank.example.org,Senior Teaching Assistant,TA,,Yes,Mon;Tue;Wed;Thu,',
        'Noor Haddad,n.haddad@meadowbank.example.org,Learning mentor,learning-mentor,b.okonkwo-hale@meadowbank.example.org,,,',
      ]),
      existing,
    )
    assert.deepEqual(result.unchanged, [head])
    assert.equal(result.updates.length, 1)
    const [update] = result.updates
    assert.equal(update?.id, 'p-ta')
    assert.equal(update?.before, ta)
    assert.deepEqual(update?.changedFields, ['jobTitle', 'lineManagerId', 'workingDays', 'endDate'])
    assert.equal(update?.after.email, ta.email, 'keeps the stored email')
    assert.equal(update?.after.lineManager, null, 'blank line manager cell clears the line manager')
    assert.deepEqual(update?.after.workingDays, [1, 2, 3, 4])
    assert.equal(update?.after.endDate, null, 'blank end date cell clears the end date')
    assert.equal(result.creates.length, 1)
    assert.deepEqual(result.creates[0]?.lineManager, { kind: 'existing', id: 'p-ta' })
    assert.deepEqual(result.notInFile, [leaver])
  })

  test('a column that is not in the file leaves that field as it is', () => {
    const result = planned(
      csv(['Email,Full name', 'b.okonkwo-hale@meadowbank.example.org,Bart Okonkwo-Hale']),
      existing,
    )
    assert.deepEqual(result.unchanged, [ta], 'roles, line manager, part time, days and end date kept')
  })

  test('X-04: flags that decide who is supervised are diffed one by one', () => {
    const result = planned(
      csv(['Full name,Email,ECT,Additional support', 'Bart Okonkwo-Hale,b.okonkwo-hale@meadowbank.example.org,Y,1']),
      existing,
    )
    assert.deepEqual(result.updates[0]?.changedFields, ['flags.earlyCareer', 'flags.additionalSupport'])
    assert.deepEqual(result.updates[0]?.after.flags, { ...noFlags, earlyCareer: true, additionalSupport: true })
  })

  test('LH-08: supervisor training dates are imported and diffed', () => {
    const result = planned(
      csv([
        'Full name,Email,Supervisor training date',
        'Maggie Threlkeld,m.threlkeld@meadowbank.example.org,14 March 2025',
      ]),
      existing,
    )
    assert.deepEqual(result.updates[0]?.changedFields, ['supervisorTrainedOn'])
    assert.equal(result.updates[0]?.after.supervisorTrainedOn, '2025-03-14')
  })

  test('a line manager who is in the file and already in Haven is referred to by id', () => {
    const result = planned(
      csv([
        'Full name,Email,Line manager email',
        'Maggie Threlkeld,m.threlkeld@meadowbank.example.org,',
        'Ria Cole,ria@example.org,M.THRELKELD@meadowbank.example.org',
      ]),
      existing,
    )
    assert.deepEqual(result.creates[0]?.lineManager, { kind: 'existing', id: 'p-head' })
  })

  test('someone in Haven without a line manager gets one added by the same file (issue 18)', () => {
    const result = planned(
      csv([
        'Full name,Email,Line manager email',
        'Wilhelmina Fosse,w.fosse@meadowbank.example.org,ria@example.org',
        'Ria Cole,ria@example.org,',
      ]),
      existing,
    )
    assert.deepEqual(result.unchanged, [])
    assert.deepEqual(result.updates[0]?.changedFields, ['lineManagerId'])
    assert.deepEqual(result.updates[0]?.after.lineManager, { kind: 'new', email: 'ria@example.org' })
  })

  test('importing the same file twice leaves everyone unchanged', () => {
    for (const name of ['sims-export.csv', 'arbor-export.csv', 'bromcom-export.csv']) {
      const after = importInto([], fixture(name))
      const again = planned(fixture(name), after)
      assert.equal(again.creates.length, 0, name)
      assert.equal(again.updates.length, 0, name)
      assert.deepEqual(again.unchanged, after, name)
    }
  })

  test('the plan is deterministic', () => {
    assert.deepEqual(plan(fixture('sims-export.csv'), existing), plan(fixture('sims-export.csv'), existing))
  })
})

describe('resolveStaffImport', () => {
  test('assigns the caller’s ids to new people and resolves line managers given by email', () => {
    const result = planned(fixture('sims-export.csv'))
    const asked: string[] = []
    const { creates, updates } = resolveStaffImport(result, (draft: PersonDraft) => {
      asked.push(draft.email)
      return `id-${asked.length}`
    })
    assert.deepEqual(
      asked,
      result.creates.map((p) => p.email),
      'once per create, in order',
    )
    assert.deepEqual(
      creates.map((p) => [p.id, p.lineManagerId]),
      [
        ['id-1', null],
        ['id-2', 'id-1'],
        ['id-3', 'id-2'],
        ['id-4', 'id-3'],
        ['id-5', 'id-1'],
      ],
    )
    assert.deepEqual(updates, [])
    assert.ok(creates.every((p) => !('lineManager' in p)))
  })
})
