/**
 * A person's row as the domain's `Person`, and back. Other areas' repositories read people too, so
 * the mapping lives here once; snake_case stays in src/db/.
 */
import type { Selectable } from 'kysely'
import {
  type Capability,
  type EmploymentType,
  type FlagDates,
  FlagName,
  flagKeyOf,
  type Person,
  type PersonFlags,
  type PersonKind,
  type Weekday,
} from '../../../domain/people/person.ts'
import type { PersonTable } from '../../schema.ts'

export type PersonRow = Selectable<PersonTable>

export function personFromRow(row: PersonRow): Person {
  return {
    id: row.id,
    schoolId: row.school_id,
    name: row.name,
    email: row.email,
    jobTitle: row.job_title,
    roles: [...row.roles],
    lineManagerId: row.line_manager_id,
    employmentType: row.employment_type as EmploymentType,
    partTime: row.part_time,
    workingDays: row.working_days.map(Number) as Weekday[],
    startDate: row.start_date,
    endDate: row.end_date,
    flags: {
      earlyCareer: row.early_career,
      inProbation: row.in_probation,
      worksInEyfs: row.works_in_eyfs,
      pastoralResponsibilities: row.pastoral_responsibilities,
      trainedDsl: row.trained_dsl,
      additionalSupport: row.additional_support,
    },
    flagDates: flagDatesFromColumn(row.flag_dates),
    supervisorTrainedOn: row.supervisor_trained_on,
    kind: row.kind as PersonKind,
    capabilities: row.capabilities as Capability[],
    accessEndsOn: row.access_ends_on,
  }
}

/** The stored flag dates (keyed by flag name) as the domain's, keyed by flag. Unknown names are ignored. */
export function flagDatesFromColumn(column: PersonRow['flag_dates'] | null | undefined): FlagDates {
  const dates: FlagDates = {}
  for (const [name, period] of Object.entries(column ?? {})) {
    const key = flagKeyOf(name)
    if (key !== null && period) dates[key] = { since: period.since ?? null, until: period.until ?? null }
  }
  return dates
}

/** The domain's flag dates as stored: JSON keyed by flag name. */
export function flagDatesColumn(dates: FlagDates): string {
  const stored: Record<string, { since: string | null; until: string | null }> = {}
  for (const key of Object.keys(dates) as (keyof PersonFlags)[]) {
    const period = dates[key]
    if (period && (period.since !== null || period.until !== null)) stored[FlagName[key]] = period
  }
  return JSON.stringify(stored)
}

/** A person's editable fields: everything but ids, organisation and line manager. */
export type PersonFieldValues = Omit<Person, 'id' | 'schoolId' | 'lineManagerId'>

/** The columns a person's editable fields are stored in (everything but ids, organisation and version). */
export function personColumns(person: PersonFieldValues) {
  return {
    name: person.name,
    email: person.email,
    job_title: person.jobTitle,
    roles: [...person.roles],
    employment_type: person.employmentType,
    part_time: person.partTime,
    working_days: [...person.workingDays],
    start_date: person.startDate,
    end_date: person.endDate,
    early_career: person.flags.earlyCareer,
    in_probation: person.flags.inProbation,
    works_in_eyfs: person.flags.worksInEyfs,
    pastoral_responsibilities: person.flags.pastoralResponsibilities,
    trained_dsl: person.flags.trainedDsl,
    additional_support: person.flags.additionalSupport,
    supervisor_trained_on: person.supervisorTrainedOn,
    // Only when given: the staff import does not carry flag dates, so it leaves them as they are.
    ...(person.flagDates === undefined ? {} : { flag_dates: flagDatesColumn(person.flagDates) }),
  }
}

/** A person as stored: the domain person with what only the database keeps. */
export interface StoredPerson {
  person: Person
  organisationId: string
  externalOrganisation: string | null
  version: number
  updatedAt: Date
}

export function storedPersonFromRow(row: PersonRow): StoredPerson {
  return {
    person: personFromRow(row),
    organisationId: row.organisation_id,
    externalOrganisation: row.external_organisation,
    version: row.version,
    updatedAt: row.updated_at,
  }
}
