/**
 * `haven plan <school> --year YYYY-YY [--on YYYY-MM-DD] [--json]`: the annual planner's proposal
 * for a school's year (CA-02, MW-01, MW-04), printed, not saved. `--on` plans as if today were
 * that day (sessions are proposed from the day after).
 */
import { parseArgs } from '../../cli/args.ts'
import { UsageError } from '../../cli/errors.ts'
import type { Command } from '../../cli.ts'
import { halfTermOn, isValidIsoDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { planYear } from '../../domain/planning/index.ts'
import { todayInLondon } from '../../services/compliance/school-compliance.ts'
import { loadPlanInput } from '../../services/planning/inputs.ts'
import { clockText, longDayDate } from '../../services/planning/wording.ts'
import { schoolBySlug } from '../policy/cli.ts'

export const planCommand: Command = {
  name: 'plan',
  usage: 'haven plan <school> --year YYYY-YY [--on YYYY-MM-DD] [--json]',
  summary: 'Propose every required supervision session for a school’s academic year',
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { options: ['year', 'on'], flags: ['json'] })
    const year = parsed.options.year
    if (!year) throw new UsageError('--year is required, for example: --year 2026-27')
    if (!parseAcademicYearId(year)) throw new UsageError('--year must be an academic year like 2026-27')
    const on = parsed.options.on ?? todayInLondon()
    if (!isValidIsoDate(on)) throw new UsageError('--on must be a date like 2026-08-31')
    const school = await schoolBySlug(ctx, parsed.positional[0])
    const { db } = await ctx.database()
    const loaded = await loadPlanInput(db, school.id, year, on)
    const result = planYear(loaded.input)
    const name = (id: string) => loaded.names.get(id) ?? id
    if (parsed.flags.has('json')) {
      ctx.out(
        JSON.stringify(
          {
            school: school.slug,
            yearId: result.yearId,
            from: result.from,
            until: result.until,
            limits: loaded.input.limits,
            proposals: result.proposals.map((p) => ({
              ...p,
              supervisee: name(p.superviseeId),
              supervisor: name(p.supervisorId),
              type: loaded.typeNames.get(p.typeId) ?? p.typeId,
            })),
            unplaceable: result.unplaceable.map((u) => ({ ...u, name: name(u.personId) })),
          },
          null,
          2,
        ),
      )
      return 0
    }
    ctx.out(
      `Proposed sessions for ${school.name}, ${result.yearId}, from ${longDayDate(result.from)} to ${longDayDate(result.until)}`,
    )
    let half = ''
    const width = Math.max(10, ...result.proposals.map((p) => name(p.superviseeId).length))
    for (const p of result.proposals) {
      const here = halfTermOn(loaded.input.calendar, p.date)?.halfTerm.name ?? 'Outside term'
      if (here !== half) {
        half = here
        ctx.out('')
        ctx.out(here)
      }
      ctx.out(
        `  ${longDayDate(p.date).padEnd(30)} ${clockText(p.startTime).padEnd(8)} ${name(p.superviseeId).padEnd(width)}  with ${name(p.supervisorId)} (${loaded.typeNames.get(p.typeId) ?? p.typeId})`,
      )
    }
    if (result.unplaceable.length > 0) {
      ctx.out('')
      ctx.out('Not planned')
      for (const u of result.unplaceable) ctx.out(`  ${name(u.personId)}: ${u.reason}`)
    }
    const people = new Set(result.proposals.map((p) => p.superviseeId)).size
    ctx.out('')
    ctx.out(
      `${result.proposals.length} session${result.proposals.length === 1 ? '' : 's'} for ${people} ${people === 1 ? 'person' : 'people'}; ${result.unplaceable.length} not planned. Nothing has been saved: confirm a plan at /planner.`,
    )
    return 0
  },
}
