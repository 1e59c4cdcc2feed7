/**
 * The school a school-wide page is about, for every feature: chosen by `?school=<slug>` among the
 * schools the signed-in person reaches (src/domain/access/schools.ts), else their own. A slug
 * outside their reach finds nothing, so the page answers "not found".
 */
import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify'
import { chooseSchool } from '../domain/access/schools.ts'
import type { RoleId } from '../domain/people/roles.ts'
import { whenFound } from '../plugins/errors.ts'
import { type SchoolSummary, schoolsOf } from '../services/staff/schools.ts'

export interface FoundSchool {
  school: SchoolSummary
  /** The schools this person may choose among (one, unless they belong to the trust centrally). */
  schools: SchoolSummary[]
}

export async function schoolFor(req: FastifyRequest, slug: unknown): Promise<FoundSchool | null> {
  const actor = req.actor!
  return chooseSchool(actor, await schoolsOf(req.server.db, actor.organisationId), slug)
}

/** The school with this id, when the signed-in person reaches it. */
export async function schoolById(req: FastifyRequest, schoolId: string | null): Promise<FoundSchool | null> {
  const found = await schoolFor(req, undefined)
  if (!found) return null
  const school = found.schools.find((s) => s.id === schoolId)
  return school ? { school, schools: found.schools } : null
}

/** True when a page about someone of `schoolId` (null: the trust centrally) is within reach. */
export function personInReach(req: FastifyRequest, schoolId: string | null): boolean {
  return req.actor!.inReach(schoolId)
}

/** The signed-in person's roles for a page about `schoolId`: none beyond their reach. */
export function rolesFor(req: FastifyRequest, schoolId: string | null): readonly RoleId[] {
  return req.actor!.rolesIn(schoolId)
}

/** `school=<slug>` for links, only where the person chooses among several schools; else ''. */
export function schoolQuery(school: { slug: string }, schools: readonly unknown[]): string {
  return schools.length > 1 ? `school=${encodeURIComponent(school.slug)}` : ''
}

/** `path` with `query` added (no change for an empty query). */
export function withQuery(path: string, query: string): string {
  return query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path
}

/**
 * A page about the school chosen by `?school=`, found by `find` (schoolFor, or a feature's narrower
 * search that also checks a permission there): the handler is given the school; a school beyond
 * the person's reach is not found.
 */
export function schoolPage<R extends RouteGenericInterface>(
  find: (req: FastifyRequest, slug: unknown) => Promise<FoundSchool | null>,
  handler: (req: FastifyRequest<R>, reply: FastifyReply, found: FoundSchool) => Promise<unknown>,
) {
  return whenFound((req: FastifyRequest<R>) => find(req, (req.query as { school?: string }).school), handler)
}
