import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { noImportMappings, staffCsvColumnFor, suggestRoleForJobTitle } from './index.ts'
import { makeRoleMatcher } from './rows.ts'
import { aPerson, csv, fixture, planned } from './test-support.ts'

describe('MIS exports as schools have them (issue 18)', () => {
  test('the headings SIMS, Arbor, Bromcom and Scholarpack write are recognised', () => {
    const cases: Record<string, string> = {
      'Email Address (Work)': 'email',
      'Work Email': 'email',
      EMAIL: 'email',
      'Staff Code': 'staffCode',
      STAFF_CODE: 'staffCode',
      'Staff ID': 'staffCode',
      'Legal Surname': 'lastName',
      'Preferred Forename': 'firstName',
      'Known As': 'firstName',
      'Job Title': 'jobTitle',
      JOB_TITLE: 'jobTitle',
      Position: 'jobTitle',
      'Line Manager': 'lineManagerEmail',
      LINE_MANAGER_CODE: 'lineManagerEmail',
      'Reports To': 'lineManagerEmail',
    }
    for (const [heading, key] of Object.entries(cases)) assert.equal(staffCsvColumnFor(heading), key, heading)
    assert.equal(staffCsvColumnFor('Date of Appointment'), undefined)
  })

  test('each invented MIS export plans without a single error', () => {
    const counts: Record<string, number> = {
      'sims-mis-export.csv': 7,
      'arbor-mis-export.csv': 4,
      'bromcom-mis-export.csv': 4,
      'scholarpack-mis-export.csv': 4,
    }
    for (const [name, count] of Object.entries(counts)) assert.equal(planned(fixture(name)).creates.length, count, name)
  })

  test('unrecognised headings are listed for the mapping step; a remembered choice reads the column', () => {
    const first = planned(fixture('sims-mis-export.csv'))
    assert.deepEqual(
      first.unrecognisedColumns.map((c) => [c.heading, c.chosen]),
      [
        ['Title', null],
        ['Date of Appointment', null],
        ['Work Mobile', null],
      ],
    )
    assert.equal(first.creates[0]!.startDate, null)
    const mapped = planned(fixture('sims-mis-export.csv'), [], [], {
      ...noImportMappings,
      columns: new Map([
        ['dateofappointment', 'startDate'],
        ['title', 'ignore'],
      ]),
    })
    assert.equal(mapped.creates[0]!.startDate, '2014-09-01')
    assert.deepEqual(mapped.ignoredColumns, ['Title', 'Work Mobile'])
    assert.deepEqual(
      mapped.unrecognisedColumns.map((c) => c.chosen),
      ['ignore', 'startDate', null],
    )
  })

  test('a remembered choice never overrides a heading Haven recognises', () => {
    const result = planned(csv(['Name,Email,Post', 'Ada Brook,a@x.org,Teacher']), [], [], {
      ...noImportMappings,
      columns: new Map([['post', 'roles']]),
    })
    assert.equal(result.creates[0]!.jobTitle, 'Teacher')
  })

  test('roles are suggested from job titles when the file has no Roles column', () => {
    const match = makeRoleMatcher()
    const cases: [string, string | null][] = [
      ['Headteacher', 'headteacher'],
      ['Head Teacher', 'headteacher'],
      ['Principal', 'headteacher'],
      ['Deputy Designated Safeguarding Lead', 'deputy-dsl'],
      ['Designated Safeguarding Lead', 'dsl'],
      ['Teacher, Year 4', 'class-teacher'],
      ['Teaching Assistant', 'teaching-assistant'],
      ['Higher Level Teaching Assistant', 'teaching-assistant'],
      ['Head of Year 9', 'year-head'],
      ['SENCO', 'senco'],
      ['Family Support Worker', 'child-family-support-worker'],
      ['Counsellor', 'specialist-support-worker'],
      ['Learning Mentor', 'learning-mentor'],
      ['Nursery Nurse', 'eyfs-practitioner'],
      ['Site Manager', null],
      ['Office Manager', null],
    ]
    for (const [title, role] of cases) assert.equal(suggestRoleForJobTitle(title, match), role, title)
  })

  test('job titles give roles to new people: the suggestion, or the school’s remembered choice', () => {
    const suggested = planned(fixture('sims-mis-export.csv'))
    const roles = new Map(suggested.creates.map((d) => [d.jobTitle, d.roles]))
    assert.deepEqual(roles.get('Teacher, Year 4'), ['class-teacher'])
    assert.deepEqual(roles.get('Site Manager'), [])
    assert.deepEqual(
      suggested.jobTitles.map((t) => [t.title, t.suggested, t.chosen]),
      [
        ['Headteacher', 'headteacher', undefined],
        ['Deputy Designated Safeguarding Lead', 'deputy-dsl', undefined],
        ['Teacher, Year 4', 'class-teacher', undefined],
        ['Teaching Assistant', 'teaching-assistant', undefined],
        ['Teacher, Reception', 'class-teacher', undefined],
        ['Learning Mentor', 'learning-mentor', undefined],
        ['Site Manager', null, undefined],
      ],
    )
    const chosen = planned(fixture('sims-mis-export.csv'), [], [], {
      ...noImportMappings,
      jobTitles: new Map([
        ['sitemanager', 'line-manager'],
        ['teacherreception', 'eyfs-practitioner'],
        ['learningmentor', null],
      ]),
    })
    const after = new Map(chosen.creates.map((d) => [d.jobTitle, d.roles]))
    assert.deepEqual(after.get('Site Manager'), ['line-manager'])
    assert.deepEqual(after.get('Teacher, Reception'), ['eyfs-practitioner'])
    assert.deepEqual(after.get('Learning Mentor'), [])
  })

  test('someone already in Haven keeps their roles; with none, only the school’s choice (not a suggestion) gives one', () => {
    const file = csv(['Name,Email,Job title', 'Ada Brook,a@x.org,Teacher', 'Ben Cole,b@x.org,Teacher'])
    const withRoles = aPerson({ id: 'p1', email: 'a@x.org', name: 'Ada Brook', jobTitle: 'Teacher', roles: ['senco'] })
    const without = aPerson({ id: 'p2', email: 'b@x.org', name: 'Ben Cole', jobTitle: 'Teacher' })
    const suggestedOnly = planned(file, [withRoles, without])
    assert.equal(suggestedOnly.updates.length, 0)
    const chosen = planned(file, [withRoles, without], [], {
      ...noImportMappings,
      jobTitles: new Map([['teacher', 'class-teacher']]),
    })
    assert.deepEqual(
      chosen.updates.map((u) => [u.id, u.after.roles]),
      [['p2', ['class-teacher']]],
    )
  })

  test('a file with a Roles column asks nothing about job titles', () => {
    assert.deepEqual(planned(fixture('sims-export.csv')).jobTitles, [])
  })
})
