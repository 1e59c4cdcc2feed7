/**
 * Development needs feed a development plan (PL-07, CA-08; issue 17). When a record is signed, each
 * row of a template table marked `developmentPlan` (Cornerstone's professional development, PLACE's
 * learning and development needs) becomes an item on the supervisee's development plan, with an
 * owner, a due date and a status, linked back to its record. Pure: template and record in, items out.
 */
import { type Actor, can, Permission } from '../access/permissions.ts'
import type { IsoDate } from '../people/person.ts'
import type { PersonValue, TableRow } from '../records/entry.ts'
import type { Template } from '../records/template.ts'

export const DevelopmentStatus = {
  Planned: 'planned',
  InProgress: 'in-progress',
  Done: 'done',
  NoLongerNeeded: 'no-longer-needed',
} as const
export type DevelopmentStatus = (typeof DevelopmentStatus)[keyof typeof DevelopmentStatus]

export const developmentStatusLabels: Readonly<Record<DevelopmentStatus, string>> = Object.freeze({
  planned: 'Planned',
  'in-progress': 'In progress',
  done: 'Done',
  'no-longer-needed': 'No longer needed',
})

export function isDevelopmentStatus(value: string): value is DevelopmentStatus {
  return Object.hasOwn(developmentStatusLabels, value)
}

/** One development need found in a signed record, for the plan. */
export interface DevelopmentNeed {
  /** Where it came from in the record: `<fieldId>.<row>`, so it is taken once. */
  sourceKey: string
  need: string
  action: string | null
  owner: PersonValue | null
  dueOn: IsoDate | null
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

/** A person column's answer: a name as typed (a table's person column is text), or a person. */
function personOf(value: unknown): PersonValue | null {
  if (typeof value === 'string') return value.trim() === '' ? null : { personId: null, name: value.trim() }
  if (typeof value !== 'object' || value === null) return null
  const v = value as Partial<PersonValue>
  const name = typeof v.name === 'string' ? v.name.trim() : ''
  return name === '' ? null : { personId: typeof v.personId === 'string' ? v.personId : null, name }
}

/**
 * PL-07: the development needs of a signed record, when the policy says they feed planning: every
 * row with a need written, of every table the template marks. None when the policy does not.
 */
export function developmentNeedsOf(
  template: Pick<Template, 'sections'>,
  values: Readonly<Record<string, unknown>>,
  feedsPlanning: boolean,
): DevelopmentNeed[] {
  if (!feedsPlanning) return []
  const out: DevelopmentNeed[] = []
  for (const section of template.sections)
    for (const field of section.fields) {
      if (field.kind !== 'table' || !field.developmentPlan) continue
      const plan = field.developmentPlan
      const rows = Array.isArray(values[field.id]) ? (values[field.id] as TableRow[]) : []
      rows.forEach((row, index) => {
        const need = textOf(row[plan.need])
        if (need === '') return
        const action = plan.action ? textOf(row[plan.action]) : ''
        const due = plan.due ? textOf(row[plan.due]) : ''
        out.push({
          sourceKey: `${field.id}.${index}`,
          need,
          action: action === '' ? null : action,
          owner: plan.owner ? personOf(row[plan.owner]) : null,
          dueOn: /^\d{4}-\d{2}-\d{2}$/.test(due) ? due : null,
        })
      })
    }
  return out
}

/** The person the plan is about, with who currently manages and supervises them. */
export interface PlanSubject {
  id: string
  lineManagerId: string | null
  supervisorIds: readonly string[]
}

/**
 * Who reads a person's development plan: the person, their current line manager and supervisor,
 * and the DSL (the records it comes from are theirs to read). The same people change an item's
 * owner, due date and status.
 */
export function mayReadDevelopmentPlan(viewer: Actor | null | undefined, subject: PlanSubject): boolean {
  if (!viewer) return false
  if (viewer.personId === subject.id || can(viewer, Permission.RecordsReadAll)) return true
  if (subject.lineManagerId !== null && viewer.personId === subject.lineManagerId) return true
  return subject.supervisorIds.includes(viewer.personId)
}
