/** Records: the sessions whose records you may open, paged, filtered, sorted and searched (issue 16). */
import type { FastifyInstance } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { choiceItems, pagedTitle, pageOfList, parseListQuery } from '../../../domain/lists/list-query.ts'
import { recordStatusLabels } from '../../../domain/records/record.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { recordsListOf, recordsListSpec } from '../../../services/records/lists.ts'
import { signedIn, viewerOf } from './shared.ts'

const recordsLabels = { noun: ['session', 'sessions'], columns: { date: 'Date', type: 'Session' } } as const

const statusItems = [
  { value: '', text: 'Any' },
  { value: 'none', text: 'No record yet' },
  { value: 'draft', text: recordStatusLabels.draft },
  { value: 'completed', text: recordStatusLabels.completed },
  { value: 'signed', text: recordStatusLabels.signed },
]

export function listRoutes(app: FastifyInstance): void {
  const db = app.db

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.records.index.pattern,
    { config: signedIn },
    async (req, reply) => {
      const viewer = viewerOf(req)
      const query = parseListQuery(req.query, recordsListSpec)
      const result = await recordsListOf(db, viewer, query)
      const list = pageOfList(query, recordsListSpec, recordsLabels, {
        total: result.total,
        shown: result.sessions.length,
        href: (params) => paths.records.index(params),
      })
      if (!list) return renderNotFound(req, reply)
      const isDsl = can(viewer, Permission.RecordsReadAll)
      return reply.view('records/views/list.njk', {
        pageTitle: pagedTitle('Records', list),
        list,
        sessions: result.sessions.map((s) => ({
          ...s,
          records: s.records.map((r) => ({ ...r, statusLabel: recordStatusLabels[r.status] })),
        })),
        selects: [
          {
            name: 'person',
            label: 'Supervisee',
            items: choiceItems(
              query.person,
              result.people.filter((p) => p.role === 'supervisee'),
              'Anyone',
            ),
          },
          {
            name: 'supervisor',
            label: 'Supervisor',
            items: choiceItems(
              query.supervisor,
              result.people.filter((p) => p.role === 'supervisor'),
              'Anyone',
            ),
          },
          { name: 'kind', label: 'Kind of session', items: choiceItems(query.kind, result.types, 'Any') },
          {
            name: 'status',
            label: 'Record',
            items: statusItems.map((i) => ({ ...i, selected: i.value !== '' && i.value === query.status })),
          },
        ],
        isDsl,
        // Issue 18: the templates link only for those who may open the templates.
        readsTemplates: can(req.actor, Permission.PolicyRead),
        // Issue 14: records waiting for the staff file, for those who manage staff.
        managesStaff: can(req.actor, Permission.StaffManage),
      })
    },
  )
}
