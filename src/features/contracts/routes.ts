/**
 * Supervision contracts (issue 8; MW-02, MW-03, MW-11, AM-05): the school's contracts by status
 * (who has still to sign), issuing them to everyone in scope at the start of the year or to one
 * person, drafts and changes of terms (new versions), a contract's page with its signatures and
 * history, signing with the password again or a two-step code, the PDF, and a person's own
 * contracts. Handlers parse, call one service, and render or redirect.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import {
  contractsOfSupervisee,
  currentStaffOf,
  currentSupervisorsOf,
  personForPolicy,
  personOf,
} from '../../db/repositories/contracts.ts'
import { can, Permission } from '../../domain/access/permissions.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import {
  contractRequirement,
  defaultContractValues,
  frequencyChoices,
  frequencyWords,
  isContractStatus,
  nextAcademicYear,
  requirementIdsFor,
} from '../../domain/contracts/index.ts'
import { isUuid } from '../../domain/ids.ts'
import { type PolicyDocument, roleNoun } from '../../domain/policy/index.ts'
import type { Template } from '../../domain/records/template.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../forms/errors.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { formatDate, formatDateTime } from '../../presenters/format.ts'
import {
  bulkIssue,
  bulkPreview,
  type ContractErrors,
  createContract,
  type SaveContractResult,
  storedTermsInput,
  updateDraft,
} from '../../services/contracts/issue.ts'
import { contractPdf } from '../../services/contracts/pdf.ts'
import { type ContractView, myContracts, openContract, schoolContracts } from '../../services/contracts/read.ts'
import {
  type ContractSetting,
  collectorsOf,
  contractSetting,
  issuableYears,
  referenceDate,
  roleOnContract,
} from '../../services/contracts/setting.ts'
import { contractToSign, type SignRefusal, signContract } from '../../services/contracts/signing.ts'
import type { SchoolSummary } from '../../services/staff/repository.ts'
import { supervisionCandidates } from '../../services/staff/supervision.ts'
import { personInReach, rolesFor, schoolFor, schoolQuery, withQuery } from '../school-scope.ts'
import { readStepUp, signStepUp } from '../step-up.ts'
import {
  type ContractFormValues,
  fieldsFromStored,
  readAction,
  readContractForm,
  readFields,
  readVersion,
  termsInputOf,
} from './forms.ts'
import {
  fieldViews,
  frequencyView,
  type PersonOption,
  partiesText,
  partyLabels,
  statusFilters,
  statusLabels,
  statusTag,
} from './presenters.ts'

const manage = { access: { permission: Permission.ContractsManage } }
const signedIn = { access: 'signed-in' as const }

export const conflictMessage =
  'Someone else changed this contract while you were working on it. Your changes have not been saved. Check the contract, then make your changes again.'

function organisationOf(req: FastifyRequest): string {
  return req.session!.person.organisationId
}

function personIdOf(req: FastifyRequest): string {
  return req.session!.person.id
}

/** Whether they manage a school's contracts: by their roles there (none beyond their reach). */
function canManage(req: FastifyRequest): (schoolId: string) => boolean {
  return (schoolId) => can({ personId: personIdOf(req), roles: rolesFor(req, schoolId) }, Permission.ContractsManage)
}

function withSchool(path: string, found: { school: SchoolSummary; schools: SchoolSummary[] }): string {
  return withQuery(path, schoolQuery(found.school, found.schools))
}

function errorsOf(pairs: ContractErrors): FormErrors {
  // Date inputs: the summary links to the day field, as the Design System asks.
  const hrefs: Record<string, string> = {}
  for (const [f] of pairs) if (/Date$/.test(f) || f === 'reviewDate') hrefs[f] = `${f}-day`
  hrefs.frequency = 'frequency'
  return formErrors(pairs, hrefs)
}

function returnToText(setting: ContractSetting): string {
  const names = setting.returnTo.map((r) => roleNoun(setting.policy, r))
  return names.length <= 1 ? (names[0] ?? 'the DSL') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}

async function staffOptions(req: FastifyRequest, schoolId: string): Promise<PersonOption[]> {
  const rows = await currentStaffOf(req.server.db, schoolId, londonDateOf(req.server.clock()))
  return rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles, detail: r.jobTitle || undefined }))
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

const contractsRoutes: FastifyPluginAsync = async (app) => {
  /** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
  const today = (): string => londonDateOf(app.clock())

  // -------------------------------------------------------------------------------------------
  // The school's contracts, by status (MW-02: who has still to sign)
  // -------------------------------------------------------------------------------------------

  app.get<{ Querystring: Record<string, string | undefined> }>('/contracts', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const status = isContractStatus(req.query.status) ? req.query.status : null
    const { items, counts, setting } = await schoolContracts(app.db, {
      organisationId: organisationOf(req),
      schoolId: found.school.id,
      status,
      today: today(),
    })
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    const issued = req.query.issued && /^\d{1,6}$/.test(req.query.issued) ? Number(req.query.issued) : null
    return reply.view('contracts/views/list.njk', {
      pageTitle: 'Supervision contracts',
      school: found.school,
      schools: found.schools.length > 1 ? found.schools : [],
      banner: issued === null ? null : issued === 1 ? '1 contract issued.' : `${String(issued)} contracts issued.`,
      problem: !setting
        ? 'The school has no supervision policy yet. Choose one under Policy before issuing contracts.'
        : !setting.template
          ? 'The policy does not name a contract template Haven has. Choose one in the policy before issuing contracts.'
          : null,
      returnTo: setting ? returnToText(setting) : 'the DSL',
      counts,
      years: issuableYears(today()).map((id) => ({ id, href: withSchool(`/contracts/issue?year=${id}`, found) })),
      links: { one: withSchool('/contracts/new', found) },
      filters: statusFilters.map((f) => ({
        text: f.text,
        count: f.value === '' ? total : counts[f.value],
        current: (f.value || null) === status,
        href: withSchool(f.value ? `/contracts?status=${f.value}` : '/contracts', found),
      })),
      listHeading: status ? statusLabels[status] : 'All contracts',
      rows: items.map((c) => [
        { html: `<a class="govuk-link" href="/contracts/${c.id}">${escapeHtml(c.supervisee.name)}</a>` },
        { text: c.supervisor.name },
        { text: c.academicYear },
        { text: statusLabels[c.status] },
        { text: c.status === 'issued' ? partiesText(c.stillToSign) : '' },
        { text: c.reviewOn ? formatDate(c.reviewOn) : '' },
      ]),
    })
  })

  app.get('/contracts/mine', { config: signedIn }, async (req, reply) => {
    const me = personIdOf(req)
    const items = await myContracts(app.db, {
      organisationId: organisationOf(req),
      personId: me,
      schoolId: req.session!.person.schoolId,
      today: today(),
    })
    const partyOf = (c: (typeof items)[number]) => (c.supervisee.id === me ? 'supervisee' : 'supervisor')
    const link = (c: (typeof items)[number]) => ({
      html: `<a class="govuk-link" href="/contracts/${c.id}">${escapeHtml(
        partyOf(c) === 'supervisee' ? `Your contract with ${c.supervisor.name}` : `${c.supervisee.name}’s contract`,
      )}</a>`,
    })
    return reply.view('contracts/views/mine.njk', {
      pageTitle: 'Your supervision contracts',
      toSign: items
        .filter((c) => c.status === 'issued' && c.stillToSign.includes(partyOf(c)))
        .map((c) => [
          link(c),
          { text: partyLabels[partyOf(c)] },
          { text: c.academicYear },
          { text: c.issuedAt ? formatDate(c.issuedAt) : '' },
        ]),
      all: items.map((c) => [
        link(c),
        { text: partyLabels[partyOf(c)] },
        { text: c.academicYear },
        { text: statusLabels[c.status] },
        { text: c.reviewOn ? formatDate(c.reviewOn) : '' },
      ]),
    })
  })

  // -------------------------------------------------------------------------------------------
  // Everyone in scope at the start of the year (MW-01, MW-02)
  // -------------------------------------------------------------------------------------------

  async function renderBulk(
    req: FastifyRequest,
    reply: FastifyReply,
    found: { school: SchoolSummary; schools: SchoolSummary[] },
    year: string,
    extra: { fields?: ReturnType<typeof readFields>; errors?: FormErrors; status?: number } = {},
  ) {
    const preview = await bulkPreview(app.db, { schoolId: found.school.id, academicYear: year, today: today() })
    const base = {
      pageTitle: `Issue contracts for ${year}`,
      backLink: { href: withSchool('/contracts', found), text: 'Contracts' },
      backHref: withSchool('/contracts', found),
      school: found.school,
      academicYear: year,
      errors: extra.errors ?? noErrors,
    }
    if (typeof preview === 'string') {
      return reply.code(extra.status ?? 200).view('contracts/views/bulk.njk', {
        ...base,
        problem:
          preview === 'no-policy'
            ? 'The school has no supervision policy yet. Choose one under Policy before issuing contracts.'
            : 'The policy does not name a contract template Haven has. Choose one in the policy before issuing contracts.',
      })
    }
    const { setting, plan } = preview
    const on = referenceDate(year, today())
    const collector = (await collectorsOf(app.db, found.school.id, setting.returnTo, today()))[0] ?? null
    const fields =
      extra.fields ??
      fieldsFromStored(
        setting.template,
        defaultContractValues({
          template: setting.template,
          policy: setting.policy,
          issueOn: on,
          collectedBy: collector ? { personId: collector.id, name: collector.name } : null,
        }),
      )
    return reply.code(extra.status ?? 200).view('contracts/views/bulk.njk', {
      ...base,
      problem: null,
      templateName: setting.template.name,
      returnTo: returnToText(setting),
      action: withSchool(`/contracts/issue?year=${year}`, found),
      digest: preview.digest,
      issueRows: plan.issue.map((c) => [{ text: c.name }, { text: c.supervisorName }, { text: c.reason }]),
      skippedRows: plan.skipped.map((s) => [
        { text: s.candidate.name },
        {
          text:
            s.reason === 'has-contract'
              ? `Already has a contract for ${year}`
              : 'Has no supervisor or line manager yet: set one on their staff page, then issue theirs',
        },
      ]),
      fields: fieldViews(setting.template, fields, extra.errors ?? noErrors, await staffOptions(req, found.school.id)),
    })
  }

  function yearOf(raw: unknown): string | null {
    const years = issuableYears(today())
    if (raw === undefined || raw === '') return years[0]!
    return typeof raw === 'string' && years.includes(raw) ? raw : null
  }

  app.get<{ Querystring: { school?: string; year?: string } }>(
    '/contracts/issue',
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      const year = yearOf(req.query.year)
      if (!found || !year) return renderNotFound(req, reply)
      return renderBulk(req, reply, found, year)
    },
  )

  app.post<{ Querystring: { school?: string; year?: string } }>(
    '/contracts/issue',
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      const year = yearOf(req.query.year)
      if (!found || !year) return renderNotFound(req, reply)
      const setting = await contractSetting(app.db, found.school.id, referenceDate(year, today()))
      if (!setting?.template) return renderBulk(req, reply, found, year, { status: 400 })
      const fields = readFields(setting.template, req.body)
      const result = await bulkIssue(app.db, {
        organisationId: organisationOf(req),
        actorId: personIdOf(req),
        today: today(),
        baseUrl: app.config.baseUrl,
        schoolId: found.school.id,
        academicYear: year,
        digest: field(req.body, 'digest'),
        values: fields,
      })
      if (result.ok) return reply.redirect(withSchool(`/contracts?status=issued&issued=${result.issued}`, found), 303)
      if (result.kind === 'invalid')
        return renderBulk(req, reply, found, year, { fields, errors: errorsOf(result.errors), status: 400 })
      const message =
        result.kind === 'changed'
          ? 'Who gets a contract changed while you were reading this page. Nothing has been issued. Check the list again, then issue the contracts'
          : result.kind === 'nobody'
            ? 'There is no one to issue a contract to'
            : 'Contracts cannot be issued until the school has a policy that names a contract template'
      return renderBulk(req, reply, found, year, {
        fields,
        errors: formErrors([['digest', message]]),
        status: result.kind === 'changed' ? 409 : 400,
      })
    },
  )

  // -------------------------------------------------------------------------------------------
  // One contract: new, draft, change of terms
  // -------------------------------------------------------------------------------------------

  interface FormPage {
    setting: ContractSetting & { template: Template }
    supervisee: { id: string; name: string; schoolId: string }
    academicYear: string
    heading: string
    intro: string | null
    inset: string | null
    action: string
    version: number | null
    issueText: string
    allowDraft: boolean
  }

  async function renderContractForm(
    req: FastifyRequest,
    reply: FastifyReply,
    page: FormPage,
    values: ContractFormValues,
    errors: FormErrors,
    status = 200,
  ) {
    const person = await personForPolicy(app.db, organisationOf(req), page.supervisee.id)
    if (!person) return renderNotFound(req, reply)
    const requirement = contractRequirement(
      page.setting.policy,
      requirementIdsFor(page.setting.policy, person, referenceDate(page.academicYear, today())),
    )
    const candidates = await supervisionCandidates(app.db, {
      organisationId: organisationOf(req),
      schoolId: page.supervisee.schoolId,
      kind: 'supervisor',
      today: today(),
      excludeIds: [page.supervisee.id],
    })
    return reply.code(status).view('contracts/views/form.njk', {
      pageTitle: page.heading,
      backLink: { href: page.version !== null ? page.action.replace(/\/edit$/, '') : '/contracts', text: 'Back' },
      supervisee: page.supervisee,
      academicYear: page.academicYear,
      heading: page.heading,
      intro: page.intro,
      inset: page.inset,
      action: page.action,
      version: page.version,
      issueText: page.issueText,
      allowDraft: page.allowDraft,
      errors,
      supervisorItems: [
        { value: '', text: 'Choose a supervisor', selected: values.supervisorId === '' },
        ...candidates.map((c) => {
          const where = c.externalOrganisation
            ? `external: ${c.externalOrganisation}`
            : [c.jobTitle, c.schoolName].filter((x) => x).join(', ')
          return { value: c.id, text: where ? `${c.name} (${where})` : c.name, selected: c.id === values.supervisorId }
        }),
      ],
      frequency: frequencyView(frequencyChoices(requirement), values, errors),
      fields: fieldViews(
        page.setting.template,
        values.fields,
        errors,
        await staffOptions(req, page.supervisee.schoolId),
      ),
    })
  }

  function resultFailure(req: FastifyRequest, reply: FastifyReply, result: Exclude<SaveContractResult, { ok: true }>) {
    switch (result.kind) {
      case 'not-found':
        return renderNotFound(req, reply)
      case 'has-contract':
        return reply.redirect(`/contracts/${result.contractId}?notice=exists`, 303)
      case 'conflict':
        return renderClientError(reply, 409, { heading: 'This contract has changed', paragraphs: [conflictMessage] })
      default:
        return renderClientError(reply, 400, {
          heading: 'Contracts cannot be issued yet',
          paragraphs: [
            'The school needs a supervision policy that names a contract template. Choose one under Policy.',
          ],
        })
    }
  }

  /** The person and year of a new contract, from the query; null when either is not one we know. */
  async function newContractTarget(req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>) {
    const year = yearOf(req.query.year)
    const personId = req.query.person
    if (!year || !isUuid(personId)) return null
    const row = await personOf(app.db, organisationOf(req), personId)
    if (!row?.schoolId) return null
    const setting = await contractSetting(app.db, row.schoolId, referenceDate(year, today()))
    return { year, supervisee: { id: row.id, name: row.name, schoolId: row.schoolId }, setting }
  }

  function newFormPage(
    target: NonNullable<Awaited<ReturnType<typeof newContractTarget>>>,
    setting: ContractSetting & { template: Template },
  ): FormPage {
    return {
      setting,
      supervisee: target.supervisee,
      academicYear: target.year,
      heading: `Issue a supervision contract for ${target.year}`,
      intro: `The contract is made from the policy’s template, “${setting.template.name}”, with ${target.supervisee.name}’s details. Both sign it; signed contracts are returned to ${returnToText(setting)}.`,
      inset: null,
      action: `/contracts/new?person=${target.supervisee.id}&year=${target.year}`,
      version: null,
      issueText: 'Issue the contract',
      allowDraft: true,
    }
  }

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/contracts/new',
    { config: manage },
    async (req, reply) => {
      if (req.query.person === undefined || req.query.person === '') {
        const found = await schoolFor(req, req.query.school)
        if (!found) return renderNotFound(req, reply)
        const people = await staffOptions(req, found.school.id)
        return reply.view('contracts/views/choose-person.njk', {
          pageTitle: 'Issue a contract to one person',
          backLink: { href: withSchool('/contracts', found), text: 'Contracts' },
          school: found.school,
          schoolQuery: found.schools.length > 1,
          errors: noErrors,
          personItems: [
            { value: '', text: 'Choose someone' },
            ...people.map((p) => ({ value: p.id, text: p.detail ? `${p.name} (${p.detail})` : p.name })),
          ],
          yearItems: issuableYears(today()).map((y) => ({ value: y, text: y })),
        })
      }
      const target = await newContractTarget(req)
      if (!target) return renderNotFound(req, reply)
      if (!target.setting?.template) return resultFailure(req, reply, { ok: false, kind: 'no-template' })
      const setting = target.setting as ContractSetting & { template: Template }
      const previous = (await contractsOfSupervisee(app.db, organisationOf(req), target.supervisee.id)).filter(
        (c) => c.status !== 'superseded',
      )
      const sameYear = previous.find((c) => c.academicYear === target.year)
      if (sameYear) return reply.redirect(`/contracts/${sameYear.id}?notice=exists`, 303)
      const on = referenceDate(target.year, today())
      const collector = (await collectorsOf(app.db, target.supervisee.schoolId, setting.returnTo, today()))[0] ?? null
      const defaults = defaultContractValues({
        template: setting.template,
        policy: setting.policy,
        issueOn: on,
        collectedBy: collector ? { personId: collector.id, name: collector.name } : null,
      })
      // Renewing: last year's terms, with this year's dates.
      const last = previous.find((c) => c.status === 'signed' || c.status === 'issued')
      const supervisor = (await currentSupervisorsOf(app.db, organisationOf(req), [target.supervisee.id])).get(
        target.supervisee.id,
      )
      const dated = (values: Record<string, unknown>) => {
        const out = { ...values }
        for (const id of ['agreedDate', 'startDate', 'reviewDate']) if (id in defaults) out[id] = defaults[id]
        return out
      }
      const stored = last ? { ...defaults, ...dated(last.agreed.values) } : defaults
      const requirementAnswer = last
        ? storedTermsInput(
            last,
            contractRequirement(setting.policy, last.agreed.requirementId ? [last.agreed.requirementId] : null),
          ).frequency
        : { choice: 'policy' }
      const values: ContractFormValues = {
        supervisorId: supervisor?.id ?? last?.supervisorId ?? '',
        frequency: requirementAnswer.choice,
        customEvery: requirementAnswer.every ?? '',
        customUnit: requirementAnswer.unit ?? '',
        fields: fieldsFromStored(setting.template, stored),
      }
      return renderContractForm(req, reply, newFormPage(target, setting), values, noErrors)
    },
  )

  app.post<{ Querystring: Record<string, string | undefined> }>(
    '/contracts/new',
    { config: manage },
    async (req, reply) => {
      const target = await newContractTarget(req)
      if (!target) return renderNotFound(req, reply)
      if (!target.setting?.template) return resultFailure(req, reply, { ok: false, kind: 'no-template' })
      const setting = target.setting as ContractSetting & { template: Template }
      const values = readContractForm(setting.template, req.body)
      const result = await createContract(app.db, {
        organisationId: organisationOf(req),
        actorId: personIdOf(req),
        today: today(),
        baseUrl: app.config.baseUrl,
        schoolId: target.supervisee.schoolId,
        superviseeId: target.supervisee.id,
        academicYear: target.year,
        terms: termsInputOf(values),
        mode: readAction(req.body),
      })
      if (result.ok) return reply.redirect(`/contracts/${result.contractId}?done=${result.status}`, 303)
      if (result.kind === 'invalid')
        return renderContractForm(req, reply, newFormPage(target, setting), values, errorsOf(result.errors), 400)
      return resultFailure(req, reply, result)
    },
  )

  /** The contract's form page: a draft edited in place, or a change of terms that issues a new version. */
  function editFormPage(view: ContractView, setting: ContractSetting & { template: Template }): FormPage {
    const draft = view.contract.status === 'draft'
    return {
      setting,
      supervisee: { id: view.supervisee.id, name: view.supervisee.name, schoolId: view.contract.schoolId },
      academicYear: view.contract.academicYear,
      heading: draft ? 'Change the draft contract' : 'Change the terms of the contract',
      intro: draft ? null : 'A new version of the contract is issued for both to sign. Every version is kept.',
      inset: draft
        ? null
        : view.contract.status === 'signed'
          ? 'The signed contract stays in force until both have signed the new version.'
          : 'The version waiting for signatures is replaced by the new one; signatures already given are kept with the old version.',
      action: `/contracts/${view.contract.id}/edit`,
      version: view.contract.version,
      issueText: draft ? 'Issue the contract' : 'Issue the new version',
      allowDraft: draft,
    }
  }

  async function editable(req: FastifyRequest<{ Params: { id: string } }>) {
    const view = await openContract(app.db, {
      organisationId: organisationOf(req),
      contractId: req.params.id,
      personId: personIdOf(req),
      canManage: (schoolId) => personInReach(req, schoolId),
      today: today(),
      ip: req.ip,
    })
    if (!view || view.contract.status === 'superseded') return null
    const setting = await contractSetting(
      app.db,
      view.contract.schoolId,
      referenceDate(view.contract.academicYear, today()),
    )
    if (!setting?.template) return null
    return { view, setting: setting as ContractSetting & { template: Template } }
  }

  app.get<{ Params: { id: string } }>('/contracts/:id/edit', { config: manage }, async (req, reply) => {
    const found = await editable(req)
    if (!found) return renderNotFound(req, reply)
    const { view, setting } = found
    const requirement = contractRequirement(
      setting.policy,
      view.contract.agreed.requirementId ? [view.contract.agreed.requirementId] : null,
    )
    const input = storedTermsInput(view.contract, requirement)
    const values: ContractFormValues = {
      supervisorId: input.supervisorId,
      frequency: input.frequency.choice,
      customEvery: input.frequency.every ?? '',
      customUnit: input.frequency.unit ?? '',
      fields: fieldsFromStored(setting.template, view.contract.agreed.values),
    }
    return renderContractForm(req, reply, editFormPage(view, setting), values, noErrors)
  })

  app.post<{ Params: { id: string } }>('/contracts/:id/edit', { config: manage }, async (req, reply) => {
    const found = await editable(req)
    if (!found) return renderNotFound(req, reply)
    const { view, setting } = found
    const values = readContractForm(setting.template, req.body)
    const version = readVersion(req.body)
    const common = {
      organisationId: organisationOf(req),
      actorId: personIdOf(req),
      today: today(),
      baseUrl: app.config.baseUrl,
    }
    const page = editFormPage(view, setting)
    if (version === null)
      return renderContractForm(req, reply, page, values, formErrors([['form', conflictMessage]]), 409)
    const result =
      view.contract.status === 'draft'
        ? await updateDraft(app.db, {
            ...common,
            contractId: view.contract.id,
            expectedVersion: version,
            terms: termsInputOf(values),
            mode: readAction(req.body),
          })
        : await createContract(app.db, {
            ...common,
            schoolId: view.contract.schoolId,
            superviseeId: view.contract.superviseeId,
            academicYear: view.contract.academicYear,
            terms: termsInputOf(values),
            mode: 'issue',
            replaces: { id: view.contract.id, version },
          })
    if (result.ok) return reply.redirect(`/contracts/${result.contractId}?done=${result.status}`, 303)
    if (result.kind === 'invalid') return renderContractForm(req, reply, page, values, errorsOf(result.errors), 400)
    if (result.kind === 'conflict')
      return renderContractForm(
        req,
        reply,
        { ...page, version: view.contract.version },
        values,
        formErrors([['form', conflictMessage]]),
        409,
      )
    return resultFailure(req, reply, result)
  })

  app.post<{ Params: { id: string } }>('/contracts/:id/issue', { config: manage }, async (req, reply) => {
    const found = await editable(req)
    if (found?.view.contract.status !== 'draft') return renderNotFound(req, reply)
    const { view, setting } = found
    const version = readVersion(req.body)
    const requirement = contractRequirement(
      setting.policy,
      view.contract.agreed.requirementId ? [view.contract.agreed.requirementId] : null,
    )
    const result = await updateDraft(app.db, {
      organisationId: organisationOf(req),
      actorId: personIdOf(req),
      today: today(),
      baseUrl: app.config.baseUrl,
      contractId: view.contract.id,
      expectedVersion: version ?? -1,
      terms: storedTermsInput(view.contract, requirement),
      mode: 'issue',
    })
    if (result.ok) return reply.redirect(`/contracts/${result.contractId}?done=issued`, 303)
    if (result.kind === 'invalid') {
      const input = storedTermsInput(view.contract, requirement)
      const values: ContractFormValues = {
        supervisorId: input.supervisorId,
        frequency: input.frequency.choice,
        customEvery: input.frequency.every ?? '',
        customUnit: input.frequency.unit ?? '',
        fields: fieldsFromStored(setting.template, view.contract.agreed.values),
      }
      return renderContractForm(req, reply, editFormPage(view, setting), values, errorsOf(result.errors), 400)
    }
    return resultFailure(req, reply, result)
  })

  // -------------------------------------------------------------------------------------------
  // A contract's page, its PDF, and signing
  // -------------------------------------------------------------------------------------------

  async function viewFor(req: FastifyRequest<{ Params: { id: string } }>, audit: 'view' | 'pdf' = 'view') {
    return openContract(app.db, {
      organisationId: organisationOf(req),
      contractId: req.params.id,
      personId: personIdOf(req),
      canManage: canManage(req),
      today: today(),
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

  app.get<{ Params: { id: string }; Querystring: { done?: string; notice?: string } }>(
    '/contracts/:id',
    { config: signedIn },
    async (req, reply) => {
      const view = await viewFor(req)
      if (!view) return renderNotFound(req, reply)
      const { contract, setting } = view
      const policy = setting?.policy ?? null
      const requirement = policy
        ? contractRequirement(policy, contract.agreed.requirementId ? [contract.agreed.requirementId] : null)
        : null
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
      const latest = view.history.find((h) => h.status !== 'superseded' && h.status !== 'draft')
      const nextDue = view.nextDue
      const nextDueText = nextDue?.nextDue
        ? `${formatDate(nextDue.nextDue)}: ${nextDue.dueBecause}`
        : nextDue && !nextDue.required
          ? 'Not required to be supervised under the policy'
          : 'Not set'
      const rows = [
        {
          key: { text: 'Supervisee' },
          value: {
            text: policy ? `${view.supervisee.name}, ${roleOnContract(policy, view.supervisee)}` : view.supervisee.name,
          },
        },
        {
          key: { text: 'Supervisor' },
          value: {
            text: policy ? `${view.supervisor.name}, ${roleOnContract(policy, view.supervisor)}` : view.supervisor.name,
          },
        },
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
        {
          key: { text: 'Review date' },
          value: { text: contract.reviewOn ? formatDate(contract.reviewOn) : 'Not set' },
        },
        ...(view.access.manage ||
        view.access.signAs !== null ||
        personIdOf(req) === contract.superviseeId ||
        personIdOf(req) === contract.supervisorId
          ? [{ key: { text: 'Next supervision due' }, value: { text: nextDueText } }]
          : []),
      ]
      const signedBy = setting?.signedBy ?? ['supervisee', 'supervisor']
      const signatureRows = signedBy.map((party) => {
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
      const historyRows = view.history.map((h) => [
        {
          html:
            h.id === contract.id
              ? `${escapeHtml(h.academicYear)} (this version)`
              : `<a class="govuk-link" href="/contracts/${h.id}">${escapeHtml(h.academicYear)}<span class="govuk-visually-hidden">, ${escapeHtml(statusLabels[h.status].toLowerCase())}, issued ${h.issuedAt ? formatDate(h.issuedAt) : 'not yet'}</span></a>`,
        },
        { text: statusLabels[h.status] },
        { text: h.supervisorName },
        { text: h.issuedAt ? formatDate(h.issuedAt) : 'Not issued' },
        { text: h.signedAt ? formatDate(h.signedAt) : '' },
      ])
      const nextYear = nextAcademicYear(contract.academicYear)
      const renewable =
        view.access.manage &&
        contract.status === 'signed' &&
        issuableYears(today()).includes(nextYear) &&
        !view.history.some((h) => h.academicYear === nextYear && h.status !== 'superseded')
      const bannerKey = req.query.done ?? req.query.notice
      return reply.view('contracts/views/contract.njk', {
        pageTitle: `Supervision contract for ${view.supervisee.name}`,
        backLink: view.access.manage
          ? { href: '/contracts', text: 'Contracts' }
          : { href: '/contracts/mine', text: 'Your contracts' },
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
        changeable:
          view.access.manage &&
          (contract.status === 'issued' || contract.status === 'signed') &&
          !(contract.status === 'signed' && view.history.some((h) => h.status === 'issued' || h.status === 'draft')),
        renewHref: renewable ? `/contracts/new?person=${contract.superviseeId}&year=${nextYear}` : null,
        renewYear: nextYear,
        rows,
        signatureRows,
        historyRows,
      })
    },
  )

  app.get<{ Params: { id: string } }>('/contracts/:id/contract.pdf', { config: signedIn }, async (req, reply) => {
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
      signedBy: setting?.signedBy ?? ['supervisee', 'supervisor'],
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

  async function renderSign(
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    errors: FormErrors,
    status = 200,
  ) {
    const view = await viewFor(req)
    if (!view) return renderNotFound(req, reply)
    if (view.access.signAs === null) {
      if (view.contract.status === 'issued' || view.contract.status === 'signed')
        return reply.redirect(`/contracts/${view.contract.id}`, 303)
      return renderNotFound(req, reply)
    }
    return reply.code(status).view('contracts/views/sign.njk', {
      pageTitle: 'Sign the contract',
      backLink: { href: `/contracts/${view.contract.id}`, text: 'Back to the contract' },
      contract: view.contract,
      supervisee: view.supervisee,
      supervisor: view.supervisor,
      signAs: view.access.signAs,
      twoStepEnabled: req.session!.twoStepEnabled,
      errors,
    })
  }

  app.get<{ Params: { id: string } }>('/contracts/:id/sign', { config: signedIn }, async (req, reply) =>
    renderSign(req, reply, noErrors),
  )

  app.post<{ Params: { id: string } }>('/contracts/:id/sign', { config: signedIn }, async (req, reply) => {
    const input = {
      organisationId: organisationOf(req),
      contractId: req.params.id,
      personId: personIdOf(req),
      canManage: canManage(req),
      expectedHash: field(req.body, 'hash'),
      now: new Date(),
      today: today(),
      baseUrl: app.config.baseUrl,
    }
    const read = readStepUp(req)
    if (!read.ok) return renderSign(req, reply, read.errors, read.status)
    // Asked before the step-up, so no code is used up on a contract that cannot be signed.
    const signable = await contractToSign(app.db, input)
    if (!signable.ok) return refuseSigning(req, reply, signable.kind)
    const step = await signStepUp(req, read.form, 'sign-contract', input.contractId)
    if (!step.ok) return renderSign(req, reply, step.errors, step.status)
    const result = await signContract(app.db, step.proof, input)
    if (!result.ok) return refuseSigning(req, reply, result.kind)
    return reply.redirect(`/contracts/${req.params.id}?done=${result.complete ? 'in-force' : 'signed'}`, 303)
  })

  function refuseSigning(req: FastifyRequest, reply: FastifyReply, kind: SignRefusal['kind']) {
    switch (kind) {
      case 'changed':
        return renderClientError(reply, 409, {
          heading: 'This contract has changed',
          paragraphs: [
            'It was changed or replaced after you opened it, so it has not been signed. Read the contract again before you sign it.',
          ],
        })
      case 'not-yours':
        return renderClientError(reply, 403, {
          heading: 'You cannot sign this contract',
          paragraphs: [
            'Only the supervisee and the supervisor sign a contract, each once, while it is waiting for signatures.',
          ],
        })
      default:
        return renderNotFound(req, reply)
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )
}

export default contractsRoutes
