import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isPlainRead } from './kept-reads.ts'

test('ADR 0054: only a plain select counts as a read; anything that may write or lock raises the generation', () => {
  for (const read of [
    'select "s"."id_hash" from "user_session" as "s" where "s"."id_hash" = $1',
    '  with v as (select sum(weight) from overview_change) select * from v',
    'select updated_at, deleted_on from person',
  ])
    assert.equal(isPlainRead(read), true, read)
  for (const write of [
    'insert into person (id) values ($1)',
    'update "user_session" set "last_seen_at" = $1',
    'delete from overview_change where school_id = $1',
    'with moved as (delete from a returning *) select * from moved',
    'with x as (select 1) insert into b select * from x',
    'select * from person for update',
    'select * from person for no key update skip locked',
    'select pg_advisory_xact_lock(1)',
    "select set_config('haven.x', '1', true)",
    "select nextval('s')",
    'begin',
    'commit',
    'create table t (id int)',
    'lock table person',
    'vacuum analyze',
  ])
    assert.equal(isPlainRead(write), false, write)
})
