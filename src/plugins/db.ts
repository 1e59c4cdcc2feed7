import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { DatabaseHandle, Db } from '../db/database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    database: DatabaseHandle
  }
}

/** Makes the database available to routes and services, and closes it when the app closes. */
const dbPlugin: FastifyPluginAsync<{ database: DatabaseHandle; closeOnShutdown: boolean }> = async (app, opts) => {
  app.decorate('db', opts.database.db)
  app.decorate('database', opts.database)
  if (opts.closeOnShutdown) app.addHook('onClose', async () => opts.database.close())
}

export default fp(dbPlugin, { name: 'db' })
