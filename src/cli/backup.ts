/**
 * `haven backup <file> [--force]` and `haven restore <file> [--force]` (issue 12; docs/adr/0013):
 * the whole database to one file and back, on the embedded database or on PostgreSQL alike.
 */
import type { Command } from '../cli.ts'
import { RestoreRefusedError } from '../db/backup.ts'
import { auditProblem, formatAnchor, verifyAuditChain, verifyAuditChainAgainst } from '../services/audit.ts'
import { BackupFileError, restoreBackup, writeBackup } from '../services/backup/file.ts'
import { parseArgs } from './args.ts'
import { UsageError } from './errors.ts'

function fileArgument(command: Command, args: string[]): { file: string; force: boolean } {
  const parsed = parseArgs(args, { flags: ['force'] })
  const [file, ...extra] = parsed.positional
  if (!file || extra.length > 0) throw new UsageError(`usage: ${command.usage}`)
  return { file, force: parsed.flags.has('force') }
}

const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`

export const backupCommand: Command = {
  name: 'backup',
  usage: 'haven backup <file> [--force]',
  summary: 'Write the whole database to a file, from one consistent snapshot',
  details: [
    'Works on the embedded database and on PostgreSQL alike, without pg_dump; a backup of either',
    'restores into either. The file is compressed, readable only by you, and holds personal data',
    'and password hashes: keep it as safely as the database. It ends with a checksum.',
    '',
    '  --force   replace the file if it exists',
    '',
    'On the embedded database, stop Haven first: only one process may open its data folder.',
  ],
  async run(ctx) {
    const { file, force } = fileArgument(backupCommand, ctx.args)
    const handle = await ctx.database()
    try {
      const summary = await writeBackup(handle.db, file, { replace: force, source: handle.kind })
      ctx.out(`Backed up ${rows(summary.rows)} from ${summary.tables} tables to ${file}`)
      if (summary.auditHead) ctx.out(`Audit log anchor at the backup: ${formatAnchor(summary.auditHead)}`)
      return 0
    } catch (error) {
      if (!(error instanceof BackupFileError)) throw error
      ctx.err(`haven: ${error.message}`)
      return 1
    }
  },
}

export const restoreCommand: Command = {
  name: 'restore',
  usage: 'haven restore <file> [--force]',
  summary: 'Restore a backup into an empty database, all or nothing, then check the audit log',
  details: [
    'Restores in one transaction: anything wrong (a damaged file, a different version of Haven)',
    'and nothing changes. Stop Haven first. The database must be empty (a new DATA_DIR, or a new',
    'PostgreSQL database: the command creates the tables), unless --force.',
    '',
    '  --force   replace everything already in the database with the backup',
    '',
    'Afterwards the audit log is verified and checked to hold the newest entry the backup had.',
  ],
  async run(ctx) {
    const { file, force } = fileArgument(restoreCommand, ctx.args)
    const handle = await ctx.database()
    let restored: Awaited<ReturnType<typeof restoreBackup>>
    try {
      restored = await restoreBackup(handle.db, file, { replace: force })
    } catch (error) {
      if (!(error instanceof BackupFileError || error instanceof RestoreRefusedError)) throw error
      ctx.err(`haven: nothing restored: ${(error as Error).message}`)
      return 1
    }
    ctx.out(
      `Restored ${rows(restored.rows)} in ${restored.tables} tables from the backup made ${restored.header.createdAt}`,
    )
    const check = restored.auditHead
      ? await verifyAuditChainAgainst(handle.db, restored.auditHead)
      : await verifyAuditChain(handle.db)
    if (check.ok) {
      ctx.out(`Audit log intact: ${check.count} ${check.count === 1 ? 'entry' : 'entries'}`)
      return 0
    }
    ctx.err(
      'problem' in check
        ? `The audit log does not hold entry ${check.anchor.id} as the backup did: run haven verify-audit`
        : auditProblem(check),
    )
    return 1
  },
}
