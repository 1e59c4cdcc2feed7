/** `haven create-admin`: the first-run setup for headless installs. The password is read from standard input. */
import { parseArgs, required } from '../../cli/args.ts'
import { UsageError } from '../../cli/errors.ts'
import type { Command } from '../../cli.ts'
import { paths } from '../../paths/index.ts'
import { setUpOrganisation } from '../../services/auth/accounts.ts'
import { readSetupForm } from './forms.ts'

export const createAdminCommand: Command = {
  name: 'create-admin',
  usage:
    'haven create-admin --school <name> --slug <slug> --name <name> --email <email> [--trust <name>] [--region <region>] [--pack <id>] [--dsl] < password',
  summary: 'Set up the organisation, its first school and administrator (password on standard input)',
  async run(ctx) {
    const parsed = parseArgs(ctx.args, {
      options: ['school', 'slug', 'name', 'email', 'trust', 'region', 'pack'],
      flags: ['dsl'],
    })
    const password = (await ctx.readStdin()).replace(/\r?\n$/, '')
    const form = readSetupForm({
      organisationKind: parsed.options.trust ? 'trust' : 'single-school',
      organisationName: parsed.options.trust ?? '',
      schoolName: required(parsed, 'school'),
      schoolSlug: required(parsed, 'slug'),
      region: parsed.options.region ?? 'england-and-wales',
      adminName: required(parsed, 'name'),
      adminEmail: required(parsed, 'email'),
      password,
      alsoDsl: parsed.flags.has('dsl') ? 'yes' : '',
      packId: parsed.options.pack ?? 'blank',
    })
    if (!form.ok)
      throw new UsageError(form.errors.summary.map(({ href, text }) => `${href.slice(1)}: ${text}`).join('; '))
    const data = form.value
    const handle = await ctx.database()
    await setUpOrganisation(handle.db, data)
    ctx.out(
      `Set up ${data.schoolName} (${data.schoolSlug}) with administrator ${data.adminEmail}. Sign in at ${ctx.config.baseUrl}${paths.auth.signIn()}`,
    )
    return 0
  },
}
