/**
 * The writes of `haven demo` (issue 13, point 1): a demonstration school, its people, overrides,
 * sessions and a cancellation. Each function takes the school it writes into; the demo builder
 * decides what to write.
 */
import type { IsoDate, Person } from '../../domain/people/person.ts'
import type { PersonOverride, PolicyDocument } from '../../domain/policy/index.ts'
import type { DbOrTrx } from './connection.ts'
import { personColumns, personFromRow } from './staff/rows.ts'

/** Whether any school has the short name. */
export async function schoolSlugTaken(db: DbOrTrx, slug: string): Promise<boolean> {
  return (await db.selectFrom('school').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

/** The id of the organisation Haven is set up for, or null before set-up. */
export async function firstOrganisationId(db: DbOrTrx): Promise<string | null> {
  const org = await db.selectFrom('organisation').select('id').executeTakeFirst()
  return org?.id ?? null
}

/** A new school of the organisation with its first policy version (from a pack) and its DSL, who may sign in. */
export async function insertDemoSchool(
  trx: DbOrTrx,
  organisationId: string,
  input: {
    slug: string
    name: string
    policy: PolicyDocument
    dsl: { name: string; email: string; passwordHash: string }
  },
): Promise<{ schoolId: string; dslId: string }> {
  const school = await trx
    .insertInto('school')
    .values({ organisation_id: organisationId, slug: input.slug, name: input.name })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('policy_version')
    .values({
      school_id: school.id,
      version: 1,
      effective_from: input.policy.effectiveFrom,
      document: JSON.stringify(input.policy),
      pack_id: input.slug,
    })
    .execute()
  const person = await trx
    .insertInto('person')
    .values({
      organisation_id: organisationId,
      school_id: school.id,
      name: input.dsl.name,
      email: input.dsl.email,
      roles: ['dsl', 'administrator'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await insertDemoAccount(trx, school.id, person.id, input.dsl.passwordHash)
  return { schoolId: school.id, dslId: person.id }
}

/** Lets one of the school's people sign in with a password. */
export async function insertDemoAccount(
  trx: DbOrTrx,
  schoolId: string,
  personId: string,
  passwordHash: string,
): Promise<void> {
  const person = await trx
    .selectFrom('person')
    .select('id')
    .where('id', '=', personId)
    .where('school_id', '=', schoolId)
    .executeTakeFirstOrThrow()
  await trx.insertInto('account').values({ person_id: person.id, password_hash: passwordHash }).execute()
}

/** Updates the DSL's details made at set-up. */
export async function updateDemoDsl(
  trx: DbOrTrx,
  schoolId: string,
  personId: string,
  input: { jobTitle: string; roles: string[]; startDate: IsoDate; supervisorTrainedOn: IsoDate },
): Promise<void> {
  await trx
    .updateTable('person')
    .set({
      job_title: input.jobTitle,
      roles: input.roles,
      trained_dsl: true,
      pastoral_responsibilities: true,
      start_date: input.startDate,
      supervisor_trained_on: input.supervisorTrainedOn,
    })
    .where('id', '=', personId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** Adds a person to the school; their id. */
export async function insertDemoPerson(
  trx: DbOrTrx,
  organisationId: string,
  schoolId: string,
  person: Omit<Person, 'id' | 'schoolId' | 'lineManagerId'>,
): Promise<string> {
  const row = await trx
    .insertInto('person')
    .values({ organisation_id: organisationId, school_id: schoolId, ...personColumns(person) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Sets the line manager of one of the school's people. */
export async function setDemoLineManager(
  trx: DbOrTrx,
  schoolId: string,
  personId: string,
  managerId: string,
): Promise<void> {
  await trx
    .updateTable('person')
    .set({ line_manager_id: managerId })
    .where('id', '=', personId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** Everyone of the school, as domain people (in the order the database returns them). */
export async function demoPeople(trx: DbOrTrx, schoolId: string): Promise<Person[]> {
  const rows = await trx.selectFrom('person').selectAll().where('school_id', '=', schoolId).execute()
  return rows.map(personFromRow)
}

export async function insertDemoOverride(trx: DbOrTrx, schoolId: string, override: PersonOverride): Promise<void> {
  await trx
    .insertInto('person_override')
    .values({
      school_id: schoolId,
      person_id: override.personId,
      override: JSON.stringify(override),
      source: 'contract',
    })
    .execute()
}

/** A session of the school with its supervisors and supervisees (present, when held); its id. */
export async function insertDemoSession(
  trx: DbOrTrx,
  schoolId: string,
  input: {
    typeId: string
    date: IsoDate
    startTime: string
    durationMinutes: number
    venue: string
    status: 'held' | 'planned' | 'cancelled' | 'did-not-attend'
    notes: string | null
    createdBy: string
    supervisorIds: readonly string[]
    superviseeIds: readonly string[]
  },
): Promise<string> {
  const row = await trx
    .insertInto('supervision_session')
    .values({
      school_id: schoolId,
      type_id: input.typeId,
      date: input.date,
      start_time: input.startTime,
      duration_minutes: input.durationMinutes,
      venue: input.venue,
      status: input.status,
      notes: input.notes,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const attended = input.status === 'held' ? true : null
  await trx
    .insertInto('session_participant')
    .values([
      ...input.supervisorIds.map((id) => ({
        session_id: row.id,
        person_id: id,
        role: 'supervisor' as const,
        attended,
      })),
      ...input.superviseeIds.map((id) => ({
        session_id: row.id,
        person_id: id,
        role: 'supervisee' as const,
        attended,
      })),
    ])
    .execute()
  return row.id
}

/** Records that one of the school's sessions was cancelled; the cancellation's id. */
export async function insertDemoCancellation(
  trx: DbOrTrx,
  schoolId: string,
  input: { sessionId: string; reasonId: string; reasonNote: string; cancelledBy: string },
): Promise<string> {
  const row = await trx
    .insertInto('session_cancellation')
    .values({
      session_id: input.sessionId,
      school_id: schoolId,
      kind: 'cancelled',
      reason_id: input.reasonId,
      reason_note: input.reasonNote,
      cancelled_by: input.cancelledBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** An open request for a session from one of the school's people (issue 18: the demo has one waiting). */
export async function insertDemoRequest(
  trx: DbOrTrx,
  organisationId: string,
  schoolId: string,
  input: { requesterId: string; supervisorId: string | null; topic: string; note: string; preferredDates: IsoDate[] },
): Promise<string> {
  const row = await trx
    .insertInto('session_request')
    .values({
      organisation_id: organisationId,
      school_id: schoolId,
      requester_id: input.requesterId,
      requested_by: input.requesterId,
      topic: input.topic,
      note: input.note,
      preferred_dates: input.preferredDates,
      supervisor_id: input.supervisorId,
      status: 'open',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A contract for the year issued to a supervisee and not yet signed by anyone (issue 18: the demo has one waiting). */
export async function insertDemoIssuedContract(
  trx: DbOrTrx,
  organisationId: string,
  schoolId: string,
  input: {
    superviseeId: string
    supervisorId: string
    issuedBy: string
    templateId: string
    academicYear: string
    policyVersion: number
    agreed: unknown
    rendered: unknown
    contentHash: string
    issuedAt: Date
  },
): Promise<string> {
  const row = await trx
    .insertInto('contract')
    .values({
      organisation_id: organisationId,
      school_id: schoolId,
      supervisee_id: input.superviseeId,
      supervisor_id: input.supervisorId,
      template_id: input.templateId,
      template_version: 1,
      policy_version: input.policyVersion,
      academic_year: input.academicYear,
      status: 'issued',
      agreed: JSON.stringify(input.agreed),
      rendered: JSON.stringify(input.rendered),
      content_hash: input.contentHash,
      issued_at: input.issuedAt,
      issued_by: input.issuedBy,
      created_by: input.issuedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Replaces the person's overrides with these (the demo agrees a frequency once it knows whom to give it). */
export async function replaceDemoOverrides(
  trx: DbOrTrx,
  schoolId: string,
  personId: string,
  overrides: readonly PersonOverride[],
): Promise<void> {
  await trx.deleteFrom('person_override').where('school_id', '=', schoolId).where('person_id', '=', personId).execute()
  for (const o of overrides) await insertDemoOverride(trx, schoolId, o)
}
