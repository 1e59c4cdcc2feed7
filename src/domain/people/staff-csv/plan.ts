/**
 * Stage 4 of a staff import: the plan. Rows are matched with the school's people by normalised
 * email; duplicate emails, line managers (in the file, in Haven, or nowhere) and line-management
 * loops are checked across the whole file; then each row is a create, an update (with a
 * field-by-field diff) or unchanged. `resolveStaffImport` turns a plan into `Person` rows once the
 * caller has chosen ids for new people.
 */
import type { Person, PersonFlags } from '../person.ts'
import {
  findLineManagementLoops,
  isValidEmail,
  type LineManagedPerson,
  makePersonFieldsSchema,
  normaliseEmail,
  normaliseText,
} from '../person-rules.ts'
import type { RoleDefinition } from '../roles.ts'
import type { StaffImportError } from './dialect.ts'
import { type ColumnMappings, ErrorList, flagColumns, readStaffSheet, type UnrecognisedHeading } from './headers.ts'
import {
  type JobTitleChoice,
  type JobTitleMappings,
  jobTitleKey,
  roleForJobTitle,
  suggestRoleForJobTitle,
} from './job-titles.ts'
import {
  type ManagerChoices,
  type ManagerNotFound,
  type ManagerPool,
  type ManagerQuestion,
  matchManager,
  nameKeysOf,
} from './managers.ts'
import { makeRoleMatcher, type RowContext, readStaffRow, type StaffRow, type StaffScopeDecision } from './rows.ts'

// ---------------------------------------------------------------------------------------------
// Planning an import
// ---------------------------------------------------------------------------------------------

/** A line manager named in an import: someone already in Haven, or someone the import creates. */
export type LineManagerRef = { kind: 'existing'; id: string } | { kind: 'new'; email: string }

/**
 * A person as the import would leave them, before ids are known: a `Person` without `id`, with
 * `lineManager` (a `LineManagerRef`) in place of `lineManagerId`.
 */
export interface PersonDraft extends Omit<Person, 'id' | 'lineManagerId'> {
  lineManager: LineManagerRef | null
}

/** The fields an update can change; flags are listed one by one. */
export type StaffChangedField =
  | 'name'
  | 'jobTitle'
  | 'roles'
  | 'lineManagerId'
  | 'employmentType'
  | 'partTime'
  | 'workingDays'
  | 'startDate'
  | 'endDate'
  | `flags.${keyof PersonFlags}`
  | 'supervisorTrainedOn'

export interface StaffUpdate {
  /** The existing person's id. */
  id: string
  before: Person
  /** The person after the import; unchanged fields keep `before`'s exact values. */
  after: PersonDraft
  /** In a fixed order: name, job title, roles, line manager, employment type, part time, working days, dates, flags, training date. */
  changedFields: StaffChangedField[]
}

export type StaffImportPlan =
  | {
      ok: false
      errors: StaffImportError[]
      /**
       * When the file lacks a column Haven needs (Email, say) and has headings Haven does not
       * recognise: those headings, so the school can say which column is which (issue 18).
       */
      unmappedHeadings?: UnrecognisedHeading[]
    }
  | {
      ok: true
      /** New people, in file order. Their `email` (normalised) is the key `LineManagerRef` uses. */
      creates: PersonDraft[]
      /** Existing people the file changes, in file order. */
      updates: StaffUpdate[]
      /** Existing people the file leaves as they are, in file order. */
      unchanged: Person[]
      /** Existing people not in the file, in the order given; the import leaves them alone. */
      notInFile: Person[]
      /** Headings in the file that Haven does not read, as written. */
      ignoredColumns: string[]
      /** Decisions by name from the In scope column, in file order, by normalised email. */
      scopeDecisions: StaffImportScopeDecision[]
      /** Headings Haven does not recognise by itself, with the school's remembered choice for each (issue 18). */
      unrecognisedColumns: UnrecognisedHeading[]
      /** When the file has no Roles column: each job title and the role it gives, in file order (issue 18). */
      jobTitles: JobTitleChoice[]
      /** Line managers given by a name that fits more than one person, with the school's answer if any: no line manager until chosen. */
      managerQuestions: ManagerQuestion[]
      /** Line managers given by a name or staff code that fits nobody: those rows get no line manager. */
      managersNotFound: ManagerNotFound[]
    }

/** The school's remembered choices for its imports (issue 18). */
export interface StaffImportMappings {
  columns: ColumnMappings
  jobTitles: JobTitleMappings
  managers: ManagerChoices
}

export const noImportMappings: StaffImportMappings = Object.freeze({
  columns: new Map(),
  jobTitles: new Map(),
  managers: new Map(),
})

/** One person's In scope decision: whom (by email, as new people have no id yet), and the decision. */
export interface StaffImportScopeDecision extends StaffScopeDecision {
  email: string
  name: string
}

export interface PlanStaffImportInput {
  /** The uploaded file, as bytes. */
  buffer: Uint8Array
  /** The school's people now in Haven. */
  existing: readonly Person[]
  /** The school's own roles, matched by id or name like the catalogue. */
  customRoles?: readonly Pick<RoleDefinition, 'id' | 'name'>[]
  schoolId: string
  /** The school's remembered choices for headings, job titles and line managers given by name. */
  mappings?: StaffImportMappings
}

/** "row 4", or "rows 4, 6 and 9": spreadsheet rows as the import's messages name them. */
export function formatRows(rows: readonly number[]): string {
  if (rows.length === 1) return `row ${rows[0]}`
  return `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`
}

/** Every row whose email is repeated gets an error naming the other rows. */
function checkDuplicateEmails(rows: readonly StaffRow[], errors: ErrorList): void {
  const rowsByEmail = new Map<string, number[]>()
  for (const { email, row } of rows) {
    if (email === null) continue
    rowsByEmail.set(email, [...(rowsByEmail.get(email) ?? []), row])
  }
  for (const [email, repeated] of rowsByEmail) {
    if (repeated.length < 2) continue
    for (const row of repeated)
      errors.add(
        row,
        'email',
        `The email address ${email} is also on ${formatRows(repeated.filter((r) => r !== row))}. Each person must have a different email address`,
      )
  }
}

interface LineManagerResolution {
  refs: Map<StaffRow, LineManagerRef | null>
  questions: ManagerQuestion[]
  notFound: ManagerNotFound[]
}

/**
 * Each row's line manager after the import: from the file's column when it has one, otherwise the
 * existing person's. An email is someone in the file (first row with that email) or already in
 * Haven, or an error. A name or staff code (issue 18) is matched by `matchManager`: several people
 * are a question for the preview and nobody is a note, both leaving the row without a line manager.
 */
function resolveLineManagers(
  rows: readonly StaffRow[],
  existing: readonly Person[],
  existingByEmail: ReadonlyMap<string, Person>,
  choices: ManagerChoices,
  errors: ErrorList,
): LineManagerResolution {
  const fileRowByEmail = new Map<string, StaffRow>()
  for (const row of rows) if (row.email !== null && !fileRowByEmail.has(row.email)) fileRowByEmail.set(row.email, row)
  const refs = new Map<StaffRow, LineManagerRef | null>()
  const refFor = (email: string): LineManagerRef | null => {
    const inFile = fileRowByEmail.get(email)
    const inHaven = existingByEmail.get(email)
    if (inFile?.existing) return { kind: 'existing', id: inFile.existing.id }
    if (inFile) return { kind: 'new', email }
    if (inHaven) return { kind: 'existing', id: inHaven.id }
    return null
  }
  let pool: ManagerPool[] | null = null
  const poolOf = (): ManagerPool[] => {
    pool ??= [
      ...[...fileRowByEmail.values()].map((row) => ({
        email: row.email!,
        name: row.fields?.name ?? '',
        jobTitle: row.fields?.jobTitle ?? '',
        inFile: true,
        nameKeys: row.nameKeys,
        staffCode: row.staffCode,
      })),
      ...existing
        .filter((person) => !fileRowByEmail.has(normaliseEmail(person.email)))
        .map((person) => ({
          email: normaliseEmail(person.email),
          name: person.name,
          jobTitle: person.jobTitle,
          inFile: false,
          nameKeys: nameKeysOf([person.name]),
          staffCode: null,
        })),
    ]
    return pool
  }
  const questions = new Map<string, ManagerQuestion>()
  const notFound = new Map<string, ManagerNotFound>()
  for (const row of rows) {
    const managerEmail = row.lineManagerEmail
    let ref: LineManagerRef | null = null
    if (row.lineManagerName !== null) {
      const match = matchManager(row.lineManagerName, poolOf(), row.email, choices)
      if (match.kind === 'found') ref = refFor(match.email)
      else if (match.kind === 'ambiguous') {
        if (typeof match.chosen === 'string') ref = refFor(match.chosen)
        const question = questions.get(match.key)
        if (question) question.rows.push(row.row)
        else
          questions.set(match.key, {
            reference: row.lineManagerName,
            key: match.key,
            rows: [row.row],
            candidates: match.candidates,
            chosen: match.chosen,
          })
      } else if (match.kind === 'not-found') {
        const missing = notFound.get(match.key)
        if (missing) missing.rows.push(row.row)
        else notFound.set(match.key, { reference: row.lineManagerName, rows: [row.row] })
      }
    } else if (managerEmail === undefined) {
      const id = row.existing?.lineManagerId ?? null
      ref = id === null ? null : { kind: 'existing', id }
    } else if (managerEmail !== null && isValidEmail(managerEmail) && managerEmail !== row.email) {
      // (Blank, badly formed and own addresses are reported by the schema.)
      ref = refFor(managerEmail)
      if (ref === null)
        errors.add(
          row.row,
          'lineManagerEmail',
          `No one with the email address ${managerEmail} is in this file or in Haven. Add the line manager to the file, or check the email address`,
        )
    }
    refs.set(row, ref)
  }
  return { refs, questions: [...questions.values()], notFound: [...notFound.values()] }
}

/** Each distinct job title in the file with the role it gives, when the file has no Roles column. */
function jobTitleChoices(
  rows: readonly StaffRow[],
  mappings: JobTitleMappings,
  matchRole: (text: string) => string | undefined,
): JobTitleChoice[] {
  const byKey = new Map<string, JobTitleChoice>()
  for (const row of rows) {
    const title = row.fields?.jobTitle ?? ''
    const key = jobTitleKey(title)
    if (key === '') continue
    const known = byKey.get(key)
    if (known) known.count++
    else
      byKey.set(key, {
        title,
        key,
        count: 1,
        suggested: suggestRoleForJobTitle(title, matchRole),
        chosen: mappings.has(key) ? mappings.get(key)! : undefined,
      })
  }
  return [...byKey.values()]
}

/** Line-management loops in the school as it would be after the import, reported on each row in them. */
function checkLineManagementLoops(
  rows: readonly StaffRow[],
  lineManagers: ReadonlyMap<StaffRow, LineManagerRef | null>,
  existing: readonly Person[],
  errors: ErrorList,
): void {
  // New people have no id yet: a key no real id can equal stands in for them.
  const newKey = (email: string) => `\u0000new:${email}`
  const rowById = new Map<string, StaffRow>()
  const graph: LineManagedPerson[] = []
  for (const row of rows) {
    const id = row.existing?.id ?? newKey(row.email ?? `row ${row.row}`)
    if (rowById.has(id)) continue
    rowById.set(id, row)
    const ref = lineManagers.get(row) ?? null
    graph.push({ id, lineManagerId: ref === null ? null : ref.kind === 'existing' ? ref.id : newKey(ref.email) })
  }
  const existingById = new Map(existing.map((p) => [p.id, p]))
  for (const person of existing)
    if (!rowById.has(person.id)) graph.push({ id: person.id, lineManagerId: person.lineManagerId })
  const emailOf = (id: string) => rowById.get(id)?.email ?? normaliseEmail(existingById.get(id)?.email ?? id)
  for (const loop of findLineManagementLoops(graph)) {
    const rowsInLoop = loop.flatMap((id) => rowById.get(id) ?? [])
    // A loop of one is someone managing themself, which the schema reports.
    if (rowsInLoop.length === 0 || loop.length < 2) continue
    const [first, ...rest] = [...loop, loop[0]!].map(emailOf)
    const description = rest.reduce(
      (text, email, i) => `${text}${i === 0 ? ' reports to ' : ', who reports to '}${email}`,
      first!,
    )
    for (const row of rowsInLoop)
      errors.add(
        row.row,
        'lineManagerEmail',
        `Line managers form a loop: ${description}. Change the line manager of one of these people`,
      )
  }
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const setA = new Set(a)
  const setB = new Set(b)
  return setA.size === setB.size && [...setA].every((x) => setB.has(x))
}

/**
 * Reads a staff CSV and plans the import against the school's existing people. Never throws for
 * bad input: a file that cannot be read, or any row with a problem, gives `{ ok: false, errors }`
 * with every problem found (sorted by row, then column). Output order is deterministic: file order
 * for creates, updates and unchanged, `existing` order for notInFile.
 */
export function planStaffImport(input: PlanStaffImportInput): StaffImportPlan {
  const mappings = input.mappings ?? noImportMappings
  const read = readStaffSheet(input.buffer, mappings.columns)
  if (!read.ok)
    return read.unrecognised?.length
      ? { ok: false, errors: read.errors, unmappedHeadings: read.unrecognised }
      : { ok: false, errors: read.errors }
  const { sheet } = read

  const existingByEmail = new Map<string, Person>()
  for (const person of input.existing) {
    const key = normaliseEmail(person.email)
    if (!existingByEmail.has(key)) existingByEmail.set(key, person)
  }
  const errors = new ErrorList(sheet.headings)
  const matchRole = makeRoleMatcher(input.customRoles ?? [])
  const rolesFromJobTitles = !sheet.headings.indexes.has('roles')
  const context: RowContext = {
    headings: sheet.headings,
    headingCount: sheet.headingCount,
    existingByEmail,
    schema: makePersonFieldsSchema({ customRoleIds: (input.customRoles ?? []).map((r) => r.id) }),
    matchRole,
    ...(rolesFromJobTitles
      ? {
          roleForJobTitle: (title: string, options: { suggest: boolean }) =>
            roleForJobTitle(title, mappings.jobTitles, matchRole, options.suggest),
        }
      : {}),
    errors,
  }
  const rows = sheet.rows.map(({ row, record }) => readStaffRow(row, record, context))
  checkDuplicateEmails(rows, errors)
  const resolution = resolveLineManagers(rows, input.existing, existingByEmail, mappings.managers, errors)
  const lineManagers = resolution.refs
  checkLineManagementLoops(rows, lineManagers, input.existing, errors)
  if (errors.size > 0) return { ok: false, errors: errors.sorted() }

  const creates: PersonDraft[] = []
  const updates: StaffUpdate[] = []
  const unchanged: Person[] = []
  for (const row of rows) {
    const { lineManagerEmail: _email, lineManagerId: _id, ...fields } = row.fields!
    const draft: PersonDraft = {
      ...fields,
      schoolId: input.schoolId,
      lineManager: lineManagers.get(row) ?? null,
    }
    const before = row.existing
    if (!before) {
      creates.push(draft)
      continue
    }
    const { after, changedFields } = diffPerson(before, draft)
    if (changedFields.length === 0) unchanged.push(before)
    else updates.push({ id: before.id, before, after, changedFields })
  }
  const matched = new Set(rows.map((row) => row.existing?.id))
  return {
    ok: true,
    creates,
    updates,
    unchanged,
    notInFile: input.existing.filter((person) => !matched.has(person.id)),
    ignoredColumns: sheet.headings.ignored,
    scopeDecisions: rows.flatMap((row) =>
      row.scope && row.email ? [{ email: row.email, name: row.fields!.name, ...row.scope }] : [],
    ),
    unrecognisedColumns: sheet.headings.unrecognised,
    jobTitles: rolesFromJobTitles ? jobTitleChoices(rows, mappings.jobTitles, matchRole) : [],
    managerQuestions: resolution.questions,
    managersNotFound: resolution.notFound,
  }
}

/** Compares an existing person with the imported draft; equal fields keep `before`'s exact value. */
function diffPerson(before: Person, draft: PersonDraft): { after: PersonDraft; changedFields: StaffChangedField[] } {
  const changed: StaffChangedField[] = []
  const after: PersonDraft = { ...draft, schoolId: before.schoolId, email: before.email, flags: { ...draft.flags } }
  if (normaliseText(before.name) === draft.name) after.name = before.name
  else changed.push('name')
  if (normaliseText(before.jobTitle) === draft.jobTitle) after.jobTitle = before.jobTitle
  else changed.push('jobTitle')
  if (sameSet(before.roles, draft.roles)) after.roles = before.roles
  else changed.push('roles')
  // A line manager new in this file is always a change (they have no id yet, so no id can match).
  const sameManager =
    draft.lineManager === null
      ? before.lineManagerId === null
      : draft.lineManager.kind === 'existing' && draft.lineManager.id === before.lineManagerId
  if (!sameManager) changed.push('lineManagerId')
  if (before.employmentType !== draft.employmentType) changed.push('employmentType')
  if (before.partTime !== draft.partTime) changed.push('partTime')
  if (sameSet(before.workingDays, draft.workingDays)) after.workingDays = before.workingDays
  else changed.push('workingDays')
  if (before.startDate !== draft.startDate) changed.push('startDate')
  if (before.endDate !== draft.endDate) changed.push('endDate')
  for (const key of flagColumns) if (before.flags[key] !== draft.flags[key]) changed.push(`flags.${key}`)
  if (before.supervisorTrainedOn !== draft.supervisorTrainedOn) changed.push('supervisorTrainedOn')
  return { after, changedFields: changed }
}

/**
 * Turns a successful plan into `Person` rows once the caller has chosen ids for new people.
 * `newId` is called once per create, in order; line managers given as `{ kind: 'new', email }`
 * get the id chosen for that person. When line_manager_id is a foreign key, insert the creates
 * with `lineManagerId: null` first and then set line managers, or defer the constraint.
 */
export function resolveStaffImport(
  plan: Extract<StaffImportPlan, { ok: true }>,
  newId: (draft: PersonDraft) => string,
): { creates: Person[]; updates: Person[] } {
  const idByEmail = new Map<string, string>()
  for (const draft of plan.creates) idByEmail.set(normaliseEmail(draft.email), newId(draft))
  const resolve = (ref: LineManagerRef | null): string | null => {
    if (ref === null) return null
    if (ref.kind === 'existing') return ref.id
    const id = idByEmail.get(normaliseEmail(ref.email))
    if (id === undefined) throw new Error(`No new person with the email ${ref.email} in this import plan`)
    return id
  }
  const toPerson = (id: string, draft: PersonDraft): Person => {
    const { lineManager, ...rest } = draft
    return { ...rest, id, lineManagerId: resolve(lineManager), flags: { ...draft.flags } }
  }
  return {
    creates: plan.creates.map((draft) => toPerson(idByEmail.get(normaliseEmail(draft.email))!, draft)),
    updates: plan.updates.map((update) => toPerson(update.id, update.after)),
  }
}
