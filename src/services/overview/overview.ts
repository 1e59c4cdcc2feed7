/**
 * The DSL's overview for a school on a day (issue 9), worked out once and kept in the database
 * (overview_snapshot, migration 0011) for as long as nothing it reads has changed: triggers log
 * every committed change to those tables against the schools it affects (overview_change), a
 * school's version is the sum of its log's weights, and a snapshot is used only when it was made
 * for today at the current version. Every Haven instance shares it, so nothing that matters
 * lives in one process; a request for a school whose overview is being worked out in this process
 * waits for that work rather than repeating it.
 *
 * Read order matters: the version is read before the facts, so a snapshot is never labelled
 * with a version newer than its facts (a change made meanwhile only causes one more recount).
 *
 * The snapshot holds no record content and no sensitive flags; `actionWording` and
 * `additionalSupportIds` read those live for the viewers allowed to see them.
 */
import type { Db } from '../../db/database.ts'
import { KeptWhileUnwritten } from '../../db/kept-reads.ts'
import {
  actionDescriptions,
  foldOverviewChanges,
  keepOverviewSnapshot,
  keptOverview,
  overviewSchools,
  peopleNeedingAdditionalSupport,
  schoolWithKeptSummary,
} from '../../db/repositories/overview.ts'
import { buildOverview, type Overview, type OverviewLists, type OverviewSummary } from '../../domain/overview/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { recordAudit } from '../audit.ts'
import { loadOverviewFacts, type OverviewSchool } from './facts.ts'

export type { OverviewSchool } from './facts.ts'

/** The overview page's reads for someone of one school, kept while the database is unwritten (PGlite only). */
const keptOwnSchool = new KeptWhileUnwritten<{
  school: OverviewSchool
  choices: OverviewSchool[]
  summary: OverviewSummary
  counts: { decisionsPending: number; openCaseEscalations: number }
  figuresKey: string
} | null>(64)

/** Works the overview out from the database now, without reading or writing the snapshot. */
export async function computeOverview(db: Db, school: OverviewSchool, today: IsoDate): Promise<Overview> {
  return buildOverview(await loadOverviewFacts(db, school, today))
}

const inFlight = new Map<string, Promise<Overview>>()

/** More rows than this in a school's change log and the next recount folds them into one. */
const foldAbove = 100

/**
 * Folds a school's change log into one row of the same total weight, so reading the version stays
 * one short index scan; the version does not change. Rows a writer adds meanwhile are not yet
 * visible to the delete and stay, so nothing is lost. Best effort: if it fails (two folds at
 * once, say), the log is simply folded next time.
 */
async function foldChanges(db: Db, schoolId: string): Promise<void> {
  try {
    await foldOverviewChanges(db, schoolId, foldAbove)
  } catch {
    // Folding again later is as good.
  }
}

async function refresh(db: Db, school: OverviewSchool, today: IsoDate, version: number): Promise<Overview> {
  const key = `${school.id}/${today}/${version}`
  let pending = inFlight.get(key)
  if (!pending) {
    pending = (async () => {
      const overview = await computeOverview(db, school, today)
      // Never replace a snapshot made for a later version or day (another instance may have been quicker).
      await keepOverviewSnapshot(db, school.id, {
        version,
        computedFor: today,
        summary: overview.summary,
        lists: overview.lists,
        at: new Date(),
      })
      await foldChanges(db, school.id)
      return overview
    })().finally(() => inFlight.delete(key))
    inFlight.set(key, pending)
  }
  return pending
}

interface SnapshotRead {
  version: number
  summary: string | null
  lists: string | null
}

/** The school's current change version, and its snapshot when that was made for today at that version. */
async function readSnapshot(db: Db, schoolId: string, today: IsoDate, withLists: boolean): Promise<SnapshotRead> {
  const kept = await keptOverview(db, schoolId, withLists)
  const fresh = kept.snapshotVersion !== null && kept.snapshotVersion === kept.version && kept.computedFor === today
  return { version: kept.version, summary: fresh ? kept.summary : null, lists: fresh ? kept.lists : null }
}

function summaryFrom(json: string, school: OverviewSchool): OverviewSummary {
  // The school's name is the one in force now (a rename raises the version anyway).
  return { ...(JSON.parse(json) as OverviewSummary), school: { id: school.id, name: school.name, slug: school.slug } }
}

/** The figures for the overview page: one small read when nothing has changed. */
export async function overviewSummary(db: Db, school: OverviewSchool, today: IsoDate): Promise<OverviewSummary> {
  const read = await readSnapshot(db, school.id, today, false)
  if (read.summary !== null) return summaryFrom(read.summary, school)
  return (await refresh(db, school, today, read.version)).summary
}

/**
 * The overview page's figures for the person's own school, in one query when nothing has changed
 * (the school, the change version and the kept figures together). For someone who belongs to the
 * trust rather than one school, the school chosen (or the first) and the others to choose from.
 */
export async function overviewSummaryFor(
  db: Db,
  person: { organisationId: string; schoolId: string | null },
  slug: string | undefined,
  today: IsoDate,
): Promise<{
  school: OverviewSchool
  choices: OverviewSchool[]
  summary: OverviewSummary
  /** Read with the figures for the person's own school (one query); the page reads them otherwise. */
  counts?: { decisionsPending: number; openCaseEscalations: number }
  /**
   * For the person's own school, what names the figures: the school, its change version and the
   * day. Equal keys mean equal figures (the page keeps its rendering by it).
   */
  figuresKey?: string
} | null> {
  if (person.schoolId === null) {
    const found = await overviewSchoolFor(db, person, slug)
    return found ? { ...found, summary: await overviewSummary(db, found.school, today) } : null
  }
  const schoolId = person.schoolId
  // Kept while nothing is written (PGlite, ADR 0054): any write, the change log's included, reads again.
  return keptOwnSchool.read(
    db,
    `${person.organisationId}/${schoolId}/${today}`,
    async () => {
      const row = await schoolWithKeptSummary(db, person.organisationId, schoolId)
      if (!row) return null
      const school = { id: row.id, organisationId: row.organisationId, slug: row.slug, name: row.name }
      const version = row.version
      const fresh = row.snapshotVersion !== null && row.snapshotVersion === version && row.computedFor === today
      const summary =
        fresh && row.summary !== null
          ? summaryFrom(row.summary, school)
          : (await refresh(db, school, today, version)).summary
      return {
        school,
        choices: [],
        summary,
        counts: { decisionsPending: row.decisionsPending, openCaseEscalations: row.openCaseEscalations },
        figuresKey: `${school.id}/${version}/${today}`,
      }
    },
    (found) => found !== null,
  )
}

/** The whole overview with its lists, for the pages behind the figures. */
export async function overviewWithLists(db: Db, school: OverviewSchool, today: IsoDate): Promise<Overview> {
  const read = await readSnapshot(db, school.id, today, true)
  if (read.summary !== null && read.lists !== null) {
    return { summary: summaryFrom(read.summary, school), lists: JSON.parse(read.lists) as OverviewLists }
  }
  return refresh(db, school, today, read.version)
}

/**
 * The school an overview page is about: the person's own school; for someone who belongs to the
 * trust rather than one school, the school chosen (`?school=<slug>`) or the first, with the others
 * to choose from.
 */
export async function overviewSchoolFor(
  db: Db,
  person: { organisationId: string; schoolId: string | null },
  slug: string | undefined,
): Promise<{ school: OverviewSchool; choices: OverviewSchool[] } | null> {
  const schools = await overviewSchools(db, person.organisationId, person.schoolId)
  if (person.schoolId !== null) return schools[0] ? { school: schools[0], choices: [] } : null
  const school = slug ? schools.find((s) => s.slug === slug) : schools[0]
  return school ? { school, choices: schools } : null
}

/** MW-10: the wording of actions, for viewers who may read record content. */
export async function actionWording(
  db: Db,
  schoolId: string,
  actionIds: readonly string[],
): Promise<Map<string, string>> {
  return actionDescriptions(db, schoolId, actionIds)
}

/** LH-03: who needs additional support, for viewers allowed to see it for everyone. */
export async function additionalSupportIds(db: Db, schoolId: string): Promise<Set<string>> {
  return peopleNeedingAdditionalSupport(db, schoolId)
}

/** Every download of a list is in the audit log: ids and codes only. */
export async function recordOverviewExport(
  db: Db,
  input: {
    school: OverviewSchool
    actorId: string
    list: string
    rows: number
    /** Whether it held record content (the wording of actions). */
    content: boolean
    /** Whether it held the sensitive additional-support flag (LH-03). */
    additionalSupport: boolean
  },
): Promise<void> {
  await recordAudit(db, {
    action: 'overview.export',
    subjectType: 'school',
    subjectId: input.school.id,
    actorId: input.actorId,
    organisationId: input.school.organisationId,
    schoolId: input.school.id,
    detail: { list: input.list, rows: input.rows, content: input.content, additionalSupport: input.additionalSupport },
  })
}
