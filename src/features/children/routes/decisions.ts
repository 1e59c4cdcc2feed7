/**
 * The decision queue (issue 15; X-07, CA-10, PL-04, AM-04, LH-06, MW-12): every decision about a
 * child from formal, group and unplanned supervision, signed off where the policy says so, and
 * tracked until it is entered on the child's own record (copy-ready entry, or the webhook).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { DecisionRow } from '../../../db/repositories/children.ts'
import { can, Permission } from '../../../domain/access/permissions.ts'
import {
  copyEntryFields,
  copyEntryText,
  decisionStatusLabels,
  enteredLine,
  maySignOff,
} from '../../../domain/children/decisions.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { editConflictMessage, parseForm, problemErrors } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound, whenFound } from '../../../plugins/errors.ts'
import { formatDate, formatDateTime } from '../../../presenters/format.ts'
import {
  type DecisionResult,
  decisionQueue,
  decisionsRead,
  markDecisionEntered,
  policyForDecision,
  queuedDecision,
  signOffDecision,
  toQueued,
} from '../../../services/children/decisions.ts'
import { pupilRegister } from '../../../services/children/pupils.ts'
import type { FoundSchool } from '../../school-scope.ts'
import { schoolPage } from '../../school-scope.ts'
import { enteredForm, signOffForm } from '../forms.ts'
import { decisionActorOf, dslOnly, schoolParam, schoolWith } from './shared.ts'

const conflict = editConflictMessage('this decision', 'the decision below')

/** The decision with this id in one of the schools where the person is the DSL. */
async function decisionFor(
  req: FastifyRequest,
  id: string,
): Promise<{ found: FoundSchool; decision: DecisionRow } | null> {
  const found = await schoolWith(req, undefined)
  if (!found) return null
  for (const school of found.schools) {
    if (!can(req.actor!.in(school.id), Permission.RecordsReadAll)) continue
    const decision = await queuedDecision(req.server.db, school.id, id)
    if (decision) return { found: { school, schools: found.schools }, decision }
  }
  return null
}

const decisionRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { school?: string } }>(
    paths.children.decisions.pattern,
    { config: dslOnly },
    schoolPage(schoolWith, async (_req, reply, found) => {
      const rows = await decisionQueue(app.db, found.school.id)
      const waiting = rows.filter((d) => d.status !== 'entered')
      const row = (d: DecisionRow) => {
        const q = toQueued(d)
        return {
          href: paths.children.decision({ decisionId: d.id }),
          child: q.child.name || 'Not yet named',
          date: formatDate(d.decidedOn),
          source: d.sessionKind,
          status: decisionStatusLabels[d.status],
          statusClass:
            d.status === 'entered'
              ? 'govuk-tag--green'
              : d.status === 'returned'
                ? 'govuk-tag--orange'
                : d.status === 'ready'
                  ? 'govuk-tag--blue'
                  : 'govuk-tag--yellow',
        }
      }
      return reply.view('children/views/decisions.njk', {
        pageTitle: 'Decisions for children’s records',
        school: found.school,
        waiting: waiting.map(row),
        entered: rows.filter((d) => d.status === 'entered').map(row),
        webhookHref: paths.children.webhook({ school: schoolParam(found) }),
        pupilsHref: paths.children.pupils({ school: schoolParam(found) }),
      })
    }),
  )

  async function renderDecision(
    req: FastifyRequest,
    reply: FastifyReply,
    found: FoundSchool,
    decision: DecisionRow,
    extra: { errors?: FormErrors; values?: Record<string, string>; status?: 200 | 400 | 409; done?: string } = {},
  ) {
    const policy = await policyForDecision(app.db, found.school.id, decision.decidedOn)
    const actor = decisionActorOf(req, found.school.id)
    const q = toQueued(decision)
    const pupils = await pupilRegister(app.db, found.school.id)
    if (decision.status === 'ready')
      await decisionsRead(app.db, { schoolId: found.school.id, actor, format: 'entry', subjectId: decision.id })
    const values = extra.values ?? {
      about: decision.about,
      pupilId: decision.pupil?.id ?? '',
      aboutName: decision.aboutName,
      category: decision.category,
      decision: decision.decision,
      actions: decision.actions,
    }
    return reply.code(extra.status ?? 200).view('children/views/decision.njk', {
      pageTitle: 'Decision for a child’s record',
      backLink: {
        href: paths.children.decisions({ school: schoolParam(found) }),
        text: 'Decisions for children’s records',
      },
      school: found.school,
      decision: {
        ...decision,
        childName: q.child.name || 'Not yet named',
        date: formatDate(decision.decidedOn),
        statusLabel: decisionStatusLabels[decision.status],
        signedOffAt: decision.signedOffAt ? formatDateTime(decision.signedOffAt) : '',
      },
      done: extra.done ?? null,
      fields: copyEntryFields(q),
      entryText: copyEntryText(q),
      enteredText: enteredLine(q, formatDateTime),
      canSignOff:
        maySignOff(actor.roles, policy) && (decision.status === 'awaiting-sign-off' || decision.status === 'returned'),
      needsSignOff: decision.status === 'awaiting-sign-off' || decision.status === 'returned',
      signOffRole: policy?.childRecord.signOffRole ?? null,
      system: policy?.childRecord.system ?? '',
      pupilOptions: [
        { value: '', text: 'Choose a child' },
        ...pupils.map((p) => ({
          value: p.id,
          text: `${p.name} (${[p.yearGroup, p.upn ?? p.misId].filter((x) => x).join(', ')})`,
          selected: p.id === values['pupilId'],
        })),
      ],
      values,
      signOffAction: paths.children.decisionSignOff({ decisionId: decision.id }),
      enteredAction: paths.children.decisionEntered({ decisionId: decision.id }),
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { decisionId: string }; Querystring: { done?: string } }>(
    paths.children.decision.pattern,
    { config: dslOnly },
    whenFound(
      (req) => decisionFor(req, req.params.decisionId),
      async (req, reply, loaded) => {
        const done =
          req.query.done === 'ready'
            ? 'The decision is signed off and ready to enter on the child’s record.'
            : req.query.done === 'returned'
              ? 'The decision is returned with your comment.'
              : req.query.done === 'entered'
                ? 'The decision is marked as entered on the child’s record.'
                : undefined
        return renderDecision(req, reply, loaded.found, loaded.decision, { done })
      },
    ),
  )

  function refused(
    req: FastifyRequest,
    reply: FastifyReply,
    loaded: { found: FoundSchool; decision: DecisionRow },
    result: Extract<DecisionResult, { ok: false }>,
    field: string,
    values?: Record<string, string>,
  ) {
    if (result.reason === 'missing') return renderNotFound(req, reply)
    const message =
      result.reason === 'changed'
        ? conflict
        : result.reason === 'not-allowed'
          ? 'Only the person your policy names can sign off decisions'
          : (result.message ?? 'Check the decision')
    return renderDecision(req, reply, loaded.found, loaded.decision, {
      errors: problemErrors([{ field, message }]),
      status: result.reason === 'changed' ? 409 : 400,
      values,
    })
  }

  app.post<{ Params: { decisionId: string } }>(
    paths.children.decisionSignOff.pattern,
    { config: dslOnly },
    whenFound(
      (req) => decisionFor(req, req.params.decisionId),
      async (req, reply, loaded) => {
        const body = (req.body ?? {}) as Record<string, unknown>
        const typed = Object.fromEntries(
          ['about', 'pupilId', 'aboutName', 'category', 'decision', 'actions', 'comment', 'choice'].map((k) => [
            k,
            typeof body[k] === 'string' ? (body[k] as string) : '',
          ]),
        )
        const form = parseForm(signOffForm, req.body, { choice: 'choice-approve' })
        if (!form.ok)
          return renderDecision(req, reply, loaded.found, loaded.decision, {
            errors: form.errors,
            values: typed,
            status: 400,
          })
        const v = form.value
        const result = await signOffDecision(app.db, {
          schoolId: loaded.found.school.id,
          actor: decisionActorOf(req, loaded.found.school.id),
          id: loaded.decision.id,
          version: v.version ?? -1,
          now: app.clock(),
          choice: v.choice,
          comment: v.comment.trim(),
          about: v.about as 'child' | 'family' | 'pseudonym',
          pupilId: v.pupilId,
          aboutName: v.aboutName,
          category: v.category,
          decision: v.decision.trim(),
          actions: v.actions.trim(),
        })
        if (!result.ok)
          return refused(req, reply, loaded, result, v.choice === 'amend' ? 'pupilId' : 'choice-approve', typed)
        return reply.redirect(
          paths.children.decision(
            { decisionId: loaded.decision.id },
            { done: result.status === 'returned' ? 'returned' : 'ready' },
          ),
          303,
        )
      },
    ),
  )

  app.post<{ Params: { decisionId: string } }>(
    paths.children.decisionEntered.pattern,
    { config: dslOnly },
    whenFound(
      (req) => decisionFor(req, req.params.decisionId),
      async (req, reply, loaded) => {
        const form = parseForm(enteredForm, req.body)
        if (!form.ok)
          return renderDecision(req, reply, loaded.found, loaded.decision, { errors: form.errors, status: 400 })
        const result = await markDecisionEntered(app.db, {
          schoolId: loaded.found.school.id,
          actor: decisionActorOf(req, loaded.found.school.id),
          id: loaded.decision.id,
          version: form.value.version ?? -1,
          reference: form.value.reference,
          system: form.value.system,
          now: app.clock(),
        })
        if (!result.ok) return refused(req, reply, loaded, result, 'reference')
        return reply.redirect(paths.children.decision({ decisionId: loaded.decision.id }, { done: 'entered' }), 303)
      },
    ),
  )
}

export default decisionRoutes
