/** Publish the draft as the policy's next version, from a date; refused while it has problems. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatLongDate } from '../../../../domain/calendar/index.ts'
import { isRealIsoDate } from '../../../../domain/people/person-rules.ts'
import { changesByPart, diffPolicies } from '../../../../domain/policy/diff.ts'
import type { PolicyConsultation, PolicyDocument } from '../../../../domain/policy/index.ts'
import { consultationProblem } from '../../../../domain/policy/lifecycle.ts'
import { datePartsFrom } from '../../../../forms/date-input.ts'
import { parseForm } from '../../../../forms/form.ts'
import { publishDraft } from '../../../../services/policy/drafts.ts'
import { draftVersionOf, effectiveFromHrefs, effectiveFromSchema } from '../../forms.ts'
import { today } from '../../school.ts'
import { locateProblem, problemsOf } from '../pages.ts'
import { editorCrumbs } from '../presenters.ts'
import type { EditorTarget } from '../target.ts'
import { type Context, conflictMessage, contextFor, manage, viewBase } from './shared.ts'

/**
 * What the draft changes against the version in force today (issue 14), grouped by section; with
 * the version it is compared with, and a later version already scheduled, if there is one.
 */
async function changesOf(req: FastifyRequest, ctx: Context) {
  if (!ctx.copy.draft) return null
  const book = await ctx.target.versions(req, ctx.owner)
  const inForce = book.on(today(req))
  const latest = book.latest
  if (!inForce || !latest) return null
  return {
    version: inForce.version,
    effectiveFrom: formatLongDate(inForce.effectiveFrom),
    scheduled:
      latest.version !== inForce.version
        ? { version: latest.version, effectiveFrom: formatLongDate(latest.effectiveFrom) }
        : null,
    parts: changesByPart(diffPolicies(inForce, ctx.copy.document)),
  }
}

/** The draft's staff consultation (issue 14), when it has one with a real date. */
function consultationOf(document: PolicyDocument): PolicyConsultation | null {
  const consultation = document.metadata?.consultation
  return consultation && typeof consultation.consultedOn === 'string' && isRealIsoDate(consultation.consultedOn)
    ? consultation
    : null
}

async function renderPublish(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: Context,
  extra: {
    status?: number
    date?: { day: string; month: string; year: string }
    dateError?: string | null
    conflict?: boolean
  } = {},
) {
  const { copy } = ctx
  const problems = problemsOf(copy.document)
  const located = problems.map((p) => {
    const where = locateProblem(copy.document, p, ctx.target.paths)
    return { ...p, sectionTitle: where.section.title, href: where.href }
  })
  const errors = extra.conflict
    ? { fields: {}, summary: [{ text: conflictMessage, href: '#publish-form' }] }
    : extra.dateError
      ? {
          fields: { effectiveFrom: { text: extra.dateError } },
          summary: [{ text: extra.dateError, href: '#effectiveFrom-day' }],
        }
      : problems.length > 0 && copy.draft
        ? {
            fields: {},
            summary: located.map((p) => ({ text: `${p.sectionTitle}: ${p.message}`, href: p.href })),
          }
        : { fields: {}, summary: [] }
  // A draft may hold what it cannot yet publish: the consultation is shown only when its date is real.
  const consultation = consultationOf(copy.document)
  return reply.code(extra.status ?? 200).view('policy/views/editor/publish.njk', {
    pageTitle: 'Publish the policy',
    ...viewBase(ctx),
    breadcrumbs: editorCrumbs(ctx.target),
    hasDraft: copy.draft !== null,
    draftVersion: copy.draftVersion,
    problems: located,
    nextVersion: copy.latestVersion + 1,
    latestVersion: copy.latestVersion,
    latestEffectiveFrom: copy.latestEffectiveFrom ? formatLongDate(copy.latestEffectiveFrom) : null,
    date: extra.date ?? { day: '', month: '', year: '' },
    changes: await changesOf(req, ctx),
    // Issue 14: the optional staff consultation comes before publishing.
    consultation: consultation
      ? { who: consultation.who, consultedOn: formatLongDate(consultation.consultedOn) }
      : null,
    errors,
  })
}

export function publishRoutes(app: FastifyInstance, target: EditorTarget): void {
  app.get(target.paths.publish.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply, target)
    if (!ctx) return
    return renderPublish(req, reply, ctx)
  })

  app.post(target.paths.publish.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply, target)
    if (!ctx) return
    const expected = draftVersionOf(req.body)
    const form = parseForm(effectiveFromSchema, req.body, effectiveFromHrefs)
    const date = datePartsFrom(req.body, 'effectiveFrom')
    if (expected === null || expected !== ctx.copy.draftVersion || ctx.copy.draft === null) {
      return renderPublish(req, reply, ctx, { status: 409, conflict: true, date })
    }
    if (!form.ok) {
      const dateError = form.errors.fields.effectiveFrom?.text ?? form.errors.summary[0]?.text ?? null
      return renderPublish(req, reply, ctx, { status: 400, date, dateError })
    }
    const consulted = consultationOf(ctx.copy.document)
    const tooSoon = consulted && consultationProblem({ consultation: consulted }, form.value.effectiveFrom)
    if (tooSoon) return renderPublish(req, reply, ctx, { status: 400, date, dateError: tooSoon.message })
    const result = await publishDraft(req.server.db, {
      ...ctx.owner.scope,
      expectedVersion: expected,
      effectiveFrom: form.value.effectiveFrom,
      today: today(req),
    })
    if (result.ok) return reply.redirect(target.paths.index({ published: result.version }), 303)
    const fresh = await contextFor(req, reply, target)
    if (!fresh) return
    if ('conflict' in result) return renderPublish(req, reply, fresh, { status: 409, conflict: true, date })
    if ('tooEarly' in result) {
      return renderPublish(req, reply, fresh, {
        status: 400,
        date,
        dateError: `The date it takes effect must be on or after ${formatLongDate(result.tooEarly.effectiveFrom)}, when version ${result.tooEarly.version} took effect`,
      })
    }
    if ('refused' in result) {
      // Issue 14, X-01: a backdated date, or a template the school does not have (with its path).
      const dateProblem = result.refused.find((p) => p.path === 'effectiveFrom' || p.path === 'reason')
      const dateError = dateProblem
        ? dateProblem.path === 'reason'
          ? `${dateProblem.message.replace(/\. Enter the reason.*$/, '')}. Choose today or a later date, or upload the version as a file with the reason for backdating it`
          : dateProblem.message
        : result.refused.map((p) => `${p.path}: ${p.message}`).join('. ')
      return renderPublish(req, reply, fresh, { status: 400, date, dateError })
    }
    return renderPublish(req, reply, fresh, { status: 400, date })
  })
}
