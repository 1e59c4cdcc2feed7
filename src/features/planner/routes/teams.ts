/**
 * Standing teams (CA-05): the school's named teams for group supervision, which the planner plans
 * as one session for the whole team. The list, adding a team, changing one (at the version read,
 * so two people editing at once do not overwrite each other) and ending one. Handlers parse, call
 * one service, and render or redirect; the service checks the leader against the policy.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import type { Person } from '../../../domain/people/person.ts'
import { lowerFirst } from '../../../domain/policy/wording.ts'
import { type FormErrors, field, noErrors } from '../../../forms/errors.ts'
import { readVersion } from '../../../forms/fields.ts'
import { editConflictMessage, parseForm, problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  endStandingTeam,
  type StoredTeam,
  saveStandingTeam,
  type TeamOptions,
  teamOf,
  teamOptions,
  teamsOfSchool,
} from '../../../services/planning/teams.ts'
import { schoolFor, schoolPage } from '../../school-scope.ts'
import { teamSchema, teamValues } from '../forms.ts'
import { type Found, manage, schoolField, schoolParam, todayOf } from './shared.ts'

const formTemplate = 'planner/views/team-form.njk'

export const teamConflictMessage = editConflictMessage('this team', 'the team below')

type TeamParams = { Params: { teamId: string } }

function typeName(options: Pick<TeamOptions, 'policy'>, team: Pick<StoredTeam, 'sessionTypeId'>): string {
  return options.policy?.sessionTypes.find((t) => t.id === team.sessionTypeId)?.name ?? 'Group supervision'
}

function meets(team: Pick<StoredTeam, 'everyWeeks'>): string {
  return team.everyWeeks === null
    ? 'As often as the policy asks'
    : team.everyWeeks === 1
      ? 'Every week in term time'
      : `Every ${team.everyWeeks} weeks in term time`
}

const nameOf = (people: ReadonlyMap<string, Person>, id: string) => people.get(id)?.name ?? 'Someone who has left'

export function teamsRoutes(app: FastifyInstance): void {
  /** The school a team form is about, and the team when it changes one (null when out of reach). */
  async function locate(
    req: FastifyRequest,
    schoolSlug: unknown,
    teamId: string | null,
  ): Promise<{ found: Found; team: StoredTeam | null } | null> {
    if (teamId === null) {
      const found = await schoolFor(req, schoolSlug)
      return found ? { found, team: null } : null
    }
    const any = await schoolFor(req, undefined)
    if (!any) return null
    const team = await teamOf(
      app.db,
      any.schools.map((s) => s.id),
      teamId,
    )
    const school = team ? any.schools.find((s) => s.id === team.schoolId) : undefined
    return team && school ? { found: { school, schools: any.schools }, team } : null
  }

  async function renderTeamForm(
    reply: FastifyReply,
    found: Found,
    team: StoredTeam | null,
    values: Record<string, unknown> | null,
    errors: FormErrors = noErrors,
    status: 200 | 400 | 409 = 200,
  ) {
    const options = await teamOptions(app.db, found.school.id, todayOf(app))
    const v = values ?? {
      name: team?.name ?? '',
      leaderId: team?.leaderId ?? '',
      memberIds: team?.memberIds ?? [],
      sessionTypeId:
        team?.sessionTypeId ?? options.policy?.sessionTypes.filter((t) => t.group).map((t) => t.id)[0] ?? '',
      standingGroupId: team?.standingGroupId ?? '',
      everyWeeks: team?.everyWeeks === null || team === null ? '' : String(team.everyWeeks),
      version: team ? String(team.version) : '',
    }
    const chosen = new Set(v.memberIds as string[])
    const groupTypes = options.policy?.sessionTypes.filter((t) => t.group) ?? []
    const context = {
      pageTitle: team ? (team.endedOn ? team.name : `Change ${team.name}`) : 'Add a standing team',
      backLink: { href: paths.planner.teams({ school: schoolParam(found) }), text: 'Standing teams' },
      school: found.school,
      schoolField: schoolField(found),
      team: team
        ? { ...team, typeName: typeName(options, team), ended: team.endedOn ? formatLongDate(team.endedOn) : null }
        : null,
      action: team ? paths.planner.team({ teamId: team.id }) : paths.planner.newTeam(),
      values: v,
      leaderItems: [
        { value: '', text: 'Choose someone', selected: v.leaderId === '' },
        ...options.leaders.map((p) => ({
          value: p.id,
          text: p.jobTitle ? `${p.name} (${p.jobTitle})` : p.name,
          selected: p.id === v.leaderId,
        })),
      ],
      memberItems: options.members.map((p) => ({
        value: p.id,
        text: p.name,
        hint: p.jobTitle ? { text: p.jobTitle } : undefined,
        checked: chosen.has(p.id),
      })),
      typeItems: groupTypes.map((t) => ({ value: t.id, text: t.name, checked: t.id === v.sessionTypeId })),
      groupItems: [
        { value: '', text: 'None', selected: v.standingGroupId === '' },
        ...(options.policy?.standingGroups ?? []).map((g) => ({
          value: g.id,
          text: g.name,
          selected: g.id === v.standingGroupId,
        })),
      ],
      noPolicy: options.policy === null,
    }
    if (errors !== noErrors) return renderInvalid(reply, formTemplate, context, errors, status as 400 | 409)
    return reply.view(formTemplate, { ...context, errors: noErrors })
  }

  app.get<{ Querystring: { school?: string; saved?: string; ended?: string } }>(
    paths.planner.teams.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      const today = todayOf(app)
      const [teams, options] = await Promise.all([
        teamsOfSchool(app.db, found.school.id),
        teamOptions(app.db, found.school.id, today),
      ])
      const row = (team: StoredTeam) => ({
        ...team,
        href: paths.planner.team({ teamId: team.id }),
        leader: nameOf(options.people, team.leaderId),
        members: team.memberIds.map((id) => nameOf(options.people, id)).sort((a, b) => a.localeCompare(b, 'en-GB')),
        type: typeName(options, team),
        meets: meets(team),
        ended: team.endedOn ? formatLongDate(team.endedOn) : null,
      })
      const saved = teams.find((t) => t.id === req.query.saved)
      const ended = teams.find((t) => t.id === req.query.ended)
      return reply.view('planner/views/teams.njk', {
        pageTitle: 'Standing teams',
        backLink: { href: paths.planner.index({ school: schoolParam(found) }), text: 'Planner' },
        school: found.school,
        addHref: paths.planner.newTeam({ school: schoolParam(found) }),
        standing: teams.filter((t) => t.endedOn === null).map(row),
        endedTeams: teams.filter((t) => t.endedOn !== null).map(row),
        banner: saved
          ? `${saved.name} has been saved. The planner plans its group sessions the next time sessions are proposed.`
          : ended
            ? `${ended.name} has been ended. The planner no longer plans its sessions.`
            : null,
        typeHint: lowerFirst(options.policy?.sessionTypes.find((t) => t.group)?.name ?? 'group supervision'),
      })
    }),
  )

  app.get<{ Querystring: { school?: string } }>(
    paths.planner.newTeam.pattern,
    { config: manage },
    async (req, reply) => {
      const located = await locate(req, req.query.school, null)
      if (!located) return renderNotFound(req, reply)
      return renderTeamForm(reply, located.found, null, null)
    },
  )

  app.get<TeamParams>(paths.planner.team.pattern, { config: manage }, async (req, reply) => {
    const located = await locate(req, undefined, req.params.teamId)
    if (!located?.team) return renderNotFound(req, reply)
    return renderTeamForm(reply, located.found, located.team, null)
  })

  async function save(req: FastifyRequest, reply: FastifyReply, teamId: string | null) {
    const located = await locate(req, field(req.body, 'school'), teamId)
    if (!located || (teamId !== null && (!located.team || located.team.endedOn !== null)))
      return renderNotFound(req, reply)
    const { found, team } = located
    const values = teamValues(req.body)
    const form = parseForm(teamSchema, req.body)
    if (!form.ok) return renderTeamForm(reply, found, team, values, form.errors, 400)
    const result = await saveStandingTeam(app.db, {
      organisationId: found.school.organisationId,
      schoolId: found.school.id,
      teamId,
      actorId: req.actor!.personId,
      today: todayOf(app),
      ...form.value,
    })
    if (result.ok) return reply.redirect(paths.planner.teams({ school: schoolParam(found), saved: result.id }), 303)
    if (result.kind === 'invalid')
      return renderTeamForm(reply, found, team, values, problemErrors(result.problems), 400)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    const current = (await teamOf(app.db, [found.school.id], teamId ?? '')) ?? team
    return renderTeamForm(
      reply,
      found,
      current,
      { ...values, version: current ? String(current.version) : '' },
      problemErrors([{ field: 'name', message: teamConflictMessage }]),
      409,
    )
  }

  app.post(paths.planner.newTeam.pattern, { config: manage }, async (req, reply) => save(req, reply, null))
  app.post<TeamParams>(paths.planner.team.pattern, { config: manage }, async (req, reply) =>
    save(req, reply, req.params.teamId),
  )

  app.post<TeamParams>(paths.planner.endTeam.pattern, { config: manage }, async (req, reply) => {
    const located = await locate(req, undefined, req.params.teamId)
    if (!located?.team || located.team.endedOn !== null) return renderNotFound(req, reply)
    const { found, team } = located
    const result = await endStandingTeam(app.db, {
      organisationId: found.school.organisationId,
      schoolId: found.school.id,
      teamId: team.id,
      version: readVersion(req.body),
      actorId: req.actor!.personId,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.planner.teams({ school: schoolParam(found), ended: team.id }), 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    return renderTeamForm(
      reply,
      found,
      team,
      null,
      problemErrors([{ field: 'name', message: teamConflictMessage }]),
      409,
    )
  })
}
