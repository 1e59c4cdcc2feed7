/** A session's page, the date someone returns (CA-03), and recording that it took place. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { sessionCanBeRecorded } from '../../../domain/records/record.ts'
import { isAbsenceReason, reasonName, receivesCarryForward } from '../../../domain/scheduling/index.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound, whenFound } from '../../../plugins/errors.ts'
import { recordOpened } from '../../../services/records/records.ts'
import {
  carryForwardItemsForSession,
  itemsRaisedIn,
  openCarryForwardItems,
} from '../../../services/sessions/carry-forward.ts'
import { markHeld, recordReturnDate } from '../../../services/sessions/changes.ts'
import { judgeFor, rebookingOf } from '../../../services/sessions/overview.ts'
import { rebookedFor } from '../../../services/sessions/repository.ts'
import { datePartsOf, heldHrefs, readHeldForm, readReturnDateForm, returnDateHrefs } from '../forms.ts'
import { cancellationKindNames, namesOf, rebookingTag, savedMessages, tagsOf, timeText } from '../presenters.ts'
import { changeFailure, exampleDate, type FoundSession, sessionFor, today } from '../shared.ts'

const sessionTemplate = 'sessions/views/session.njk'
const heldTemplate = 'sessions/views/held.njk'

async function sessionPage(
  req: FastifyRequest,
  found: FoundSession,
  extra: { saved?: string | null; returnDate?: ReturnType<typeof datePartsOf> } = {},
) {
  const db = req.server.db
  const { session, school, abilities } = found
  const actor = req.actor!
  const judge = await judgeFor(db, school.id, today(req))
  const typeName = judge.book.typeName(session.typeId, session.date)
  const type = judge.book.sessionType(session.typeId, session.date) ?? undefined
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
  const policyThen = judge.book.on(session.date)
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
  // X-06: what was raised or carried forward is supervision content: showing it is in the access trail.
  if ((participant && uniqueRaised.length > 0) || visibleCarried.length > 0) {
    const { personId, name, organisationId } = actor
    await recordOpened(db, {
      recordId: session.id,
      subjectType: 'session',
      schoolId: school.id,
      actor: { personId, name, organisationId, ip: req.ip },
      format: 'session',
    })
  }
  const id = { id: session.id }
  const actions: { text: string; href: string; classes?: string }[] = []
  if (abilities.markHeld) actions.push({ text: 'Record that it took place', href: paths.sessions.held(id) })
  if (abilities.markDidNotAttend)
    actions.push({
      text: 'Record that it did not take place',
      href: paths.sessions.didNotAttend(id),
      classes: 'govuk-button--secondary',
    })
  if (abilities.postpone)
    actions.push({ text: 'Postpone', href: paths.sessions.postpone(id), classes: 'govuk-button--secondary' })
  if (abilities.cancel)
    actions.push({ text: 'Cancel the session', href: paths.sessions.cancel(id), classes: 'govuk-button--warning' })
  if (abilities.rebook) actions.push({ text: 'Rebook', href: paths.sessions.book({ rebook: session.id }) })
  // Issue 18: no dead ends: the session leads to writing its record and to preparing for it.
  const recordLinks: { text: string; href: string; id: string }[] = []
  const sessionId = { sessionId: session.id }
  const isSupervisor = session.supervisors.some((p) => p.id === actor.personId)
  const isSupervisee = session.supervisees.some((p) => p.id === actor.personId)
  if (isSupervisee && session.status === 'planned')
    recordLinks.push({ id: 'prepare', text: 'Prepare for this session', href: paths.records.preparation(sessionId) })
  if (isSupervisor && sessionCanBeRecorded(session.status))
    recordLinks.push({
      id: 'write-record',
      text: 'Write the record of this session',
      href: paths.records.session(sessionId),
    })
  else if ((isSupervisee || can(actor.in(school.id), Permission.RecordsReadAll)) && session.status === 'held')
    recordLinks.push({
      id: 'read-record',
      text: 'Read the record of this session',
      href: paths.records.session(sessionId),
    })
  const liveRebooking = session.rebookings.find((r) => r.status !== 'cancelled') ?? session.rebookings[0] ?? null
  return {
    pageTitle: `${typeName} on ${formatLongDate(session.date)}`,
    backLink: { href: paths.sessions.index(), text: 'Your sessions' },
    saved: extra.saved ?? null,
    school,
    session,
    typeName,
    group: type?.group ?? false,
    // CA-01: how a multi-agency session was focused.
    focusName: type?.focuses?.find((f) => f.id === session.focusId)?.name ?? null,
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
          reason: reasonName(judge.book.versions, session.cancellation.reasonId),
          note: session.cancellation.reasonNote,
          absence: isAbsenceReason(policyThen, session.cancellation.reasonId),
          returnDate: session.cancellation.returnDate,
          by: session.cancellation.cancelledBy?.name ?? null,
          at: session.cancellation.cancelledAt,
        }
      : null,
    returnDateParts: extra.returnDate ?? datePartsOf(session.cancellation?.returnDate ?? null),
    raisedItems: participant
      ? uniqueRaised.map((i) => ({ kind: i.kind, text: i.text, carried: i.carriedToSessionId !== null }))
      : [],
    raisedCount: participant ? 0 : uniqueRaised.length,
    carriedItems: visibleCarried.map((i) => ({
      kind: i.kind,
      text: i.text,
      from: `${judge.book.typeName(i.sourceTypeId, i.sourceDate).toLowerCase()} on ${formatLongDate(i.sourceDate)}${session.supervisees.length > 1 ? `, ${session.supervisees.find((p) => p.id === i.personId)?.name ?? ''}` : ''}`,
    })),
    abilities,
    actions,
    recordLinks,
    errors: noErrors as FormErrors,
    exampleDate: exampleDate(today(req)),
  }
}

async function heldPage(req: FastifyRequest, found: FoundSession, attendedIds?: readonly string[]) {
  const db = req.server.db
  const { session, school } = found
  const judge = await judgeFor(db, school.id, today(req))
  const type = judge.book.sessionType(session.typeId, session.date) ?? undefined
  const attended = attendedIds ?? session.supervisees.map((p) => p.id)
  let carryForwardCount = 0
  if (receivesCarryForward(type, session))
    for (const p of session.supervisees)
      carryForwardCount += (await openCarryForwardItems(db, p.id, school.id)).filter(
        (i) => i.sourceDate <= session.date,
      ).length
  return {
    pageTitle: 'Record that the session took place',
    backLink: { href: paths.sessions.show({ id: session.id }), text: 'Back to the session' },
    sessionId: session.id,
    version: session.version,
    typeName: judge.book.typeName(session.typeId, session.date),
    date: formatLongDate(session.date),
    time: timeText(session),
    withText: namesOf(session.supervisees),
    attendanceItems: session.supervisees.map((p) => ({
      value: p.id,
      text: p.name,
      checked: attended.includes(p.id),
    })),
    carryForwardCount,
    errors: noErrors as FormErrors,
  }
}

export function sessionRoutes(app: FastifyInstance) {
  const db = app.db
  const signedIn = { access: 'signed-in' as const }

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    paths.sessions.show.pattern,
    { config: signedIn },
    whenFound(
      (req) => sessionFor(req, req.params.id),
      async (req, reply, found) => {
        return reply.view(
          sessionTemplate,
          await sessionPage(req, found, { saved: savedMessages[req.query.saved ?? ''] ?? null }),
        )
      },
    ),
  )

  app.post<{ Params: { id: string } }>(paths.sessions.returnDate.pattern, { config: signedIn }, async (req, reply) => {
    const found = await sessionFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    const form = readReturnDateForm(req.body)
    const result = await recordReturnDate(db, {
      school: found.school,
      actor: req.actor!,
      sessionId: found.session.id,
      expectedVersion: form.version,
      today: today(req),
      baseUrl: app.config.baseUrl,
      returnDate: form.returnDate,
      formProblems: form.problems,
    })
    if (result.ok) return reply.redirect(paths.sessions.show({ id: found.session.id }, { saved: 'return-date' }), 303)
    if (result.kind === 'invalid')
      return renderInvalid(
        reply,
        sessionTemplate,
        await sessionPage(req, found, { returnDate: form.parts }),
        problemErrors(result.problems, returnDateHrefs),
      )
    return changeFailure(req, reply, result.kind, found.session.id)
  })

  app.get<{ Params: { id: string } }>(paths.sessions.held.pattern, { config: signedIn }, async (req, reply) => {
    const found = await sessionFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    if (!found.abilities.markHeld) return changeFailure(req, reply, 'forbidden', found.session.id)
    return reply.view(heldTemplate, await heldPage(req, found))
  })

  app.post<{ Params: { id: string } }>(paths.sessions.held.pattern, { config: signedIn }, async (req, reply) => {
    const found = await sessionFor(req, req.params.id)
    if (!found) return renderNotFound(req, reply)
    const { attended, version } = readHeldForm(req.body)
    const result = await markHeld(db, {
      school: found.school,
      actor: req.actor!,
      sessionId: found.session.id,
      expectedVersion: version,
      today: today(req),
      baseUrl: app.config.baseUrl,
      attendedIds: found.session.supervisees.length > 1 ? attended : null,
    })
    if (result.ok) return reply.redirect(paths.sessions.show({ id: found.session.id }, { saved: 'held' }), 303)
    if (result.kind === 'invalid')
      return renderInvalid(
        reply,
        heldTemplate,
        await heldPage(req, found, attended),
        problemErrors(result.problems, heldHrefs),
      )
    return changeFailure(req, reply, result.kind, found.session.id)
  })
}
