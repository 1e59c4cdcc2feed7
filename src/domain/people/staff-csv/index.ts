/**
 * Staff CSV import and export (issue 4, the pure part).
 *
 * `planStaffImport` reads a staff list exported by a school MIS (SIMS, Arbor, Bromcom, Scholarpack)
 * or by Haven itself and works out, without touching the database, what importing it would do:
 * which people to create, which to update (with a field-by-field diff) and which are unchanged.
 * People are matched with the school's existing people by normalised email. Every problem is
 * reported at once, each with the spreadsheet row (the heading row is row 1) and column.
 *
 * How a file changes an existing person: a column that is in the file is the truth for everyone in
 * the file, including blank cells (a blank "End date" clears the end date; a blank "Roles" removes
 * every role); a column that is not in the file leaves that field as it is. New people get the
 * defaults for absent columns (no roles, permanent, full time, Monday to Friday, no dates, no flags).
 * Nobody is deleted: existing people missing from the file are listed in `notInFile`.
 *
 * Line managers are given by email and resolved in the plan, not by id, because new people have
 * no id yet (the caller assigns ids). A `LineManagerRef` is either `{ kind: 'existing', id }`, a
 * person already in Haven (including one this import updates), or `{ kind: 'new', email }`, a
 * person this import creates, keyed by their normalised email (the `email` of one of `creates`).
 * `resolveStaffImport(plan, idFor)` turns the plan into `Person` rows once ids are chosen.
 *
 * `staffToCsv` writes the same documented columns, so exporting and importing again changes nothing.
 *
 * The work is split into four stages, one module each (see README.md): `dialect.ts` (bytes to
 * records), `headers.ts` (records to a sheet of known columns), `rows.ts` (each row to checked
 * person fields) and `plan.ts` (rows to creates, updates and unchanged); `export.ts` writes CSV.
 * This module is the public API; the stages' internals are not part of it.
 *
 * Pure: no clock, no I/O; the buffer is passed in.
 */
export {
  decodeStaffCsv,
  guardCsvCell,
  readRecords,
  type StaffImportError,
  staffCsvLimits,
  stripFormulaGuard,
} from './dialect.ts'
export { staffCsvTemplate, staffToCsv } from './export.ts'
export {
  type ColumnChoice,
  type ColumnMappings,
  fullTimeHoursPerWeek,
  normaliseHeading,
  type StaffCsvColumn,
  type StaffCsvColumnKey,
  staffCsvColumnFor,
  staffCsvColumns,
  staffCsvExportColumns,
  type UnrecognisedHeading,
} from './headers.ts'
export {
  type JobTitleChoice,
  type JobTitleMappings,
  jobTitleKey,
  roleForJobTitle,
  suggestRoleForJobTitle,
} from './job-titles.ts'
export {
  type ManagerCandidate,
  type ManagerChoices,
  type ManagerNotFound,
  type ManagerQuestion,
  managerReferenceKey,
  matchManager,
  nameKeysOf,
} from './managers.ts'
export {
  formatRows,
  type LineManagerRef,
  noImportMappings,
  type PersonDraft,
  type PlanStaffImportInput,
  planStaffImport,
  resolveStaffImport,
  type StaffChangedField,
  type StaffImportMappings,
  type StaffImportPlan,
  type StaffImportScopeDecision,
  type StaffUpdate,
} from './plan.ts'
export {
  type CellResult,
  makeRoleMatcher,
  parseCsvDate,
  parseEmploymentType,
  parseRoles,
  parseWorkingDays,
  parseWorkingPattern,
  parseYesNo,
  type StaffScopeDecision,
  scopeReasonLimit,
} from './rows.ts'
