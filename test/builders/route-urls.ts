/**
 * Concrete addresses for the registered routes of the app, for the tests that walk every route
 * (the authorisation matrix, the fuzz test): each path parameter filled with the id of an object
 * of the trust fixture (in the viewer's own school, another school of the trust, or another
 * supervisee's), or with a fixed value where the parameter names no school's object.
 */
import { randomUUID } from 'node:crypto'
import type { Objects, TrustFixture } from './trust.ts'

export type Where = keyof Objects
export const everywhere: readonly Where[] = ['own', 'otherSchool', 'otherSupervisee']

/** The kind of object a route is about (its first object parameter), or null when it names none. */
export function objectKindOf(
  url: string,
):
  | keyof Pick<
      TrustFixture,
      | 'sessions'
      | 'plannedSessions'
      | 'records'
      | 'contracts'
      | 'requests'
      | 'persons'
      | 'templates'
      | 'uploads'
      | 'plannerRows'
    >
  | null {
  if (url.startsWith('/records/sessions/:sessionId')) return 'sessions'
  if (url.startsWith('/records/:recordId')) return 'records'
  if (url.startsWith('/sessions/requests/:id')) return 'requests'
  if (url.startsWith('/sessions/:id')) return 'plannedSessions'
  if (url.startsWith('/contracts/:id')) return 'contracts'
  if (url.startsWith('/staff/import/:id')) return 'uploads'
  if (url.startsWith('/staff/:id')) return 'persons'
  if (url.startsWith('/further-support/:personId')) return 'persons'
  if (url.startsWith('/development-plan/:personId')) return 'persons'
  if (url.startsWith('/templates/school/:templateId')) return 'templates'
  if (url.startsWith('/planner/rows/:id')) return 'plannerRows'
  return null
}

const unknownId = randomUUID()

/** The address of `route` about the object `where` (ignored for routes about no object). */
export function concreteUrl(f: TrustFixture, route: string, where: Where = 'own'): string {
  const kind = objectKindOf(route)
  const object = kind ? f[kind][where] : ''
  const fixed: Record<string, string> = {
    id: f.outboxId,
    yearId: f.yearId,
    file: route.startsWith('/feeds/') ? `${'a'.repeat(43)}.ics` : '1',
    token: 'a'.repeat(43),
    ref: f.otherSessionRef,
    kind: 'supervisor',
    section: 'supervisors',
    sectionId: f.templateSection,
    fieldId: f.templateField,
    decisionId: unknownId,
    holdId: unknownId,
    tokenId: unknownId,
    meetingId: unknownId,
    shareId: unknownId,
    pupilId: unknownId,
    caseId: unknownId,
    assessmentId: unknownId,
    referralId: unknownId,
    itemId: unknownId,
    requestId: unknownId,
    teamId: unknownId,
    personId: f.people.supervisee,
    slug: f.schoolA.slug,
    templateId: route.startsWith('/templates/built-in/') ? 'ca-supervision-record' : object,
  }
  let first = true
  const query: Record<string, string> = {
    '/templates/copy': '?from=built-in:ca-supervision-record',
    '/contracts/new': `?person=${f.people.supervisee}&year=${f.yearId}`,
  }
  return route
    .replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (first && kind && name !== 'templateId') {
        first = false
        return object
      }
      const value = fixed[name]
      if (value === undefined) throw new Error(`no value for :${name} in ${route}`)
      return value
    })
    .replace(/\/\*$/, '/x')
    .concat(query[route] ?? '')
}
