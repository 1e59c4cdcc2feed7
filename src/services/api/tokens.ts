/**
 * Issue 15 item 3 (ADR 0035): a school's API tokens. Made with 32 random bytes, shown once, kept
 * as their SHA-256; revocable; every creation, revocation and use (and every refusal of a known
 * token) is audited by the token's id, never the token.
 */
import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import {
  type ApiTokenRow,
  apiTokenByHash,
  apiTokensOfSchool,
  insertApiToken,
  revokeApiToken,
  touchApiToken,
} from '../../db/repositories/api-tokens.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  type ApiScope,
  bearerToken,
  checkToken,
  shownPrefix,
  tokenFromBytes,
  tokenHash,
} from '../../domain/api/tokens.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { recordAudit } from '../audit.ts'

export interface TokenWho {
  organisationId: string
  schoolId: string
  actorId: string
  ip?: string | null
}

/** Makes a token; returns it (to be shown this once) and its id. */
export async function createApiToken(
  db: Db,
  input: TokenWho & { name: string; scopes: readonly ApiScope[]; expiresOn: string | null; now: Date },
): Promise<{ id: string; token: string }> {
  const token = tokenFromBytes(randomBytes(32))
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertApiToken(trx, {
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      name: input.name,
      tokenHash: tokenHash(token),
      prefix: shownPrefix(token),
      scopes: input.scopes,
      createdBy: input.actorId,
      expiresOn: input.expiresOn,
      at: input.now,
    })
    await recordAudit(trx, {
      action: 'api-token.create',
      subjectType: 'api-token',
      subjectId: id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { scopes: [...input.scopes], expiresOn: input.expiresOn },
      ip: input.ip ?? null,
    })
    return id
  })
  return { id, token }
}

export function apiTokens(db: DbOrTrx, schoolId: string): Promise<ApiTokenRow[]> {
  return apiTokensOfSchool(db, schoolId)
}

/** Revokes a token of the school; false when there is no such token or it was already revoked. */
export async function revokeToken(db: Db, input: TokenWho & { tokenId: string; now: Date }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await revokeApiToken(trx, input.schoolId, input.tokenId, { revokedBy: input.actorId, at: input.now })
    if (!done) return false
    await recordAudit(trx, {
      action: 'api-token.revoke',
      subjectType: 'api-token',
      subjectId: input.tokenId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: {},
      ip: input.ip ?? null,
    })
    return true
  })
}

/** Who is calling the API: a school's token, with what it may do. */
export interface ApiClient {
  tokenId: string
  name: string
  organisationId: string
  schoolId: string
  scopes: readonly string[]
}

export type Authenticated = { ok: true; client: ApiClient } | { ok: false; status: 401 | 403; reason: string }

/**
 * The request's token, checked for `scope`: found by its hash, not revoked, not expired (on the
 * London date of `now`), holding the scope. A use is recorded (last used, and an audit entry
 * naming the route); a refusal of a known token is audited too.
 */
export async function authenticateApiRequest(
  db: Db,
  input: {
    authorization: string | string[] | undefined
    scope: ApiScope
    route: string
    method: string
    now: Date
    ip?: string | null
  },
): Promise<Authenticated> {
  const token = bearerToken(input.authorization)
  const row = token ? await apiTokenByHash(db, tokenHash(token)) : null
  const check = checkToken(row, input.scope, londonDateOf(input.now))
  if (!row) return check.ok ? { ok: false, status: 401, reason: 'The API token is missing' } : check
  await db.transaction().execute(async (trx) => {
    if (check.ok) await touchApiToken(trx, row.schoolId, row.id, input.now)
    await recordAudit(trx, {
      action: check.ok ? 'api-token.use' : 'api-token.refuse',
      subjectType: 'api-token',
      subjectId: row.id,
      actorId: null,
      organisationId: row.organisationId,
      schoolId: row.schoolId,
      detail: { method: input.method, route: input.route, ...(check.ok ? {} : { status: check.status }) },
      ip: input.ip ?? null,
    })
  })
  if (!check.ok) return check
  return {
    ok: true,
    client: {
      tokenId: row.id,
      name: row.name,
      organisationId: row.organisationId,
      schoolId: row.schoolId,
      scopes: row.scopes,
    },
  }
}
