/**
 * The school a policy or calendar page is about: the signed-in person's own school, or the first
 * school of their organisation when they belong to the trust rather than one school.
 */
import type { FastifyRequest } from 'fastify'
import { londonDateOf } from '../../domain/calendar/index.ts'
import { type SchoolSummary, schoolsOf } from '../../services/staff/repository.ts'

export async function currentSchool(req: FastifyRequest): Promise<SchoolSummary | null> {
  const person = req.session!.person
  const schools = await schoolsOf(req.server.db, person.organisationId)
  return schools.find((s) => s.id === person.schoolId) ?? schools[0] ?? null
}

/** Today in Europe/London. */
export function today(): string {
  return londonDateOf(new Date())
}

/** A version number from a hidden field, or null when it is not one. */
export function readWholeNumber(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}
