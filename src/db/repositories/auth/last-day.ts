/**
 * Issue 14: the last day a person may use Haven, as the account services read it (`endDate`): the
 * end of their employment or the end of their access (someone from outside), whichever comes
 * first; null when neither is set (`least` passes over nulls). After it, signing in, invitations
 * and links are refused and sessions end (services/auth).
 */
import { sql } from 'kysely'

export function lastDayOfAccess(alias: 'p' | null) {
  const column = (name: string) => sql.ref(alias === null ? name : `${alias}.${name}`)
  return sql<string | null>`least(${column('end_date')}, ${column('access_ends_on')})`.as('end_date')
}
