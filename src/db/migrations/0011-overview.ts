import { type Kysely, sql } from 'kysely'

/**
 * The DSL's overview (issue 9). Working the overview out takes tens to hundreds of milliseconds for
 * a school of 300 staff with three years of history (the compliance engine alone takes tens), too
 * slow to do on every view with twenty people looking at once. So the result is kept in the
 * database, shared by every Haven instance, and used for as long as nothing it reads has changed:
 *
 * - `overview_change` is an append-only log: every committed transaction that changes a table the
 *   overview reads adds one row for each school it affects (deferred constraint triggers, once per
 *   school per transaction, at commit). A school's version is the sum of its rows' weights, so it
 *   rises with every change and becomes visible with the data. Rows are only ever added (no row
 *   lock is taken, so writers never wait for each other or deadlock); the service folds a school's
 *   rows into one of the same total weight now and then, which leaves the version unchanged.
 * - `overview_snapshot` keeps, per school, the overview worked out for a day and a version. A
 *   reader reads the version first and the data after it, so a snapshot is never labelled newer
 *   than the data it was made from; at worst it is worked out again.
 *
 * Which schools a change affects: the row's school; for a session, also the schools of its
 * participants (a supervisor's own supervision may be recorded in another school of the trust);
 * for a person, an assignment or the organisation, every school of the organisation. Saving a
 * draft record (and the actions of a draft) affects none: the overview counts only completed and
 * signed records, so writing up a session does not make the overview be worked out again.
 *
 * The snapshot holds figures, staff names, dates and statuses only: no record content and no
 * sensitive flags (those are read live, for the viewers allowed to see them).
 */
const tracked = [
  'organisation',
  'school',
  'person',
  'supervision_assignment',
  'policy_version',
  'academic_year',
  'planner_setting',
  'person_override',
  'supervision_session',
  'session_participant',
  'session_cancellation',
  'supervision_record',
  'record_signature',
  'record_action',
  'record_action_review',
  'contract',
  'contract_signature',
] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('overview_change')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // No foreign key: a school deleted in the same transaction still gets its (harmless) row.
    .addColumn('school_id', 'uuid', (c) => c.notNull())
    .addColumn('weight', 'bigint', (c) => c.notNull().defaultTo(1).check(sql`weight > 0`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index overview_change_school_idx on overview_change (school_id) include (weight)`.execute(db)

  await db.schema
    .createTable('overview_snapshot')
    .addColumn('school_id', 'uuid', (c) => c.primaryKey().references('school.id').onDelete('cascade'))
    .addColumn('change_version', 'bigint', (c) => c.notNull())
    .addColumn('computed_for', 'date', (c) => c.notNull())
    // JSON kept as text: read back whole and parsed by the application, never queried inside.
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('lists', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // The schools this transaction has already noted are kept in a transaction-local setting.
  await sql`
    create function overview_note_change() returns trigger language plpgsql as $$
    declare
      versions jsonb[] := case tg_op
        when 'INSERT' then array[to_jsonb(new)]
        when 'DELETE' then array[to_jsonb(old)]
        else array[to_jsonb(old), to_jsonb(new)] end;
      r jsonb;
      noted text := coalesce(current_setting('haven.overview_changed', true), '');
      schools uuid[] := '{}';
      organisations uuid[] := '{}';
      s uuid;
      o uuid;
      added text;
    begin
      foreach r in array versions loop
        case tg_table_name
          when 'organisation' then
            organisations := organisations || (r ->> 'id')::uuid;
          when 'person', 'supervision_assignment' then
            organisations := organisations || (r ->> 'organisation_id')::uuid;
          when 'school' then
            schools := schools || (r ->> 'id')::uuid;
          when 'supervision_session' then
            schools := schools || (r ->> 'school_id')::uuid || array(
              select pe.school_id from session_participant p join person pe on pe.id = p.person_id
              where p.session_id = (r ->> 'id')::uuid and pe.school_id is not null);
          when 'session_participant' then
            schools := schools
              || array(select school_id from supervision_session where id = (r ->> 'session_id')::uuid)
              || array(select school_id from person where id = (r ->> 'person_id')::uuid and school_id is not null);
          when 'supervision_record' then
            -- Saving a draft changes nothing the overview counts (only completed and signed records do).
            if r ->> 'status' <> 'draft' then
              schools := schools || (r ->> 'school_id')::uuid;
            end if;
          when 'record_action' then
            schools := schools || array(
              select school_id from supervision_record where id = (r ->> 'record_id')::uuid and status <> 'draft');
          when 'record_signature', 'record_action_review' then
            schools := schools || array(select school_id from supervision_record where id = (r ->> 'record_id')::uuid);
          when 'contract_signature' then
            schools := schools || array(select school_id from contract where id = (r ->> 'contract_id')::uuid);
          else
            schools := schools || (r ->> 'school_id')::uuid;
        end case;
      end loop;
      foreach o in array organisations loop
        if o is not null and position('o' || o::text in noted) = 0 then
          with inserted as (
            insert into overview_change (school_id) select id from school where organisation_id = o order by id
            returning school_id
          )
          select string_agg(school_id::text, ',') into added from inserted;
          noted := noted || ',o' || o::text || ',' || coalesce(added, '');
        end if;
      end loop;
      foreach s in array schools loop
        if s is not null and position(s::text in noted) = 0 then
          insert into overview_change (school_id) values (s);
          noted := noted || ',' || s::text;
        end if;
      end loop;
      perform set_config('haven.overview_changed', noted, true);
      return null;
    end
    $$`.execute(db)
  for (const table of tracked) {
    await sql`
      create constraint trigger ${sql.raw(`overview_change_${table}`)}
      after insert or update or delete on ${sql.table(table)}
      deferrable initially deferred
      for each row execute function overview_note_change()`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of tracked) {
    await sql`drop trigger if exists ${sql.raw(`overview_change_${table}`)} on ${sql.table(table)}`.execute(db)
  }
  await sql`drop function if exists overview_note_change()`.execute(db)
  await db.schema.dropTable('overview_snapshot').execute()
  await db.schema.dropTable('overview_change').execute()
}
