/**
 * UK bank holidays by region, shipped as data in bank-holidays.json for 2024 to 2030.
 * The test file regenerates every entry from the rules (Easter computus, fixed days, first and
 * last Mondays, substitute days) and checks the data matches.
 *
 * Outside the covered years nothing is a bank holiday: extend the JSON (and the coverage
 * constant) before planning beyond 2030.
 */
import data from './bank-holidays.json' with { type: 'json' }
import type { IsoDate } from './dates.ts'

export const BankHolidayRegion = {
  EnglandAndWales: 'england-and-wales',
  Scotland: 'scotland',
  NorthernIreland: 'northern-ireland',
} as const
export type BankHolidayRegion = (typeof BankHolidayRegion)[keyof typeof BankHolidayRegion]

export const bankHolidayRegions: readonly BankHolidayRegion[] = Object.values(BankHolidayRegion)

/** Calendar years (inclusive) for which bank-holidays.json is complete. */
export const bankHolidayCoverage = { firstYear: 2024, lastYear: 2030 } as const

export interface BankHoliday {
  date: IsoDate
  /** As GOV.UK words it, e.g. 'Boxing Day (substitute day)'. */
  title: string
}

const holidaysByRegion: Readonly<Record<BankHolidayRegion, readonly BankHoliday[]>> = Object.freeze({
  'england-and-wales': Object.freeze(data['england-and-wales'].map((holiday) => Object.freeze({ ...holiday }))),
  scotland: Object.freeze(data.scotland.map((holiday) => Object.freeze({ ...holiday }))),
  'northern-ireland': Object.freeze(data['northern-ireland'].map((holiday) => Object.freeze({ ...holiday }))),
})

const holidayIndex: Readonly<Record<BankHolidayRegion, ReadonlyMap<IsoDate, BankHoliday>>> = {
  'england-and-wales': new Map(holidaysByRegion['england-and-wales'].map((holiday) => [holiday.date, holiday])),
  scotland: new Map(holidaysByRegion.scotland.map((holiday) => [holiday.date, holiday])),
  'northern-ireland': new Map(holidaysByRegion['northern-ireland'].map((holiday) => [holiday.date, holiday])),
}

export function isBankHolidayRegion(value: unknown): value is BankHolidayRegion {
  return typeof value === 'string' && (bankHolidayRegions as readonly string[]).includes(value)
}

/** Every bank holiday in the region, in date order. */
export function bankHolidays(region: BankHolidayRegion): readonly BankHoliday[] {
  return holidaysByRegion[region]
}

/** The bank holiday on this date in the region, or null. */
export function bankHolidayOn(region: BankHolidayRegion, date: IsoDate): BankHoliday | null {
  return holidayIndex[region].get(date) ?? null
}

export function isBankHoliday(region: BankHolidayRegion, date: IsoDate): boolean {
  return holidayIndex[region].has(date)
}
