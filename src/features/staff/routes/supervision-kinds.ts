/** Who supervises someone in each kind of supervision (issue 14): a supervisor per session type the policy counts. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { readVersion } from '../../../forms/fields.ts'
import { problemErrors } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { kindSupervisionPage, saveKindSupervisors } from '../../../services/staff/supervision-kinds.ts'
import { candidateItems, conflictMessage, manage, organisationOf, todayOf } from './shared.ts'

type Extra = { values?: Record<string, string>; errors?: FormErrors; status?: number; saved?: boolean }

/** The chosen supervisor of each kind, as typed: only fields named kind-<id>. */
function choicesOf(body: unknown): Record<string, string> {
  const choices: Record<string, string> = {}
  if (typeof body !== 'object' || body === null) return choices
  for (const [name, value] of Object.entries(body)) {
    if (!/^kind-[a-z0-9-]{1,100}$/.test(name)) continue
    const first = Array.isArray(value) ? value[0] : value
    choices[name] = typeof first === 'string' ? first.trim() : ''
  }
  return choices
}

const supervisionKindsRoutes: FastifyPluginAsync = async (app) => {
  async function render(req: FastifyRequest, reply: FastifyReply, personId: string, extra: Extra = {}) {
    const page = await kindSupervisionPage(app.db, organisationOf(req), personId, todayOf(app))
    if (!page) return renderNotFound(req, reply)
    const { person } = page
    const values = extra.values ?? Object.fromEntries((page.rows ?? []).map((r) => [r.field, r.current?.id ?? '']))
    return reply.code(extra.status ?? 200).view('staff/views/supervision-kinds.njk', {
      pageTitle: `${person.name}’s supervisor for each kind of supervision`,
      backLink: { href: paths.staff.person({ id: person.id }), text: person.name },
      person,
      version: page.version,
      rows: (page.rows ?? []).map((row) => ({
        ...row,
        items: candidateItems(
          page.candidates,
          values[row.field] ?? '',
          'No one of their own: their supervisor or line manager',
          person.schoolId,
        ),
      })),
      noPolicy: page.rows === null,
      saved: extra.saved === true,
      action: paths.staff.supervisionKinds({ id: person.id }),
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    paths.staff.supervisionKinds.pattern,
    { config: manage },
    async (req, reply) => render(req, reply, req.params.id, { saved: req.query.saved === 'yes' }),
  )

  app.post<{ Params: { id: string } }>(paths.staff.supervisionKinds.pattern, { config: manage }, async (req, reply) => {
    const choices = choicesOf(req.body)
    const result = await saveKindSupervisors(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      version: readVersion(req.body),
      choices,
      actorId: req.actor!.personId,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.staff.supervisionKinds({ id: req.params.id }, { saved: 'yes' }), 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    if (result.kind === 'conflict')
      return render(req, reply, req.params.id, {
        errors: formErrors([['form', conflictMessage]], { form: 'supervision-kinds-form' }),
        status: 409,
      })
    return render(req, reply, req.params.id, {
      values: choices,
      errors: problemErrors(result.problems),
      status: 400,
    })
  })
}

export default supervisionKindsRoutes
