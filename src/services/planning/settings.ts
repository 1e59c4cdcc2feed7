/**
 * A school's planner settings (issue 6): the most sessions a supervisor leads in a day and in a
 * week, the hours sessions are planned in, and how many working days before a session the
 * supervisee is reminded to prepare. A school with no row has the defaults.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  everySchoolsPlannerSettings,
  storedPlannerSettings,
  writePlannerSettings,
} from '../../db/repositories/planning.ts'
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

export async function plannerSettings(db: DbOrTrx, schoolId: string): Promise<PlannerSettings> {
  return (await storedPlannerSettings(db, schoolId)) ?? { ...defaultPlannerSettings }
}

/** Every school's settings (for the reminder jobs), defaults filled in. */
export async function allPlannerSettings(db: DbOrTrx): Promise<Map<string, PlannerSettings>> {
  return everySchoolsPlannerSettings(db)
}

export type SaveSettingsResult = { ok: true } | { ok: false; conflict: true }

/** Saves the settings if nobody else has changed them since `expectedVersion` was read. */
export async function savePlannerSettings(
  db: DbOrTrx,
  input: {
    schoolId: string
    organisationId: string
    actorId: string
    settings: Omit<PlannerSettings, 'version'>
    expectedVersion: number
  },
): Promise<SaveSettingsResult> {
  return db.transaction().execute(async (trx) => {
    const current = await storedPlannerSettings(trx, input.schoolId, { forUpdate: true })
    if ((current?.version ?? 0) !== input.expectedVersion) return { ok: false, conflict: true } as const
    await writePlannerSettings(trx, input.schoolId, {
      settings: input.settings,
      version: current ? current.version + 1 : 1,
      actorId: input.actorId,
      at: new Date(),
    })
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
