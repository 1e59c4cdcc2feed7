/**
 * The `haven` command. Each command is a small function over the same config and database as the
 * server. Errors print one line and exit non-zero.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from './cli/args.ts'
import { backupCommand, restoreCommand } from './cli/backup.ts'
import { UsageError } from './cli/errors.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { type DatabaseHandle, openDatabase } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { demoCommand } from './features/demo/cli.ts'
import { planCommand } from './features/planner/cli.ts'
import { complianceCommand, packsCommand, policyCommand } from './features/policy/cli.ts'
import { createAdminCommand } from './features/setup/cli.ts'
import { importStaffCommand } from './features/staff/cli.ts'
import { invitationLinkCommand } from './features/staff/invitation-cli.ts'
import { projectRoot } from './root.ts'
import {
  type AuditChainResult,
  auditAnchor,
  auditProblem,
  formatAnchor,
  parseAnchor,
  verifyAuditChain,
  verifyAuditChainAgainst,
} from './services/audit.ts'

export { UsageError }

export interface CommandContext {
  args: string[]
  config: Config
  /** Opens the database and runs migrations; closed by the runner afterwards. */
  database(): Promise<DatabaseHandle>
  out(line: string): void
  err(line: string): void
  /** Everything on standard input (for secrets such as a password). */
  readStdin(): Promise<string>
}

export interface Command {
  name: string
  usage: string
  summary: string
  /** More lines for `haven <command> --help`. */
  details?: string[]
  run(ctx: CommandContext): Promise<number>
}

const migrate: Command = {
  name: 'migrate',
  usage: 'haven migrate',
  summary: 'Apply any database migrations not yet applied',
  async run(ctx) {
    const handle = await ctx.database()
    ctx.out(`Database is up to date (${handle.kind}).`)
    return 0
  },
}

const verifyAudit: Command = {
  name: 'verify-audit',
  usage: 'haven verify-audit [--anchor | --expect <seq>:<hash>]',
  summary: 'Check that no audit log entry has been altered or removed; print or check an anchor kept elsewhere',
  details: [
    'Without options, walks the whole hash chain and names the first entry that does not verify,',
    'then checks the entries schools brought from their previous installations as when imported.',
    '',
    '  --anchor                verify, then print the newest entry as <seq>:<hash>. Keep it outside',
    '                          the database (a ticket, an email, another server), say once a day.',
    '  --expect <seq>:<hash>   verify, and check the log still holds that entry with that hash:',
    '                          entries removed from the end, or the chain rewritten, are detected.',
  ],
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { flags: ['anchor'], options: ['expect'] })
    if (parsed.positional.length > 0 || (parsed.flags.has('anchor') && parsed.options['expect'] !== undefined))
      throw new UsageError(`usage: ${verifyAudit.usage}`)
    const expected = parsed.options['expect']
    const anchor = expected === undefined ? null : parseAnchor(expected)
    if (expected !== undefined && anchor === null)
      throw new UsageError('--expect takes the anchor printed by --anchor: <seq>:<hash>, like 1234:9f86d0…')
    const handle = await ctx.database()
    const broken = (result: Exclude<AuditChainResult, { ok: true }>) => {
      ctx.err(auditProblem(result))
      return 1
    }
    if (parsed.flags.has('anchor')) {
      const result = await auditAnchor(handle.db)
      if (!result.ok) return broken(result)
      ctx.out(formatAnchor(result.anchor))
      return 0
    }
    const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`
    // The entries schools brought from their previous installations, when there are any (ADR 52).
    const brought = (n: number) =>
      n === 0 ? '' : `; ${entries(n)} brought by schools from their previous installations`
    if (anchor !== null) {
      const result = await verifyAuditChainAgainst(handle.db, anchor)
      if (result.ok) {
        ctx.out(
          `Audit log intact: ${entries(result.count)}, including entry ${anchor.id} as anchored${brought(result.brought)}`,
        )
        return 0
      }
      if (!('problem' in result)) return broken(result)
      ctx.err(
        result.problem === 'missing'
          ? `Audit log entry ${anchor.id} in the anchor is missing: entries have been removed since the anchor was taken`
          : `Audit log entry ${anchor.id} no longer has the hash in the anchor: the log has been rewritten`,
      )
      return 1
    }
    const result = await verifyAuditChain(handle.db)
    if (result.ok) {
      ctx.out(`Audit log intact: ${entries(result.count)}${brought(result.brought)}`)
      return 0
    }
    return broken(result)
  },
}

export const commands: Command[] = [
  migrate,
  createAdminCommand,
  verifyAudit,
  backupCommand,
  restoreCommand,
  importStaffCommand,
  invitationLinkCommand,
  packsCommand,
  policyCommand,
  complianceCommand,
  demoCommand,
  planCommand,
]

function version(): string {
  return JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version
}

function help(): string {
  return [
    'Usage: haven <command> [options]',
    '',
    'Commands:',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Options:',
    '  --help     Show this help',
    '  --version  Show the version',
    '',
    'Configuration comes from environment variables (see README.md).',
  ].join('\n')
}

export async function runCli(
  argv: string[],
  io: {
    out(line: string): void
    err(line: string): void
    env?: Record<string, string | undefined>
    stdin?: () => Promise<string>
  } = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  },
): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help())
    return 0
  }
  if (name === '--version' || name === '-v') {
    io.out(version())
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.err(`haven: unknown command "${name}". Run "haven --help" to see the commands.`)
    return 2
  }
  if (args.includes('--help')) {
    io.out(
      [`Usage: ${command.usage}`, '', command.summary, ...(command.details ? ['', ...command.details] : [])].join('\n'),
    )
    return 0
  }
  let handle: DatabaseHandle | undefined
  try {
    const config = loadConfig(io.env ?? process.env)
    const ctx: CommandContext = {
      args,
      config,
      out: io.out,
      err: io.err,
      readStdin: io.stdin ?? readProcessStdin,
      async database() {
        if (!handle) {
          handle = await openDatabase(config)
          await migrateToLatest(handle.db)
        }
        return handle
      },
    }
    return await command.run(ctx)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    io.err(`haven: ${message.split('\n')[0]}`)
    return error instanceof UsageError ? 2 : 1
  } finally {
    await handle?.close()
  }
}

async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError('pipe the password on standard input, for example: haven create-admin ... < password.txt')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

if (import.meta.main) {
  // Output piped into `head` and the like: stop quietly when the reader goes away.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  process.exitCode = await runCli(process.argv.slice(2))
}

export { ConfigError }
