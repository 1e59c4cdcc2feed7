/**
 * Disputes between supervisor and supervisee (MW-11, AM-05; issue 17): once a disagreement with a
 * record is recorded, either party (or the DSL) books a meeting to resolve it with the third
 * person the contract or the policy's route names, and records the outcome afterwards.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { meetingWithName } from '../../../domain/records/disputes.ts'
import { datePartsFrom } from '../../../forms/date-input.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../../forms/errors.ts'
import { editConflictMessage, parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import {
  bookDisputeMeeting,
  disputeMeetingsOf,
  disputeRoutesFor,
  recordDisputeOutcome,
} from '../../../services/records/disputes.ts'
import { disputeMeetingForm, disputeMeetingHrefs, disputeOutcomeForm } from '../forms.ts'
import { actorOf, forbidden, type RecordContext, signedIn, today, withRecord } from './shared.ts'

type Values = Record<string, unknown>

const bookingProblems = {
  'unknown-route': ['stepId', 'Select which route the meeting follows'],
  'needs-agreement': ['bothAgreed', 'Confirm that both of you agree to the meeting'],
  'needs-person': ['thirdPersonId', 'Select who the meeting is with'],
} as const

export function disputeRoutes(app: FastifyInstance): void {
  const db = app.db
  const mailer = { baseUrl: app.config.baseUrl }

  /** Who may book and record: the record's parties and the DSL, once a disagreement is recorded. */
  const mayAct = (ctx: RecordContext) => ctx.record.disputedAt !== null && ctx.role !== 'recorder'

  async function renderBooking(
    reply: FastifyReply,
    ctx: RecordContext,
    extra: { errors?: FormErrors; values?: Values; status?: number } = {},
  ) {
    const { routes, people } = await disputeRoutesFor(db, ctx.session, ctx.policy, today(app))
    const values = extra.values ?? {
      stepId: routes.length === 1 ? routes[0]!.stepId : '',
      thirdPersonId: '',
      bothAgreed: false,
      meetingOn: { day: '', month: '', year: '' },
      meetingTime: '',
      venue: '',
    }
    return reply.code(extra.status ?? 200).view('records/views/dispute-meeting.njk', {
      pageTitle: 'Book a meeting to resolve the disagreement',
      backLink: { href: paths.records.show({ recordId: ctx.record.id }), text: 'Back to the record' },
      errors: extra.errors ?? noErrors,
      record: { id: ctx.record.id, name: ctx.record.template.name, date: ctx.session.date },
      routes: routes.map((r) => ({
        stepId: r.stepId,
        description: r.description,
        when: r.when,
        withName: meetingWithName(r.with),
        fromContract: r.with.kind === 'person' && r.with.source === 'contract',
        team: r.with.kind === 'team',
        choose: r.with.kind === 'choose',
        bothPartiesAgree: r.bothPartiesAgree,
      })),
      needsPerson: routes.some((r) => r.with.kind === 'choose'),
      needsAgreement: routes.some((r) => r.bothPartiesAgree),
      people: [
        { value: '', text: 'Select a person', selected: values.thirdPersonId === '' },
        ...people.map((p) => ({
          value: p.id,
          text: p.jobTitle ? `${p.name} (${p.jobTitle})` : p.name,
          selected: values.thirdPersonId === p.id,
        })),
      ],
      values,
    })
  }

  app.get<{ Params: { recordId: string } }>(
    paths.records.disputeMeeting.pattern,
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!mayAct(ctx)) return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
        return renderBooking(reply, ctx)
      }),
  )

  app.post<{ Params: { recordId: string } }>(
    paths.records.disputeMeeting.pattern,
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!mayAct(ctx)) return forbidden(reply)
        const typed = {
          stepId: field(req.body, 'stepId'),
          thirdPersonId: field(req.body, 'thirdPersonId'),
          bothAgreed: field(req.body, 'bothAgreed') === 'yes',
          meetingOn: datePartsFrom(req.body, 'meetingOn'),
          meetingTime: field(req.body, 'meetingTime'),
          venue: field(req.body, 'venue'),
        }
        const form = parseForm(disputeMeetingForm(today(app)), req.body, disputeMeetingHrefs)
        if (!form.ok) return renderBooking(reply, ctx, { errors: form.errors, values: typed, status: 400 })
        const result = await bookDisputeMeeting(db, {
          recordId: ctx.record.id,
          actor: actorOf(req),
          stepId: form.value.stepId,
          thirdPersonId: form.value.thirdPersonId || null,
          bothAgreed: form.value.bothAgreed,
          meetingOn: form.value.meetingOn!,
          meetingTime: form.value.meetingTime,
          venue: form.value.venue || null,
          mailer,
          today: today(app),
        })
        if (!result.ok) {
          if (result.reason in bookingProblems) {
            const [name, message] = bookingProblems[result.reason as keyof typeof bookingProblems]
            return renderBooking(reply, ctx, { errors: formErrors([[name, message]]), values: typed, status: 400 })
          }
          return renderClientError(reply, 409, {
            heading: 'The meeting could not be booked',
            paragraphs: [
              result.reason === 'open-meeting'
                ? 'A meeting to resolve this disagreement is already booked. Record its outcome before booking another.'
                : 'The record has changed. Go back to the record and try again.',
            ],
          })
        }
        return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { meetingBooked: '1' }), 303)
      }),
  )

  async function renderOutcome(
    reply: FastifyReply,
    ctx: RecordContext,
    meetingId: string,
    extra: { errors?: FormErrors; values?: Values; status?: 400 | 409 } = {},
  ) {
    const meeting = (await disputeMeetingsOf(db, ctx.record.schoolId, ctx.record.id)).find((m) => m.id === meetingId)
    if (!meeting) return null
    if (meeting.outcome !== null && !extra.errors)
      return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
    return reply.code(extra.status ?? 200).view('records/views/dispute-outcome.njk', {
      pageTitle: 'Record the outcome of the meeting',
      backLink: { href: paths.records.show({ recordId: ctx.record.id }), text: 'Back to the record' },
      errors: extra.errors ?? noErrors,
      record: { id: ctx.record.id, name: ctx.record.template.name, date: ctx.session.date },
      meeting,
      values: extra.values ?? { outcome: '', note: '', version: String(meeting.version) },
    })
  }

  app.get<{ Params: { recordId: string; meetingId: string } }>(
    paths.records.disputeOutcome.pattern,
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!mayAct(ctx)) return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
        return (await renderOutcome(reply, ctx, req.params.meetingId)) ?? renderNotFound(req, reply)
      }),
  )

  app.post<{ Params: { recordId: string; meetingId: string } }>(
    paths.records.disputeOutcome.pattern,
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!mayAct(ctx)) return forbidden(reply)
        const typed = {
          outcome: field(req.body, 'outcome'),
          note: field(req.body, 'note'),
          version: field(req.body, 'version'),
        }
        const form = parseForm(disputeOutcomeForm, req.body)
        if (!form.ok)
          return (
            (await renderOutcome(reply, ctx, req.params.meetingId, {
              errors: form.errors,
              values: typed,
              status: 400,
            })) ?? renderNotFound(req, reply)
          )
        const result = await recordDisputeOutcome(db, {
          recordId: ctx.record.id,
          meetingId: req.params.meetingId,
          version: form.value.version ?? -1,
          outcome: form.value.outcome,
          note: form.value.note,
          actor: actorOf(req),
          mailer,
          now: app.clock(),
        })
        if (!result.ok) {
          if (result.reason === 'missing') return renderNotFound(req, reply)
          return renderClientError(reply, 409, {
            heading: 'The outcome could not be saved',
            paragraphs: [editConflictMessage('the outcome of this meeting', 'the record')],
          })
        }
        return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { outcomeRecorded: '1' }), 303)
      }),
  )
}
