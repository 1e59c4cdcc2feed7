/**
 * What the compliance engine reads for one school, as stored: sessions with their participants,
 * cancellations with their rebookings, and the overrides in force. Every query is scoped by the
 * school; the services turn these into the engine's facts.
 */
import { sql } from 'kysely'
import type { SessionFact } from '../../domain/compliance/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PersonOverride } from '../../domain/policy/index.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredSession {
  id: string
  typeId: string
  date: string
  status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
  tags: string[]
}

export interface StoredParticipant {
  sessionId: string
  personId: string
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
}

/** Separators of the text the sessions are read as (control characters: never in an id, a date or a policy's slug). */
const recordSep = '\x1e'
const fieldSep = '\x1f'
const itemSep = '\x1d'

/**
 * The school's sessions, by date, each with the people who took part in it (someone marked absent
 * from a held group session did not receive it, and is left out), as the engine's facts.
 *
 * Read as one text value, split here: thousands of rows of sessions and participants, each
 * decoded column by column by the driver (PGlite decodes in JavaScript), were most of the time
 * of the first governors' report on a large school (issue 16); JSON built by the database took
 * longer to build than the text.
 */
export async function sessionFactsOfSchool(db: DbOrTrx, schoolId: string): Promise<SessionFact[]> {
  const { rows } = await sql<{ facts: string | null }>`
    select string_agg(concat_ws(chr(31), s.id, s.type_id, s.date, s.status, array_to_string(s.tags, chr(29)),
        coalesce(p.supervisors, ''), coalesce(p.supervisees, '')), chr(30) order by s.date) as facts
    from supervision_session s
    left join (
      select p.session_id,
        string_agg(p.person_id::text, chr(29)) filter (where p.role = 'supervisor') as supervisors,
        string_agg(p.person_id::text, chr(29)) filter (where p.role = 'supervisee') as supervisees
      from session_participant p
      join supervision_session ps on ps.id = p.session_id
      where ps.school_id = ${schoolId} and p.attended is not false
      group by p.session_id
    ) p on p.session_id = s.id
    where s.school_id = ${schoolId}`.execute(db)
  const text = rows[0]?.facts
  if (!text) return []
  const list = (field: string) => (field === '' ? [] : field.split(itemSep))
  return text.split(recordSep).map((record) => {
    const [id, typeId, date, status, tags, supervisors, supervisees] = record.split(fieldSep) as [
      string,
      string,
      IsoDate,
      SessionFact['status'],
      string,
      string,
      string,
    ]
    return {
      id,
      typeId,
      date,
      status,
      supervisorIds: list(supervisors),
      superviseeIds: list(supervisees),
      tags: list(tags),
    }
  })
}

export interface StoredCancellation {
  id: string
  sessionId: string
  typeId: string
  date: string
  reasonId: string
  returnDate: string | null
  /** The date of one rebooking not itself cancelled (one row per rebooking), or null. */
  rebookedFor: string | null
}

/** The school's cancellations, one row per rebooking that was not itself cancelled. */
export async function cancellationsOfSchool(db: DbOrTrx, schoolId: string): Promise<StoredCancellation[]> {
  const rows = await db
    .selectFrom('session_cancellation as c')
    .innerJoin('supervision_session as s', 's.id', 'c.session_id')
    .leftJoin('supervision_session as r', (join) =>
      join.onRef('r.rebooks_session_id', '=', 's.id').on('r.status', '!=', 'cancelled'),
    )
    .select(['c.id', 'c.session_id', 's.type_id', 's.date', 'c.reason_id', 'c.return_date', 'r.date as rebooked_for'])
    .where('c.school_id', '=', schoolId)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    typeId: r.type_id,
    date: r.date,
    reasonId: r.reason_id,
    returnDate: r.return_date,
    rebookedFor: r.rebooked_for ?? null,
  }))
}

/** The supervisees of the school's cancelled sessions. */
export async function cancelledSupervisees(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ sessionId: string; personId: string }[]> {
  const rows = await db
    .selectFrom('session_participant as p')
    .innerJoin('session_cancellation as c', 'c.session_id', 'p.session_id')
    .select(['p.session_id', 'p.person_id'])
    .where('c.school_id', '=', schoolId)
    .where('p.role', '=', 'supervisee')
    .execute()
  return rows.map((r) => ({ sessionId: r.session_id, personId: r.person_id }))
}

/** The overrides in force at the school, oldest first. */
export async function overridesInForce(db: DbOrTrx, schoolId: string): Promise<PersonOverride[]> {
  const rows = await db
    .selectFrom('person_override')
    .select(['override'])
    .where('school_id', '=', schoolId)
    .where('ended_at', 'is', null)
    .orderBy('set_at')
    .execute()
  return rows.map((r) => r.override as PersonOverride)
}
