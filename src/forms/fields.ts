/**
 * The Zod building blocks every form schema is made of (issue 13, point 3), so a text box, a group
 * of checkboxes, a hidden version or a "yes" reads the same way in every form. A urlencoded body
 * repeats a field as an array; a single field takes its first value. Pure: no I/O.
 */
import { z } from 'zod'
import { isValidEmail } from '../domain/people/person-rules.ts'
import { parseClockTime } from '../domain/scheduling/index.ts'
import { datePartsFrom } from './date-input.ts'

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v)

/** One text field, trimmed: '' when missing or not text. */
export const text = z.preprocess(first, z.string().trim().catch('')).catch('')

/** One text field as typed, not trimmed (long answers keep their spacing): '' when missing. */
export const longText = z.preprocess(first, z.string().catch('')).catch('')

/** A text field, trimmed or as typed. */
export function textField({ trim = true } = {}) {
  return trim ? text : longText
}

/** A text field (trimmed unless `trim` is false) then checked by `schema`. */
export function formText<T extends z.ZodType>(schema: T, { trim = true } = {}) {
  return z.preprocess((value) => {
    const s = first(value)
    return typeof s === 'string' ? (trim ? s.trim() : s) : ''
  }, schema)
}

/** An email address as typed, in the Design System's words when blank or not an address. */
export const emailAddress = formText(
  z
    .string()
    .min(1, 'Enter your email address')
    .refine(isValidEmail, 'Enter an email address in the correct format, like name@example.com'),
)

/** Checkboxes (or a repeated field): the values given, without blanks. */
export const checkboxes = z.preprocess(
  (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => typeof x === 'string' && x !== ''),
  z.array(z.string()),
)

/** A time of day as typed ("14:30", "2:30pm"): null when blank and not required. */
export function timeOfDay(required: boolean, name = 'the start time') {
  return text.transform((typed, ctx): string | null => {
    if (typed === '') {
      if (required) ctx.addIssue({ code: 'custom', message: `Enter ${name}` })
      return null
    }
    const value = parseClockTime(typed)
    if (!value) ctx.addIssue({ code: 'custom', message: `Enter ${name} as a time of day, like 14:30 or 2:30pm` })
    return value ?? null
  })
}

/** A hidden "yes": the person has confirmed (seen the warnings, ticked the box). */
export const yes = text.transform((v) => v === 'yes')

/** The version of the thing being edited, from a hidden field: null when it is not a version number. */
export const version = text.transform((raw) => (/^\d{1,9}$/.test(raw) ? Number(raw) : null))

/** A version number from a hidden field of a body, or null. */
export function readVersion(body: unknown): number | null {
  return version.parse((body as Record<string, unknown> | null)?.version)
}

/**
 * The body with the date inputs' three fields (`<name>-day`, ...) gathered under each name, for
 * `dateInputSchema` inside a form's object schema.
 */
export function withDates(...names: string[]) {
  return (body: unknown) => {
    const gathered: Record<string, unknown> = { ...((body as object | null) ?? {}) }
    for (const name of names) gathered[name] = datePartsFrom(body, name)
    return gathered
  }
}
