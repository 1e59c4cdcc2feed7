/**
 * The access trail (X-06, issue 16): who opened, printed or exported which record, and when, read
 * back from the audit log. An entry is about a record (`subject_type = 'record'`) or about a
 * session whose preparation or carried-forward content was shown (`'session'`); both lead to the
 * session, which gives the school (the scope, in the `where` clause) and the people who took part.
 * A school's entries from before it joined a trust are read too (organisationAuditEntries).
 */
import { sql } from 'kysely'
import type { ListQuery } from '../../domain/lists/list-query.ts'
import { organisationAuditEntries } from './audit.ts'
import type { DbOrTrx } from './connection.ts'
import { direction, nameContains, type Page, pageOf, participantNamed, takesPart } from './paging.ts'
import { templateNameOf } from './records/records.ts'

/** The actions that read a record's content: opening (on a page, as a PDF, to sign) and exporting. */
export const trailActions = ['record.open', 'record.export'] as const

/** Whose trail: a school's (the DSL), or the sessions one person took part in (their own records). */
export type TrailScope =
  | { kind: 'school'; organisationId: string; schoolId: string }
  | { kind: 'participant'; organisationId: string; personId: string }

export type TrailSort = 'when' | 'who' | 'session'

export interface TrailQuery extends ListQuery<TrailSort> {
  /** Instants bounding the days `from` and `to` (London), worked out by the caller. */
  fromInstant: Date | null
  toInstant: Date | null
}

export interface TrailRow {
  id: number
  occurredAt: Date
  actorId: string | null
  actorName: string | null
  format: string | null
  subjectType: string
  recordId: string | null
  recordName: string | null
  sessionId: string
  sessionDate: string
  sessionTypeId: string
  schoolId: string
  /** The people of the session, by name. */
  supervisees: string[]
  supervisors: string[]
}

function trailBase(db: DbOrTrx, scope: TrailScope, query: TrailQuery) {
  let base = db
    .selectFrom(organisationAuditEntries(db, scope.organisationId).as('ae'))
    .leftJoin('supervision_record as r', (j) =>
      j.on((eb) => eb.and([eb('ae.subject_type', '=', 'record'), eb(sql`r.id::text`, '=', eb.ref('ae.subject_id'))])),
    )
    .innerJoin('supervision_session as s', (j) =>
      j.on(
        sql<boolean>`s.id::text = coalesce(r.session_id::text, case when ae.subject_type = 'session' then ae.subject_id end)`,
      ),
    )
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .leftJoin('person as op', 'op.id', 'ae.actor_id')
    .where('sc.organisation_id', '=', scope.organisationId)
    .where('ae.subject_type', 'in', ['record', 'session'])
    .where('ae.action', 'in', [...trailActions])
  if (scope.kind === 'school') base = base.where('s.school_id', '=', scope.schoolId)
  else base = base.where(takesPart(scope.personId))
  if (query.person) base = base.where('ae.actor_id', '=', query.person)
  if (query.record) base = base.where('r.id', '=', query.record)
  if (query.fromInstant) base = base.where('ae.occurred_at', '>=', query.fromInstant)
  if (query.toInstant) base = base.where('ae.occurred_at', '<', query.toInstant)
  if (query.q) {
    const q = query.q
    base = base.where((eb) => eb.or([nameContains('op.name', q), participantNamed(q)]))
  }
  return base
}

/** One page of the trail, newest first unless sorted otherwise, with the number of entries that match. */
export async function trailPage(db: DbOrTrx, scope: TrailScope, query: TrailQuery): Promise<Page<TrailRow>> {
  const base = trailBase(db, scope, query)
  const dir = direction(query.direction)
  const page = await pageOf(
    base,
    (q) => {
      const columns = q.select([
        'ae.id',
        'ae.occurred_at',
        'ae.actor_id',
        'ae.detail',
        'ae.subject_type',
        'op.name as actor_name',
        'r.id as record_id',
        'r.template',
        's.id as session_id',
        's.date',
        's.type_id',
        's.school_id',
      ])
      const sorted =
        query.sort === 'who'
          ? columns.orderBy(sql`op.name ${dir}`)
          : query.sort === 'session'
            ? columns.orderBy(sql`s.date ${dir}`)
            : columns
      return sorted.orderBy('ae.id', query.sort === 'when' ? query.direction : 'desc')
    },
    query,
  )
  const sessionIds = [...new Set(page.rows.map((r) => r.session_id))]
  const people =
    sessionIds.length === 0
      ? []
      : await db
          .selectFrom('session_participant as p')
          .innerJoin('person as pe', 'pe.id', 'p.person_id')
          .select(['p.session_id', 'p.role', 'pe.name'])
          .where('p.session_id', 'in', sessionIds)
          .orderBy('pe.name')
          .execute()
  const namesOf = (sessionId: string, role: 'supervisor' | 'supervisee') =>
    people.filter((p) => p.session_id === sessionId && p.role === role).map((p) => p.name)
  return {
    total: page.total,
    rows: page.rows.map((r) => {
      const detail = r.detail as { format?: unknown } | null
      return {
        id: Number(r.id),
        occurredAt: r.occurred_at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        format: typeof detail?.format === 'string' ? detail.format : null,
        subjectType: r.subject_type,
        recordId: r.record_id,
        recordName: r.record_id ? templateNameOf(r.template) : null,
        sessionId: r.session_id,
        sessionDate: r.date,
        sessionTypeId: r.type_id,
        schoolId: r.school_id,
        supervisees: namesOf(r.session_id, 'supervisee'),
        supervisors: namesOf(r.session_id, 'supervisor'),
      }
    }),
  }
}

/** Everyone who appears in a school's trail as having opened something, by name (the "who" filter). */
export async function trailOpeners(
  db: DbOrTrx,
  scope: Extract<TrailScope, { kind: 'school' }>,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('person as p')
    .select(['p.id', 'p.name'])
    .where('p.organisation_id', '=', scope.organisationId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom(organisationAuditEntries(db, scope.organisationId).as('ae'))
          .select('ae.id')
          .where(sql<boolean>`ae.actor_id = p.id`)
          .where('ae.school_id', '=', scope.schoolId)
          .where('ae.action', 'in', [...trailActions]),
      ),
    )
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
}

/** The school of each of the organisation's records named (for audit entries about records shown in a list). */
export async function schoolsOfRecords(
  db: DbOrTrx,
  organisationId: string,
  recordIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(recordIds)]
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('supervision_record as r')
    .innerJoin('school as sc', 'sc.id', 'r.school_id')
    .select(['r.id', 'r.school_id'])
    .where('sc.organisation_id', '=', organisationId)
    .where('r.id', 'in', ids)
    .execute()
  return new Map(rows.map((r) => [r.id, r.school_id]))
}
