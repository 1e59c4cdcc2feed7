/**
 * Backup files (issue 12; docs/adr/0013): one gzip-compressed file of lines, the same from PGlite
 * and from PostgreSQL, so a backup of either restores into either.
 *
 *   {"format":"haven-backup","version":1,"createdAt":…,"source":…,"migrations":[…],"tables":[…],"auditHead":…}
 *   ["table","person"]
 *   {"id":"…","name":"…",…}                      one line per row: PostgreSQL's to_jsonb(row)
 *   ["end","person",42]
 *   …
 *   ["sequence","audit_event_id_seq","57",true]
 *   ["end-of-backup",{"tables":45,"rows":1234,"sha256":"…"}]
 *
 * The last line holds the SHA-256 of every line before it: a file cut short or changed is refused,
 * and, since restoring is one transaction, nothing is restored from it. Files are written to a
 * temporary name, only readable by their owner (they hold personal data and password hashes),
 * flushed to disk, then renamed: a failed backup never leaves a half-written file under its name.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream'
import { pipeline as pipelinePromise } from 'node:stream/promises'
import { StringDecoder } from 'node:string_decoder'
import zlib from 'node:zlib'
import { readSnapshot, restoreSnapshot, type SnapshotHeader, type SnapshotPiece } from '../../db/backup.ts'
import type { DatabaseKind, Db } from '../../db/database.ts'
import { type AuditAnchor, recordAudit } from '../audit.ts'

export const BACKUP_FORMAT = 'haven-backup'
export const BACKUP_VERSION = 1

/** A backup file that cannot be written or read: one line for the person running the command. */
export class BackupFileError extends Error {
  override name = 'BackupFileError'
}

export interface BackupHeader extends SnapshotHeader {
  format: typeof BACKUP_FORMAT
  version: typeof BACKUP_VERSION
  createdAt: string
  source: DatabaseKind
}

export interface BackupSummary {
  tables: number
  rows: number
  auditHead: AuditAnchor | null
}

/** Rows per batch handed to the database when restoring, and the most characters in one. */
const BATCH_ROWS = 500
const BATCH_CHARS = 4 * 1024 * 1024

/**
 * Writes a backup of the whole database to `file`, from one consistent snapshot. Refuses to
 * replace an existing file unless `replace`. The backup is written in the audit log.
 */
export async function writeBackup(
  db: Db,
  file: string,
  options: { replace: boolean; source: DatabaseKind; now?: Date },
): Promise<BackupSummary> {
  const target = path.resolve(file)
  if (!options.replace && fs.existsSync(target))
    throw new BackupFileError(`${file} already exists: choose another name, or add --force to replace it`)
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`)
  let out: fs.WriteStream
  try {
    out = fs.createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true })
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve())
      out.once('error', reject)
    })
  } catch (error) {
    throw new BackupFileError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  const gzip = zlib.createGzip()
  const written = pipelinePromise(gzip, out)
  written.catch(() => {})
  const hash = createHash('sha256')
  const write = async (line: string) => {
    const text = `${line}\n`
    hash.update(text, 'utf8')
    if (!gzip.write(text))
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e)
        gzip.once('error', onError)
        gzip.once('drain', () => {
          gzip.off('error', onError)
          resolve()
        })
      })
  }
  let head: AuditAnchor | null = null
  try {
    const counts = await readSnapshot(db, {
      header: async (snapshot) => {
        head = snapshot.auditHead
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: (options.now ?? new Date()).toISOString(),
          source: options.source,
          ...snapshot,
        }
        await write(JSON.stringify(header))
      },
      table: (name) => write(JSON.stringify(['table', name])),
      rows: async (lines) => {
        for (const line of lines) await write(line)
      },
      endTable: (name, count) => write(JSON.stringify(['end', name, count])),
      sequence: (name, value, isCalled) => write(JSON.stringify(['sequence', name, value, isCalled])),
    })
    gzip.end(`${JSON.stringify(['end-of-backup', { ...counts, sha256: hash.digest('hex') }])}\n`)
    await written
    await fsp.rename(temporary, target)
    await recordAudit(db, {
      action: 'backup.create',
      subjectType: 'database',
      detail: { tables: counts.tables, rows: counts.rows, auditHeadId: (head as AuditAnchor | null)?.id ?? 0 },
    })
    return { ...counts, auditHead: head }
  } catch (error) {
    gzip.destroy()
    await written.catch(() => {})
    await fsp.rm(temporary, { force: true })
    throw error
  }
}

/** The lines of a gzip file, one at a time; the file is closed when the reader stops. */
async function* fileLines(file: string): AsyncGenerator<string> {
  const source = pipeline(fs.createReadStream(file), zlib.createGunzip(), () => {})
  const decoder = new StringDecoder('utf8')
  let rest = ''
  try {
    for await (const chunk of source) {
      rest += decoder.write(chunk as Buffer)
      let start = 0
      for (let end = rest.indexOf('\n', start); end !== -1; end = rest.indexOf('\n', start)) {
        yield rest.slice(start, end)
        start = end + 1
      }
      rest = rest.slice(start)
    }
    rest += decoder.end()
    if (rest !== '') yield rest
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BackupFileError(
      code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_STREAM_PREMATURE_CLOSE'
        ? 'the file is not a Haven backup, or is damaged'
        : `cannot read the backup (${code ?? 'error'})`,
    )
  } finally {
    source.destroy()
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

function readHeader(line: string | undefined): BackupHeader {
  let header: Partial<BackupHeader> | null = null
  try {
    header = line === undefined ? null : (JSON.parse(line) as Partial<BackupHeader>)
  } catch {
    header = null
  }
  if (header === null || typeof header !== 'object' || header.format !== BACKUP_FORMAT)
    throw new BackupFileError('the file is not a Haven backup')
  if (header.version !== BACKUP_VERSION)
    throw new BackupFileError(
      `the backup is in format ${String(header.version)}, which this version of Haven cannot read`,
    )
  if (!isStringList(header.migrations) || !isStringList(header.tables) || typeof header.createdAt !== 'string')
    throw new BackupFileError('the backup is damaged: its first line is incomplete')
  return header as BackupHeader
}

/** A backup opened for reading: its header, then its pieces; the last is checked against the file's checksum. */
export async function openBackup(
  file: string,
): Promise<{ header: BackupHeader; pieces: AsyncIterable<SnapshotPiece> }> {
  try {
    const stat = await fsp.stat(file)
    if (!stat.isFile()) throw new BackupFileError(`${file} is not a file`)
  } catch (error) {
    if (error instanceof BackupFileError) throw error
    throw new BackupFileError(`cannot read ${file}: no such file`)
  }
  const lines = fileLines(file)
  const first = await lines.next()
  const header = readHeader(first.done ? undefined : first.value)
  const hash = createHash('sha256')
  hash.update(`${first.value}\n`, 'utf8')
  async function* pieces(): AsyncGenerator<SnapshotPiece> {
    const damaged = (what: string) => new BackupFileError(`the backup is damaged: ${what}`)
    let batch: string[] = []
    let chars = 0
    let rows = 0
    try {
      for await (const line of lines) {
        if (line.startsWith('{')) {
          hash.update(`${line}\n`, 'utf8')
          batch.push(line)
          chars += line.length
          rows++
          if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
            yield { kind: 'rows', lines: batch }
            batch = []
            chars = 0
          }
          continue
        }
        if (batch.length > 0) {
          yield { kind: 'rows', lines: batch }
          batch = []
          chars = 0
        }
        let parsed: unknown
        try {
          parsed = JSON.parse(line)
        } catch {
          throw damaged('a line cannot be read')
        }
        if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') throw damaged('a line cannot be read')
        const [kind, a, b, c] = parsed as [string, unknown, unknown, unknown]
        if (kind === 'end-of-backup') {
          const footer = a as { rows?: unknown; sha256?: unknown } | null
          if (footer?.sha256 !== hash.digest('hex')) throw damaged('its checksum does not match its contents')
          if (footer.rows !== rows) throw damaged('it does not hold the rows it should')
          if (!(await lines.next()).done) throw damaged('there is more after its last line')
          return
        }
        hash.update(`${line}\n`, 'utf8')
        if (kind === 'table' && typeof a === 'string') yield { kind: 'table', name: a }
        else if (kind === 'end' && typeof a === 'string' && typeof b === 'number')
          yield { kind: 'end', name: a, count: b }
        else if (kind === 'sequence' && typeof a === 'string' && typeof b === 'string' && typeof c === 'boolean')
          yield { kind: 'sequence', name: a, value: b, isCalled: c }
        else throw damaged('a line cannot be read')
      }
      throw new BackupFileError('the backup is incomplete: it ends before its last line')
    } finally {
      await lines.return(undefined)
    }
  }
  return { header, pieces: pieces() }
}

/**
 * Restores a backup into this database in one transaction: refused when the database holds
 * anything unless `replace`. The restore is written in the audit log, in the same transaction.
 */
export async function restoreBackup(
  db: Db,
  file: string,
  options: { replace: boolean },
): Promise<BackupSummary & { header: BackupHeader }> {
  const { header, pieces } = await openBackup(file)
  const counts = await restoreSnapshot(db, header, pieces, {
    replace: options.replace,
    finish: (trx) =>
      recordAudit(trx, {
        action: 'backup.restore',
        subjectType: 'database',
        detail: { createdAt: header.createdAt, source: header.source, auditHeadId: header.auditHead?.id ?? 0 },
      }),
  })
  return { ...counts, auditHead: header.auditHead, header }
}
