/** Staff CSV files kept between their preview and their import, and the import's lock. */
import { sql } from 'kysely'
import type { DbOrTrx } from '../connection.ts'

export interface UploadRow {
  id: string
  schoolId: string
  fileName: string
  content: Uint8Array
  sha256: string
  expiresAt: Date
}

/** Removes every upload that has expired at `now` (they hold staff details: kept no longer than needed). */
export async function deleteExpiredUploads(db: DbOrTrx, now: Date): Promise<void> {
  await db.deleteFrom('staff_import').where('expires_at', '<=', now).execute()
}

export async function insertUpload(
  db: DbOrTrx,
  upload: {
    id: string
    organisationId: string
    schoolId: string
    uploadedBy: string
    fileName: string
    content: Uint8Array
    sha256: string
    expiresAt: Date
  },
): Promise<void> {
  await db
    .insertInto('staff_import')
    .values({
      id: upload.id,
      organisation_id: upload.organisationId,
      school_id: upload.schoolId,
      uploaded_by: upload.uploadedBy,
      file_name: upload.fileName,
      content: Buffer.from(upload.content),
      sha256: upload.sha256,
      expires_at: upload.expiresAt,
    })
    .execute()
}

/** An upload of this person's, in their organisation, not expired at `now`; or null. */
export async function findUpload(
  db: DbOrTrx,
  id: string,
  who: { organisationId: string; uploadedBy: string },
  now: Date,
): Promise<UploadRow | null> {
  const row = await db
    .selectFrom('staff_import')
    .selectAll()
    .where('id', '=', id)
    .where('organisation_id', '=', who.organisationId)
    .where('uploaded_by', '=', who.uploadedBy)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        schoolId: row.school_id,
        fileName: row.file_name,
        content: row.content,
        sha256: row.sha256,
        expiresAt: row.expires_at,
      }
    : null
}

export async function deleteUpload(db: DbOrTrx, organisationId: string, id: string): Promise<void> {
  await db.deleteFrom('staff_import').where('id', '=', id).where('organisation_id', '=', organisationId).execute()
}

/** One import at a time per school: waits for any other until the transaction ends. */
export async function lockSchoolImports(trx: DbOrTrx, schoolId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`haven:staff-import:${schoolId}`}))`.execute(trx)
}

export type ImportMappingKind = 'column' | 'job-title' | 'line-manager'

export interface ImportMappingRow {
  kind: ImportMappingKind
  source: string
  target: string
}

/** The school's remembered import choices (issue 18). */
export async function importMappingsOf(db: DbOrTrx, schoolId: string): Promise<ImportMappingRow[]> {
  return db
    .selectFrom('staff_import_mapping')
    .select(['kind', 'source', 'target'])
    .where('school_id', '=', schoolId)
    .orderBy('kind')
    .orderBy('source')
    .execute()
}

/** Remembers choices for the school's next imports, replacing any earlier choice for the same source. */
export async function saveImportMappings(
  db: DbOrTrx,
  target: { organisationId: string; schoolId: string; updatedBy: string | null; now: Date },
  rows: readonly ImportMappingRow[],
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('staff_import_mapping')
    .values(
      rows.map((row) => ({
        organisation_id: target.organisationId,
        school_id: target.schoolId,
        kind: row.kind,
        source: row.source,
        target: row.target,
        updated_by: target.updatedBy,
        updated_at: target.now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['school_id', 'kind', 'source']).doUpdateSet((eb) => ({
        target: eb.ref('excluded.target'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}
