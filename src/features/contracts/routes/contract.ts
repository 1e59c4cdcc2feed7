/** A contract's page (its text, signatures, history and what it means for the next due date), and its PDF. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { frequencyWords } from '../../../domain/contracts/index.ts'
import type { Party, PolicyDocument } from '../../../domain/policy/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { formatDate, formatDateTime } from '../../../presenters/format.ts'
import { contractPdf } from '../../../services/contracts/pdf.ts'
import { nextSteps, requirementOf } from '../../../services/contracts/prepare.ts'
import { type ContractView, openContract } from '../../../services/contracts/read.ts'
import { roleOnContract } from '../../../services/contracts/setting.ts'
import { partiesText, partyLabels, statusLabels, statusTag } from '../presenters.ts'
import { canManage, escapeHtml, returnToText, signedIn, todayOf } from './shared.ts'

type Params = { Params: { id: string } }

/** The contract as the signed-in person may see it (recorded in the audit log), or null. */
export function viewFor(req: FastifyRequest<Params>, audit: 'view' | 'pdf' = 'view') {
  return openContract(req.server.db, {
    organisationId: req.actor!.organisationId,
    contractId: req.params.id,
    personId: req.actor!.personId,
    canManage: canManage(req),
    today: todayOf(req),
    ip: req.ip,
    audit,
  })
}

const banners: Record<string, { text: string; success: boolean }> = {
  issued: { text: 'The contract has been issued. Both have been asked to sign it.', success: true },
  draft: { text: 'The draft has been saved. It is not issued yet.', success: true },
  signed: { text: 'You have signed the contract.', success: true },
  'in-force': {
    text: 'You have signed the contract. Both have now signed it: it is in force and has been returned.',
    success: true,
  },
  exists: { text: 'They already have a contract for this year. To change it, change its terms.', success: false },
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

/** The summary of the contract: who, which year, its status, who is still to sign, how often, when next due. */
function summaryRows(view: ContractView, viewerId: string) {
  const { contract, setting } = view
  const policy = setting?.policy ?? null
  const requirement = policy ? requirementOf({ policy }, contract.agreed.requirementId) : null
  const frequencyText = contract.agreed.frequency
    ? `${frequencyWords(contract.agreed.frequency)} (agreed in this contract)`
    : requirement?.frequency
      ? `${frequencyWords(requirement.frequency)} (the policy’s)`
      : 'Not set'
  const collectedBy = contract.agreed.values.collectedBy
  const returnedTo =
    typeof collectedBy === 'object' &&
    collectedBy !== null &&
    'name' in collectedBy &&
    typeof collectedBy.name === 'string'
      ? collectedBy.name
      : setting
        ? returnToText(setting)
        : 'the DSL'
  const nextDue = view.nextDue
  const nextDueText = nextDue?.nextDue
    ? `${formatDate(nextDue.nextDue)}: ${nextDue.dueBecause}`
    : nextDue && !nextDue.required
      ? 'Not required to be supervised under the policy'
      : 'Not set'
  const named = (p: ContractView['supervisee']) => (policy ? `${p.name}, ${roleOnContract(policy, p)}` : p.name)
  return [
    { key: { text: 'Supervisee' }, value: { text: named(view.supervisee) } },
    { key: { text: 'Supervisor' }, value: { text: named(view.supervisor) } },
    { key: { text: 'Academic year' }, value: { text: contract.academicYear } },
    { key: { text: 'Status' }, value: { text: statusLabels[contract.status] } },
    ...(contract.issuedAt
      ? [
          {
            key: { text: 'Issued' },
            value: { text: `${formatDate(contract.issuedAt)}${view.issuedBy ? ` by ${view.issuedBy.name}` : ''}` },
          },
        ]
      : []),
    {
      key: { text: 'Still to sign' },
      value: { text: contract.status === 'issued' ? partiesText(view.stillToSign) : 'No one' },
    },
    { key: { text: 'Returned to' }, value: { text: returnedTo } },
    { key: { text: 'How often' }, value: { text: frequencyText } },
    { key: { text: 'Review date' }, value: { text: contract.reviewOn ? formatDate(contract.reviewOn) : 'Not set' } },
    ...(view.access.manage ||
    view.access.signAs !== null ||
    viewerId === contract.superviseeId ||
    viewerId === contract.supervisorId
      ? [{ key: { text: 'Next supervision due' }, value: { text: nextDueText } }]
      : []),
  ]
}

/** The parties who sign (contractSigners), and any other who signed before they could no longer. */
function partiesShown(view: ContractView): Party[] {
  const signed = view.signatures.map((s) => s.role).filter((party) => !view.signedBy.includes(party))
  return [...view.signedBy, ...new Set(signed)]
}

function signatureRows(view: ContractView) {
  const policy = view.setting?.policy ?? null
  return partiesShown(view).map((party) => {
    const s = view.signatures.find((x) => x.role === party)
    const who = party === 'supervisee' ? view.supervisee : view.supervisor
    return [
      { text: partyLabels[party] },
      { text: `${s?.name ?? who.name}, ${policy ? roleOnContract(policy, who) : ''}`.replace(/, $/, '') },
      {
        text: s
          ? `${formatDateTime(s.signedAt)} (${s.method === 'password' ? 'password' : 'two-step code'})`
          : 'Not yet signed',
      },
      { html: s ? `<code class="govuk-!-text-break-word">${s.contentHash}</code>` : '' },
    ]
  })
}

function historyRows(view: ContractView) {
  return view.history.map((h) => [
    {
      html:
        h.id === view.contract.id
          ? `${escapeHtml(h.academicYear)} (this version)`
          : `<a class="govuk-link" href="${paths.contracts.show({ id: h.id })}">${escapeHtml(h.academicYear)}<span class="govuk-visually-hidden">, ${escapeHtml(statusLabels[h.status].toLowerCase())}, issued ${h.issuedAt ? formatDate(h.issuedAt) : 'not yet'}</span></a>`,
    },
    { text: statusLabels[h.status] },
    { text: h.supervisorName },
    { text: h.issuedAt ? formatDate(h.issuedAt) : 'Not issued' },
    { text: h.signedAt ? formatDate(h.signedAt) : '' },
  ])
}

const contractRoutes: FastifyPluginAsync = async (app) => {
  app.get<Params & { Querystring: { done?: string; notice?: string } }>(
    paths.contracts.show.pattern,
    { config: signedIn },
    async (req, reply) => {
      const view = await viewFor(req)
      if (!view) return renderNotFound(req, reply)
      const { contract, setting } = view
      const latest = view.history.find((h) => h.status !== 'superseded' && h.status !== 'draft')
      const { changeable, renewYear } = nextSteps(view, todayOf(req))
      const bannerKey = req.query.done ?? req.query.notice
      return reply.view('contracts/views/contract.njk', {
        pageTitle: `Supervision contract for ${view.supervisee.name}`,
        backLink: view.access.manage
          ? { href: paths.contracts.index(), text: 'Contracts' }
          : { href: paths.contracts.mine(), text: 'Your contracts' },
        banner: bannerKey ? (banners[bannerKey] ?? null) : null,
        schoolName: setting?.school.name ?? '',
        contract: {
          ...contract,
          text: {
            title: contract.text.title,
            clauses: contract.text.clauses.map((c) => ({ ...c, paragraphs: paragraphsOf(c.text) })),
          },
        },
        supervisee: view.supervisee,
        status: statusTag(contract.status),
        intact: view.intact,
        current: contract.status === 'superseded' ? (latest ?? null) : null,
        signAs: view.access.signAs,
        manage: view.access.manage,
        canDownload: true,
        changeable,
        renewHref: renewYear ? paths.contracts.new({ person: contract.superviseeId, year: renewYear }) : null,
        renewYear: renewYear ?? '',
        rows: summaryRows(view, req.actor!.personId),
        signatureRows: signatureRows(view),
        historyRows: historyRows(view),
      })
    },
  )

  app.get<Params>(paths.contracts.pdf.pattern, { config: signedIn }, async (req, reply) => {
    const view = await viewFor(req, 'pdf')
    if (!view) return renderNotFound(req, reply)
    const { contract, setting } = view
    const policy: PolicyDocument | null = setting?.policy ?? null
    const role = (p: typeof view.supervisee) => (policy ? roleOnContract(policy, p) : p.jobTitle)
    const pdf = await contractPdf({
      schoolName: setting?.school.name ?? '',
      academicYear: contract.academicYear,
      status: contract.status,
      text: contract.text,
      supervisee: { name: view.supervisee.name, role: role(view.supervisee) },
      supervisor: { name: view.supervisor.name, role: role(view.supervisor) },
      signedBy: partiesShown(view),
      signatures: view.signatures,
      reviewOn: contract.reviewOn,
      issuedAt: contract.issuedAt,
      contentHash: contract.contentHash,
    })
    return reply
      .type('application/pdf')
      .header(
        'content-disposition',
        `attachment; filename="supervision-contract-${contract.academicYear}-${contract.id.slice(0, 8)}.pdf"`,
      )
      .send(pdf)
  })
}

export default contractRoutes
