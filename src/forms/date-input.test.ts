import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { daysInMonth } from '../domain/calendar/dates.ts'
import { createViewEnvironment } from '../plugins/view.ts'
import { checkDateParts, dateInputSchema, datePartsOf, readDateInput } from './date-input.ts'
import { fromZodError } from './errors.ts'

const body = (day: string, month: string, year: string, name = 'startDate') => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
})
const read = (day: string, month: string, year: string, options = {}) =>
  readDateInput(body(day, month, year), 'startDate', 'Start date', options)

const realDate = fc
  .record({ year: fc.integer({ min: 1000, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.nat() })
  .map(({ year, month, day }) => ({ year, month, day: (day % daysInMonth(year, month)) + 1 }))

const iso = (d: { year: number; month: number; day: number }) =>
  `${String(d.year)}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`

describe('one GOV.UK date input (issue 13)', () => {
  test('any real date round-trips: typed with or without leading zeros or spaces, it reads as its ISO date and back', () => {
    fc.assert(
      fc.property(realDate, fc.boolean(), fc.boolean(), (d, zeros, spaces) => {
        const pad = (n: number) => (zeros ? String(n).padStart(2, '0') : String(n))
        const sp = (s: string) => (spaces ? ` ${s} ` : s)
        const result = read(sp(pad(d.day)), sp(pad(d.month)), sp(String(d.year)))
        assert.equal(result.error, null)
        assert.equal(result.value, iso(d))
        assert.deepEqual(datePartsOf(result.value), {
          day: String(d.day),
          month: String(d.month),
          year: String(d.year),
        })
        assert.deepEqual(read(...(Object.values(datePartsOf(result.value)) as [string, string, string])).value, iso(d))
      }),
    )
  })

  test('any impossible triplet is refused: a day past the end of its month, month 0 or 13+, day 0 or 32+, a short year', () => {
    const impossible = fc.oneof(
      realDate.chain((d) =>
        fc
          .integer({ min: daysInMonth(d.year, d.month) + 1, max: 99 })
          .map((day) => [String(day), String(d.month), String(d.year)]),
      ),
      fc
        .tuple(
          fc.integer({ min: 1, max: 31 }),
          fc.constantFrom(0, ...Array.from({ length: 87 }, (_, i) => i + 13)),
          fc.integer({ min: 1000, max: 9999 }),
        )
        .map((t) => t.map(String)),
      fc
        .tuple(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1000, max: 9999 }))
        .map((t) => t.map(String)),
      fc
        .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 999 }))
        .map((t) => t.map(String)),
      fc
        .tuple(
          fc.stringMatching(/^[^\d\s]{1,3}$/),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1000, max: 9999 }),
        )
        .map((t) => t.map(String)),
    ) as fc.Arbitrary<[string, string, string]>
    fc.assert(
      fc.property(impossible, ([day, month, year]) => {
        const result = read(day, month, year)
        assert.equal(result.value, null, `${day}/${month}/${year}`)
        assert.match(result.error ?? '', /^(Start date must be a real date|Year must include 4 numbers)$/)
        assert.ok(result.highlight.length > 0)
      }),
    )
  })

  test('the Design System’s messages, and the part to highlight', () => {
    assert.deepEqual(read('', '', ''), {
      value: null,
      error: null,
      highlight: [],
      parts: { day: '', month: '', year: '' },
    })
    assert.deepEqual(read('', '', '', { required: true }).error, 'Enter the start date')
    assert.deepEqual(
      read('', '', '', { required: true, blank: 'Enter the date they start' }).error,
      'Enter the date they start',
    )
    assert.deepEqual(read('', '', '', { required: true }).highlight, ['day', 'month', 'year'])
    assert.deepEqual(read('1', '', '2026'), {
      value: null,
      error: 'Start date must include a month',
      highlight: ['month'],
      parts: { day: '1', month: '', year: '2026' },
    })
    assert.equal(read('1', '', '').error, 'Start date must include a month and year')
    assert.deepEqual(read('', '9', '').highlight, ['day', 'year'])
    assert.deepEqual(read('31', '2', '2026'), {
      value: null,
      error: 'Start date must be a real date',
      highlight: ['day'],
      parts: { day: '31', month: '2', year: '2026' },
    })
    assert.equal(read('29', '2', '2027').error, 'Start date must be a real date')
    assert.equal(read('29', '2', '2028').value, '2028-02-29')
    assert.equal(read('29', '2', '2100').error, 'Start date must be a real date')
    assert.equal(read('29', '2', '2000').value, '2000-02-29')
    assert.deepEqual(read('1', '13', '2026').highlight, ['month'])
    assert.deepEqual(read('0', '1', '2026').highlight, ['day'])
    assert.deepEqual(read('x', 'y', '2026').highlight, ['day', 'month'])
    assert.deepEqual(read('1', '9', '26'), {
      value: null,
      error: 'Year must include 4 numbers',
      highlight: ['year'],
      parts: { day: '1', month: '9', year: '26' },
    })
    assert.equal(read('1', '9', '0000').error, 'Start date must be a real date')
    assert.equal(read('1.5', '9', '2026').error, 'Start date must be a real date')
    assert.equal(read('-1', '9', '2026').error, 'Start date must be a real date')
  })

  test('dates a form does not allow, with dates written as everywhere else ("1 September 2026")', () => {
    assert.equal(
      read('31', '8', '2026', { onOrAfter: '2026-09-01' }).error,
      'Start date must be the same as or after 1 September 2026',
    )
    assert.equal(read('1', '9', '2026', { onOrAfter: '2026-09-01' }).value, '2026-09-01')
    assert.equal(
      read('1', '9', '2026', { onOrAfter: { date: '2026-09-02', name: 'the start date' } }).error,
      'Start date must be the same as or after the start date',
    )
    assert.equal(
      read('2', '9', '2026', { onOrBefore: '2026-09-01' }).error,
      'Start date must be the same as or before 1 September 2026',
    )
    assert.equal(
      read('4', '12', '2026', { today: '2026-12-03', when: 'past' }).error,
      'Start date must be today or in the past',
    )
    assert.equal(read('3', '12', '2026', { today: '2026-12-03', when: 'past' }).value, '2026-12-03')
    assert.equal(
      read('2', '12', '2026', { today: '2026-12-03', when: 'future' }).error,
      'Start date must be today or in the future',
    )
  })

  test('repeated or odd fields are read as a browser would send them, never thrown on', () => {
    assert.equal(
      readDateInput({ 'd-day': ['3', '4'], 'd-month': '5', 'd-year': '2026' }, 'd', 'Date').value,
      '2026-05-03',
    )
    assert.equal(readDateInput(null, 'd', 'Date', { required: true }).error, 'Enter the date')
    assert.equal(
      readDateInput({ 'd-day': 3, 'd-month': {}, 'd-year': '2026' }, 'd', 'Date').error,
      'Date must include a day and month',
    )
    assert.deepEqual(datePartsOf('not a date'), { day: '', month: '', year: '' })
    assert.deepEqual(datePartsOf(null), { day: '', month: '', year: '' })
  })

  test('as a Zod schema inside a form: the issue is named by the field, and carries the parts to highlight', () => {
    const form = z.object({ startDate: dateInputSchema('Start date', { required: true }) })
    const ok = form.safeParse({ startDate: { day: '1', month: '9', year: '2026' } })
    assert.deepEqual(ok.data, { startDate: '2026-09-01' })
    const bad = form.safeParse({ startDate: { day: '31', month: '9', year: '2026' } })
    assert.equal(bad.success, false)
    assert.deepEqual(fromZodError(bad.error!, { startDate: 'startDate-day' }), {
      fields: { startDate: { text: 'Start date must be a real date' } },
      summary: [{ text: 'Start date must be a real date', href: '#startDate-day' }],
    })
    assert.deepEqual((bad.error!.issues[0] as { params?: unknown }).params, { highlight: ['day'] })
    assert.deepEqual(form.safeParse({}).error?.issues[0]?.message, 'Enter the start date')
    assert.deepEqual(checkDateParts({ day: '1', month: '1', year: '2026' }, 'DSL training date'), {
      value: '2026-01-01',
    })
    assert.deepEqual(checkDateParts({ day: '', month: '', year: '' }, 'DSL training date', { required: true }), {
      problem: { message: 'Enter the DSL training date', highlight: ['day', 'month', 'year'] },
    })
  })

  test('the one date-input macro highlights only the parts at fault, and all three for the whole date', () => {
    const env = createViewEnvironment()
    const render = (values: unknown, error: unknown) =>
      env.renderString(
        '{% from "macros/date-input.njk" import havenDateInput %}{{ havenDateInput({ name: "startDate", legend: "Start date", hint: "For example 1 9 2026", values: values, error: error }) }}',
        { values, error },
      )
    const faulty = (html: string) =>
      [...html.matchAll(/<input class="([^"]*)" id="startDate-(day|month|year)" name="startDate-\2"/g)]
        .filter((m) => m[1]!.includes('govuk-input--error'))
        .map((m) => m[2])
    const missingMonth = render({ day: '1', month: '', year: '2026' }, 'Start date must include a month')
    assert.deepEqual(faulty(missingMonth), ['month'])
    assert.match(missingMonth, /govuk-form-group--error/)
    assert.match(missingMonth, /<span class="govuk-visually-hidden">Error:<\/span> Start date must include a month/)
    assert.deepEqual(
      faulty(render({ day: '31', month: '2', year: '2026' }, { text: 'Start date must be a real date' })),
      ['day'],
    )
    assert.deepEqual(faulty(render({ day: '1', month: '9', year: '26' }, 'Year must include 4 numbers')), ['year'])
    assert.deepEqual(faulty(render({ day: '', month: '', year: '' }, 'Enter the start date')), ['day', 'month', 'year'])
    assert.deepEqual(
      faulty(render({ day: '2', month: '9', year: '2026' }, 'Start date must be today or in the past')),
      ['day', 'month', 'year'],
    )
    const fine = render({ day: '2', month: '9', year: '2026' }, undefined)
    assert.deepEqual(faulty(fine), [])
    assert.match(fine, /id="startDate-day" name="startDate-day" type="text" value="2"/)
    assert.match(fine, /For example 1 9 2026/)
  })
})
