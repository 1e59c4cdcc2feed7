/**
 * Manual scope overrides (X-04, issue 14): a decision that someone must, or need not, receive
 * supervision whatever the policy's rules say, with its reason. Stored in person_override beside
 * agreed frequencies, as the engine's ScopeOverride. Scoped by school in every where clause.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { ScopeOverride } from '../../../domain/policy/model.ts'
import type { DbOrTrx } from '../connection.ts'

/** Made on the person's page ('manual') or by a staff import ('import'). */
export type ScopeOverrideSource = 'manual' | 'import'

export interface StoredScopeOverride {
  id: string
  override: ScopeOverride
  source: ScopeOverrideSource
  setBy: { id: string; name: string } | null
  setAt: Date
  endedAt: Date | null
  endedBy: { id: string; name: string } | null
}

/** A person's scope overrides, current and ended, newest first. */
export async function scopeOverridesOf(
  db: DbOrTrx,
  schoolId: string,
  personId: string,
  limit = 50,
): Promise<StoredScopeOverride[]> {
  const rows = await db
    .selectFrom('person_override as o')
    .leftJoin('person as setter', 'setter.id', 'o.set_by')
    .leftJoin('person as ender', 'ender.id', 'o.ended_by')
    .select([
      'o.id',
      'o.override',
      'o.source',
      'o.set_by',
      'o.set_at',
      'o.ended_at',
      'o.ended_by',
      'setter.name as set_by_name',
      'ender.name as ended_by_name',
    ])
    .where('o.school_id', '=', schoolId)
    .where('o.person_id', '=', personId)
    .where(sql<boolean>`o.override->>'kind' = 'scope'`)
    .orderBy('o.set_at', 'desc')
    .orderBy('o.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    override: r.override as ScopeOverride,
    source: r.source === 'import' ? 'import' : 'manual',
    setBy: r.set_by ? { id: r.set_by, name: r.set_by_name ?? 'Unknown' } : null,
    setAt: r.set_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by ? { id: r.ended_by, name: r.ended_by_name ?? 'Unknown' } : null,
  }))
}

/** The ids of the person's scope overrides still in force (not ended), locked for update. */
export async function currentScopeOverrideIds(db: DbOrTrx, schoolId: string, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('person_override')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .where(sql<boolean>`override->>'kind' = 'scope'`)
    .forUpdate()
    .execute()
  return rows.map((r) => r.id)
}

/** Records a scope override; returns its id. */
export async function insertScopeOverride(
  db: DbOrTrx,
  input: { schoolId: string; override: ScopeOverride; source: ScopeOverrideSource; setBy: string | null; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('person_override')
    .values({
      school_id: input.schoolId,
      person_id: input.override.personId,
      override: JSON.stringify(input.override),
      source: input.source,
      set_by: input.setBy,
      set_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Ends the given scope overrides of the person, from `lastDay` (the last day each applied: its
 * `until` is brought forward to it when later or open). Returns how many were ended.
 */
export async function endScopeOverrides(
  db: DbOrTrx,
  input: {
    schoolId: string
    personId: string
    ids: readonly string[]
    endedBy: string | null
    now: Date
    lastDay: IsoDate
  },
): Promise<number> {
  if (input.ids.length === 0) return 0
  const result = await db
    .updateTable('person_override')
    .set({
      ended_at: input.now,
      ended_by: input.endedBy,
      override: sql`jsonb_set(override, '{until}', to_jsonb(case
        when override->>'until' is null or override->>'until' > ${input.lastDay} then ${input.lastDay}::text
        else override->>'until' end))`,
    })
    .where('school_id', '=', input.schoolId)
    .where('person_id', '=', input.personId)
    .where('id', 'in', [...input.ids])
    .where('ended_at', 'is', null)
    .where(sql<boolean>`override->>'kind' = 'scope'`)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
