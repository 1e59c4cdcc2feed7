/**
 * The migrated templates that test databases start from, and the server-side helpers that make
 * them. Kept apart from database.ts because scripts/test.ts builds them once for a whole run, outside
 * the test runner.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openPglite, openPostgres } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

export type TestDatabaseKind = 'pglite' | 'postgres'

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.HAVEN_TEST_DB === 'postgres' ? 'postgres' : 'pglite'
}

/**
 * Builds the migrated PGlite template in the empty directory `root`: its dump (`root/data.tar`,
 * loaded into memory for the tests' own instances, which is much faster than a disk) and the same
 * files as a data directory (`root/disk`, copied for databases other code opens by DATA_DIR; the
 * directory it was built in, `root/data`, holds three times as much, which every copy cost).
 */
export async function buildPgliteTemplate(root: string): Promise<void> {
  const handle = await openPglite({ dataDir: path.join(root, 'data') })
  try {
    await migrateToLatest(handle.db)
    // PGlite starts with PostgreSQL's 128 MB of shared buffers, and clearing them was most of the
    // CPU of loading the template (about 2.3 s, once per test process and per database of a test's
    // own). A test database holds a few hundred rows: 16 MB is plenty, and loads in about 1.4 s.
    // Production keeps the default (src/db/database.ts is not touched).
    await handle.pglite.exec(`alter system set shared_buffers = '16MB'`)
    // A new write-ahead log segment, then a checkpoint in it, so that an instance loading the dump
    // starts without replaying the migrations (a tenth less CPU at each load) and needs no earlier
    // segment (see trimmedDump).
    await handle.pglite.exec('select pg_switch_wal()')
    await handle.pglite.exec('checkpoint')
    const dump = await handle.pglite.dumpDataDir('none')
    const { rows } = await handle.pglite.query<{ segment: string; used: number }>(
      `select pg_walfile_name(pg_current_wal_lsn()) as segment,
              ((pg_current_wal_lsn() - '0/0'::pg_lsn) % pg_size_bytes(current_setting('wal_segment_size')))::int as used`,
    )
    const wal = { segment: rows[0]!.segment, used: rows[0]!.used }
    const trimmed = trimmedDump(Buffer.from(await dump.arrayBuffer()), wal)
    fs.writeFileSync(path.join(root, 'data.tar'), trimmed)
    extractTar(trimmed, path.join(root, 'disk'))
  } finally {
    await handle.close()
  }
}

/**
 * The dump with only what a test database needs, since every test database loads the whole dump
 * into memory, where the less it holds, the less it costs (ADR 4). The dump is a plain tar: each
 * entry a 512-byte header (its name at the start, its size in octal at byte 124, a checksum at
 * byte 148) and its data in 512-byte blocks. Left out:
 * - the files of PostgreSQL's template databases (template1 and template0, 14 of its 45 MB):
 *   Haven and its tests use the `postgres` database only and never make another. Their
 *   directories stay, empty.
 * - the write-ahead log but for the segment holding the last checkpoint, `wal.segment`, cut after
 *   the page where writing stopped (`wal.used` bytes in): 16 MB of every database's memory was a
 *   segment's unused tail. PostgreSQL reads the log up to the end of what was written, and writes
 *   on from there, growing the file as it goes.
 */
export function trimmedDump(tar: Buffer, wal: { segment: string; used: number }): Buffer {
  const kept: Buffer[] = []
  const walPage = 8192
  for (const entry of tarEntries(tar)) {
    const segment = /^\/pg_wal\/[0-9A-F]{24}$/.test(entry.name) ? entry.name.slice('/pg_wal/'.length) : null
    if (segment === wal.segment) {
      const length = Math.min(entry.size, (Math.floor(wal.used / walPage) + 1) * walPage)
      kept.push(withSize(entry.header, length), entry.data.subarray(0, length))
    } else if (
      segment === null &&
      !templateDatabaseDirs.some((dir) => entry.name.startsWith(dir) && entry.name.length > dir.length)
    )
      kept.push(entry.block)
  }
  kept.push(Buffer.alloc(1024))
  return Buffer.concat(kept)
}

/**
 * The entries of a plain tar, each a 512-byte header (its name at the start, its size in octal at
 * byte 124, its type at byte 156: '5' a directory) and its data in 512-byte blocks, up to the
 * first empty header.
 */
function* tarEntries(
  tar: Buffer,
): Generator<{ header: Buffer; name: string; size: number; directory: boolean; data: Buffer; block: Buffer }> {
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512)
    if (header.every((byte) => byte === 0)) return
    const field = (start: number, length: number) => header.toString('latin1', start, start + length).split('\0')[0]!
    const size = Number.parseInt(field(124, 12).trim() || '0', 8)
    const end = at + 512 + Math.ceil(size / 512) * 512
    const data = tar.subarray(at + 512, at + 512 + size)
    yield { header, name: field(0, 100), size, directory: field(156, 1) === '5', data, block: tar.subarray(at, end) }
    at = end
  }
}

/** Writes a plain tar's directories and files under `dir`. */
function extractTar(tar: Buffer, dir: string) {
  for (const entry of tarEntries(tar)) {
    const target = path.join(dir, entry.name)
    if (entry.directory) fs.mkdirSync(target, { recursive: true })
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.writeFileSync(target, entry.data)
    }
  }
}

/** A copy of a tar header with another size (a whole number of 512-byte blocks) and its checksum. */
function withSize(header: Buffer, size: number): Buffer {
  const copy = Buffer.from(header)
  copy.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'latin1')
  copy.fill(0x20, 148, 156)
  const sum = copy.reduce((total, byte) => total + byte, 0)
  copy.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1')
  return copy
}

// template1 and template0, by the object ids initdb gives them (PostgreSQL's pg_database.dat).
const templateDatabaseDirs = ['/base/1/', '/base/4/']

const scratchDirs: string[] = []
process.on('exit', () => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A new directory under the system's temporary folder, removed when the process exits. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  scratchDirs.push(dir)
  return dir
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL must be set to run the integration tests on PostgreSQL')
  return url
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function runAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Creates a migrated template database on the server; returns its name. */
export async function createPostgresTemplate(): Promise<string> {
  const name = `haven_tpl_${process.pid}_${crypto.randomBytes(3).toString('hex')}`
  await runAdmin(`create database ${name}`)
  const tpl = await openPostgres(withDatabase(adminUrl(), name), { max: 1 })
  try {
    await migrateToLatest(tpl.db)
  } finally {
    await tpl.close()
  }
  return name
}
