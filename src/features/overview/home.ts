/**
 * The overview on the home page (issue 9): people who see the school's compliance (the DSL, deputy
 * DSL and headteacher) find its figures on their home page, under their own actions, each a link
 * to the list behind it. The figures come from the kept overview, so this adds one small read.
 */
import type { Db } from '../../db/database.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { OverviewSummary } from '../../domain/overview/index.ts'
import { queryString } from '../../paths/index.ts'
import { NoPolicyError } from '../../services/compliance/school-compliance.ts'
import { type OverviewSchool, overviewSchoolFor, overviewSummaryFor } from '../../services/overview/overview.ts'
import { type FigurePanel, figurePanels } from './presenters.ts'

export interface Located {
  school: OverviewSchool
  choices: OverviewSchool[]
  /** '?school=<slug>' for someone choosing among the trust's schools, else ''. */
  schoolQuery: string
}

export function located(found: { school: OverviewSchool; choices: OverviewSchool[] }): Located {
  return {
    ...found,
    schoolQuery: found.choices.length > 0 ? `?${queryString({ school: found.school.slug })}` : '',
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = []
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size))
  return rows
}

/** The figure panels in groups, four to a row. */
export function panelGroups(summary: OverviewSummary): { heading: string; rows: FigurePanel[][] }[] {
  return figurePanels(summary.figures).map((g) => ({ heading: g.heading, rows: chunk(g.panels, 4) }))
}

export interface HomeOverview {
  schoolName: string
  located: Located
  noPolicy: boolean
  summary: OverviewSummary | null
  groups: ReturnType<typeof panelGroups>
}

/**
 * The home page's overview section for the person's school, or null when they have none. `now`
 * is the app's clock (ADR 0017).
 */
export async function homeOverview(
  db: Db,
  person: { organisationId: string; schoolId: string | null },
  now: Date,
): Promise<HomeOverview | null> {
  try {
    const found = await overviewSummaryFor(db, person, undefined, londonDateOf(now))
    if (!found) return null
    const { summary } = found
    return {
      schoolName: found.school.name,
      located: located(found),
      noPolicy: false,
      summary,
      groups: panelGroups(summary),
    }
  } catch (error) {
    if (!(error instanceof NoPolicyError)) throw error
    const found = await overviewSchoolFor(db, person, undefined)
    if (!found) return null
    return { schoolName: found.school.name, located: located(found), noPolicy: true, summary: null, groups: [] }
  }
}
