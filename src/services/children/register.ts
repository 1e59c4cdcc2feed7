/** Issue 15: one pupil of the school's register, for its PDF and for choosing a child. */

import { type PupilRow, pupilInSchool } from '../../db/repositories/children.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'

export function pupilInRegister(db: DbOrTrx, schoolId: string, pupilId: string): Promise<PupilRow | null> {
  return pupilInSchool(db, schoolId, pupilId)
}
