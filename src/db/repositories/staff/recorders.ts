/**
 * Issue 14: who completes the records of a supervision relationship, with its history (ADR 0042:
 * supervision_recorder_setting, each choice in force from its date until the next). Which choice
 * is in force on a date is the domain's rule (`recorderChoiceOn`); this file loads and stores.
 */
import { type RawBuilder, sql } from 'kysely'
import type { RecorderChoice } from '../../../domain/access/records.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { SupervisionKind } from '../../../domain/people/supervision.ts'
import type { DbOrTrx } from '../connection.ts'

/** One choice of a relationship, from its date. */
export interface RecorderSettingEntry {
  effectiveFrom: IsoDate
  choice: RecorderChoice
  /** The named person's name, when the choice names one. */
  personName: string | null
  setAt: Date
}

export interface RelationshipRecorder {
  assignmentId: string
  /** The first day of the relationship: no choice takes effect before it. */
  startsOn: IsoDate
  supervisor: { id: string; name: string }
  /** Every choice made for the relationship, oldest first. */
  history: RecorderSettingEntry[]
}

/** The choices made for each relationship, oldest first. */
export async function recorderHistories(
  db: DbOrTrx,
  organisationId: string,
  assignmentIds: readonly string[],
): Promise<Map<string, RecorderSettingEntry[]>> {
  const result = new Map<string, RecorderSettingEntry[]>(assignmentIds.map((id) => [id, []]))
  if (assignmentIds.length === 0) return result
  const rows = await db
    .selectFrom('supervision_recorder_setting as r')
    .leftJoin('person as rp', 'rp.id', 'r.recorder_person_id')
    .select(['r.assignment_id', 'r.effective_from', 'r.recorder', 'r.recorder_person_id', 'r.created_at'])
    .select('rp.name as recorder_name')
    .where('r.organisation_id', '=', organisationId)
    .where('r.assignment_id', 'in', [...new Set(assignmentIds)])
    .orderBy('r.effective_from')
    .execute()
  for (const row of rows) {
    // A named person no longer there (removed): the supervisor again.
    const choice: RecorderChoice =
      row.recorder === 'person' && row.recorder_person_id
        ? { kind: 'person', personId: row.recorder_person_id }
        : row.recorder === 'supervisee'
          ? { kind: 'supervisee' }
          : { kind: 'supervisor' }
    result.get(row.assignment_id)?.push({
      effectiveFrom: row.effective_from,
      choice,
      personName: choice.kind === 'person' ? (row.recorder_name ?? null) : null,
      setAt: row.created_at,
    })
  }
  return result
}

/** The person's current relationship of this kind on a date, with the history of who completes its records; null when none. */
export async function currentRelationshipRecorder(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  kind: SupervisionKind,
  on: IsoDate,
  options: { forUpdate?: boolean } = {},
): Promise<RelationshipRecorder | null> {
  let query = db
    .selectFrom('supervision_assignment as a')
    .innerJoin('person as sv', 'sv.id', 'a.supervisor_id')
    .select(['a.id', 'a.starts_on', 'sv.id as supervisor_id', 'sv.name as supervisor_name'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.supervisee_id', '=', superviseeId)
    .where('a.kind', '=', kind)
    .where('a.starts_on', '<=', on)
    .where((eb) => eb.or([eb('a.ends_on', 'is', null), eb('a.ends_on', '>=', on)]))
    .orderBy('a.starts_on', 'desc')
    .limit(1)
  if (options.forUpdate) query = query.forUpdate('a')
  const row = await query.executeTakeFirst()
  if (!row) return null
  const histories = await recorderHistories(db, organisationId, [row.id])
  return {
    assignmentId: row.id,
    startsOn: row.starts_on,
    supervisor: { id: row.supervisor_id, name: row.supervisor_name },
    history: histories.get(row.id) ?? [],
  }
}

/** Records a choice from a date: a second choice for the same date replaces the first. */
export async function setRelationshipRecorder(
  trx: DbOrTrx,
  input: {
    organisationId: string
    assignmentId: string
    choice: RecorderChoice
    effectiveFrom: IsoDate
    setBy: string
  },
): Promise<void> {
  const values = {
    recorder: input.choice.kind,
    recorder_person_id: input.choice.kind === 'person' ? input.choice.personId : null,
    set_by: input.setBy,
    created_at: new Date(),
  }
  await trx
    .insertInto('supervision_recorder_setting')
    .values({
      organisation_id: input.organisationId,
      assignment_id: input.assignmentId,
      effective_from: input.effectiveFrom,
      ...values,
    })
    .onConflict((oc) => oc.columns(['assignment_id', 'effective_from']).doUpdateSet(values))
    .execute()
}

/**
 * The relationships between any of a session's supervisors and any of its supervisees current on
 * its date, each with its history of who completes the records.
 */
export async function relationshipsBetween(
  db: DbOrTrx,
  organisationId: string,
  supervisorIds: readonly string[],
  superviseeIds: readonly string[],
  on: IsoDate,
): Promise<{ supervisorId: string; superviseeId: string; history: RecorderSettingEntry[] }[]> {
  if (supervisorIds.length === 0 || superviseeIds.length === 0) return []
  const rows = await db
    .selectFrom('supervision_assignment')
    .select(['id', 'supervisor_id', 'supervisee_id'])
    .where('organisation_id', '=', organisationId)
    .where('supervisor_id', 'in', [...supervisorIds])
    .where('supervisee_id', 'in', [...superviseeIds])
    .where('starts_on', '<=', on)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', on)]))
    .execute()
  const histories = await recorderHistories(
    db,
    organisationId,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    supervisorId: r.supervisor_id,
    superviseeId: r.supervisee_id,
    history: histories.get(r.id) ?? [],
  }))
}

/**
 * For a relationship `a` with a recorder setting `r`, in a list of sessions aliased `s`: the
 * relationship is current on the session's date, `r` is its setting in force that day, and the
 * relationship's supervisor and supervisee are both in the session.
 */
const relationshipOfSessionInForce = sql<boolean>`a.starts_on <= s.date and (a.ends_on is null or a.ends_on >= s.date)
      and r.effective_from <= s.date
      and not exists (
        select 1 from supervision_recorder_setting later
        where later.assignment_id = a.id and later.effective_from > r.effective_from and later.effective_from <= s.date)
      and exists (
        select 1 from session_participant sp
        where sp.session_id = s.id and sp.role = 'supervisor' and sp.person_id = a.supervisor_id)
      and exists (
        select 1 from session_participant sp
        where sp.session_id = s.id and sp.role = 'supervisee' and sp.person_id = a.supervisee_id)`

/**
 * Issue 14 (ADR 0042), for lists of sessions aliased `s`: the session chose nobody at booking and
 * a relationship between its supervisor and its supervisee, current on its date, names this person
 * in the choice in force on that date. A superset of `sessionRecorder` (which also asks that the
 * relationships name one person only); the services apply that rule to what it finds.
 */
export function namedOnRelationship(personId: string) {
  return sql<boolean>`(s.recorder_id is null and exists (
    select 1 from supervision_assignment a
    join supervision_recorder_setting r on r.assignment_id = a.id
    where r.recorder = 'person' and r.recorder_person_id = ${personId}
      and ${relationshipOfSessionInForce}))`
}

/**
 * Issue 14 (ADR 0042), for lists of sessions aliased `s`: `sessionRecorder` put in the query for a
 * person who is not a supervisor of the session: the session chose nobody at booking, and the
 * relationships between its supervisors and its supervisees current on its date, each with its
 * choice in force that day, name this person and nobody else other than a supervisor. The records
 * list offers a session to exactly the person its record page lets complete it.
 */
export function recordsOnlyByRelationship(personId: string) {
  // The person each relationship of the session names in its choice in force that day (null: the supervisor).
  const named = (condition: RawBuilder<unknown>) => sql<boolean>`exists (
    select 1 from supervision_assignment a
    join supervision_recorder_setting r on r.assignment_id = a.id
    cross join lateral (select case r.recorder
      when 'person' then r.recorder_person_id
      when 'supervisee' then a.supervisee_id end as person_id) n
    where ${relationshipOfSessionInForce}
      and n.person_id is not null
      and not exists (
        select 1 from session_participant sp
        where sp.session_id = s.id and sp.role = 'supervisor' and sp.person_id = n.person_id)
      and ${condition})`
  return sql<boolean>`(s.recorder_id is null
    and ${named(sql`n.person_id = ${personId}`)}
    and not ${named(sql`n.person_id <> ${personId}`)})`
}
