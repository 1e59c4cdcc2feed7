/**
 * The DSL's overview (issue 9): how the school stands against its own policy, at a glance. The
 * overview page shows the figures (each a link to the list behind it), a chart of people in scope
 * by status with its table; each list is a page and a CSV file; the balance of functions (LH-02,
 * AM-01, PL-01) and supervisor load pages have their own charts and tables.
 *
 * Everyone with compliance.read sees it. The headteacher (compliance.read without sensitive
 * access) gets the general view (MW-10): figures, staff names and statuses, no record content and
 * never the additional-support flag. Handlers parse, call the service, and render.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { type Actor, can, Permission } from '../../domain/access/permissions.ts'
import { canSeeAllAdditionalSupport } from '../../domain/access/sensitive.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import { barChartSvg, type Overview, toCsv } from '../../domain/overview/index.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { decisionsPending } from '../../services/children/decisions.ts'
import { NoPolicyError } from '../../services/compliance/school-compliance.ts'
import { openCaseEscalationCount } from '../../services/escalations/case-escalations.ts'
import {
  actionWording,
  additionalSupportIds,
  type OverviewSchool,
  overviewSchoolFor,
  overviewSummaryFor,
  overviewWithLists,
  recordOverviewExport,
} from '../../services/overview/overview.ts'
import { type Located, located, panelGroups } from './home.ts'
import {
  balanceCsv,
  balanceTables,
  type Extras,
  ListSlug,
  listPage,
  listSlugs,
  loadTable,
  statusChart,
  type Viewer,
} from './presenters.ts'

const read = { access: { permission: Permission.ComplianceRead } }

type Query = { Querystring: { school?: string } }

/** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
function today(req: FastifyRequest): IsoDate {
  return londonDateOf(req.server.clock())
}

/**
 * What the viewer may see on the overview. The trust's central team (no school of their own) reads
 * an academy's overview content-blind, as it reaches it from the trust rollup (issue 16): never
 * the wording of actions.
 */
export function viewerOf(actor: Actor & { schoolId?: string | null }): Viewer {
  const general = !canSeeAllAdditionalSupport(actor)
  return {
    general,
    sensitive: !general,
    content: !general && can(actor, Permission.RecordsReadAll) && actor.schoolId !== null,
    contracts: can(actor, Permission.ContractsManage),
  }
}

async function locate(req: FastifyRequest<Query>): Promise<Located | null> {
  const found = await overviewSchoolFor(req.server.db, req.actor!, req.query.school)
  return found ? located(found) : null
}

function noPolicy(reply: FastifyReply, located: Located) {
  return reply.view('overview/views/no-policy.njk', { pageTitle: 'Overview', school: located.school })
}

function sendCsv(req: FastifyRequest, reply: FastifyReply, school: OverviewSchool, name: string, csv: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${school.slug}-${today(req)}.csv"`)
    .send(csv)
}

async function withOverview(
  req: FastifyRequest<Query>,
  reply: FastifyReply,
  then: (located: Located, overview: Overview) => Promise<FastifyReply> | FastifyReply,
) {
  const located = await locate(req)
  if (!located) return renderNotFound(req, reply)
  try {
    const overview = await overviewWithLists(req.server.db, located.school, today(req))
    return await then(located, overview)
  } catch (error) {
    if (error instanceof NoPolicyError) return noPolicy(reply, located)
    throw error
  }
}

async function extrasFor(
  req: FastifyRequest,
  school: OverviewSchool,
  viewer: Viewer,
  overview: Overview,
  slug: string,
): Promise<Extras> {
  const db = req.server.db
  const actions =
    slug === ListSlug.OverdueActions
      ? overview.lists.overdueActions
      : slug === ListSlug.DriftingActions
        ? overview.lists.driftingActions
        : []
  const [additionalSupport, wording] = await Promise.all([
    viewer.sensitive ? additionalSupportIds(db, school.id) : Promise.resolve(new Set<string>()),
    viewer.content && actions.length > 0
      ? actionWording(
          db,
          school.id,
          actions.map((a) => a.id),
        )
      : Promise.resolve(new Map<string, string>()),
  ])
  return { additionalSupport, actionWording: wording }
}

const overviewRoutes: FastifyPluginAsync = async (app) => {
  app.get<Query>(paths.overview.index.pattern, { config: read }, async (req, reply) => {
    let found: Awaited<ReturnType<typeof overviewSummaryFor>>
    try {
      found = await overviewSummaryFor(app.db, req.actor!, req.query.school, today(req))
    } catch (error) {
      if (!(error instanceof NoPolicyError)) throw error
      const where = await locate(req)
      return where ? noPolicy(reply, where) : renderNotFound(req, reply)
    }
    if (!found) return renderNotFound(req, reply)
    const { summary } = found
    const where = located(found)
    // X-07 (issue 15): decisions about children not yet on their records; the queue is the DSL's.
    // LH-10: the DSL sees how many case escalations are open. Both read side by side (issue 16).
    // For the person's own school both were counted with the figures, in the same query.
    const isDsl = req.actor!.rolesIn(summary.school.id).includes('dsl')
    const [pending, openCaseEscalations] = found.counts
      ? [found.counts.decisionsPending, isDsl ? found.counts.openCaseEscalations : null]
      : await Promise.all([
          decisionsPending(app.db, where.school.id),
          isDsl ? openCaseEscalationCount(app.db, summary.school.id) : Promise.resolve(null),
        ])
    const context = {
      pageTitle: 'Overview',
      decisionsPending: {
        count: pending,
        href: can(req.actor!.in(where.school.id), Permission.RecordsReadAll)
          ? paths.children.decisions({ school: where.choices.length > 0 ? where.school.slug : undefined })
          : null,
      },
      // Issue 15: the DSL reviews what is due for removal under the retention policy.
      retentionHref: can(req.actor!.in(where.school.id), Permission.RecordsReadAll)
        ? paths.retention.review({ school: where.choices.length > 0 ? where.school.slug : undefined })
        : null,
      viewer: viewerOf(req.actor!),
      located: where,
      // LH-10: the DSL sees how many case escalations are open, with a link to them.
      openCaseEscalations,
    }
    // What follows from the figures alone: named by the school, its change version and the day.
    const fromFigures = () => ({ summary, groups: panelGroups(summary), chart: statusChart(summary) })
    // The same figures and the same page around them render the same page: kept (ADR 0054).
    if (found.figuresKey)
      return reply.viewKept(`${found.figuresKey}\n${JSON.stringify(context)}`, 'overview/views/overview.njk', () => ({
        ...context,
        ...fromFigures(),
      }))
    return reply.view('overview/views/overview.njk', { ...context, ...fromFigures() })
  })

  for (const slug of listSlugs) {
    app.get<Query>(paths.overview.list(slug), { config: read }, (req, reply) =>
      withOverview(req, reply, async (located, overview) => {
        const viewer = viewerOf(req.actor!)
        const page = listPage(slug, overview, viewer, await extrasFor(req, located.school, viewer, overview, slug))!
        return reply.view('overview/views/list.njk', {
          pageTitle: page.title,
          page,
          located,
          count: page.table.rows.length,
          backLink: { href: paths.overview.index(located.schoolQuery), text: 'Back to the overview' },
        })
      }),
    )
    app.get<Query>(paths.overview.listCsv(slug), { config: read }, (req, reply) =>
      withOverview(req, reply, async (located, overview) => {
        const viewer = viewerOf(req.actor!)
        const page = listPage(slug, overview, viewer, await extrasFor(req, located.school, viewer, overview, slug))!
        await recordOverviewExport(app.db, {
          school: located.school,
          actorId: req.actor!.personId,
          list: slug,
          rows: page.table.csvRows.length,
          content: viewer.content && (slug === ListSlug.OverdueActions || slug === ListSlug.DriftingActions),
          additionalSupport: page.table.csvHead.includes('Needs additional support'),
        })
        return sendCsv(req, reply, located.school, slug, toCsv(page.table.csvHead, page.table.csvRows))
      }),
    )
  }

  // LH-02, AM-01, PL-01: the balance of functions.
  app.get<{ Querystring: { school?: string; view?: string } }>(
    paths.overview.balance.pattern,
    { config: read },
    (req, reply) =>
      withOverview(req, reply, (located, overview) => {
        const viewer = viewerOf(req.actor!)
        const perTerm = req.query.view === 'term'
        const joiner = located.schoolQuery === '' ? '?' : '&'
        const frameworks = balanceTables(overview, viewer).map((f) => ({
          ...f,
          chart: barChartSvg({
            id: `balance-${f.id}`,
            title: `${f.name}: supervisees whose sessions covered each, in the last ${f.lookback}`,
            description: f.totals.csvRows.map((r) => `${r[0]}: ${r[1]}`).join('; '),
            unit: { one: 'supervisee', many: 'supervisees' },
            bars: f.totals.csvRows.map((r) => ({ label: String(r[0]), value: Number(r[1]) })),
          }),
        }))
        return reply.view('overview/views/balance.njk', {
          pageTitle: 'Balance of functions',
          frameworks,
          perTerm,
          wholeHref: `${paths.overview.balance()}${located.schoolQuery}`,
          termHref: `${paths.overview.balance()}${located.schoolQuery}${joiner}view=term`,
          viewer,
          located,
          backLink: { href: paths.overview.index(located.schoolQuery), text: 'Back to the overview' },
        })
      }),
  )
  app.get<Query>(paths.overview.balanceCsv.pattern, { config: read }, (req, reply) =>
    withOverview(req, reply, async (located, overview) => {
      const { head, rows } = balanceCsv(overview, viewerOf(req.actor!))
      await recordOverviewExport(app.db, {
        school: located.school,
        actorId: req.actor!.personId,
        list: 'balance',
        rows: rows.length,
        content: false,
        additionalSupport: false,
      })
      return sendCsv(req, reply, located.school, 'balance-of-functions', toCsv(head, rows))
    }),
  )

  // Supervisor load: sessions per supervisor per half term.
  app.get<Query>(paths.overview.supervisorLoad.pattern, { config: read }, (req, reply) =>
    withOverview(req, reply, (located, overview) =>
      reply.view('overview/views/load.njk', {
        pageTitle: 'Supervisor load',
        load: loadTable(overview),
        academicYear: overview.lists.load.academicYear,
        located,
        backLink: { href: paths.overview.index(located.schoolQuery), text: 'Back to the overview' },
      }),
    ),
  )
  app.get<Query>(paths.overview.supervisorLoadCsv.pattern, { config: read }, (req, reply) =>
    withOverview(req, reply, async (located, overview) => {
      const { table } = loadTable(overview)
      await recordOverviewExport(app.db, {
        school: located.school,
        actorId: req.actor!.personId,
        list: 'supervisor-load',
        rows: table.csvRows.length,
        content: false,
        additionalSupport: false,
      })
      return sendCsv(req, reply, located.school, 'supervisor-load', toCsv(table.csvHead, table.csvRows))
    }),
  )
}

export default overviewRoutes
