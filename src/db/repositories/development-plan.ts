/**
 * Development plans (PL-07, CA-08; issue 17): items from development needs in signed records.
 * Every query is scoped by school in its where clause.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DevelopmentNeed } from '../../domain/wellbeing/development-plan.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredPlanItem {
  id: string
  personId: string
  personName: string
  recordId: string
  /** The date of the session the record is of. */
  recordDate: IsoDate
  need: string
  action: string | null
  owner: { id: string | null; name: string } | null
  dueOn: IsoDate | null
  status: string
  version: number
}

/** Adds the needs of a signed record to each supervisee's plan; a need already taken is left alone. */
export async function insertPlanItems(
  db: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    recordId: string
    personIds: readonly string[]
    needs: readonly DevelopmentNeed[]
  },
): Promise<number> {
  const rows = input.personIds.flatMap((personId) =>
    input.needs.map((n) => ({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      person_id: personId,
      record_id: input.recordId,
      source_key: n.sourceKey,
      need: n.need,
      action: n.action,
      owner_id: n.owner?.personId ?? null,
      owner_name: n.owner?.name ?? null,
      due_on: n.dueOn,
    })),
  )
  if (rows.length === 0) return 0
  const inserted = await db
    .insertInto('development_plan_item')
    .values(rows)
    .onConflict((oc) => oc.columns(['record_id', 'person_id', 'source_key']).doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

function itemQuery(db: DbOrTrx, schoolId: string) {
  return db
    .selectFrom('development_plan_item as i')
    .innerJoin('person as p', 'p.id', 'i.person_id')
    .innerJoin('supervision_record as r', 'r.id', 'i.record_id')
    .innerJoin('supervision_session as s', 's.id', 'r.session_id')
    .leftJoin('person as o', 'o.id', 'i.owner_id')
    .select([
      'i.id',
      'i.person_id',
      'p.name as person_name',
      'i.record_id',
      's.date as record_date',
      'i.need',
      'i.action',
      'i.owner_id',
      sql<string | null>`coalesce(o.name, i.owner_name)`.as('owner_name'),
      'i.due_on',
      'i.status',
      'i.version',
    ])
    .where('i.school_id', '=', schoolId)
    .orderBy(sql`i.status in ('done', 'no-longer-needed')`)
    .orderBy(sql`i.due_on is null`)
    .orderBy('i.due_on')
    .orderBy('s.date', 'desc')
    .orderBy('i.source_key')
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['executeTakeFirstOrThrow']>>

function itemFromRow(r: ItemRow): StoredPlanItem {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    recordId: r.record_id,
    recordDate: r.record_date,
    need: r.need,
    action: r.action,
    owner: r.owner_name ? { id: r.owner_id, name: r.owner_name } : null,
    dueOn: r.due_on,
    status: r.status,
    version: r.version,
  }
}

/** A person's plan: open items first, soonest due first. */
export async function planItemsOf(db: DbOrTrx, schoolId: string, personId: string): Promise<StoredPlanItem[]> {
  return (await itemQuery(db, schoolId).where('i.person_id', '=', personId).execute()).map(itemFromRow)
}

/** Every item of the school, for its CPD lead's export. */
export async function schoolPlanItems(db: DbOrTrx, schoolId: string): Promise<StoredPlanItem[]> {
  return (await itemQuery(db, schoolId).orderBy('p.name').execute()).map(itemFromRow)
}

/** Changes an item's owner, due date and status at the version read; false when it lost. */
export async function updatePlanItem(
  db: DbOrTrx,
  input: {
    schoolId: string
    personId: string
    id: string
    version: number
    status: string
    dueOn: IsoDate | null
    owner: { id: string | null; name: string } | null
  },
): Promise<boolean> {
  const result = await db
    .updateTable('development_plan_item')
    .set({
      status: input.status,
      due_on: input.dueOn,
      owner_id: input.owner?.id ?? null,
      owner_name: input.owner?.name ?? null,
      version: sql`version + 1`,
    })
    .where('school_id', '=', input.schoolId)
    .where('person_id', '=', input.personId)
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
