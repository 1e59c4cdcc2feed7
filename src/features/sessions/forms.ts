/**
 * The scheduling forms (issue 13, one form layer): one Zod schema per form, in the Design
 * System's wording, reading a submitted body (GOV.UK date inputs, times as people type them,
 * checkboxes) into what the services take. Scheduling's forms report their own problems (an
 * unreadable date or time) together with the rules' (a clash, a supervisee out of reach), so a
 * form is read field by field (`readFields`): every field that reads is used, every one that does
 * not is a problem, and the service adds its own before the page is answered.
 */
import { z } from 'zod'
import type { IsoDate } from '../../domain/people/person.ts'
import type { BookingRequest } from '../../domain/scheduling/index.ts'
import { type DateParts, dateInputSchema, datePartsFrom, datePartsOf, emptyDateParts } from '../../forms/date-input.ts'
import { field } from '../../forms/errors.ts'
import { yes as confirmed, checkboxes as list, longText, text, timeOfDay, version } from '../../forms/fields.ts'
import type { FieldProblem } from '../../forms/form.ts'

export type Problem = FieldProblem

export type { DateParts }
export { datePartsOf }

/** No date: the parts of a blank date input. */
export const emptyDate: DateParts = emptyDateParts

/** A length in whole minutes; negative numbers are read (the rules refuse them with their own message). */
function minutes(required: boolean) {
  return text.transform((typed, ctx): number | null => {
    if (typed === '') {
      if (required) ctx.addIssue({ code: 'custom', message: 'Enter how long the session lasts, in minutes' })
      return null
    }
    if (!/^-?\d{1,5}$/.test(typed)) {
      ctx.addIssue({ code: 'custom', message: 'Length of the session must be a whole number of minutes, like 60' })
      return null
    }
    return Number(typed)
  })
}

type Shape = Record<string, z.ZodType>
type Read<S extends Shape> = { [K in keyof S]: z.output<S[K]> | null }

/**
 * Reads a body with a form's schema, field by field: the value of every field that reads (null
 * for one that does not) and a problem for each that does not, in the form's order. Date inputs
 * named in `dates` are read from their three parts (`date-day`, `date-month`, `date-year`).
 */
export function readFields<S extends Shape>(
  schema: z.ZodObject<S>,
  body: unknown,
  dates: readonly string[] = [],
): { value: Read<S>; problems: Problem[] } {
  const input: Record<string, unknown> = { ...((body as Record<string, unknown> | null) ?? {}) }
  for (const name of dates) input[name] = datePartsFrom(body, name)
  const value = {} as Record<string, unknown>
  const problems: Problem[] = []
  for (const [name, fieldSchema] of Object.entries(schema.shape)) {
    const parsed = (fieldSchema as z.ZodType).safeParse(input[name])
    if (parsed.success) value[name] = parsed.data
    else {
      value[name] = null
      problems.push({ field: name, message: parsed.error.issues[0]?.message ?? 'Enter a valid value' })
    }
  }
  return { value: value as Read<S>, problems }
}

// ---------------------------------------------------------------------------------------------
// Booking, rebooking and booking a request
// ---------------------------------------------------------------------------------------------

export const bookingForm = z.object({
  typeId: text,
  focusId: text,
  supervisorId: text,
  secondSupervisorId: text,
  superviseeIds: list,
  date: dateInputSchema('Date of the session', { required: true }),
  startTime: timeOfDay(true),
  durationMinutes: minutes(true),
  venue: text,
  onlineLink: text,
  rebooks: text,
  request: text,
  /** Issue 14: who completes the record ('' or 'relationship': as set for the supervision relationship). */
  recorder: text,
  confirmed,
})

export interface BookingValues {
  typeId: string
  /** CA-01: how a multi-agency session is focused. */
  focusId?: string
  supervisorId: string
  secondSupervisorId: string
  superviseeIds: string[]
  date: DateParts
  startTime: string
  durationMinutes: string
  venue: string
  onlineLink: string
  rebooks: string
  request: string
  /** Issue 14: who completes the record; missing or '': as set for the relationship. */
  recorder?: string
}

export const bookingHrefs: Record<string, string> = {
  typeId: 'typeId',
  focusId: 'focusId',
  supervisorIds: 'supervisorId',
  superviseeIds: 'superviseeIds',
  date: 'date-day',
  startTime: 'startTime',
  durationMinutes: 'durationMinutes',
  venue: 'venue',
  onlineLink: 'onlineLink',
}

export function readBookingForm(body: unknown): {
  values: BookingValues
  request: BookingRequest
  problems: Problem[]
  confirmed: boolean
} {
  const { value: form, problems } = readFields(bookingForm, body, ['date'])
  const values: BookingValues = {
    typeId: form.typeId ?? '',
    focusId: form.focusId ?? '',
    supervisorId: form.supervisorId ?? '',
    secondSupervisorId: form.secondSupervisorId ?? '',
    superviseeIds: form.superviseeIds ?? [],
    date: datePartsFrom(body, 'date'),
    startTime: field(body, 'startTime'),
    durationMinutes: field(body, 'durationMinutes'),
    venue: form.venue ?? '',
    onlineLink: form.onlineLink ?? '',
    rebooks: form.rebooks ?? '',
    request: form.request ?? '',
    recorder: form.recorder ?? '',
  }
  return {
    values,
    request: {
      typeId: values.typeId,
      focusId: values.focusId || null,
      supervisorIds: [values.supervisorId, values.secondSupervisorId].filter((id) => id !== ''),
      superviseeIds: values.superviseeIds,
      date: form.date,
      startTime: form.startTime,
      durationMinutes: form.durationMinutes,
      venue: values.venue,
      onlineLink: values.onlineLink,
    },
    problems,
    confirmed: form.confirmed ?? false,
  }
}

// ---------------------------------------------------------------------------------------------
// Cancel, did not attend, postpone
// ---------------------------------------------------------------------------------------------

const cancelFields = {
  reasonId: text,
  reasonNote: longText,
  returnDate: dateInputSchema('The date they return'),
  version,
  confirmed,
}

export const cancelForm = z.object(cancelFields)

export const postponeForm = z.object({
  ...cancelFields,
  date: dateInputSchema('New date', { required: true }),
  startTime: timeOfDay(true, 'the new start time'),
})

export interface CancelValues {
  reasonId: string
  reasonNote: string
  returnDate: DateParts
  version: string
  date: DateParts
  startTime: string
}

export function readCancelForm(body: unknown, withNewTime: boolean) {
  const { value: form, problems } = withNewTime
    ? readFields(postponeForm, body, ['returnDate', 'date'])
    : readFields(cancelForm, body, ['returnDate'])
  const postponed = form as Partial<Read<(typeof postponeForm)['shape']>>
  const values: CancelValues = {
    reasonId: field(body, 'reasonId'),
    reasonNote: field(body, 'reasonNote'),
    returnDate: datePartsFrom(body, 'returnDate'),
    version: field(body, 'version'),
    date: withNewTime ? datePartsFrom(body, 'date') : emptyDate,
    startTime: withNewTime ? field(body, 'startTime') : '',
  }
  return {
    values,
    reasonId: form.reasonId ?? '',
    reasonNote: form.reasonNote ?? '',
    returnDate: form.returnDate ?? null,
    newDate: postponed.date ?? null,
    newStartTime: postponed.startTime ?? null,
    version: form.version ?? null,
    confirmed: form.confirmed ?? false,
    problems,
  }
}

export const cancelHrefs: Record<string, string> = {
  reasonId: 'reasonId',
  returnDate: 'returnDate-day',
  reasonNote: 'reasonNote',
  date: 'date-day',
  startTime: 'startTime',
}

// ---------------------------------------------------------------------------------------------
// The date someone returns; held; declining a request
// ---------------------------------------------------------------------------------------------

export const returnDateForm = z.object({
  returnDate: dateInputSchema('The date they return', { required: true }),
  version,
})

export function readReturnDateForm(body: unknown) {
  const { value, problems } = readFields(returnDateForm, body, ['returnDate'])
  return {
    returnDate: value.returnDate ?? null,
    version: value.version ?? null,
    parts: datePartsFrom(body, 'returnDate'),
    problems,
  }
}

export const returnDateHrefs: Record<string, string> = { returnDate: 'returnDate-day' }

export const heldForm = z.object({ attended: list, version })

export function readHeldForm(body: unknown) {
  const { value } = readFields(heldForm, body)
  return { attended: value.attended ?? [], version: value.version ?? null }
}

export const heldHrefs: Record<string, string> = { attended: 'attended' }

export const declineForm = z.object({ reason: text, version })

export function readDeclineForm(body: unknown) {
  const { value } = readFields(declineForm, body)
  return { reason: value.reason ?? '', version: value.version ?? null }
}

export const declineHrefs: Record<string, string> = { reason: 'reason' }

// ---------------------------------------------------------------------------------------------
// Asking for a session
// ---------------------------------------------------------------------------------------------

export const requestForm = z.object({
  /** Issue 14: who the session is for (empty: the person asking). */
  forPerson: text,
  topic: text,
  note: text,
  preferredDate1: dateInputSchema('The date that suits you'),
  preferredDate2: dateInputSchema('The other date that suits you'),
})

export interface RequestValues {
  forPerson: string
  topic: string
  note: string
  preferredDate1: DateParts
  preferredDate2: DateParts
}

export function readRequestForm(body: unknown) {
  const { value: form, problems } = readFields(requestForm, body, ['preferredDate1', 'preferredDate2'])
  const values: RequestValues = {
    forPerson: form.forPerson ?? '',
    topic: form.topic ?? '',
    note: form.note ?? '',
    preferredDate1: datePartsFrom(body, 'preferredDate1'),
    preferredDate2: datePartsFrom(body, 'preferredDate2'),
  }
  return {
    values,
    preferredDates: [form.preferredDate1, form.preferredDate2].filter((d): d is IsoDate => d != null),
    problems,
  }
}

export const requestHrefs: Record<string, string> = {
  forPerson: 'forPerson',
  topic: 'topic',
  note: 'note',
  preferredDate1: 'preferredDate1-day',
  preferredDate2: 'preferredDate2-day',
}

// ---------------------------------------------------------------------------------------------
// Unplanned supervision
// ---------------------------------------------------------------------------------------------

/** Text with one item on each line: the items, blank lines and list marks dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter((line) => line !== '')
}

export const unplannedForm = z.object({
  date: dateInputSchema('Date it happened', { required: true }),
  startTime: timeOfDay(false),
  durationMinutes: minutes(false),
  typeId: text.pipe(z.string().min(1, 'Select the type of supervision')),
  superviseeId: text,
  supervisorId: text,
  issues: longText,
  decisions: longText,
})

export interface UnplannedValues {
  typeId: string
  superviseeId: string
  supervisorId: string
  date: DateParts
  startTime: string
  durationMinutes: string
  issues: string
  decisions: string
}

export function readUnplannedForm(body: unknown) {
  const { value: form, problems } = readFields(unplannedForm, body, ['date'])
  const values: UnplannedValues = {
    typeId: field(body, 'typeId'),
    superviseeId: form.superviseeId ?? '',
    supervisorId: form.supervisorId ?? '',
    date: datePartsFrom(body, 'date'),
    startTime: field(body, 'startTime'),
    durationMinutes: field(body, 'durationMinutes'),
    issues: form.issues ?? '',
    decisions: form.decisions ?? '',
  }
  return {
    values,
    request: {
      typeId: values.typeId,
      supervisorIds: values.supervisorId === '' ? [] : [values.supervisorId],
      superviseeIds: values.superviseeId === '' ? [] : [values.superviseeId],
      date: form.date ?? null,
      startTime: form.startTime ?? null,
      durationMinutes: form.durationMinutes ?? null,
      venue: '',
      onlineLink: '',
    } satisfies BookingRequest,
    issues: linesOf(values.issues),
    decisions: linesOf(values.decisions),
    problems,
  }
}

export const unplannedHrefs: Record<string, string> = {
  typeId: 'typeId',
  superviseeIds: 'superviseeId',
  supervisorIds: 'supervisorId',
  date: 'date-day',
  startTime: 'startTime',
  durationMinutes: 'durationMinutes',
  issues: 'issues',
  decisions: 'decisions',
}
