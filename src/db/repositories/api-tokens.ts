/**
 * Issue 15 item 3 (ADR 0035): a school's API tokens. Only the SHA-256 of a token is stored; a
 * token is found by its hash. Every query but the lookup by hash is scoped by school (ADR 0018);
 * the lookup is how a request's school is learnt, and returns the school with the token.
 */
import { isUuid } from '../../domain/ids.ts'
import type { DbOrTrx } from './connection.ts'

export interface ApiTokenRow {
  id: string
  organisationId: string
  schoolId: string
  name: string
  prefix: string
  scopes: string[]
  createdByName: string | null
  createdAt: Date
  expiresOn: string | null
  lastUsedAt: Date | null
  revokedAt: Date | null
}

function tokenQuery(db: DbOrTrx) {
  return db
    .selectFrom('api_token')
    .leftJoin('person', 'person.id', 'api_token.created_by')
    .select([
      'api_token.id',
      'api_token.organisation_id',
      'api_token.school_id',
      'api_token.name',
      'api_token.prefix',
      'api_token.scopes',
      'person.name as created_by_name',
      'api_token.created_at',
      'api_token.expires_on',
      'api_token.last_used_at',
      'api_token.revoked_at',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof tokenQuery>['executeTakeFirstOrThrow']>>

function tokenOf(r: Row): ApiTokenRow {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    schoolId: r.school_id,
    name: r.name,
    prefix: r.prefix,
    scopes: [...r.scopes],
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    expiresOn: r.expires_on,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }
}

export async function insertApiToken(
  db: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    name: string
    tokenHash: string
    prefix: string
    scopes: readonly string[]
    createdBy: string
    expiresOn: string | null
    at: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('api_token')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      name: input.name,
      token_hash: input.tokenHash,
      prefix: input.prefix,
      scopes: [...input.scopes],
      created_by: input.createdBy,
      created_at: input.at,
      expires_on: input.expiresOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function apiTokensOfSchool(db: DbOrTrx, schoolId: string): Promise<ApiTokenRow[]> {
  const rows = await tokenQuery(db)
    .where('api_token.school_id', '=', schoolId)
    .orderBy('api_token.created_at', 'desc')
    .orderBy('api_token.id')
    .execute()
  return rows.map(tokenOf)
}

export async function apiTokenInSchool(db: DbOrTrx, schoolId: string, id: string): Promise<ApiTokenRow | null> {
  if (!isUuid(id)) return null
  const row = await tokenQuery(db)
    .where('api_token.school_id', '=', schoolId)
    .where('api_token.id', '=', id)
    .executeTakeFirst()
  return row ? tokenOf(row) : null
}

/** The token with this hash, whichever school it is for (the request learns its school from it). */
export async function apiTokenByHash(db: DbOrTrx, tokenHash: string): Promise<ApiTokenRow | null> {
  const row = await tokenQuery(db).where('api_token.token_hash', '=', tokenHash).executeTakeFirst()
  return row ? tokenOf(row) : null
}

export async function revokeApiToken(
  db: DbOrTrx,
  schoolId: string,
  id: string,
  input: { revokedBy: string; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('api_token')
    .set({ revoked_at: input.at, revoked_by: input.revokedBy })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function touchApiToken(db: DbOrTrx, schoolId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ last_used_at: at })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute()
}

/** What is stored for a token, for tests and the ADR's claim that only the hash is kept. */
export async function storedTokenColumns(db: DbOrTrx, schoolId: string, id: string) {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst()
}
