/** Booking a session, rebooking one that did not take place (CA-03), and booking a request (CA-04). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts'
import { isUuid } from '../../../domain/ids.ts'
import type { PolicyDocument } from '../../../domain/policy/index.ts'
import { defaultDurationMinutes, mayAnswerRequest, mayBookAny, requestTypes } from '../../../domain/scheduling/index.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { bookSession } from '../../../services/sessions/booking.ts'
import { ownSupervisees, type SchoolRef } from '../../../services/sessions/context.ts'
import { groupsOf } from '../../../services/sessions/groups.ts'
import { judgeFor, rebookingOf } from '../../../services/sessions/overview.ts'
import { loadRequest } from '../../../services/sessions/requests.ts'
import { type BookingValues, bookingHrefs, datePartsOf, emptyDate, readBookingForm } from '../forms.ts'
import { namesOf } from '../presenters.ts'
import {
  exampleDate,
  peopleChoices,
  renderConflict,
  schoolFor,
  schoolPage,
  schoolQuery,
  selectItems,
  sessionFor,
  today,
} from '../shared.ts'

const template = 'sessions/views/book.njk'

function sentenceOf(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

/** The booking page's context: the form as filled in, and the choices it offers. */
async function bookingPage(
  req: FastifyRequest,
  school: SchoolRef,
  values: BookingValues,
  extra: { warnings?: string[]; context?: string | null; schoolQuery?: string } = {},
) {
  const { on, policy, supervisors, supervisees } = await peopleChoices(req, school, values.superviseeIds)
  const types = policy?.sessionTypes ?? []
  const heading = values.rebooks
    ? 'Rebook a session'
    : values.request
      ? 'Book the session they asked for'
      : 'Book a session'
  return {
    pageTitle: heading,
    heading,
    backLink: { href: paths.sessions.index(), text: 'Your sessions' },
    school,
    action: paths.sessions.book(extra.schoolQuery ?? ''),
    values,
    context: extra.context ?? null,
    warnings: extra.warnings ?? [],
    errors: noErrors as FormErrors,
    typeItems: types.map((t) => ({
      value: t.id,
      text: t.name,
      hint: { text: `${t.description}${t.group ? ' A group session: select everyone in the group.' : ''}` },
    })),
    // CA-01: how a session of a type with focuses (multi-agency supervision) is focused.
    focusTypes: types
      .filter((t) => (t.focuses ?? []).length > 0)
      .map((t) => ({
        name: t.name,
        items: t.focuses.map((f) => ({ value: f.id, text: f.name, checked: values.focusId === f.id })),
      })),
    supervisorItems: selectItems(supervisors, values.supervisorId, 'Choose a supervisor'),
    // AM-04: when the supervisor is not the line manager, who stays accountable (the policy's words).
    supervisorHint: [
      'Only supervisors your school’s policy allows can lead sessions that count toward supervision.',
      policy?.supervisors.accountability ? sentenceOf(policy.supervisors.accountability) : null,
    ]
      .filter((text) => text !== null)
      .join(' '),
    secondSupervisorItems: selectItems(supervisors, values.secondSupervisorId, 'None'),
    superviseeItems: supervisees.map((o) => ({ ...o, checked: values.superviseeIds.includes(o.value) })),
    defaultMinutes: defaultDurationMinutes(
      policy,
      values.typeId || (types.find((t) => t.countsTowardEntitlement)?.id ?? ''),
    ),
    exampleDate: exampleDate(on),
    buttonText: values.rebooks ? 'Rebook the session' : 'Book the session',
  }
}

function emptyBooking(policy: PolicyDocument | null, actorId: string): BookingValues {
  const counting = policy?.sessionTypes.find((t) => t.countsTowardEntitlement) ?? policy?.sessionTypes[0]
  return {
    typeId: counting?.id ?? '',
    supervisorId: actorId,
    secondSupervisorId: '',
    superviseeIds: [],
    date: emptyDate,
    startTime: '',
    durationMinutes: String(defaultDurationMinutes(policy, counting?.id ?? '')),
    venue: '',
    onlineLink: '',
    rebooks: '',
    request: '',
  }
}

/** Why the booking form is being filled in: a rebooking or a request, prefilled; null when out of reach. */
async function prefill(
  req: FastifyRequest,
  school: SchoolRef,
  query: { rebook?: string; request?: string; supervisee?: string; group?: string },
): Promise<{ values: BookingValues; context: string | null } | null> {
  const db = req.server.db
  const actor = req.actor!
  const judge = await judgeFor(db, school.id, today(req))
  const policy = judge.book.on(today(req))
  const values = emptyBooking(policy, actor.personId)
  if (query.rebook) {
    const found = await sessionFor(req, query.rebook)
    if (!found?.abilities.rebook || found.school.id !== school.id) return null
    const { session } = found
    const view = session.cancellation
      ? rebookingOf(
          judge,
          { sessionId: session.id, typeId: session.typeId, date: session.date, supervisees: session.supervisees },
          session.cancellation,
          null,
        )
      : null
    return {
      values: {
        ...values,
        typeId: session.typeId,
        supervisorId: session.supervisors[0]?.id ?? '',
        secondSupervisorId: session.supervisors[1]?.id ?? '',
        superviseeIds: session.supervisees.map((p) => p.id),
        durationMinutes: session.durationMinutes === null ? values.durationMinutes : String(session.durationMinutes),
        startTime: session.startTime ?? '',
        venue: session.venue ?? '',
        onlineLink: session.onlineLink ?? '',
        rebooks: session.id,
      },
      context: `This rebooks the ${judge.book.typeName(session.typeId, session.date).toLowerCase()} session on ${formatLongDate(session.date)} with ${namesOf(session.supervisees)}, which did not take place.${view && view.state !== 'no-deadline' ? ` ${view.message}.` : ''}`,
    }
  }
  if (query.request) {
    const request = await loadRequest(db, [school.id], actor, query.request)
    if (
      request?.status !== 'open' ||
      !mayAnswerRequest(actor, { requesterId: request.requester.id, supervisorId: request.supervisor?.id ?? null })
    )
      return null
    const type = policy ? requestTypes(policy)[0] : undefined
    return {
      values: {
        ...values,
        typeId: type?.id ?? values.typeId,
        durationMinutes: String(defaultDurationMinutes(policy, type?.id ?? '')),
        superviseeIds: [request.requester.id],
        date: datePartsOf(request.preferredDates[0] ?? null),
        request: request.id,
      },
      context: `${request.requester.name} asked for a session about ${request.topic} on ${formatLongDate(londonDateOf(request.createdAt))}.${request.preferredDates.length > 0 ? ` Dates that suit them: ${request.preferredDates.map(formatLongDate).join(', ')}.` : ''}`,
    }
  }
  if (query.group) {
    // CA-05: a meeting of a standing group, with its leader and members chosen.
    const group = (await groupsOf(db, school, today(req))).find((g) => g.id === query.group)
    if (!group) return null
    const leads = group.leaders.some((p) => p.id === actor.personId)
    return {
      values: {
        ...values,
        typeId: group.typeId,
        durationMinutes: String(defaultDurationMinutes(policy, group.typeId)),
        supervisorId: leads ? actor.personId : (group.leaders[0]?.id ?? values.supervisorId),
        superviseeIds: (group.members ?? []).map((p) => p.id),
      },
      context: `This books a meeting of the ${group.name} group.`,
    }
  }
  if (query.supervisee && isUuid(query.supervisee)) values.superviseeIds = [query.supervisee]
  return { values, context: null }
}

export function bookingRoutes(app: FastifyInstance) {
  const db = app.db

  app.get<{ Querystring: { school?: string; rebook?: string; request?: string; supervisee?: string; group?: string } }>(
    paths.sessions.book.pattern,
    { config: { access: 'signed-in' } },
    async (req, reply: FastifyReply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const actor = req.actor!
      const own = await ownSupervisees(db, actor.personId)
      if (!mayBookAny(actor, own.size) && !req.query.request) return reply.redirect(paths.sessions.newRequest(), 303)
      const filled = await prefill(req, found.school, req.query)
      if (!filled) return renderNotFound(req, reply)
      return reply.view(
        template,
        await bookingPage(req, found.school, filled.values, {
          context: filled.context,
          schoolQuery: schoolQuery(found.school, found.schools),
        }),
      )
    },
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.sessions.book.pattern,
    { config: { access: 'signed-in' } },
    schoolPage(schoolFor, async (req, reply, found) => {
      const { school } = found
      const form = readBookingForm(req.body)
      const rebooks = isUuid(form.values.rebooks) ? form.values.rebooks : null
      const requestId = isUuid(form.values.request) ? form.values.request : null
      const result = await bookSession(db, {
        school,
        actor: req.actor!,
        request: form.request,
        confirmed: form.confirmed,
        rebooksSessionId: rebooks,
        requestId,
        recorder: form.values.recorder ?? '',
        today: today(req),
        baseUrl: app.config.baseUrl,
        formProblems: form.problems.map((p) => ({ field: p.field as never, message: p.message })),
      })
      if (result.ok)
        return reply.redirect(
          paths.sessions.show({ id: result.sessionId }, { saved: rebooks ? 'rebooked' : 'booked' }),
          303,
        )
      const context =
        rebooks || requestId
          ? ((await prefill(req, school, { rebook: rebooks ?? undefined, request: requestId ?? undefined }))?.context ??
            null)
          : null
      const sq = schoolQuery(school, found.schools)
      switch (result.kind) {
        case 'invalid':
          return renderInvalid(
            reply,
            template,
            await bookingPage(req, school, form.values, { context, schoolQuery: sq }),
            problemErrors(result.problems, bookingHrefs),
          )
        case 'confirm':
          return reply.view(
            template,
            await bookingPage(req, school, form.values, { warnings: result.warnings, context, schoolQuery: sq }),
          )
        case 'not-found':
          return renderNotFound(req, reply)
        case 'conflict':
          return renderConflict(reply, {
            href: rebooks
              ? paths.sessions.show({ id: rebooks })
              : requestId
                ? paths.sessions.request({ id: requestId })
                : paths.sessions.index(),
            text: 'Go back and see it as it is now',
          })
      }
    }),
  )
}
