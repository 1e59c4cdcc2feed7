/**
 * The process that makes an evidence pack on PostgreSQL (ADR 53): forked by `apart.ts` with
 * V8 tuned for size, it imports only the pack's modules (not the web server's), opens its own
 * connection, makes one pack and exits, so the pack's memory is its own and is given back when it
 * is done. The request comes over IPC (the connection string never in its arguments); the ZIP
 * goes out on stdout; what happened goes back over IPC: `started` (the pack is recorded and
 * audited, the file's name), then `done` with this process's peak resident set and CPU time, or `no-policy`,
 * or `failed`. Started with `--prepare`, it loads its modules and exits (to fill the compile cache).
 *
 * Its memory is mostly its modules (issue 16: under 150 MB), so it loads the pack's modules only
 * after telling Node that pdfkit's fontkit is `standard-fonts-only.ts`: Haven's PDFs use the
 * standard fonts, and fontkit alone is about 20 MB resident.
 */
import { registerHooks } from 'node:module'
import { finished } from 'node:stream/promises'
import type { PackJob, PackMessage } from './apart.ts'

const standardFontsOnly = new URL('../pdf/standard-fonts-only.ts', import.meta.url).href
registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === 'fontkit' ? { url: standardFontsOnly, shortCircuit: true } : nextResolve(specifier, context),
})
const [{ openPostgres }, { NoPolicyError }, { startEvidencePack }] = await Promise.all([
  import('../../db/database.ts'),
  import('../compliance/school-compliance.ts'),
  import('./pack.ts'),
])

// stdout carries the ZIP: nothing else may write to it.
console.log = console.error
console.info = console.error

const send = (message: PackMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })

async function make(job: PackJob): Promise<void> {
  // A process that keeps nothing between requests: no listener for other instances' writes (ADR 54).
  const handle = await openPostgres(job.databaseUrl, { max: 2, listen: false })
  try {
    const pack = await startEvidencePack(handle.db, {
      school: job.school,
      range: job.range,
      actorId: job.actorId,
      ip: job.ip,
      today: job.today,
      now: new Date(job.now),
      content: job.content,
    })
    await send({ type: 'started', fileName: pack.fileName })
    // A pipe's stdout is written synchronously on Linux (a slow download holds the making back):
    // once the archive has ended, every byte is in the pipe.
    pack.stream.pipe(process.stdout)
    await Promise.all([pack.done, finished(pack.stream)])
    const { user, system } = process.cpuUsage()
    await send({ type: 'done', maxRss: process.resourceUsage().maxRSS * 1024, cpuMs: (user + system) / 1000 })
  } catch (error) {
    if (error instanceof NoPolicyError) await send({ type: 'no-policy' })
    else {
      const err = error instanceof Error ? error : new Error(String(error))
      await send({ type: 'failed', name: err.name, message: err.message })
      process.exitCode = 1
    }
  } finally {
    await handle.close()
  }
}

if (process.argv.includes('--prepare')) process.exit(0)
process.once('message', (job: PackJob) => {
  void make(job).finally(() => process.disconnect?.())
})
