/**
 * What the planner page shows for one school and year (issue 6): the school's planner settings,
 * the draft proposal (if any) with the policy's gaps it leaves, or else the sessions already
 * planned; and why Haven cannot plan the year, when it cannot. One call per page.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { type IsoDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { lastDayOfYear } from '../../domain/planning/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { type DraftView, draftGaps, getDraft, type PlannedSession, plannedSessions } from './drafts.ts'
import { defaultPlanYear, loadPlanInput, PlanningError } from './inputs.ts'
import { type PlannerSettings, plannerSettings } from './settings.ts'

/** The most gaps the page lists. */
const GAPS_SHOWN = 200
/** The most planned sessions the page lists. */
const PLANNED_SHOWN = 1000

export interface PlannerPage {
  settings: PlannerSettings
  draft: DraftView | null
  /** Why the year cannot be planned (no policy in force, no calendar ...), or null. */
  problem: string | null
  gaps: { name: string; message: string }[]
  /** The sessions already planned, when there is no draft. */
  planned: { sessions: PlannedSession[]; total: number } | null
}

export async function plannerPage(db: DbOrTrx, schoolId: string, yearId: string, today: IsoDate): Promise<PlannerPage> {
  const bounds = parseAcademicYearId(yearId)
  if (!bounds) throw new Error(`Not an academic year: ${yearId}`)
  const calendar = await schoolCalendar(db, schoolId, bounds.start)
  const settings = await plannerSettings(db, schoolId)
  const draft = await getDraft(db, schoolId, yearId, calendar)
  let problem: string | null = null
  let gaps: { name: string; message: string }[] = []
  try {
    const loaded = await loadPlanInput(db, schoolId, yearId, today)
    if (draft) gaps = draftGaps(loaded, draft).slice(0, GAPS_SHOWN)
  } catch (error) {
    if (!(error instanceof PlanningError)) throw error
    problem = error.message
  }
  const planned =
    draft === null ? await plannedSessions(db, schoolId, bounds.start, bounds.end, calendar, PLANNED_SHOWN) : null
  return { settings, draft, problem, gaps, planned }
}

/** The year the planner opens on: this academic year, or the next once this one's last term is over. */
export async function plannerYearFor(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<string> {
  const calendar = await schoolCalendar(db, schoolId, today)
  return defaultPlanYear(today, (id) => lastDayOfYear(calendar.years.find((y) => y.id === id)?.halfTerms))
}
