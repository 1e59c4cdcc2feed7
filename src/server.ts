/**
 * Process entry: load config, open the database, migrate, build the app, listen; on SIGTERM or
 * SIGINT stop taking requests, let in-flight ones finish, close the database and exit 0.
 */
import { buildApp } from './app.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { openDatabase } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { londonDateOf } from './domain/calendar/index.ts'
import { warmUpGovernors } from './features/governors/routes.ts'
import { backgroundJobs } from './jobs/index.ts'
import { type Scheduler, startScheduler } from './jobs/scheduler.ts'
import { preparePackProcess } from './services/evidence-pack/apart.ts'
import { rollupRecountsSettled } from './services/trust/rollup.ts'

function stop(message: string): never {
  process.stderr.write(`haven: ${message}\n`)
  process.exit(1)
}

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) stop(error.message)
    throw error
  }

  const database = await openDatabase(config, { server: true }).catch((error: Error) =>
    stop(`could not open the database: ${error.message}`),
  )
  try {
    await migrateToLatest(database.db)
  } catch (error) {
    await database.close()
    stop((error as Error).message)
  }

  const app = await buildApp({ config, database })
  // Background jobs (mail, and later reminders and escalations): add jobs in src/jobs/index.ts.
  let scheduler: Scheduler | undefined
  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting')
      process.exit(1)
    }, config.shutdownTimeoutSeconds * 1000)
    timer.unref()
    try {
      await scheduler?.stop()
      // Counts of the trust rollup going on in the background end before the database closes.
      await rollupRecountsSettled()
      await app.close()
      app.log.info('stopped cleanly')
      process.exit(0)
    } catch (error) {
      app.log.error({ err: error }, 'error while shutting down')
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  // Before taking requests, the governors' report is worked out and its page rendered, nothing
  // kept, so the first one anyone asks for finds its code run (ADR 56); at most 10 seconds are waited for.
  if (config.warmUp) {
    const started = performance.now()
    const warmed = warmUpGovernors(database.db, londonDateOf(app.clock())).then(
      ({ schoolId, pages }) =>
        app.log.info({ schoolId, pages, ms: Math.round(performance.now() - started) }, 'governors’ report warmed up'),
      (error: unknown) => app.log.warn({ err: error }, 'the governors’ report warm-up failed'),
    )
    await Promise.race([warmed, new Promise((resolve) => setTimeout(resolve, 10_000).unref())])
  }

  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    await app.close()
    stop(`could not listen on ${config.host}:${config.port}: ${(error as Error).message}`)
  }
  app.log.info({ database: database.kind, url: config.baseUrl }, 'Haven is running')
  // The evidence pack's process finds its modules compiled (ADR 53).
  if (database.kind === 'postgres') void preparePackProcess()

  if (config.schedulerIntervalSeconds > 0 && !shuttingDown) {
    const log = app.log.child({ component: 'scheduler' })
    scheduler = startScheduler({
      db: database.db,
      log,
      intervalSeconds: config.schedulerIntervalSeconds,
      jobs: backgroundJobs(config, log, database.db),
    })
  }
}

await main()
