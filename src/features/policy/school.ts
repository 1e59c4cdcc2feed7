/**
 * The school a policy or calendar page is about: the signed-in person's own school, or the first
 * school of the trust when they belong to the trust centrally (src/features/school-scope.ts).
 */
import type { FastifyRequest } from 'fastify'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { SchoolSummary } from '../../services/staff/schools.ts'
import { schoolFor } from '../school-scope.ts'

export async function currentSchool(req: FastifyRequest): Promise<SchoolSummary | null> {
  return (await schoolFor(req, undefined))?.school ?? null
}

/**
 * Today in Europe/London: from the app's clock (ADR 0017) when given the request, so tests can set
 * it; the real date otherwise.
 */
export function today(req?: FastifyRequest): string {
  return londonDateOf(req ? req.server.clock() : new Date())
}
