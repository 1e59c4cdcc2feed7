/**
 * A person's choice of how Haven emails them (issue 18 item 5): each email as it happens, or one a
 * day with everything that is not urgent (sign-in links, security notices and safeguarding never wait).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { emailDigestOf, setEmailDigest } from '../../db/repositories/mail.ts'
import { recordAudit } from '../audit.ts'

export type EmailChoice = 'each' | 'daily'

export async function emailChoiceOf(db: DbOrTrx, personId: string): Promise<EmailChoice> {
  return (await emailDigestOf(db, personId)) ? 'daily' : 'each'
}

/** Saves the choice and audits it ('account.email-choice'), in one transaction. */
export async function chooseEmail(
  db: Db,
  input: { personId: string; organisationId: string; choice: EmailChoice; ip: string | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setEmailDigest(trx, input.personId, input.choice === 'daily')
    await recordAudit(trx, {
      action: 'account.email-choice',
      subjectType: 'account',
      subjectId: input.personId,
      actorId: input.personId,
      organisationId: input.organisationId,
      ip: input.ip,
      detail: { choice: input.choice },
    })
  })
}
