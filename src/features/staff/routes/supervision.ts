/** Changing someone's line manager or supervisor, handing over their supervisees, ending their employment (LH-07). */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { type SupervisionKind, supervisionKindNames } from '../../../domain/people/supervision.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { getPersonDetail } from '../../../services/staff/people.ts'
import { relationshipRecorder, setRecorder } from '../../../services/staff/recorders.ts'
import {
  changeSupervision,
  currentSupervisees,
  endEmployment,
  handOverSupervisees,
  handoverNoteNeeded,
  supervisionCandidates,
} from '../../../services/staff/supervision.ts'
import {
  changeSupervisionForm,
  changeSupervisionHrefs,
  changeSupervisionValues,
  datePartsOf,
  endEmploymentForm,
  endEmploymentHrefs,
  handoverForm,
  handoverValues,
  recorderForm,
  recorderHrefs,
  recorderValues,
} from '../forms.ts'
import { recorderHistoryRows } from '../presenters.ts'
import { candidateItems, conflictMessage, manage, organisationOf, todayOf } from './shared.ts'

function isKind(kind: string): kind is SupervisionKind {
  return kind === 'line-manager' || kind === 'supervisor'
}

type Extra = { values?: Record<string, unknown>; errors?: FormErrors; status?: number }

const supervisionRoutes: FastifyPluginAsync = async (app) => {
  async function renderChange(
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    kind: SupervisionKind,
    extra: Extra = {},
  ) {
    const detail = await getPersonDetail(app.db, organisationOf(req), personId)
    if (!detail) return renderNotFound(req, reply)
    const current = kind === 'line-manager' ? detail.lineManager : detail.supervisor
    const today = todayOf(app)
    const candidates = await supervisionCandidates(app.db, {
      organisationId: detail.organisationId,
      schoolId: detail.person.schoolId,
      kind,
      today,
      excludeIds: [detail.person.id, ...(current ? [current.id] : [])],
    })
    const what = kind === 'line-manager' ? 'line manager' : 'supervisor'
    const values = extra.values ?? { supervisorId: '', effectiveOn: datePartsOf(today), note: '' }
    return reply.code(extra.status ?? 200).view('staff/views/change-supervision.njk', {
      pageTitle: `Change ${detail.person.name}’s ${what}`,
      backLink: { href: paths.staff.person({ id: detail.person.id }), text: detail.person.name },
      person: detail.person,
      kind,
      what,
      current,
      noteOptional: !current || !(await handoverNoteNeeded(app.db, detail.person.schoolId, kind, today)),
      action: paths.staff.change({ id: detail.person.id, kind }),
      items: candidateItems(
        candidates,
        String(values.supervisorId ?? ''),
        current ? `No ${what}` : null,
        detail.person.schoolId,
      ),
      values,
      errors: extra.errors ?? noErrors,
    })
  }

  // Issue 14: who completes the records of this relationship's sessions.
  async function renderRecorder(
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    kind: SupervisionKind,
    extra: Extra = {},
  ) {
    const detail = await getPersonDetail(app.db, organisationOf(req), personId)
    if (!detail) return renderNotFound(req, reply)
    const today = todayOf(app)
    const current = await relationshipRecorder(app.db, detail.organisationId, detail.person.id, kind, today)
    if (!current) return renderNotFound(req, reply)
    const candidates = await supervisionCandidates(app.db, {
      organisationId: detail.organisationId,
      schoolId: detail.person.schoolId,
      kind: 'supervisor',
      today,
      excludeIds: [detail.person.id, current.supervisor.id],
    })
    const values = extra.values ?? {
      recorder: current.choice.kind,
      personId: current.choice.kind === 'person' ? current.choice.personId : '',
      effectiveFrom: datePartsOf(today),
    }
    const what = kind === 'line-manager' ? 'line manager' : 'supervisor'
    return reply.code(extra.status ?? 200).view('staff/views/recorder.njk', {
      pageTitle: `Who completes the records of ${detail.person.name}’s supervision`,
      backLink: { href: paths.staff.person({ id: detail.person.id }), text: detail.person.name },
      person: detail.person,
      supervisor: current.supervisor,
      what,
      action: paths.staff.recorder({ id: detail.person.id, kind }),
      items: candidateItems(candidates, String(values.personId ?? ''), null, detail.person.schoolId),
      history: recorderHistoryRows(current, detail.person.name, what),
      values,
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { id: string; kind: string } }>(
    paths.staff.recorder.pattern,
    { config: manage },
    async (req, reply) => {
      if (!isKind(req.params.kind)) return renderNotFound(req, reply)
      return renderRecorder(req, reply, req.params.id, req.params.kind)
    },
  )

  app.post<{ Params: { id: string; kind: string } }>(
    paths.staff.recorder.pattern,
    { config: manage },
    async (req, reply) => {
      const kind = req.params.kind
      if (!isKind(kind)) return renderNotFound(req, reply)
      const values = recorderValues(req.body)
      const form = parseForm(recorderForm, req.body, recorderHrefs)
      if (!form.ok) return renderRecorder(req, reply, req.params.id, kind, { values, errors: form.errors, status: 400 })
      const result = await setRecorder(app.db, {
        organisationId: organisationOf(req),
        superviseeId: req.params.id,
        kind,
        recorder: form.value.recorder,
        personId: form.value.personId,
        effectiveFrom: form.value.effectiveFrom!,
        actorId: req.actor!.personId,
        today: todayOf(app),
      })
      if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: 'recorder' }), 303)
      if (result.kind !== 'field') return renderNotFound(req, reply)
      return renderRecorder(req, reply, req.params.id, kind, {
        values,
        errors: problemErrors([result], recorderHrefs),
        status: 400,
      })
    },
  )

  app.get<{ Params: { id: string; kind: string } }>(
    paths.staff.change.pattern,
    { config: manage },
    async (req, reply) => {
      if (!isKind(req.params.kind)) return renderNotFound(req, reply)
      return renderChange(req, reply, req.params.id, req.params.kind)
    },
  )

  app.post<{ Params: { id: string; kind: string } }>(
    paths.staff.change.pattern,
    { config: manage },
    async (req, reply) => {
      const kind = req.params.kind
      if (!isKind(kind)) return renderNotFound(req, reply)
      const values = changeSupervisionValues(req.body)
      const form = parseForm(changeSupervisionForm, req.body, changeSupervisionHrefs)
      if (!form.ok) return renderChange(req, reply, req.params.id, kind, { values, errors: form.errors, status: 400 })
      const result = await changeSupervision(app.db, {
        organisationId: organisationOf(req),
        superviseeId: req.params.id,
        kind,
        supervisorId: form.value.supervisorId === '' ? null : form.value.supervisorId,
        effectiveOn: form.value.effectiveOn!,
        note: form.value.note,
        actorId: req.actor!.personId,
        today: todayOf(app),
      })
      if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: kind }), 303)
      if (result.kind !== 'field') return renderNotFound(req, reply)
      return renderChange(req, reply, req.params.id, kind, {
        values,
        errors: problemErrors([result], changeSupervisionHrefs),
        status: 400,
      })
    },
  )

  async function renderHandover(
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    mode: 'handover' | 'end',
    extra: Extra = {},
  ) {
    const detail = await getPersonDetail(app.db, organisationOf(req), personId)
    if (!detail) return renderNotFound(req, reply)
    const { lineReports, supervised } = await currentSupervisees(app.db, detail.person.id, detail.organisationId)
    const candidates = await supervisionCandidates(app.db, {
      organisationId: detail.organisationId,
      schoolId: detail.person.schoolId,
      kind: lineReports.length > 0 ? 'line-manager' : 'supervisor',
      today: todayOf(app),
      excludeIds: [detail.person.id],
    })
    const values = extra.values ?? {
      toPersonId: '',
      note: '',
      endDate: datePartsOf(detail.person.endDate),
      version: String(detail.version),
    }
    const id = detail.person.id
    return reply.code(extra.status ?? 200).view('staff/views/handover.njk', {
      pageTitle:
        mode === 'end' ? `End ${detail.person.name}’s employment` : `Hand over ${detail.person.name}’s supervisees`,
      backLink: { href: paths.staff.person({ id }), text: detail.person.name },
      mode,
      detail,
      person: detail.person,
      kindNames: supervisionKindNames,
      peopleCount: new Set([...lineReports, ...supervised]).size,
      action: mode === 'end' ? paths.staff.end({ id }) : paths.staff.handover({ id }),
      items: candidateItems(candidates, String(values.toPersonId ?? ''), null, detail.person.schoolId),
      values,
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { id: string } }>(paths.staff.handover.pattern, { config: manage }, async (req, reply) =>
    renderHandover(req, reply, req.params.id, 'handover'),
  )

  app.post<{ Params: { id: string } }>(paths.staff.handover.pattern, { config: manage }, async (req, reply) => {
    const values = handoverForm.parse(req.body ?? {})
    const result = await handOverSupervisees(app.db, {
      organisationId: organisationOf(req),
      fromPersonId: req.params.id,
      toPersonId: values.toPersonId === '' ? null : values.toPersonId,
      note: values.note,
      actorId: req.actor!.personId,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: 'handover' }), 303)
    if (result.kind !== 'field') return renderNotFound(req, reply)
    return renderHandover(req, reply, req.params.id, 'handover', {
      values,
      errors: problemErrors([result]),
      status: 400,
    })
  })

  app.get<{ Params: { id: string } }>(paths.staff.end.pattern, { config: manage }, async (req, reply) =>
    renderHandover(req, reply, req.params.id, 'end'),
  )

  app.post<{ Params: { id: string } }>(paths.staff.end.pattern, { config: manage }, async (req, reply) => {
    const values = handoverValues(req.body)
    const form = parseForm(endEmploymentForm, req.body, endEmploymentHrefs)
    if (!form.ok) return renderHandover(req, reply, req.params.id, 'end', { values, errors: form.errors, status: 400 })
    const result = await endEmployment(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      fromPersonId: req.params.id,
      version: form.value.version ?? -1,
      endDate: form.value.endDate!,
      toPersonId: form.value.toPersonId === '' ? null : form.value.toPersonId,
      note: form.value.note,
      actorId: req.actor!.personId,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: 'ended' }), 303)
    if (result.kind === 'conflict')
      return renderHandover(req, reply, req.params.id, 'end', {
        errors: formErrors([['form', conflictMessage]], { form: 'handover-form' }),
        status: 409,
      })
    if (result.kind !== 'field') return renderNotFound(req, reply)
    return renderHandover(req, reply, req.params.id, 'end', {
      values,
      errors: problemErrors([result], endEmploymentHrefs),
      status: 400,
    })
  })
}

export default supervisionRoutes
