/**
 * The staff forms: reading a submitted body into the typed input of `makePersonFieldsSchema`
 * (checkboxes, radios and GOV.UK date inputs), and back into values to show again after a mistake.
 * One error shape for every form (forms/errors.ts), in the order the fields appear.
 */
import { z } from 'zod'
import { allCapabilities, nonStaffKinds } from '../../domain/people/kinds.ts'
import type { Person } from '../../domain/people/person.ts'
import {
  flagKeys,
  flagWords,
  isValidEmail,
  makePersonFieldsSchema,
  normaliseEmail,
  type PersonFields,
  type PersonFieldsInput,
} from '../../domain/people/person-rules.ts'
import { type DateParts, dateInputSchema, datePartsFrom, datePartsOf, emptyDateParts } from '../../forms/date-input.ts'
import { type FormErrors, field, fieldList } from '../../forms/errors.ts'
import { checkboxes, formText, text, version, withDates } from '../../forms/fields.ts'
import { parseForm } from '../../forms/form.ts'
import { scopeReasonLimit } from '../../services/staff/scope.ts'

export { datePartsOf, readDateInput } from '../../forms/date-input.ts'

export { flagKeys }

/** The date inputs of one flag: when it began and the last day it applies. */
export interface FlagDateValues {
  since: DateParts
  until: DateParts
}

/** The names of a flag's two date inputs: earlyCareerSince, earlyCareerUntil. */
export const flagDateNames = (key: FlagKey) => ({ since: `${key}Since`, until: `${key}Until` })

type FlagKey = (typeof flagKeys)[number]

/** What the person form shows: text as typed, lists of checked values, date parts. */
export interface PersonFormValues {
  name: string
  email: string
  jobTitle: string
  roles: string[]
  lineManagerId: string
  employmentType: string
  externalOrganisation: string
  partTime: string
  workingDays: string[]
  startDate: DateParts
  endDate: DateParts
  flags: string[]
  flagDates: Record<FlagKey, FlagDateValues>
  supervisorTrainedOn: DateParts
  version: string
}

const fieldOrder = [
  'name',
  'email',
  'jobTitle',
  'roles',
  'lineManagerId',
  'employmentType',
  'externalOrganisation',
  'partTime',
  'workingDays',
  'startDate',
  'endDate',
  'flags',
  ...flagKeys.flatMap((key) => Object.values(flagDateNames(key))),
  'supervisorTrainedOn',
]

const hrefs: Record<string, string> = {
  startDate: 'startDate-day',
  endDate: 'endDate-day',
  ...Object.fromEntries(
    flagKeys.flatMap((key) => Object.values(flagDateNames(key))).map((name) => [name, `${name}-day`]),
  ),
  supervisorTrainedOn: 'supervisorTrainedOn-day',
}

const externalOrganisationLimit = 200

export type PersonFormResult =
  | { ok: true; fields: PersonFields; externalOrganisation: string | null; values: PersonFormValues }
  | { ok: false; errors: FormErrors; values: PersonFormValues }

function mapFlags<T>(each: (key: FlagKey) => T): Record<FlagKey, T> {
  return Object.fromEntries(flagKeys.map((key) => [key, each(key)])) as Record<FlagKey, T>
}

const noFlagDates = (): Record<FlagKey, FlagDateValues> =>
  mapFlags(() => ({ since: { ...emptyDateParts }, until: { ...emptyDateParts } }))

/** The person form as typed, to show again after a mistake. */
export function personFormValuesFrom(body: unknown): PersonFormValues {
  return {
    name: field(body, 'name'),
    email: field(body, 'email'),
    jobTitle: field(body, 'jobTitle'),
    roles: fieldList(body, 'roles'),
    lineManagerId: field(body, 'lineManagerId'),
    employmentType: field(body, 'employmentType'),
    externalOrganisation: field(body, 'externalOrganisation'),
    partTime: field(body, 'partTime'),
    workingDays: fieldList(body, 'workingDays'),
    startDate: datePartsFrom(body, 'startDate'),
    endDate: datePartsFrom(body, 'endDate'),
    flags: fieldList(body, 'flags'),
    flagDates: mapFlags((key) => ({
      since: datePartsFrom(body, flagDateNames(key).since),
      until: datePartsFrom(body, flagDateNames(key).until),
    })),
    supervisorTrainedOn: datePartsFrom(body, 'supervisorTrainedOn'),
    version: field(body, 'version'),
  }
}

/**
 * The person form (adding and editing someone): from the submitted body to the person's fields
 * (the domain's `makePersonFieldsSchema`) and their external organisation. Every problem is
 * reported at once, in the order the fields appear. `customRoleIds` are the school's own roles;
 * `today` refuses a supervisor training date in the future.
 */
export function personFormSchema(options: { customRoleIds: readonly string[]; today: string }) {
  const fieldsSchema = makePersonFieldsSchema({ customRoleIds: options.customRoleIds, today: options.today })
  const dates = {
    startDate: dateInputSchema('Start date'),
    endDate: dateInputSchema('End date'),
    supervisorTrainedOn: dateInputSchema('Supervisor training date'),
  }
  const flagDateSchemas = mapFlags((key) => ({
    since: dateInputSchema(`${flagWords[key]}: start date`),
    until: dateInputSchema(`${flagWords[key]}: end date`),
  }))
  return z.preprocess(
    personFormValuesFrom,
    z.custom<PersonFormValues>().transform((values, ctx) => {
      const pairs: [string, string][] = []
      if (values.employmentType === '') pairs.push(['employmentType', 'Select the type of employment'])
      if (values.partTime !== 'yes' && values.partTime !== 'no')
        pairs.push(['partTime', 'Select whether they work full time or part time'])
      const external = values.employmentType === 'external'
      if (external && values.externalOrganisation === '')
        pairs.push(['externalOrganisation', 'Enter the organisation the external supervisor works for'])
      if (values.externalOrganisation.length > externalOrganisationLimit)
        pairs.push(['externalOrganisation', `Organisation must be ${externalOrganisationLimit} characters or fewer`])
      const date = (name: keyof typeof dates): string | null => {
        const parsed = dates[name].safeParse(values[name])
        if (parsed.success) return parsed.data
        pairs.push([name, parsed.error.issues[0]!.message])
        return null
      }
      // A flag's dates count only while it is ticked: unticking it clears them.
      const flagDates: Partial<Record<FlagKey, { since: string | null; until: string | null }>> = {}
      for (const key of flagKeys) {
        const names = flagDateNames(key)
        const since = flagDateSchemas[key].since.safeParse(values.flagDates[key].since)
        const until = flagDateSchemas[key].until.safeParse(values.flagDates[key].until)
        if (!values.flags.includes(key)) continue
        if (!since.success) pairs.push([names.since, since.error.issues[0]!.message])
        if (!until.success) pairs.push([names.until, until.error.issues[0]!.message])
        flagDates[key] = { since: since.success ? since.data : null, until: until.success ? until.data : null }
      }
      const input: PersonFieldsInput = {
        name: values.name,
        email: values.email,
        jobTitle: values.jobTitle,
        roles: values.roles,
        lineManagerId: values.lineManagerId === '' ? null : values.lineManagerId,
        employmentType: (values.employmentType || undefined) as PersonFieldsInput['employmentType'],
        partTime: values.partTime === 'yes',
        workingDays: values.workingDays.map((d) => (/^[1-7]$/.test(d) ? Number(d) : d)) as never,
        startDate: date('startDate'),
        endDate: date('endDate'),
        flags: Object.fromEntries(flagKeys.map((k) => [k, values.flags.includes(k)])) as Record<
          (typeof flagKeys)[number],
          boolean
        >,
        flagDates,
        supervisorTrainedOn: date('supervisorTrainedOn'),
      }
      const parsed = fieldsSchema.safeParse(input)
      if (!parsed.success)
        for (const issue of parsed.error.issues) pairs.push([fieldOfIssue(issue.path), issue.message])
      if (pairs.length > 0 || !parsed.success) {
        pairs.sort((a, b) => fieldOrder.indexOf(a[0]) - fieldOrder.indexOf(b[0]))
        for (const [name, message] of pairs) ctx.addIssue({ code: 'custom', path: [name], message })
        return z.NEVER
      }
      return {
        fields: parsed.data,
        externalOrganisation: external ? values.externalOrganisation.replace(/\s+/g, ' ') : null,
      }
    }),
  )
}

/** The form field an issue of the person fields schema belongs to: flagDates.earlyCareer.until is earlyCareerUntil. */
function fieldOfIssue(path: readonly PropertyKey[]): string {
  if (path[0] === 'flagDates' && typeof path[1] === 'string') {
    const key = path[1] as FlagKey
    return path[2] === 'since' ? flagDateNames(key).since : flagDateNames(key).until
  }
  return String(path[0] ?? 'name')
}

/** The summary links of the person form's date inputs. */
export const personFormHrefs = hrefs

/** Reads and checks the person form (see `personFormSchema`), with the values to show again. */
export function readPersonForm(
  body: unknown,
  options: { customRoleIds: readonly string[]; today: string },
): PersonFormResult {
  const values = personFormValuesFrom(body)
  const form = parseForm(personFormSchema(options), body, hrefs)
  return form.ok ? { ok: true, ...form.value, values } : { ok: false, errors: form.errors, values }
}

/** The form's values for someone already in Haven. */
export function personFormValues(
  person: Person,
  extra: { externalOrganisation: string | null; version: number },
): PersonFormValues {
  return {
    name: person.name,
    email: person.email,
    jobTitle: person.jobTitle,
    roles: [...person.roles],
    lineManagerId: person.lineManagerId ?? '',
    employmentType: person.employmentType,
    externalOrganisation: extra.externalOrganisation ?? '',
    partTime: person.partTime ? 'yes' : 'no',
    workingDays: person.workingDays.map(String),
    startDate: datePartsOf(person.startDate),
    endDate: datePartsOf(person.endDate),
    flags: flagKeys.filter((k) => person.flags[k]),
    flagDates: mapFlags((key) => ({
      since: datePartsOf(person.flagDates?.[key]?.since ?? null),
      until: datePartsOf(person.flagDates?.[key]?.until ?? null),
    })),
    supervisorTrainedOn: datePartsOf(person.supervisorTrainedOn),
    version: String(extra.version),
  }
}

export const emptyPersonFormValues: PersonFormValues = Object.freeze({
  name: '',
  email: '',
  jobTitle: '',
  roles: [],
  lineManagerId: '',
  employmentType: 'permanent',
  externalOrganisation: '',
  partTime: 'no',
  workingDays: ['1', '2', '3', '4', '5'],
  startDate: { day: '', month: '', year: '' },
  endDate: { day: '', month: '', year: '' },
  flags: [],
  flagDates: noFlagDates(),
  supervisorTrainedOn: { day: '', month: '', year: '' },
  version: '',
}) as PersonFormValues

export { readVersion, text } from '../../forms/fields.ts'

/** Changing someone's line manager or supervisor. */
export const changeSupervisionForm = z.preprocess(
  withDates('effectiveOn'),
  z.object({
    supervisorId: text,
    effectiveOn: dateInputSchema('The date the change takes effect', { required: true }),
    note: text,
  }),
)
export const changeSupervisionHrefs = { effectiveOn: 'effectiveOn-day' }

/** Issue 14 (ADR 0042): who completes the records of a relationship, from a date (the service checks the choice and the person). */
export const recorderForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    recorder: text,
    personId: text,
    effectiveFrom: dateInputSchema('The date the change takes effect', { required: true }),
  }),
)
export const recorderHrefs = { effectiveFrom: 'effectiveFrom-day', recorder: 'recorder', personId: 'personId' }

/** The recorder form as typed, to show again. */
export function recorderValues(body: unknown) {
  return {
    recorder: field(body, 'recorder'),
    personId: field(body, 'personId'),
    effectiveFrom: datePartsFrom(body, 'effectiveFrom'),
  }
}

/** Handing someone's supervisees over to one incoming person. */
export const handoverForm = z.object({ toPersonId: text, note: text })

/** Ending someone's employment (with a handover when they supervise anyone). */
export const endEmploymentForm = z.preprocess(
  withDates('endDate'),
  z.object({
    endDate: dateInputSchema('End date', { required: true }),
    toPersonId: text,
    note: text,
    version,
  }),
)
export const endEmploymentHrefs = { endDate: 'endDate-day' }

/** The handover and end-employment forms as typed, to show again. */
export function handoverValues(body: unknown) {
  return {
    toPersonId: field(body, 'toPersonId'),
    note: field(body, 'note'),
    endDate: datePartsFrom(body, 'endDate'),
    version: field(body, 'version'),
  }
}

/** The change-supervision form as typed, to show again. */
export function changeSupervisionValues(body: unknown) {
  return {
    supervisorId: field(body, 'supervisorId'),
    effectiveOn: datePartsFrom(body, 'effectiveOn'),
    note: field(body, 'note'),
  }
}

/** Someone answering the link sent to their old email address. */
export const emailChangeForm = z.object({
  decision: text.pipe(
    z.enum(['confirm', 'refuse'], { error: 'Select yes if Haven should use your new email address' }),
  ),
})

/** Adding a role of the school's own (or, in a trust, every school's). */
export const roleForm = z.object({
  name: text,
  description: text,
  scope: text.transform((scope) => scope || 'school'),
})

/** Confirming a previewed import: the plan's digest as previewed. */
export const importConfirmForm = z.object({ digest: text })

/**
 * The preview's mapping step (issue 18): fields named `column:<heading key>`, `title:<job title
 * key>` and `manager:<name key>`, each with the value chosen. Anything else in the body is ignored;
 * the service keeps only answers to questions the plan asks.
 */
export function importChoicesOf(body: unknown): {
  columns: Map<string, string>
  jobTitles: Map<string, string>
  managers: Map<string, string>
} {
  const choices = {
    columns: new Map<string, string>(),
    jobTitles: new Map<string, string>(),
    managers: new Map<string, string>(),
  }
  if (typeof body !== 'object' || body === null) return choices
  const lists = { column: choices.columns, title: choices.jobTitles, manager: choices.managers } as const
  for (const [name, value] of Object.entries(body)) {
    const match = /^(column|title|manager):(.{1,500})$/s.exec(name)
    if (!match || typeof value !== 'string') continue
    lists[match[1] as keyof typeof lists].set(match[2]!, value.trim())
  }
  return choices
}

/** Bringing someone into scope by name, or taking them out, with a reason. */
export const scopeOverrideForm = z.object({
  required: text.pipe(
    z.enum(['yes', 'no'], { error: 'Select whether they must receive supervision' }).transform((v) => v === 'yes'),
  ),
  reason: text.pipe(
    z
      .string()
      .min(1, 'Enter the reason')
      .max(scopeReasonLimit, `Reason must be ${scopeReasonLimit} characters or fewer`),
  ),
})

/** Ending an override: its id. */
export const endScopeOverrideForm = z.object({ overrideId: text })

/** The scope override form as typed, to show again. */
export function scopeOverrideValues(body: unknown) {
  return { required: field(body, 'required'), reason: field(body, 'reason') }
}

// ---------------------------------------------------------------------------------------------
// People who are not employees (issue 14)
// ---------------------------------------------------------------------------------------------

const nameLimit = 200

/** Adding or changing someone who is not an employee; `adding` asks for their email address too. */
export function otherPersonForm(options: { adding: boolean; roleIds: readonly string[] }) {
  const base = z.object({
    kind: text.pipe(z.enum(nonStaffKinds, { error: 'Select who they are' })),
    name: text.pipe(
      z.string().min(1, 'Enter their full name').max(nameLimit, `Full name must be ${nameLimit} characters or fewer`),
    ),
    email: options.adding
      ? formText(
          z
            .string()
            .min(1, 'Enter their email address')
            .refine(isValidEmail, 'Enter an email address in the correct format, like name@example.com')
            .transform(normaliseEmail),
        )
      : text.transform(() => ''),
    jobTitle: text.pipe(z.string().max(nameLimit, `What they do must be ${nameLimit} characters or fewer`)),
    organisationName: text.pipe(
      z
        .string()
        .max(nameLimit, `Organisation must be ${nameLimit} characters or fewer`)
        .transform((v) => (v === '' ? null : v)),
    ),
    roles: checkboxes.pipe(
      z
        .array(z.string())
        .refine((ids) => ids.every((id) => options.roleIds.includes(id)), 'Select roles from the list'),
    ),
    capabilities: checkboxes.pipe(
      z
        .array(z.string())
        .refine((ids) => ids.every((id) => (allCapabilities as readonly string[]).includes(id)), 'Select from the list')
        .transform((ids) => allCapabilities.filter((c) => ids.includes(c))),
    ),
    accessEndsOn: dateInputSchema('date their access ends'),
    version,
  })
  return z.preprocess(withDates('accessEndsOn'), base)
}

/** The other-person form as typed, to show again. */
export interface OtherPersonFormValues {
  kind: string
  name: string
  email: string
  jobTitle: string
  organisationName: string
  roles: string[]
  capabilities: string[]
  accessEndsOn: DateParts
  version: string
}

export function otherPersonValues(body: unknown): OtherPersonFormValues {
  const list = (name: string) => checkboxes.parse((body as Record<string, unknown> | null)?.[name])
  return {
    kind: field(body, 'kind'),
    name: field(body, 'name'),
    email: field(body, 'email'),
    jobTitle: field(body, 'jobTitle'),
    organisationName: field(body, 'organisationName'),
    roles: list('roles'),
    capabilities: list('capabilities'),
    accessEndsOn: datePartsFrom(body, 'accessEndsOn'),
    version: field(body, 'version'),
  }
}

/** What is stored, as the form shows it. */
export function otherPersonValuesOf(
  person: Person,
  extra: { organisationName: string | null; version: number },
): OtherPersonFormValues {
  return {
    kind: person.kind ?? '',
    name: person.name,
    email: person.email,
    jobTitle: person.jobTitle,
    organisationName: extra.organisationName ?? '',
    roles: [...person.roles],
    capabilities: [...(person.capabilities ?? [])],
    accessEndsOn: datePartsOf(person.accessEndsOn ?? null),
    version: String(extra.version),
  }
}

export const emptyOtherPersonValues: OtherPersonFormValues = Object.freeze({
  kind: '',
  name: '',
  email: '',
  jobTitle: '',
  organisationName: '',
  roles: [],
  capabilities: [],
  accessEndsOn: emptyDateParts,
  version: '',
})

/** Where the error summary links for the groups of the form. */
export const otherPersonHrefs = { kind: '#kind', roles: '#roles', capabilities: '#capabilities' }

/** LH-08, PL-05: a course of supervisor training, with when it was completed and an evidence note. */
export const trainingForm = z.preprocess(
  withDates('completedOn'),
  z.object({
    course: text.pipe(
      z
        .string()
        .min(1, 'Enter the name of the course')
        .max(200, 'The name of the course must be 200 characters or fewer'),
    ),
    kind: text.pipe(z.enum(['initial', 'refresher'], { error: 'Select whether it was a first course or a refresher' })),
    completedOn: dateInputSchema('Date completed', { required: true }),
    evidence: text.pipe(
      z
        .string()
        .max(2000, 'Evidence must be 2000 characters or fewer')
        .transform((v) => (v === '' ? null : v)),
    ),
  }),
)
export const trainingHrefs = { completedOn: 'completedOn-day', kind: 'kind' }

export function trainingValues(body: unknown) {
  return {
    course: field(body, 'course'),
    kind: field(body, 'kind'),
    completedOn: datePartsFrom(body, 'completedOn'),
    evidence: field(body, 'evidence'),
  }
}
