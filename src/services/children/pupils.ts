/**
 * Issue 15: importing the pupil register from the MIS, as the staff import does it: the file is
 * planned (domain/children/pupil-csv.ts), kept an hour for its preview, then imported all or
 * nothing in one transaction that plans again and refuses when the register changed since.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import {
  deletePupilUpload,
  findPupilUpload,
  insertPupils,
  insertPupilUpload,
  lockPupilImports,
  type PupilRow,
  pupilsOfSchool,
  updatePupil,
} from '../../db/repositories/children.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { type PupilImportError, type PupilImportPlan, planPupilImport } from '../../domain/children/pupil-csv.ts'
import { recordAudit } from '../audit.ts'

export const PUPIL_IMPORT_KEEP_MINUTES = 60

export interface PupilTarget {
  organisationId: string
  schoolId: string
}

export type PupilPlanned =
  | { ok: false; errors: PupilImportError[] }
  | { ok: true; plan: PupilImportPlan; digest: string }

function digestOf(plan: PupilImportPlan): string {
  return createHash('sha256')
    .update(JSON.stringify([plan.creates, plan.updates.map((u) => [u.id, u.after])]))
    .digest('hex')
}

export async function planPupils(
  db: DbOrTrx,
  target: PupilTarget,
  buffer: Uint8Array,
  lock = false,
): Promise<PupilPlanned> {
  const existing = await pupilsOfSchool(db, target.schoolId, { forUpdate: lock })
  const planned = planPupilImport(buffer, existing)
  if (!planned.ok) return planned
  return { ok: true, plan: planned.plan, digest: digestOf(planned.plan) }
}

export async function storePupilUpload(
  db: DbOrTrx,
  input: PupilTarget & { uploadedBy: string; fileName: string; buffer: Uint8Array },
  now: Date,
): Promise<string> {
  const id = randomUUID()
  await insertPupilUpload(
    db,
    {
      id,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      uploadedBy: input.uploadedBy,
      fileName: input.fileName.slice(0, 200),
      content: input.buffer,
      expiresAt: new Date(now.getTime() + PUPIL_IMPORT_KEEP_MINUTES * 60_000),
    },
    now,
  )
  return id
}

export function loadPupilUpload(
  db: DbOrTrx,
  id: string,
  who: { organisationId: string; uploadedBy: string },
  now: Date,
) {
  return findPupilUpload(db, id, who, now)
}

export type PupilImportResult =
  | { outcome: 'imported'; created: number; updated: number }
  | { outcome: 'errors'; errors: PupilImportError[] }
  | { outcome: 'changed'; plan: PupilImportPlan; digest: string }

/** All or nothing: plans again inside the transaction with the register locked. */
export async function applyPupilImport(
  db: Db,
  input: PupilTarget & {
    actorId: string | null
    /** The preview's upload, removed once imported (none for the API). */
    uploadId?: string
    buffer: Uint8Array
    /** The preview's digest: a plan that changed since is refused. Null (the API): no preview. */
    expectedDigest: string | null
    now: Date
    source?: 'web' | 'api'
  },
): Promise<PupilImportResult> {
  return db.transaction().execute(async (trx): Promise<PupilImportResult> => {
    await lockPupilImports(trx, input.schoolId)
    const planned = await planPupils(trx, input, input.buffer, true)
    if (!planned.ok) return { outcome: 'errors', errors: planned.errors }
    if (input.expectedDigest !== null && planned.digest !== input.expectedDigest)
      return { outcome: 'changed', plan: planned.plan, digest: planned.digest }
    const { plan } = planned
    await insertPupils(trx, input, plan.creates)
    for (const u of plan.updates) await updatePupil(trx, input.schoolId, u.id, u.after, input.now)
    if (input.uploadId) await deletePupilUpload(trx, input.schoolId, input.uploadId)
    await recordAudit(trx, {
      action: 'pupils.import',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { created: plan.creates.length, updated: plan.updates.length, source: input.source ?? 'web' },
    })
    return { outcome: 'imported', created: plan.creates.length, updated: plan.updates.length }
  })
}

export function pupilRegister(db: DbOrTrx, schoolId: string): Promise<PupilRow[]> {
  return pupilsOfSchool(db, schoolId)
}
