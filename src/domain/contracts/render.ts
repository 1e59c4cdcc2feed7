/**
 * A contract's text (MW-02, MW-11, AM-05): the policy's contract template filled with the people,
 * the policy's values and the agreed terms (renderContract), followed by any clause the policy
 * requires that the template does not already cover: confidentiality and its exceptions, the
 * dispute route, preparation, and who gives notice of a cancellation. Also the content hash that
 * both parties sign.
 */
import { createHash } from 'node:crypto'
import type { PolicyDocument, Requirement } from '../policy/model.ts'
import { contractPhrases } from '../policy/summary.ts'
import { lowerFirst } from '../policy/wording.ts'
import { type ContractContext, type RenderedClause, renderContract } from '../records/contract.ts'
import { type EntryValues, normaliseEntry, stableStringify } from '../records/entry.ts'
import { type Template, templateFields } from '../records/template.ts'
import type { AgreedTerms, ContractContent, ContractPartyRef, ContractText } from './model.ts'
import { agreedFrequencyWords, frequencyWords } from './terms.ts'

export interface ContractTextInput {
  template: Template
  policy: PolicyDocument
  requirement: Requirement | null
  schoolName: string
  supervisee: Pick<ContractPartyRef, 'name' | 'role'>
  supervisor: Pick<ContractPartyRef, 'name' | 'role'>
  terms: AgreedTerms
}

export interface RenderedContractText extends ContractText {
  /** Placeholders with no value yet (shown as "[to be agreed]"): a contract is not issued with any. */
  missing: string[]
  /** Placeholders that name nothing: a broken template. */
  problems: string[]
}

/** The template's field values with the agreed frequency written into its `agreedFrequency` field, if it has one. */
export function templateValues(template: Template, terms: AgreedTerms): EntryValues {
  const values = normaliseEntry(template, terms.values)
  const fields = templateFields(template)
  if (fields.some((f) => f.id === 'agreedFrequency' && f.kind === 'short-text')) {
    values.agreedFrequency = terms.frequency ? frequencyWords(terms.frequency) : ''
  }
  for (const field of fields) if (field.kind === 'signatures') delete values[field.id]
  return values
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

function clauseText(clause: RenderedClause, parts: 'all' | 'headings-and-items'): string {
  return (parts === 'all' ? [clause.heading, clause.text, ...clause.items] : [clause.heading, ...clause.items]).join(
    '\n',
  )
}

function covers(clauses: readonly RenderedClause[], pattern: RegExp, parts: 'all' | 'headings-and-items'): boolean {
  return clauses.some((c) => pattern.test(clauseText(c, parts)))
}

/**
 * Clauses the policy requires that the template does not already have. A topic counts as covered
 * when a clause's heading (or, for confidentiality, its heading only) speaks of it, so a school's
 * own wording always wins.
 */
export function policyClauses(policy: PolicyDocument, templateClauses: readonly RenderedClause[]): RenderedClause[] {
  const extra: RenderedClause[] = []
  const confidentiality = policy.confidentiality
  if (confidentiality && !templateClauses.some((c) => /confidential/i.test(c.heading))) {
    const exceptions = confidentiality.exceptions
    extra.push({
      heading: 'Confidentiality',
      text:
        sentence(confidentiality.summary) +
        (exceptions.length > 0 ? '\n\nThe exceptions, where what is said may be shared, are:' : ''),
      items: exceptions.map((e) => lowerFirst(e.trim().replace(/[.;]$/, ''))),
    })
  }
  const disputes = policy.disputeResolution
  if (disputes && disputes.steps.length > 0 && !covers(templateClauses, /disput|disagree/i, 'headings-and-items')) {
    extra.push({
      heading: 'Resolving disagreements',
      text:
        'If a disagreement between the supervisor and the supervisee cannot be resolved between them:' +
        (disputes.bothPartiesToldInAdvance
          ? '\n\nBoth parties are told in advance that a meeting to resolve it has been arranged.'
          : ''),
      items: disputes.steps.map((s) =>
        sentence(s.when ? `${s.when.trim().replace(/[,.]$/, '')}: ${lowerFirst(s.description.trim())}` : s.description),
      ),
    })
  }
  const preparation = policy.contract?.preparation
  if (preparation && !covers(templateClauses, /prepar/i, 'all')) {
    extra.push({ heading: 'Preparing for supervision', text: sentence(preparation), items: [] })
  }
  const cancellation = policy.cancellation
  if (
    (cancellation.notifyOtherParty || cancellation.exceptionalOnly) &&
    !covers(templateClauses, /cancel|postpone/i, 'all')
  ) {
    const sentences: string[] = []
    if (cancellation.exceptionalOnly)
      sentences.push('Planned sessions are cancelled only in exceptional circumstances, and the reason is recorded.')
    if (cancellation.notifyOtherParty)
      sentences.push('Whoever cancels or postpones a session tells the other party as soon as possible.')
    extra.push({ heading: 'Cancelling or postponing a session', text: sentences.join(' '), items: [] })
  }
  return extra
}

/** How long a session lasts when the policy sets no length (LH, CA, PL): the parties agree it. */
export const unsetDuration = 'as long as the supervisor and supervisee agree'

/** The contract's text: the template's clauses filled in, then the policy's own clauses the template lacks. */
export function renderContractText(input: ContractTextInput): RenderedContractText {
  const phrases = contractPhrases(input.policy, input.requirement?.id)
  const hasAgreedField = templateFields(input.template).some((f) => f.id === 'agreedFrequency')
  // A template without an "agreed frequency" field (AM) says {{policy.frequency}}: for this person
  // that is the frequency agreed with them.
  const frequency =
    input.terms.frequency && !hasAgreedField
      ? `at least ${agreedFrequencyWords(input.requirement, input.terms.frequency)}`
      : phrases.frequency
  const context: ContractContext = {
    supervisee: { name: input.supervisee.name, role: input.supervisee.role },
    supervisor: { name: input.supervisor.name, role: input.supervisor.role },
    school: { name: input.schoolName },
    policy: { frequency, duration: phrases.duration || unsetDuration },
    values: templateValues(input.template, input.terms),
  }
  const rendered = renderContract(input.template, context)
  return {
    title: rendered.title,
    clauses: [...rendered.clauses, ...policyClauses(input.policy, rendered.clauses)],
    missing: rendered.missing,
    problems: rendered.problems.map((p) => p.message),
  }
}

const contentFormat = 'haven-contract-1'

/** The canonical text of a contract's content: what a signature is made over. */
export function canonicalContractContent(content: ContractContent): string {
  return stableStringify({ format: contentFormat, ...content })
}

/** SHA-256 of the canonical content, 64 lower-case hex digits. */
export function contractContentHash(content: ContractContent): string {
  return createHash('sha256').update(canonicalContractContent(content), 'utf8').digest('hex')
}
