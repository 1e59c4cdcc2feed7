/**
 * Taking access away (issue 12, ADR 0011): when someone leaves, or their email address changes,
 * every session they have ends and every invitation or password-reset link sent to them stops
 * working; a leaver's calendar feed is turned off too. Runs in the caller's transaction.
 */
import { cancelLinks } from '../../db/repositories/auth/accounts.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { recordAudit } from '../audit.ts'
import { revokeFeedsOf } from '../calendar-feed/feeds.ts'
import { endAllSessions } from './sessions.ts'

type Db = DbOrTrx

/** Cancels the person's outstanding links of a kind (all kinds when none is given). */
export async function cancelLinksOf(
  db: Db,
  personId: string,
  now: Date,
  kind?: 'invitation' | 'password-reset',
): Promise<number> {
  return cancelLinks(db, personId, now, kind)
}

export interface Revoked {
  sessions: number
  links: number
  feeds: number
}

/** Signs the person out everywhere and cancels their links; with `feeds`, turns off their calendar feed too. */
async function revokeAccess(db: Db, personId: string, now: Date, options: { feeds: boolean }): Promise<Revoked> {
  const sessions = await endAllSessions(db, personId, now)
  const links = await cancelLinksOf(db, personId, now)
  const feeds = options.feeds ? await revokeFeedsOf(db, personId, now) : 0
  return { sessions, links, feeds }
}

/**
 * Takes access away for a reason and audits it ('auth.access-revoked'): a leaver loses sessions,
 * links and calendar feed; someone whose email address changed loses sessions and links.
 */
export async function revokeAndAudit(
  db: Db,
  input: {
    personId: string
    organisationId: string
    schoolId: string | null
    actorId: string | null
    reason: 'left' | 'email-changed'
  },
  now: Date,
): Promise<Revoked> {
  const revoked = await revokeAccess(db, input.personId, now, { feeds: input.reason === 'left' })
  await recordAudit(db, {
    action: 'auth.access-revoked',
    subjectType: 'person',
    subjectId: input.personId,
    actorId: input.actorId,
    organisationId: input.organisationId,
    schoolId: input.schoolId,
    detail: { reason: input.reason, ...revoked },
  })
  return revoked
}
