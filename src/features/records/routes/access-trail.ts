/**
 * The access trail (X-06, issue 16): the DSL reads who opened, printed or exported which record of
 * the school, and when, filtered by who, record and date; anyone reads who opened the records of
 * the sessions they took part in. Both are paged lists (domain/lists/list-query.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { type ListQuery, pageOfList, parseListQuery } from '../../../domain/lists/list-query.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  accessTrail,
  type TrailEntry,
  type TrailScope,
  type TrailSort,
  trailListSpec,
  trailPeople,
} from '../../../services/records/access-trail.ts'
import { schoolFor } from '../../school-scope.ts'
import { signedIn } from './shared.ts'

type Raw = { Querystring: Record<string, string | undefined> }

const labels = {
  noun: ['entry', 'entries'],
  columns: { when: 'When', who: 'Who', session: 'Session' },
} as const

function entryView(e: TrailEntry) {
  return {
    occurredAt: e.occurredAt,
    who: e.actorName ?? 'Someone no longer in Haven',
    actorId: e.actorId,
    what: e.what,
    recordId: e.recordId,
    recordName: e.recordName,
    session: `${e.sessionTypeName}, ${e.sessionDate}`,
    sessionDate: e.sessionDate,
    sessionTypeName: e.sessionTypeName,
    supervisees: e.supervisees.join(', '),
    supervisors: e.supervisors.join(', '),
  }
}

async function renderTrail(
  req: FastifyRequest,
  reply: FastifyReply,
  input: {
    scope: TrailScope
    query: ListQuery<TrailSort>
    href: (params: Record<string, string | number | undefined>) => string
    view: string
    extra: Record<string, unknown>
  },
) {
  const result = await accessTrail(req.server.db, input.scope, input.query)
  const list = pageOfList(input.query, trailListSpec, labels, {
    total: result.total,
    shown: result.entries.length,
    href: input.href,
  })
  if (!list) return renderNotFound(req, reply)
  return reply.view(input.view, { list, entries: result.entries.map(entryView), ...input.extra })
}

export function accessTrailRoutes(app: FastifyInstance): void {
  app.get<Raw>(
    paths.records.accessTrail.pattern,
    { config: { access: { permission: Permission.RecordsReadAll } } },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found || !can(req.actor!.in(found.school.id), Permission.RecordsReadAll)) return renderNotFound(req, reply)
      const { school, schools } = found
      const query = parseListQuery(req.query, trailListSpec)
      const scope = { organisationId: school.organisationId, schoolId: school.id }
      const people = await trailPeople(app.db, scope)
      const chosen = schools.length > 1 ? school.slug : undefined
      return renderTrail(req, reply, {
        scope: { kind: 'school', ...scope },
        query,
        href: (params) => paths.records.accessTrail({ school: chosen, ...params }),
        view: 'records/views/access-trail.njk',
        extra: {
          pageTitle: 'Who opened records',
          school,
          hidden: chosen ? [{ name: 'school', value: chosen }] : [],
          personItems: [
            { value: '', text: 'Anyone' },
            ...people.map((p) => ({ value: p.id, text: p.name, selected: p.id === query.person })),
          ],
          record: query.record,
          withoutRecord: paths.records.accessTrail({ school: chosen, ...withoutRecord(req.query) }),
        },
      })
    },
  )

  app.get<Raw>(paths.records.whoOpened.pattern, { config: signedIn }, async (req, reply) => {
    const actor = req.actor!
    const query = parseListQuery(req.query, { ...trailListSpec, filters: ['record', 'from', 'to'] })
    return renderTrail(req, reply, {
      scope: { kind: 'participant', organisationId: actor.organisationId, personId: actor.personId },
      query,
      href: (params) => paths.records.whoOpened(params),
      view: 'records/views/who-opened.njk',
      extra: {
        pageTitle: 'Who opened your records',
        backLink: { href: paths.records.index(), text: 'Records' },
        record: query.record,
        withoutRecord: paths.records.whoOpened(withoutRecord(req.query)),
      },
    })
  })
}

/** The same address without `record` (and back to the first page). */
function withoutRecord(raw: Record<string, string | undefined>): Record<string, string | undefined> {
  const { record: _record, page: _page, ...rest } = raw
  return rest
}
