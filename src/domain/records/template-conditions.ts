/**
 * Items shown by who the supervisor is (issue 14), and where a record is filed.
 *
 * A section or field may carry `showWhen`, a condition on the supervision relationship of the
 * session: whether the supervisor is the supervisee's line manager, or comes from outside the
 * school. The record form shows only the items whose condition holds, and completing the record
 * requires only those. Items without a condition are always shown, so existing templates are
 * unchanged. When the relationship is not known (a record made before Haven kept it) every item
 * is shown.
 *
 * Pure: no I/O, no clock.
 */
import type { Field, FilingDestination, Section, SupervisionCondition, Template } from './template.ts'

/** The supervision relationship of one session, as the record saw it. */
export interface SupervisionFacts {
  /** Every supervisee's line manager is one of the session's supervisors. */
  supervisorIsLineManager: boolean
  /** A supervisor is from outside the school (employment type "external"). */
  supervisorIsExternal: boolean
}

export interface RelationshipPerson {
  personId: string
  lineManagerId: string | null
  external: boolean
}

/** The relationship of a session's supervisors to its supervisees (on the date the record reads them). */
export function supervisionFactsOf(
  supervisors: readonly RelationshipPerson[],
  supervisees: readonly RelationshipPerson[],
): SupervisionFacts {
  const supervisorIds = new Set(supervisors.map((p) => p.personId))
  return {
    supervisorIsLineManager:
      supervisees.length > 0 &&
      supervisees.every((s) => s.lineManagerId !== null && supervisorIds.has(s.lineManagerId)),
    supervisorIsExternal: supervisors.some((p) => p.external),
  }
}

/** Whether an item with this condition is shown; no condition, or unknown facts: shown. */
export function conditionHolds(condition: SupervisionCondition | undefined, facts: SupervisionFacts | null): boolean {
  if (condition === undefined || facts === null) return true
  switch (condition) {
    case 'supervisor-is-line-manager':
      return facts.supervisorIsLineManager
    case 'supervisor-is-not-line-manager':
      return !facts.supervisorIsLineManager
    case 'supervisor-is-external':
      return facts.supervisorIsExternal
    case 'supervisor-is-not-external':
      return !facts.supervisorIsExternal
  }
}

/**
 * The template as the form of one session shows it: sections and fields whose condition does not
 * hold are left out (a section left with no fields is left out too, unless it had none to begin with).
 * Validating against it requires only the visible items.
 */
export function visibleTemplate(template: Template, facts: SupervisionFacts | null | undefined): Template {
  const f = facts ?? null
  if (f === null) return template
  const sections: Section[] = []
  for (const section of template.sections) {
    if (!conditionHolds(section.showWhen, f)) continue
    const fields = section.fields.filter((field) => conditionHolds(field.showWhen, f))
    if (fields.length === 0 && section.fields.length > 0) continue
    sections.push(fields.length === section.fields.length ? section : { ...section, fields })
  }
  return { ...template, sections }
}

/**
 * Issue 18: a group record asks for the group's confidentiality boundary and the decisions for the
 * child's record in Haven's own sections, so the template's fields that repeat them
 * (`groupRecordAsks`) are left out of it, unless an answer was already given there (an older
 * record keeps what it holds). Other records keep every field.
 */
export function withoutGroupRepeats(
  template: Template,
  record: { group: boolean; values: Readonly<Record<string, unknown>> },
): Template {
  if (!record.group) return template
  const answered = (id: string) => {
    const value = record.values[id]
    return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  }
  const sections: Section[] = []
  for (const section of template.sections) {
    const fields = section.fields.filter((field) => field.groupRecordAsks === undefined || answered(field.id))
    if (fields.length === 0 && section.fields.length > 0) continue
    sections.push(fields.length === section.fields.length ? section : { ...section, fields })
  }
  return { ...template, sections }
}

/** Ids of the fields this session's form leaves out. */
export function hiddenFieldIds(template: Template, facts: SupervisionFacts | null | undefined): string[] {
  const shown = new Set(visibleTemplate(template, facts).sections.flatMap((s) => s.fields.map((x) => x.id)))
  return template.sections.flatMap((s) => s.fields.map((x) => x.id)).filter((id) => !shown.has(id))
}

/** Wording for the template editor and the template page. */
export const supervisionConditionLabels: Readonly<Record<SupervisionCondition, { label: string; hint: string }>> = {
  'supervisor-is-line-manager': {
    label: 'Only when the supervisor is the line manager',
    hint: 'The supervisor is the line manager of the person being supervised',
  },
  'supervisor-is-not-line-manager': {
    label: 'Only when the supervisor is not the line manager',
    hint: 'For example, a conduct check by someone outside the line management',
  },
  'supervisor-is-external': {
    label: 'Only when the supervisor is from outside the school',
    hint: 'An external supervisor, such as a clinical supervisor',
  },
  'supervisor-is-not-external': {
    label: 'Only when the supervisor is from the school',
    hint: 'The supervisor works for the school',
  },
}

export const filingDestinationLabels: Readonly<Record<FilingDestination, string>> = {
  'staff-file': "The staff member's file (HR)",
}

/**
 * Fields of the session's form whose answers go to the staff file (issue 14): every answered
 * visible field when the template itself is filed there, otherwise the answered visible fields
 * marked `fileTo: 'staff-file'`. Empty when nothing goes to the staff file.
 */
export function staffFileFields(
  template: Template,
  facts: SupervisionFacts | null | undefined,
  isAnswered: (field: Field) => boolean,
): Field[] {
  const fields = visibleTemplate(template, facts).sections.flatMap((s) => s.fields)
  if (template.fileTo === 'staff-file') return fields.filter((f) => f.kind !== 'signatures')
  return fields.filter((f) => f.fileTo === 'staff-file' && isAnswered(f))
}

/** Whether a completed record of this template, in this session, goes on the "for the staff file" list. */
export function filedToStaffFile(
  template: Template,
  facts: SupervisionFacts | null | undefined,
  isAnswered: (field: Field) => boolean,
): boolean {
  return template.fileTo === 'staff-file' || staffFileFields(template, facts, isAnswered).length > 0
}

/** The values without those of the fields this session's form leaves out (they are neither asked nor kept). */
export function withoutHiddenValues<V>(
  template: Template,
  facts: SupervisionFacts | null | undefined,
  values: Readonly<Record<string, V>>,
): Record<string, V> {
  const hidden = new Set(hiddenFieldIds(template, facts))
  if (hidden.size === 0) return { ...values }
  return Object.fromEntries(Object.entries(values).filter(([id]) => !hidden.has(id)))
}
