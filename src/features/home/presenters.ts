/** The home page's next steps (issue 18) as the page shows them: each link given its address. */
import type { HomeBlocks, HomeItem, HomeLink, SetupStep } from '../../domain/home/next-steps.ts'
import { paths } from '../../paths/index.ts'

/** The address of the page where an item's work is done; `school` is '?school=<slug>' style query for trust-wide pages. */
export function hrefOf(link: HomeLink, school: { school?: string } = {}): string {
  switch (link.to) {
    case 'requests':
      return paths.sessions.requests(school)
    case 'new-request':
      return paths.sessions.newRequest()
    case 'decisions':
      return paths.children.decisions(school)
    case 'escalations':
      return paths.escalations.index()
    case 'overview-list':
      return `${paths.overview.list(link.list)}${school.school ? `?school=${encodeURIComponent(school.school)}` : ''}`
    case 'your-sessions':
      return paths.sessions.index()
    case 'records':
      return paths.records.index()
    case 'session':
      return paths.sessions.show({ id: link.sessionId })
    case 'session-records':
      return paths.records.session({ sessionId: link.sessionId })
    case 'preparation':
      return paths.records.preparation({ sessionId: link.sessionId })
    case 'record':
      return paths.records.show({ recordId: link.recordId })
    case 'policy':
      return paths.policy.index()
    case 'calendar':
      return paths.calendar.index()
    case 'staff-import':
      return paths.staff.import()
    case 'staff':
      return paths.staff.index()
    case 'planner':
      return paths.planner.index()
    case 'contracts-issue':
      return paths.contracts.issue()
  }
}

export interface ItemView {
  key: string
  text: string
  href: string
}

export interface HomeView {
  setup: (Omit<SetupStep, 'link'> & { href: string })[] | null
  setupLeft: number
  dsl: ItemView[] | null
  supervisor: ItemView[] | null
  supervisee: { next: { text: string; href: string } | null; items: ItemView[] } | null
}

export function homeView(blocks: HomeBlocks, schoolSlug?: string): HomeView {
  const q = schoolSlug ? { school: schoolSlug } : {}
  const item = (i: HomeItem): ItemView => ({ key: i.key, text: i.text, href: hrefOf(i.link, q) })
  return {
    setup: blocks.setup?.map(({ link, ...s }) => ({ ...s, href: hrefOf(link, q) })) ?? null,
    setupLeft: blocks.setup?.filter((s) => !s.done).length ?? 0,
    dsl: blocks.dsl?.map(item) ?? null,
    supervisor: blocks.supervisor?.map(item) ?? null,
    supervisee: blocks.supervisee
      ? {
          next: blocks.supervisee.next
            ? { text: blocks.supervisee.next.text, href: hrefOf(blocks.supervisee.next.link, q) }
            : null,
          items: blocks.supervisee.items.map(item),
        }
      : null,
  }
}
