/**
 * Development needs feed a development plan (PL-07, CA-08; issue 17). When a record is signed by
 * everyone and the policy says development needs feed planning (`practice.developmentNeedsFeedPlanning`),
 * each development need in it becomes an item on each supervisee's plan (an owner, a due date, a
 * status, a link back to the record). The plan is read by the person, their line manager and
 * supervisor, and the DSL; the DSL exports the school's plans for its CPD lead. Reading and
 * exporting are audited (ids only).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  insertPlanItems,
  planItemsOf,
  type StoredPlanItem,
  schoolPlanItems,
  updatePlanItem,
} from '../../db/repositories/development-plan.ts'
import type { RequestActor } from '../../domain/access/actor.ts'
import { can, Permission } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { toCsv } from '../../domain/overview/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument } from '../../domain/policy/model.ts'
import type { RecordDocument } from '../../domain/records/record.ts'
import type { Template } from '../../domain/records/template.ts'
import {
  developmentNeedsOf,
  developmentStatusLabels,
  isDevelopmentStatus,
  mayReadDevelopmentPlan,
} from '../../domain/wellbeing/development-plan.ts'
import { recordAudit } from '../audit.ts'
import { overviewSchoolFor } from '../overview/overview.ts'
import { subjectOf } from './further-support.ts'

export type { StoredPlanItem }

/**
 * PL-07: on the signature that locks a record, its development needs go on each supervisee's plan
 * (in the signing transaction). A need with no person responsible is the supervisee's own.
 */
export async function feedDevelopmentPlan(
  trx: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    recordId: string
    template: Template
    document: RecordDocument
    policy: PolicyDocument | null
  },
): Promise<number> {
  const needs = developmentNeedsOf(
    input.template,
    input.document.values,
    input.policy?.practice.developmentNeedsFeedPlanning ?? false,
  )
  let added = 0
  for (const supervisee of input.document.session?.supervisees ?? []) {
    const own = needs.map((n) => ({ ...n, owner: n.owner ?? { personId: supervisee.personId, name: supervisee.name } }))
    added += await insertPlanItems(trx, {
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      recordId: input.recordId,
      personIds: [supervisee.personId],
      needs: own,
    })
  }
  if (added > 0)
    await recordAudit(trx, {
      action: 'development-plan.fed',
      subjectType: 'record',
      subjectId: input.recordId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { items: added },
    })
  return added
}

export interface DevelopmentPlanPage {
  person: { id: string; name: string }
  own: boolean
  items: StoredPlanItem[]
}

/** A person's plan for a viewer who may read it (audited when it holds anything); null otherwise. */
export async function developmentPlanPage(
  db: Db,
  input: { actor: RequestActor; personId: string },
): Promise<DevelopmentPlanPage | null> {
  const subject = await subjectOf(db, input.actor.organisationId, input.personId)
  if (!subject) return null
  const actor = input.actor.in(subject.schoolId)
  if (!mayReadDevelopmentPlan(actor, subject)) return null
  const items = await planItemsOf(db, subject.schoolId, subject.id)
  if (items.length > 0)
    await recordAudit(db, {
      action: 'development-plan.read',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { items: items.length },
    })
  return { person: { id: subject.id, name: subject.name }, own: actor.personId === subject.id, items }
}

/** Whether the viewer may read the person's plan (for a link on their page). */
export async function mayOpenDevelopmentPlan(db: Db, input: { actor: RequestActor; personId: string }) {
  const subject = await subjectOf(db, input.actor.organisationId, input.personId)
  return subject !== null && mayReadDevelopmentPlan(input.actor.in(subject.schoolId), subject)
}

export type PlanItemResult =
  | { ok: true }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'field'; field: string; message: string }

/** Changes an item's status and due date, at the version read. */
export async function changePlanItem(
  db: Db,
  input: {
    actor: RequestActor
    personId: string
    itemId: string
    version: number | null
    status: string
    dueOn: IsoDate | null
  },
): Promise<PlanItemResult> {
  if (!isDevelopmentStatus(input.status))
    return { ok: false, kind: 'field', field: 'status', message: 'Select the status' }
  return db.transaction().execute(async (trx): Promise<PlanItemResult> => {
    const subject = await subjectOf(trx, input.actor.organisationId, input.personId)
    if (!subject) return { ok: false, kind: 'not-found' }
    const actor = input.actor.in(subject.schoolId)
    if (!mayReadDevelopmentPlan(actor, subject)) return { ok: false, kind: 'not-found' }
    const item = (await planItemsOf(trx, subject.schoolId, subject.id)).find((i) => i.id === input.itemId)
    if (!item) return { ok: false, kind: 'not-found' }
    if (input.version === null) return { ok: false, kind: 'conflict' }
    const saved = await updatePlanItem(trx, {
      schoolId: subject.schoolId,
      personId: subject.id,
      id: item.id,
      version: input.version,
      status: input.status,
      dueOn: input.dueOn,
      owner: item.owner,
    })
    if (!saved) return { ok: false, kind: 'conflict' }
    await recordAudit(trx, {
      action: 'development-plan.item-changed',
      subjectType: 'person',
      subjectId: subject.id,
      actorId: actor.personId,
      organisationId: subject.organisationId,
      schoolId: subject.schoolId,
      detail: { itemId: item.id, status: input.status },
    })
    return { ok: true }
  })
}

/**
 * CA-08, PL-07: the school's development plans as CSV for its CPD lead, for the DSL (who may read
 * the records they come from). Audited. Null when there is no school or the viewer may not.
 */
export async function developmentPlansCsv(
  db: Db,
  input: { actor: RequestActor; slug: string | undefined; recordUrl: (recordId: string) => string },
): Promise<{ slug: string; csv: string } | null> {
  const found = await overviewSchoolFor(db, input.actor, input.slug)
  if (!found || !can(input.actor.in(found.school.id), Permission.RecordsReadAll)) return null
  const items = await schoolPlanItems(db, found.school.id)
  await recordAudit(db, {
    action: 'development-plan.export',
    subjectType: 'school',
    subjectId: found.school.id,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: found.school.id,
    detail: { rows: items.length },
  })
  const csv = toCsv(
    ['Person', 'Development need', 'Action', 'Owner', 'Due by', 'Status', 'From the record of', 'Record'],
    items.map((i) => [
      i.personName,
      i.need,
      i.action ?? '',
      i.owner?.name ?? '',
      i.dueOn ? formatLongDate(i.dueOn) : '',
      developmentStatusLabels[i.status as keyof typeof developmentStatusLabels] ?? i.status,
      formatLongDate(i.recordDate),
      input.recordUrl(i.recordId),
    ]),
  )
  return { slug: found.school.slug, csv }
}
