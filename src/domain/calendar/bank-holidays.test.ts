import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type BankHoliday,
  BankHolidayRegion,
  bankHolidayCoverage,
  bankHolidayOn,
  bankHolidayRegions,
  bankHolidays,
  isBankHoliday,
  isBankHolidayRegion,
} from './bank-holidays.ts'
import { easterSunday } from './dates.ts'

// An independent generator: plain UTC Date arithmetic (safe here: no local time zone is read)
// and the Meeus/Jones/Butcher computus written out again, so the data is checked against rules
// rather than against itself.
const dayMs = 86_400_000
const toIso = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const utc = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day)
const weekdayOf = (ms: number): number => new Date(ms).getUTCDay() // 0 = Sunday
const firstMonday = (year: number, month: number): number => {
  const first = utc(year, month, 1)
  return first + ((8 - weekdayOf(first)) % 7) * dayMs
}
const lastMonday = (year: number, month: number): number => {
  const last = utc(year, month + 1, 0)
  return last - ((weekdayOf(last) + 6) % 7) * dayMs
}

function easter(year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  return utc(year, month, ((h + l - 7 * m + 114) % 31) + 1)
}

function generate(region: BankHolidayRegion, year: number): BankHoliday[] {
  const scotland = region === 'scotland'
  const northernIreland = region === 'northern-ireland'
  const moveable: [number, string][] = [
    [easter(year) - 2 * dayMs, 'Good Friday'],
    ...(scotland ? [] : [[easter(year) + dayMs, 'Easter Monday'] as [number, string]]),
    [firstMonday(year, 5), 'Early May bank holiday'],
    [lastMonday(year, 5), 'Spring bank holiday'],
    [scotland ? firstMonday(year, 8) : lastMonday(year, 8), 'Summer bank holiday'],
  ]
  const fixed: [number, string][] = [
    [utc(year, 1, 1), 'New Year’s Day'],
    ...(scotland ? [[utc(year, 1, 2), '2nd January'] as [number, string]] : []),
    ...(northernIreland ? [[utc(year, 3, 17), 'St Patrick’s Day'] as [number, string]] : []),
    ...(northernIreland ? [[utc(year, 7, 12), 'Battle of the Boyne (Orangemen’s Day)'] as [number, string]] : []),
    ...(scotland ? [[utc(year, 11, 30), 'St Andrew’s Day'] as [number, string]] : []),
    [utc(year, 12, 25), 'Christmas Day'],
    [utc(year, 12, 26), 'Boxing Day'],
  ]
  const isWeekend = (ms: number): boolean => weekdayOf(ms) === 0 || weekdayOf(ms) === 6
  // A holiday at a weekend moves to the next weekday that is not already a holiday.
  const taken = new Set([...moveable, ...fixed.filter(([ms]) => !isWeekend(ms))].map(([ms]) => ms))
  const result: [number, string][] = [...moveable]
  for (const [ms, title] of fixed) {
    if (!isWeekend(ms)) {
      result.push([ms, title])
      continue
    }
    let substitute = ms + dayMs
    while (isWeekend(substitute) || taken.has(substitute)) substitute += dayMs
    taken.add(substitute)
    result.push([substitute, `${title} (substitute day)`])
  }
  return result.sort(([a], [b]) => a - b).map(([ms, title]) => ({ date: toIso(ms), title }))
}

describe('X-02: bank holidays', () => {
  test('X-02: the shipped data equals the rules for every region, 2024 to 2030', () => {
    assert.deepEqual(bankHolidayCoverage, { firstYear: 2024, lastYear: 2030 })
    for (const region of bankHolidayRegions) {
      const expected: BankHoliday[] = []
      for (let year = bankHolidayCoverage.firstYear; year <= bankHolidayCoverage.lastYear; year++) {
        expected.push(...generate(region, year))
      }
      assert.deepEqual(
        bankHolidays(region).map((holiday) => ({ ...holiday })),
        expected,
        region,
      )
    }
  })

  test('X-02: the generator’s Easter agrees with easterSunday', () => {
    for (let year = 1900; year <= 2200; year++) assert.equal(toIso(easter(year)), easterSunday(year))
  })

  test('X-02: dates published on GOV.UK', () => {
    const published: [BankHolidayRegion, string, string][] = [
      ['england-and-wales', '2024-03-29', 'Good Friday'],
      ['england-and-wales', '2025-05-05', 'Early May bank holiday'],
      ['england-and-wales', '2026-04-06', 'Easter Monday'],
      ['england-and-wales', '2026-08-31', 'Summer bank holiday'],
      ['england-and-wales', '2026-12-28', 'Boxing Day (substitute day)'],
      ['england-and-wales', '2027-12-27', 'Christmas Day (substitute day)'],
      ['england-and-wales', '2027-12-28', 'Boxing Day (substitute day)'],
      ['scotland', '2024-08-05', 'Summer bank holiday'],
      ['scotland', '2024-12-02', 'St Andrew’s Day (substitute day)'],
      ['scotland', '2025-12-01', 'St Andrew’s Day (substitute day)'],
      ['scotland', '2027-01-04', '2nd January (substitute day)'],
      ['northern-ireland', '2024-03-18', 'St Patrick’s Day (substitute day)'],
      ['northern-ireland', '2025-07-14', 'Battle of the Boyne (Orangemen’s Day) (substitute day)'],
      ['northern-ireland', '2026-07-13', 'Battle of the Boyne (Orangemen’s Day) (substitute day)'],
    ]
    for (const [region, date, title] of published) {
      assert.equal(bankHolidayOn(region, date)?.title, title, `${region} ${date}`)
    }
  })

  test('X-02: regions differ where the law differs', () => {
    assert.equal(isBankHoliday('scotland', '2026-04-06'), false, 'no Easter Monday in Scotland')
    assert.equal(isBankHoliday('england-and-wales', '2026-08-03'), false)
    assert.equal(isBankHoliday('scotland', '2026-08-31'), false)
    assert.equal(isBankHoliday('england-and-wales', '2026-03-17'), false)
    assert.equal(isBankHoliday('northern-ireland', '2026-03-17'), true)
    assert.equal(isBankHoliday('england-and-wales', '2026-12-26'), false, 'a Saturday: the substitute is the holiday')
    assert.equal(isBankHoliday('england-and-wales', '2023-12-25'), false, 'outside the covered years')
    assert.equal(bankHolidayOn('scotland', '2026-06-01'), null)
  })

  test('X-02: each year has the usual number of holidays', () => {
    const perYear = { 'england-and-wales': 8, scotland: 9, 'northern-ireland': 10 } as const
    for (const region of bankHolidayRegions) {
      for (let year = 2024; year <= 2030; year++) {
        const count = bankHolidays(region).filter((holiday) => holiday.date.startsWith(`${year}-`)).length
        assert.equal(count, perYear[region], `${region} ${year}`)
      }
    }
  })

  test('X-02: regions are an as-const catalogue', () => {
    assert.deepEqual(bankHolidayRegions, ['england-and-wales', 'scotland', 'northern-ireland'])
    assert.equal(BankHolidayRegion.Scotland, 'scotland')
    assert.equal(isBankHolidayRegion('wales'), false)
    assert.equal(isBankHolidayRegion('northern-ireland'), true)
    assert.ok(Object.isFrozen(bankHolidays('scotland')))
  })
})
