/**
 * Case escalation pages (LH-10; issue 17): the list (the DSL sees the school's; others the ones
 * they raised), raising one (from a record, or on its own), and an escalation's page where the
 * DSL moves it to the next stage and records its outcome. Content is confidential to the DSL and
 * the person who raised it: the service refuses anyone else. Handlers parse, call one service,
 * render or redirect.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { londonDateOf } from '../../domain/calendar/index.ts'
import {
  escalationOutcomeWords,
  escalationReasonWords,
  mayManageCaseEscalations,
} from '../../domain/escalations/case-escalation.ts'
import { isUuid } from '../../domain/ids.ts'
import { type FormErrors, field, noErrors } from '../../forms/errors.ts'
import { editConflictMessage, parseForm, problemErrors } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import {
  type CaseEscalationView,
  caseEscalationList,
  caseEscalationStagesOf,
  type EscalationActor,
  mayRaise,
  moveCaseEscalation,
  raiseCaseEscalation,
  readCaseEscalation,
  recordCaseEscalationOutcome,
} from '../../services/escalations/case-escalations.ts'
import { escalationOutcomeForm, escalationStageForm, raiseEscalationForm } from './forms.ts'

const signedIn = { access: 'signed-in' as const }

type Values = Record<string, unknown>

function today(req: FastifyRequest) {
  return londonDateOf(req.server.clock())
}

/** The actor in their own school; null for people who belong to no school (the trust centrally). */
function actorOf(req: FastifyRequest): (EscalationActor & { schoolId: string }) | null {
  const actor = req.actor!
  if (actor.schoolId === null) return null
  return {
    personId: actor.personId,
    organisationId: actor.organisationId,
    roles: actor.rolesIn(actor.schoolId),
    schoolId: actor.schoolId,
    ip: req.ip,
  }
}

function refused(reply: FastifyReply) {
  return renderClientError(reply, 403, {
    heading: 'You do not have permission to see this page',
    paragraphs: [
      'Only the designated safeguarding lead and the person who raised an escalation can see it. Supervisors can escalate a case from a record of a session they supervised.',
    ],
  })
}

const reasonItems = (values: Values) =>
  Object.entries(escalationReasonWords).map(([value, text]) => ({ value, text, checked: values.reason === value }))

const outcomeItems = (values: Values) =>
  Object.entries(escalationOutcomeWords).map(([value, text]) => ({ value, text, checked: values.outcome === value }))

function showContext(view: CaseEscalationView, extra: { errors?: FormErrors; values?: Values; form?: string } = {}) {
  const e = view.escalation
  const stageName = (id: string) => view.stages.find((s) => s.id === id)?.name ?? 'A stage no longer in the policy'
  return {
    pageTitle: 'Case escalation',
    backLink: { href: paths.escalations.index(), text: 'Back to case escalations' },
    errors: extra.errors ?? noErrors,
    form: extra.form ?? null,
    escalation: {
      ...e,
      reasonText: escalationReasonWords[e.reason],
      outcomeText: e.outcome ? escalationOutcomeWords[e.outcome] : null,
      stageName: stageName(e.stageId),
    },
    history: view.history.map((h) => ({ ...h, stageName: stageName(h.stageId) })),
    next: view.next,
    deadline: view.deadline,
    mayManage: view.mayManage && e.closedOn === null,
    outcomeItems: outcomeItems(extra.values ?? {}),
    values: extra.values ?? { note: '', outcome: '', version: String(e.version) },
  }
}

const escalationRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

  app.get(paths.escalations.index.pattern, { config: signedIn }, async (req, reply) => {
    const actor = actorOf(req)
    if (!actor) return renderNotFound(req, reply)
    const items = await caseEscalationList(db, actor, actor.schoolId, today(req))
    return reply.view('escalations/views/index.njk', {
      pageTitle: 'Case escalations',
      mayRaise: mayManageCaseEscalations(actor),
      items: items.map((i) => ({
        id: i.escalation.id,
        raisedOn: i.escalation.raisedOn,
        otherAgency: i.escalation.otherAgency,
        stageName: i.stageName,
        deadline: i.deadline,
        open: i.escalation.closedOn === null,
        outcomeText: i.escalation.outcome ? escalationOutcomeWords[i.escalation.outcome] : null,
      })),
    })
  })

  async function renderNew(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: EscalationActor & { schoolId: string },
    extra: { errors?: FormErrors; values?: Values; status?: number } = {},
  ) {
    const values = extra.values ?? { reason: '', otherAgency: '', summary: '', record: '' }
    const stages = await caseEscalationStagesOf(db, actor.schoolId, today(req))
    const record = typeof values.record === 'string' && isUuid(values.record) ? values.record : null
    return reply.code(extra.status ?? 200).view('escalations/views/new.njk', {
      pageTitle: 'Escalate a case',
      backLink: record
        ? { href: paths.records.show({ recordId: record }), text: 'Back to the record' }
        : { href: paths.escalations.index(), text: 'Back to case escalations' },
      errors: extra.errors ?? noErrors,
      stages,
      reasonItems: reasonItems(values),
      values: { ...values, record: record ?? '' },
    })
  }

  app.get<{ Querystring: { record?: string } }>(
    paths.escalations.new.pattern,
    { config: signedIn },
    async (req, reply) => {
      const actor = actorOf(req)
      if (!actor) return renderNotFound(req, reply)
      const record = typeof req.query.record === 'string' && isUuid(req.query.record) ? req.query.record : null
      if (!(await mayRaise(db, actor, actor.schoolId, record))) return refused(reply)
      return renderNew(req, reply, actor, {
        values: { reason: '', otherAgency: '', summary: '', record: record ?? '' },
      })
    },
  )

  app.post(paths.escalations.new.pattern, { config: signedIn }, async (req, reply) => {
    const actor = actorOf(req)
    if (!actor) return renderNotFound(req, reply)
    const asked = field(req.body, 'record')
    if (!(await mayRaise(db, actor, actor.schoolId, isUuid(asked) ? asked : null))) return refused(reply)
    const typed = {
      reason: field(req.body, 'reason'),
      otherAgency: field(req.body, 'otherAgency'),
      summary: field(req.body, 'summary', { trim: false }),
      record: field(req.body, 'record'),
    }
    const form = parseForm(raiseEscalationForm, req.body, { reason: '#reason' })
    if (!form.ok) return renderNew(req, reply, actor, { errors: form.errors, values: typed, status: 400 })
    const result = await raiseCaseEscalation(db, {
      actor,
      schoolId: actor.schoolId,
      today: today(req),
      recordId: form.value.record,
      reason: form.value.reason,
      otherAgency: form.value.otherAgency,
      summary: form.value.summary,
    })
    if (!result.ok) {
      if (result.problem === 'forbidden') return refused(reply)
      if (result.problem === 'unknown-record') return renderNotFound(req, reply)
      return renderNew(req, reply, actor, {
        errors: problemErrors([
          {
            field: 'reason',
            message: 'The supervision policy sets no stages for escalating a case: ask the DSL to add them',
          },
        ]),
        values: typed,
        status: 400,
      })
    }
    return reply.redirect(paths.escalations.show({ id: result.id }), 303)
  })

  app.get<{ Params: { id: string } }>(paths.escalations.show.pattern, { config: signedIn }, async (req, reply) => {
    const actor = actorOf(req)
    if (!actor) return renderNotFound(req, reply)
    const view = await readCaseEscalation(db, actor, actor.schoolId, req.params.id, today(req))
    if (view === null) return renderNotFound(req, reply)
    if (view === 'forbidden') return refused(reply)
    return reply.view('escalations/views/show.njk', showContext(view))
  })

  /** Re-renders the page with a form's errors, or answers 404/403. */
  async function renderWithErrors(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: EscalationActor & { schoolId: string },
    extra: { errors: FormErrors; values: Values; form: string },
  ) {
    const view = await readCaseEscalation(db, actor, actor.schoolId, (req.params as { id: string }).id, today(req))
    if (view === null) return renderNotFound(req, reply)
    if (view === 'forbidden') return refused(reply)
    return reply.code(400).view('escalations/views/show.njk', showContext(view, extra))
  }

  function conflict(reply: FastifyReply) {
    return renderClientError(reply, 409, {
      heading: 'The escalation could not be changed',
      paragraphs: [editConflictMessage('this escalation', 'the escalation')],
    })
  }

  app.post<{ Params: { id: string } }>(paths.escalations.stage.pattern, { config: signedIn }, async (req, reply) => {
    const actor = actorOf(req)
    if (!actor) return renderNotFound(req, reply)
    if (!mayManageCaseEscalations(actor)) return refused(reply)
    const form = parseForm(escalationStageForm, req.body, { note: '#stage-note' })
    if (!form.ok)
      return renderWithErrors(req, reply, actor, {
        errors: form.errors,
        values: { note: field(req.body, 'note', { trim: false }), outcome: '', version: field(req.body, 'version') },
        form: 'stage',
      })
    const result = await moveCaseEscalation(db, {
      actor,
      schoolId: actor.schoolId,
      id: req.params.id,
      version: form.value.version ?? -1,
      today: today(req),
      note: form.value.note,
    })
    if (!result.ok) {
      if (result.problem === 'not-found') return renderNotFound(req, reply)
      if (result.problem === 'forbidden') return refused(reply)
      return conflict(reply)
    }
    return reply.redirect(paths.escalations.show({ id: req.params.id }), 303)
  })

  app.post<{ Params: { id: string } }>(paths.escalations.outcome.pattern, { config: signedIn }, async (req, reply) => {
    const actor = actorOf(req)
    if (!actor) return renderNotFound(req, reply)
    if (!mayManageCaseEscalations(actor)) return refused(reply)
    const form = parseForm(escalationOutcomeForm, req.body, { outcome: '#outcome', note: '#outcome-note' })
    if (!form.ok)
      return renderWithErrors(req, reply, actor, {
        errors: form.errors,
        values: {
          note: field(req.body, 'note', { trim: false }),
          outcome: field(req.body, 'outcome'),
          version: field(req.body, 'version'),
        },
        form: 'outcome',
      })
    const result = await recordCaseEscalationOutcome(db, {
      actor,
      schoolId: actor.schoolId,
      id: req.params.id,
      version: form.value.version ?? -1,
      today: today(req),
      outcome: form.value.outcome,
      note: form.value.note,
    })
    if (!result.ok) {
      if (result.problem === 'not-found') return renderNotFound(req, reply)
      if (result.problem === 'forbidden') return refused(reply)
      return conflict(reply)
    }
    return reply.redirect(paths.escalations.show({ id: req.params.id }), 303)
  })
}

export default escalationRoutes
