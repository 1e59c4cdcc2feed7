/**
 * The inspection evidence pack (issue 16, item 3; ADR 34): the DSL or the headteacher chooses a
 * period and downloads one ZIP for the school, streamed as it is made. By default it holds
 * metadata only. Record content needs the DSL's permission, a reason, and a second step where
 * they confirm it; the pack is then recorded and audited before a byte is sent. Anyone else who
 * asks for content is refused. Handlers parse, call the service, and render or stream. On
 * PostgreSQL the pack is made in a process of its own (ADR 53).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../domain/access/permissions.ts'
import { formatLongDate, type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import { defaultRange, type PackRange, rangeProblems } from '../../domain/evidence-pack/index.ts'
import { reportPeriods } from '../../domain/governors/index.ts'
import { datePartsOf } from '../../forms/date-input.ts'
import { type FormErrors, noErrors } from '../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { schoolCalendar } from '../../services/calendar/store.ts'
import { NoPolicyError } from '../../services/compliance/school-compliance.ts'
import { startEvidencePackApart } from '../../services/evidence-pack/apart.ts'
import { type PackRequest, startEvidencePack } from '../../services/evidence-pack/pack.ts'
import { type OverviewSchool, overviewSchoolFor } from '../../services/overview/overview.ts'
import { confirmForm, packForm, reasonLimit } from './forms.ts'

const read = { access: { permission: Permission.EvidencePackRead } }
const content = { access: { permission: Permission.EvidencePackContent } }

interface Where {
  school: OverviewSchool
  choices: OverviewSchool[]
}

function today(req: FastifyRequest): IsoDate {
  return londonDateOf(req.server.clock())
}

const dateHrefs = { from: 'from-day', to: 'to-day' }

function mayAddContent(req: FastifyRequest, where: Where): boolean {
  return can(req.actor!.in(where.school.id), Permission.EvidencePackContent)
}

function pageContext(req: FastifyRequest, where: Where, values: Record<string, unknown>) {
  return {
    pageTitle: 'Inspection evidence pack',
    where,
    values,
    mayAddContent: mayAddContent(req, where),
    reasonLimit,
  }
}

async function defaultValues(req: FastifyRequest, where: Where) {
  const day = today(req)
  const calendar = await schoolCalendar(req.server.db, where.school.id, day)
  const year = reportPeriods(calendar, day).find((p) => p.kind === 'year')
  const range = defaultRange(day, year?.start ?? null)
  return { from: datePartsOf(range.from), to: datePartsOf(range.to), holds: 'metadata', reason: '' }
}

/** The pack streamed as the response, or the page saying the school has no policy. */
async function sendPack(
  req: FastifyRequest,
  reply: FastifyReply,
  where: Where,
  range: PackRange,
  reason: string | null,
) {
  const request: PackRequest = {
    school: where.school,
    range,
    actorId: req.actor!.personId,
    ip: req.ip,
    today: today(req),
    now: req.server.clock(),
    content: reason === null ? null : { reason },
  }
  // On PostgreSQL the pack is made in a process of its own (ADR 53); PGlite, which one process
  // opens, makes it here.
  const { database } = req.server
  try {
    const pack =
      database.kind === 'postgres' && database.url
        ? await startEvidencePackApart(database.url, request)
        : await startEvidencePack(database.db, request)
    pack.done.catch((error: unknown) =>
      req.log.error(
        { err: error instanceof Error ? { name: error.name, message: error.message } : {} },
        'evidence pack failed',
      ),
    )
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${pack.fileName}"`)
      .header('cache-control', 'no-store')
      .send(pack.stream)
  } catch (error) {
    if (error instanceof NoPolicyError)
      return reply
        .code(409)
        .view('evidence-pack/views/no-policy.njk', { pageTitle: 'Inspection evidence pack', school: where.school })
    throw error
  }
}

const evidencePackRoutes: FastifyPluginAsync = async (app) => {
  const locate = (req: FastifyRequest, slug: string | undefined) =>
    overviewSchoolFor(app.db, req.actor!, slug || undefined)

  app.get<{ Querystring: { school?: string } }>(
    paths.evidencePack.index.pattern,
    { config: read },
    async (req, reply) => {
      const where = await locate(req, req.query.school)
      if (!where) return renderNotFound(req, reply)
      return reply.view('evidence-pack/views/pack.njk', pageContext(req, where, await defaultValues(req, where)))
    },
  )

  app.post(paths.evidencePack.index.pattern, { config: read }, async (req, reply) => {
    const parsed = parseForm(packForm, req.body, dateHrefs)
    const body = (req.body ?? {}) as Record<string, unknown>
    const where = await locate(req, typeof body.school === 'string' ? body.school : undefined)
    if (!where) return renderNotFound(req, reply)
    const typed = {
      from: { day: body['from-day'], month: body['from-month'], year: body['from-year'] },
      to: { day: body['to-day'], month: body['to-month'], year: body['to-year'] },
      holds: body.holds === 'content' ? 'content' : 'metadata',
      reason: typeof body.reason === 'string' ? body.reason : '',
    }
    const invalid = (errors: FormErrors) =>
      renderInvalid(reply, 'evidence-pack/views/pack.njk', pageContext(req, where, typed), errors)
    if (!parsed.ok) return invalid(parsed.errors)
    const { from, to, holds, reason } = parsed.value
    const range = { from: from!, to: to! }
    const problems = rangeProblems(range, today(req))
    if (problems.length > 0) return invalid(problemErrors(problems, dateHrefs))
    if (holds === 'metadata') return sendPack(req, reply, where, range, null)
    // Record content: the DSL only; anyone else is refused, whatever the form says.
    if (!mayAddContent(req, where)) return renderClientError(reply, 403)
    if (reason === '')
      return invalid(
        problemErrors([{ field: 'reason', message: 'Enter why you need what was written in the records' }]),
      )
    return reply.view('evidence-pack/views/confirm.njk', confirmContext(where, range, reason, noErrors))
  })

  app.post(paths.evidencePack.content.pattern, { config: content }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const where = await locate(req, typeof body.school === 'string' ? body.school : undefined)
    if (!where) return renderNotFound(req, reply)
    const parsed = parseForm(confirmForm, req.body)
    if (!parsed.ok) {
      const from = typeof body.from === 'string' ? body.from : ''
      const to = typeof body.to === 'string' ? body.to : ''
      const reason = typeof body.reason === 'string' ? body.reason : ''
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || reason.trim() === '')
        return renderClientError(reply, 400)
      return renderInvalid(
        reply,
        'evidence-pack/views/confirm.njk',
        confirmContext(where, { from, to }, reason, parsed.errors),
        parsed.errors,
      )
    }
    const range = { from: parsed.value.from, to: parsed.value.to }
    if (rangeProblems(range, today(req)).length > 0) return renderClientError(reply, 400)
    return sendPack(req, reply, where, range, parsed.value.reason)
  })
}

function confirmContext(where: Where, range: PackRange, reason: string, errors: FormErrors) {
  return {
    pageTitle: 'Confirm you need what was written in the records',
    where,
    range,
    period: `${formatLongDate(range.from)} to ${formatLongDate(range.to)}`,
    reason,
    errors,
  }
}

export default evidencePackRoutes
