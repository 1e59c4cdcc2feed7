/**
 * Who may open a supervision record (X-06, CA-09): the supervisee or supervisees, the supervisor or
 * supervisors, and the school's DSL (granted `records.read-all`). Nobody else: not the
 * headteacher, not an administrator, not a deputy DSL who was not there.
 *
 * Who may write it: a draft is written by the supervisors, and also by the supervisees when the
 * policy says either (or the supervisee) records (MW: "recordedBy: either"). Preparation is the
 * supervisee's own.
 *
 * Pure: the caller passes who is asking and who took part.
 */
import { type Actor, can, Permission } from './permissions.ts'

export interface RecordViewer extends Actor {
  /** The viewer's own school (null for trust-wide staff). */
  schoolId: string | null
  organisationId: string
}

export interface RecordParties {
  organisationId: string
  schoolId: string
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
}

export type RecordRole = 'supervisor' | 'supervisee' | 'dsl'

/** How the viewer stands to the record, or null when they may not open it. A participant's own role wins over DSL. */
export function recordRoleOf(viewer: RecordViewer | null | undefined, record: RecordParties): RecordRole | null {
  if (!viewer) return null
  if (viewer.organisationId !== record.organisationId) return null
  if (record.supervisorIds.includes(viewer.personId)) return 'supervisor'
  if (record.superviseeIds.includes(viewer.personId)) return 'supervisee'
  if (viewer.schoolId === record.schoolId && can(viewer, Permission.RecordsReadAll)) return 'dsl'
  return null
}

export function canOpenRecord(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return recordRoleOf(viewer, record) !== null
}

export type RecordedBy = 'supervisor' | 'supervisee' | 'either'

/** Whether the viewer may write the draft of the session's record. */
export function canWriteRecord(
  viewer: RecordViewer | null | undefined,
  record: RecordParties,
  recordedBy: RecordedBy,
): boolean {
  const role = recordRoleOf(viewer, record)
  // The supervisor completes the record, so may always write it.
  if (role === 'supervisor') return true
  if (role === 'supervisee') return recordedBy === 'either' || recordedBy === 'supervisee'
  return false
}

/** Completing a record is the supervisor's (X-05, AM-06: the supervisor takes the notes and shares them). */
export function canCompleteRecord(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return recordRoleOf(viewer, record) === 'supervisor'
}

/** A supervisee prepares for their own session (CA-06); nobody prepares for someone else. */
export function canPrepare(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return recordRoleOf(viewer, record) === 'supervisee'
}

/** Addenda to a locked record: the people who took part, and the DSL. */
export function canAddAddendum(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return recordRoleOf(viewer, record) !== null
}

/**
 * Whether the viewer may mark a decision about a child as entered on the child's own record
 * anyone who may open the record, unless the policy names the role that signs decisions
 * off (AM-04), when only that role may.
 */
export function mayMarkRecorded(
  viewer: Actor,
  policy: { childRecord: { signOffRole?: string | null } } | null,
): boolean {
  const role = policy?.childRecord.signOffRole ?? null
  return role === null || (viewer.roles as readonly string[]).includes(role)
}
