import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar, halfTermOn } from '../calendar/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { Person } from '../people/person.ts'
import type { PolicyDocument } from '../policy/index.ts'
import { defaultPlanLimits, type PlanInput } from './model.ts'
import { planYear } from './plan.ts'
import { type SupervisionTeam, standingTeamProblems, type TeamChoice, teamLeaderProblem } from './teams.ts'

const calendar = englandDefaultCalendar('england-and-wales', 2024, 2028)
const cornerstone = loadPack('cornerstone')
const ashbury: PolicyDocument = { ...loadPack('ashbury-meadow'), effectiveFrom: '2026-09-01' }

function input(policy: PolicyDocument, people: Person[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    policy,
    calendar,
    people,
    supervisorsOf: (person) => (person.lineManagerId ? [person.lineManagerId] : []),
    existingSessions: [],
    yearId: '2026-27',
    limits: defaultPlanLimits,
    schoolId: 'school-1',
    ...over,
  }
}

describe('standing teams (CA-05)', () => {
  test('CA-05: the leader must be someone the policy says may lead the group, and not a member of it', () => {
    const lead = aPerson({ id: 'el', name: 'Esme Lead', roles: ['education-lead'] })
    const head = aPerson({ id: 'hd', name: 'Hal Head', roles: ['headteacher'] })
    const member = aPerson({ id: 'm1', name: 'Mo Member' })
    const team = { sessionTypeId: 'group', standingGroupId: 'ca-send-team', memberIds: ['m1'] }
    assert.equal(teamLeaderProblem(cornerstone, team, lead, [member], '2026-01-05'), null)
    assert.match(
      teamLeaderProblem(cornerstone, team, head, [member], '2026-01-05') ?? '',
      /Hal Head cannot lead the SEND Team: the policy says it is led by someone with another role/,
    )
    assert.match(
      teamLeaderProblem(cornerstone, { ...team, memberIds: ['el', 'm1'] }, lead, [member], '2026-01-05') ?? '',
      /cannot lead a team they are a member of/,
    )
    assert.match(
      teamLeaderProblem(cornerstone, { ...team, sessionTypeId: 'formal-planned' }, lead, [member], '2026-01-05') ?? '',
      /is not group supervision/,
    )
  })

  test('CA-05: for a type that counts, the leader must be allowed to supervise every member (the booking grid)', () => {
    const dsl = aPerson({ id: 'dsl', name: 'Dee Lead', roles: ['dsl'] })
    const teacher = aPerson({ id: 't', name: 'Tom Teach' })
    const deputy = aPerson({ id: 'dd', name: 'Dev Deputy', roles: ['deputy-dsl'] })
    const team = { sessionTypeId: 'group', standingGroupId: null, memberIds: ['dd'] }
    assert.equal(teamLeaderProblem(ashbury, team, dsl, [deputy], '2026-10-05'), null)
    assert.match(
      teamLeaderProblem(ashbury, team, teacher, [deputy], '2026-10-05') ?? '',
      /Tom Teach cannot supervise Dev Deputy/,
    )
  })

  test('CA-05, AM-02: the planner plans a group-only requirement for a team, one session for all its members', () => {
    const dsl = aPerson({ id: 'dsl', name: 'Dee Lead', roles: ['dsl'] })
    const deputies = ['a', 'b', 'c'].map((x) =>
      aPerson({ id: `dd-${x}`, name: `Deputy ${x}`, roles: ['deputy-dsl'], lineManagerId: 'dsl' }),
    )
    const people = [dsl, ...deputies]
    // Without a team, the group-only requirement cannot be planned person by person.
    const alone = planYear(input(ashbury, people))
    assert.ok(
      alone.unplaceable.some((u) => u.requirementId === 'am-group' && /counts only group sessions/.test(u.reason)),
    )
    assert.equal(alone.proposals.filter((p) => p.typeId === 'group').length, 0)

    const team: SupervisionTeam = {
      id: 'team-1',
      name: 'Deputies',
      leaderId: 'dsl',
      memberIds: deputies.map((d) => d.id),
      sessionTypeId: 'group',
      standingGroupId: null,
      frequency: null,
    }
    const planned = planYear(input(ashbury, people, { teams: [team] }))
    // The members' group requirement is met by the team; the leader's own is still theirs (LH-08).
    const unmet = planned.unplaceable.filter((u) => u.requirementId === 'am-group').map((u) => u.personId)
    assert.deepEqual(unmet, ['dsl'])
    const group = planned.proposals.filter((p) => p.typeId === 'group')
    const sessions = new Map<string, typeof group>()
    for (const p of group) sessions.set(p.groupKey ?? '', [...(sessions.get(p.groupKey ?? '') ?? []), p])
    // Every 6 weeks of term time through 39 weeks: 6 or more sessions, each with every member at once.
    assert.ok(sessions.size >= 6, `only ${sessions.size} group sessions`)
    for (const [key, lines] of sessions) {
      assert.ok(key.startsWith('team:team-1:'))
      assert.deepEqual(lines.map((l) => l.superviseeId).sort(), deputies.map((d) => d.id).sort())
      assert.equal(new Set(lines.map((l) => `${l.date} ${l.startTime}`)).size, 1)
      assert.equal(lines[0]?.supervisorId, 'dsl')
      assert.ok(halfTermOn(calendar, lines[0]!.date), 'in term')
    }
    const days = [...sessions.values()].map((l) => l[0]!.date).sort()
    for (let i = 1; i < days.length; i++) assert.notEqual(days[i], days[i - 1])
  })

  test('CA-05: a team the leader may not lead is not planned, and says why', () => {
    const teacher = aPerson({ id: 't', name: 'Tom Teach' })
    const deputy = aPerson({ id: 'dd', name: 'Dev Deputy', roles: ['deputy-dsl'] })
    const team: SupervisionTeam = {
      id: 'team-2',
      name: 'Deputies',
      leaderId: 't',
      memberIds: ['dd'],
      sessionTypeId: 'group',
      standingGroupId: null,
      frequency: { every: 6, unit: 'weeks', termTimeOnly: true, wording: null },
    }
    const planned = planYear(input(ashbury, [teacher, deputy], { teams: [team] }))
    assert.equal(planned.proposals.filter((p) => p.typeId === 'group').length, 0)
    assert.ok(planned.unplaceable.some((u) => /^Deputies: Tom Teach cannot supervise Dev Deputy/.test(u.reason)))
  })

  test('CA-05: a team’s form is refused field by field: a leader and members in post, a group type, a leader the policy allows', () => {
    const dsl = aPerson({ id: 'dsl', name: 'Dee Lead', roles: ['dsl'] })
    const teacher = aPerson({ id: 't', name: 'Tom Teach' })
    const deputy = aPerson({ id: 'dd', name: 'Dev Deputy', roles: ['deputy-dsl'] })
    const leaver = aPerson({ id: 'gone', name: 'Gil Gone', endDate: '2026-08-31' })
    const people = [dsl, teacher, deputy, leaver]
    const choice: TeamChoice = {
      name: 'Deputies',
      leaderId: 'dsl',
      memberIds: ['dd'],
      sessionTypeId: 'group',
      standingGroupId: null,
    }
    assert.deepEqual(standingTeamProblems(ashbury, choice, people, '2026-10-05'), [])
    const fields = (over: Partial<TeamChoice>) =>
      standingTeamProblems(ashbury, { ...choice, ...over }, people, '2026-10-05').map((p) => `${p.field}: ${p.message}`)
    assert.deepEqual(fields({ leaderId: '', memberIds: [] }), [
      'leaderId: Select who leads the team',
      'memberIds: Select the members of the team',
    ])
    assert.deepEqual(fields({ memberIds: ['gone'] }), ['memberIds: Select the members of the team'])
    assert.deepEqual(fields({ sessionTypeId: 'one-to-one' }), ['sessionTypeId: Select the type of group supervision'])
    assert.deepEqual(fields({ standingGroupId: 'no-such-group' }), [
      'standingGroupId: Select a group the policy names, or none',
    ])
    assert.match(fields({ leaderId: 't' }).join(), /^leaderId: Tom Teach cannot supervise Dev Deputy/)
  })
})
