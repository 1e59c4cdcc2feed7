/**
 * Pages of the policy editor: which part of the document a URL edits, where each validatePolicy
 * problem is shown (which page, which field), and the changes a form or a removal makes.
 */

import { newProblems, problemsAddedElsewhere, removalBlockers, removalRefusal } from '../../../domain/policy/editing.ts'
import { formatPath, type PolicyDocument, type PolicyProblem, validatePolicy } from '../../../domain/policy/index.ts'
import { withArticle } from '../../../domain/policy/wording.ts'
import { paths } from '../../../paths/index.ts'
import type { EditorPaths } from '../../../paths/policy.ts'
import {
  type Anchor,
  anchorFor,
  anchorsOf,
  applyWrites,
  type FieldSpec,
  fillToggled,
  getPath,
  type Path,
  problemSegments,
  type ReadResult,
  relativeTo,
  splitName,
  type Write,
} from './fields.ts'
import { type ListDef, type SectionDef, sectionOfPath, sections, uniqueId } from './sections.ts'

export interface ChainLink {
  list: ListDef
  /** Null for a new item. */
  index: number | null
}

export interface Page {
  section: SectionDef
  chain: ChainLink[]
  /** The list the item belongs to (the last link's), or null for the section page. */
  list: ListDef | null
  /** Path of the page's root in the document: [] for a section, ['requirements', 1] for an item. */
  root: Path
  /** Path of the array holding the item; null for the section page. */
  arrayPath: Path | null
  /** The item's current value; null for a section page or a new item. */
  item: Record<string, unknown> | null
  isNew: boolean
  fields: FieldSpec[]
  href: string
  /** Where to go back to: the section, or the parent item. */
  parentHref: string
  /** The editor's addresses: a school's policy or its trust's (issue 14). */
  editor: EditorPaths
}

export function hrefFor(section: SectionDef, chain: readonly ChainLink[], editor: EditorPaths = paths.policy): string {
  return `${editor.section({ section: section.id })}${chain.map((link) => `/${link.list.key}/${link.index ?? 'new'}`).join('')}`
}

/**
 * The page for a section and the URL's list/index pairs; null when they name nothing (404).
 * `segments` are e.g. ['items', '1', 'stricter', 'new'].
 */
export function resolvePage(
  doc: PolicyDocument,
  sectionId: string,
  segments: readonly string[],
  editor: EditorPaths = paths.policy,
): Page | null {
  const section = sections.find((s) => s.id === sectionId)
  if (!section || segments.length % 2 !== 0 || segments.length > 4) return null
  const chain: ChainLink[] = []
  let lists = section.lists
  let root: Path = []
  let arrayPath: Path | null = null
  let item: Record<string, unknown> | null = null
  for (let i = 0; i < segments.length; i += 2) {
    const list = lists.find((l) => l.key === segments[i])
    const indexText = segments[i + 1] ?? ''
    if (!list) return null
    // Only the last link may be new: a new item has no sublists yet.
    if (indexText === 'new' && i !== segments.length - 2) return null
    const array = getPath(doc, [...root, ...list.path])
    const items = Array.isArray(array) ? (array as Record<string, unknown>[]) : []
    arrayPath = [...root, ...list.path]
    if (indexText === 'new') {
      chain.push({ list, index: null })
      root = [...arrayPath, items.length]
      item = null
    } else {
      if (!/^\d{1,4}$/.test(indexText)) return null
      const index = Number(indexText)
      if (index >= items.length) return null
      chain.push({ list, index })
      root = [...arrayPath, index]
      item = items[index] ?? null
    }
    lists = list.sublists ?? []
  }
  const list = chain.at(-1)?.list ?? null
  const fields = list ? list.fields(doc) : (section.fields?.(doc) ?? [])
  return {
    section,
    chain,
    list,
    root,
    arrayPath,
    item,
    isNew: chain.at(-1)?.index === null,
    fields,
    href: hrefFor(section, chain, editor),
    parentHref: hrefFor(section, chain.slice(0, -1), editor),
    editor,
  }
}

/**
 * validatePolicy speaks of the JSON file ("set its countsTowardEntitlement to true"); in the
 * editor the same problems are put in the words of the forms.
 */
const formWords: readonly (readonly [RegExp, string])[] = [
  [
    /: set everyone to true, or list roles or flags, or set trainedSupervisors$/,
    ': select whole groups of staff, roles or circumstances, or add a condition',
  ],
  [
    /: set its countsTowardEntitlement to true, or remove it here$/,
    ': tick “Counts towards the entitlement” on the session type, or untick it here',
  ],
  [
    /^Set tagSessions to true to check coverage, or remove coverageLookback$/,
    'Tick “Session discussions can be tagged with its items” to check coverage, or leave the time blank',
  ],
  [/ \(absence: true\), or remove afterAbsence$/, ', or leave the time after absence blank'],
  [
    /^List the frequencies that may be agreed, or set allowed to 'any'$/,
    'List the frequencies that may be agreed, or choose “any frequency the supervisor and supervisee agree”',
  ],
  [
    /^Set allowed to 'listed' to use the listed options, or remove them$/,
    'Choose “one of a list of frequencies” to use the frequencies listed, or remove them',
  ],
  [/: add it to sessionTypes, or check the spelling$/, ': choose another session type'],
  [/: add it to scope\.rules, or check the spelling$/, ': choose another rule'],
  [/: remove termTimeOnly$/, ': untick it, or choose weeks or months'],
  [
    /: remove times, or choose half terms, terms or academic years$/,
    ': leave it blank, or choose half terms, terms or academic years',
  ],
  [/: set every to 1$/, ': enter 1 in Every'],
  [/: remove warnAfter, or set within to null$/, ': choose as soon as possible, or leave the warning blank'],
  [
    /: use a role from Haven's role catalogue, or declare it in customRoles \(check the spelling\)$/,
    ': choose another role',
  ],
  [
    / id '([^']*)' is used more than once: give each (.+) its own id$/,
    " reference '$1' is used more than once: give each $2 its own reference",
  ],
]

function inFormWords(message: string): string {
  return formWords.reduce((text, [pattern, words]) => text.replace(pattern, words), message)
}

/** Every problem in a (draft) document, in the words of the editor's forms. */
export function problemsOf(doc: unknown): PolicyProblem[] {
  const result = validatePolicy(doc)
  return result.ok ? [] : result.problems.map((p) => ({ path: p.path, message: inFormWords(p.message) }))
}

export { newProblems }

export interface FieldProblems {
  /** Field key -> message, for the inline messages. */
  fields: Map<string, string>
  /** For the error summary, in page order. */
  summary: { text: string; href: string }[]
}

/**
 * Problems that belong to the page's own fields, merged with what the form could not read (which
 * comes first for its field). Summary entries follow the order of the fields on the page.
 */
export function fieldProblems(
  page: Pick<Page, 'root' | 'fields'>,
  problems: readonly PolicyProblem[],
  readErrors: ReadonlyMap<string, string> = new Map(),
): FieldProblems {
  const anchors = anchorsOf(page.fields)
  const order = [...anchors.keys()]
  const rootPath = formatPath(page.root)
  const byKey = new Map<string, { text: string; anchor: Anchor }>()
  for (const [name, text] of readErrors) {
    const anchor = anchors.get(name)
    if (anchor && !byKey.has(anchor.key)) byKey.set(anchor.key, { text, anchor })
  }
  for (const problem of problems) {
    const relative = relativeTo(rootPath, problem.path)
    if (relative === null || relative === '') continue
    const anchor = anchorFor(anchors, relative)
    if (!anchor || byKey.has(anchor.key)) continue
    byKey.set(anchor.key, { text: problem.message, anchor })
  }
  const entries = [...byKey.values()].sort((a, b) => order.indexOf(a.anchor.key) - order.indexOf(b.anchor.key))
  return {
    fields: new Map(entries.map((e) => [e.anchor.key, e.text])),
    summary: entries.map((e) => ({ text: e.text, href: `#${e.anchor.href}` })),
  }
}

/** Where a problem is shown: the page and the field (or list) that holds it. */
export function locateProblem(
  doc: PolicyDocument,
  problem: PolicyProblem,
  editor: EditorPaths = paths.policy,
): { section: SectionDef; href: string } {
  const section = sectionOfPath(problem.path)
  if (!section.editable) return { section, href: editor.other() }
  let rest = problemSegments(problem.path)
  let lists = section.lists
  const chain: ChainLink[] = []
  for (;;) {
    const match = lists.find(
      (list) =>
        list.path.every((part, i) => rest[i] === part) &&
        rest.length > list.path.length &&
        /^\d+$/.test(rest[list.path.length] ?? ''),
    )
    if (!match) break
    chain.push({ list: match, index: Number(rest[match.path.length]) })
    rest = rest.slice(match.path.length + 1)
    lists = match.sublists ?? []
  }
  const href = hrefFor(section, chain, editor)
  const listHere = lists.find((list) => list.path.join('.') === rest.join('.'))
  if (listHere) return { section, href: `${href}#list-${listHere.key}` }
  const fields = chain.length > 0 ? chain.at(-1)!.list.fields(doc) : (section.fields?.(doc) ?? [])
  const anchor = anchorFor(anchorsOf(fields), rest.join('.'))
  return { section, href: anchor ? `${href}#${anchor.href}` : href }
}

/** Gives a new or changed item a reference when it has none, unique in its list. */
function ensureId(doc: PolicyDocument, page: Page): void {
  if (!page.list?.hasId || !page.arrayPath) return
  const item = getPath(doc, page.root) as Record<string, unknown> | undefined
  if (!item || (typeof item.id === 'string' && item.id.trim() !== '')) {
    if (item && typeof item.id === 'string') item.id = item.id.trim()
    return
  }
  const siblings = (getPath(doc, page.arrayPath) as Record<string, unknown>[]).filter((s) => s !== item)
  const taken = new Set(siblings.map((s) => String(s.id ?? '')))
  const words = page.list.idFrom.map((k) => item[k]).find((v) => typeof v === 'string' && v.trim() !== '')
  item.id = uniqueId(typeof words === 'string' ? words : '', taken, page.list.noun)
}

/** JSON with object keys sorted: stored documents (jsonb) do not keep the order keys were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )
}

/**
 * A list from checkboxes comes in the order of the options; what was already chosen keeps its
 * place, so that saving a form unchanged changes nothing (and summaries keep their wording).
 */
function keepOrder(doc: PolicyDocument, root: Path, write: Write): Write {
  if (!Array.isArray(write.value)) return write
  const before = getPath(doc, [...root, ...splitName(write.name)])
  if (!Array.isArray(before)) return write
  const keyOf = (v: unknown) => canonicalJson(v)
  const chosen = new Map(write.value.map((v) => [keyOf(v), v]))
  const kept = before.filter((v) => chosen.has(keyOf(v))).map((v) => chosen.get(keyOf(v)))
  const keptKeys = new Set(kept.map(keyOf))
  return { name: write.name, value: [...kept, ...write.value.filter((v) => !keptKeys.has(keyOf(v)))] }
}

/**
 * A value the form leaves out (`times` left blank) is removed from the document; where the
 * document said null, null stays, so that saving unchanged changes nothing.
 */
function keepNull(doc: PolicyDocument, root: Path, write: Write): Write {
  if (write.value !== undefined) return write
  return getPath(doc, [...root, ...splitName(write.name)]) === null ? { name: write.name, value: null } : write
}

/** The document with the form's changes made (a new item added at the end of its list). */
export function changedDocument(doc: PolicyDocument, page: Page, read: ReadResult): PolicyDocument {
  const next = structuredClone(doc) as unknown as Record<string, unknown>
  if (page.isNew && page.list && page.arrayPath) {
    let array = getPath(next, page.arrayPath)
    if (!Array.isArray(array)) {
      applyWrites(next, [], [{ name: page.arrayPath.join('.'), value: [] }])
      array = getPath(next, page.arrayPath)
    }
    ;(array as unknown[]).push(page.list.blank(doc))
  }
  applyWrites(
    next,
    page.root,
    read.writes.map((write) => keepNull(doc, page.root, keepOrder(doc, page.root, write))),
  )
  fillToggled(page.fields, next, page.root)
  const changed = next as unknown as PolicyDocument
  ensureId(changed, page)
  return changed
}

/** The document without the page's item. */
export function withoutItem(doc: PolicyDocument, page: Page): PolicyDocument {
  const next = structuredClone(doc)
  const index = page.chain.at(-1)?.index
  if (!page.arrayPath || index === null || index === undefined) return next
  const array = getPath(next, page.arrayPath)
  if (Array.isArray(array)) array.splice(index, 1)
  return next
}

export interface ListBlock {
  key: string
  heading: string
  hint: string | null
  noun: string
  addText: string
  rows: { title: string; detail: string; changeHref: string; removeHref: string; hasProblem: boolean }[]
  addHref: string
  error: string | null
}

/** The lists shown on a page (the section's, or the item's sublists), with their rows. */
export function listBlocks(doc: PolicyDocument, page: Page, problems: readonly PolicyProblem[]): ListBlock[] {
  const lists = page.list ? (page.isNew ? [] : (page.list.sublists ?? [])) : page.section.lists
  return lists.map((list) => {
    const arrayPath = [...page.root, ...list.path]
    const array = getPath(doc, arrayPath)
    const items = Array.isArray(array) ? (array as Record<string, unknown>[]) : []
    const arrayText = formatPath(arrayPath)
    return {
      key: list.key,
      heading: list.heading,
      hint: list.hint ?? null,
      noun: list.noun,
      addText: `Add ${withArticle(list.noun)}`,
      rows: items.map((item, index) => {
        const chain = [...page.chain, { list, index }]
        const itemPath = formatPath([...arrayPath, index])
        const href = hrefFor(page.section, chain, page.editor)
        return {
          title: list.title(item, doc) || `${list.noun.charAt(0).toUpperCase()}${list.noun.slice(1)} ${index + 1}`,
          detail: list.detail(item, doc),
          changeHref: href,
          removeHref: `${href}/remove`,
          hasProblem: problems.some((p) => relativeTo(itemPath, p.path) !== null),
        }
      }),
      addHref: hrefFor(page.section, [...page.chain, { list, index: null }], page.editor),
      error: problems.find((p) => p.path === arrayText)?.message ?? null,
    }
  })
}

/** Whether the editor has a page for the part of the policy at this problem path. */
export function isEditablePath(path: string): boolean {
  return sectionOfPath(path).editable
}

export type SaveCheck = { ok: true; changed: PolicyDocument } | { ok: false; errors: FieldProblems }

/**
 * Saving a page's form: the draft with the form's changes, or what refuses it. Saving validates
 * the whole draft and refuses only problems in the page's own fields (and what the form could not
 * read), or problems it would add to parts the editor does not change.
 */
export function checkSave(doc: PolicyDocument, page: Page, read: ReadResult): SaveCheck {
  const changed = changedDocument(doc, page, read)
  const shown = fieldProblems(page, problemsOf(changed), read.errors)
  const elsewhere = problemsAddedElsewhere(problemsOf(doc), problemsOf(changed), isEditablePath)
  if (shown.summary.length === 0 && elsewhere.length === 0) return { ok: true, changed }
  return {
    ok: false,
    errors: {
      fields: shown.fields,
      summary: [...shown.summary, ...elsewhere.map((p) => ({ text: p.message, href: '#editor-form' }))],
    },
  }
}

export type RemoveCheck = { ok: true; changed: PolicyDocument } | { ok: false; refusals: string[] }

/** Removing the page's item: the draft without it, or why it cannot go (see removalBlockers). */
export function checkRemoval(doc: PolicyDocument, page: Page): RemoveCheck {
  const changed = withoutItem(doc, page)
  const blocking = removalBlockers(
    problemsOf(doc),
    problemsOf(changed),
    formatPath(page.arrayPath ?? []),
    isEditablePath,
  )
  return blocking.length > 0 ? { ok: false, refusals: blocking.map(removalRefusal) } : { ok: true, changed }
}

/** What removing the page's item would add elsewhere, with the section each is in. */
export function removalConsequences(doc: PolicyDocument, page: Page): (PolicyProblem & { sectionTitle: string })[] {
  return newProblems(problemsOf(doc), problemsOf(withoutItem(doc, page))).map((p) => ({
    ...p,
    sectionTitle: locateProblem(doc, p).section.title,
  }))
}

/**
 * Where a saved page goes: a new item with lists of its own opens so that they can be added;
 * anything else goes back (an item to its parent, a section to itself).
 */
export function afterSaveHref(changed: PolicyDocument, page: Page): string {
  if (page.isNew && page.list?.sublists?.length) {
    const array = page.arrayPath ? getPath(changed, page.arrayPath) : undefined
    const index = Array.isArray(array) ? array.length - 1 : 0
    return `${page.href.replace(/\/new$/, `/${index}`)}?saved=1`
  }
  return `${page.chain.length > 0 ? page.parentHref : page.href}?saved=1`
}
