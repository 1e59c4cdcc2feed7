/** `haven demo --pack <id>`: a demonstration school with staff and a term of history. */
import { parseArgs, required } from '../../cli/args.ts'
import { UsageError } from '../../cli/errors.ts'
import type { Command } from '../../cli.ts'
import { isValidIsoDate } from '../../domain/calendar/index.ts'
import { paths } from '../../paths/index.ts'
import { todayInLondon } from '../../services/compliance/school-compliance.ts'
import { buildDemo } from '../../services/demo/build-demo.ts'

export const demoCommand: Command = {
  name: 'demo',
  usage: 'haven demo --pack <id> [--on YYYY-MM-DD]',
  summary: 'Create a demonstration school from a policy pack, with staff and a term of history',
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { options: ['pack', 'on'] })
    const packId = required(parsed, 'pack')
    const today = parsed.options.on ?? todayInLondon()
    if (!isValidIsoDate(today)) throw new UsageError('--on must be a date like 2026-11-23')
    const { db } = await ctx.database()
    const result = await buildDemo(db, { packId, today, baseUrl: ctx.config.baseUrl })
    const c = result.counts
    ctx.out(`Created ${result.schoolName} (short name ${result.schoolSlug}) with a term of supervision history.`)
    ctx.out(
      `Today: ${c.compliant ?? 0} compliant, ${c['due-soon'] ?? 0} due soon, ${c.overdue ?? 0} overdue, ${c['never-supervised'] ?? 0} never supervised, ${c['not-required'] ?? 0} not required; ${c['rebooking-deadline-missed'] ?? 0} missed rebooking deadline.`,
    )
    ctx.out(`Sign in at ${ctx.config.baseUrl}${paths.auth.signIn()} as:`)
    for (const s of result.signIn) ctx.out(`  ${s.name}: ${s.email} / ${s.password}`)
    ctx.out('The DSL is asked to set up two-step verification (an authenticator app) at first sign-in.')
    ctx.out(`See who is due: npm run haven -- compliance ${result.schoolSlug}`)
    return 0
  },
}
