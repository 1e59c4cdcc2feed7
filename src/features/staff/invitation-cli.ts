/** `haven invitation-link`: an invitation link printed for the server's operator (ADR 11). */
import { parseArgs, required } from '../../cli/args.ts'
import { UsageError } from '../../cli/errors.ts'
import type { Command } from '../../cli.ts'
import { inviteByOperator } from '../../services/auth/accounts.ts'

const refusals = {
  unknown: 'No one in Haven has that email address',
  left: 'This person has left: they cannot be invited',
  'has-password': 'This person has already set a password: they can reset it from the sign-in page',
} as const

export const invitationLinkCommand: Command = {
  name: 'invitation-link',
  usage: 'haven invitation-link --email <email>',
  summary: 'Invite someone who has no password yet and print their link (for schools without a mail server)',
  details: [
    'Administrators never see invitation links in Haven, so that no one can take over an account',
    'through the outbox. Without a mail server, the operator of the server prints the link here',
    'and passes it to the person. The link works once, for 7 days; the invitation is audited.',
  ],
  async run(ctx) {
    const parsed = parseArgs(ctx.args, { options: ['email'] })
    if (parsed.positional.length > 0) throw new UsageError(`usage: ${invitationLinkCommand.usage}`)
    const email = required(parsed, 'email')
    const handle = await ctx.database()
    const result = await inviteByOperator(handle.db, { email, baseUrl: ctx.config.baseUrl })
    if (!result.ok) {
      ctx.err(refusals[result.reason])
      return 1
    }
    ctx.out(`Invitation for ${result.name}, valid once for 7 days:`)
    ctx.out(result.link)
    return 0
  },
}
