/**
 * Supervision contracts (issue 8; MW-02, MW-03, MW-11, AM-05), one module per page (issue 13,
 * point 2): the school's contracts by status and a person's own (routes/list.ts), issuing them to
 * everyone in scope at the start of the year (routes/bulk.ts) or to one person (routes/new.ts),
 * drafts and changes of terms (routes/edit.ts), a contract's page and its PDF
 * (routes/contract.ts), and signing with the password again or a two-step code (routes/sign.ts).
 * Handlers parse with the forms in forms.ts, call one service, and render or redirect.
 */
import type { FastifyPluginAsync } from 'fastify'
import { registerPageModules } from '../page-modules.ts'
import bulkRoutes from './routes/bulk.ts'
import contractRoutes from './routes/contract.ts'
import editRoutes from './routes/edit.ts'
import listRoutes from './routes/list.ts'
import newContractRoutes from './routes/new.ts'
import signRoutes from './routes/sign.ts'

export { conflictMessage } from './routes/shared.ts'

const contractsRoutes: FastifyPluginAsync = async (app) => {
  // The fixed addresses (/contracts/mine, /contracts/issue, /contracts/new) before /contracts/:id.
  await registerPageModules(app, [listRoutes, bulkRoutes, newContractRoutes, editRoutes, contractRoutes, signRoutes])
}

export default contractsRoutes
