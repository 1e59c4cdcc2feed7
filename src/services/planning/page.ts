/**
 * What the planner page shows for one school and year (issue 6): the school's planner settings,
 * the draft proposal (if any) with the policy's gaps it leaves, or else the sessions already
 * planned; and why Haven cannot plan the year, when it cannot. One call per page.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { type IsoDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { lastDayOfYear, startOfYearGaps } from '../../domain/planning/index.ts'
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
  /**
   * CA-02, when there is no draft: what requirements planned at the start of the academic year
   * still lack for the rest of the year (sessions neither held nor planned), and for how many people.
   */
  startOfYear: { gaps: { name: string; message: string }[]; people: number }
}

export async function plannerPage(db: DbOrTrx, schoolId: string, yearId: string, today: IsoDate): Promise<PlannerPage> {
  const bounds = parseAcademicYearId(yearId)
  if (!bounds) throw new Error(`Not an academic year: ${yearId}`)
  const calendar = await schoolCalendar(db, schoolId, bounds.start)
  const settings = await plannerSettings(db, schoolId)
  const draft = await getDraft(db, schoolId, yearId, calendar)
  let problem: string | null = null
  let gaps: { name: string; message: string }[] = []
  let startOfYear: PlannerPage['startOfYear'] = { gaps: [], people: 0 }
  try {
    const loaded = await loadPlanInput(db, schoolId, yearId, today)
    if (draft) gaps = draftGaps(loaded, draft).slice(0, GAPS_SHOWN)
    else {
      const missing = startOfYearGaps(loaded.input, { from: loaded.input.from, horizon: loaded.span.horizon })
      startOfYear = {
        gaps: missing
          .slice(0, GAPS_SHOWN)
          .map((gap) => ({ name: loaded.names.get(gap.personId) ?? 'Someone', message: gap.message })),
        people: new Set(missing.map((gap) => gap.personId)).size,
      }
    }
  } catch (error) {
    if (!(error instanceof PlanningError)) throw error
    problem = error.message
  }
  const planned =
    draft === null ? await plannedSessions(db, schoolId, bounds.start, bounds.end, calendar, PLANNED_SHOWN) : null
  return { settings, draft, problem, gaps, planned, startOfYear }
}

/** The year the planner opens on: this academic year, or the next once this one's last term is over. */
export async function plannerYearFor(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<string> {
  const calendar = await schoolCalendar(db, schoolId, today)
  return defaultPlanYear(today, (id) => lastDayOfYear(calendar.years.find((y) => y.id === id)?.halfTerms))
}
