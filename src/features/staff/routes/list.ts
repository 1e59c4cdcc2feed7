/** The staff list with search, filters and paging; the export; inviting everyone not yet invited. */
import type { FastifyPluginAsync } from 'fastify'
import { employmentEnded } from '../../../domain/access/accounts.ts'
import { type Actor, can, Permission } from '../../../domain/access/permissions.ts'
import { canSeeAllAdditionalSupport } from '../../../domain/access/sensitive.ts'
import { choiceItems, listView, pageSummary, parseListQuery } from '../../../domain/lists/list-query.ts'
import {
  isStaffStatusFilter,
  staffListSpec,
  staffStatuses,
  staffStatusLabels,
} from '../../../domain/lists/staff-list.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { pendingChanges } from '../../../services/auth/access-changes.ts'
import {
  countNotInvited,
  exportStaffCsv,
  inviteEveryoneNotInvited,
  listStaff,
  type StaffFlagFilter,
  staffFlagFilters,
} from '../../../services/staff/people.ts'
import { customRolesFor } from '../../../services/staff/roles.ts'
import { pageNumber } from '../../outbox/pagination.ts'
import { schoolFor, schoolPage, schoolQuery } from '../../school-scope.ts'
import { flagFilterLabels, invitationTag, roleNamer } from '../presenters.ts'
import { manage, read, roleOptions, todayOf } from './shared.ts'

const PAGE_SIZE = 50

function count(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : null
}

/** What waits for a DSL on the staff list: record-opening roles and new email addresses (for a DSL only). */
async function waitingCountsFor(
  db: Parameters<typeof pendingChanges>[0],
  actor: Actor,
  scope: { organisationId: string; schoolId: string },
) {
  if (!can(actor, Permission.RecordsReadAll)) return { grantsWaiting: 0, emailsWaiting: 0 }
  const waiting = await pendingChanges(db, scope)
  return {
    grantsWaiting: waiting.filter((c) => c.kind === 'role').length,
    emailsWaiting: waiting.filter((c) => c.kind === 'email').length,
  }
}

const listRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.staff.index.pattern,
    { config: read },
    schoolPage(schoolFor, async (req, reply, found) => {
      const { school, schools } = found
      const page = pageNumber(req.query.page)
      if (page === null) return renderNotFound(req, reply)
      const actor = req.actor!
      const today = todayOf(app)
      const customRoles = await customRolesFor(app.db, school.organisationId, school.id)
      const roleName = roleNamer(customRoles)
      const knownRoles = new Set([...roleCatalogue, ...customRoles].map((r) => r.id))
      const role = req.query.role && knownRoles.has(req.query.role) ? req.query.role : null
      const seeAll = canSeeAllAdditionalSupport(actor)
      const flags = staffFlagFilters.filter((f) => f !== 'additional-support' || seeAll)
      const flag = (flags as readonly string[]).includes(req.query.flag ?? '')
        ? (req.query.flag as StaffFlagFilter)
        : null
      // Issue 16: sorted, and filtered by current supervisor and standing against the policy too.
      const query = parseListQuery(req.query, staffListSpec)
      const q = query.q.slice(0, 200)
      const standing = isStaffStatusFilter(query.status) ? query.status : null
      const scope = { organisationId: school.organisationId, schoolId: school.id }
      const result = await listStaff(
        app.db,
        school,
        {
          q,
          role,
          flag,
          page,
          pageSize: PAGE_SIZE,
          supervisor: query.supervisor,
          standing,
          sort: query.sort,
          direction: query.direction,
        },
        app.clock(),
      )
      const summary = pageSummary(result.total, page, PAGE_SIZE, result.people.length)
      if (!summary) return renderNotFound(req, reply)
      const pageCount = summary.pageCount
      const chosen = schools.length > 1 ? school.slug : undefined
      const list = listView({
        query: { ...query, page },
        spec: staffListSpec,
        summary,
        // The role and "who" filters are the staff list's own: kept on every link.
        href: ({ page: n, ...params }) =>
          paths.staff.index({ school: chosen, ...params, role: role ?? undefined, flag: flag ?? undefined, page: n }),
        noun: ['person', 'people'],
        columns: { name: 'Name', 'job-title': 'Job title', 'line-manager': 'Line manager' },
      })
      const canManage = can(actor, Permission.StaffManage)
      const sq = schoolQuery(school, schools)
      return reply.view('staff/views/list.njk', {
        pageTitle: page === 1 ? 'Staff' : `Staff (page ${page} of ${pageCount})`,
        school,
        schools: schools.length > 1 ? schools : [],
        people: result.people.map((p) => ({
          ...p,
          roleNames: p.roles.map(roleName),
          tag: invitationTag(p.invitation),
          left: employmentEnded(p.endDate, today),
        })),
        total: result.total,
        first: summary.first,
        last: summary.last,
        filters: { q, role: role ?? '', flag: flag ?? '' },
        filtered: Boolean(q || role || flag || query.supervisor || standing),
        list,
        roleOptions: roleOptions(customRoles, role),
        flagOptions: [
          { value: '', text: 'Anyone' },
          ...flags.map((f) => ({ value: f, text: flagFilterLabels[f], selected: f === flag })),
        ],
        supervisorOptions: choiceItems(query.supervisor, result.supervisors),
        standingOptions: [
          { value: '', text: 'Anyone' },
          ...staffStatuses.map((s) => ({ value: s, text: staffStatusLabels[s], selected: s === standing })),
        ],
        pagination: list.pagination,
        canManage,
        canManageRoles: can(actor, Permission.RolesManage),
        canManageSchools: can(actor, Permission.OrganisationManage),
        notInvited: canManage ? await countNotInvited(app.db, scope, today) : 0,
        ...(await waitingCountsFor(app.db, actor, scope)),
        links: {
          clear: paths.staff.index({ school: chosen }),
          add: paths.staff.add(sq),
          others: paths.staff.others(sq),
          import: paths.staff.import(sq),
          export: paths.staff.exportCsv(sq),
          inviteAll: paths.staff.inviteAll(sq),
          roles: paths.staff.roles(sq),
          roleGrants: paths.staff.roleGrants(sq),
          schools: paths.schools.index(),
        },
        banner: {
          imported:
            req.query.imported === '1'
              ? { created: count(req.query.created), updated: count(req.query.updated) }
              : null,
          invited: count(req.query.invited),
        },
      })
    }),
  )

  app.get<{ Querystring: { school?: string } }>(
    paths.staff.exportCsv.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      const actor = req.actor!
      const { csv } = await exportStaffCsv(
        app.db,
        { organisationId: found.school.organisationId, schoolId: found.school.id },
        { includeAdditionalSupport: canSeeAllAdditionalSupport(actor), actorId: actor.personId },
      )
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="staff-${found.school.slug}-${todayOf(app)}.csv"`)
        .send(csv)
    }),
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.staff.inviteAll.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      const invited = await inviteEveryoneNotInvited(app.db, {
        scope: { organisationId: found.school.organisationId, schoolId: found.school.id },
        actorId: req.actor!.personId,
        baseUrl: app.config.baseUrl,
        today: todayOf(app),
      })
      const chosen = found.schools.length > 1 ? found.school.slug : undefined
      return reply.redirect(paths.staff.index({ invited, school: chosen }), 303)
    }),
  )
}

export default listRoutes
