/** Helpers shared by the staff CSV tests (not a test file itself). */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { noFlags, type Person } from '../person.ts'
import {
  planStaffImport,
  resolveStaffImport,
  type StaffImportError,
  type StaffImportMappings,
  type StaffImportPlan,
} from './index.ts'

const fixtures = new URL('../../../../test/fixtures/csv/', import.meta.url)
export const fixture = (name: string) => readFileSync(new URL(name, fixtures))

export const school = 'school-meadowbank'

export function aPerson(overrides: Partial<Person> & Pick<Person, 'id' | 'email'>): Person {
  return {
    schoolId: school,
    name: 'Imogen Castellane',
    jobTitle: '',
    roles: [],
    lineManagerId: null,
    employmentType: 'permanent',
    partTime: false,
    workingDays: [1, 2, 3, 4, 5],
    startDate: null,
    endDate: null,
    flags: { ...noFlags },
    supervisorTrainedOn: null,
    ...overrides,
  }
}

/** A CSV file from lines, joined with `eol`, as UTF-8 bytes. */
export function csv(lines: readonly string[], eol = '\n'): Buffer {
  return Buffer.from(lines.join(eol) + eol, 'utf8')
}

export function plan(
  buffer: Buffer,
  existing: readonly Person[] = [],
  customRoles: readonly { id: string; name: string }[] = [],
  mappings?: StaffImportMappings,
): StaffImportPlan {
  return planStaffImport({ buffer, existing, customRoles, schoolId: school, ...(mappings ? { mappings } : {}) })
}

export function planned(
  buffer: Buffer,
  existing: readonly Person[] = [],
  customRoles: readonly { id: string; name: string }[] = [],
  mappings?: StaffImportMappings,
) {
  const result = plan(buffer, existing, customRoles, mappings)
  if (!result.ok) assert.fail(`expected a plan, got errors:\n${result.errors.map((e) => JSON.stringify(e)).join('\n')}`)
  return result
}

export function errorsOf(buffer: Buffer, existing: readonly Person[] = []): StaffImportError[] {
  const result = plan(buffer, existing)
  if (result.ok) assert.fail('expected errors, got a plan')
  return result.errors
}

/** Plans, assigns ids new-1, new-2..., and returns the school's people after the import. */
export function importInto(existing: readonly Person[], buffer: Buffer): Person[] {
  const result = planned(buffer, existing)
  let next = existing.length
  const { creates, updates } = resolveStaffImport(result, () => `new-${++next}`)
  const updated = new Map(updates.map((p) => [p.id, p]))
  return [...existing.map((p) => updated.get(p.id) ?? p), ...creates]
}
