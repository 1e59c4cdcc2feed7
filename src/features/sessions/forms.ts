/**
 * The scheduling forms: reading a submitted body (GOV.UK date inputs, times as people type them,
 * checkboxes) into what the services take, with the form's own problems (an unreadable date or
 * time) in the Design System's wording, and the values to show again after a mistake.
 */
import type { IsoDate } from '../../domain/people/person.ts'
import { type BookingRequest, parseClockTime } from '../../domain/scheduling/index.ts'
import { type DateParts, datePartsOf, emptyDateParts, readDateInput } from '../../forms/date-input.ts'
import { field, fieldList } from '../../forms/errors.ts'

export interface Problem {
  field: string
  message: string
}

export type { DateParts }
export { datePartsOf }

/** No date: the parts of a blank date input. */
export const emptyDate: DateParts = emptyDateParts

/** A time of day as typed; the problem when it is missing (if required) or not a time. */
export function readTime(
  body: unknown,
  name: string,
  required: boolean,
): { value: string | null; text: string; problem: string | null } {
  const text = field(body, name)
  if (text === '') return { value: null, text, problem: required ? 'Enter the start time' : null }
  const value = parseClockTime(text)
  return value
    ? { value, text, problem: null }
    : { value: null, text, problem: 'Enter the start time as a time of day, like 14:30 or 2:30pm' }
}

/** A length in whole minutes; negative numbers are read (the rules refuse them with their own message). */
export function readMinutes(
  body: unknown,
  name: string,
  required: boolean,
): { value: number | null; text: string; problem: string | null } {
  const text = field(body, name)
  if (text === '')
    return { value: null, text, problem: required ? 'Enter how long the session lasts, in minutes' : null }
  if (!/^-?\d{1,5}$/.test(text))
    return { value: null, text, problem: 'Length of the session must be a whole number of minutes, like 60' }
  return { value: Number(text), text, problem: null }
}

/** A version number from a hidden field, or null when it is not one. */
export function readVersion(body: unknown): number | null {
  const raw = field(body, 'version')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}

export interface BookingValues {
  typeId: string
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
}

export const bookingHrefs: Record<string, string> = {
  typeId: 'typeId',
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
  const date = readDateInput(body, 'date', 'Date of the session', { required: true })
  const time = readTime(body, 'startTime', true)
  const minutes = readMinutes(body, 'durationMinutes', true)
  const values: BookingValues = {
    typeId: field(body, 'typeId'),
    supervisorId: field(body, 'supervisorId'),
    secondSupervisorId: field(body, 'secondSupervisorId'),
    superviseeIds: fieldList(body, 'superviseeIds'),
    date: date.parts,
    startTime: time.text,
    durationMinutes: minutes.text,
    venue: field(body, 'venue'),
    onlineLink: field(body, 'onlineLink'),
    rebooks: field(body, 'rebooks'),
    request: field(body, 'request'),
  }
  const problems: Problem[] = []
  if (date.error) problems.push({ field: 'date', message: date.error })
  if (time.problem) problems.push({ field: 'startTime', message: time.problem })
  if (minutes.problem) problems.push({ field: 'durationMinutes', message: minutes.problem })
  const supervisorIds = [values.supervisorId, values.secondSupervisorId].filter((id) => id !== '')
  return {
    values,
    request: {
      typeId: values.typeId,
      supervisorIds,
      superviseeIds: values.superviseeIds,
      date: date.value,
      startTime: time.value,
      durationMinutes: minutes.value,
      venue: values.venue,
      onlineLink: values.onlineLink,
    },
    problems,
    confirmed: field(body, 'confirmed') === 'yes',
  }
}

export interface CancelValues {
  reasonId: string
  reasonNote: string
  returnDate: DateParts
  version: string
  date: DateParts
  startTime: string
}

export function readCancelForm(body: unknown, withNewTime: boolean) {
  const returnDate = readDateInput(body, 'returnDate', 'The date they return')
  const date = withNewTime ? readDateInput(body, 'date', 'New date', { required: true }) : null
  const time = withNewTime ? readTime(body, 'startTime', true) : null
  const values: CancelValues = {
    reasonId: field(body, 'reasonId'),
    reasonNote: field(body, 'reasonNote'),
    returnDate: returnDate.parts,
    version: field(body, 'version'),
    date: date?.parts ?? emptyDate,
    startTime: time?.text ?? '',
  }
  const problems: Problem[] = []
  if (returnDate.error) problems.push({ field: 'returnDate', message: returnDate.error })
  if (date?.error) problems.push({ field: 'date', message: date.error })
  if (time?.problem)
    problems.push({
      field: 'startTime',
      message: time.problem.replace('Enter the start time', 'Enter the new start time'),
    })
  return {
    values,
    reasonId: values.reasonId,
    reasonNote: field(body, 'reasonNote', { trim: false }),
    returnDate: returnDate.value,
    newDate: date?.value ?? null,
    newStartTime: time?.value ?? null,
    version: readVersion(body),
    confirmed: field(body, 'confirmed') === 'yes',
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

export interface RequestValues {
  topic: string
  note: string
  preferredDate1: DateParts
  preferredDate2: DateParts
}

export function readRequestForm(body: unknown) {
  const first = readDateInput(body, 'preferredDate1', 'The date that suits you')
  const second = readDateInput(body, 'preferredDate2', 'The other date that suits you')
  const values: RequestValues = {
    topic: field(body, 'topic'),
    note: field(body, 'note'),
    preferredDate1: first.parts,
    preferredDate2: second.parts,
  }
  const problems: Problem[] = []
  if (first.error) problems.push({ field: 'preferredDate1', message: first.error })
  if (second.error) problems.push({ field: 'preferredDate2', message: second.error })
  return {
    values,
    preferredDates: [first.value, second.value].filter((d): d is IsoDate => d !== null),
    problems,
  }
}

export const requestHrefs: Record<string, string> = {
  topic: 'topic',
  note: 'note',
  preferredDate1: 'preferredDate1-day',
  preferredDate2: 'preferredDate2-day',
}

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

/** Text with one item on each line: the items, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter((line) => line !== '')
}

export function readUnplannedForm(body: unknown) {
  const date = readDateInput(body, 'date', 'Date it happened', { required: true })
  const time = readTime(body, 'startTime', false)
  const minutes = readMinutes(body, 'durationMinutes', false)
  const values: UnplannedValues = {
    typeId: field(body, 'typeId'),
    superviseeId: field(body, 'superviseeId'),
    supervisorId: field(body, 'supervisorId'),
    date: date.parts,
    startTime: time.text,
    durationMinutes: minutes.text,
    issues: field(body, 'issues', { trim: false }),
    decisions: field(body, 'decisions', { trim: false }),
  }
  const problems: Problem[] = []
  if (date.error) problems.push({ field: 'date', message: date.error })
  if (time.problem) problems.push({ field: 'startTime', message: time.problem })
  if (minutes.problem) problems.push({ field: 'durationMinutes', message: minutes.problem })
  if (values.typeId === '') problems.push({ field: 'typeId', message: 'Select the type of supervision' })
  return {
    values,
    request: {
      typeId: values.typeId,
      supervisorIds: values.supervisorId === '' ? [] : [values.supervisorId],
      superviseeIds: values.superviseeId === '' ? [] : [values.superviseeId],
      date: date.value,
      startTime: time.value,
      durationMinutes: minutes.value,
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
