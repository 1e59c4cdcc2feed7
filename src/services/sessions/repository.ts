/**
 * Sessions as the scheduling screens need them. The SQL lives in src/db/repositories/sessions/;
 * this keeps the types and the few rules over them (which rebooking counts, a session as the
 * clash check sees it).
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { liveSessionsOnDay, type SessionDetail } from '../../db/repositories/sessions/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { ScheduledSession } from '../../domain/scheduling/index.ts'

export {
  type CancellationDetail,
  type CancellationKind,
  type Participant,
  type PersonName,
  type SessionDetail,
  type SessionStatus,
  type SessionSummary,
  sessionInSchool,
  sessionInSchools,
  sessionsBetween,
} from '../../db/repositories/sessions/index.ts'

/** The date of the earliest live session rebooking this one (null when none), as the compliance engine reads it. */
export function rebookedFor(detail: Pick<SessionDetail, 'rebookings'>): IsoDate | null {
  const live = detail.rebookings.filter((r) => r.status !== 'cancelled').map((r) => r.date)
  return live.length === 0 ? null : (live.sort()[0] as IsoDate)
}

/**
 * Sessions on a day that involve any of these people, in any school of the organisation (a
 * trust's DSL may supervise in two schools): what a booking is checked against for clashes.
 */
export async function scheduledFor(
  db: DbOrTrx,
  organisationId: string,
  date: IsoDate,
  personIds: readonly string[],
  typeName: (typeId: string) => string,
): Promise<ScheduledSession[]> {
  const list = await liveSessionsOnDay(db, organisationId, date, personIds)
  return list.map((s) => ({
    id: s.id,
    date: s.date,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes,
    status: s.status,
    typeName: typeName(s.typeId),
    supervisorIds: s.supervisors.map((p) => p.id),
    superviseeIds: s.supervisees.map((p) => p.id),
  }))
}
