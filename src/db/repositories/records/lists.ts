/**
 * The lists of the records area: the sessions a person took part in with their records (decisions
 * for children's records are queued in child_decision, repositories/children.ts).
 */

import { emptyListQuery, type ListQuery } from '../../../domain/lists/list-query.ts'
import type { RecordStatus } from '../../../domain/records/record.ts'
import type { DbOrTrx } from '../connection.ts'
import { type Page, pageOf, sessionListFilters } from '../paging.ts'
import { recordsOnlyByRelationship } from '../staff/recorders.ts'
import { templateNameOf } from './records.ts'

export interface OwnSession {
  id: string
  schoolId: string
  date: string
  startTime: string | null
  typeId: string
  /** How the viewer took part; null for a session they see as DSL or complete as recorder. */
  role: 'supervisor' | 'supervisee' | null
  supervisorNames: string[]
  superviseeNames: string[]
  records: { id: string; name: string; status: RecordStatus }[]
}

/**
 * Whose sessions the records list shows (issue 16, X-06): those the person took part in or
 * completes the record of, and, for a DSL (`dslSchoolId`), every session of their school with a
 * record. The same reach as domain/access/records.ts, put in the query.
 */
export interface RecordsListScope {
  organisationId: string
  personId: string
  dslSchoolId: string | null
}

export type RecordsListSort = 'date' | 'type'

const recordStatuses = ['draft', 'completed', 'signed'] as const

function recordsListBase(db: DbOrTrx, scope: RecordsListScope, query: ListQuery<RecordsListSort>) {
  let base = db
    .selectFrom('supervision_session as s')
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .where('sc.organisation_id', '=', scope.organisationId)
    .where('s.status', '<>', 'cancelled')
    .where((eb) => {
      const mine = eb.exists(
        eb
          .selectFrom('session_participant as me')
          .select('me.person_id')
          .whereRef('me.session_id', '=', 's.id')
          .where('me.person_id', '=', scope.personId),
      )
      // Who completes the record: chosen at booking, or named on its relationships, as the record
      // page decides it (sessionRecorder, ADR 0042): a group whose relationships name two different
      // people is offered to neither of them, only to its leader, who takes part in it.
      const recording = eb.or([eb('s.recorder_id', '=', scope.personId), recordsOnlyByRelationship(scope.personId)])
      if (scope.dslSchoolId === null) return eb.or([mine, recording])
      return eb.or([
        mine,
        recording,
        eb.and([
          eb('s.school_id', '=', scope.dslSchoolId),
          eb.exists(eb.selectFrom('supervision_record as rr').select('rr.id').whereRef('rr.session_id', '=', 's.id')),
        ]),
      ])
    })
  for (const condition of sessionListFilters(query)) base = base.where(condition)
  const status = query.status
  if (status && (recordStatuses as readonly string[]).includes(status)) {
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('supervision_record as sr')
          .select('sr.id')
          .whereRef('sr.session_id', '=', 's.id')
          .where('sr.status', '=', status as (typeof recordStatuses)[number]),
      ),
    )
  } else if (status === 'none') {
    base = base.where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('supervision_record as sr').select('sr.id').whereRef('sr.session_id', '=', 's.id')),
      ),
    )
  }
  return base
}

/**
 * One page of the sessions the records list shows, newest first unless sorted otherwise, with how
 * many match: never cut short (issue 16).
 */
export async function recordsListPage(
  db: DbOrTrx,
  scope: RecordsListScope,
  query: ListQuery<RecordsListSort>,
): Promise<Page<OwnSession>> {
  const page = await pageOf(
    recordsListBase(db, scope, query),
    (q) =>
      q
        .select(['s.id', 's.date', 's.start_time', 's.type_id', 's.school_id'])
        .orderBy(query.sort === 'type' ? 's.type_id' : 's.date', query.direction)
        .orderBy('s.date', 'desc')
        .orderBy('s.id'),
    query,
  )
  const ids = page.rows.map((s) => s.id)
  if (ids.length === 0) return { total: page.total, rows: [] }
  const [records, people] = await Promise.all([
    db
      .selectFrom('supervision_record')
      .select(['id', 'session_id', 'status', 'template'])
      .where('session_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('session_participant as p')
      .innerJoin('person as pe', 'pe.id', 'p.person_id')
      .select(['p.session_id', 'p.person_id', 'p.role', 'pe.name'])
      .where('p.session_id', 'in', ids)
      .orderBy('pe.name')
      .execute(),
  ])
  return {
    total: page.total,
    rows: page.rows.map((s) => {
      const of = people.filter((p) => p.session_id === s.id)
      return {
        id: s.id,
        schoolId: s.school_id,
        date: s.date,
        startTime: s.start_time,
        typeId: s.type_id,
        role: of.find((p) => p.person_id === scope.personId)?.role ?? null,
        supervisorNames: of.filter((p) => p.role === 'supervisor').map((p) => p.name),
        superviseeNames: of.filter((p) => p.role === 'supervisee').map((p) => p.name),
        records: records
          .filter((r) => r.session_id === s.id)
          .map((r) => ({ id: r.id, name: templateNameOf(r.template), status: r.status })),
      }
    }),
  }
}

/** The people and session types the records list can be filtered by: those of the sessions it reaches. */
export async function recordsListChoices(
  db: DbOrTrx,
  scope: RecordsListScope,
): Promise<{
  people: { id: string; name: string; role: 'supervisor' | 'supervisee' }[]
  types: { schoolId: string; typeId: string }[]
}> {
  const none = { ...emptyListQuery, sort: 'date' as const }
  const sessions = recordsListBase(db, scope, none).select('s.id')
  const [people, types] = await Promise.all([
    db
      .selectFrom('session_participant as p')
      .innerJoin('person as pe', 'pe.id', 'p.person_id')
      .select(['p.person_id', 'pe.name', 'p.role'])
      .distinct()
      .where('p.session_id', 'in', sessions)
      .orderBy('pe.name')
      .orderBy('p.person_id')
      .execute(),
    recordsListBase(db, scope, none).select(['s.school_id', 's.type_id']).distinct().execute(),
  ])
  return {
    people: people.map((p) => ({ id: p.person_id, name: p.name, role: p.role })),
    types: types.map((t) => ({ schoolId: t.school_id, typeId: t.type_id })),
  }
}
