/**
 * Records are private, not confidential (CA-09, AM-05, MW-10; issue 15 item 4): the supervisor
 * shares a signed record, or chosen parts of it, with a named person the policy allows, for a
 * reason the policy lists; the share is withdrawn by whoever made it or the DSL. The named person
 * opens exactly what was shared, and nobody else can open it through the share.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { displaySections } from '../../../domain/records/display.ts'
import { actionsFieldOf } from '../../../domain/records/record.ts'
import {
  actionsPart,
  canShareRecord,
  checkShare,
  decisionsPart,
  includesPart,
  mayOpenShare,
  mayWithdrawShare,
  partsInWords,
  sharedTemplate,
  shareState,
  shareStateLabels,
} from '../../../domain/records/sharing.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { formatDateTime } from '../../../presenters/format.ts'
import { sessionForRecord } from '../../../services/records/context.ts'
import { recordOpened, templateShownFor } from '../../../services/records/records.ts'
import {
  partsOf,
  recipientsFor,
  shareInOrganisation,
  shareInSchool,
  shareRecord,
  sharesWithPerson,
  withdrawRecordShare,
} from '../../../services/records/sharing.ts'
import { recordInOrganisation } from '../../../services/records/store.ts'
import { shareForm } from '../forms.ts'
import { actorOf, forbidden, type RecordContext, signedIn, today, viewerOf, withRecord } from './shared.ts'

export function sharingRoutes(app: FastifyInstance): void {
  const db = app.db
  const mailer = { baseUrl: app.config.baseUrl }

  interface ShareValues {
    recipient: string
    reason: string
    note: string
    scope: string
    parts: readonly string[]
  }

  async function renderShare(
    _req: FastifyRequest,
    reply: FastifyReply,
    ctx: RecordContext,
    values: ShareValues = { recipient: '', reason: '', note: '', scope: 'whole', parts: [] },
    errors: FormErrors = noErrors,
    status = 200,
  ) {
    const disclosure = ctx.policy?.confidentiality?.disclosure
    const recipients = await recipientsFor(db, ctx.session, ctx.policy, today(app))
    const supervisees = ctx.session.participants.filter((p) => p.role === 'supervisee').map((p) => p.name)
    return reply.code(status).view('records/views/share.njk', {
      pageTitle: 'Share the record',
      backLink: { href: paths.records.show({ recordId: ctx.record.id }), text: 'Back to the record' },
      errors,
      record: { id: ctx.record.id, name: ctx.record.template.name, date: ctx.session.date },
      supervisees: supervisees.join(' and '),
      told: disclosure?.superviseeTold ?? 'before',
      noticeDays: disclosure?.noticeDays ?? 0,
      recipients: [
        { value: '', text: 'Choose a person' },
        ...recipients.map((r) => ({
          value: r.id,
          text: `${r.name}${r.jobTitle ? `, ${r.jobTitle}` : ''}${r.because === 'line-manager' ? ' (your line manager)' : ''}`,
          selected: r.id === values.recipient,
        })),
      ],
      noRecipients: recipients.length === 0,
      reasons: (disclosure?.reasons ?? []).map((r) => ({
        value: r.id,
        text: r.label,
        checked: r.id === values.reason,
      })),
      note: values.note,
      scope: values.scope,
      parts: partsOf(ctx.record).map((p) => ({ value: p.id, text: p.label, checked: values.parts.includes(p.id) })),
    })
  }

  app.get<{ Params: { recordId: string } }>(paths.records.share.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (ctx.role !== 'supervisor') return forbidden(reply)
      if (!canShareRecord(ctx.role, ctx.record.status, ctx.policy?.confidentiality?.disclosure))
        return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
      return renderShare(req, reply, ctx)
    }),
  )

  app.post<{ Params: { recordId: string } }>(paths.records.share.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      const disclosure = ctx.policy?.confidentiality?.disclosure
      if (!ctx.policy || !disclosure || !canShareRecord(ctx.role, ctx.record.status, disclosure))
        return forbidden(reply)
      const values = shareForm.parse(req.body ?? {})
      const checked = checkShare(
        {
          recipientId: values.recipient,
          reasonId: values.reason,
          note: values.note,
          scope: values.scope,
          parts: values.parts,
        },
        {
          disclosure,
          recipients: await recipientsFor(db, ctx.session, ctx.policy, today(app)),
          parts: partsOf(ctx.record),
        },
      )
      if (!checked.ok) {
        const order = ['recipient', 'reason', 'note', 'scope', 'parts']
        const pairs = order.filter((k) => checked.errors[k]).map((k) => [k, checked.errors[k]!] as const)
        return renderShare(req, reply, ctx, values, formErrors(pairs, { parts: 'parts', scope: 'scope' }), 400)
      }
      await shareRecord(db, {
        record: ctx.record,
        session: ctx.session,
        policy: ctx.policy,
        share: checked.share,
        actor: actorOf(req),
        now: app.clock(),
        mailer,
      })
      return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { shared: '1' }), 303)
    }),
  )

  app.post<{ Params: { recordId: string; shareId: string } }>(
    paths.records.withdrawShare.pattern,
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (ctx.role !== 'supervisor' && ctx.role !== 'dsl') return forbidden(reply)
        const share = await shareInSchool(db, ctx.record.schoolId, req.params.shareId)
        if (!share || share.recordId !== ctx.record.id) return renderNotFound(req, reply)
        if (!mayWithdrawShare(share, { personId: viewerOf(req).personId, isDsl: ctx.role === 'dsl' }))
          return forbidden(reply)
        await withdrawRecordShare(db, { share, session: ctx.session, actor: actorOf(req), now: app.clock() })
        return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { withdrawn: '1' }), 303)
      }),
  )

  // -------------------------------------------------------------------------------------------
  // The named person's side
  // -------------------------------------------------------------------------------------------

  app.get(paths.records.sharedWithMe.pattern, { config: signedIn }, async (req, reply) => {
    const viewer = viewerOf(req)
    const now = app.clock()
    const shares = await sharesWithPerson(db, viewer.organisationId, viewer.personId)
    return reply.view('records/views/shared-list.njk', {
      pageTitle: 'Records shared with you',
      shares: shares.map((s) => ({
        href: paths.records.sharedRecord({ shareId: s.id }),
        sharedByName: s.sharedByName,
        reason: s.reasonLabel,
        sharedAt: s.sharedAt,
        opensAt: s.opensAt,
        state: shareState(s, now),
      })),
    })
  })

  app.get<{ Params: { shareId: string } }>(
    paths.records.sharedRecord.pattern,
    { config: signedIn },
    async (req, reply) => {
      const viewer = viewerOf(req)
      const now = app.clock()
      const share = await shareInOrganisation(db, viewer.organisationId, req.params.shareId)
      // Someone else's share is not there for them (it is not theirs to know about).
      if (!share) return renderNotFound(req, reply)
      const may = mayOpenShare(share, viewer.personId, now)
      if (may === 'not-yours') return renderNotFound(req, reply)
      if (may === 'withdrawn')
        return renderClientError(reply, 410, {
          heading: 'This record is no longer shared with you',
          paragraphs: ['The person who shared it has withdrawn it.'],
        })
      if (may === 'waiting')
        return renderClientError(reply, 403, {
          heading: 'You cannot open this record yet',
          paragraphs: [
            'The supervisee is told before the record is shared with you, as the policy says.',
            `You can open it from ${formatDateTime(share.opensAt)}.`,
          ],
        })
      const record = await recordInOrganisation(db, viewer.organisationId, share.recordId)
      const session = record ? await sessionForRecord(db, viewer.organisationId, record.sessionId) : null
      if (!record || !session) return renderNotFound(req, reply)
      await recordOpened(db, { recordId: record.id, schoolId: record.schoolId, actor: actorOf(req), format: 'share' })
      const shown = sharedTemplate(templateShownFor(record.template, record, session), share.parts)
      const actionsField = actionsFieldOf(record.template)
      return reply.view('records/views/shared-record.njk', {
        pageTitle: record.template.name,
        backLink: { href: paths.records.sharedWithMe(), text: 'Records shared with you' },
        record: { name: record.template.name, date: session.date },
        supervisors: session.participants.filter((p) => p.role === 'supervisor').map((p) => p.name),
        supervisees: session.participants.filter((p) => p.role === 'supervisee').map((p) => p.name),
        share: {
          sharedByName: share.sharedByName,
          reason: share.reasonLabel,
          note: share.note,
          sharedAt: share.sharedAt,
          parts: upperFirst(partsInWords(share.parts, partsOf(record))),
        },
        sections: displaySections(shown, record.document.values, {
          skipFieldIds: actionsField ? [actionsField.id] : [],
        }).filter((s) => s.fields.length > 0),
        actions: includesPart(share.parts, actionsPart)
          ? {
              label: actionsField?.label ?? 'Agreed actions',
              list: record.document.actions.filter((a) => a.text.trim() !== ''),
            }
          : null,
        decisions: includesPart(share.parts, decisionsPart) ? record.document.decisions : [],
      })
    },
  )
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The shares of a record as its page shows them (the supervisee sees who has it and why). */
export function shareRows(
  shares: readonly {
    id: string
    recipientName: string
    recipientJobTitle: string
    sharedByName: string
    sharedById: string | null
    reasonLabel: string
    note: string
    parts: string[] | null
    sharedAt: Date
    opensAt: Date
    withdrawnAt: Date | null
    withdrawnByName: string | null
  }[],
  options: {
    recordId: string
    now: Date
    viewerId: string
    isDsl: boolean
    parts: readonly { id: string; label: string }[]
  },
) {
  return shares.map((s) => {
    const state = shareState(s, options.now)
    return {
      recipient: `${s.recipientName}${s.recipientJobTitle ? `, ${s.recipientJobTitle}` : ''}`,
      sharedByName: s.sharedByName,
      reason: s.reasonLabel,
      note: s.note,
      parts: partsInWords(s.parts, options.parts),
      sharedAt: s.sharedAt,
      opensAt: s.opensAt,
      withdrawnAt: s.withdrawnAt,
      withdrawnByName: s.withdrawnByName,
      state,
      stateLabel: shareStateLabels[state],
      withdrawHref: mayWithdrawShare(s, { personId: options.viewerId, isDsl: options.isDsl })
        ? paths.records.withdrawShare({ recordId: options.recordId, shareId: s.id })
        : null,
    }
  })
}
