/**
 * Rows of the person table as the domain's `Person`, and back; and the small queries every staff
 * service needs. snake_case stays here.
 */
import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Database, PersonTable } from '../../db/schema.ts'
import type { EmploymentType, Person, Weekday } from '../../domain/people/person.ts'

export type PersonRow = Selectable<PersonTable>
import type { DbOrTrx } from '../../db/repositories/connection.ts'

export type { DbOrTrx }

export { isUuid } from '../../domain/ids.ts'

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
    supervisorTrainedOn: row.supervisor_trained_on,
  }
}

/** The columns a person's editable fields are stored in (everything but ids, organisation and version). */
export function personColumns(person: Omit<Person, 'id' | 'schoolId' | 'lineManagerId'>) {
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
  }
}

/** Everyone whose school is `schoolId`, as domain people, in name order. */
export async function peopleOfSchool(db: DbOrTrx, schoolId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('person').selectAll().where('school_id', '=', schoolId).orderBy('name').orderBy('id')
  if (options.forUpdate) query = query.forUpdate()
  const rows = await query.execute()
  return rows
}

export interface SchoolSummary {
  id: string
  organisationId: string
  slug: string
  name: string
  region: string
}

export async function schoolsOf(db: Db, organisationId: string): Promise<SchoolSummary[]> {
  const rows = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'slug', 'name', 'bank_holiday_region'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    slug: r.slug,
    name: r.name,
    region: r.bank_holiday_region,
  }))
}

export async function schoolBySlug(db: Db, slug: string): Promise<SchoolSummary | null> {
  const r = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'slug', 'name', 'bank_holiday_region'])
    .where('slug', '=', slug)
    .executeTakeFirst()
  return r
    ? { id: r.id, organisationId: r.organisation_id, slug: r.slug, name: r.name, region: r.bank_holiday_region }
    : null
}

/** The school's own roles and the trust-wide ones, by name. */
export async function customRolesFor(db: DbOrTrx, organisationId: string, schoolId: string | null) {
  let query = db
    .selectFrom('custom_role')
    .select(['id', 'name', 'description', 'school_id'])
    .where('organisation_id', '=', organisationId)
  query =
    schoolId === null
      ? query.where('school_id', 'is', null)
      : query.where((eb) => eb.or([eb('school_id', 'is', null), eb('school_id', '=', schoolId)]))
  return query.orderBy('name').execute()
}

/** Whether someone else in the organisation (not `exceptId`) has this email address. */
export async function emailTaken(db: DbOrTrx, organisationId: string, email: string, exceptId: string | null) {
  let query = db
    .selectFrom('person')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('email', '=', email)
  if (exceptId) query = query.where('id', '<>', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}
