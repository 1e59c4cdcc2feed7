/** How the policy editor's pages are titled and placed: page titles, breadcrumbs, the supervision grid. */
import { shortTitle } from '../../../domain/policy/editing.ts'
import type { PolicyDocument } from '../../../domain/policy/index.ts'
import { withArticle } from '../../../domain/policy/wording.ts'
import { paths } from '../../../paths/index.ts'
import type { EditorPaths } from '../../../paths/policy.ts'
import { getPath } from './fields.ts'
import type { Page } from './pages.ts'
import { sections } from './sections.ts'

export function pageTitleOf(page: Page, doc: PolicyDocument): string {
  const link = page.chain.at(-1)
  if (!link) return page.section.title
  const noun = link.list.noun
  if (link.index === null) return `Add ${withArticle(noun)}`
  const title = page.item ? link.list.title(page.item, doc) : ''
  return title ? `Change ${noun}: ${shortTitle(title, 60)}` : `Change ${noun}`
}

/** The policy (the school's or the trust's), the editor, and the editor's pages above this one. */
export function editorCrumbs(
  target: { paths: EditorPaths; indexText: string } = { paths: paths.policy, indexText: 'Policy' },
): { text: string; href: string }[] {
  return [
    { text: target.indexText, href: target.paths.index() },
    { text: 'Edit the policy', href: target.paths.edit() },
  ]
}

export function breadcrumbs(page: Page, doc: PolicyDocument, target?: { paths: EditorPaths; indexText: string }) {
  const crumbs = [
    ...editorCrumbs(target),
    { text: page.section.title, href: page.editor.section({ section: page.section.id }) },
  ]
  let href = page.editor.section({ section: page.section.id })
  let root: (string | number)[] = []
  for (const link of page.chain.slice(0, -1)) {
    href += `/${link.list.key}/${link.index}`
    root = [...root, ...link.list.path, link.index ?? 0]
    const item = getPath(doc, root)
    const title = link.list.title(item as Record<string, unknown>, doc) || link.list.noun
    crumbs.push({ text: shortTitle(title, 40), href })
  }
  return crumbs
}

/** The supervision grid (LH-05): supervisees and who may supervise them. */
export function supervisorGrid(doc: PolicyDocument, editor: EditorPaths = paths.policy) {
  const row = sections.find((s) => s.id === 'supervisors')!.lists[0]!
  return (doc.supervisors?.rules ?? []).map((rule, index) => ({
    supervisees: row.title(rule as unknown as Record<string, unknown>, doc),
    supervisors: row
      .detail(rule as unknown as Record<string, unknown>, doc)
      .split('; ')
      .filter((x) => x),
    fallback: rule.fallback,
    href: `${editor.section({ section: 'supervisors' })}/rules/${index}`,
  }))
}
