/** What the planner's pages share: their access rule, the school chosen and the planner's address. */
import type { FastifyInstance } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { londonDateOf } from '../../../domain/calendar/london.ts'
import { paths } from '../../../paths/index.ts'
import type { FoundSchool } from '../../school-scope.ts'

export const manage = { access: { permission: Permission.SessionsManage } }

export const conflictMessage =
  'Someone else changed this plan while you were looking at it. Nothing has been confirmed. Check the sessions below, then confirm again.'

export type Found = FoundSchool

/** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
export function todayOf(app: FastifyInstance): string {
  return londonDateOf(app.clock())
}

/** The school chosen, for someone choosing among the trust's schools; else nothing. */
export function schoolParam(found: Found): string | undefined {
  return found.schools.length > 1 ? found.school.slug : undefined
}

/** The hidden `school` field of the planner's forms: the slug when there is a choice, else ''. */
export function schoolField(found: Found): string {
  return schoolParam(found) ?? ''
}

export function plannerHref(found: Found, yearId: string, extra: Record<string, string> = {}): string {
  return paths.planner.index({ school: schoolParam(found), year: yearId, ...extra })
}
