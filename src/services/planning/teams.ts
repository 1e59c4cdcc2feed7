/**
 * Standing teams (CA-05; issue 17): the school's named teams for group supervision, kept by those
 * who plan sessions (the planner plans each team's group sessions). Listing them, adding one,
 * changing its name, leader, members, type and frequency at the version read, and ending one; each
 * change in one transaction with its audit entry (ids only). The rules are in
 * src/domain/planning/teams.ts: the leader is checked against the policy in force.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { peopleOfSchool } from '../../db/repositories/staff/people.ts'
import {
  endTeam,
  type StoredTeam,
  saveTeam,
  teamInSchools,
  teamNameTaken,
  teamsOf,
} from '../../db/repositories/supervisor-training.ts'
import type { IsoDate } from '../../domain/calendar/index.ts'
import type { Person } from '../../domain/people/person.ts'
import { standingTeamProblems, teamCandidates } from '../../domain/planning/teams.ts'
import type { PolicyDocument } from '../../domain/policy/model.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'

export type { StoredTeam }

export const teamNameLimit = 120

export interface TeamsScope {
  organisationId: string
  schoolId: string
}

export interface TeamOptions {
  policy: PolicyDocument | null
  leaders: Person[]
  members: Person[]
  people: Map<string, Person>
}

/** What a team's form offers on a day: the policy in force, and who may lead and be members. */
export async function teamOptions(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<TeamOptions> {
  const [people, book] = await Promise.all([peopleOfSchool(db, schoolId), policyBook(db, schoolId)])
  return {
    policy: book.on(today),
    ...teamCandidates(people, today),
    people: new Map(people.map((p) => [p.id, p])),
  }
}

/** The school's teams, standing first by name, then those ended. */
export async function teamsOfSchool(db: DbOrTrx, schoolId: string): Promise<StoredTeam[]> {
  const teams = await teamsOf(db, schoolId, { ended: true })
  return [...teams.filter((t) => t.endedOn === null), ...teams.filter((t) => t.endedOn !== null)]
}

/** One team of one of the schools someone reaches, or null. */
export async function teamOf(db: DbOrTrx, schoolIds: readonly string[], teamId: string): Promise<StoredTeam | null> {
  return teamInSchools(db, schoolIds, teamId)
}

export interface TeamInput extends TeamsScope {
  /** null to add a team. */
  teamId: string | null
  version: number | null
  actorId: string
  today: IsoDate
  name: string
  leaderId: string
  memberIds: readonly string[]
  sessionTypeId: string
  standingGroupId: string | null
  everyWeeks: number | null
}

export type TeamResult =
  | { ok: true; id: string }
  | { ok: false; kind: 'not-found' | 'conflict' }
  | { ok: false; kind: 'invalid'; problems: { field: string; message: string }[] }

/** Adds or changes a standing team, checked against the policy in force today (CA-05). */
export async function saveStandingTeam(db: Db, input: TeamInput): Promise<TeamResult> {
  return db.transaction().execute(async (trx): Promise<TeamResult> => {
    if (input.teamId !== null) {
      const current = await teamInSchools(trx, [input.schoolId], input.teamId, { forUpdate: true })
      if (!current || current.endedOn !== null) return { ok: false, kind: 'not-found' }
      if (current.version !== input.version) return { ok: false, kind: 'conflict' }
    }
    const [people, book] = await Promise.all([peopleOfSchool(trx, input.schoolId), policyBook(trx, input.schoolId)])
    const policy = book.on(input.today)
    const memberIds = [...new Set(input.memberIds)]
    const problems: { field: string; message: string }[] = policy
      ? standingTeamProblems(policy, { ...input, memberIds }, people, input.today)
      : [{ field: 'sessionTypeId', message: 'The school has no supervision policy in force: publish one first' }]
    if (await teamNameTaken(trx, input.schoolId, input.name, input.teamId))
      problems.unshift({ field: 'name', message: 'A standing team with this name already exists: choose another name' })
    if (problems.length > 0) return { ok: false, kind: 'invalid', problems }
    const id = await saveTeam(
      trx,
      input,
      input.teamId,
      {
        name: input.name,
        leaderId: input.leaderId,
        memberIds,
        sessionTypeId: input.sessionTypeId,
        standingGroupId: input.standingGroupId,
        everyWeeks: input.everyWeeks,
      },
      input.version,
    )
    if (id === null) return { ok: false, kind: 'conflict' }
    await recordAudit(trx, {
      action: input.teamId === null ? 'team.added' : 'team.changed',
      subjectType: 'team',
      subjectId: id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { leaderId: input.leaderId, memberIds, sessionTypeId: input.sessionTypeId },
    })
    return { ok: true, id }
  })
}

/** Ends a standing team at the version read: it is no longer planned (CA-05). */
export async function endStandingTeam(
  db: Db,
  input: TeamsScope & { teamId: string; version: number | null; actorId: string; today: IsoDate },
): Promise<{ ok: true } | { ok: false; kind: 'not-found' | 'conflict' }> {
  return db.transaction().execute(async (trx) => {
    const current = await teamInSchools(trx, [input.schoolId], input.teamId, { forUpdate: true })
    if (!current || current.endedOn !== null) return { ok: false, kind: 'not-found' } as const
    if (input.version === null || current.version !== input.version) return { ok: false, kind: 'conflict' } as const
    if (
      !(await endTeam(trx, input.schoolId, input.teamId, input.version, {
        endedOn: input.today,
        endedBy: input.actorId,
      }))
    )
      return { ok: false, kind: 'conflict' } as const
    await recordAudit(trx, {
      action: 'team.ended',
      subjectType: 'team',
      subjectId: input.teamId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { endedOn: input.today },
    })
    return { ok: true } as const
  })
}
