/**
 * The policy editor (issue 5, X-01): forms over a draft copy of the policy, for the DSL or an
 * administrator. A task list of sections; each section a page of forms, its lists edited one item
 * per page. Saving validates the whole draft (validatePolicy) and refuses only problems in the
 * fields being saved; publishing refuses until there are none at all, and then writes a new
 * version. Every form carries the draft version it was made from: a second person saving over
 * someone else's change is told so, and nothing is overwritten.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { formatPath, type PolicyDocument, type PolicyProblem, summarisePolicy } from '../../../domain/policy/index.ts'
import { withArticle } from '../../../domain/policy/wording.ts'
import { datePartsFrom } from '../../../forms/date-input.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  discardDraft,
  publishDraft,
  saveDraft,
  type WorkingCopy,
  workingCopy,
} from '../../../services/policy/drafts.ts'
import type { SchoolSummary } from '../../../services/staff/schools.ts'
import { draftVersionOf, effectiveFromHrefs, effectiveFromSchema } from '../forms.ts'
import { currentSchool } from '../school.ts'
import { componentsFor, readForm, type Values, valuesOf } from './fields.ts'
import {
  changedDocument,
  fieldProblems,
  listBlocks,
  locateProblem,
  newProblems,
  type Page,
  problemsOf,
  resolvePage,
  withoutItem,
} from './pages.ts'
import { sectionOfPath, sections } from './sections.ts'

const manage = { access: { permission: Permission.PolicyManage } }

export const conflictMessage =
  'Someone else changed the draft while you were editing. Your changes have not been saved. Check the draft below, then make your changes again.'

const otherSummaryIds = new Set([
  'purpose',
  'contract',
  'preparation',
  'records',
  'confidentiality',
  'disagreements',
  'support',
  'principles',
  'other',
])

interface Context {
  school: SchoolSummary
  copy: WorkingCopy
}

async function contextFor(req: FastifyRequest, reply: FastifyReply): Promise<Context | null> {
  const school = await currentSchool(req)
  const copy = school ? await workingCopy(req.server.db, school.id) : null
  if (!school || !copy) {
    await renderNotFound(req, reply)
    return null
  }
  return { school, copy }
}

function scopeOf(req: FastifyRequest, school: SchoolSummary) {
  return { schoolId: school.id, organisationId: school.organisationId, actorId: req.actor!.personId }
}

/** Problems in the parts of the policy the editor does not change: a save must not add any. */
function otherProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  return problems.filter((p) => !sectionOfPath(p.path).editable)
}

function pageTitleOf(page: Page, doc: PolicyDocument): string {
  const link = page.chain.at(-1)
  if (!link) return page.section.title
  const noun = link.list.noun
  if (link.index === null) return `Add ${withArticle(noun)}`
  const title = page.item ? link.list.title(page.item, doc) : ''
  return title ? `Change ${noun}: ${title.length > 60 ? `${title.slice(0, 57)}…` : title}` : `Change ${noun}`
}

function breadcrumbs(page: Page, doc: PolicyDocument) {
  const crumbs = [
    { text: 'Policy', href: paths.policy.index() },
    { text: 'Edit the policy', href: paths.policy.edit() },
    { text: page.section.title, href: paths.policy.section({ section: page.section.id }) },
  ]
  let href = paths.policy.section({ section: page.section.id })
  let item: unknown = doc
  let root: (string | number)[] = []
  for (const link of page.chain.slice(0, -1)) {
    href += `/${link.list.key}/${link.index}`
    root = [...root, ...link.list.path, link.index ?? 0]
    item = root.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[String(k)], doc)
    const title = link.list.title(item as Record<string, unknown>, doc) || link.list.noun
    crumbs.push({ text: title.length > 40 ? `${title.slice(0, 37)}…` : title, href })
  }
  return crumbs
}

/** The supervision grid (LH-05): supervisees and who may supervise them. */
function supervisorGrid(doc: PolicyDocument) {
  const rules = doc.supervisors?.rules ?? []
  const list = rules.map((rule, index) => {
    const row = sections.find((s) => s.id === 'supervisors')!.lists[0]!
    return {
      supervisees: row.title(rule as unknown as Record<string, unknown>, doc),
      supervisors: row
        .detail(rule as unknown as Record<string, unknown>, doc)
        .split('; ')
        .filter((x) => x),
      fallback: rule.fallback,
      href: `${paths.policy.section({ section: 'supervisors' })}/rules/${index}`,
    }
  })
  return list
}

const editorRoutes: FastifyPluginAsync = async (app) => {
  // -------------------------------------------------------------------------------------------
  // Task list
  // -------------------------------------------------------------------------------------------

  app.get<{ Querystring: { discarded?: string } }>(
    paths.policy.edit.pattern,
    { config: manage },
    async (req, reply) => {
      const ctx = await contextFor(req, reply)
      if (!ctx) return
      const { copy } = ctx
      const problems = problemsOf(copy.document)
      const tasks = sections.map((section) => {
        const count = problems.filter((p) => sectionOfPath(p.path) === section).length
        return {
          title: { text: section.title },
          hint: { text: section.hint },
          href: paths.policy.section({ section: section.id }),
          status:
            count > 0
              ? { tag: { text: count === 1 ? '1 problem' : `${count} problems`, classes: 'govuk-tag--red' } }
              : { text: section.editable ? 'No problems' : 'Read only' },
        }
      })
      return reply.view('policy/views/editor/task-list.njk', {
        pageTitle: 'Edit the policy',
        school: ctx.school,
        breadcrumbs: [{ text: 'Policy', href: paths.policy.index() }],
        draft: copy.draft
          ? {
              basedOnVersion: copy.draft.basedOnVersion,
              updatedByName: copy.draft.updatedByName,
              updatedAt: copy.draft.updatedAt,
              stale: copy.draft.basedOnVersion < copy.latestVersion,
            }
          : null,
        latestVersion: copy.latestVersion,
        tasks,
        problemCount: problems.length,
        discarded: req.query.discarded === '1',
      })
    },
  )

  // -------------------------------------------------------------------------------------------
  // Publish and discard
  // -------------------------------------------------------------------------------------------

  function renderPublish(
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
      const where = locateProblem(copy.document, p)
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
    return reply.code(extra.status ?? 200).view('policy/views/editor/publish.njk', {
      pageTitle: 'Publish the policy',
      school: ctx.school,
      breadcrumbs: [
        { text: 'Policy', href: paths.policy.index() },
        { text: 'Edit the policy', href: paths.policy.edit() },
      ],
      hasDraft: copy.draft !== null,
      draftVersion: copy.draftVersion,
      problems: located,
      nextVersion: copy.latestVersion + 1,
      latestVersion: copy.latestVersion,
      latestEffectiveFrom: copy.latestEffectiveFrom ? formatLongDate(copy.latestEffectiveFrom) : null,
      date: extra.date ?? { day: '', month: '', year: '' },
      errors,
    })
  }

  app.get(paths.policy.publish.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    return renderPublish(reply, ctx)
  })

  app.post(paths.policy.publish.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    const expected = draftVersionOf(req.body)
    const form = parseForm(effectiveFromSchema, req.body, effectiveFromHrefs)
    const date = { parts: datePartsFrom(req.body, 'effectiveFrom') }
    if (expected === null || expected !== ctx.copy.draftVersion || ctx.copy.draft === null) {
      return renderPublish(reply, ctx, { status: 409, conflict: true, date: date.parts })
    }
    if (!form.ok) {
      const dateError = form.errors.fields.effectiveFrom?.text ?? form.errors.summary[0]?.text ?? null
      return renderPublish(reply, ctx, { status: 400, date: date.parts, dateError })
    }
    const result = await publishDraft(req.server.db, {
      ...scopeOf(req, ctx.school),
      expectedVersion: expected,
      effectiveFrom: form.value.effectiveFrom,
    })
    if (result.ok) return reply.redirect(paths.policy.index({ published: result.version }), 303)
    const fresh = await contextFor(req, reply)
    if (!fresh) return
    if ('conflict' in result) return renderPublish(reply, fresh, { status: 409, conflict: true, date: date.parts })
    if ('tooEarly' in result) {
      return renderPublish(reply, fresh, {
        status: 400,
        date: date.parts,
        dateError: `The date it takes effect must be on or after ${formatLongDate(result.tooEarly.effectiveFrom)}, when version ${result.tooEarly.version} took effect`,
      })
    }
    return renderPublish(reply, fresh, { status: 400, date: date.parts })
  })

  app.get(paths.policy.discard.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    if (!ctx.copy.draft) return reply.redirect(paths.policy.edit(), 303)
    return reply.view('policy/views/editor/discard.njk', {
      pageTitle: 'Discard the draft',
      school: ctx.school,
      backLink: { href: paths.policy.edit(), text: 'Back' },
      draftVersion: ctx.copy.draftVersion,
      basedOnVersion: ctx.copy.draft.basedOnVersion,
      errors: { fields: {}, summary: [] },
    })
  })

  app.post(paths.policy.discard.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    const expected = draftVersionOf(req.body)
    const result =
      expected !== null && expected > 0
        ? await discardDraft(req.server.db, { ...scopeOf(req, ctx.school), expectedVersion: expected })
        : ({ ok: false, conflict: true } as const)
    if (result.ok) return reply.redirect(paths.policy.edit({ discarded: 1 }), 303)
    const fresh = await contextFor(req, reply)
    if (!fresh) return
    if (!fresh.copy.draft) return reply.redirect(paths.policy.edit(), 303)
    return reply.code(409).view('policy/views/editor/discard.njk', {
      pageTitle: 'Discard the draft',
      school: fresh.school,
      backLink: { href: paths.policy.edit(), text: 'Back' },
      draftVersion: fresh.copy.draftVersion,
      basedOnVersion: fresh.copy.draft.basedOnVersion,
      errors: { fields: {}, summary: [{ text: conflictMessage, href: '#discard-form' }] },
    })
  })

  // -------------------------------------------------------------------------------------------
  // Other parts (read only)
  // -------------------------------------------------------------------------------------------

  app.get(paths.policy.other.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    const problems = otherProblems(problemsOf(ctx.copy.document))
    let summarySections: { heading: string; paragraphs: string[]; items: string[] }[] = []
    try {
      summarySections = summarisePolicy(ctx.copy.document).sections.filter((s) => otherSummaryIds.has(s.id))
    } catch {
      summarySections = []
    }
    return reply.view('policy/views/editor/other.njk', {
      pageTitle: 'Other parts of the policy',
      school: ctx.school,
      breadcrumbs: [
        { text: 'Policy', href: paths.policy.index() },
        { text: 'Edit the policy', href: paths.policy.edit() },
      ],
      problems,
      summarySections,
    })
  })

  // -------------------------------------------------------------------------------------------
  // Section and item pages
  // -------------------------------------------------------------------------------------------

  function renderPage(
    reply: FastifyReply,
    ctx: Context,
    page: Page,
    extra: {
      status?: number
      values?: Values
      errors?: { fields: Map<string, string>; summary: { text: string; href: string }[] }
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
          ...(extra.errors
            ? []
            : blocks.filter((b) => b.error).map((b) => ({ text: b.error!, href: `#list-${b.key}` }))),
        ]
    const values =
      extra.values ?? valuesOf(page.fields, page.item ?? (page.chain.length === 0 ? doc : page.list!.blank(doc)))
    return reply.code(extra.status ?? 200).view('policy/views/editor/page.njk', {
      pageTitle: pageTitleOf(page, doc),
      school: ctx.school,
      breadcrumbs: breadcrumbs(page, doc),
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
      grid: page.section.id === 'supervisors' && page.chain.length === 0 ? supervisorGrid(doc) : null,
      partTime: page.section.id === 'scope' && page.chain.length === 0,
      draftVersion: extra.draftVersion ?? ctx.copy.draftVersion,
      saved: extra.saved ?? false,
      errors: { fields: {}, summary },
      parentHref: page.parentHref,
    })
  }

  type PageParams = { section: string; '*'?: string }

  function segmentsOf(params: PageParams): string[] | null {
    const rest = params['*'] ?? ''
    if (rest === '') return []
    const parts = rest.split('/')
    return parts.every((p) => /^[a-z0-9-]{1,40}$/.test(p)) ? parts : null
  }

  async function pageFor(req: FastifyRequest<{ Params: PageParams }>, reply: FastifyReply, segments: string[]) {
    const ctx = await contextFor(req, reply)
    if (!ctx) return null
    const page = resolvePage(ctx.copy.document, req.params.section, segments)
    if (!page?.section.editable) {
      await renderNotFound(req, reply)
      return null
    }
    return { ctx, page }
  }

  async function showPage(
    req: FastifyRequest<{ Params: PageParams; Querystring: { saved?: string } }>,
    reply: FastifyReply,
  ) {
    const segments = segmentsOf(req.params)
    if (!segments) return renderNotFound(req, reply)
    if (segments.at(-1) === 'remove') return showRemove(req, reply, segments.slice(0, -1))
    const found = await pageFor(req, reply, segments)
    if (!found) return
    return renderPage(reply, found.ctx, found.page, { saved: req.query.saved === '1' })
  }

  async function savePage(req: FastifyRequest<{ Params: PageParams }>, reply: FastifyReply) {
    const segments = segmentsOf(req.params)
    if (!segments) return renderNotFound(req, reply)
    if (segments.at(-1) === 'remove') return removeItem(req, reply, segments.slice(0, -1))
    const found = await pageFor(req, reply, segments)
    if (!found) return
    const { ctx, page } = found
    const expected = draftVersionOf(req.body)
    if (expected === null || expected !== ctx.copy.draftVersion) {
      return renderPage(reply, ctx, page, { status: 409, conflict: true })
    }
    const read = readForm(page.fields, req.body)
    const changed = changedDocument(ctx.copy.document, page, read)
    const before = problemsOf(ctx.copy.document)
    const after = problemsOf(changed)
    const shown = fieldProblems(page, after, read.errors)
    const elsewhere = newProblems(otherProblems(before), otherProblems(after))
    if (shown.summary.length > 0 || elsewhere.length > 0) {
      return renderPage(reply, ctx, page, {
        status: 400,
        values: read.values,
        errors: {
          fields: shown.fields,
          summary: [...shown.summary, ...elsewhere.map((p) => ({ text: p.message, href: '#editor-form' }))],
        },
      })
    }
    const result = await saveDraft(req.server.db, {
      ...scopeOf(req, ctx.school),
      document: changed,
      expectedVersion: expected,
      section: page.section.id,
    })
    if (!result.ok) {
      const fresh = await pageFor(req, reply, segments)
      if (!fresh) return
      return renderPage(reply, fresh.ctx, fresh.page, { status: 409, conflict: true })
    }
    // A new item with lists of its own opens so that they can be added; anything else goes back.
    if (page.isNew && page.list?.sublists?.length) {
      const index = (changedIndex(changed, page) ?? 0).toString()
      return reply.redirect(`${page.href.replace(/\/new$/, `/${index}`)}?saved=1`, 303)
    }
    return reply.redirect(`${page.chain.length > 0 ? page.parentHref : page.href}?saved=1`, 303)
  }

  function changedIndex(doc: PolicyDocument, page: Page): number | null {
    if (!page.arrayPath) return null
    const array = page.arrayPath.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[String(k)], doc)
    return Array.isArray(array) ? array.length - 1 : null
  }

  function renderRemove(
    reply: FastifyReply,
    ctx: Context,
    page: Page,
    extra: { status?: number; errors?: { text: string; href: string }[] } = {},
  ) {
    const doc = ctx.copy.document
    const link = page.chain.at(-1)!
    const title = page.item ? link.list.title(page.item, doc) : link.list.noun
    const consequences = newProblems(problemsOf(doc), problemsOf(withoutItem(doc, page))).map((p) => ({
      ...p,
      sectionTitle: locateProblem(doc, p).section.title,
    }))
    return reply.code(extra.status ?? 200).view('policy/views/editor/remove.njk', {
      pageTitle: `Remove ${link.list.noun}`,
      school: ctx.school,
      breadcrumbs: breadcrumbs(page, doc),
      noun: link.list.noun,
      title,
      action: `${page.href}/remove`,
      cancelHref: page.href,
      consequences,
      draftVersion: ctx.copy.draftVersion,
      errors: { fields: {}, summary: extra.errors ?? [] },
    })
  }

  async function showRemove(req: FastifyRequest<{ Params: PageParams }>, reply: FastifyReply, segments: string[]) {
    const found = await pageFor(req, reply, segments)
    if (!found) return
    if (found.page.chain.length === 0 || found.page.isNew) return renderNotFound(req, reply)
    return renderRemove(reply, found.ctx, found.page)
  }

  async function removeItem(req: FastifyRequest<{ Params: PageParams }>, reply: FastifyReply, segments: string[]) {
    const found = await pageFor(req, reply, segments)
    if (!found) return
    const { ctx, page } = found
    if (page.chain.length === 0 || page.isNew) return renderNotFound(req, reply)
    const expected = draftVersionOf(req.body)
    if (expected === null || expected !== ctx.copy.draftVersion) {
      return renderRemove(reply, ctx, page, { status: 409, errors: [{ text: conflictMessage, href: '#remove-form' }] })
    }
    const changed = withoutItem(ctx.copy.document, page)
    const before = problemsOf(ctx.copy.document)
    const after = problemsOf(changed)
    const listText = formatPath(page.arrayPath ?? [])
    const blocking = newProblems(before, after).filter((p) => p.path === listText || !sectionOfPath(p.path).editable)
    if (blocking.length > 0) {
      return renderRemove(reply, ctx, page, {
        status: 400,
        errors: blocking.map((p) => ({
          text: `You cannot remove it: ${p.message.charAt(0).toLowerCase()}${p.message.slice(1)}`,
          href: '#remove-form',
        })),
      })
    }
    const result = await saveDraft(req.server.db, {
      ...scopeOf(req, ctx.school),
      document: changed,
      expectedVersion: expected,
      section: page.section.id,
    })
    if (!result.ok) {
      return renderRemove(reply, ctx, page, { status: 409, errors: [{ text: conflictMessage, href: '#remove-form' }] })
    }
    return reply.redirect(`${page.parentHref}?saved=1`, 303)
  }

  app.get<{ Params: PageParams; Querystring: { saved?: string } }>(
    paths.policy.section.pattern,
    { config: manage },
    showPage,
  )
  app.get<{ Params: PageParams; Querystring: { saved?: string } }>(
    paths.policy.sectionItem.pattern,
    { config: manage },
    showPage,
  )
  app.post<{ Params: PageParams }>(paths.policy.section.pattern, { config: manage }, savePage)
  app.post<{ Params: PageParams }>(paths.policy.sectionItem.pattern, { config: manage }, savePage)
}

export default editorRoutes
