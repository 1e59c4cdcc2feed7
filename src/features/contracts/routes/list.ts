/** The school's contracts by status (MW-02: who has still to sign), and a person's own contracts. */
import type { FastifyPluginAsync } from 'fastify'
import { isContractStatus } from '../../../domain/contracts/index.ts'
import { choiceItems, pagedTitle, pageOfList, parseListQuery, statusItems } from '../../../domain/lists/list-query.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { formatDate } from '../../../presenters/format.ts'
import {
  type ContractListItem,
  contractsListSpec,
  myContracts,
  myContractsListSpec,
  schoolContracts,
} from '../../../services/contracts/read.ts'
import { issuableYears } from '../../../services/contracts/setting.ts'
import { schoolFor, schoolPage } from '../../school-scope.ts'
import { partiesText, partyLabels, statusFilters, statusLabels } from '../presenters.ts'
import {
  escapeHtml,
  manage,
  noPolicyMessage,
  noTemplateMessage,
  returnToText,
  schoolParam,
  signedIn,
  todayOf,
} from './shared.ts'

const schoolLabels = {
  noun: ['contract', 'contracts'],
  columns: { supervisee: 'Supervisee', supervisor: 'Supervisor', year: 'Year', review: 'Review date' },
} as const
const mineLabels = { noun: ['contract', 'contracts'], columns: { year: 'Year', review: 'Review date' } } as const

const listRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.contracts.index.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      const today = todayOf(req)
      const school = schoolParam(found)
      // Issue 16: a page of the list, filtered, searched and sorted in the query.
      const query = parseListQuery(req.query, contractsListSpec)
      const status = isContractStatus(query.status) ? query.status : null
      const result = await schoolContracts(app.db, {
        organisationId: req.actor!.organisationId,
        schoolId: found.school.id,
        list: query,
        today,
      })
      const { items, counts, setting, people } = result
      const list = pageOfList(query, contractsListSpec, schoolLabels, {
        total: result.total,
        shown: items.length,
        href: (params) => paths.contracts.index({ school, ...params }),
      })
      if (!list) return renderNotFound(req, reply)
      const sortable = (key: keyof typeof list.headers) => {
        const h = list.headers[key]!
        const arrow = h.ariaSort === 'ascending' ? ' ▲' : h.ariaSort === 'descending' ? ' ▼' : ''
        const hint =
          h.ariaSort === 'ascending'
            ? ' (sorted ascending; sort descending)'
            : h.ariaSort === 'descending'
              ? ' (sorted descending; sort ascending)'
              : ' (sort by this column)'
        return {
          html: `<a class="govuk-link govuk-link--no-visited-state" href="${escapeHtml(h.href)}">${escapeHtml(h.label)}<span aria-hidden="true">${arrow}</span><span class="govuk-visually-hidden">${hint}</span></a>`,
          attributes: { 'aria-sort': h.ariaSort },
        }
      }
      const total = Object.values(counts).reduce((a, b) => a + b, 0)
      const issued = req.query.issued && /^\d{1,6}$/.test(req.query.issued) ? Number(req.query.issued) : null
      return reply.view('contracts/views/list.njk', {
        pageTitle: 'Supervision contracts',
        school: found.school,
        schools: found.schools.length > 1 ? found.schools : [],
        banner: issued === null ? null : issued === 1 ? '1 contract issued.' : `${String(issued)} contracts issued.`,
        problem: !setting ? noPolicyMessage : !setting.template ? noTemplateMessage : null,
        returnTo: setting ? returnToText(setting) : 'the DSL',
        counts,
        years: issuableYears(today).map((id) => ({ id, href: paths.contracts.issue({ year: id, school }) })),
        links: { one: paths.contracts.new({ school }) },
        filters: statusFilters.map((f) => ({
          text: f.text,
          count: f.value === '' ? total : counts[f.value],
          current: (f.value || null) === status,
          href: paths.contracts.index({ status: f.value, school }),
        })),
        listHeading: status ? statusLabels[status] : 'All contracts',
        list,
        // Issue 16: the supervisee and supervisor filters as choices (a GET form, no JavaScript).
        selects: [
          { name: 'person', label: 'Supervisee', items: choiceItems(query.person, people.supervisees) },
          { name: 'supervisor', label: 'Supervisor', items: choiceItems(query.supervisor, people.supervisors) },
        ],
        hidden: [
          ...(school ? [{ name: 'school', value: school }] : []),
          ...(status ? [{ name: 'status', value: status }] : []),
        ],
        head: [
          sortable('supervisee'),
          sortable('supervisor'),
          sortable('year'),
          { text: 'Status' },
          { text: 'Still to sign' },
          sortable('review'),
        ],
        rows: items.map((c) => [
          {
            html: `<a class="govuk-link" href="${paths.contracts.show({ id: c.id })}">${escapeHtml(c.supervisee.name)}</a>`,
          },
          { text: c.supervisor.name },
          { text: c.academicYear },
          { text: statusLabels[c.status] },
          { text: c.status === 'issued' ? partiesText(c.stillToSign) : '' },
          { text: c.reviewOn ? formatDate(c.reviewOn) : '' },
        ]),
      })
    }),
  )

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.contracts.mine.pattern,
    { config: signedIn },
    async (req, reply) => {
      const actor = req.actor!
      const me = actor.personId
      // Issue 16: every contract of the person, a page at a time (no longer cut at 500).
      const query = parseListQuery(req.query, myContractsListSpec)
      const result = await myContracts(app.db, {
        organisationId: actor.organisationId,
        personId: me,
        schoolId: actor.schoolId,
        today: todayOf(req),
        list: query,
      })
      const list = pageOfList(query, myContractsListSpec, mineLabels, {
        total: result.total,
        shown: result.items.length,
        href: (params) => paths.contracts.mine(params),
      })
      if (!list) return renderNotFound(req, reply)
      const partyOf = (c: ContractListItem) => (c.supervisee.id === me ? 'supervisee' : 'supervisor')
      const link = (c: ContractListItem) => ({
        html: `<a class="govuk-link" href="${paths.contracts.show({ id: c.id })}">${escapeHtml(
          partyOf(c) === 'supervisee' ? `Your contract with ${c.supervisor.name}` : `${c.supervisee.name}’s contract`,
        )}</a>`,
      })
      return reply.view('contracts/views/mine.njk', {
        pageTitle: pagedTitle('Your supervision contracts', list),
        toSign: result.toSign.map((c) => [
          link(c),
          { text: partyLabels[partyOf(c)] },
          { text: c.academicYear },
          { text: c.issuedAt ? formatDate(c.issuedAt) : '' },
        ]),
        list,
        statusItems: statusItems(myContractsListSpec, query.status, (s) => (isContractStatus(s) ? statusLabels[s] : s)),
        all: result.items.map((c) => [
          link(c),
          { text: partyLabels[partyOf(c)] },
          { text: c.academicYear },
          { text: statusLabels[c.status] },
          { text: c.reviewOn ? formatDate(c.reviewOn) : '' },
        ]),
      })
    },
  )
}

export default listRoutes
