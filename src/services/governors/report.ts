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
  sessionFocusesBetween,
} from '../../db/repositories/governors.ts'
import { governorRoles } from '../../domain/access/permissions.ts'
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
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { loadOverviewInputs, type OverviewSchool } from '../overview/facts.ts'

export type OverviewInputs = Awaited<ReturnType<typeof loadOverviewInputs>>

export interface LoadedReport {
  report: GovernorsReport
  /** The periods that can be chosen, newest first. */
  periods: ReportPeriod[]
}

/**
 * The report for a school and a period (`2026-27/autumn`, `2026-27`; the latest term begun when
 * none is given). Null when the period cannot be chosen. Throws NoPolicyError when the school has
 * no policy.
 */
export async function governorsReport(
  db: Db,
  school: OverviewSchool,
  today: IsoDate,
  periodId: string | undefined,
  /**
   * The overview's inputs already loaded (without work lists) for a day, by a caller that read them
   * anyway (the evidence pack): used when the period is reported up to that day, not read again.
   */
  preloaded?: { asAt: IsoDate; inputs: OverviewInputs },
): Promise<LoadedReport | null> {
  const calendar = await schoolCalendar(db, school.id, today)
  const period = chosenPeriod(calendar, today, periodId)
  if (!period) return null
  const asAt = asAtOf(period, today)
  const [inputs, contractsSigned, escalations, caseEscalations, sessionFocuses] = await Promise.all([
    preloaded?.asAt === asAt ? preloaded.inputs : loadOverviewInputs(db, school, asAt, { workLists: false }),
    contractsSignedBetween(db, school.id, period.start, asAt),
    escalationsBetween(db, school.id, period.start, asAt),
    caseEscalationsUpTo(db, school.id, asAt),
    sessionFocusesBetween(db, school.id, period.start, asAt),
  ])
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
  })
  return { report, periods: reportPeriods(calendar, today) }
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
