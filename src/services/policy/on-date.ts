/**
 * Which policy applies on a date (issue 14, ADR 0021): the one way to ask. A service loads the
 * school's book once (`policyBook`) and asks it as often as it likes: `.on(date)` for the policy,
 * `.typeName(typeId, date)` for the name of a session type. The rule itself is pure, in
 * src/domain/policy/versions.ts; a test (./one-rule.test.ts) fails when anything else picks a version.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { policyVersionsOf } from '../../db/repositories/policy.ts'
import { type PolicyBook, policyBookOf } from '../../domain/policy/index.ts'

export type { PolicyBook }

/** The school's policy versions, read once (one query), to ask which applies on any date. */
export async function policyBook(db: DbOrTrx, schoolId: string): Promise<PolicyBook> {
  return policyBookOf((await policyVersionsOf(db, schoolId)).map((v) => v.document))
}

/**
 * Books of several schools (a person's sessions in a trust, a list across schools), each school's
 * read once, when first asked for, for the life of the returned function (one call or request).
 */
export function policyBooks(db: DbOrTrx): (schoolId: string) => Promise<PolicyBook> {
  const books = new Map<string, Promise<PolicyBook>>()
  return (schoolId) => {
    let book = books.get(schoolId)
    if (!book) {
      book = policyBook(db, schoolId)
      books.set(schoolId, book)
    }
    return book
  }
}
