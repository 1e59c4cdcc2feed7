/**
 * Contract emails, written to the outbox in the transaction of the change that causes them. They
 * carry a link and no names or content: the contract itself is read in Haven, after signing in.
 */

import type { DbOrTrx } from '../../db/repositories/contracts.ts'
import type { Party } from '../../domain/policy/index.ts'
import { paths } from '../../paths/index.ts'
import { formatDate } from '../../presenters/format.ts'
import { enqueueEmail } from '../mail/outbox.ts'

function hostOf(baseUrl: string): string | undefined {
  try {
    const host = new URL(baseUrl).hostname
    return /^[A-Za-z0-9.-]+$/.test(host) ? host : undefined
  } catch {
    return undefined
  }
}

interface Common {
  to: string
  organisationId: string
  baseUrl: string
  dedupeKey?: string
}

function link(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/$/, '')}${path}`
}

const signoff = '\n\nHaven: staff supervision for schools and trusts.'

export async function emailContractToSign(
  db: DbOrTrx,
  input: Common & { contractId: string; party: Party; reminder: boolean },
) {
  const url = link(input.baseUrl, paths.contracts.show({ id: input.contractId }))
  const subject = input.reminder
    ? 'Reminder: a supervision contract is waiting for your signature'
    : 'A supervision contract is ready for you to sign'
  const as = input.party === 'supervisee' ? 'the person supervised' : 'the supervisor'
  const text =
    `${input.reminder ? 'A supervision contract is still waiting for your signature' : 'A supervision contract has been issued to you'}, as ${as}.\n\n` +
    `Read it and sign it in Haven:\n${url}\n\n` +
    'You will be asked for your password again (or a code from your authenticator app) when you sign.' +
    signoff
  return enqueueEmail(db, {
    kind: 'contract.to-sign',
    to: input.to,
    subject,
    text,
    organisationId: input.organisationId,
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
    messageIdDomain: hostOf(input.baseUrl),
  })
}

/**
 * Issue 18: several contracts for one person to sign, in one email with a link to each (contracts
 * issued to everyone, the weekly reminder).
 */
export async function emailContractsToSign(
  db: DbOrTrx,
  input: Common & { contracts: readonly { contractId: string; party: Party }[]; reminder: boolean },
) {
  const lines = input.contracts.map(
    (c, i) =>
      `${String(i + 1)}. As ${c.party === 'supervisee' ? 'the person supervised' : 'the supervisor'}: ${link(input.baseUrl, paths.contracts.show({ id: c.contractId }))}`,
  )
  const count = `${String(input.contracts.length)} supervision contracts`
  const text =
    `${input.reminder ? `${count} are still waiting for your signature` : `${count} have been issued to you`}. ` +
    'Read and sign each one in Haven:\n\n' +
    `${lines.join('\n')}\n\n` +
    'You will be asked for your password again (or a code from your authenticator app) when you sign.' +
    signoff
  return enqueueEmail(db, {
    kind: 'contract.to-sign',
    to: input.to,
    subject: input.reminder
      ? `Reminder: ${count} are waiting for your signature`
      : `${count} are ready for you to sign`,
    text,
    organisationId: input.organisationId,
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
    messageIdDomain: hostOf(input.baseUrl),
  })
}

export async function emailUnsignedSummary(db: DbOrTrx, input: Common & { count: number; schoolSlug: string }) {
  const url = link(input.baseUrl, paths.contracts.index({ status: 'issued' }))
  const what = input.count === 1 ? '1 supervision contract is' : `${String(input.count)} supervision contracts are`
  return enqueueEmail(db, {
    kind: 'contract.unsigned-summary',
    to: input.to,
    subject: 'Supervision contracts waiting for signatures',
    text: `${what} waiting for signatures. Signed contracts are returned to you.\n\nSee who has still to sign:\n${url}${signoff}`,
    organisationId: input.organisationId,
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
    messageIdDomain: hostOf(input.baseUrl),
  })
}

export async function emailContractReturned(db: DbOrTrx, input: Common & { contractId: string }) {
  const url = link(input.baseUrl, paths.contracts.show({ id: input.contractId }))
  return enqueueEmail(db, {
    kind: 'contract.returned',
    to: input.to,
    subject: 'A supervision contract has been signed and returned to you',
    text: `A supervision contract has been signed by both parties and returned to you.\n\nSee it in Haven:\n${url}${signoff}`,
    organisationId: input.organisationId,
    messageIdDomain: hostOf(input.baseUrl),
  })
}

export async function emailReviewDue(db: DbOrTrx, input: Common & { contractId: string; reviewOn: string }) {
  const url = link(input.baseUrl, paths.contracts.show({ id: input.contractId }))
  return enqueueEmail(db, {
    kind: 'contract.review-due',
    to: input.to,
    subject: 'A supervision contract is due for review',
    text:
      `A supervision contract is due for review on ${formatDate(input.reviewOn)}. ` +
      `Review it together and, if the terms change or a new year begins, a new version is issued for both of you to sign.\n\n${url}${signoff}`,
    organisationId: input.organisationId,
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
    messageIdDomain: hostOf(input.baseUrl),
  })
}
