/**
 * Issue 14 (ADR 0050): a single school on the same installation joins a trust, with two people's
 * consent. The trust's administrator invites (a one-time code and the date from which the school
 * follows the trust's policy); the school's administrator enters the code, reads what happens, and
 * confirms. Handlers parse, call one service, render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { Permission } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { type DateParts, dateInputSchema, datePartsFrom, datePartsOf } from '../../forms/date-input.ts'
import { type FormErrors, formErrors } from '../../forms/errors.ts'
import { withDates } from '../../forms/fields.ts'
import { parseForm, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { invitationDays, inviteSchool, joinTrust, trustInvitations } from '../../services/policy/trust-join.ts'
import { organisationOf } from '../../services/staff/schools.ts'
import { today } from '../policy/school.ts'
import { answerTrustCode } from './code-step.ts'

const organisation = { access: { permission: Permission.OrganisationManage } }

const inviteForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    effectiveFrom: dateInputSchema('The date the school follows the trust policy', {
      required: true,
      blank: 'Enter the date the school follows the trust policy',
    }).pipe(z.string()),
  }),
)
const inviteHrefs = { effectiveFrom: 'effectiveFrom-day' }

/** What joining would do, as the confirm step shows it. */
type JoinShown = {
  trustName: string
  effectiveFrom: string
  schoolName: string
  kept: string[]
  notKept: string[]
  rolesJoined: string[]
}

export function joinTrustRoutes(app: FastifyInstance): void {
  async function renderInvite(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { date?: DateParts; errors?: FormErrors; code?: { code: string; expiresOn: string } } = {},
  ) {
    const org = await organisationOf(app.db, req.actor!.organisationId)
    const invitations = org.kind === 'trust' ? await trustInvitations(app.db, req.actor!.organisationId) : []
    const todayIso = today(req)
    return renderForm(
      reply,
      'trust-policy/views/invite.njk',
      {
        pageTitle: 'Invite a school to join the trust',
        backLink: { href: paths.trustPolicy.index(), text: 'Trust policy' },
        organisation: org,
        invitationDays,
        date: extra.date ?? datePartsOf(todayIso),
        code: extra.code ? { code: extra.code.code, expiresOn: formatLongDate(extra.code.expiresOn) } : null,
        invitations: invitations.map((i) => ({
          made: formatLongDate(i.createdAt.toISOString().slice(0, 10)),
          effectiveFrom: formatLongDate(i.effectiveFrom),
          status: i.acceptedAt
            ? `Joined: ${i.schoolName ?? 'a school'}`
            : i.withdrawnAt
              ? 'Withdrawn'
              : i.expiresOn < todayIso
                ? 'Expired'
                : `Waiting, until ${formatLongDate(i.expiresOn)}`,
        })),
      },
      extra.errors,
    )
  }

  app.get(paths.trustPolicy.invite.pattern, { config: organisation }, async (req, reply) => renderInvite(req, reply))

  app.post(paths.trustPolicy.invite.pattern, { config: organisation }, async (req, reply) => {
    const date = datePartsFrom(req.body, 'effectiveFrom')
    const form = parseForm(inviteForm, req.body, inviteHrefs)
    if (!form.ok) return renderInvite(req, reply, { date, errors: form.errors })
    const result = await inviteSchool(app.db, {
      organisationId: req.actor!.organisationId,
      effectiveFrom: form.value.effectiveFrom,
      today: today(req),
      actorId: req.actor!.personId,
    })
    if (!result.ok)
      return renderInvite(req, reply, { date, errors: formErrors([[result.field, result.message]], inviteHrefs) })
    // The code is shown once, on this page: only its hash is kept.
    return renderInvite(req, reply, { code: { code: result.code, expiresOn: result.expiresOn } })
  })

  async function renderJoin(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: {
      code?: string
      errors?: FormErrors
      preview?: JoinShown
    } = {},
  ) {
    const org = await organisationOf(app.db, req.actor!.organisationId)
    return renderForm(
      reply,
      'trust-policy/views/join.njk',
      {
        pageTitle: extra.preview ? `Join ${extra.preview.trustName}` : 'Join a trust',
        backLink: { href: paths.admin.index(), text: 'Administration' },
        organisation: org,
        code: extra.code ?? '',
        preview: extra.preview
          ? { ...extra.preview, effectiveFrom: formatLongDate(extra.preview.effectiveFrom) }
          : null,
      },
      extra.errors,
    )
  }

  app.get(paths.trustPolicy.joinTrust.pattern, { config: organisation }, async (req, reply) => renderJoin(req, reply))

  app.post(paths.trustPolicy.joinTrust.pattern, { config: organisation }, async (req, reply) =>
    answerTrustCode<JoinShown>(req.body, {
      render: (extra) => renderJoin(req, reply, extra),
      submit: async ({ code, confirm }) => {
        const result = await joinTrust(app.db, {
          organisationId: req.actor!.organisationId,
          code,
          today: today(req),
          actorId: req.actor!.personId,
          at: req.server.clock(),
          confirm,
        })
        if (!result.ok) return { refused: result }
        if (!('trustName' in result)) return { done: true }
        const { trustName, effectiveFrom, schoolName, kept, notKept, rolesJoined } = result
        return { preview: { trustName, effectiveFrom, schoolName, kept, notKept, rolesJoined } }
      },
      done: () => reply.redirect(paths.home.index(), 303),
    }),
  )
}
