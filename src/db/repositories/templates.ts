/**
 * The school's own record templates, as stored (table record_template): every version kept, a
 * save adds the next one. Scoped by the school.
 */
import type { DbOrTrx } from './connection.ts'
import { namesOf } from './staff/supervision.ts'

export interface StoredTemplateVersion {
  templateId: string
  version: number
  /** The template as saved, unchecked: the service validates it. */
  document: unknown
  createdAt: Date
  createdBy: string | null
}

/** The latest version of each of the school's own templates. */
export async function latestTemplateVersions(db: DbOrTrx, schoolId: string): Promise<StoredTemplateVersion[]> {
  const rows = await db
    .selectFrom('record_template')
    .select(['template_id', 'version', 'document', 'created_at', 'created_by'])
    .where('school_id', '=', schoolId)
    .where((eb) =>
      eb(
        'version',
        '=',
        eb
          .selectFrom('record_template as later')
          .select((e) => e.fn.max('later.version').as('v'))
          .whereRef('later.school_id', '=', 'record_template.school_id')
          .whereRef('later.template_id', '=', 'record_template.template_id'),
      ),
    )
    .execute()
  return rows.map(toVersion)
}

/** Every version of one of the school's templates, newest first. */
export async function templateVersions(
  db: DbOrTrx,
  schoolId: string,
  templateId: string,
): Promise<StoredTemplateVersion[]> {
  const rows = await db
    .selectFrom('record_template')
    .select(['template_id', 'version', 'document', 'created_at', 'created_by'])
    .where('school_id', '=', schoolId)
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .execute()
  return rows.map(toVersion)
}

/** One version of the school's template (the latest when no version is given), unchecked. */
export async function templateDocument(
  db: DbOrTrx,
  schoolId: string,
  templateId: string,
  version?: number,
): Promise<unknown> {
  let query = db
    .selectFrom('record_template')
    .select(['document'])
    .where('school_id', '=', schoolId)
    .where('template_id', '=', templateId)
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version)
  const row = await query.executeTakeFirst()
  return row?.document
}

/** The ids the school's own templates use. */
export async function templateIdsOfSchool(db: DbOrTrx, schoolId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('record_template')
    .select('template_id')
    .where('school_id', '=', schoolId)
    .distinct()
    .execute()
  return new Set(rows.map((r) => r.template_id))
}

/** The latest version number of the school's template, locked until the transaction ends; null when it has none. */
export async function lockLatestVersion(trx: DbOrTrx, schoolId: string, templateId: string): Promise<number | null> {
  const row = await trx
    .selectFrom('record_template')
    .select(['version'])
    .where('school_id', '=', schoolId)
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
  return row?.version ?? null
}

/** Adds a version of the school's template; false when that version exists already. */
export async function insertTemplateVersion(
  trx: DbOrTrx,
  schoolId: string,
  input: {
    templateId: string
    version: number
    document: unknown
    basedOn: { id: string; version: number } | null
    createdBy: string
  },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('record_template')
    .values({
      school_id: schoolId,
      template_id: input.templateId,
      version: input.version,
      document: JSON.stringify(input.document),
      based_on: JSON.stringify(input.basedOn),
      created_by: input.createdBy,
    })
    .onConflict((oc) => oc.columns(['school_id', 'template_id', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

/** The names of the organisation's people among `ids`, by id (who saved each version). */
export const namesOfPeople = namesOf

function toVersion(r: {
  template_id: string
  version: number
  document: unknown
  created_at: Date
  created_by: string | null
}): StoredTemplateVersion {
  return {
    templateId: r.template_id,
    version: r.version,
    document: r.document,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }
}
