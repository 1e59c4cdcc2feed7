/**
 * Compatibility only (issue 13): the staff area's SQL moved to src/db/repositories/staff/ and
 * src/db/repositories/schools.ts. Other areas still import these names from here; import them from
 * the repositories instead. This module holds no SQL and goes when nothing imports it.
 */
export type { DbOrTrx } from '../../db/repositories/connection.ts'
export { type SchoolSummary, schoolBySlug, schoolsOf } from '../../db/repositories/schools.ts'
export {
  customRolesFor,
  emailTaken,
  type PersonRow,
  peopleOfSchool,
  personColumns,
  personFromRow,
} from '../../db/repositories/staff/index.ts'
export { isUuid } from '../../domain/ids.ts'
