/**
 * The school a policy or calendar page is about: the signed-in person's own school, or the first
 * school of the trust when they belong to the trust centrally (src/features/school-scope.ts).
 */
import type { FastifyRequest } from 'fastify'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { SchoolSummary } from '../../services/staff/schools.ts'
import { schoolFor } from '../school-scope.ts'

/**
 * The school a policy page is about: `slug` (from `?school=`, for the pages that read the policy)
 * chooses among the schools the person reaches; one out of reach finds nothing.
 */
export async function currentSchool(req: FastifyRequest, slug?: unknown): Promise<SchoolSummary | null> {
  return (await schoolFor(req, slug))?.school ?? null
}

/**
 * Today in Europe/London: from the app's clock (ADR 0017) when given the request, so tests can set
 * it; the real date otherwise.
 */
export function today(req?: FastifyRequest): string {
  return londonDateOf(req ? req.server.clock() : new Date())
}
