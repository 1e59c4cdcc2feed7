/**
 * Who may open a supervision record (X-06, CA-09): the supervisee or supervisees, the supervisor or
 * supervisors, and the school's DSL (granted `records.read-all`). Nobody else: not the
 * headteacher, not an administrator, not a deputy DSL who was not there.
 *
 * Who may write it: a draft is written by the supervisors, and also by the supervisees when the
 * policy says either (or the supervisee) records (MW: "recordedBy: either"). Preparation is the
 * supervisee's own.
 *
 * Who completes it (issue 14, ADR 0023): the supervisor, unless the supervision relationship (or
 * the session, at booking) names someone else: the supervisee, or a named person (a manager who
 * completes the form even in her own session as supervisee). That person may open, write and
 * complete the record; signing stays with the supervisor and supervisee.
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
  /** Issue 14: who completes the record, when not the supervisors (null or missing: the supervisors). */
  recorderId?: string | null
}

/** `recorder`: the named person who completes the record without taking part in the session. */
export type RecordRole = 'supervisor' | 'supervisee' | 'dsl' | 'recorder'

/** How the viewer stands to the record, or null when they may not open it. A participant's own role wins over DSL. */
export function recordRoleOf(viewer: RecordViewer | null | undefined, record: RecordParties): RecordRole | null {
  if (!viewer) return null
  if (viewer.organisationId !== record.organisationId) return null
  if (record.supervisorIds.includes(viewer.personId)) return 'supervisor'
  if (record.superviseeIds.includes(viewer.personId)) return 'supervisee'
  if (viewer.schoolId === record.schoolId && can(viewer, Permission.RecordsReadAll)) return 'dsl'
  if (record.recorderId != null && record.recorderId === viewer.personId) return 'recorder'
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
  // Whoever completes the record may always write it, and so may the supervisor (a party to it).
  if (isRecorder(viewer, record)) return true
  if (role === 'supervisor') return true
  if (role === 'supervisee') return recordedBy === 'either' || recordedBy === 'supervisee'
  return false
}

/**
 * Completing a record is the supervisor's (X-05, AM-06: the supervisor takes the notes and shares
 * them), unless someone else was chosen to complete it (issue 14): then it is theirs alone.
 */
export function canCompleteRecord(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  if (record.recorderId != null) return isRecorder(viewer, record)
  return recordRoleOf(viewer, record) === 'supervisor'
}

function isRecorder(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return (
    viewer != null &&
    record.recorderId != null &&
    viewer.personId === record.recorderId &&
    recordRoleOf(viewer, record) !== null
  )
}

/** Issue 14: who completes the records of a supervision relationship. */
export type RecorderChoice = { kind: 'supervisor' } | { kind: 'supervisee' } | { kind: 'person'; personId: string }

/** A relationship between one of a session's supervisors and one of its supervisees, with its choice on the session's date. */
export interface SessionRelationship {
  supervisorId: string
  superviseeId: string
  choice: RecorderChoice
}

/** Who a relationship's choice names, other than the supervisor; null for the supervisor. */
function namedBy(relationship: SessionRelationship): string | null {
  if (relationship.choice.kind === 'supervisee') return relationship.superviseeId
  if (relationship.choice.kind === 'person') return relationship.choice.personId
  return null
}

/**
 * The person who completes a session's record, or null for the default: its supervisors (one
 * supervisor, the group's leader, in a group). The session's own choice (made at booking) wins.
 * Otherwise the choices, in force on the session's date (ADR 0042), of the relationships between
 * its supervisors and its supervisees: when they name exactly one person other than a supervisor
 * (the one-to-one supervisee who completes her own record, the person named for a group's
 * members), that person; when they name nobody, or different people, the supervisors.
 */
export function recorderOf(
  session: { supervisorIds: readonly string[]; superviseeIds: readonly string[]; recorderId: string | null },
  relationships: readonly SessionRelationship[],
): string | null {
  if (session.recorderId !== null) return session.recorderId
  const named = new Set<string>()
  for (const relationship of relationships) {
    if (!session.supervisorIds.includes(relationship.supervisorId)) continue
    if (!session.superviseeIds.includes(relationship.superviseeId)) continue
    const person = namedBy(relationship)
    if (person !== null && !session.supervisorIds.includes(person)) named.add(person)
  }
  return named.size === 1 ? [...named][0]! : null
}

/**
 * Issue 14 (ADR 0042): the one rule for who completes a session's record, as the record page, the
 * home page's "records to write" and the records list all ask it: `recorderOf` with each
 * relationship's choice in force on the session's date. Null: its supervisors.
 */
export function sessionRecorder(session: {
  date: string
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
  recorderId: string | null
  relationships: readonly {
    supervisorId: string
    superviseeId: string
    history: readonly { effectiveFrom: string; choice: RecorderChoice }[]
  }[]
}): string | null {
  return recorderOf(
    session,
    session.relationships.map((r) => ({
      supervisorId: r.supervisorId,
      superviseeId: r.superviseeId,
      choice: recorderChoiceOn(r.history, session.date),
    })),
  )
}

/** Issue 14 (ADR 0042): a relationship's choice as in force on a date: the latest from on or before it; none, the supervisor. */
export function recorderChoiceOn<T extends { effectiveFrom: string; choice: RecorderChoice }>(
  history: readonly T[],
  on: string,
): RecorderChoice {
  let found: T | null = null
  for (const entry of history)
    if (entry.effectiveFrom <= on && (found === null || entry.effectiveFrom > found.effectiveFrom)) found = entry
  return found?.choice ?? { kind: 'supervisor' }
}

/**
 * Issue 14: the person chosen at booking to complete the record: the (first) supervisor, or the one
 * supervisee; null (as set for the relationship) for anything else or for a group's supervisee.
 */
export function recorderChosenAtBooking(
  choice: string,
  session: { supervisorIds: readonly string[]; superviseeIds: readonly string[] },
): string | null {
  if (choice === 'supervisor') return session.supervisorIds[0] ?? null
  if (choice === 'supervisee' && session.superviseeIds.length === 1) return session.superviseeIds[0] ?? null
  return null
}

/** A supervisee prepares for their own session (CA-06); nobody prepares for someone else. */
export function canPrepare(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return recordRoleOf(viewer, record) === 'supervisee'
}

/** Addenda to a locked record: the people who took part, the DSL, and whoever completed it. */
export function canAddAddendum(viewer: RecordViewer | null | undefined, record: RecordParties): boolean {
  return recordRoleOf(viewer, record) !== null
}
