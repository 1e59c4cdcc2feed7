/**
 * The school's sessions by week or by month: which days a page covers, what it is called, and the
 * pages before and after it. Weeks run Monday to Sunday.
 */
import {
  addDays,
  addMonths,
  daysInMonth,
  eachDay,
  formatLongDate,
  type IsoDate,
  isValidIsoDate,
  monthNames,
  weekdayOnOrBefore,
} from '../calendar/index.ts'

export const ScheduleView = { Week: 'week', Month: 'month' } as const
export type ScheduleView = (typeof ScheduleView)[keyof typeof ScheduleView]

export interface SchedulePage {
  view: ScheduleView
  /** Monday of the week, or the first of the month. */
  start: IsoDate
  /** Sunday of the week, or the last day of the month. */
  end: IsoDate
  days: IsoDate[]
  /** "Week beginning Monday 23 November 2026" or "November 2026". */
  title: string
  /** The key of the page, as used in addresses: the Monday (2026-11-23) or the month (2026-11). */
  key: string
  previousKey: string
  nextKey: string
}

/** The week containing `date`. */
export function weekPage(date: IsoDate): SchedulePage {
  const start = weekdayOnOrBefore(date, 1)
  const end = addDays(start, 6)
  return {
    view: ScheduleView.Week,
    start,
    end,
    days: eachDay(start, end),
    title: `Week beginning ${formatLongDate(start)}`,
    key: start,
    previousKey: addDays(start, -7),
    nextKey: addDays(start, 7),
  }
}

/** The month containing `date`. */
export function monthPage(date: IsoDate): SchedulePage {
  const [year = 0, month = 1] = date.split('-').map(Number)
  const start = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`
  const end = addDays(start, daysInMonth(year, month) - 1)
  return {
    view: ScheduleView.Month,
    start,
    end,
    days: eachDay(start, end),
    title: `${monthNames[month - 1]} ${year}`,
    key: start.slice(0, 7),
    previousKey: addMonths(start, -1).slice(0, 7),
    nextKey: addMonths(start, 1).slice(0, 7),
  }
}

/**
 * The page an address asks for: `week` a date (any day of the week), `month` 'YYYY-MM'. Null when
 * the key is not a real date or month (or is out of range); an absent key means the page of today.
 */
export function schedulePage(view: ScheduleView, key: string | undefined, today: IsoDate): SchedulePage | null {
  if (key === undefined || key === '') return view === ScheduleView.Week ? weekPage(today) : monthPage(today)
  if (view === ScheduleView.Week) {
    if (!isValidIsoDate(key) || key < '2000-01-01' || key > '2099-12-31') return null
    return weekPage(key)
  }
  if (!/^\d{4}-\d{2}$/.test(key)) return null
  const first = `${key}-01`
  if (!isValidIsoDate(first) || first < '2000-01-01' || first > '2099-12-01') return null
  return monthPage(first)
}

/**
 * The key of the same days in the other view (issue 18): from a week, the month most of its days
 * fall in (its Thursday's), or today's month when today is in the week; from a month, today's week
 * when today is in the month, or its first week.
 */
export function otherViewKey(page: SchedulePage, today: IsoDate): string {
  const inPage = today >= page.start && today <= page.end
  if (page.view === ScheduleView.Week) return (inPage ? today : addDays(page.start, 3)).slice(0, 7)
  return inPage ? weekdayOnOrBefore(today, 1) : page.start
}
