/** The planner's forms: a date as three inputs, the year, and the settings (limits and hours). */
import { z } from 'zod'
import { isValidIsoDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { field } from '../../forms/errors.ts'

export interface DateParts {
  day: string
  month: string
  year: string
}

export interface DateInputResult {
  value: string | null
  error: string | null
  parts: DateParts
}

/** A GOV.UK date input named `<name>-day`, `-month`, `-year`, with the Design System's messages. */
export function readDateInput(body: unknown, name: string, label: string): DateInputResult {
  const parts = {
    day: field(body, `${name}-day`),
    month: field(body, `${name}-month`),
    year: field(body, `${name}-year`),
  }
  if (parts.day === '' && parts.month === '' && parts.year === '')
    return { value: null, error: `Enter the ${label.toLowerCase()}`, parts }
  const missing = (['day', 'month', 'year'] as const).filter((p) => parts[p] === '')
  if (missing.length > 0) {
    const words = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`
    return { value: null, error: `${label} must include a ${words}`, parts }
  }
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d+$/.test(parts.year))
    return { value: null, error: `${label} must be a real date`, parts }
  if (parts.year.length !== 4) return { value: null, error: 'Year must include 4 numbers', parts }
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`
  if (!isValidIsoDate(iso)) return { value: null, error: `${label} must be a real date`, parts }
  return { value: iso, error: null, parts }
}

export function datePartsOf(iso: string): DateParts {
  const [year = '', month = '', day = ''] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}

/** A year id from a query or form ('2026-27'), or null. */
export function readYear(value: unknown): string | null {
  return typeof value === 'string' && parseAcademicYearId(value) !== null ? value : null
}

const clockTime = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the time ${label}`)
    .transform((value) => value.replace('.', ':'))
    .refine(
      (value) => /^([01]?\d|2[0-3]):[0-5]\d$/.test(value),
      `Enter the time ${label} as a 24-hour time, like 09:00 or 15:30`,
    )
    .transform((value) => value.padStart(5, '0'))

const whole = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${label}`)
    .refine((value) => /^\d+$/.test(value), `${label[0]?.toUpperCase()}${label.slice(1)} must be a whole number`)
    .transform(Number)
    .refine(
      (value) => value >= min && value <= max,
      `${label[0]?.toUpperCase()}${label.slice(1)} must be between ${min} and ${max}`,
    )

export const settingsSchema = z
  .object({
    maxPerDay: whole('the most sessions in a day', 1, 20),
    maxPerWeek: whole('the most sessions in a week', 1, 100),
    dayStartsAt: clockTime('sessions may start from'),
    dayEndsAt: clockTime('sessions must end by'),
    preparationWorkingDays: whole('the number of working days', 0, 20),
    version: z
      .string()
      .regex(/^\d{1,9}$/, 'Reload the page and try again')
      .transform(Number),
  })
  .superRefine((value, ctx) => {
    if (value.dayStartsAt >= value.dayEndsAt)
      ctx.addIssue({
        code: 'custom',
        path: ['dayEndsAt'],
        message: 'The time sessions must end by must be later than the time they may start from',
      })
    if (value.maxPerWeek < value.maxPerDay)
      ctx.addIssue({
        code: 'custom',
        path: ['maxPerWeek'],
        message: 'The most sessions in a week must be at least the most in a day',
      })
  })

export type SettingsForm = z.output<typeof settingsSchema>

export function settingsValues(body: unknown): Record<string, string> {
  return Object.fromEntries(
    ['maxPerDay', 'maxPerWeek', 'dayStartsAt', 'dayEndsAt', 'preparationWorkingDays', 'version'].map((name) => [
      name,
      field(body, name),
    ]),
  )
}
