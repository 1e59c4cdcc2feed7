/**
 * What the inspection evidence pack reads beyond the overview's facts (issue 16, ADR 34), and the
 * row that records each pack made. Scoped by school in every query.
 */
import { addDays } from '../../domain/calendar/dates.ts'
import { londonDateOf, londonToInstant } from '../../domain/calendar/index.ts'
import type { SignedContract } from '../../domain/evidence-pack/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { RecordStatus } from '../../domain/records/record.ts'
import type { DbOrTrx } from './connection.ts'

/** Contracts of the school signed by every party between two London dates, with the parties' names. */
export async function signedContractsBetween(
  db: DbOrTrx,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<SignedContract[]> {
  const rows = await db
    .selectFrom('contract as c')
    .innerJoin('person as supervisee', 'supervisee.id', 'c.supervisee_id')
    .innerJoin('person as supervisor', 'supervisor.id', 'c.supervisor_id')
    .select([
      'supervisee.name as superviseeName',
      'supervisor.name as supervisorName',
      'c.academic_year',
      'c.issued_at',
      'c.signed_at',
      'c.status',
    ])
    .where('c.school_id', '=', schoolId)
    .where('c.status', 'in', ['signed', 'superseded'])
    .where('c.signed_at', '>=', londonToInstant(from, '00:00'))
    .where('c.signed_at', '<', londonToInstant(addDays(to, 1), '00:00'))
    .execute()
  return rows.map((r) => ({
    superviseeName: r.superviseeName,
    supervisorName: r.supervisorName,
    academicYear: r.academic_year,
    issuedOn: r.issued_at ? londonDateOf(r.issued_at as Date) : null,
    signedOn: londonDateOf(r.signed_at as Date),
    status: r.status === 'signed' ? 'signed' : 'superseded',
  }))
}

export interface RecordInRange {
  id: string
  sessionId: string
  sessionDate: IsoDate
  status: RecordStatus
}

/** How many rows the pack reads at a time. */
export const packPageSize = 1000

/**
 * The records of the school's sessions dated between two days, oldest first (ids and states: no
 * content), a page at a time: keyset paging on the session's date and the record's id, so the
 * pack holds one page however many records the school has.
 */
export async function* recordsBetween(
  db: DbOrTrx,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
  pageSize = packPageSize,
): AsyncGenerator<RecordInRange[]> {
  let after: { date: IsoDate; id: string } | null = null
  for (;;) {
    const last: { date: IsoDate; id: string } | null = after
    const rows: { id: string; session_id: string; date: IsoDate; status: RecordStatus }[] = await db
      .selectFrom('supervision_record as r')
      .innerJoin('supervision_session as s', 's.id', 'r.session_id')
      .select(['r.id', 'r.session_id', 's.date', 'r.status'])
      .where('r.school_id', '=', schoolId)
      .where('s.school_id', '=', schoolId)
      .where('s.date', '>=', from)
      .where('s.date', '<=', to)
      .$if(last !== null, (q) =>
        q.where((eb) =>
          eb.or([eb('s.date', '>', last!.date), eb.and([eb('s.date', '=', last!.date), eb('r.id', '>', last!.id)])]),
        ),
      )
      .orderBy('s.date')
      .orderBy('r.id')
      .limit(pageSize)
      .execute()
    if (rows.length > 0)
      yield rows.map((r) => ({ id: r.id, sessionId: r.session_id, sessionDate: r.date, status: r.status }))
    if (rows.length < pageSize) return
    const end = rows.at(-1)!
    after = { date: end.date, id: end.id }
  }
}

/** Records a pack made; returns its id. */
export async function insertEvidencePack(
  db: DbOrTrx,
  row: {
    organisationId: string
    schoolId: string
    madeBy: string
    from: IsoDate
    to: IsoDate
    reason: string | null
  },
): Promise<string> {
  const inserted = await db
    .insertInto('evidence_pack')
    .values({
      organisation_id: row.organisationId,
      school_id: row.schoolId,
      made_by: row.madeBy,
      from_date: row.from,
      to_date: row.to,
      record_content: row.reason !== null,
      reason: row.reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return inserted.id
}
