/**
 * Test-data builders: deterministic defaults with overrides. `anOrganisation()` builds setup
 * input; `insertOrganisation(db)` saves it through the real service.
 */
import type { Db } from '../../src/db/database.ts'
import { type SetupInput, setUpOrganisation } from '../../src/services/auth/accounts.ts'
import { testPasswordHash } from '../helpers/passwords.ts'

export const ADMIN_PASSWORD = 'correct staple horse battery'

export const anOrganisation = (over: Partial<SetupInput> = {}): SetupInput => ({
  organisationKind: 'single-school',
  organisationName: '',
  schoolName: 'Oakfield Primary School',
  schoolSlug: 'oakfield',
  region: 'england-and-wales',
  adminName: 'Amira Khan',
  adminEmail: 'amira.khan@oakfield.example',
  password: ADMIN_PASSWORD,
  alsoDsl: false,
  ...over,
})

export async function insertOrganisation(db: Db, over: Partial<SetupInput> = {}) {
  const input = anOrganisation(over)
  const ids = await setUpOrganisation(db, input)
  return { ...ids, input }
}

let hashed: Promise<string> | undefined

/** Adds a person with an account and password to an existing organisation. */
export async function insertPersonWithAccount(
  db: Db,
  at: { organisationId: string; schoolId: string },
  over: { name?: string; email?: string; roles?: string[]; password?: string } = {},
) {
  const person = await db
    .insertInto('person')
    .values({
      organisation_id: at.organisationId,
      school_id: at.schoolId,
      name: over.name ?? 'Ben Carter',
      email: (over.email ?? 'ben.carter@oakfield.example').toLowerCase(),
      roles: over.roles ?? ['class-teacher'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  hashed ??= testPasswordHash(ADMIN_PASSWORD)
  const hash = over.password ? await testPasswordHash(over.password) : await hashed
  await db.insertInto('account').values({ person_id: person.id, password_hash: hash }).execute()
  return person.id
}

/**
 * A second organisation on the same installation: a trust with one academy and an administrator
 * of it (Haven's set-up makes one organisation; another is inserted as rows).
 */
export async function insertTrustWithAcademy(db: Db) {
  const trust = await db
    .insertInto('organisation')
    .values({ kind: 'trust', name: 'Fenland Learning Trust' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const academy = await db
    .insertInto('school')
    .values({ organisation_id: trust.id, name: 'Fen Edge Academy', slug: 'fen-edge' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const adminId = await insertPersonWithAccount(
    db,
    { organisationId: trust.id, schoolId: academy.id },
    { name: 'Dana Shah', email: 'dana.shah@fenland.example', roles: ['administrator'] },
  )
  return { trustId: trust.id, academyId: academy.id, adminId }
}
