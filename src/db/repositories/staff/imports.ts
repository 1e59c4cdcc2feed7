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
