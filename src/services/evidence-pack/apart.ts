/**
 * The evidence pack made in a process of its own (ADR 53), for a Haven on PostgreSQL: the web
 * server holds everything Haven does (about 150 MB before any pack), so a pack made inside it
 * could never be made in the memory asked (issue 16: under 150 MB). `child.ts` is forked for each
 * pack with V8 tuned for size and the compile cache on; it imports only the pack's modules, opens
 * its own connection, records and audits the pack as `startEvidencePack` does, and streams the ZIP
 * back; this side hands it on as the response. The same guarantees as in process: NoPolicyError
 * before anything is recorded, and a pack that fails part way ends the download in an error,
 * never as a short ZIP. A download given up kills the process.
 *
 * PGlite cannot be opened by two processes: an embedded Haven makes the pack in process
 * (`startEvidencePack`), its database's memory in the same process anyway.
 */
import { type ChildProcess, fork } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { IsoDate } from '../../domain/calendar/index.ts'
import type { PackRange } from '../../domain/evidence-pack/index.ts'
import { NoPolicyError } from '../compliance/school-compliance.ts'
import type { OverviewSchool } from '../overview/facts.ts'
import type { PackRequest, StartedPack } from './pack.ts'

/** What the pack's process is given (over IPC). */
export interface PackJob {
  databaseUrl: string
  school: OverviewSchool
  range: PackRange
  actorId: string
  ip: string | null
  today: IsoDate
  /** The request's instant (the app's clock), as ISO 8601. */
  now: string
  content: { reason: string } | null
}

/** What making the pack cost its process: its peak resident set (bytes) and its CPU time (ms). */
export interface PackUsage {
  maxRss: number
  cpuMs: number
}

/** What the pack's process says back. */
export type PackMessage =
  | { type: 'started'; fileName: string }
  | ({ type: 'done' } & PackUsage)
  | { type: 'no-policy' }
  | { type: 'failed'; name: string; message: string }

const childEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts')

/**
 * V8 tuned for a short-lived process that holds one school's data: the heap grows and is
 * collected for size rather than speed, and the young generation is kept small.
 */
export const packProcessFlags: readonly string[] = ['--optimize-for-size', '--max-semi-space-size=1']

/**
 * Where the pack's process keeps its compiled modules (Node's compile cache, checked against
 * each file's contents): with it, the process skips TypeScript's stripping and its compiler. A
 * directory of this server's own, made when first asked for and readable by no other user (a
 * shared, well-known folder under the system's temporary folder could be filled by someone else
 * first with code for Haven to run), removed when the server exits.
 */
let compileCacheDir: string | undefined
export function packCompileCache(): string {
  if (!compileCacheDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-pack-'))
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
    compileCacheDir = dir
  }
  return compileCacheDir
}

/**
 * glibc's allocator told to give memory back: two arenas rather than one per thread, and large
 * blocks mapped apart and returned when freed (about 5 MB of the process's resident set).
 */
const allocatorSettings = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '65536',
  MALLOC_TRIM_THRESHOLD_: '65536',
}

function forkPackProcess(compileCache: string | null, args: string[] = []): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...allocatorSettings }
  if (compileCache) env.NODE_COMPILE_CACHE = compileCache
  else delete env.NODE_COMPILE_CACHE
  return fork(childEntry, args, {
    execArgv: [...packProcessFlags],
    env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    serialization: 'json',
  })
}

/**
 * Loads the pack's modules once in a process of the pack's kind, so the first pack after Haven
 * starts finds them compiled (the compile cache is kept by V8 flags: the server's own is no use).
 * Resolves when that process has exited; never rejects.
 */
export function preparePackProcess(compileCache: string = packCompileCache()): Promise<void> {
  return new Promise((resolve) => {
    const child = forkPackProcess(compileCache, ['--prepare'])
    child.stdout?.resume()
    child.once('error', () => resolve())
    child.once('exit', () => resolve())
  })
}

export interface StartedPackApart extends StartedPack {
  /** What the process that made it cost, once it is done. */
  usage: Promise<PackUsage>
}

/**
 * Starts a pack in its own process on the PostgreSQL database at `databaseUrl`. Resolves once it
 * is recorded and audited; throws NoPolicyError (nothing recorded) when the school has no policy,
 * and an Error when the process could not start the pack.
 */
export function startEvidencePackApart(
  databaseUrl: string,
  request: PackRequest,
  options: { compileCache?: string | null } = {},
): Promise<StartedPackApart> {
  const child = forkPackProcess(options.compileCache === undefined ? packCompileCache() : options.compileCache)
  const job: PackJob = {
    databaseUrl,
    school: request.school,
    range: request.range,
    actorId: request.actorId,
    ip: request.ip ?? null,
    today: request.today,
    now: request.now.toISOString(),
    content: request.content,
  }
  const stream = new PassThrough()
  let ended = false
  let outcome: PackUsage | Error | null = null
  let settleDone: { resolve: (usage: PackUsage) => void; reject: (error: Error) => void }
  const finished = new Promise<PackUsage>((resolve, reject) => {
    settleDone = { resolve, reject }
  })
  // Whoever reads `done` hears of a failure; `usage` may go unread.
  finished.catch(() => {})
  // The download ends whole only when the process said it finished and every byte has come.
  const settle = () => {
    if (outcome instanceof Error) {
      stream.destroy(outcome)
      settleDone.reject(outcome)
    } else if (outcome && ended) {
      stream.end()
      settleDone.resolve(outcome)
    }
  }
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!stream.write(chunk)) {
      child.stdout!.pause()
      stream.once('drain', () => child.stdout!.resume())
    }
  })
  child.stdout!.once('end', () => {
    ended = true
    settle()
  })
  // A download given up (or cut) stops the making.
  stream.once('close', () => {
    if (outcome === null && child.exitCode === null && child.signalCode === null) child.kill()
  })

  return new Promise<StartedPackApart>((resolve, reject) => {
    let started = false
    const fail = (error: Error) => {
      if (!started) return reject(error)
      if (outcome === null) {
        outcome = error
        settle()
      }
    }
    child.on('message', (message: PackMessage) => {
      if (message.type === 'started') {
        started = true
        resolve({
          fileName: message.fileName,
          stream,
          done: finished.then(() => undefined),
          usage: finished,
        })
      } else if (message.type === 'done') {
        outcome = { maxRss: message.maxRss, cpuMs: message.cpuMs }
        settle()
      } else if (message.type === 'no-policy') {
        reject(new NoPolicyError('This school has no supervision policy yet'))
      } else {
        const error = new Error(message.message)
        error.name = message.name
        fail(error)
      }
    })
    child.once('error', (error) => fail(error))
    // After its exit and every message and byte it sent.
    child.once('close', (code, signal) => {
      if (outcome === null) fail(new Error(`the evidence pack's process stopped (${signal ?? `exit ${code}`})`))
    })
    child.send(job)
  })
}
