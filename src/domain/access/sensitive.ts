/**
 * Who may see a person's "needs additional support" flag (LH-03): it is sensitive (stress,
 * personal difficulties, performance). Only people granted `staff.sensitive.read` (the DSL and the
 * deputy DSL) see it for anyone, and a person's current line manager and current supervisor see it
 * for the people they manage or supervise. Nobody else, not even the person themself through Haven's
 * staff pages; the DSL tells them what is recorded.
 *
 * Pure: the caller passes who is viewing and who currently manages and supervises the subject.
 */
import { type Actor, can, Permission } from './permissions.ts'

export interface SensitiveSubject {
  id: string
  /** The subject's current line manager, if any. */
  lineManagerId: string | null
  /** The subject's current supervisors (usually one). */
  supervisorIds: readonly string[]
}

export function canSeeAdditionalSupport(viewer: Actor | null | undefined, subject: SensitiveSubject): boolean {
  if (!viewer) return false
  if (can(viewer, Permission.SensitiveFlagsRead)) return true
  if (viewer.personId === subject.id) return false
  if (subject.lineManagerId !== null && viewer.personId === subject.lineManagerId) return true
  return subject.supervisorIds.includes(viewer.personId)
}

/** Whether the viewer may see or set the flag for everyone: filtering by it, importing it, exporting it. */
export function canSeeAllAdditionalSupport(viewer: Actor | null | undefined): boolean {
  return can(viewer, Permission.SensitiveFlagsRead)
}
