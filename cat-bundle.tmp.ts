import { sql } from 'kysely'
import { freshDatabase } from '/work/wt-bundle/test/helpers/database.ts'
const h = await freshDatabase({})
const db = h.db
const cols = await sql<any>`select table_name, string_agg(column_name, ',') filter (where column_name in ('organisation_id','school_id')) as scope from information_schema.columns where table_schema=current_schema() group by table_name order by table_name`.execute(db)
const fks = await sql<any>`select c.relname as child, p.relname as parent, (select string_agg(a.attname, ',') from unnest(f.conkey) k join pg_attribute a on a.attrelid=f.conrelid and a.attnum=k) as cols from pg_constraint f join pg_class c on c.oid=f.conrelid join pg_class p on p.oid=f.confrelid join pg_namespace n on n.oid=c.relnamespace and n.nspname=current_schema() where f.contype='f' order by 1,2`.execute(db)
for (const r of cols.rows) console.log(r.table_name, '|', r.scope ?? '-', '|', fks.rows.filter((f:any)=>f.child===r.table_name).map((f:any)=>`${f.cols}->${f.parent}`).join(' '))
const trig = await sql<any>`select c.relname as t, t.tgname as g from pg_trigger t join pg_class c on c.oid=t.tgrelid where not t.tgisinternal order by 1`.execute(db)
console.log(trig.rows.map((r:any)=>r.t+':'+r.g).join('\n'))
await h.close()
