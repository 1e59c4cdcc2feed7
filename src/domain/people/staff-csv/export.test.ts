import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { type EmploymentType, noFlags, type Person, type Weekday } from '../person.ts'
import { roleCatalogue } from '../roles.ts'
import {
  guardCsvCell,
  staffCsvColumnFor,
  staffCsvColumns,
  staffCsvExportColumns,
  staffCsvTemplate,
  staffToCsv,
  stripFormulaGuard,
} from './index.ts'
import { aPerson, planned } from './test-support.ts'

describe('staffToCsv and formula injection', () => {
  const people: Person[] = [
    aPerson({
      id: 'p1',
      name: 'Siân O’Brien',
      email: 's.obrien@example.org',
      jobTitle: 'Deputy head, KS2',
      roles: ['deputy-dsl', 'line-manager'],
      startDate: '2018-09-01',
      supervisorTrainedOn: '2021-03-02',
      flags: { ...noFlags, trainedDsl: true },
    }),
    aPerson({
      id: 'p2',
      name: '=HYPERLINK("http://evil.example","Zoë")',
      email: 'zoe@example.org',
      jobTitle: '+44 teacher; -1 @home',
      lineManagerId: 'p1',
      employmentType: 'fixed-term',
      partTime: true,
      workingDays: [1, 3, 5],
      startDate: '2024-09-01',
      endDate: '2025-08-31',
    }),
  ]
  const emailOf = (person: Person) => people.find((p) => p.id === person.lineManagerId)?.email ?? null

  test('writes Haven’s documented headings, with a byte order mark and CRLF line endings', () => {
    const text = staffToCsv(people, emailOf)
    assert.ok(text.startsWith('\uFEFFFull name,Email,Job title,Roles,Line manager email,Employment type,Part time,'))
    assert.ok(text.endsWith('\r\n'))
    assert.equal(text.split('\r\n').length, 4)
    assert.ok(text.includes('"Deputy head, KS2"'))
    assert.ok(text.includes('deputy-dsl; line-manager'))
    assert.ok(text.includes('Mon;Wed;Fri'))
  })

  test('cells that would run as formulas get a leading single quote', () => {
    const text = staffToCsv(people, emailOf)
    assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example"",""Zoë"")"`))
    assert.ok(text.includes("'+44 teacher; -1 @home"))
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(guardCsvCell(`${start}x`), `'${start}x`)
    assert.equal(guardCsvCell("O'Brien"), "O'Brien")
    assert.equal(guardCsvCell('a=b'), 'a=b')
  })

  test('the import removes the guard quote, but keeps other leading apostrophes', () => {
    assert.equal(stripFormulaGuard("'=SUM(A1)"), '=SUM(A1)')
    assert.equal(stripFormulaGuard("'Ria"), "'Ria")
    for (const value of ["'=x", "''-1", "'", "'@", '=', "O'Brien"])
      assert.equal(stripFormulaGuard(guardCsvCell(value)), value)
    fc.assert(fc.property(fc.string(), (s) => stripFormulaGuard(guardCsvCell(s)) === s))
  })

  test('an export imports again as unchanged', () => {
    const result = planned(Buffer.from(staffToCsv(people, emailOf)), people)
    assert.deepEqual(result.unchanged, people)
    assert.equal(result.creates.length + result.updates.length, 0)
  })

  test('property: any valid school exports and re-imports as unchanged', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ'’=+@-][A-Za-zÀ-ÿ '’,"=+@-]{0,20}[A-Za-zÀ-ÿ'’"]$/)
    const isoDate = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10))
    const personArb = fc.record({
      name: word,
      jobTitle: fc.oneof(fc.constant(''), word),
      roles: fc.uniqueArray(fc.constantFrom(...roleCatalogue.map((r) => r.id)), { maxLength: 3 }),
      employmentType: fc.constantFrom<EmploymentType>(
        'permanent',
        'fixed-term',
        'agency',
        'temporary',
        'volunteer',
        'external',
      ),
      partTime: fc.boolean(),
      workingDays: fc
        .uniqueArray(fc.constantFrom<Weekday>(1, 2, 3, 4, 5, 6, 7), { minLength: 1, maxLength: 7 })
        .map((d) => d.sort()),
      dates: fc.tuple(fc.option(isoDate, { nil: null }), fc.option(isoDate, { nil: null })),
      flags: fc.record({
        earlyCareer: fc.boolean(),
        inProbation: fc.boolean(),
        worksInEyfs: fc.boolean(),
        pastoralResponsibilities: fc.boolean(),
        trainedDsl: fc.boolean(),
        additionalSupport: fc.boolean(),
      }),
      supervisorTrainedOn: fc.option(isoDate, { nil: null }),
      manager: fc.nat(),
    })
    fc.assert(
      fc.property(fc.array(personArb, { minLength: 1, maxLength: 15 }), (generated) => {
        const school: Person[] = generated.map((g, i) => {
          const [a, b] = g.dates
          const [startDate, endDate] = a !== null && b !== null && b < a ? [b, a] : [a, b]
          return aPerson({
            id: `p${i}`,
            email: `person.${i}@example.org`,
            name: g.name,
            jobTitle: g.jobTitle,
            roles: g.roles,
            employmentType: g.employmentType,
            partTime: g.partTime,
            workingDays: g.workingDays,
            startDate,
            endDate,
            flags: g.flags,
            supervisorTrainedOn: g.supervisorTrainedOn,
            // Managed by someone earlier in the list, so there is never a loop.
            lineManagerId: i === 0 || g.manager % 3 === 0 ? null : `p${g.manager % i}`,
          })
        })
        const byId = new Map(school.map((p) => [p.id, p]))
        const text = staffToCsv(school, (p) => (p.lineManagerId ? byId.get(p.lineManagerId)?.email : null))
        const result = planned(Buffer.from(text), school)
        assert.deepEqual(result.unchanged, school)
      }),
      { numRuns: 60 },
    )
  })

  test('the template has every export heading and nothing Haven would ignore', () => {
    const template = staffCsvTemplate()
    assert.equal(
      template,
      `\uFEFF${staffCsvExportColumns.map((k) => staffCsvColumns.find((c) => c.key === k)?.name).join(',')}\r\n`,
    )
    const headings = template.slice(1).trim().split(',')
    assert.ok(headings.every((h) => staffCsvColumnFor(h) !== undefined))
  })
})
