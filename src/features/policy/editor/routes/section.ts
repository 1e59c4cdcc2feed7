/**
 * A section's page and its items' pages (any depth): the form, the section's lists, and saving.
 * `.../remove` under an item is its removal (routes/remove.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { renderNotFound } from '../../../../plugins/errors.ts'
import { saveDraft } from '../../../../services/policy/drafts.ts'
import { draftVersionOf } from '../../forms.ts'
import { componentsFor, readForm, type Values, valuesOf } from '../fields.ts'
import {
  afterSaveHref,
  checkSave,
  type FieldProblems,
  fieldProblems,
  listBlocks,
  type Page,
  problemsOf,
} from '../pages.ts'
import { breadcrumbs, pageTitleOf, supervisorGrid } from '../presenters.ts'
import type { EditorTarget } from '../target.ts'
import { removeItem, showRemove } from './remove.ts'
import { type Context, conflictMessage, manage, type PageParams, pageFor, segmentsOf, viewBase } from './shared.ts'

function renderPage(
  reply: FastifyReply,
  ctx: Context,
  page: Page,
  extra: {
    status?: number
    values?: Values
    errors?: FieldProblems
    conflict?: boolean
    saved?: boolean
    draftVersion?: number
  } = {},
) {
  const doc = ctx.copy.document
  const problems = problemsOf(doc)
  const shown =
    extra.errors ?? (page.isNew ? { fields: new Map<string, string>(), summary: [] } : fieldProblems(page, problems))
  const blocks = listBlocks(doc, page, problems)
  const summary = extra.conflict
    ? [{ text: conflictMessage, href: '#editor-form' }]
    : [
        ...shown.summary,
        ...(extra.errors ? [] : blocks.filter((b) => b.error).map((b) => ({ text: b.error!, href: `#list-${b.key}` }))),
      ]
  const values =
    extra.values ?? valuesOf(page.fields, page.item ?? (page.chain.length === 0 ? doc : page.list!.blank(doc)))
  return reply.code(extra.status ?? 200).view('policy/views/editor/page.njk', {
    pageTitle: pageTitleOf(page, doc),
    ...viewBase(ctx),
    breadcrumbs: breadcrumbs(page, doc, ctx.target),
    section: page.section,
    isItem: page.chain.length > 0,
    isNew: page.isNew,
    noun: page.list?.noun ?? null,
    listHint: page.list?.hint ?? null,
    action: page.href,
    removeHref: page.chain.length > 0 && !page.isNew ? `${page.href}/remove` : null,
    components: componentsFor(page.fields, values, shown.fields),
    hasFields: page.fields.length > 0,
    blocks,
    grid: page.section.id === 'supervisors' && page.chain.length === 0 ? supervisorGrid(doc, page.editor) : null,
    partTime: page.section.id === 'scope' && page.chain.length === 0,
    draftVersion: extra.draftVersion ?? ctx.copy.draftVersion,
    saved: extra.saved ?? false,
    errors: { fields: {}, summary },
    parentHref: page.parentHref,
  })
}

async function showPage(
  target: EditorTarget,
  req: FastifyRequest<{ Params: PageParams; Querystring: { saved?: string } }>,
  reply: FastifyReply,
) {
  const segments = segmentsOf(req.params)
  if (!segments) return renderNotFound(req, reply)
  if (segments.at(-1) === 'remove') return showRemove(req, reply, segments.slice(0, -1), target)
  const found = await pageFor(req, reply, segments, target)
  if (!found) return
  return renderPage(reply, found.ctx, found.page, { saved: req.query.saved === '1' })
}

async function savePage(target: EditorTarget, req: FastifyRequest<{ Params: PageParams }>, reply: FastifyReply) {
  const segments = segmentsOf(req.params)
  if (!segments) return renderNotFound(req, reply)
  if (segments.at(-1) === 'remove') return removeItem(req, reply, segments.slice(0, -1), target)
  const found = await pageFor(req, reply, segments, target)
  if (!found) return
  const { ctx, page } = found
  const expected = draftVersionOf(req.body)
  if (expected === null || expected !== ctx.copy.draftVersion) {
    return renderPage(reply, ctx, page, { status: 409, conflict: true })
  }
  const read = readForm(page.fields, req.body)
  const check = checkSave(ctx.copy.document, page, read)
  if (!check.ok) return renderPage(reply, ctx, page, { status: 400, values: read.values, errors: check.errors })
  const result = await saveDraft(req.server.db, {
    ...ctx.owner.scope,
    document: check.changed,
    expectedVersion: expected,
    section: page.section.id,
  })
  if (!result.ok) {
    const fresh = await pageFor(req, reply, segments, target)
    if (!fresh) return
    return renderPage(reply, fresh.ctx, fresh.page, { status: 409, conflict: true })
  }
  return reply.redirect(afterSaveHref(check.changed, page), 303)
}

export function sectionRoutes(app: FastifyInstance, target: EditorTarget): void {
  const show = (req: FastifyRequest<{ Params: PageParams; Querystring: { saved?: string } }>, reply: FastifyReply) =>
    showPage(target, req, reply)
  const save = (req: FastifyRequest<{ Params: PageParams }>, reply: FastifyReply) => savePage(target, req, reply)
  app.get<{ Params: PageParams; Querystring: { saved?: string } }>(
    target.paths.section.pattern,
    { config: manage },
    show,
  )
  app.get<{ Params: PageParams; Querystring: { saved?: string } }>(
    target.paths.sectionItem.pattern,
    { config: manage },
    show,
  )
  app.post<{ Params: PageParams }>(target.paths.section.pattern, { config: manage }, save)
  app.post<{ Params: PageParams }>(target.paths.sectionItem.pattern, { config: manage }, save)
}
