/**
 * The school a policy or calendar page is about: the signed-in person's own school, or the first
 * school of the trust when they belong to the trust centrally (src/features/school-scope.ts).
 */
import type { FastifyRequest } from 'fastify'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { SchoolSummary } from '../../services/staff/repository.ts'
import { schoolFor } from '../school-scope.ts'

export async function currentSchool(req: FastifyRequest): Promise<SchoolSummary | null> {
  return (await schoolFor(req, undefined))?.school ?? null
}

/** Today in Europe/London. */
export function today(): string {
  return londonDateOf(new Date())
}

/** A version number from a hidden field, or null when it is not one. */
export function readWholeNumber(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}
