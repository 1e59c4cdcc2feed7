/**
 * Signing in with a provider (ADR 0048, migration 0033): `provider_link` (a provider's issuer and
 * subject to a Haven person, scoped by the organisation) and `provider_sign_in` (a sign-in started
 * and waiting for the person to come back, used once).
 */
import type { DbOrTrx } from '../connection.ts'

export interface StartedProviderSignIn {
  stateHash: string
  browserHash: string
  issuer: string
  codeVerifier: string
  nonce: string
  next: string
  createdAt: Date
}

export async function insertProviderSignIn(db: DbOrTrx, row: StartedProviderSignIn): Promise<void> {
  await db
    .insertInto('provider_sign_in')
    .values({
      state_hash: row.stateHash,
      browser_hash: row.browserHash,
      issuer: row.issuer,
      code_verifier: row.codeVerifier,
      nonce: row.nonce,
      next: row.next,
      created_at: row.createdAt,
    })
    .execute()
}

/** Removes sign-ins started before `before` (finished or abandoned): nothing in them is needed after. */
export async function deleteProviderSignInsBefore(db: DbOrTrx, before: Date): Promise<void> {
  await db.deleteFrom('provider_sign_in').where('created_at', '<', before).execute()
}

/**
 * Marks the sign-in with this state used and returns it; only one request ever gets it. When it
 * was used already, says so; when there is none, undefined.
 */
export async function useProviderSignIn(
  db: DbOrTrx,
  stateHash: string,
  now: Date,
): Promise<(StartedProviderSignIn & { alreadyUsed: boolean }) | undefined> {
  const claimed = await db
    .updateTable('provider_sign_in')
    .set({ used_at: now })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
  const row =
    claimed ??
    (await db.selectFrom('provider_sign_in').selectAll().where('state_hash', '=', stateHash).executeTakeFirst())
  if (!row) return undefined
  return {
    stateHash: row.state_hash,
    browserHash: row.browser_hash,
    issuer: row.issuer,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    next: row.next,
    createdAt: row.created_at,
    alreadyUsed: claimed === undefined,
  }
}

/** The person a provider's subject is linked to, in the organisation. */
export async function linkedPerson(
  db: DbOrTrx,
  organisationId: string,
  issuer: string,
  subject: string,
): Promise<{ personId: string } | null> {
  const row = await db
    .selectFrom('provider_link')
    .select('person_id')
    .where('organisation_id', '=', organisationId)
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
  return row ? { personId: row.person_id } : null
}

/** The person with this email in the organisation, and the subject they are linked to at this issuer, if any. */
export async function personForProviderEmail(
  db: DbOrTrx,
  organisationId: string,
  email: string,
  issuer: string,
): Promise<{ personId: string; linkedSubjectOfIssuer: string | null } | null> {
  const row = await db
    .selectFrom('person as p')
    .leftJoin('provider_link as l', (j) => j.onRef('l.person_id', '=', 'p.id').on('l.issuer', '=', issuer))
    .select(['p.id', 'l.subject'])
    .where('p.organisation_id', '=', organisationId)
    .where('p.email', '=', email)
    .executeTakeFirst()
  return row ? { personId: row.id, linkedSubjectOfIssuer: row.subject } : null
}

/** Links the subject to the person; false when either is linked already (two first sign-ins at once). */
export async function insertProviderLink(
  db: DbOrTrx,
  link: { organisationId: string; personId: string; issuer: string; subject: string; at: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('provider_link')
    .values({
      organisation_id: link.organisationId,
      person_id: link.personId,
      issuer: link.issuer,
      subject: link.subject,
      created_at: link.at,
      last_used_at: link.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function touchProviderLink(
  db: DbOrTrx,
  organisationId: string,
  issuer: string,
  subject: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('provider_link')
    .set({ last_used_at: at })
    .where('organisation_id', '=', organisationId)
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute()
}

/**
 * The organisation of this installation (Haven is set up once, for one organisation). An
 * organisation whose school joined a trust (ADR 50) is empty: the trust it joined is meant.
 */
export async function theOrganisationId(db: DbOrTrx): Promise<string | undefined> {
  const first = await db
    .selectFrom('organisation')
    .select(['id', 'joined_organisation_id'])
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst()
  return first?.joined_organisation_id ?? first?.id
}
