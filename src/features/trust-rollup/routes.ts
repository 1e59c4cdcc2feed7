/**
 * The trust rollup (issue 16, item 2; ADR 0033), for the trust's central safeguarding team only:
 * every academy side by side for a term against the term before, sortable by any column with
 * links (no JavaScript needed), academies below the trust's threshold flagged, each academy's
 * name a link to its overview (content-blind for the central team). And the form that sets the
 * threshold. Handlers parse, call the service, and render or redirect.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { readsTrustRollup } from '../../domain/access/schools.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import { asAtOf } from '../../domain/governors/index.ts'
import { parseSort } from '../../domain/trust/rollup.ts'
import { parseForm, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { type LoadedRollup, setTrustThreshold, trustRollup, trustThreshold } from '../../services/trust/rollup.ts'
import { thresholdForm } from './forms.ts'
import { rollupTable } from './presenters.ts'

const read = { access: { permission: Permission.ComplianceRead } }

type Query = { Querystring: { period?: string; sort?: string; order?: string; saved?: string } }

function today(req: FastifyRequest): IsoDate {
  return londonDateOf(req.server.clock())
}

/** Only the trust's central safeguarding team: everyone else is refused (deny by default). */
function refuseUnlessTrustLead(req: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  if (readsTrustRollup(req.actor!)) return null
  return renderClientError(reply, 403, {
    heading: 'You do not have permission to see this page',
    paragraphs: ['The trust’s figures for every academy are for the trust’s central safeguarding team.'],
  })
}

function pageContext(loaded: LoadedRollup, day: IsoDate, saved: boolean) {
  return {
    asAt: asAtOf(loaded.period, day),
    pageTitle: `Academies side by side: ${loaded.period.name}`,
    loaded,
    table: rollupTable(loaded),
    saved,
  }
}

const trustRollupRoutes: FastifyPluginAsync = async (app) => {
  app.get<Query>(paths.trustRollup.index.pattern, { config: read }, async (req, reply) => {
    const refused = refuseUnlessTrustLead(req, reply)
    if (refused) return refused
    const period = typeof req.query.period === 'string' ? req.query.period : undefined
    const loaded = await trustRollup(
      app.db,
      req.actor!.organisationId,
      today(req),
      period,
      parseSort(req.query.sort, req.query.order),
      { now: req.server.clock(), waitMs: app.config.rollupWaitMs },
    )
    if (!loaded) return renderNotFound(req, reply)
    return reply.view('trust-rollup/views/rollup.njk', pageContext(loaded, today(req), req.query.saved === 'threshold'))
  })

  app.get(paths.trustRollup.threshold.pattern, { config: read }, async (req, reply) => {
    const refused = refuseUnlessTrustLead(req, reply)
    if (refused) return refused
    const threshold = await trustThreshold(app.db, req.actor!.organisationId)
    return renderForm(reply, 'trust-rollup/views/threshold.njk', {
      pageTitle: 'When to flag an academy',
      values: { threshold: String(threshold) },
    })
  })

  app.post(paths.trustRollup.threshold.pattern, { config: read }, async (req, reply) => {
    const refused = refuseUnlessTrustLead(req, reply)
    if (refused) return refused
    const parsed = parseForm(thresholdForm, req.body)
    if (!parsed.ok) {
      const typed = (req.body as Record<string, unknown> | undefined)?.threshold
      return renderForm(
        reply,
        'trust-rollup/views/threshold.njk',
        { pageTitle: 'When to flag an academy', values: { threshold: typeof typed === 'string' ? typed : '' } },
        parsed.errors,
      )
    }
    await setTrustThreshold(app.db, {
      organisationId: req.actor!.organisationId,
      thresholdPercent: parsed.value.threshold,
      actorId: req.actor!.personId,
    })
    return reply.redirect(paths.trustRollup.index({ saved: 'threshold' }), 303)
  })
}

export default trustRollupRoutes
