/** The connection or open transaction every repository function takes first. */
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'

export type DbOrTrx = Kysely<Database>
