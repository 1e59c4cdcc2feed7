/**
 * Requests for supervision (CA-04): the list, asking for a session (for oneself, or on someone's
 * behalf by whoever may book for them, issue 14), one request, declining it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { choiceItems, isFiltered, pageOfList, parseListQuery, statusItems } from '../../../domain/lists/list-query.ts'
import {
  managesSessions,
  mayAnswerRequest,
  mayAskForSupervision,
  requestTopics,
} from '../../../domain/scheduling/index.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound, whenFound } from '../../../plugins/errors.ts'
import { contactOf, type SchoolRef, supervisorOf } from '../../../services/sessions/context.ts'
import { judgeFor } from '../../../services/sessions/overview.ts'
import {
  createRequest,
  declineRequest,
  notOpenToEveryone,
  onBehalfChoices,
  requestsFor,
  requestsListSpec,
  type SessionRequest,
} from '../../../services/sessions/requests.ts'
import {
  declineHrefs,
  emptyDate,
  type RequestValues,
  readDeclineForm,
  readRequestForm,
  requestHrefs,
} from '../forms.ts'
import { askedByText, furtherSupportItems, onBehalf, requestRow, requestTag } from '../presenters.ts'
import { exampleDate, type FoundRequest, renderConflict, requestFor, schoolFor, schoolPage, today } from '../shared.ts'

const formTemplate = 'sessions/views/request-form.njk'
const requestTemplate = 'sessions/views/request.njk'

async function requestFormPage(req: FastifyRequest, school: SchoolRef, values: RequestValues) {
  const db = req.server.db
  const actor = req.actor!
  const { book } = await judgeFor(db, school.id, today(req))
  const supervisorId = await supervisorOf(db, school.organisationId, actor.personId)
  const supervisor = supervisorId ? await contactOf(db, school.organisationId, supervisorId) : null
  const policy = book.on(today(req))
  // Issue 14: whoever may book for someone may ask on their behalf.
  const others = await onBehalfChoices(db, school, actor, today(req))
  return {
    // CA-04: a policy that does not let every member of staff ask says so instead of a form.
    notOpen: mayAskForSupervision(policy, supervisorId !== null) || others.length > 0 ? null : notOpenToEveryone,
    forItems:
      others.length > 0
        ? [
            { value: '', text: 'Yourself', selected: values.forPerson === '' },
            ...others.map((p) => ({ value: p.id, text: p.name, selected: values.forPerson === p.id })),
          ]
        : null,
    // LH-04: the further support the school offers, beside asking for supervision.
    furtherSupport: furtherSupportItems(policy),
    pageTitle: 'Ask for a supervision session',
    backLink: { href: paths.sessions.index(), text: 'Your sessions' },
    school,
    values,
    errors: noErrors as FormErrors,
    sentTo: supervisor ? `${supervisor.name} and the DSL` : 'the DSL',
    topicItems: requestTopics(policy).map((t) => ({
      value: t,
      text: t.charAt(0).toUpperCase() + t.slice(1),
    })),
    exampleDate: exampleDate(today(req)),
  }
}

function requestPage(found: FoundRequest, extra: { values?: { reason: string }; banner?: string | null } = {}) {
  const { request, school, actor } = found
  return {
    pageTitle: onBehalf(request)
      ? `Request for supervision for ${request.requester.name}`
      : `Request for supervision from ${request.requester.name}`,
    askedBy: askedByText(request),
    backLink: { href: paths.sessions.requests(), text: 'Requests for supervision' },
    school,
    request,
    statusTag: requestTag(request.status),
    dates: request.preferredDates.length > 0 ? request.preferredDates.map(formatLongDate).join(', ') : 'Any date',
    sentTo: request.supervisor ? `${request.supervisor.name} and the DSL` : 'The DSL',
    canAnswer:
      request.status === 'open' &&
      mayAnswerRequest(actor, {
        requesterId: request.requester.id,
        requestedById: request.requestedBy?.id ?? null,
        supervisorId: request.supervisor?.id ?? null,
      }),
    values: extra.values ?? { reason: '' },
    errors: noErrors as FormErrors,
    banner: extra.banner ?? null,
  }
}

const requestColumns = { status: 'Status', asked: 'Asked on' }
const toAnswerLabels = { noun: ['request to answer', 'requests to answer'], columns: requestColumns } as const
const ownLabels = { noun: ['request of yours', 'requests of yours'], columns: requestColumns } as const

export function requestsRoutes(app: FastifyInstance) {
  const db = app.db
  const signedIn = { access: 'signed-in' as const }

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.sessions.requests.pattern,
    { config: signedIn },
    schoolPage(schoolFor, async (req, reply, found) => {
      const actor = req.actor!
      // Issue 16: both lists paged (`page` and `own-page`), narrowed by the same search and filters.
      const query = parseListQuery(req.query, requestsListSpec)
      const ownQuery = parseListQuery({ ...req.query, page: req.query['own-page'] }, requestsListSpec)
      const { toAnswer, own, people } = await requestsFor(db, found.school, actor, { toAnswer: query, own: ownQuery })
      const chosen = found.schools.length > 1 ? found.school.slug : undefined
      const at = (params: Record<string, string | number | undefined>) =>
        paths.sessions.requests({ school: chosen, ...params })
      const list = pageOfList(query, requestsListSpec, toAnswerLabels, {
        total: toAnswer.total,
        shown: toAnswer.rows.length,
        href: (params) => at({ ...params, 'own-page': ownQuery.page > 1 ? ownQuery.page : undefined }),
      })
      const ownList = pageOfList(ownQuery, requestsListSpec, ownLabels, {
        total: own.total,
        shown: own.rows.length,
        href: ({ page, ...params }) =>
          at({ ...params, page: query.page > 1 ? query.page : undefined, 'own-page': page }),
      })
      if (!list || !ownList) return renderNotFound(req, reply)
      return reply.view('sessions/views/requests.njk', {
        pageTitle: 'Requests for supervision',
        backLink: { href: paths.sessions.index(), text: 'Your sessions' },
        school: found.school,
        answers: managesSessions(actor) || toAnswer.total > 0 || isFiltered(query),
        list,
        ownList,
        hidden: chosen ? [{ name: 'school', value: chosen }] : [],
        // Issue 16: the person and supervisor filters as choices (a GET form, no JavaScript).
        personItems: choiceItems(query.person, people.requesters),
        supervisorItems: choiceItems(query.supervisor, people.supervisors),
        statusItems: statusItems(requestsListSpec, query.status, (s) => requestTag(s as SessionRequest['status']).text),
        toAnswer: toAnswer.rows.map(requestRow),
        own: own.rows.map(requestRow),
        ownFrom: own.rows.some(onBehalf),
      })
    }),
  )

  app.get<{ Querystring: { school?: string } }>(
    paths.sessions.newRequest.pattern,
    { config: signedIn },
    schoolPage(schoolFor, async (req, reply, found) => {
      return reply.view(
        formTemplate,
        await requestFormPage(req, found.school, {
          forPerson: '',
          topic: '',
          note: '',
          preferredDate1: emptyDate,
          preferredDate2: emptyDate,
        }),
      )
    }),
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.sessions.newRequest.pattern,
    { config: signedIn },
    schoolPage(schoolFor, async (req, reply, found) => {
      const form = readRequestForm(req.body)
      const result = await createRequest(db, {
        school: found.school,
        actor: req.actor!,
        forPersonId: form.values.forPerson || null,
        topic: form.values.topic,
        note: form.values.note,
        preferredDates: form.preferredDates,
        formProblems: form.problems,
        today: today(req),
        baseUrl: app.config.baseUrl,
      })
      if (result.ok) return reply.redirect(paths.sessions.request({ id: result.id }, { sent: 1 }), 303)
      return renderInvalid(
        reply,
        formTemplate,
        await requestFormPage(req, found.school, form.values),
        problemErrors(result.problems, requestHrefs),
      )
    }),
  )

  app.get<{ Params: { id: string }; Querystring: { sent?: string; declined?: string } }>(
    paths.sessions.request.pattern,
    { config: signedIn },
    whenFound(
      (req) => requestFor(req, req.params.id),
      async (req, reply, found) => {
        const banner =
          req.query.sent === '1'
            ? `Your request has been sent to ${found.request.supervisor ? `${found.request.supervisor.name} and ` : ''}the DSL`
            : req.query.declined === '1'
              ? `The request has been declined. ${found.request.requester.name} has been told`
              : null
        return reply.view(requestTemplate, requestPage(found, { banner }))
      },
    ),
  )

  app.post<{ Params: { id: string } }>(
    paths.sessions.declineRequest.pattern,
    { config: signedIn },
    whenFound(
      (req) => requestFor(req, req.params.id),
      async (req, reply, found) => {
        const { reason, version } = readDeclineForm(req.body)
        const result = await declineRequest(db, {
          school: found.school,
          actor: found.actor,
          requestId: found.request.id,
          expectedVersion: version,
          reason,
          baseUrl: app.config.baseUrl,
        })
        if (result.ok) return reply.redirect(paths.sessions.request({ id: found.request.id }, { declined: 1 }), 303)
        if (result.kind === 'not-found') return renderNotFound(req, reply)
        if (result.kind === 'conflict')
          return renderConflict(reply, {
            href: paths.sessions.request({ id: found.request.id }),
            text: 'See the request as it is now',
          })
        return renderInvalid(
          reply,
          requestTemplate,
          requestPage(found, { values: { reason } }),
          problemErrors(result.problems, declineHrefs),
        )
      },
    ),
  )
}
