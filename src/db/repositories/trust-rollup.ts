/**
 * What the trust rollup reads and keeps (issue 16, item 2; ADR 0033): the trust's academies with
 * their overview change versions and kept rollup figures, in one query; the trust's threshold;
 * and the held sessions recorded at another academy of the trust in which an academy's own people
 * were supervised (cross-school supervision, LH-05). Every function takes the trust (the
 * organisation), and the academy where one is meant; a school of another organisation is never
 * found.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/people/person.ts'
import type { StoredParticipant, StoredSession } from './compliance.ts'
import type { DbOrTrx } from './connection.ts'

type Db = DbOrTrx

export interface KeptAcademyFigures {
  periodId: string
  asAt: IsoDate
  version: number
  /** The figures as kept (JSON text). */
  figures: string
  /** When they were counted. */
  computedAt: Date
}

export interface RollupAcademyRow {
  id: string
  organisationId: string
  slug: string
  name: string
  /** The academy's overview change version now (migration 0011). */
  version: number
  /** Its kept figures for the periods asked about, whatever day or version they were made for. */
  kept: KeptAcademyFigures[]
}

/** Whether the organisation is a trust (only a trust has a rollup). */
export async function isTrust(db: Db, organisationId: string): Promise<boolean> {
  const row = await db.selectFrom('organisation').select('kind').where('id', '=', organisationId).executeTakeFirst()
  return row?.kind === 'trust'
}

/** Every trust's id (organisations of the trust kind), for the rollup's counts ahead of views. */
export async function trustIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('organisation').select('id').where('kind', '=', 'trust').orderBy('id').execute()
  return rows.map((r) => r.id)
}

/** The trust's academies in name order, each with its change version and kept figures for `periodIds`. */
export async function rollupAcademies(
  db: Db,
  organisationId: string,
  periodIds: readonly string[],
): Promise<RollupAcademyRow[]> {
  const { rows } = await sql<{
    id: string
    organisation_id: string
    slug: string
    name: string
    version: string | number
    kept:
      | { period_id: string; as_at: string; change_version: string | number; figures: string; computed_at: string }[]
      | null
  }>`
    select sc.id, sc.organisation_id, sc.slug, sc.name,
      (select coalesce(sum(weight), 0) from overview_change where school_id = sc.id) as version,
      (select json_agg(json_build_object('period_id', f.period_id, 'as_at', f.as_at, 'change_version', f.change_version, 'figures', f.figures, 'computed_at', f.computed_at))
         from trust_rollup_figures f
         where f.school_id = sc.id and f.period_id = any(${sql.val([...periodIds])}::text[])) as kept
    from school sc
    where sc.organisation_id = ${organisationId}
    order by sc.name`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    slug: r.slug,
    name: r.name,
    version: Number(r.version),
    kept: (typeof r.kept === 'string' ? (JSON.parse(r.kept) as NonNullable<typeof r.kept>) : (r.kept ?? [])).map(
      (k) => ({
        periodId: k.period_id,
        asAt: String(k.as_at).slice(0, 10),
        version: Number(k.change_version),
        figures: k.figures,
        computedAt: new Date(k.computed_at),
      }),
    ),
  }))
}

/**
 * Keeps an academy's figures for a period, unless figures made at a later version are already kept
 * (another instance may have been quicker). The academy must be of the trust.
 */
export async function keepAcademyFigures(
  db: Db,
  organisationId: string,
  schoolId: string,
  kept: KeptAcademyFigures,
): Promise<void> {
  await sql`
    insert into trust_rollup_figures (school_id, period_id, as_at, change_version, figures, computed_at)
    select sc.id, ${kept.periodId}, ${kept.asAt}, ${kept.version}, ${kept.figures}, ${kept.computedAt.toISOString()}::timestamptz
    from school sc where sc.id = ${schoolId} and sc.organisation_id = ${organisationId}
    on conflict (school_id, period_id) do update
      set as_at = excluded.as_at, change_version = excluded.change_version, figures = excluded.figures,
          computed_at = excluded.computed_at
      where trust_rollup_figures.change_version <= excluded.change_version`.execute(db)
}

/** The trust's threshold, or null when its central team has not set one. */
export async function rollupThreshold(db: Db, organisationId: string): Promise<number | null> {
  const row = await db
    .selectFrom('trust_rollup_setting')
    .select('threshold_percent')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row ? row.threshold_percent : null
}

/** Sets the trust's threshold. */
export async function saveRollupThreshold(
  db: Db,
  organisationId: string,
  thresholdPercent: number,
  actorId: string,
): Promise<void> {
  await db
    .insertInto('trust_rollup_setting')
    .values({ organisation_id: organisationId, threshold_percent: thresholdPercent, updated_by: actorId })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        threshold_percent: thresholdPercent,
        updated_by: actorId,
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

/**
 * Sessions recorded at another academy of the trust in which a person of `schoolId` was a
 * supervisee (LH-05), with everyone who took part: the rollup counts them where the supervisee
 * belongs.
 */
export async function sessionsElsewhere(
  db: Db,
  organisationId: string,
  schoolId: string,
): Promise<{ sessions: StoredSession[]; participants: StoredParticipant[] }> {
  // From the academy's people by the participants' person index: asked as "a session in which one
  // of them was a supervisee", the planner read every participant of the trust (ADR 0044; five
  // times slower on the bench trust's 624,000 participants).
  const sessions = await sql<{ id: string; type_id: string; date: string; status: StoredSession['status'] }>`
    select s.id, s.type_id, s.date, s.status
    from supervision_session s
    join school sc on sc.id = s.school_id and sc.organisation_id = ${organisationId}
    where s.school_id <> ${schoolId}
      and s.id in (
        select p.session_id from session_participant p
        where p.person_id = any(array(select pe.id from person pe where pe.school_id = ${schoolId}))
          and p.role = 'supervisee')
    order by s.date`.execute(db)
  const ids = sessions.rows.map((r) => r.id)
  if (ids.length === 0) return { sessions: [], participants: [] }
  const participants = await db
    .selectFrom('session_participant')
    .select(['session_id', 'person_id', 'role', 'attended'])
    .where('session_id', 'in', ids)
    .execute()
  return {
    sessions: sessions.rows.map((s) => ({
      id: s.id,
      typeId: s.type_id,
      date: String(s.date).slice(0, 10),
      status: s.status,
      tags: [],
    })),
    participants: participants.map((p) => ({
      sessionId: p.session_id,
      personId: p.person_id,
      role: p.role,
      attended: p.attended,
    })),
  }
}
