/** Cancel a session (MW-06), record that it did not take place (CA-03), or postpone it (AM-05). */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { cancellationReasons, reasonRequired, type sessionAbilities } from '../../../domain/scheduling/index.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { cancelSession, postponeSession } from '../../../services/sessions/changes.ts'
import { judgeFor } from '../../../services/sessions/overview.ts'
import { type CancelValues, cancelHrefs, emptyDate, readCancelForm } from '../forms.ts'
import { policyNotes, timeText } from '../presenters.ts'
import { changeFailure, exampleDate, type FoundSession, sessionFor, today } from '../shared.ts'

type CancelMode = 'cancel' | 'did-not-attend' | 'postpone'

const template = 'sessions/views/cancel.njk'

const modes = {
  cancel: {
    path: paths.sessions.cancel,
    heading: 'Cancel the session',
    legend: 'Why is it being cancelled?',
    button: 'Cancel the session',
    saved: 'cancelled',
    allowed: (a: ReturnType<typeof sessionAbilities>) => a.cancel,
  },
  'did-not-attend': {
    path: paths.sessions.didNotAttend,
    heading: 'Record that the session did not take place',
    legend: 'Why did it not take place?',
    button: 'Record that it did not take place',
    saved: 'did-not-attend',
    allowed: (a: ReturnType<typeof sessionAbilities>) => a.markDidNotAttend,
  },
  postpone: {
    path: paths.sessions.postpone,
    heading: 'Postpone the session',
    legend: 'Why is it being postponed?',
    button: 'Postpone the session',
    saved: 'postponed',
    allowed: (a: ReturnType<typeof sessionAbilities>) => a.postpone,
  },
} as const

async function cancelPage(
  req: FastifyRequest,
  found: FoundSession,
  mode: CancelMode,
  values: CancelValues,
  warnings: string[] = [],
) {
  const { session, school } = found
  const judge = await judgeFor(req.server.db, school.id, today(req))
  const policy = judge.book.on(session.date)
  const reasons = cancellationReasons(policy)
  const m = modes[mode]
  return {
    pageTitle: m.heading,
    heading: m.heading,
    backLink: { href: paths.sessions.show({ id: session.id }), text: 'Back to the session' },
    sessionId: session.id,
    typeName: judge.book.typeName(session.typeId, session.date),
    date: formatLongDate(session.date),
    time: timeText(session),
    action: m.path({ id: session.id }),
    policyNotes: mode === 'did-not-attend' ? policyNotes(policy).slice(1) : policyNotes(policy),
    // MW-06: the policy says whether a reason must be given.
    reasonLegend: reasonRequired(policy) ? m.legend : `${m.legend} (optional)`,
    reasonItems: reasons.map((r) => ({ value: r.id, text: r.name })),
    hasAbsenceReason: reasons.some((r) => r.absence),
    values,
    withNewTime: mode === 'postpone',
    warnings,
    errors: noErrors as FormErrors,
    exampleDate: exampleDate(today(req)),
    buttonText: m.button,
  }
}

export function changesRoutes(app: FastifyInstance) {
  const db = app.db
  const signedIn = { access: 'signed-in' as const }

  for (const mode of ['cancel', 'did-not-attend', 'postpone'] as const) {
    const m = modes[mode]

    app.get<{ Params: { id: string } }>(m.path.pattern, { config: signedIn }, async (req, reply) => {
      const found = await sessionFor(req, req.params.id)
      if (!found) return renderNotFound(req, reply)
      if (!m.allowed(found.abilities)) return changeFailure(req, reply, 'forbidden', found.session.id)
      return reply.view(
        template,
        await cancelPage(req, found, mode, {
          reasonId: '',
          reasonNote: '',
          returnDate: emptyDate,
          version: String(found.session.version),
          date: emptyDate,
          startTime: found.session.startTime ?? '',
        }),
      )
    })

    app.post<{ Params: { id: string } }>(m.path.pattern, { config: signedIn }, async (req, reply) => {
      const found = await sessionFor(req, req.params.id)
      if (!found) return renderNotFound(req, reply)
      const form = readCancelForm(req.body, mode === 'postpone')
      const base = {
        school: found.school,
        actor: req.actor!,
        sessionId: found.session.id,
        expectedVersion: form.version,
        today: today(req),
        baseUrl: app.config.baseUrl,
        reasonId: form.reasonId,
        reasonNote: form.reasonNote,
        returnDate: form.returnDate,
        formProblems: form.problems,
      }
      const result =
        mode === 'postpone'
          ? await postponeSession(db, {
              ...base,
              newDate: form.newDate,
              newStartTime: form.newStartTime,
              confirmed: form.confirmed,
            })
          : await cancelSession(db, { ...base, kind: mode === 'cancel' ? 'cancelled' : 'did-not-attend' })
      if (result.ok)
        return reply.redirect(
          paths.sessions.show({ id: mode === 'postpone' ? result.sessionId : found.session.id }, { saved: m.saved }),
          303,
        )
      if (result.kind === 'invalid')
        return renderInvalid(
          reply,
          template,
          await cancelPage(req, found, mode, form.values),
          problemErrors(result.problems, cancelHrefs),
        )
      if (result.kind === 'confirm')
        return reply.view(template, await cancelPage(req, found, mode, form.values, result.warnings))
      return changeFailure(req, reply, result.kind, found.session.id)
    })
  }
}
