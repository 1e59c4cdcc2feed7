/**
 * The inspection evidence pack (issue 16, item 3; ADR 34): which files one pack holds, for a school
 * and a date range, and the rules on the range. By default the pack holds metadata only (who,
 * when, which kind, which status: never what was said); record content is added only when the
 * DSL asks for it with a reason and confirms it (the service checks that and audits it). Pure.
 */
import { addDays, diffDays, formatLongDate, type IsoDate } from '../calendar/index.ts'

/** The longest range one pack covers, in days (four years: the three years of history kept, and the one running). */
export const longestRangeDays = 4 * 366

export interface PackRange {
  from: IsoDate
  to: IsoDate
}

export interface RangeProblem {
  field: 'from' | 'to'
  message: string
}

/** The range's problems, in the form's order; none when it can be packed on `today`. */
export function rangeProblems(range: PackRange, today: IsoDate): RangeProblem[] {
  const problems: RangeProblem[] = []
  if (range.to > today) problems.push({ field: 'to', message: 'End date must be today or in the past' })
  if (range.from > range.to)
    problems.push({ field: 'to', message: 'End date must be the same as or after the start date' })
  else if (diffDays(range.from, range.to) >= longestRangeDays)
    problems.push({ field: 'from', message: 'Start date must be no more than 4 years before the end date' })
  return problems
}

/** A term or a year of the governors' report, as far as the pack needs it. */
export interface PackPeriod {
  id: string
  kind: 'term' | 'year'
  name: string
  start: IsoDate
  end: IsoDate
}

/** The most terms a pack reports term by term; a longer range is reported year by year. */
export const mostTermReports = 3

/**
 * The governors' reports a pack holds, oldest first: one for each term that overlaps the range
 * and can be reported on (begun), when there are at most `mostTermReports`; for a longer range,
 * one for each academic year it overlaps (each report carries its own trend over the periods
 * before, so a year's report shows its terms' story without a report per term).
 */
export function periodsInRange(periods: readonly PackPeriod[], range: PackRange): PackPeriod[] {
  const overlapping = (kind: PackPeriod['kind']) =>
    periods
      .filter((p) => p.kind === kind && p.start <= range.to && p.end >= range.from)
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  const terms = overlapping('term')
  return terms.length <= mostTermReports ? terms : overlapping('year')
}

/** A policy version, as far as the pack needs it. */
export interface PackPolicyVersion {
  version: number
  effectiveFrom: IsoDate
}

/**
 * The versions in force at some time in the range, oldest first: the last to take effect on or
 * before its first day (or, before any took effect, the first), and every one taking effect in it.
 */
export function versionsInRange<V extends PackPolicyVersion>(versions: readonly V[], range: PackRange): V[] {
  const sorted = [...versions].sort((a, b) =>
    a.effectiveFrom !== b.effectiveFrom ? (a.effectiveFrom < b.effectiveFrom ? -1 : 1) : a.version - b.version,
  )
  const before = sorted.filter((v) => v.effectiveFrom <= range.from)
  const opening = before.at(-1) ?? sorted[0]
  return sorted.filter((v) => v === opening || (v.effectiveFrom > range.from && v.effectiveFrom <= range.to))
}

/** One file of the pack, before it is written: its path in the ZIP and what it holds, in words. */
export interface PlannedFile {
  path: string
  describes: string
}

export interface PackPlanInput {
  range: PackRange
  content: boolean
  /** The versions in force in the range (see versionsInRange). */
  versions: readonly PackPolicyVersion[]
  /** The governors' report periods (see periodsInRange). */
  periods: readonly Pick<PackPeriod, 'id' | 'name'>[]
}

export const manifestPath = 'manifest.json'
export const readmePath = 'README.txt'

/** The file name of a governors' report in the pack ('2026-27/autumn' -> '2026-27-autumn'). */
export function periodFileName(periodId: string): string {
  return periodId.replace(/[^0-9A-Za-z-]/g, '-')
}

/** A record's PDF in a pack with content: by the session's date, then the record's id (unique). */
export function recordFilePath(sessionDate: IsoDate, recordId: string): string {
  return `records/${sessionDate}-${recordId}.pdf`
}

/**
 * Every file of a pack, in the order written (the manifest last: it lists the others). Records'
 * PDFs (with content) are not listed one by one: `records/` says what they are.
 */
export function planPack(input: PackPlanInput): PlannedFile[] {
  const last = formatLongDate(input.range.to)
  const files: PlannedFile[] = [
    { path: readmePath, describes: 'What the pack is and what each file holds (this file).' },
    {
      path: 'policy/versions.csv',
      describes:
        'Every version of the school’s supervision policy, when each took effect, and whether it was in force in the period.',
    },
    ...input.versions.map((v) => ({
      path: `policy/version-${String(v.version)}.json`,
      describes: `Version ${String(v.version)} of the policy, in force from ${formatLongDate(v.effectiveFrom)}, as Haven holds it (JSON).`,
    })),
    {
      path: 'policy/summary.pdf',
      describes: `The policy in force on ${last} in plain English (PDF).`,
    },
    {
      path: 'people/in-scope.csv',
      describes: `Who must be supervised on ${last}, from when, and why (the rule of the policy, or a decision recorded for the person).`,
    },
    {
      path: 'people/compliance.csv',
      describes: `How each person in scope stood against the policy on ${last}: status, last session, next due, and breaches in the period.`,
    },
    {
      path: 'sessions/sessions.csv',
      describes:
        'Every supervision session dated in the period: date, kind, status (held, cancelled, did not attend, planned), who took part, and the state of its record.',
    },
    {
      path: 'sessions/cancellations.csv',
      describes:
        'Sessions in the period that did not take place: the reason, the rebooking deadline, when each was rebooked, and whether the deadline was met.',
    },
    {
      path: 'contracts/signed.csv',
      describes:
        'Supervision contracts signed by everyone in the period: supervisee, supervisor, academic year, issued and signed dates.',
    },
    {
      path: 'training/supervisors.csv',
      describes: `Training Haven holds for supervisors and designated safeguarding leads on ${last}, and when each supervisor was last supervised themselves.`,
    },
    ...input.periods.flatMap((p) => [
      {
        path: `governors/report-${periodFileName(p.id)}.pdf`,
        describes: `The governors’ report for ${p.name} (PDF): figures only, small numbers hidden.`,
      },
      {
        path: `governors/report-${periodFileName(p.id)}.csv`,
        describes: `The governors’ report for ${p.name}: the same figures as a spreadsheet.`,
      },
    ]),
  ]
  if (input.content)
    files.push({
      path: 'records/',
      describes:
        'What was written in each supervision record of a session in the period, one PDF for each record. Included at the DSL’s request; the request, its reason and each record are in the access trail.',
    })
  files.push({
    path: manifestPath,
    describes: 'Every other file of the pack with its size in bytes and its SHA-256 hash, to show nothing was changed.',
  })
  return files
}

/** The pack's README.txt: what it is, for which school and period, and what each file holds. */
export function readmeText(input: {
  schoolName: string
  range: PackRange
  content: boolean
  generatedOn: IsoDate
  files: readonly PlannedFile[]
}): string {
  const lines = [
    `Inspection evidence pack: staff supervision at ${input.schoolName}`,
    '',
    `Period: ${formatLongDate(input.range.from)} to ${formatLongDate(input.range.to)}.`,
    `Made by Haven on ${formatLongDate(input.generatedOn)}.`,
    '',
    input.content
      ? 'This pack holds what was written in supervision records, at the request of the designated safeguarding lead. Keep it as securely as the records themselves.'
      : 'This pack holds no record content: names, dates, kinds of supervision and statuses only, never what was said in supervision.',
    '',
    'Dates in the spreadsheets are written as YYYY-MM-DD. The SHA-256 hash of every file is in manifest.json.',
    '',
    'Files:',
    ...input.files.flatMap((f) => [`- ${f.path}`, `  ${f.describes}`]),
    '',
  ]
  return lines.join('\r\n')
}

/** The pack's file name: `evidence-pack-<school>-<from>-to-<to>.zip`. */
export function packFileName(schoolSlug: string, range: PackRange): string {
  const slug = schoolSlug.replace(/[^0-9A-Za-z-]/g, '-')
  return `evidence-pack-${slug}-${range.from}-to-${range.to}.zip`
}

/** The range of a default pack: the academic year (or term) running, up to today. */
export function defaultRange(today: IsoDate, yearStart: IsoDate | null): PackRange {
  return { from: yearStart !== null && yearStart <= today ? yearStart : addDays(today, -364), to: today }
}
