/**
 * The school's policy versions. A new version never changes an earlier one: compliance on
 * any date is judged by the version in force that day. Saving validates the whole document and
 * writes nothing when there is any problem.
 */

import type { Db } from '../../db/database.ts'
import {
  insertPolicyVersion,
  latestPolicyVersion,
  policyVersionsOf,
  type StoredPolicyVersion,
} from '../../db/repositories/policy.ts'
import {
  academicYearBounds,
  academicYearIdFor,
  formatLongDate,
  parseAcademicYearId,
} from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { type PolicyDocument, type PolicyProblem, validatePolicy } from '../../domain/policy/index.ts'
import { blankPolicy, isPackId, loadPack } from '../../packs/index.ts'
import { recordAudit } from '../audit.ts'

export type { StoredPolicyVersion }

export async function policyVersions(db: Db, schoolId: string): Promise<StoredPolicyVersion[]> {
  return policyVersionsOf(db, schoolId)
}

export type SavePolicyResult = { ok: true; version: number } | { ok: false; problems: PolicyProblem[] }

/**
 * Saves a document as the school's next version, in force from `effectiveFrom`. A version may not
 * take effect before the latest existing one (that would rewrite history).
 */
export async function savePolicyVersion(
  db: Db,
  input: {
    schoolId: string
    organisationId: string
    document: unknown
    effectiveFrom?: IsoDate
    packId?: string | null
    actorId: string | null
  },
): Promise<SavePolicyResult> {
  const checked = validatePolicy(input.document)
  if (!checked.ok) return checked
  return db.transaction().execute(async (trx) => {
    const latest = await latestPolicyVersion(trx, input.schoolId, { forUpdate: true })
    const effectiveFrom = input.effectiveFrom ?? checked.policy.effectiveFrom
    if (latest && effectiveFrom < latest.effectiveFrom) {
      return {
        ok: false,
        problems: [
          {
            path: 'effectiveFrom',
            message: `The date it takes effect must be on or after ${formatLongDate(latest.effectiveFrom)}, when version ${latest.version} took effect`,
          },
        ],
      } as const
    }
    const version = (latest?.version ?? 0) + 1
    const document: PolicyDocument = { ...checked.policy, version, effectiveFrom }
    await insertPolicyVersion(trx, input.schoolId, {
      version,
      effectiveFrom,
      document,
      packId: input.packId ?? null,
      createdBy: input.actorId,
    })
    await recordAudit(trx, {
      action: 'policy.version-saved',
      subjectType: 'policy',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { version, effectiveFrom, packId: input.packId ?? null },
    })
    return { ok: true, version } as const
  })
}

/** The first day of the academic year containing `today`: when an adopted policy takes effect. */
export function startOfAcademicYear(today: IsoDate): IsoDate {
  return academicYearBounds(parseAcademicYearId(academicYearIdFor(today))!.startYear).start
}

/** A pack's policy, or a blank one, made the school's own (its name on it, effective this year). */
export function adoptablePolicy(packId: string, schoolName: string, today: IsoDate): PolicyDocument {
  const effectiveFrom = startOfAcademicYear(today)
  if (packId === 'blank' || !isPackId(packId)) return blankPolicy({ school: schoolName, effectiveFrom })
  const pack = loadPack(packId)
  return { ...pack, effectiveFrom, metadata: { ...pack.metadata, school: schoolName } }
}
