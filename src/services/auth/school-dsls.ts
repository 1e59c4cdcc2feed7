/**
 * The DSLs of a school, who decide changes that would open supervision records (ADR 0011), and
 * telling them. Runs in the caller's transaction.
 */
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { enqueueEmail } from '../mail/outbox.ts'

type Db = Kysely<Database>

export interface SchoolDsl {
  id: string
  name: string
  email: string
}

/** The current DSLs of a school (of the organisation, for someone who belongs to no school). */
export async function schoolDsls(
  db: Db,
  scope: { organisationId: string; schoolId: string | null },
  today: IsoDate,
): Promise<SchoolDsl[]> {
  let query = db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('organisation_id', '=', scope.organisationId)
    .where(sql<boolean>`roles @> array['dsl']::text[]`)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', today)]))
  if (scope.schoolId !== null) query = query.where('school_id', '=', scope.schoolId)
  return query.orderBy('name').execute()
}

/** The name of whoever asked for a change, as the DSLs are told it. */
export async function requesterName(db: Db, actorId: string | null): Promise<string> {
  const actor = actorId
    ? await db.selectFrom('person').select('name').where('id', '=', actorId).executeTakeFirst()
    : undefined
  return actor?.name ?? 'A staff import from the command line'
}

/** Emails the school's DSLs, except those in `except` (whoever asked, the person concerned). */
export async function tellDsls(
  db: Db,
  dsls: readonly SchoolDsl[],
  except: readonly (string | null)[],
  message: { organisationId: string; subject: string; text: string },
): Promise<number> {
  let told = 0
  for (const dsl of dsls) {
    if (except.includes(dsl.id)) continue
    await enqueueEmail(db, { to: dsl.email, ...message })
    told++
  }
  return told
}
