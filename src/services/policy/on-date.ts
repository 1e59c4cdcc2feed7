/**
 * Which policy applies on a date (issue 14, ADR 0021): the one way to ask. A service loads the
 * school's book once (`policyBook`) and asks it as often as it likes: `.on(date)` for the policy,
 * `.typeName(typeId, date)` for the name of a session type. The rule itself is pure, in
 * src/domain/policy/versions.ts; a test (./one-rule.test.ts) fails when anything else picks a version.
 *
 * An academy that adopted its trust's policy (ADR 0024) has a book of composed versions: from its
 * adoption on, the trust's version in force on each date with the academy's overrides in force that
 * day (src/domain/policy/adoption.ts); before it, the school's own versions.
 */
import { KeptWhileUnwritten } from '../../db/kept-reads.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { policyVersionsOf } from '../../db/repositories/policy.ts'
import { adoptionSourcesOf, trustPolicyVersionsOf } from '../../db/repositories/trust-policy.ts'
import type { IsoDate } from '../../domain/calendar/index.ts'
import { deepFreeze } from '../../domain/frozen.ts'
import { academyTimeline, composedVersionNumber, type SourcedPolicy } from '../../domain/policy/adoption.ts'
import type { PolicyDocument } from '../../domain/policy/model.ts'
import { type PolicyBook, policyBookOf } from '../../domain/policy/versions.ts'

export type { PolicyBook }

/** A version as the policy pages list it: the school's own, or composed from the trust's and the academy's. */
export interface TimelineVersion {
  version: number
  effectiveFrom: IsoDate
  createdAt: Date
  document: SourcedPolicy
}

/**
 * Every version of the school's policy as its book holds them, oldest first by number: its own
 * versions, or for an academy that adopted its trust's policy, its own versions before the
 * adoption and the composed versions from it (ADR 0024).
 */
export async function policyTimeline(db: DbOrTrx, schoolId: string): Promise<TimelineVersion[]> {
  return keptTimelines.read(db, schoolId, async () => deepFreeze(await readTimeline(db, schoolId)))
}

/**
 * Each school's timeline, kept while nothing is written to the database (ADR 0054): one request
 * asks for the school's policy from several services (booking a session: the judging and the
 * people it offers; a person's page: their scope, kinds of supervision and training), and each
 * read is every version with its whole document (about two reads a request before, ADR 4). What
 * is kept is frozen, so no reader can change what the next one is given.
 */
const keptTimelines = new KeptWhileUnwritten<TimelineVersion[]>(64)

async function readTimeline(db: DbOrTrx, schoolId: string): Promise<TimelineVersion[]> {
  const [own, sources] = await Promise.all([policyVersionsOf(db, schoolId), adoptionSourcesOf(db, schoolId)])
  const ownVersions: TimelineVersion[] = own.map((v) => ({
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    createdAt: v.createdAt,
    document: v.document,
  }))
  if (!sources) return ownVersions
  const created = new Map<number, Date>()
  for (const t of sources.trust)
    for (const a of sources.adoptions)
      created.set(
        composedVersionNumber(t.version, a.version),
        new Date(Math.max(t.createdAt.getTime(), a.createdAt.getTime())),
      )
  const documents: PolicyDocument[] = academyTimeline({
    own: own.map((v) => v.document),
    trust: sources.trust.map((t) => t.document),
    adoptions: sources.adoptions,
    academy: sources.academy,
  })
  return documents
    .map(
      (document) =>
        ownVersions.find((v) => v.document === document) ?? {
          version: document.version,
          effectiveFrom: document.effectiveFrom,
          createdAt: created.get(document.version) ?? new Date(0),
          document,
        },
    )
    .sort((a, b) => a.version - b.version)
}

/** The school's policy versions, read once, to ask which applies on any date. */
export async function policyBook(db: DbOrTrx, schoolId: string): Promise<PolicyBook> {
  return policyBookOf((await policyTimeline(db, schoolId)).map((v) => v.document))
}

/**
 * The trust's own policy versions (issue 14): what its central team edits and each academy
 * composes with its changes. Academies ask their own book (policyBook), never this one.
 */
export async function trustPolicyBook(db: DbOrTrx, organisationId: string): Promise<PolicyBook> {
  return policyBookOf((await trustPolicyVersionsOf(db, organisationId)).map((v) => v.document))
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
