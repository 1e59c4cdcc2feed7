/**
 * Supervisees' preparation for a session, as stored: one row per supervisee per session of the
 * school, its content as JSON and a version for optimistic locking.
 */
import { isUuid } from '../../../domain/ids.ts'
import type { DbOrTrx } from '../connection.ts'

export interface StoredPreparation {
  personId: string
  personName: string
  content: unknown
  version: number
  updatedAt: Date | null
}

export async function preparationOf(
  db: DbOrTrx,
  schoolId: string,
  sessionId: string,
  personId: string,
): Promise<StoredPreparation | null> {
  if (!isUuid(sessionId) || !isUuid(personId)) return null
  const row = await db
    .selectFrom('record_preparation as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.person_id', 'p.name', 'r.content', 'r.version', 'r.updated_at'])
    .where('r.school_id', '=', schoolId)
    .where('r.session_id', '=', sessionId)
    .where('r.person_id', '=', personId)
    .executeTakeFirst()
  return row
    ? {
        personId: row.person_id,
        personName: row.name,
        content: row.content,
        version: row.version,
        updatedAt: row.updated_at,
      }
    : null
}

/** Every supervisee's preparation for one of the school's sessions, by name. */
export async function preparationsOf(db: DbOrTrx, schoolId: string, sessionId: string): Promise<StoredPreparation[]> {
  if (!isUuid(sessionId)) return []
  const rows = await db
    .selectFrom('record_preparation as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.person_id', 'p.name', 'r.content', 'r.version', 'r.updated_at'])
    .where('r.school_id', '=', schoolId)
    .where('r.session_id', '=', sessionId)
    .orderBy('p.name')
    .execute()
  return rows.map((row) => ({
    personId: row.person_id,
    personName: row.name,
    content: row.content,
    version: row.version,
    updatedAt: row.updated_at,
  }))
}

/** The version of the person's preparation, locked until the transaction ends; null when there is none yet. */
export async function lockPreparationVersion(
  trx: DbOrTrx,
  schoolId: string,
  sessionId: string,
  personId: string,
): Promise<number | null> {
  const row = await trx
    .selectFrom('record_preparation')
    .select(['version'])
    .where('school_id', '=', schoolId)
    .where('session_id', '=', sessionId)
    .where('person_id', '=', personId)
    .forUpdate()
    .executeTakeFirst()
  return row?.version ?? null
}

/** Stores the preparation at `version`: a new row when `existed` is false. */
export async function writePreparation(
  trx: DbOrTrx,
  schoolId: string,
  input: { sessionId: string; personId: string; content: unknown; version: number; existed: boolean; at: Date },
): Promise<void> {
  if (input.existed) {
    await trx
      .updateTable('record_preparation')
      .set({ content: JSON.stringify(input.content), version: input.version, updated_at: input.at })
      .where('school_id', '=', schoolId)
      .where('session_id', '=', input.sessionId)
      .where('person_id', '=', input.personId)
      .execute()
  } else {
    await trx
      .insertInto('record_preparation')
      .values({
        school_id: schoolId,
        session_id: input.sessionId,
        person_id: input.personId,
        content: JSON.stringify(input.content),
        version: input.version,
      })
      .execute()
  }
}
