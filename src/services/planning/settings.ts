/**
 * A school's planner settings (issue 6): the most sessions a supervisor leads in a day and in a
 * week, the hours sessions are planned in, and how many working days before a session the
 * supervisee is reminded to prepare. A school with no row has the defaults.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { defaultPlanLimits, defaultPreparationWorkingDays, type PlanLimits } from '../../domain/planning/index.ts'
import { recordAudit } from '../audit.ts'

export interface PlannerSettings extends PlanLimits {
  preparationWorkingDays: number
  /** 0 while the school has the defaults (no row yet). */
  version: number
}

export const defaultPlannerSettings: Readonly<PlannerSettings> = Object.freeze({
  ...defaultPlanLimits,
  preparationWorkingDays: defaultPreparationWorkingDays,
  version: 0,
})

export async function plannerSettings(db: Kysely<Database>, schoolId: string): Promise<PlannerSettings> {
  const row = await db.selectFrom('planner_setting').selectAll().where('school_id', '=', schoolId).executeTakeFirst()
  if (!row) return { ...defaultPlannerSettings }
  return {
    maxPerDay: row.max_per_day,
    maxPerWeek: row.max_per_week,
    dayStartsAt: row.day_starts_at,
    dayEndsAt: row.day_ends_at,
    preparationWorkingDays: row.preparation_working_days,
    version: row.version,
  }
}

/** Every school's settings (for the reminder jobs), defaults filled in. */
export async function allPlannerSettings(db: Kysely<Database>): Promise<Map<string, PlannerSettings>> {
  const rows = await db.selectFrom('planner_setting').selectAll().execute()
  return new Map(
    rows.map((row) => [
      row.school_id,
      {
        maxPerDay: row.max_per_day,
        maxPerWeek: row.max_per_week,
        dayStartsAt: row.day_starts_at,
        dayEndsAt: row.day_ends_at,
        preparationWorkingDays: row.preparation_working_days,
        version: row.version,
      },
    ]),
  )
}

export type SaveSettingsResult = { ok: true } | { ok: false; conflict: true }

/** Saves the settings if nobody else has changed them since `expectedVersion` was read. */
export async function savePlannerSettings(
  db: Kysely<Database>,
  input: {
    schoolId: string
    organisationId: string
    actorId: string
    settings: Omit<PlannerSettings, 'version'>
    expectedVersion: number
  },
): Promise<SaveSettingsResult> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('planner_setting')
      .select('version')
      .where('school_id', '=', input.schoolId)
      .forUpdate()
      .executeTakeFirst()
    if ((current?.version ?? 0) !== input.expectedVersion) return { ok: false, conflict: true } as const
    const values = {
      max_per_day: input.settings.maxPerDay,
      max_per_week: input.settings.maxPerWeek,
      day_starts_at: input.settings.dayStartsAt,
      day_ends_at: input.settings.dayEndsAt,
      preparation_working_days: input.settings.preparationWorkingDays,
      updated_by: input.actorId,
      updated_at: new Date(),
    }
    if (current) {
      await trx
        .updateTable('planner_setting')
        .set({ ...values, version: current.version + 1 })
        .where('school_id', '=', input.schoolId)
        .execute()
    } else {
      await trx
        .insertInto('planner_setting')
        .values({ school_id: input.schoolId, ...values })
        .execute()
    }
    await recordAudit(trx, {
      action: 'planner.settings-saved',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: {
        maxPerDay: input.settings.maxPerDay,
        maxPerWeek: input.settings.maxPerWeek,
        dayStartsAt: input.settings.dayStartsAt,
        dayEndsAt: input.settings.dayEndsAt,
        preparationWorkingDays: input.settings.preparationWorkingDays,
      },
    })
    return { ok: true } as const
  })
}
