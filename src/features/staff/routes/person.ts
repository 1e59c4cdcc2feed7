/** A person's page, and inviting them to Haven. */
import type { FastifyPluginAsync } from 'fastify'
import { employmentEnded } from '../../../domain/access/accounts.ts'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { canSeeAdditionalSupport } from '../../../domain/access/sensitive.ts'
import { isUuid } from '../../../domain/ids.ts'
import { isStaff } from '../../../domain/people/kinds.ts'
import type { PersonFlags } from '../../../domain/people/person.ts'
import { supervisionKindNames, supervisorWarnings } from '../../../domain/people/supervision.ts'
import { mayReadDevelopmentPlan } from '../../../domain/wellbeing/development-plan.ts'
import { mayStartFurtherSupport } from '../../../domain/wellbeing/further-support.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { type PendingChange, pendingChanges } from '../../../services/auth/access-changes.ts'
import { getPersonDetail, inviteOne } from '../../../services/staff/people.ts'
import { customRolesFor } from '../../../services/staff/roles.ts'
import { personScope } from '../../../services/staff/scope.ts'
import { kindSupervisionPage } from '../../../services/staff/supervision-kinds.ts'
import { trainingPage } from '../../../services/staff/training.ts'
import {
  employmentTypeLabels,
  flagLabels,
  flagText,
  invitationTag,
  otherPersonSummary,
  roleNamer,
  scopeText,
  workingDaysText,
} from '../presenters.ts'
import { manage, organisationOf, read, todayOf } from './shared.ts'

/** What waits for one person, for their page. */
function waitingFor(changes: readonly PendingChange[]) {
  return {
    rolesWaiting: changes.flatMap((c) => (c.kind === 'role' && c.roleName ? [c.roleName] : [])),
    emailWaiting: changes.find((c) => c.kind === 'email')?.newEmail ?? null,
  }
}

/** The banner after a change, by `?saved=`. */
function savedMessages(person: { name: string; email: string }): Record<string, string> {
  return {
    added: `${person.name} has been added.`,
    changed: `${person.name}’s details have been saved.`,
    'email-waiting': `${person.name}’s details have been saved. The new email address is waiting for approval: a designated safeguarding lead of the school, or ${person.name} from their current email address, must confirm it.`,
    'line-manager': 'The new line manager has been recorded.',
    supervisor: 'The new supervisor has been recorded.',
    handover: 'The handover has been recorded.',
    ended: `${person.name}’s end date has been recorded.`,
    recorder: `Who completes the records of ${person.name}’s supervision has been saved.`,
    invited: `An invitation has been sent to ${person.email}.`,
    training: 'The supervisor training has been recorded.',
    'scope-in': `${person.name} has been brought into scope: they must receive supervision.`,
    'scope-out': `${person.name} has been taken out of scope: they do not need supervision.`,
    'scope-ended': 'The decision by name has ended. The policy decides again.',
  }
}

const personRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    paths.staff.person.pattern,
    { config: read },
    async (req, reply) => {
      const detail = await getPersonDetail(app.db, organisationOf(req), req.params.id)
      if (!detail) return renderNotFound(req, reply)
      const actor = req.actor!
      const { person } = detail
      const customRoles = await customRolesFor(app.db, detail.organisationId, person.schoolId)
      const roleName = roleNamer(customRoles)
      const showAdditionalSupport = canSeeAdditionalSupport(actor, {
        id: person.id,
        lineManagerId: person.lineManagerId,
        supervisorIds: detail.supervisor ? [detail.supervisor.id] : [],
      })
      // LH-04: the further support page, for those who may start it (line manager, supervisor, DSL).
      const subject = {
        id: person.id,
        lineManagerId: person.lineManagerId,
        supervisorIds: detail.supervisor ? [detail.supervisor.id] : [],
      }
      const furtherSupport = mayStartFurtherSupport(actor.in(person.schoolId), subject)
      // PL-07: their development plan, for those who may read it.
      const developmentPlan = person.schoolId !== null && mayReadDevelopmentPlan(actor.in(person.schoolId), subject)
      const today = todayOf(app)
      const flags = (Object.keys(flagLabels) as (keyof PersonFlags)[])
        .filter((k) => k !== 'additionalSupport' && person.flags[k])
        .map((k) => flagText(flagLabels[k], person.flagDates?.[k], today))
      const additionalSupport = person.flags.additionalSupport
        ? flagText('Yes', person.flagDates?.additionalSupport, today).replace(/^Yes: ended/, 'No: ended')
        : 'No'
      const scope = await personScope(app.db, { organisationId: detail.organisationId, personId: person.id, today })
      // Issue 14: who supervises them in each kind of supervision that has a supervisor of its own.
      const kinds = await kindSupervisionPage(app.db, detail.organisationId, person.id, today)
      const kindSupervisors = (kinds?.rows ?? []).flatMap((row) =>
        row.current ? [{ kind: row.name, id: row.current.id, name: row.current.name, since: row.current.since }] : [],
      )
      const supervisedCount = detail.supervisees.filter((s) => s.kind === 'supervisor').length
      const saved = savedMessages(person)
      return reply.view('staff/views/person.njk', {
        pageTitle: person.name,
        backLink: isStaff(person)
          ? { href: paths.staff.index({ school: detail.school?.slug }), text: 'Staff' }
          : { href: paths.staff.others({ school: detail.school?.slug }), text: 'People who are not staff' },
        other: otherPersonSummary(person),
        kindSupervisors,
        detail,
        person,
        roles: person.roles.map(roleName),
        employmentType: employmentTypeLabels[person.employmentType] ?? person.employmentType,
        workingDays: workingDaysText(person.workingDays),
        flags,
        additionalSupport,
        scopeText: scope ? scopeText(scope) : null,
        showAdditionalSupport,
        furtherSupport,
        developmentPlan,
        training: await trainingPage(
          app.db,
          {
            organisationId: detail.organisationId,
            schoolId: person.schoolId,
            personId: person.id,
            supervisorTrainedOn: person.supervisorTrainedOn,
          },
          today,
        ),
        left: employmentEnded(person.endDate, today),
        warnings: supervisorWarnings({
          superviseeCount: supervisedCount,
          supervisorTrainedOn: person.supervisorTrainedOn,
          hasOwnSupervisor: detail.supervisor !== null,
        }),
        kindNames: supervisionKindNames,
        invitation: invitationTag(detail.invitation),
        canInvite: detail.invitation.status !== 'account' && !employmentEnded(person.endDate, today),
        ...waitingFor(
          await pendingChanges(app.db, { organisationId: detail.organisationId, schoolId: person.schoolId }, person.id),
        ),
        canManage: can(actor, Permission.StaffManage),
        saved: req.query.saved ? (saved[req.query.saved] ?? null) : null,
        reasonNames: { change: 'Change', leaving: 'Leaving', import: 'Staff import' },
      })
    },
  )

  app.post<{ Params: { id: string } }>(paths.staff.invite.pattern, { config: manage }, async (req, reply) => {
    if (!isUuid(req.params.id)) return renderNotFound(req, reply)
    const result = await inviteOne(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      actorId: req.actor!.personId,
      baseUrl: app.config.baseUrl,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: 'invited' }), 303)
    if (result.reason === 'not-found') return renderNotFound(req, reply)
    return renderClientError(reply, 400, {
      heading: result.reason === 'has-account' ? 'They already have an account' : 'They have left',
      paragraphs: [
        result.reason === 'has-account'
          ? 'They can sign in already. If they have forgotten their password, they can reset it from the sign-in page.'
          : 'Haven does not invite people whose employment has ended.',
      ],
    })
  })
}

export default personRoutes
