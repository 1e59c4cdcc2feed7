/**
 * Session records (issue 7): a session's records and preparation, the record page (draft with
 * autosave and optimistic locking, completion, signing, comments, disagreement, addenda, decisions
 * for the child's record), the PDF, and the list of decisions still to reach children's records.
 *
 * Every route is for signed-in people; who may open a record is decided per record by
 * domain/access/records.ts (the supervisees, the supervisors and the school's DSL), and every
 * opening and change is in the audit log. Handlers parse, call one service, render or redirect.
 */
import type { FastifyPluginAsync } from 'fastify'
import { accessTrailRoutes } from './routes/access-trail.ts'
import { decisionRoutes } from './routes/decisions.ts'
import { disputeRoutes } from './routes/disputes.ts'
import { listRoutes } from './routes/list.ts'
import { pdfRoutes } from './routes/pdf.ts'
import { preparationRoutes } from './routes/preparation.ts'
import { recordPageRoutes } from './routes/record.ts'
import { responseRoutes } from './routes/responses.ts'
import { sessionRoutes } from './routes/session.ts'
import { sharingRoutes } from './routes/sharing.ts'
import { signRoutes } from './routes/sign.ts'
import { staffFileRoutes } from './routes/staff-file.ts'

const recordsRoutes: FastifyPluginAsync = async (app) => {
  listRoutes(app)
  sharingRoutes(app)
  accessTrailRoutes(app)
  sessionRoutes(app)
  preparationRoutes(app)
  recordPageRoutes(app)
  signRoutes(app)
  responseRoutes(app)
  disputeRoutes(app)
  decisionRoutes(app)
  staffFileRoutes(app)
  pdfRoutes(app)
}

export default recordsRoutes
