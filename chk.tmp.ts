import { sql } from 'kysely'
import { freshDatabase } from './test/helpers/database.ts'
const h = await freshDatabase({})
const r = await sql<any>`select c.relname as t, string_agg(a.attname||':'||format_type(a.atttypid,a.atttypmod)||coalesce(':'||pg_get_expr(d.adbin,d.adrelid),''), ', ') as pk
 from pg_index i join pg_class c on c.oid=i.indrelid join pg_namespace n on n.oid=c.relnamespace and n.nspname=current_schema()
 join pg_attribute a on a.attrelid=c.oid and a.attnum = any(i.indkey) left join pg_attrdef d on d.adrelid=c.oid and d.adnum=a.attnum where i.indisprimary group by 1 order by 1`.execute(h.db)
for (const x of r.rows) if (!/^id:uuid:gen_random_uuid\(\)$/.test(x.pk)) console.log(x.t, x.pk)
const u = await sql<any>`select c.relname as t, pg_get_indexdef(i.indexrelid) as d from pg_index i join pg_class c on c.oid=i.indrelid join pg_namespace n on n.oid=c.relnamespace and n.nspname=current_schema() where i.indisunique and not i.indisprimary order by 1`.execute(h.db)
for (const x of u.rows) console.log('U', x.d.replace(/CREATE UNIQUE INDEX /,''))
await h.close()
