/**
 * Scheduling (issue 6): "my sessions", booking and rebooking, a page per session with its
 * changes (cancel, postpone, did not attend, held), the school's sessions by week and month,
 * cancellations for the DSL (MW-06), requests (CA-04) and unplanned supervision (CA-01).
 * Handlers parse, call one service, and render or redirect. Who may do what is decided by the
 * route's declared access and, for a particular session, by domain/scheduling/access.ts.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { formatLongDate, type IsoDate, isoWeekday, londonDateOf } from '../../domain/calendar/index.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { describeDuration } from '../../domain/policy/index.ts'
import {
  cancellationReasons,
  defaultDurationMinutes,
  isAbsenceReason,
  managesSessions,
  mayAnswerRequest,
  mayBookAny,
  mayViewRequest,
  reasonName,
  receivesCarryForward,
  requestTopics,
  requestTypes,
  type SchedulePage,
  schedulePage,
  sessionAbilities,
  unplannedTypes,
} from '../../domain/scheduling/index.ts'
import { type FormErrors, noErrors } from '../../forms/errors.ts'
import { problemErrors } from '../../forms/form.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { bookSession, type SessionActor } from '../../services/sessions/booking.ts'
import {
  carryForwardItemsForSession,
  itemsRaisedIn,
  openCarryForwardItems,
} from '../../services/sessions/carry-forward.ts'
import { cancelSession, markHeld, postponeSession, recordReturnDate } from '../../services/sessions/changes.ts'
import {
  contactOf,
  ownSupervisees,
  policyOn,
  type SchoolRef,
  sessionTypeOf,
  supervisorOf,
  typeNamer,
} from '../../services/sessions/context.ts'
import { judgeFor, missedSessions, mySessions, rebookingOf } from '../../services/sessions/overview.ts'
import {
  rebookedFor,
  type SessionDetail,
  sessionInSchools,
  sessionsBetween,
} from '../../services/sessions/repository.ts'
import {
  createRequest,
  declineRequest,
  loadRequest,
  openRequestCount,
  requestsFor,
  type SessionRequest,
} from '../../services/sessions/requests.ts'
import { recordUnplanned } from '../../services/sessions/unplanned.ts'
import { isUuid } from '../../services/staff/repository.ts'
import {
  type BookingValues,
  bookingHrefs,
  type CancelValues,
  cancelHrefs,
  datePartsOf,
  declineHrefs,
  emptyDate,
  heldHrefs,
  type RequestValues,
  readBookingForm,
  readCancelForm,
  readDeclineForm,
  readHeldForm,
  readRequestForm,
  readReturnDateForm,
  readUnplannedForm,
  requestHrefs,
  returnDateHrefs,
  type UnplannedValues,
  unplannedHrefs,
} from './forms.ts'
import { cancellationKindNames, namesOf, rebookingTag, sessionRow, statusTag, tagsOf, timeText } from './presenters.ts'
import {
  actorIn,
  actorOf,
  type Option,
  renderConflict,
  renderForbidden,
  schoolFor,
  schoolQuery,
  schoolsOf,
  superviseeOptions,
  supervisorOptions,
  withQuery,
} from './shared.ts'

const signedIn = { access: 'signed-in' as const }
const manage = { access: { permission: Permission.SessionsManage } }

const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

const savedMessages: Record<string, string> = {
  booked: 'The session has been booked',
  rebooked: 'The session has been rebooked',
  cancelled: 'The session has been cancelled',
  postponed: 'The session has been postponed to a new date',
  'did-not-attend': 'The session has been recorded as not taking place',
  held: 'The session has been recorded as taking place',
  'return-date': 'The return date has been saved',
  unplanned: 'The unplanned supervision has been recorded',
}

function exampleDate(today: IsoDate): string {
  const [y, m, d] = today.split('-')
  return `${Number(d)} ${Number(m)} ${y}`
}

function selectItems(
  options: readonly Option[],
  selected: string,
  blank: string,
): { value: string; text: string; selected: boolean }[] {
  return [
    { value: '', text: blank, selected: selected === '' },
    ...options.map((o) => ({ ...o, selected: o.value === selected })),
  ]
}

const sessionsRoutes: FastifyPluginAsync = async (app) => {
  /** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
  const today = (): IsoDate => londonDateOf(app.clock())

  const db = app.db

  async function sessionFor(req: FastifyRequest, id: string) {
    const schools = await schoolsOf(db, req.session!.person.organisationId)
    const session = await sessionInSchools(
      db,
      schools.map((s) => s.id),
      id,
    )
    if (!session) return null
    const school = schools.find((s) => s.id === session.schoolId) as SchoolRef
    // Beyond their reach, only a session's participants open it (X-03): a supervisor from another
    // school of the trust takes part; its DSL does not.
    const abilities = sessionAbilities(
      actorIn(req, session.schoolId),
      {
        supervisorIds: session.supervisors.map((p) => p.id),
        superviseeIds: session.supervisees.map((p) => p.id),
        status: session.status,
        date: session.date,
        rebooked: rebookedFor(session) !== null,
      },
      today(),
    )
    if (!abilities.view) return null
    return { session, school, abilities }
  }

  // -------------------------------------------------------------------------------------------
  // My sessions
  // -------------------------------------------------------------------------------------------

  app.get<{ Querystring: { school?: string } }>('/sessions', { config: signedIn }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const { school, schools } = found
    const actor = actorOf(req)
    const judge = await judgeFor(db, school.id, today())
    const typeName = typeNamer(judge.versions)
    const mine = await mySessions(db, school, actor.personId, judge)
    const own = await ownSupervisees(db, actor.personId)
    const sq = schoolQuery(school, schools)
    return reply.view('sessions/views/my-sessions.njk', {
      pageTitle: 'Your sessions',
      school,
      upcoming: mine.upcoming.map((s) => sessionRow(s, typeName, actor.personId)),
      past: mine.past.map((s) => sessionRow(s, typeName, actor.personId)),
      rebookingWarnings: mine.rebookingWarnings.map((m) => ({
        sessionId: m.sessionId,
        title: `${typeName(m.typeId)} on ${formatLongDate(m.date)} with ${namesOf(m.supervisees)}`,
        message: m.rebooking.message,
      })),
      requestsWaiting: await openRequestCount(db, school.id, actor),
      canBook: mayBookAny(actor, own.size),
      canManage: managesSessions(actor),
      links: {
        book: withQuery('/sessions/new', sq),
        unplanned: withQuery('/sessions/unplanned', sq),
        request: '/sessions/requests/new',
        week: withQuery('/sessions/week', sq),
        month: withQuery('/sessions/month', sq),
        cancellations: withQuery('/sessions/cancellations', sq),
      },
    })
  })

  // -------------------------------------------------------------------------------------------
  // Booking, rebooking (CA-03) and booking a request (CA-04)
  // -------------------------------------------------------------------------------------------

  async function renderBooking(
    req: FastifyRequest,
    reply: FastifyReply,
    school: SchoolRef,
    values: BookingValues,
    extra: {
      errors?: FormErrors
      warnings?: string[]
      status?: number
      context?: string | null
      schoolQuery?: string
    } = {},
  ) {
    const actor = actorOf(req)
    const versions = (await judgeFor(db, school.id, today())).versions
    const policy = policyOn(versions, today()) ?? versions.at(-1) ?? null
    const [supervisors, supervisees] = await Promise.all([
      supervisorOptions(db, school, today()),
      superviseeOptions(db, school, actor, managesSessions(actor), today(), values.superviseeIds),
    ])
    const types = policy?.sessionTypes ?? []
    const heading = values.rebooks
      ? 'Rebook a session'
      : values.request
        ? 'Book the session they asked for'
        : 'Book a session'
    return reply.code(extra.status ?? 200).view('sessions/views/book.njk', {
      pageTitle: heading,
      heading,
      backLink: { href: '/sessions', text: 'Your sessions' },
      school,
      action: withQuery('/sessions/new', extra.schoolQuery ?? ''),
      values,
      context: extra.context ?? null,
      warnings: extra.warnings ?? [],
      errors: extra.errors ?? noErrors,
      typeItems: types.map((t) => ({
        value: t.id,
        text: t.name,
        hint: { text: `${t.description}${t.group ? ' A group session: select everyone in the group.' : ''}` },
      })),
      supervisorItems: selectItems(supervisors, values.supervisorId, 'Choose a supervisor'),
      secondSupervisorItems: selectItems(supervisors, values.secondSupervisorId, 'None'),
      superviseeItems: supervisees.map((o) => ({ ...o, checked: values.superviseeIds.includes(o.value) })),
      defaultMinutes: defaultDurationMinutes(
        policy,
        values.typeId || (types.find((t) => t.countsTowardEntitlement)?.id ?? ''),
      ),
      exampleDate: exampleDate(today()),
      buttonText: values.rebooks ? 'Rebook the session' : 'Book the session',
    })
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

  /** Why the booking form is being filled in: a rebooking or a request, prefilled. */
  async function prefill(
    req: FastifyRequest,
    school: SchoolRef,
    query: { rebook?: string; request?: string; supervisee?: string },
  ): Promise<{ values: BookingValues; context: string | null } | null> {
    const actor = actorOf(req)
    const judge = await judgeFor(db, school.id, today())
    const policy = policyOn(judge.versions, today())
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
        context: `This rebooks the ${typeNamer(judge.versions)(session.typeId).toLowerCase()} session on ${formatLongDate(session.date)} with ${namesOf(session.supervisees)}, which did not take place.${view && view.state !== 'no-deadline' ? ` ${view.message}.` : ''}`,
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
    if (query.supervisee && isUuid(query.supervisee)) values.superviseeIds = [query.supervisee]
    return { values, context: null }
  }

  app.get<{ Querystring: { school?: string; rebook?: string; request?: string; supervisee?: string } }>(
    '/sessions/new',
    { config: signedIn },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const actor = actorOf(req)
      const own = await ownSupervisees(db, actor.personId)
      if (!mayBookAny(actor, own.size) && !req.query.request) return reply.redirect('/sessions/requests/new', 303)
      const filled = await prefill(req, found.school, req.query)
      if (!filled) return renderNotFound(req, reply)
      return renderBooking(req, reply, found.school, filled.values, {
        context: filled.context,
        schoolQuery: schoolQuery(found.school, found.schools),
      })
    },
  )

  app.post<{ Querystring: { school?: string } }>('/sessions/new', { config: signedIn }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const { school } = found
    const actor = actorOf(req)
    const form = readBookingForm(req.body)
    const rebooks = isUuid(form.values.rebooks) ? form.values.rebooks : null
    const requestId = isUuid(form.values.request) ? form.values.request : null
    const result = await bookSession(db, {
      school,
      actor,
      request: form.request,
      confirmed: form.confirmed,
      rebooksSessionId: rebooks,
      requestId,
      today: today(),
      baseUrl: app.config.baseUrl,
      formProblems: form.problems.map((p) => ({ field: p.field as never, message: p.message })),
    })
    if (result.ok) return reply.redirect(`/sessions/${result.sessionId}?saved=${rebooks ? 'rebooked' : 'booked'}`, 303)
    const context =
      rebooks || requestId
        ? ((await prefill(req, school, { rebook: rebooks ?? undefined, request: requestId ?? undefined }))?.context ??
          null)
        : null
    const sq = schoolQuery(school, found.schools)
    switch (result.kind) {
      case 'invalid':
        return renderBooking(req, reply, school, form.values, {
          errors: problemErrors(result.problems, bookingHrefs),
          status: 400,
          context,
          schoolQuery: sq,
        })
      case 'confirm':
        return renderBooking(req, reply, school, form.values, { warnings: result.warnings, context, schoolQuery: sq })
      case 'not-found':
        return renderNotFound(req, reply)
      case 'conflict':
        return renderConflict(reply, {
          href: rebooks ? `/sessions/${rebooks}` : requestId ? `/sessions/requests/${requestId}` : '/sessions',
          text: 'Go back and see it as it is now',
        })
    }
  })

  // -------------------------------------------------------------------------------------------
  // Unplanned supervision (CA-01, LH-06, AM-02)
  // -------------------------------------------------------------------------------------------

  async function renderUnplanned(
    req: FastifyRequest,
    reply: FastifyReply,
    school: SchoolRef,
    values: UnplannedValues,
    extra: { errors?: FormErrors; status?: number } = {},
  ) {
    const actor = actorOf(req)
    const versions = (await judgeFor(db, school.id, today())).versions
    const policy = policyOn(versions, today()) ?? versions.at(-1) ?? null
    const [supervisors, supervisees] = await Promise.all([
      supervisorOptions(db, school, today()),
      superviseeOptions(
        db,
        school,
        actor,
        managesSessions(actor),
        today(),
        values.superviseeId ? [values.superviseeId] : [],
      ),
    ])
    return reply.code(extra.status ?? 200).view('sessions/views/unplanned.njk', {
      pageTitle: 'Record unplanned supervision',
      backLink: { href: '/sessions', text: 'Your sessions' },
      school,
      values,
      errors: extra.errors ?? noErrors,
      typeItems: (policy ? unplannedTypes(policy) : []).map((t) => ({
        value: t.id,
        text: t.name,
        hint: { text: t.description },
      })),
      superviseeItems: selectItems(supervisees, values.superviseeId, 'Choose who was supervised'),
      supervisorItems: selectItems(supervisors, values.supervisorId, 'Choose the supervisor'),
      exampleDate: exampleDate(today()),
    })
  }

  app.get<{ Querystring: { school?: string; supervisee?: string } }>(
    '/sessions/unplanned',
    { config: signedIn },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const actor = actorOf(req)
      if (!mayBookAny(actor, (await ownSupervisees(db, actor.personId)).size))
        return renderForbidden(
          reply,
          'Only supervisors and the DSL record unplanned supervision. You can ask for a supervision session instead.',
        )
      return renderUnplanned(req, reply, found.school, {
        typeId: '',
        superviseeId: req.query.supervisee && isUuid(req.query.supervisee) ? req.query.supervisee : '',
        supervisorId: actor.personId,
        date: datePartsOf(today()),
        startTime: '',
        durationMinutes: '',
        issues: '',
        decisions: '',
      })
    },
  )

  app.post<{ Querystring: { school?: string } }>('/sessions/unplanned', { config: signedIn }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const form = readUnplannedForm(req.body)
    const result = await recordUnplanned(db, {
      school: found.school,
      actor: actorOf(req),
      request: form.request,
      issues: form.issues,
      decisions: form.decisions,
      formProblems: form.problems,
      today: today(),
    })
    if (result.ok) return reply.redirect(`/sessions/${result.sessionId}?saved=unplanned`, 303)
    return renderUnplanned(req, reply, found.school, form.values, {
      errors: problemErrors(result.problems, unplannedHrefs),
      status: 400,
    })
  })

  // -------------------------------------------------------------------------------------------
  // The school's sessions by week and by month; cancellations (MW-06)
  // -------------------------------------------------------------------------------------------

  async function renderSchedule(
    req: FastifyRequest,
    reply: FastifyReply,
    view: 'week' | 'month',
    key: string | undefined,
    slug: string | undefined,
  ) {
    const found = await schoolFor(req, slug)
    if (!found) return renderNotFound(req, reply)
    const page = schedulePage(view, key, today())
    if (!page) return renderNotFound(req, reply)
    const { school, schools } = found
    const judge = await judgeFor(db, school.id, today())
    const typeName = typeNamer(judge.versions)
    const sessions = await sessionsBetween(db, school.id, page.start, page.end)
    const sq = schoolQuery(school, schools)
    const href = (v: 'week' | 'month', k: string) =>
      withQuery(`/sessions/${v}?${v === 'week' ? 'date' : 'month'}=${k}`, sq)
    const neighbour = (k: string): SchedulePage => schedulePage(view, k, today()) as SchedulePage
    const n = sessions.length
    return reply.view('sessions/views/schedule.njk', {
      pageTitle: `Sessions: ${page.title}`,
      backLink: { href: withQuery('/sessions', sq), text: 'Your sessions' },
      school,
      page,
      caption: `${n} ${n === 1 ? 'session' : 'sessions'} ${view === 'week' ? `in the ${page.title.charAt(0).toLowerCase()}${page.title.slice(1)}` : `in ${page.title}`}`,
      rows: sessions.map((s) => ({ ...sessionRow(s, typeName, null), dayName: weekdayNames[isoWeekday(s.date)] })),
      previousTitle: neighbour(page.previousKey).title,
      nextTitle: neighbour(page.nextKey).title,
      links: {
        previous: href(view, page.previousKey),
        next: href(view, page.nextKey),
        otherView: view === 'week' ? href('month', page.start.slice(0, 7)) : href('week', page.start),
        today: withQuery(`/sessions/${view}`, sq),
      },
    })
  }

  app.get<{ Querystring: { date?: string; school?: string } }>(
    '/sessions/week',
    { config: manage },
    async (req, reply) => renderSchedule(req, reply, 'week', req.query.date, req.query.school),
  )
  app.get<{ Querystring: { month?: string; school?: string } }>(
    '/sessions/month',
    { config: manage },
    async (req, reply) => renderSchedule(req, reply, 'month', req.query.month, req.query.school),
  )

  app.get<{ Querystring: { school?: string } }>('/sessions/cancellations', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const { school, schools } = found
    const judge = await judgeFor(db, school.id, today())
    const typeName = typeNamer(judge.versions)
    const missed = await missedSessions(db, judge, { schoolId: school.id })
    const policy = policyOn(judge.versions, today())
    return reply.view('sessions/views/cancellations.njk', {
      pageTitle: 'Sessions that did not take place',
      backLink: { href: withQuery('/sessions', schoolQuery(school, schools)), text: 'Your sessions' },
      school,
      policyNotes: policyNotes(policy),
      rows: missed.map((m) => ({
        href: `/sessions/${m.sessionId}`,
        date: formatLongDate(m.date),
        typeName: typeName(m.typeId),
        supervisors: namesOf(m.supervisors),
        supervisees: namesOf(m.supervisees),
        kindTag: statusTag(m.kind === 'did-not-attend' ? 'did-not-attend' : 'cancelled', m.kind),
        reason: `${reasonName(judge.versions, m.reasonId)}${m.reasonNote ? `: ${m.reasonNote}` : ''}`,
        returnDate: m.returnDate ? formatLongDate(m.returnDate) : null,
        by: m.cancelledBy?.name ?? 'Unknown',
        at: m.cancelledAt,
        rebookingTag: rebookingTag(m.rebooking),
        rebookingMessage: m.rebooking.message,
      })),
    })
  })

  function policyNotes(policy: PolicyDocument | null): string[] {
    if (!policy) return []
    const notes: string[] = []
    if (policy.cancellation.exceptionalOnly)
      notes.push('Your school’s policy says sessions are cancelled only in exceptional circumstances.')
    const rule = policy.cancellation.rebooking
    if (rule) {
      const types = rule.sessionTypes.map(
        (id) => policy.sessionTypes.find((t) => t.id === id)?.name.toLowerCase() ?? id,
      )
      const which = types.length > 0 ? `A ${types.join(' or ')} session` : 'A session'
      const absence = rule.afterAbsence
        ? `, or within ${describeDuration(rule.afterAbsence)} of the person’s return when it was missed through absence or illness`
        : ''
      notes.push(
        `${which} that does not take place must be rebooked within ${describeDuration(rule.within)}${absence}.`,
      )
    }
    return notes
  }

  // -------------------------------------------------------------------------------------------
  // Requests (CA-04)
  // -------------------------------------------------------------------------------------------

  function requestTag(status: SessionRequest['status']) {
    return status === 'open'
      ? { text: 'Waiting for an answer', classes: 'govuk-tag--yellow' }
      : status === 'booked'
        ? { text: 'Booked', classes: 'govuk-tag--green' }
        : { text: 'Declined', classes: 'govuk-tag--grey' }
  }

  function requestRow(r: SessionRequest) {
    return {
      href: `/sessions/requests/${r.id}`,
      askedOn: formatLongDate(londonDateOf(r.createdAt)),
      from: r.requester.name,
      topic: r.topic.charAt(0).toUpperCase() + r.topic.slice(1),
      dates: r.preferredDates.length > 0 ? r.preferredDates.map(formatLongDate).join(', ') : 'Any',
      tag: requestTag(r.status),
    }
  }

  app.get<{ Querystring: { school?: string } }>('/sessions/requests', { config: signedIn }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const actor = actorOf(req)
    const { toAnswer, own } = await requestsFor(db, found.school, actor)
    return reply.view('sessions/views/requests.njk', {
      pageTitle: 'Requests for supervision',
      backLink: { href: '/sessions', text: 'Your sessions' },
      school: found.school,
      answers: managesSessions(actor) || toAnswer.length > 0,
      toAnswer: toAnswer.map(requestRow),
      own: own.map(requestRow),
    })
  })

  async function renderRequestForm(
    req: FastifyRequest,
    reply: FastifyReply,
    school: SchoolRef,
    values: RequestValues,
    extra: { errors?: FormErrors; status?: number } = {},
  ) {
    const actor = actorOf(req)
    const versions = (await judgeFor(db, school.id, today())).versions
    const supervisorId = await supervisorOf(db, school.organisationId, actor.personId)
    const supervisor = supervisorId ? await contactOf(db, school.organisationId, supervisorId) : null
    return reply.code(extra.status ?? 200).view('sessions/views/request-form.njk', {
      pageTitle: 'Ask for a supervision session',
      backLink: { href: '/sessions', text: 'Your sessions' },
      school,
      values,
      errors: extra.errors ?? noErrors,
      sentTo: supervisor ? `${supervisor.name} and the DSL` : 'the DSL',
      topicItems: requestTopics(policyOn(versions, today())).map((t) => ({
        value: t,
        text: t.charAt(0).toUpperCase() + t.slice(1),
      })),
      exampleDate: exampleDate(today()),
    })
  }

  app.get<{ Querystring: { school?: string } }>('/sessions/requests/new', { config: signedIn }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderRequestForm(req, reply, found.school, {
      topic: '',
      note: '',
      preferredDate1: emptyDate,
      preferredDate2: emptyDate,
    })
  })

  app.post<{ Querystring: { school?: string } }>('/sessions/requests/new', { config: signedIn }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const form = readRequestForm(req.body)
    const result = await createRequest(db, {
      school: found.school,
      actor: actorOf(req),
      topic: form.values.topic,
      note: form.values.note,
      preferredDates: form.preferredDates,
      formProblems: form.problems,
      today: today(),
      baseUrl: app.config.baseUrl,
    })
    if (result.ok) return reply.redirect(`/sessions/requests/${result.id}?sent=1`, 303)
    return renderRequestForm(req, reply, found.school, form.values, {
      errors: problemErrors(result.problems, requestHrefs),
      status: 400,
    })
  })

  async function requestFor(req: FastifyRequest, id: string) {
    const schools = await schoolsOf(db, req.session!.person.organisationId)
    const request = await loadRequest(
      db,
      schools.map((s) => s.id),
      actorOf(req),
      id,
    )
    if (!request) return null
    // As with sessions: beyond their reach, only the one who asked and the supervisor asked see it.
    const actor = actorIn(req, request.schoolId)
    const parties = { requesterId: request.requester.id, supervisorId: request.supervisor?.id ?? null }
    if (!mayViewRequest(actor, parties)) return null
    return { request, school: schools.find((s) => s.id === request.schoolId) as SchoolRef, actor }
  }

  async function renderRequest(
    reply: FastifyReply,
    found: { request: SessionRequest; school: SchoolRef; actor: SessionActor },
    extra: { errors?: FormErrors; status?: number; values?: { reason: string }; banner?: string | null } = {},
  ) {
    const { request, school, actor } = found
    return reply.code(extra.status ?? 200).view('sessions/views/request.njk', {
      pageTitle: `Request for supervision from ${request.requester.name}`,
      backLink: { href: '/sessions/requests', text: 'Requests for supervision' },
      school,
      request,
      statusTag: requestTag(request.status),
      dates: request.preferredDates.length > 0 ? request.preferredDates.map(formatLongDate).join(', ') : 'Any date',
      sentTo: request.supervisor ? `${request.supervisor.name} and the DSL` : 'The DSL',
      canAnswer:
        request.status === 'open' &&
        mayAnswerRequest(actor, { requesterId: request.requester.id, supervisorId: request.supervisor?.id ?? null }),
      values: extra.values ?? { reason: '' },
      errors: extra.errors ?? noErrors,
      banner: extra.banner ?? null,
    })
  }

  app.get<{ Params: { id: string }; Querystring: { sent?: string; declined?: string } }>(
    '/sessions/requests/:id',
    { config: signedIn },
    async (req, reply) => {
      const found = await requestFor(req, req.params.id)
      if (!found) return renderNotFound(req, reply)
      const banner =
        req.query.sent === '1'
          ? `Your request has been sent to ${found.request.supervisor ? `${found.request.supervisor.name} and ` : ''}the DSL`
          : req.query.declined === '1'
            ? `The request has been declined. ${found.request.requester.name} has been told`
            : null
      return renderRequest(reply, found, { banner })
    },
  )

  app.post<{ Params: { id: string } }>('/sessions/requests/:id/decline', { config: signedIn }, async (req, reply) => {
    const found = await requestFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    const { reason, version } = readDeclineForm(req.body)
    const result = await declineRequest(db, {
      school: found.school,
      actor: found.actor,
      requestId: found.request.id,
      expectedVersion: version,
      reason,
      baseUrl: app.config.baseUrl,
    })
    if (result.ok) return reply.redirect(`/sessions/requests/${found.request.id}?declined=1`, 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    if (result.kind === 'conflict')
      return renderConflict(reply, {
        href: `/sessions/requests/${found.request.id}`,
        text: 'See the request as it is now',
      })
    return renderRequest(reply, found, {
      errors: problemErrors(result.problems, declineHrefs),
      status: 400,
      values: { reason },
    })
  })

  // -------------------------------------------------------------------------------------------
  // A session's page
  // -------------------------------------------------------------------------------------------

  async function renderSession(
    req: FastifyRequest,
    reply: FastifyReply,
    found: { session: SessionDetail; school: SchoolRef; abilities: ReturnType<typeof sessionAbilities> },
    extra: {
      errors?: FormErrors
      status?: number
      saved?: string | null
      returnDate?: ReturnType<typeof datePartsOf>
    } = {},
  ) {
    const { session, school, abilities } = found
    const actor = actorOf(req)
    const judge = await judgeFor(db, school.id, today())
    const typeName = typeNamer(judge.versions)(session.typeId)
    const type = sessionTypeOf(judge.versions, session.typeId, session.date)
    const participant = [...session.supervisors, ...session.supervisees].some((p) => p.id === actor.personId)
    const rebookedDate = rebookedFor(session)
    const rebooking = session.cancellation
      ? rebookingOf(
          judge,
          { sessionId: session.id, typeId: session.typeId, date: session.date, supervisees: session.supervisees },
          session.cancellation,
          rebookedDate,
        )
      : null
    const policyThen = policyOn(judge.versions, session.date) ?? policyOn(judge.versions, today())
    const raised = session.unplanned ? await itemsRaisedIn(db, school.id, session.id) : []
    // Issues are content: only the people in the session read them.
    const uniqueRaised = [...new Map(raised.map((i) => [`${i.kind}:${i.text}`, i])).values()]
    const carried =
      participant && receivesCarryForward(type, session) ? await carryForwardItemsForSession(db, session.id) : []
    const visibleCarried = carried.filter(
      (i) =>
        session.supervisees.some((p) => p.id === i.personId) &&
        (actor.personId === i.personId || session.supervisors.some((p) => p.id === actor.personId)),
    )
    const actions: { text: string; href: string; classes?: string }[] = []
    if (abilities.markHeld) actions.push({ text: 'Record that it took place', href: `/sessions/${session.id}/held` })
    if (abilities.markDidNotAttend)
      actions.push({
        text: 'Record that it did not take place',
        href: `/sessions/${session.id}/did-not-attend`,
        classes: 'govuk-button--secondary',
      })
    if (abilities.postpone)
      actions.push({ text: 'Postpone', href: `/sessions/${session.id}/postpone`, classes: 'govuk-button--secondary' })
    if (abilities.cancel)
      actions.push({
        text: 'Cancel the session',
        href: `/sessions/${session.id}/cancel`,
        classes: 'govuk-button--warning',
      })
    if (abilities.rebook) actions.push({ text: 'Rebook', href: `/sessions/new?rebook=${session.id}` })
    const liveRebooking = session.rebookings.find((r) => r.status !== 'cancelled') ?? session.rebookings[0] ?? null
    return reply.code(extra.status ?? 200).view('sessions/views/session.njk', {
      pageTitle: `${typeName} on ${formatLongDate(session.date)}`,
      backLink: { href: '/sessions', text: 'Your sessions' },
      saved: extra.saved ?? null,
      school,
      session,
      typeName,
      group: type?.group ?? false,
      date: formatLongDate(session.date),
      time: timeText(session),
      statusTags: tagsOf(session),
      rebooking,
      rebookingTag: rebooking ? rebookingTag(rebooking) : null,
      rebookedAs: liveRebooking,
      cancellation: session.cancellation
        ? {
            heading:
              session.cancellation.kind === 'did-not-attend'
                ? 'Why it did not take place'
                : `Why it was ${cancellationKindNames[session.cancellation.kind].toLowerCase()}`,
            reason: reasonName(judge.versions, session.cancellation.reasonId),
            note: session.cancellation.reasonNote,
            absence: isAbsenceReason(policyThen, session.cancellation.reasonId),
            returnDate: session.cancellation.returnDate,
            by: session.cancellation.cancelledBy?.name ?? null,
            at: session.cancellation.cancelledAt,
          }
        : null,
      returnDateParts: extra.returnDate ?? datePartsOf(session.cancellation?.returnDate ?? null),
      raisedItems: participant
        ? uniqueRaised.map((i) => ({
            kind: i.kind,
            text: i.text,
            carried: i.carriedToSessionId !== null,
          }))
        : [],
      raisedCount: participant ? 0 : uniqueRaised.length,
      carriedItems: visibleCarried.map((i) => ({
        kind: i.kind,
        text: i.text,
        from: `${typeNamer(judge.versions)(i.sourceTypeId).toLowerCase()} on ${formatLongDate(i.sourceDate)}${session.supervisees.length > 1 ? `, ${session.supervisees.find((p) => p.id === i.personId)?.name ?? ''}` : ''}`,
      })),
      abilities,
      actions,
      errors: extra.errors ?? noErrors,
      exampleDate: exampleDate(today()),
    })
  }

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    '/sessions/:id',
    { config: signedIn },
    async (req, reply) => {
      const found = await sessionFor(req, req.params.id)
      if (!found) return renderNotFound(req, reply)
      return renderSession(req, reply, found, { saved: savedMessages[req.query.saved ?? ''] ?? null })
    },
  )

  app.post<{ Params: { id: string } }>('/sessions/:id/return-date', { config: signedIn }, async (req, reply) => {
    const found = await sessionFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    const form = readReturnDateForm(req.body)
    const result = await recordReturnDate(db, {
      school: found.school,
      actor: actorOf(req),
      sessionId: found.session.id,
      expectedVersion: form.version,
      today: today(),
      baseUrl: app.config.baseUrl,
      returnDate: form.returnDate,
      formProblems: form.problems,
    })
    if (result.ok) return reply.redirect(`/sessions/${found.session.id}?saved=return-date`, 303)
    if (result.kind === 'invalid')
      return renderSession(req, reply, found, {
        errors: problemErrors(result.problems, returnDateHrefs),
        status: 400,
        returnDate: form.parts,
      })
    return changeFailure(req, reply, result.kind, found.session.id)
  })

  function changeFailure(
    req: FastifyRequest,
    reply: FastifyReply,
    kind: 'conflict' | 'not-found' | 'forbidden' | 'confirm',
    sessionId: string,
  ) {
    if (kind === 'not-found') return renderNotFound(req, reply)
    if (kind === 'conflict')
      return renderConflict(reply, { href: `/sessions/${sessionId}`, text: 'See the session as it is now' })
    return renderForbidden(
      reply,
      'This session cannot be changed in that way now. Go back to the session to see what you can do.',
    )
  }

  // Cancel (MW-06), did not attend (CA-03), postpone (AM-05)

  type CancelMode = 'cancel' | 'did-not-attend' | 'postpone'

  async function renderCancel(
    reply: FastifyReply,
    found: { session: SessionDetail; school: SchoolRef },
    mode: CancelMode,
    values: CancelValues,
    extra: { errors?: FormErrors; status?: number; warnings?: string[] } = {},
  ) {
    const { session, school } = found
    const judge = await judgeFor(db, school.id, today())
    const policy = policyOn(judge.versions, session.date) ?? policyOn(judge.versions, today())
    const reasons = cancellationReasons(policy)
    const headings: Record<CancelMode, string> = {
      cancel: 'Cancel the session',
      'did-not-attend': 'Record that the session did not take place',
      postpone: 'Postpone the session',
    }
    return reply.code(extra.status ?? 200).view('sessions/views/cancel.njk', {
      pageTitle: headings[mode],
      heading: headings[mode],
      backLink: { href: `/sessions/${session.id}`, text: 'Back to the session' },
      sessionId: session.id,
      typeName: typeNamer(judge.versions)(session.typeId),
      date: formatLongDate(session.date),
      time: timeText(session),
      action: `/sessions/${session.id}/${mode}`,
      policyNotes: mode === 'did-not-attend' ? policyNotes(policy).slice(1) : policyNotes(policy),
      reasonLegend:
        mode === 'did-not-attend'
          ? 'Why did it not take place?'
          : mode === 'postpone'
            ? 'Why is it being postponed?'
            : 'Why is it being cancelled?',
      reasonItems: reasons.map((r) => ({ value: r.id, text: r.name })),
      hasAbsenceReason: reasons.some((r) => r.absence),
      values,
      withNewTime: mode === 'postpone',
      warnings: extra.warnings ?? [],
      errors: extra.errors ?? noErrors,
      exampleDate: exampleDate(today()),
      buttonText: {
        cancel: 'Cancel the session',
        'did-not-attend': 'Record that it did not take place',
        postpone: 'Postpone the session',
      }[mode],
    })
  }

  for (const mode of ['cancel', 'did-not-attend', 'postpone'] as const) {
    const allowed = (a: ReturnType<typeof sessionAbilities>) =>
      mode === 'cancel' ? a.cancel : mode === 'postpone' ? a.postpone : a.markDidNotAttend

    app.get<{ Params: { id: string } }>(`/sessions/:id/${mode}`, { config: signedIn }, async (req, reply) => {
      const found = await sessionFor(req, req.params.id)
      if (!found) return renderNotFound(req, reply)
      if (!allowed(found.abilities)) return changeFailure(req, reply, 'forbidden', found.session.id)
      return renderCancel(reply, found, mode, {
        reasonId: '',
        reasonNote: '',
        returnDate: emptyDate,
        version: String(found.session.version),
        date: emptyDate,
        startTime: found.session.startTime ?? '',
      })
    })

    app.post<{ Params: { id: string } }>(`/sessions/:id/${mode}`, { config: signedIn }, async (req, reply) => {
      const found = await sessionFor(req, req.params.id)
      if (!found) return renderNotFound(req, reply)
      const form = readCancelForm(req.body, mode === 'postpone')
      const base = {
        school: found.school,
        actor: actorOf(req),
        sessionId: found.session.id,
        expectedVersion: form.version,
        today: today(),
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
      if (result.ok) {
        const saved = mode === 'cancel' ? 'cancelled' : mode === 'postpone' ? 'postponed' : 'did-not-attend'
        return reply.redirect(
          `/sessions/${mode === 'postpone' ? result.sessionId : found.session.id}?saved=${saved}`,
          303,
        )
      }
      if (result.kind === 'invalid')
        return renderCancel(reply, found, mode, form.values, {
          errors: problemErrors(result.problems, cancelHrefs),
          status: 400,
        })
      if (result.kind === 'confirm') return renderCancel(reply, found, mode, form.values, { warnings: result.warnings })
      return changeFailure(req, reply, result.kind, found.session.id)
    })
  }

  // Held

  async function renderHeld(
    reply: FastifyReply,
    found: { session: SessionDetail; school: SchoolRef },
    extra: { errors?: FormErrors; status?: number; attended?: string[] } = {},
  ) {
    const { session, school } = found
    const judge = await judgeFor(db, school.id, today())
    const type = sessionTypeOf(judge.versions, session.typeId, session.date)
    const attended = extra.attended ?? session.supervisees.map((p) => p.id)
    let carryForwardCount = 0
    if (receivesCarryForward(type, session))
      for (const p of session.supervisees)
        carryForwardCount += (await openCarryForwardItems(db, p.id, school.id)).filter(
          (i) => i.sourceDate <= session.date,
        ).length
    return reply.code(extra.status ?? 200).view('sessions/views/held.njk', {
      pageTitle: 'Record that the session took place',
      backLink: { href: `/sessions/${session.id}`, text: 'Back to the session' },
      sessionId: session.id,
      version: session.version,
      typeName: typeNamer(judge.versions)(session.typeId),
      date: formatLongDate(session.date),
      time: timeText(session),
      withText: namesOf(session.supervisees),
      attendanceItems: session.supervisees.map((p) => ({
        value: p.id,
        text: p.name,
        checked: attended.includes(p.id),
      })),
      carryForwardCount,
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { id: string } }>('/sessions/:id/held', { config: signedIn }, async (req, reply) => {
    const found = await sessionFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    if (!found.abilities.markHeld) return changeFailure(req, reply, 'forbidden', found.session.id)
    return renderHeld(reply, found)
  })

  app.post<{ Params: { id: string } }>('/sessions/:id/held', { config: signedIn }, async (req, reply) => {
    const found = await sessionFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    const { attended, version } = readHeldForm(req.body)
    const result = await markHeld(db, {
      school: found.school,
      actor: actorOf(req),
      sessionId: found.session.id,
      expectedVersion: version,
      today: today(),
      baseUrl: app.config.baseUrl,
      attendedIds: found.session.supervisees.length > 1 ? attended : null,
    })
    if (result.ok) return reply.redirect(`/sessions/${found.session.id}?saved=held`, 303)
    if (result.kind === 'invalid')
      return renderHeld(reply, found, {
        errors: problemErrors(result.problems, heldHrefs),
        status: 400,
        attended,
      })
    return changeFailure(req, reply, result.kind, found.session.id)
  })
}

export default sessionsRoutes
