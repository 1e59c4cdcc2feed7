/**
 * Templates (issue 7, X-01): the built-in templates of the five policy packs and the school's own
 * copies. A school copies a template and edits its copy one change per page (add, change or
 * remove a section, or a field of any kind); each save is a new version, and records keep the
 * version they were written on. Reading needs `policy.read`; copying and editing `policy.manage`.
 */
import type { FastifyPluginAsync } from 'fastify'
import { browseRoutes } from './routes/browse.ts'
import { copyRoutes } from './routes/copy.ts'
import { fieldRoutes } from './routes/fields.ts'
import { sectionRoutes } from './routes/sections.ts'

const templatesRoutes: FastifyPluginAsync = async (app) => {
  browseRoutes(app)
  copyRoutes(app)
  sectionRoutes(app)
  fieldRoutes(app)
}

export default templatesRoutes
