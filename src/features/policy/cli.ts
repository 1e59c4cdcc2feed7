/**
 * Policy commands: `haven packs`, `haven policy validate|export|import`, `haven compliance`.
 */
import fs from 'node:fs/promises'
import { parseArgs } from '../../cli/args.ts'
import { UsageError } from '../../cli/errors.ts'
import type { Command, CommandContext } from '../../cli.ts'
import { isValidIsoDate } from '../../domain/calendar/index.ts'
import { type PolicyProblem, validatePolicy } from '../../domain/policy/index.ts'
import { listPacks } from '../../packs/index.ts'
import { schoolCompliance, todayInLondon } from '../../services/compliance/school-compliance.ts'
import { policyVersions, savePolicyVersion } from '../../services/policy/store.ts'
import { schoolBySlug as findSchoolBySlug } from '../../services/staff/schools.ts'
import { MAX_POLICY_BYTES, readJsonText } from './json-text.ts'

export async function schoolBySlug(ctx: CommandContext, slug: string | undefined) {
  if (!slug) throw new UsageError('name the school by its short name, for example: oakfield')
  const { db } = await ctx.database()
  const school = await findSchoolBySlug(db, slug)
  if (!school) throw new Error(`no school has the short name "${slug}"`)
  return school
}

async function readJsonFile(path: string): Promise<unknown> {
  let text: string
  try {
    const stat = await fs.stat(path)
    if (stat.size > MAX_POLICY_BYTES) throw new Error(`${path} is larger than 2 MB: it is not a policy file`)
    text = await fs.readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${path} does not exist`)
    throw error
  }
  const read = readJsonText(text)
  if (read.ok) return read.value
  throw new Error(`${path} is not valid JSON: line ${read.line}, column ${read.column}: ${read.message}`)
}

/**
 * Each problem on its own line, led by its JSON path in the file (`requirements[0].frequency.every`)
 * so it can be found; a problem with the file as a whole says so.
 */
export function problemLines(problems: readonly PolicyProblem[]): string[] {
  return problems.map((p) => `  ${p.path === '' ? '(the whole file)' : p.path}: ${p.message}`)
}

export const packsCommand: Command = {
  name: 'packs',
  usage: 'haven packs',
  summary: 'List the policy packs a school can start from',
  async run(ctx) {
    for (const pack of listPacks()) ctx.out(`${pack.id.padEnd(16)} ${pack.school.padEnd(42)} ${pack.summary}`)
    return 0
  },
}

export const policyCommand: Command = {
  name: 'policy',
  usage:
    'haven policy validate <file> | export <school> | import <school> <file> [--effective YYYY-MM-DD] [--reason TEXT]',
  summary: 'Check a policy file, or export and import a school’s policy as JSON',
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { options: ['effective', 'reason'] })
    const [sub, a, b] = parsed.positional
    if (sub === 'validate') {
      if (!a) throw new UsageError('name the policy file: haven policy validate <file>')
      const result = validatePolicy(await readJsonFile(a))
      if (result.ok) {
        ctx.out(`${a}: valid (${result.policy.metadata.title}, version ${result.policy.version})`)
        return 0
      }
      ctx.err(`${a}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`)
      for (const line of problemLines(result.problems)) ctx.err(line)
      return 1
    }
    if (sub === 'export') {
      const school = await schoolBySlug(ctx, a)
      const versions = await policyVersions((await ctx.database()).db, school.id)
      const latest = versions.at(-1)
      if (!latest) throw new Error(`${school.slug} has no policy yet`)
      ctx.out(JSON.stringify(latest.document, null, 2))
      return 0
    }
    if (sub === 'import') {
      const school = await schoolBySlug(ctx, a)
      if (!b) throw new UsageError('name the policy file: haven policy import <school> <file>')
      const effective = parsed.options.effective
      if (effective !== undefined && !isValidIsoDate(effective))
        throw new UsageError('--effective must be a date like 2026-09-01')
      const result = await savePolicyVersion((await ctx.database()).db, {
        schoolId: school.id,
        organisationId: school.organisationId,
        document: await readJsonFile(b),
        effectiveFrom: effective,
        actorId: null,
        today: todayInLondon(),
        // a version that takes effect before today needs a reason (--reason).
        reason: parsed.options.reason ?? null,
      })
      if (!result.ok) {
        ctx.err(`${b}: nothing was saved; ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`)
        for (const line of problemLines(result.problems)) ctx.err(line)
        return 1
      }
      ctx.out(`Saved as version ${result.version} of the policy of ${school.name}`)
      return 0
    }
    throw new UsageError('say what to do: validate, export or import')
  },
}

const statusWords: Record<string, string> = {
  'not-required': 'not required',
  compliant: 'compliant',
  'due-soon': 'due soon',
  overdue: 'overdue',
  'never-supervised': 'never supervised',
}

export const complianceCommand: Command = {
  name: 'compliance',
  usage: 'haven compliance <school> [--on YYYY-MM-DD] [--json]',
  summary: 'Who must be supervised, why, and who is due or overdue',
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { options: ['on'], flags: ['json'] })
    const school = await schoolBySlug(ctx, parsed.positional[0])
    const on = parsed.options.on ?? todayInLondon()
    if (!isValidIsoDate(on)) throw new UsageError('--on must be a date like 2026-11-23')
    const results = await schoolCompliance((await ctx.database()).db, school.id, on)
    if (parsed.flags.has('json')) {
      ctx.out(
        JSON.stringify(
          results.map((r) => ({
            personId: r.personId,
            name: r.name,
            required: r.required,
            reason: r.reason,
            status: r.status,
            lastSession: r.lastSession,
            nextDue: r.nextDue,
            breaches: r.breaches,
            requirements: r.requirements,
            openRebookings: r.openRebookings,
            escalations: r.escalations,
          })),
          null,
          2,
        ),
      )
      return 0
    }
    const width = Math.max(4, ...results.map((r) => r.name.length))
    ctx.out(`Compliance at ${school.name} on ${on}`)
    ctx.out(`${'Name'.padEnd(width)}  ${'Status'.padEnd(16)}  ${'Last'.padEnd(10)}  ${'Next due'.padEnd(10)}  Why`)
    for (const r of results) {
      ctx.out(
        `${r.name.padEnd(width)}  ${statusWords[r.status]!.padEnd(16)}  ${(r.lastSession ?? '-').padEnd(10)}  ${(r.nextDue ?? '-').padEnd(10)}  ${r.reason}`,
      )
      for (const breach of r.breaches) ctx.out(`${''.padEnd(width)}  breach: ${breach.message}`)
    }
    const required = results.filter((r) => r.required)
    const ok = required.filter((r) => r.status === 'compliant' || r.status === 'due-soon').length
    ctx.out(
      `${required.length} must be supervised; ${ok} up to date; ${required.length - ok} overdue or never supervised`,
    )
    return 0
  },
}
