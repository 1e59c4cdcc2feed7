/**
 * `haven import-staff <school-slug> <file> [--dry-run]`: imports a staff CSV from the command line,
 * all or nothing, as the web import does. Prints what it would do (or did), or every problem as
 * `row N, column X: message`; exits 1 on any problem.
 */
import fs from 'node:fs/promises'
import { parseArgs } from '../../cli/args.ts'
import { UsageError } from '../../cli/errors.ts'
import type { Command } from '../../cli.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { type StaffImportError, staffCsvLimits } from '../../domain/people/staff-csv/index.ts'
import { applyStaffImport, type ImportCounts, planImportFor } from '../../services/staff/import.ts'
import { schoolBySlug } from '../../services/staff/schools.ts'

export function describeImportError(error: StaffImportError): string {
  const where = [
    error.row === null ? null : `row ${error.row}`,
    error.column === null ? null : `column ${error.column}`,
  ]
    .filter((x) => x !== null)
    .join(', ')
  return where ? `${where}: ${error.message}` : error.message
}

function summary(counts: ImportCounts, dryRun: boolean): string {
  const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`
  const verb = dryRun ? 'would add' : 'added'
  return `${dryRun ? 'Dry run: ' : ''}${verb} ${people(counts.created)}, ${dryRun ? 'would update' : 'updated'} ${people(counts.updated)}, ${people(counts.unchanged)} already up to date, ${people(counts.notInFile)} in Haven but not in the file (left as they are).${
    counts.scopeDecisions > 0
      ? ` ${dryRun ? 'Would decide' : 'Decided'} by name whether ${people(counts.scopeDecisions)} must receive supervision.`
      : ''
  }`
}

/** Reads at most the import limit plus one byte, so a huge file is refused without reading it all. */
async function readLimited(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r')
  try {
    const buffer = Buffer.alloc(staffCsvLimits.maxBytes + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}

export const importStaffCommand: Command = {
  name: 'import-staff',
  usage: 'haven import-staff <school-slug> <file> [--dry-run]',
  summary: 'Import staff from a CSV file exported from the school’s MIS, all or nothing',
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { flags: ['dry-run'] })
    const [slug, file, ...extra] = parsed.positional
    if (!slug || !file || extra.length > 0) throw new UsageError(`usage: ${importStaffCommand.usage}`)
    const dryRun = parsed.flags.has('dry-run')
    let buffer: Buffer
    try {
      buffer = await readLimited(file)
    } catch (error) {
      const code = (error as { code?: string }).code
      ctx.err(
        `haven: cannot read ${file}${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a folder' : ''}`,
      )
      return 1
    }
    const handle = await ctx.database()
    const school = await schoolBySlug(handle.db, slug)
    if (!school) {
      ctx.err(`haven: no school has the short name "${slug}"`)
      return 1
    }
    const target = { organisationId: school.organisationId, schoolId: school.id }
    const who = { actor: null, canSetAdditionalSupport: true }
    const report = (errors: readonly StaffImportError[]) => {
      for (const error of errors) ctx.err(describeImportError(error))
      ctx.err(`${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}: nothing imported.`)
      return 1
    }
    if (dryRun) {
      const planned = await planImportFor(handle.db, target, buffer, who)
      if (!planned.ok) return report(planned.errors)
      const { plan } = planned
      ctx.out(
        summary(
          {
            created: plan.creates.length,
            updated: plan.updates.length,
            unchanged: plan.unchanged.length,
            notInFile: plan.notInFile.length,
            scopeDecisions: plan.scopeDecisions.length,
          },
          true,
        ),
      )
      return 0
    }
    const result = await applyStaffImport(handle.db, {
      ...target,
      ...who,
      buffer,
      expectedDigest: null,
      source: 'cli',
      today: londonDateOf(new Date()),
    })
    if (result.outcome === 'errors') return report(result.errors)
    if (result.outcome === 'changed') return 1 // not reachable without an expected digest
    ctx.out(`${school.name}: ${summary(result.counts, false)}`)
    return 0
  },
}
