/**
 * Rules for a person's editable fields: one Zod schema shared by the person form and the staff
 * CSV import, with messages in the GOV.UK Design System's wording, plus the line-management
 * loop check and email normalisation.
 *
 * Pure: no clock, no I/O. "Today" is passed in where a rule needs it.
 */
import { z } from 'zod'
import {
  EmploymentType,
  type FlagDates,
  type FlagPeriod,
  type IsoDate,
  noFlags,
  type PersonFlags,
  type Weekday,
} from './person.ts'
import { roleCatalogue } from './roles.ts'

/** Longest values accepted, in characters. 254 is the longest usable email address (RFC 5321). */
export const personFieldLimits = Object.freeze({ name: 200, email: 254, jobTitle: 200 })

/** Monday to Friday: the working days assumed when none are given. */
export const defaultWorkingDays: readonly Weekday[] = Object.freeze([1, 2, 3, 4, 5] as const)

const invisibleCharacters = /[\u200B-\u200D\u2060\uFEFF]/g

/**
 * The form of an email address used for matching and storage: Unicode NFC, invisible characters
 * (zero-width spaces, byte order marks) removed, surrounding white space (including no-break
 * spaces pasted from spreadsheets) trimmed, lower case. `normaliseEmail(' Jo.Bloggs@School.org ')`
 * is `'jo.bloggs@school.org'`.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').replace(invisibleCharacters, '').trim().toLowerCase()
}

/** Text as stored: NFC, invisible characters removed, runs of white space collapsed, trimmed. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(invisibleCharacters, '').replace(/\s+/g, ' ').trim()
}

/**
 * Whether `email` (already normalised) is in a usable format: Zod's email pattern (ASCII local
 * part, apostrophes allowed, a dotted domain) and at most 254 characters.
 */
export function isValidEmail(email: string): boolean {
  return email.length <= personFieldLimits.email && z.regexes.email.test(email)
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `value` is a real calendar date written YYYY-MM-DD, with a year from 1900 to 2100. */
export function isRealIsoDate(value: string): value is IsoDate {
  const match = isoDatePattern.exec(value)
  if (!match) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false
  return day <= daysInMonth(year, month)
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

const employmentTypes = Object.values(EmploymentType)
const weekdays = [1, 2, 3, 4, 5, 6, 7] as const

export interface PersonRulesOptions {
  /** Ids of the school's own roles, accepted alongside the built-in catalogue. */
  customRoleIds?: readonly string[]
  /** Today in Europe/London; when given, a supervisor training date after it is refused. */
  today?: IsoDate
}

function requiredText(label: { missing: string; tooLong: string }, max: number) {
  return z
    .string({ error: label.missing })
    .transform(normaliseText)
    .superRefine((value, ctx) => {
      if (value === '') ctx.addIssue({ code: 'custom', message: label.missing })
      else if (value.length > max) ctx.addIssue({ code: 'custom', message: label.tooLong })
    })
}

/** `null`, `undefined` and blank strings all mean "no date". */
function optionalDate(invalid: string) {
  return z
    .string({ error: invalid })
    .nullable()
    .optional()
    .transform((value) => (value == null || value.trim() === '' ? null : value.trim()))
    .superRefine((value, ctx) => {
      if (value !== null && !isRealIsoDate(value)) ctx.addIssue({ code: 'custom', message: invalid })
    })
}

/** The flags in the order forms show them. */
export const flagKeys = [
  'earlyCareer',
  'inProbation',
  'worksInEyfs',
  'pastoralResponsibilities',
  'trainedDsl',
  'additionalSupport',
] as const satisfies readonly (keyof PersonFlags)[]

/** Each flag as error messages name it. */
export const flagWords: Readonly<Record<keyof PersonFlags, string>> = {
  earlyCareer: 'Early career',
  inProbation: 'Probation',
  worksInEyfs: 'Works in the EYFS',
  pastoralResponsibilities: 'Pastoral responsibilities',
  trainedDsl: 'Trained DSL',
  additionalSupport: 'Additional support',
}

/** When one flag began and ends: two optional dates, each error naming the flag. */
function flagPeriodSchema(key: keyof PersonFlags) {
  return z
    .object({
      since: optionalDate(`${flagWords[key]}: start date must be a real date`),
      until: optionalDate(`${flagWords[key]}: end date must be a real date`),
    })
    .optional()
}

/** The flag dates without the flags that have neither date. */
function withoutBlankPeriods(dates: Partial<Record<keyof PersonFlags, FlagPeriod | undefined>>): FlagDates {
  const kept: FlagDates = {}
  for (const key of flagKeys) {
    const period = dates[key]
    if (period && (period.since !== null || period.until !== null)) kept[key] = period
  }
  return kept
}

/**
 * The schema for a person's editable fields. Every field error is reported, each once, with the
 * GOV.UK Design System's wording; cross-field rules (end date, training date, own line manager)
 * run even when another field is wrong, so a form shows every problem at once.
 *
 * Input is typed data (the form layer turns checkbox and date-input strings into these); output is
 * normalised: text trimmed and collapsed, email lower case, roles and working days de-duplicated
 * (working days sorted), blank dates `null`, absent flags `false`.
 */
export function makePersonFieldsSchema(options: PersonRulesOptions = {}) {
  const knownRoleIds = new Set<string>([...roleCatalogue.map((r) => r.id), ...(options.customRoleIds ?? [])])
  const today = options.today
  return z
    .object({
      name: requiredText(
        { missing: 'Enter a name', tooLong: `Name must be ${personFieldLimits.name} characters or fewer` },
        personFieldLimits.name,
      ),
      email: z
        .string({ error: 'Enter an email address' })
        .transform(normaliseEmail)
        .superRefine((value, ctx) => {
          if (value === '') ctx.addIssue({ code: 'custom', message: 'Enter an email address' })
          else if (!isValidEmail(value))
            ctx.addIssue({
              code: 'custom',
              message: 'Enter an email address in the correct format, like name@example.com',
            })
        }),
      jobTitle: z
        .string({ error: 'Enter a job title' })
        .default('')
        .transform(normaliseText)
        .refine((value) => value.length <= personFieldLimits.jobTitle, {
          message: `Job title must be ${personFieldLimits.jobTitle} characters or fewer`,
        }),
      roles: z
        .array(z.string(), { error: 'Select roles from the list' })
        .default([])
        .transform((roles) => [...new Set(roles.map((r) => r.trim()))])
        .superRefine((roles, ctx) => {
          if (roles.some((r) => !knownRoleIds.has(r)))
            ctx.addIssue({ code: 'custom', message: 'Select roles from the list' })
        }),
      lineManagerId: z
        .string({ error: 'Select a line manager from the list' })
        .nullable()
        .optional()
        .transform((value) => (value == null || value.trim() === '' ? null : value.trim())),
      lineManagerEmail: z
        .string({ error: 'Enter the line manager’s email address in the correct format, like name@example.com' })
        .nullable()
        .optional()
        .transform((value) => (value == null || normaliseEmail(value) === '' ? null : normaliseEmail(value)))
        .superRefine((value, ctx) => {
          if (value !== null && !isValidEmail(value))
            ctx.addIssue({
              code: 'custom',
              message: 'Enter the line manager’s email address in the correct format, like name@example.com',
            })
        }),
      employmentType: z.enum(employmentTypes, { error: 'Select the type of employment' }).default('permanent'),
      partTime: z.boolean({ error: 'Select whether they work part time' }).default(false),
      workingDays: z
        .array(z.literal(weekdays, { error: 'Select working days from the list' }), {
          error: 'Select at least one working day',
        })
        .default([...defaultWorkingDays])
        .transform((days): Weekday[] => [...new Set(days)].sort((a, b) => a - b))
        .refine((days) => days.length > 0, { message: 'Select at least one working day' }),
      startDate: optionalDate('Start date must be a real date'),
      endDate: optionalDate('End date must be a real date'),
      flags: z
        .object({
          earlyCareer: z.boolean().default(false),
          inProbation: z.boolean().default(false),
          worksInEyfs: z.boolean().default(false),
          pastoralResponsibilities: z.boolean().default(false),
          trainedDsl: z.boolean().default(false),
          additionalSupport: z.boolean().default(false),
        })
        .prefault({ ...noFlags }),
      flagDates: z
        .object({
          earlyCareer: flagPeriodSchema('earlyCareer'),
          inProbation: flagPeriodSchema('inProbation'),
          worksInEyfs: flagPeriodSchema('worksInEyfs'),
          pastoralResponsibilities: flagPeriodSchema('pastoralResponsibilities'),
          trainedDsl: flagPeriodSchema('trainedDsl'),
          additionalSupport: flagPeriodSchema('additionalSupport'),
        })
        .optional()
        .transform((dates) => (dates === undefined ? undefined : withoutBlankPeriods(dates))),
      supervisorTrainedOn: optionalDate('Supervisor training date must be a real date'),
    })
    .superRefine(
      (person, ctx) => {
        // Runs even when a field failed (so every error shows at once): fields may hold raw input.
        const date = (value: unknown) => (typeof value === 'string' && isRealIsoDate(value) ? value : null)
        const startDate = date(person.startDate)
        const endDate = date(person.endDate)
        const supervisorTrainedOn = date(person.supervisorTrainedOn)
        if (startDate && endDate && endDate < startDate)
          ctx.addIssue({
            code: 'custom',
            path: ['endDate'],
            message: 'End date must be the same as or after the start date',
          })
        if (today && supervisorTrainedOn && supervisorTrainedOn > today)
          ctx.addIssue({
            code: 'custom',
            path: ['supervisorTrainedOn'],
            message: 'Supervisor training date must be today or in the past',
          })
        for (const key of flagKeys) {
          const period = person.flagDates?.[key]
          const since = date(period?.since)
          const until = date(period?.until)
          if (since && until && until < since)
            ctx.addIssue({
              code: 'custom',
              path: ['flagDates', key, 'until'],
              message: `${flagWords[key]}: end date must be the same as or after the start date`,
            })
        }
        if (typeof person.lineManagerEmail === 'string' && person.lineManagerEmail === person.email)
          ctx.addIssue({
            code: 'custom',
            path: ['lineManagerEmail'],
            message: 'A person cannot be their own line manager',
          })
      },
      { when: () => true },
    )
}

/** The schema with the built-in role catalogue only and no "today" (use `makePersonFieldsSchema` for more). */
export const personFieldsSchema = makePersonFieldsSchema()

export type PersonFieldsInput = z.input<ReturnType<typeof makePersonFieldsSchema>>
/** A person's editable fields after validation (dates are `IsoDate` or `null`). */
export type PersonFields = z.output<ReturnType<typeof makePersonFieldsSchema>>
/** The names of the editable fields, as used in `path[0]` of the schema's issues. */
export type PersonFieldName = keyof PersonFields

export interface LineManagedPerson {
  id: string
  lineManagerId: string | null
}

/**
 * Every line-management loop: each loop is the list of ids in reporting order (each person's line
 * manager is the next id; the last one's is the first), starting with the loop member that comes
 * first in `people`. Loops are listed in the order their first member appears. Someone who is their
 * own line manager is a loop of one. A line manager id not in `people` ends a chain (not a loop).
 * Linear time.
 */
export function findLineManagementLoops(people: readonly LineManagedPerson[]): string[][] {
  const managerOf = new Map<string, string | null>()
  const position = new Map<string, number>()
  for (const [index, person] of people.entries()) {
    if (!managerOf.has(person.id)) {
      managerOf.set(person.id, person.lineManagerId)
      position.set(person.id, index)
    }
  }
  // 0 = not seen, 1 = on the current walk, 2 = finished.
  const state = new Map<string, 1 | 2>()
  const loops: string[][] = []
  for (const person of people) {
    if (state.has(person.id)) continue
    const walk: string[] = []
    let current: string | null | undefined = person.id
    while (current != null && managerOf.has(current) && !state.has(current)) {
      state.set(current, 1)
      walk.push(current)
      current = managerOf.get(current)
    }
    if (current != null && state.get(current) === 1) {
      const loop = walk.slice(walk.indexOf(current))
      let first = 0
      for (let i = 1; i < loop.length; i++) {
        if ((position.get(loop[i]!) ?? 0) < (position.get(loop[first]!) ?? 0)) first = i
      }
      loops.push([...loop.slice(first), ...loop.slice(0, first)])
    }
    for (const id of walk) state.set(id, 2)
  }
  return loops.sort((a, b) => (position.get(a[0]!) ?? 0) - (position.get(b[0]!) ?? 0))
}

/** The first line-management loop (see `findLineManagementLoops`), or `null` when there is none. */
export function findLineManagementLoop(people: readonly LineManagedPerson[]): string[] | null {
  return findLineManagementLoops(people)[0] ?? null
}
