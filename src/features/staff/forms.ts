/**
 * The staff forms: reading a submitted body into the typed input of `makePersonFieldsSchema`
 * (checkboxes, radios and GOV.UK date inputs), and back into values to show again after a mistake.
 * One error shape for every form (forms/errors.ts), in the order the fields appear.
 */
import { z } from 'zod'
import { makePersonFieldsSchema, type PersonFields, type PersonFieldsInput } from '../../domain/people/person-rules.ts'
import { type DateParts, datePartsOf, readDateInput } from '../../forms/date-input.ts'
import { type FormErrors, field, fieldList, formErrors } from '../../forms/errors.ts'

export { datePartsOf, readDateInput } from '../../forms/date-input.ts'

export const flagKeys = [
  'earlyCareer',
  'inProbation',
  'worksInEyfs',
  'pastoralResponsibilities',
  'trainedDsl',
  'additionalSupport',
] as const

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
  'supervisorTrainedOn',
]

const hrefs: Record<string, string> = {
  startDate: 'startDate-day',
  endDate: 'endDate-day',
  supervisorTrainedOn: 'supervisorTrainedOn-day',
}

const externalOrganisationLimit = 200

export type PersonFormResult =
  | { ok: true; fields: PersonFields; externalOrganisation: string | null; values: PersonFormValues }
  | { ok: false; errors: FormErrors; values: PersonFormValues }

/**
 * Reads and checks the person form. `customRoleIds` are the school's own roles; `today` refuses a
 * supervisor training date in the future.
 */
export function readPersonForm(
  body: unknown,
  options: { customRoleIds: readonly string[]; today: string },
): PersonFormResult {
  const startDate = readDateInput(body, 'startDate', 'Start date')
  const endDate = readDateInput(body, 'endDate', 'End date')
  const trainedOn = readDateInput(body, 'supervisorTrainedOn', 'Supervisor training date')
  const values: PersonFormValues = {
    name: field(body, 'name'),
    email: field(body, 'email'),
    jobTitle: field(body, 'jobTitle'),
    roles: fieldList(body, 'roles'),
    lineManagerId: field(body, 'lineManagerId'),
    employmentType: field(body, 'employmentType'),
    externalOrganisation: field(body, 'externalOrganisation'),
    partTime: field(body, 'partTime'),
    workingDays: fieldList(body, 'workingDays'),
    startDate: startDate.parts,
    endDate: endDate.parts,
    flags: fieldList(body, 'flags'),
    supervisorTrainedOn: trainedOn.parts,
    version: field(body, 'version'),
  }
  const pairs: [string, string][] = []
  if (values.employmentType === '') pairs.push(['employmentType', 'Select the type of employment'])
  if (values.partTime !== 'yes' && values.partTime !== 'no')
    pairs.push(['partTime', 'Select whether they work full time or part time'])
  const external = values.employmentType === 'external'
  if (external && values.externalOrganisation === '')
    pairs.push(['externalOrganisation', 'Enter the organisation the external supervisor works for'])
  if (values.externalOrganisation.length > externalOrganisationLimit)
    pairs.push(['externalOrganisation', `Organisation must be ${externalOrganisationLimit} characters or fewer`])
  for (const [name, date] of [
    ['startDate', startDate],
    ['endDate', endDate],
    ['supervisorTrainedOn', trainedOn],
  ] as const)
    if (date.error) pairs.push([name, date.error])

  const input: PersonFieldsInput = {
    name: values.name,
    email: values.email,
    jobTitle: values.jobTitle,
    roles: values.roles,
    lineManagerId: values.lineManagerId === '' ? null : values.lineManagerId,
    employmentType: (values.employmentType || undefined) as PersonFieldsInput['employmentType'],
    partTime: values.partTime === 'yes',
    workingDays: values.workingDays.map((d) => (/^[1-7]$/.test(d) ? Number(d) : d)) as never,
    startDate: startDate.value,
    endDate: endDate.value,
    flags: Object.fromEntries(flagKeys.map((k) => [k, values.flags.includes(k)])) as Record<
      (typeof flagKeys)[number],
      boolean
    >,
    supervisorTrainedOn: trainedOn.value,
  }
  const parsed = makePersonFieldsSchema({ customRoleIds: options.customRoleIds, today: options.today }).safeParse(input)
  if (!parsed.success)
    for (const issue of parsed.error.issues) pairs.push([String(issue.path[0] ?? 'name'), issue.message])
  if (pairs.length > 0 || !parsed.success) {
    pairs.sort((a, b) => fieldOrder.indexOf(a[0]) - fieldOrder.indexOf(b[0]))
    return { ok: false, errors: formErrors(pairs, hrefs), values }
  }
  return {
    ok: true,
    fields: parsed.data,
    externalOrganisation: external ? values.externalOrganisation.replace(/\s+/g, ' ') : null,
    values,
  }
}

/** The form's values for someone already in Haven. */
export function personFormValues(
  person: import('../../domain/people/person.ts').Person,
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
  supervisorTrainedOn: { day: '', month: '', year: '' },
  version: '',
}) as PersonFormValues

/** A version number from a hidden field, or null when it is not one. */
export function readVersion(body: unknown): number | null {
  const raw = field(body, 'version')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}

export const schoolForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the name of the school')
    .max(200, 'School name must be 200 characters or fewer'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter a short name for the school')
    .max(40, 'Short name must be 40 characters or fewer')
    .regex(
      /^[a-z0-9]+(-[a-z0-9]+)*$/,
      'Short name must only include letters a to z, numbers and hyphens, like meanwood-primary',
    ),
  region: z.enum(['england-and-wales', 'scotland', 'northern-ireland'], { error: 'Select where the school is' }),
})
