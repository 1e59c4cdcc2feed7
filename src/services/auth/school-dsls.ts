/**
 * The DSLs of a school, who decide changes that would open supervision records (ADR 0011), and
 * telling them. Runs in the caller's transaction.
 */
import { dslsOf, personName } from '../../db/repositories/auth/people.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { enqueueEmail } from '../mail/outbox.ts'

type Db = DbOrTrx

export interface SchoolDsl {
  id: string
  name: string
  email: string
}

/** The current DSLs of a school (of the organisation, for someone who belongs to no school). */
export async function schoolDsls(
  db: Db,
  scope: { organisationId: string; schoolId: string | null },
  today: IsoDate,
): Promise<SchoolDsl[]> {
  return dslsOf(db, scope, today)
}

/** The name of whoever asked for a change in the organisation, as the DSLs are told it. */
export async function requesterName(db: Db, organisationId: string, actorId: string | null): Promise<string> {
  const name = actorId ? await personName(db, organisationId, actorId) : undefined
  return name ?? 'A staff import from the command line'
}

/** Emails the school's DSLs, except those in `except` (whoever asked, the person concerned). */
export async function tellDsls(
  db: Db,
  dsls: readonly SchoolDsl[],
  except: readonly (string | null)[],
  message: { organisationId: string; subject: string; text: string },
): Promise<number> {
  let told = 0
  for (const dsl of dsls) {
    if (except.includes(dsl.id)) continue
    await enqueueEmail(db, { kind: 'account.approval', to: dsl.email, ...message })
    told++
  }
  return told
}
