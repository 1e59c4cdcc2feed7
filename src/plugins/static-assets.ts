import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'
import { projectRoot } from '../root.ts'

/** Static files: Haven's built CSS/JS and images under /public, govuk-frontend's assets under /assets. */
const staticAssets: FastifyPluginAsync = async (app) => {
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), access: 'public' }
  })
  const cacheControl = { maxAge: '1d', immutable: false, cacheControl: true }
  await app.register(fastifyStatic, { root: path.join(projectRoot, 'public'), prefix: '/public/', ...cacheControl })
  await app.register(fastifyStatic, {
    root: path.join(projectRoot, 'node_modules/govuk-frontend/dist/govuk/assets'),
    prefix: '/assets/',
    decorateReply: false,
    ...cacheControl,
  })
}

export default staticAssets
