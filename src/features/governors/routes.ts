/**
 * The governors' termly report (issue 16): a page, an accessible tagged PDF and a CSV file of
 * content-blind figures for a term or a year, small numbers hidden; and, for the DSL and the
 * headteacher, sending its link to the school's governors. Governors (chair of governors,
 * safeguarding governor) see this and nothing else (plugins/auth.ts). Handlers parse, call the
 * service, and render.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../db/database.ts'
import { can, Permission } from '../../domain/access/permissions.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import {
  type GovernorsReport,
  hiddenExplained,
  inWords,
  reportCsvRows,
  reportTables,
} from '../../domain/governors/index.ts'
import { toCsv } from '../../domain/overview/index.ts'
import { parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { paths, queryString } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { viewEnvironment } from '../../plugins/view.ts'
import { NoPolicyError } from '../../services/compliance/school-compliance.ts'
import { governorsReportPdf } from '../../services/governors/pdf.ts'
import {
  governorsReport,
  type LoadedReport,
  recordReportExport,
  sendReportToGovernors,
  warmUpGovernorsReport,
} from '../../services/governors/report.ts'
import { type OverviewSchool, overviewSchoolFor } from '../../services/overview/overview.ts'
import { sendReportForm } from './forms.ts'

const read = { access: { permission: Permission.GovernorsReportRead } }
const send = { access: { permission: Permission.GovernorsReportSend } }

type Query = { Querystring: { period?: string; school?: string; sent?: string } }

function today(req: FastifyRequest): IsoDate {
  return londonDateOf(req.server.clock())
}

interface Where {
  school: OverviewSchool
  choices: OverviewSchool[]
}

async function locate(req: FastifyRequest, slug: string | undefined): Promise<Where | null> {
  return overviewSchoolFor(req.server.db, req.actor!, slug)
}

/** The report, or the page saying why there is none (no policy; a period that cannot be chosen). */
async function withReport(
  req: FastifyRequest,
  reply: FastifyReply,
  query: { period?: string; school?: string },
  then: (where: Where, loaded: LoadedReport) => Promise<FastifyReply> | FastifyReply,
) {
  const where = await locate(req, query.school)
  if (!where) return renderNotFound(req, reply)
  try {
    const loaded = await governorsReport(req.server.db, where.school, today(req), query.period)
    if (!loaded) return renderNotFound(req, reply)
    return await then(where, loaded)
  } catch (error) {
    if (error instanceof NoPolicyError)
      return reply.view('governors/views/no-policy.njk', { pageTitle: 'Governors’ report', school: where.school })
    throw error
  }
}

function pageContext(req: FastifyRequest, where: Where, loaded: LoadedReport, sent: number | null) {
  const actor = req.actor!.in(where.school.id)
  return reportPageContext(where, loaded, sent, {
    canSend: can(actor, Permission.GovernorsReportSend),
    canOpenPack: can(actor, Permission.EvidencePackRead),
  })
}

/** The report page's context: what the handler renders, and the warm-up at start (warmUpGovernors). */
function reportPageContext(
  where: Where,
  loaded: LoadedReport,
  sent: number | null,
  { canSend, canOpenPack }: { canSend: boolean; canOpenPack: boolean },
) {
  const { report } = loaded
  const query = {
    period: report.period.id,
    school: where.choices.length > 0 ? where.school.slug : undefined,
  }
  return {
    pageTitle: `Governors’ report: ${report.period.name}`,
    report,
    tables: reportTables(report, inWords),
    hiddenExplained,
    where,
    periods: loaded.periods,
    canSend,
    packHref: canOpenPack
      ? paths.evidencePack.index(where.choices.length > 0 ? { school: where.school.slug } : {})
      : null,
    sent,
    pdfHref: paths.governors.reportPdf(query),
    csvHref: paths.governors.reportCsv(query),
  }
}

const reportPage = 'governors/views/report.njk'

/**
 * Before Haven takes requests (src/server.ts, ADR 0056): the governors' report worked out for the
 * school with the most sessions, nothing kept (warmUpGovernorsReport), and its page rendered by
 * the handler's own context and template, with everything a DSL sees on it, and thrown away: no
 * request, no session, nothing written. The first view after start then finds the page's code
 * run as well as the report's. Returns the school's id (null when none has a policy) and how
 * many pages were rendered.
 */
export async function warmUpGovernors(db: Db, today: IsoDate): Promise<{ schoolId: string | null; pages: number }> {
  let pages = 0
  const schoolId = await warmUpGovernorsReport(db, today, (school, loaded) => {
    viewEnvironment().render(
      reportPage,
      reportPageContext({ school, choices: [] }, loaded, null, { canSend: true, canOpenPack: true }),
    )
    pages++
  })
  return { schoolId, pages }
}

function fileName(school: OverviewSchool, periodId: string, extension: string): string {
  return `governors-report-${school.slug}-${periodId.replace('/', '-')}.${extension}`
}

/** A download of the report, in the audit log (who, which period, which format). */
async function download(
  req: FastifyRequest,
  reply: FastifyReply,
  where: Where,
  report: GovernorsReport,
  format: 'pdf' | 'csv',
  body: Buffer | string,
) {
  await recordReportExport(req.server.db, {
    school: where.school,
    actorId: req.actor!.personId,
    periodId: report.period.id,
    format,
  })
  return reply
    .type(format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName(where.school, report.period.id, format)}"`)
    .send(body)
}

const governorsRoutes: FastifyPluginAsync = async (app) => {
  app.get<Query>(paths.governors.report.pattern, { config: read }, (req, reply) =>
    withReport(req, reply, req.query, (where, loaded) => {
      const sent = req.query.sent !== undefined && /^\d{1,4}$/.test(req.query.sent) ? Number(req.query.sent) : null
      return reply.view(reportPage, pageContext(req, where, loaded, sent))
    }),
  )

  app.get<Query>(paths.governors.reportPdf.pattern, { config: read }, (req, reply) =>
    withReport(req, reply, req.query, async (where, { report }) =>
      download(req, reply, where, report, 'pdf', await governorsReportPdf(report, req.server.clock())),
    ),
  )

  app.get<Query>(paths.governors.reportCsv.pattern, { config: read }, (req, reply) =>
    withReport(req, reply, req.query, (where, { report }) => {
      const { head, rows } = reportCsvRows(report)
      return download(req, reply, where, report, 'csv', toCsv(head, rows))
    }),
  )

  app.post(paths.governors.send.pattern, { config: send }, async (req, reply) => {
    const parsed = parseForm(sendReportForm, req.body)
    const slug = parsed.ok ? parsed.value.school || undefined : undefined
    const period = parsed.ok ? parsed.value.period : undefined
    return withReport(req, reply, { period, school: slug }, async (where, loaded) => {
      if (!parsed.ok) {
        return renderInvalid(reply, reportPage, pageContext(req, where, loaded, null), parsed.errors)
      }
      const count = await sendReportToGovernors(app.db, {
        school: where.school,
        period: loaded.report.period,
        actorId: req.actor!.personId,
        baseUrl: app.config.baseUrl,
        today: today(req),
      })
      if (count === 0) {
        return renderInvalid(
          reply,
          reportPage,
          pageContext(req, where, loaded, null),
          problemErrors([
            {
              field: 'send',
              message:
                'There is no governor to send it to: give a governor of the school the chair of governors or safeguarding governor role',
            },
          ]),
        )
      }
      const query = queryString({
        period: loaded.report.period.id,
        school: where.choices.length > 0 ? where.school.slug : undefined,
        sent: count,
      })
      return reply.redirect(`${paths.governors.report()}?${query}`)
    })
  })
}

export default governorsRoutes
