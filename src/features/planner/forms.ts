/**
 * The planner's forms (issue 13, point 3), one Zod schema each: a proposed session's new date, the
 * settings (limits and hours), and the version a confirmation was made from. The school and year
 * every form carries are read with `readYear` (a wrong one is a page not found, not a form error).
 */
import { z } from 'zod'
import { parseAcademicYearId } from '../../domain/calendar/index.ts'
import { dateInputSchema, datePartsFrom } from '../../forms/date-input.ts'
import { field, fieldList } from '../../forms/errors.ts'
import { checkboxes, formText, text, version } from '../../forms/fields.ts'
import { teamNameLimit } from '../../services/planning/teams.ts'

export type { DateParts } from '../../forms/date-input.ts'
export { datePartsFrom, datePartsOf } from '../../forms/date-input.ts'

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

/** The settings as typed, to show again. */
export function settingsValues(body: unknown): Record<string, string> {
  return Object.fromEntries(
    ['maxPerDay', 'maxPerWeek', 'dayStartsAt', 'dayEndsAt', 'preparationWorkingDays', 'version'].map((name) => [
      name,
      field(body, name),
    ]),
  )
}

/** Moving a proposed session: the new date, as a GOV.UK date input named `date`. */
export const changeDateSchema = z.preprocess(
  (body) => ({ date: datePartsFrom(body, 'date') }),
  z.object({ date: dateInputSchema('Date', { required: true }).pipe(z.string()) }),
)

/** Where the summary links for the change-date form: the date input's first part. */
export const changeDateHrefs = { date: 'date-day' }

/** Confirming the plan: the draft version it was checked at (-1, never a version, when missing or not a number). */
export const confirmSchema = z.object({
  version: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v),
    z
      .string()
      .regex(/^\d{1,9}$/)
      .transform(Number)
      .catch(-1),
  ),
})

/**
 * A standing team (CA-05): its name, leader, members, the type of group supervision it meets for,
 * the policy's standing group it is (optional), how often it meets (optional: blank follows the
 * policy), and the version it was read at. Who may lead and be a member is the service's to check.
 */
export const teamSchema = z.object({
  name: formText(
    z
      .string()
      .min(1, 'Enter the name of the team')
      .max(teamNameLimit, `The name of the team must be ${teamNameLimit} characters or fewer`),
  ),
  leaderId: text,
  memberIds: checkboxes,
  sessionTypeId: text,
  standingGroupId: text.transform((v) => (v === '' ? null : v)),
  everyWeeks: text.transform((typed, ctx): number | null => {
    if (typed === '') return null
    const n = /^\d{1,3}$/.test(typed) ? Number(typed) : Number.NaN
    if (!(n >= 1 && n <= 52)) {
      ctx.addIssue({ code: 'custom', message: 'How often the team meets must be a whole number of weeks from 1 to 52' })
      return null
    }
    return n
  }),
  version,
})

export type TeamForm = z.output<typeof teamSchema>

/** The team's form as typed, to show again. */
export function teamValues(body: unknown): Record<string, unknown> {
  return {
    name: field(body, 'name'),
    leaderId: field(body, 'leaderId'),
    memberIds: fieldList(body, 'memberIds'),
    sessionTypeId: field(body, 'sessionTypeId'),
    standingGroupId: field(body, 'standingGroupId'),
    everyWeeks: field(body, 'everyWeeks'),
    version: field(body, 'version'),
  }
}
