/**
 * The governors' termly report (issue 16): loads what it reads and asks the pure domain. The
 * overview's facts are loaded for the last day reported (the period's end, or today while it
 * runs) by the overview's own loader, so compliance, supervisors and the balance of functions are
 * worked out exactly as the overview does; earlier terms for the trend are judged from the same
 * facts. Exports and sending are in the audit log (ids and codes only).
 */
import type { Db } from '../../db/database.ts'
import {
  caseEscalationsUpTo,
  contractsSignedBetween,
  escalationsBetween,
  governorsOfSchool,
  keepGovernorsReport,
  keptGovernorsReport,
  schoolToWarmUp,
  sessionFocusesBetween,
} from '../../db/repositories/governors.ts'
import { recordTags } from '../../db/repositories/overview.ts'
import { governorRoles } from '../../domain/access/permissions.ts'
import type { SchoolCalendar } from '../../domain/calendar/index.ts'
import { assessCompliance, type PersonCompliance } from '../../domain/compliance/index.ts'
import {
  asAtOf,
  buildGovernorsReport,
  chosenPeriod,
  type GovernorsReport,
  previousPeriods,
  type ReportPeriod,
  reportPeriods,
} from '../../domain/governors/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyBook } from '../../domain/policy/index.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { NoPolicyError } from '../compliance/school-compliance.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import {
  loadOverviewInputs,
  loadSchoolData,
  type OverviewSchool,
  type SchoolData,
  tagsFromFor,
} from '../overview/facts.ts'
import { policyBook } from '../policy/on-date.ts'

export interface LoadedReport {
  report: GovernorsReport
  /** The periods that can be chosen, newest first. */
  periods: ReportPeriod[]
}

/**
 * What a caller reporting several periods of one school reads once (the evidence pack): the
 * school's data, the framework tags for every day reported, and the compliance engine's answers,
 * kept by day (a term's end is judged once, however many reports' trends show it).
 */
export interface ReportSource extends Judged {
  data: SchoolData
  tags: ReadonlyMap<string, string[]>
}

interface Judged {
  /** The engine's full answer on a day (the overview's facts, a report's own last day). */
  judge: (day: IsoDate) => PersonCompliance[]
  /**
   * Who is in scope on a day and how each stands, all a trend's earlier term counts: the full
   * answer when that day is already judged, otherwise the engine's standing alone (about half
   * the work, the same standing).
   */
  standing: (day: IsoDate) => PersonCompliance[]
  /**
   * Which of these people the engine escalates for on a day: from the full answer when that day
   * is already judged, otherwise from the engine's full run for those people alone (each person is
   * judged on their own facts; a report's day needs no one else's breaches or escalations).
   */
  escalatedAmong: (day: IsoDate, personIds: readonly string[]) => Set<string>
}

/** The engine's answers on days for a school's data, each day judged once (and its standing at most once). */
function judgeOnDays(data: SchoolData, calendar: SchoolCalendar): Judged {
  const judged = new Map<IsoDate, PersonCompliance[]>()
  const standings = new Map<IsoDate, PersonCompliance[]>()
  const run = (day: IsoDate, standingOnly: boolean, people = data.people) =>
    assessCompliance({
      policy: data.book.versions,
      calendar,
      people,
      sessions: data.sessions,
      cancellations: data.cancellations,
      overrides: data.overrides,
      today: day,
      standingOnly,
    })
  return {
    judge: (day) => {
      let answer = judged.get(day)
      if (!answer) {
        answer = run(day, false)
        judged.set(day, answer)
        standings.delete(day)
      }
      return answer
    },
    standing: (day) => {
      let answer = judged.get(day) ?? standings.get(day)
      if (!answer) {
        answer = run(day, true)
        standings.set(day, answer)
      }
      return answer
    },
    escalatedAmong: (day, personIds) => {
      const wanted = new Set(personIds)
      const answer =
        judged.get(day) ??
        (wanted.size === 0
          ? []
          : run(
              day,
              false,
              data.people.filter((p) => wanted.has(p.id)),
            ))
      return new Set(answer.filter((c) => c.escalations.length > 0 && wanted.has(c.personId)).map((c) => c.personId))
    },
  }
}

/**
 * Reads a school's data once for reports on the given last days (and the terms before them, for
 * their trends). Throws NoPolicyError when the school has no policy. The engine judges every day
 * with the calendar as read for the latest of them (six years back and two ahead: the same dates).
 */
export async function reportSource(db: Db, schoolId: string, days: readonly IsoDate[]): Promise<ReportSource> {
  const last = [...days].sort().at(-1)!
  const [data, calendar] = await Promise.all([loadSchoolData(db, schoolId), schoolCalendar(db, schoolId, last)])
  if (data.book.versions.length === 0) throw new NoPolicyError('This school has no supervision policy yet')
  const from = days.map((day) => tagsFromFor(data.book, calendar, day)).sort()[0]!
  const tags = await recordTags(db, schoolId, from, last)
  return { data, tags, ...judgeOnDays(data, calendar) }
}

/** The school's data and the engine's answers kept for a change version (ADR 0051). */
interface VersionSource {
  key: string
  /** The policy book, read first: where the framework tags are read from depends on it. */
  book: Promise<PolicyBook>
  source: Promise<Omit<ReportSource, 'tags'> & { calendar: SchoolCalendar }>
}

/** At most this many schools' data are kept in a process, the least recently used dropped first. */
const keptSchools = 4
/** By database (tests open several), then by school. */
const sourcesByDb = new WeakMap<Db, Map<string, VersionSource>>()

/**
 * A school's data and the engine's answers by day, kept in this process for one change version
 * of the school (ADR 0051) and the day they were read on: the first view of another term at the
 * same version reads and judges nothing already judged. The version is read before the data (as
 * for the kept report, ADR 0009), so what is kept under a version is never older than it; any
 * change to what the report counts raises the version, and the next view reads afresh. Nothing
 * is shared between processes but the database, so every instance answers the same figures.
 */
function sourceAtVersion(
  db: Db,
  schoolId: string,
  version: number,
  today: IsoDate,
  /** The school's calendar as read for today (a change to it raises the version). */
  calendar: SchoolCalendar,
): VersionSource {
  const key = `${version}/${today}`
  let versionSources = sourcesByDb.get(db)
  if (!versionSources) {
    versionSources = new Map()
    sourcesByDb.set(db, versionSources)
  }
  const kept = versionSources.get(schoolId)
  if (kept?.key === key) {
    versionSources.delete(schoolId)
    versionSources.set(schoolId, kept)
    return kept
  }
  const book = policyBook(db, schoolId)
  const source = (async () => {
    const data = await loadSchoolData(db, schoolId, book)
    if (data.book.versions.length === 0) throw new NoPolicyError('This school has no supervision policy yet')
    return { data, calendar, ...judgeOnDays(data, calendar) }
  })()
  const read = { key, book, source }
  versionSources.delete(schoolId)
  versionSources.set(schoolId, read)
  while (versionSources.size > keptSchools) versionSources.delete(versionSources.keys().next().value!)
  // A read that fails is not kept: the next view tries again.
  const sources = versionSources
  source.catch(() => {
    if (sources.get(schoolId)?.source === source) sources.delete(schoolId)
  })
  book.catch(() => {})
  return read
}

/**
 * The report for a school and a period (`2026-27/autumn`, `2026-27`; the latest term begun when
 * none is given). Null when the period cannot be chosen. Throws NoPolicyError when the school has
 * no policy. A report is kept (migration 0029) for its last day and the school's change version,
 * as the overview is (ADR 0009): until something it counts changes, it is read, not worked out.
 */
export async function governorsReport(
  db: Db,
  school: OverviewSchool,
  today: IsoDate,
  periodId: string | undefined,
  /** The school's data already read by a caller reporting several periods (reportSource). */
  source?: ReportSource,
  /** False works the report out without keeping it (the warm-up at start, warmUpGovernorsReport). */
  { keep = true }: { keep?: boolean } = {},
): Promise<LoadedReport | null> {
  const calendar = await schoolCalendar(db, school.id, today)
  const period = chosenPeriod(calendar, today, periodId)
  if (!period) return null
  const asAt = asAtOf(period, today)
  const periods = reportPeriods(calendar, today)
  // The version is read before the facts (ADR 0009): a report is never kept under a newer version than its facts.
  const kept = await keptGovernorsReport(db, school.id, period.id, asAt)
  if (kept.report !== null) return { report: JSON.parse(kept.report) as GovernorsReport, periods }
  // The school's data and the engine's answers, read once for this change version (ADR 0051):
  // the first view of another term at the same version reads and judges nothing again. Every
  // read is asked for at once (on PostgreSQL the database works while the sessions are parsed
  // and judged here): the framework tags as soon as the policy book says from when.
  const versionSource = source ? null : sourceAtVersion(db, school.id, kept.version, today, calendar)
  const tagsRead =
    source?.tags ??
    versionSource!.book.then((book) => recordTags(db, school.id, tagsFromFor(book, calendar, asAt), asAt))
  const periodReads = Promise.all([
    contractsSignedBetween(db, school.id, period.start, asAt),
    escalationsBetween(db, school.id, period.start, asAt),
    caseEscalationsUpTo(db, school.id, asAt),
    sessionFocusesBetween(db, school.id, period.start, asAt),
  ])
  // Neither is left unheard when the other fails first.
  Promise.resolve(tagsRead).catch(() => {})
  periodReads.catch(() => {})
  const keptRead = versionSource ? await versionSource.source : null
  const read = source ?? keptRead!
  const tags = await tagsRead
  // One calendar object for the engine, the overview's facts and the report's figures: the
  // engine's working calendar is built once for it, not once for each (the same dates: a change
  // to the calendar raises the version the kept source is read for).
  // The report's own day is judged for its standing alone, as the trend's are: the report counts
  // nothing of the full answer but the escalations of the people escalated in the period, which
  // the engine works out for them alone (escalatedAmong).
  const inputs = await loadOverviewInputs(db, school, asAt, {
    workLists: false,
    data: read.data,
    tags,
    judge: read.standing,
    calendar: keptRead?.calendar ?? calendar,
  })
  const [contractsSigned, escalations, caseEscalations, sessionFocuses] = await periodReads
  const report = buildGovernorsReport({
    today,
    period,
    previous: previousPeriods(calendar, period),
    facts: inputs.facts,
    book: inputs.book,
    cancellations: inputs.cancellations,
    overrides: inputs.overrides,
    contractsSigned,
    escalations,
    caseEscalations,
    sessionFocuses,
    judge: read.standing,
    escalatedAmong: (personIds) => read.escalatedAmong(asAt, personIds),
  })
  if (keep)
    await keepGovernorsReport(db, school.id, {
      periodId: period.id,
      asAt,
      version: kept.version,
      report: JSON.stringify(report),
    })
  return { report, periods }
}

/**
 * Works out the reports of the latest term begun and of the three terms before it for the school
 * with the most sessions, from one read and keeping nothing (neither the reports nor the school's
 * data): a Haven just started has then run the code a first view runs (the engine, the report,
 * the reads and, on PGlite, the database's own code) before anyone asks, four times, so V8 has
 * optimised it (ADR 0056). `then` is given each report worked out (the page rendered from it).
 * The first view of any school still reads and judges its data. Returns the school's id, or null
 * when there is none with a policy.
 */
export async function warmUpGovernorsReport(
  db: Db,
  today: IsoDate,
  then: (school: OverviewSchool, loaded: LoadedReport) => void = () => {},
): Promise<string | null> {
  const school = await schoolToWarmUp(db)
  if (!school) return null
  const calendar = await schoolCalendar(db, school.id, today)
  const latest = chosenPeriod(calendar, today, undefined)
  if (!latest) return null
  // The latest term and its trend's three terms, newest first: the four runs of the code a first
  // view finds optimised by V8 (one run left the next view's code still half-compiled).
  const periods = [latest, ...previousPeriods(calendar, latest).reverse()]
  try {
    const source = await reportSource(
      db,
      school.id,
      periods.map((period) => asAtOf(period, today)),
    )
    for (const period of periods) {
      const loaded = await governorsReport(db, school, today, period.id, source, { keep: false })
      if (loaded) then(school, loaded)
    }
  } catch (error) {
    if (error instanceof NoPolicyError) return null
    throw error
  }
  return school.id
}

/** A download of the report (PDF or CSV): figures only, but who took it is kept. */
export async function recordReportExport(
  db: Db,
  input: { school: OverviewSchool; actorId: string; periodId: string; format: 'pdf' | 'csv' },
): Promise<void> {
  await recordAudit(db, {
    action: 'governors-report.export',
    subjectType: 'school',
    subjectId: input.school.id,
    actorId: input.actorId,
    organisationId: input.school.organisationId,
    schoolId: input.school.id,
    detail: { period: input.periodId, format: input.format },
  })
}

function hostOf(baseUrl: string): string | undefined {
  const host = new URL(baseUrl).hostname
  return /^[A-Za-z0-9.-]+$/.test(host) ? host : undefined
}

/**
 * Sends the report's link to the school's governors (the DSL or the headteacher asks), in one
 * transaction with its audit entry. The email holds the school, the period and the link: the
 * figures are read in Haven, after signing in. Returns how many governors it went to.
 */
export async function sendReportToGovernors(
  db: Db,
  input: { school: OverviewSchool; period: ReportPeriod; actorId: string; baseUrl: string; today: IsoDate },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const governors = await governorsOfSchool(trx, input.school.id, governorRoles, input.today)
    const link = `${input.baseUrl.replace(/\/$/, '')}${paths.governors.report({ period: input.period.id })}`
    for (const governor of governors) {
      await enqueueEmail(trx, {
        kind: 'governors.report',
        to: governor.email,
        subject: `Governors’ report on staff supervision: ${input.period.name}`,
        text: [
          `Dear ${governor.name},`,
          '',
          `The governors’ report on staff supervision at ${input.school.name} for ${input.period.name} is ready.`,
          '',
          `Read it in Haven (you will be asked to sign in):\n${link}`,
          '',
          'It holds figures only, never what was said in supervision; figures about fewer than 5 people are hidden.',
          '',
          'Haven: staff supervision for schools and trusts.',
        ].join('\n'),
        organisationId: input.school.organisationId,
        messageIdDomain: hostOf(input.baseUrl),
      })
    }
    await recordAudit(trx, {
      action: 'governors-report.sent',
      subjectType: 'school',
      subjectId: input.school.id,
      actorId: input.actorId,
      organisationId: input.school.organisationId,
      schoolId: input.school.id,
      detail: { period: input.period.id, recipients: governors.map((g) => g.id) },
    })
    return governors.length
  })
}
