/**
 * Supervisors per kind of supervision (issue 14): for each kind the school's policy counts (a
 * session type), who supervises one person, e.g. safeguarding supervision with the DSL and
 * management supervision with their line manager. A kind with no supervisor of its own falls back
 * to the person's supervisor, then their line manager. Each choice is checked against the policy's
 * rules for that kind with the same function booking and the planner use (supervisorEligibility).
 * Changes take effect today, keep their history, bump the person's version (optimistic locking:
 * a form older than the last change is refused) and are audited, in one transaction.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { bumpVersion, findPerson } from '../../db/repositories/staff/index.ts'
import { currentKindAssignmentsOf, replaceKindAssignment } from '../../db/repositories/supervision-kinds.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate, Person } from '../../domain/people/person.ts'
import {
  describeSupervisorRule,
  type PolicyDocument,
  rulesForSupervisee,
  supervisorEligibility,
} from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'
import { bookablePeople, gridContext, schoolRef } from '../sessions/context.ts'
import { type Candidate, supervisionCandidates } from './supervision.ts'

/** One kind of supervision on the page: its form field, who leads it now, and who the policy allows. */
export interface KindRow {
  sessionTypeId: string
  /** The form field: 'kind-' and the session type id. */
  field: string
  name: string
  /** The policy's rules for this kind, in plain words. */
  rules: string[]
  current: { id: string; name: string; since: IsoDate } | null
}

export interface KindSupervisionPage {
  person: Person
  version: number
  /** Null when no policy is in force today. */
  rows: KindRow[] | null
  candidates: Candidate[]
}

export function kindField(sessionTypeId: string): string {
  return `kind-${sessionTypeId}`
}

/** The kinds a person can have a supervisor of their own for: the policy's types that count, not groups. */
function kindsOf(policy: PolicyDocument) {
  return policy.sessionTypes.filter((type) => type.countsTowardEntitlement && !type.group)
}

async function load(db: DbOrTrx, organisationId: string, personId: string, today: IsoDate, forUpdate = false) {
  if (!isUuid(personId)) return null
  const stored = await findPerson(db, organisationId, personId, { forUpdate })
  if (!stored || stored.person.schoolId === null) return null
  const school = await schoolRef(db, stored.person.schoolId)
  if (!school || school.organisationId !== organisationId) return null
  const policy = (await policyBook(db, school.id)).on(today)
  return { stored, school, policy }
}

export async function kindSupervisionPage(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  today: IsoDate,
): Promise<KindSupervisionPage | null> {
  const loaded = await load(db, organisationId, personId, today)
  if (!loaded) return null
  const { stored, school, policy } = loaded
  const person = stored.person
  const [assignments, candidates, people] = await Promise.all([
    currentKindAssignmentsOf(db, organisationId, person.id),
    supervisionCandidates(db, {
      organisationId,
      schoolId: person.schoolId,
      kind: 'supervisor',
      today,
      excludeIds: [person.id],
    }),
    bookablePeople(db, school, today),
  ])
  const rows =
    policy === null
      ? null
      : kindsOf(policy).map((type) => {
          const assigned = assignments.find((a) => a.sessionTypeId === type.id)
          return {
            sessionTypeId: type.id,
            field: kindField(type.id),
            name: type.name,
            rules: rulesForSupervisee(policy, person, today, type.id).map((rule) =>
              describeSupervisorRule(policy, rule),
            ),
            current: assigned
              ? {
                  id: assigned.supervisorId,
                  name: people.get(assigned.supervisorId)?.name ?? 'Someone',
                  since: assigned.startsOn,
                }
              : null,
          }
        })
  return { person, version: stored.version, rows, candidates }
}

export interface SaveKindsInput {
  organisationId: string
  personId: string
  version: number | null
  /** The chosen supervisor per form field ('' for none of their own). */
  choices: Readonly<Record<string, string>>
  actorId: string
  today: IsoDate
}

export type SaveKindsResult =
  | { ok: true; changed: number }
  | { ok: false; kind: 'invalid'; problems: { field: string; message: string }[] }
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'not-found' }

export async function saveKindSupervisors(db: Db, input: SaveKindsInput): Promise<SaveKindsResult> {
  return db.transaction().execute(async (trx): Promise<SaveKindsResult> => {
    const loaded = await load(trx, input.organisationId, input.personId, input.today, true)
    if (!loaded || loaded.policy === null) return { ok: false, kind: 'not-found' }
    const { stored, school, policy } = loaded
    const person = stored.person
    if (input.version === null || input.version !== stored.version) return { ok: false, kind: 'conflict' }
    const [assignments, candidates, people, grid] = await Promise.all([
      currentKindAssignmentsOf(trx, input.organisationId, person.id),
      supervisionCandidates(trx, {
        organisationId: input.organisationId,
        schoolId: person.schoolId,
        kind: 'supervisor',
        today: input.today,
        excludeIds: [person.id],
      }),
      bookablePeople(trx, school, input.today),
      gridContext(trx, input.organisationId),
    ])
    const allowed = new Set(candidates.map((c) => c.id))
    const problems: { field: string; message: string }[] = []
    const changes: { sessionTypeId: string; from: string | null; to: string | null }[] = []
    for (const type of kindsOf(policy)) {
      const field = kindField(type.id)
      const chosen = (input.choices[field] ?? '').trim()
      const current = assignments.find((a) => a.sessionTypeId === type.id)?.supervisorId ?? null
      if (chosen === (current ?? '')) continue
      const what = `supervisor for ${type.name.charAt(0).toLowerCase()}${type.name.slice(1)}`
      if (chosen !== '') {
        const supervisor = people.get(chosen)
        if (!allowed.has(chosen) || !supervisor) {
          problems.push({ field, message: `Select a ${what} from the list` })
          continue
        }
        // The same check booking refuses a supervisor with, for this kind of supervision.
        const permission = supervisorEligibility(policy, supervisor, person, {
          on: input.today,
          sessionTypeId: type.id,
          trustSchoolIds: grid.trustSchoolIds,
          delegations: grid.delegations,
        })
        if (!permission.allowed) {
          problems.push({ field, message: `${permission.reason}. Select someone else as ${what}` })
          continue
        }
      }
      changes.push({ sessionTypeId: type.id, from: current, to: chosen === '' ? null : chosen })
    }
    if (problems.length > 0) return { ok: false, kind: 'invalid', problems }
    for (const change of changes) {
      await replaceKindAssignment(trx, {
        organisationId: input.organisationId,
        superviseeId: person.id,
        sessionTypeId: change.sessionTypeId,
        supervisorId: change.to,
        on: input.today,
        recordedBy: input.actorId,
      })
    }
    if (changes.length > 0) {
      await bumpVersion(trx, input.organisationId, person.id)
      await recordAudit(trx, {
        action: 'staff.kind-supervisors-changed',
        subjectType: 'person',
        subjectId: person.id,
        actorId: input.actorId,
        organisationId: input.organisationId,
        schoolId: person.schoolId,
        detail: { changes },
      })
    }
    return { ok: true, changed: changes.length }
  })
}
