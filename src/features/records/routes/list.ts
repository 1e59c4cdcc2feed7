/** Records: the sessions you took part in. */
import type { FastifyInstance } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { recordStatusLabels } from '../../../domain/records/record.ts'
import { paths } from '../../../paths/index.ts'
import { sessionsWithRecordsOf } from '../../../services/records/lists.ts'
import { signedIn, viewerOf } from './shared.ts'

export function listRoutes(app: FastifyInstance): void {
  const db = app.db

  // -------------------------------------------------------------------------------------------
  // Records: the sessions you took part in
  // -------------------------------------------------------------------------------------------

  app.get(paths.records.index.pattern, { config: signedIn }, async (req, reply) => {
    const viewer = viewerOf(req)
    const rows = (await sessionsWithRecordsOf(db, viewer)).map((s) => ({
      ...s,
      records: s.records.map((r) => ({ ...r, statusLabel: recordStatusLabels[r.status] })),
    }))
    return reply.view('records/views/list.njk', {
      pageTitle: 'Records',
      sessions: rows,
      isDsl: viewer.roles.includes('dsl'),
      // Issue 14: records waiting for the staff file, for those who manage staff.
      managesStaff: can(req.actor, Permission.StaffManage),
      // Issue 18: the templates link only for those who may open the templates.
      readsTemplates: can(req.actor, Permission.PolicyRead),
    })
  })
}
