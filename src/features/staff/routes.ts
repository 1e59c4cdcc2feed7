/**
 * Staff (issue 4): the staff list with search, filters and paging; a person's page; adding and
 * editing someone; line management and supervision changes with handovers (LH-07); ending
 * employment; invitations; the school's own roles (X-03); CSV import with a preview, and export.
 * Handlers parse, call one service, and render or redirect.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { type Actor, can, Permission } from '../../domain/access/permissions.ts'
import { canSeeAdditionalSupport, canSeeAllAdditionalSupport } from '../../domain/access/sensitive.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import type { PersonFlags } from '../../domain/people/person.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import { staffCsvColumns, staffCsvLimits, staffCsvTemplate } from '../../domain/people/staff-csv/index.ts'
import { type SupervisionKind, supervisionKindNames, supervisorWarnings } from '../../domain/people/supervision.ts'
import { type FormErrors, formErrors, noErrors } from '../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import multipart, { uploadedFile } from '../../plugins/multipart.ts'
import {
  answerEmailChange,
  decideChange,
  type PendingChange,
  pendingChanges,
} from '../../services/auth/access-changes.ts'
import { emailChangeByToken } from '../../services/auth/email-changes.ts'
import {
  applyStaffImport,
  loadUpload,
  type PlanResult,
  planImportFor,
  storeUpload,
} from '../../services/staff/import.ts'
import {
  countNotInvited,
  createPerson,
  exportStaffCsv,
  getPersonDetail,
  getStoredPerson,
  inviteEveryoneNotInvited,
  inviteOne,
  listStaff,
  type StaffFlagFilter,
  staffFlagFilters,
  updatePerson,
} from '../../services/staff/people.ts'
import { customRolesFor, isUuid, type SchoolSummary } from '../../services/staff/repository.ts'
import { addCustomRole } from '../../services/staff/roles.ts'
import {
  type Candidate,
  changeSupervision,
  currentSupervisees,
  endEmployment,
  handOverSupervisees,
  supervisionCandidates,
} from '../../services/staff/supervision.ts'
import { paginationItems } from '../outbox/routes.ts'
import { personInReach, schoolById, schoolFor, schoolQuery, withQuery } from '../school-scope.ts'
import {
  changeSupervisionForm,
  changeSupervisionHrefs,
  changeSupervisionValues,
  datePartsOf,
  emailChangeForm,
  emptyPersonFormValues,
  endEmploymentForm,
  endEmploymentHrefs,
  flagKeys,
  handoverForm,
  handoverValues,
  importConfirmForm,
  type PersonFormValues,
  personFormValues,
  readPersonForm,
  readVersion,
  roleForm,
} from './forms.ts'
import {
  changedFieldLabels,
  employmentTypeLabels,
  flagFilterLabels,
  flagLabels,
  invitationTag,
  roleNamer,
  workingDaysText,
} from './presenters.ts'

const read = { access: { permission: Permission.StaffRead } }
const manage = { access: { permission: Permission.StaffManage } }
const manageRoles = { access: { permission: Permission.RolesManage } }
/** Deciding a grant of a record-opening role is for a DSL (who also must be a DSL of the person's school). */
const decideGrants = { access: { permission: Permission.RecordsReadAll } }
const PAGE_SIZE = 50
const MAX_ERRORS_SHOWN = 500

export const conflictMessage =
  'Someone else changed this person while you were editing. Your changes have not been saved. Check their details below, then make your changes again.'

function actorOf(req: FastifyRequest): Actor {
  return req.actor!
}

function organisationOf(req: FastifyRequest): string {
  return req.session!.person.organisationId
}

function pageNumber(raw: unknown): number | null {
  if (raw === undefined || raw === '') return 1
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return null
  const n = Number(raw)
  return n >= 1 ? n : null
}

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

/** What waits for one person, for their page. */
function waitingFor(changes: readonly PendingChange[]) {
  return {
    rolesWaiting: changes.flatMap((c) => (c.kind === 'role' && c.roleName ? [c.roleName] : [])),
    emailWaiting: changes.find((c) => c.kind === 'email')?.newEmail ?? null,
  }
}

/** Options for choosing a person: "Name (job title)", with their school when it is another one. */
function candidateItems(
  candidates: readonly Candidate[],
  selected: string,
  noneText: string | null,
  homeSchoolId: string | null,
) {
  const items = candidates.map((c) => {
    const where = c.externalOrganisation
      ? `external: ${c.externalOrganisation}`
      : [c.jobTitle, c.schoolId === homeSchoolId ? null : c.schoolName].filter((x) => x).join(', ')
    return { value: c.id, text: where ? `${c.name} (${where})` : c.name, selected: c.id === selected }
  })
  return [{ value: '', text: noneText ?? 'Choose someone', selected: selected === '' }, ...items]
}

function roleItems(
  customRoles: readonly { id: string; name: string; description: string }[],
  checked: readonly string[],
) {
  return [...roleCatalogue, ...customRoles].map((r) => ({
    value: r.id,
    text: r.name,
    hint: { text: r.description },
    checked: checked.includes(r.id),
  }))
}

function flagItems(values: PersonFormValues, showAdditionalSupport: boolean) {
  return flagKeys
    .filter((k) => k !== 'additionalSupport' || showAdditionalSupport)
    .map((k) => ({
      value: k,
      text: flagLabels[k],
      checked: values.flags.includes(k),
      ...(k === 'additionalSupport'
        ? {
            hint: {
              text: 'For example stress, personal difficulties or performance. Only the DSL, deputy DSL and their line manager and supervisor see this.',
            },
          }
        : {}),
    }))
}

const staffRoutes: FastifyPluginAsync = async (app) => {
  /** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
  const today = (): string => londonDateOf(app.clock())

  // Only the import form sends multipart/form-data; everywhere else keeps refusing it.
  await app.register(multipart, { limits: { maxFileBytes: staffCsvLimits.maxBytes } })

  // A person's pages (/staff/:id and everything under it) are open only when the person is within
  // the viewer's reach: someone of their own school, or of the trust centrally (X-03).
  app.addHook('preHandler', async (req, reply) => {
    if (!req.routeOptions.url?.startsWith('/staff/:id')) return
    const id = (req.params as { id?: string }).id ?? ''
    if (!isUuid(id) || !req.session) return
    const stored = await getStoredPerson(app.db, organisationOf(req), id)
    if (stored && !personInReach(req, stored.person.schoolId)) return renderNotFound(req, reply)
  })

  // -------------------------------------------------------------------------------------------
  // The staff list
  // -------------------------------------------------------------------------------------------

  app.get<{ Querystring: Record<string, string | undefined> }>('/staff', { config: read }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const { school, schools } = found
    const page = pageNumber(req.query.page)
    if (page === null) return renderNotFound(req, reply)
    const actor = actorOf(req)
    const customRoles = await customRolesFor(app.db, school.organisationId, school.id)
    const roleName = roleNamer(customRoles)
    const knownRoles = new Set([...roleCatalogue, ...customRoles].map((r) => r.id))
    const q = (req.query.q ?? '').trim().slice(0, 200)
    const role = req.query.role && knownRoles.has(req.query.role) ? req.query.role : null
    const seeAll = canSeeAllAdditionalSupport(actor)
    const flags = staffFlagFilters.filter((f) => f !== 'additional-support' || seeAll)
    const flag = (flags as readonly string[]).includes(req.query.flag ?? '')
      ? (req.query.flag as StaffFlagFilter)
      : null
    const scope = { organisationId: school.organisationId, schoolId: school.id }
    const result = await listStaff(app.db, scope, { q, role, flag, page, pageSize: PAGE_SIZE })
    const pageCount = Math.max(1, Math.ceil(result.total / PAGE_SIZE))
    if (page > pageCount) return renderNotFound(req, reply)
    const filterQuery = new URLSearchParams()
    if (schools.length > 1) filterQuery.set('school', school.slug)
    if (q) filterQuery.set('q', q)
    if (role) filterQuery.set('role', role)
    if (flag) filterQuery.set('flag', flag)
    const href = (n: number) => {
      const params = new URLSearchParams(filterQuery)
      if (n > 1) params.set('page', String(n))
      const text = params.toString()
      return text ? `/staff?${text}` : '/staff'
    }
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
        left: employmentEnded(p.endDate, today()),
      })),
      total: result.total,
      first: (page - 1) * PAGE_SIZE + 1,
      last: (page - 1) * PAGE_SIZE + result.people.length,
      filters: { q, role: role ?? '', flag: flag ?? '' },
      filtered: Boolean(q || role || flag),
      roleOptions: [
        { value: '', text: 'Any role' },
        ...[...roleCatalogue, ...customRoles].map((r) => ({ value: r.id, text: r.name, selected: r.id === role })),
      ],
      flagOptions: [
        { value: '', text: 'Anyone' },
        ...flags.map((f) => ({ value: f, text: flagFilterLabels[f], selected: f === flag })),
      ],
      pagination:
        pageCount > 1
          ? {
              previous: page > 1 ? { href: href(page - 1) } : undefined,
              next: page < pageCount ? { href: href(page + 1) } : undefined,
              items: paginationItems(page, pageCount, href),
            }
          : null,
      canManage,
      canManageRoles: can(actor, Permission.RolesManage),
      canManageSchools: can(actor, Permission.OrganisationManage),
      notInvited: canManage ? await countNotInvited(app.db, scope, today()) : 0,
      ...(await waitingCountsFor(app.db, actor, scope)),
      links: {
        add: withQuery('/staff/new', sq),
        import: withQuery('/staff/import', sq),
        export: withQuery('/staff/export.csv', sq),
        inviteAll: withQuery('/staff/invite-all', sq),
        roles: withQuery('/staff/roles', sq),
        roleGrants: withQuery('/staff/role-grants', sq),
      },
      banner: {
        imported:
          req.query.imported === '1' ? { created: count(req.query.created), updated: count(req.query.updated) } : null,
        invited: count(req.query.invited),
      },
    })
  })

  // -------------------------------------------------------------------------------------------
  // Roles that open supervision records, waiting for a DSL's approval (issue 12, ADR 0011)
  // -------------------------------------------------------------------------------------------

  app.get<{ Querystring: { school?: string; decided?: string } }>(
    '/staff/role-grants',
    { config: decideGrants },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const { school, schools } = found
      const waiting = await pendingChanges(app.db, { organisationId: school.organisationId, schoolId: school.id })
      const decided: Record<string, string> = {
        'role-approved': 'The role has been given.',
        'role-refused': 'The role has been refused.',
        'email-approved': 'The new email address is now in use. The person has been signed out everywhere.',
        'email-refused': 'The new email address has been refused. The person keeps their current one.',
      }
      return reply.view('staff/views/role-grants.njk', {
        pageTitle: 'Roles waiting for approval',
        backLink: { href: withQuery('/staff', schoolQuery(school, schools)), text: 'Staff' },
        school,
        grants: waiting.filter((c) => c.kind === 'role'),
        emailChanges: waiting.filter((c) => c.kind === 'email'),
        me: req.session!.person.id,
        decided: req.query.decided ? (decided[req.query.decided] ?? null) : null,
        notAllowed: req.query.decided === 'not-allowed',
        emailTaken: req.query.decided === 'email-taken',
      })
    },
  )

  for (const [path, decision] of [
    ['approve', 'approved'],
    ['refuse', 'refused'],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/staff/role-grants/:id/${path}`,
      { config: decideGrants },
      async (req, reply) => {
        const result = await decideChange(app.db, {
          organisationId: organisationOf(req),
          changeId: req.params.id,
          approverId: req.session!.person.id,
          decision,
          today: today(),
        })
        if (!result.ok && result.reason === 'not-found') return renderNotFound(req, reply)
        return reply.redirect(`/staff/role-grants?decided=${result.ok ? `${result.kind}-${decision}` : result.reason}`)
      },
    )
  }

  // -------------------------------------------------------------------------------------------
  // A new email address confirmed (or refused) by the person, from the link sent to the old one
  // -------------------------------------------------------------------------------------------

  const linkProblems = {
    unknown: 'This link is not valid',
    used: 'This link has already been used',
    expired: 'This link has expired',
    'email-taken': 'This email address is already in use',
  } as const

  function showLinkProblem(reply: FastifyReply, reason: keyof typeof linkProblems) {
    return reply.code(reason === 'unknown' ? 404 : reason === 'email-taken' ? 409 : 410).view('pages/static.njk', {
      pageTitle: linkProblems[reason],
      paragraphs: [
        reason === 'email-taken'
          ? 'Someone else in Haven now has the new email address, so it cannot be used. Your email address has not changed.'
          : 'Your email address has not changed. If you still need it changed, ask your school administrator.',
      ],
    })
  }

  app.get<{ Params: { token: string } }>(
    '/email-change/:token',
    { config: { access: 'public' } },
    async (req, reply) => {
      const link = await emailChangeByToken(app.db, req.params.token, new Date())
      if (!link.ok) return showLinkProblem(reply, link.reason)
      return reply.view('staff/views/email-change.njk', {
        pageTitle: 'Confirm your new email address',
        link,
        action: `/email-change/${req.params.token}`,
        errors: noErrors,
      })
    },
  )

  app.post<{ Params: { token: string } }>(
    '/email-change/:token',
    { config: { access: 'public' } },
    async (req, reply) => {
      const form = parseForm(emailChangeForm, req.body)
      if (!form.ok) {
        const link = await emailChangeByToken(app.db, req.params.token, new Date())
        if (!link.ok) return showLinkProblem(reply, link.reason)
        return renderInvalid(
          reply,
          'staff/views/email-change.njk',
          { pageTitle: 'Confirm your new email address', link, action: `/email-change/${req.params.token}` },
          form.errors,
        )
      }
      const result = await answerEmailChange(
        app.db,
        req.params.token,
        form.value.decision === 'confirm' ? 'approved' : 'refused',
      )
      if (!result.ok) return showLinkProblem(reply, result.reason)
      return reply.view('pages/static.njk', {
        pageTitle:
          result.decision === 'approved' ? 'Your email address has changed' : 'Your email address has not changed',
        paragraphs:
          result.decision === 'approved'
            ? [
                `Haven now uses ${result.newEmail}. Sign in with it from now on.`,
                'You have been signed out everywhere, and links Haven emailed you before no longer work.',
              ]
            : [
                'Haven keeps using your current email address.',
                'If you did not expect anyone to ask for this change, tell your school’s designated safeguarding lead or headteacher.',
              ],
        links: result.decision === 'approved' ? [{ href: '/sign-in', text: 'Sign in' }] : [],
      })
    },
  )

  app.get<{ Querystring: { school?: string } }>('/staff/export.csv', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const { csv } = await exportStaffCsv(
      app.db,
      { organisationId: found.school.organisationId, schoolId: found.school.id },
      { includeAdditionalSupport: canSeeAllAdditionalSupport(actorOf(req)), actorId: actorOf(req).personId },
    )
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="staff-${found.school.slug}-${today()}.csv"`)
      .send(csv)
  })

  app.post<{ Querystring: { school?: string } }>('/staff/invite-all', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const invited = await inviteEveryoneNotInvited(app.db, {
      scope: { organisationId: found.school.organisationId, schoolId: found.school.id },
      actorId: actorOf(req).personId,
      baseUrl: app.config.baseUrl,
      today: today(),
    })
    return reply.redirect(withQuery(`/staff?invited=${invited}`, schoolQuery(found.school, found.schools)), 303)
  })

  // -------------------------------------------------------------------------------------------
  // Roles (X-03)
  // -------------------------------------------------------------------------------------------

  async function renderRoles(
    req: FastifyRequest,
    reply: FastifyReply,
    found: { school: SchoolSummary; schools: SchoolSummary[] },
    extra: { values?: Record<string, string>; errors?: FormErrors; added?: string | null; status?: number } = {},
  ) {
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    return reply.code(extra.status ?? 200).view('staff/views/roles.njk', {
      pageTitle: 'Roles',
      backLink: { href: withQuery('/staff', schoolQuery(found.school, found.schools)), text: 'Staff' },
      school: found.school,
      trust: found.schools.length > 1,
      catalogue: roleCatalogue,
      customRoles: customRoles.map((r) => ({
        ...r,
        scope: r.schoolId === null ? 'Every school in the trust' : found.school.name,
      })),
      canManageRoles: can(actorOf(req), Permission.RolesManage),
      action: withQuery('/staff/roles', schoolQuery(found.school, found.schools)),
      values: extra.values ?? { name: '', description: '', scope: 'school' },
      errors: extra.errors ?? noErrors,
      added: extra.added ?? null,
    })
  }

  app.get<{ Querystring: { school?: string; added?: string } }>(
    '/staff/roles',
    { config: read },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
      const added = customRoles.find((r) => r.id === req.query.added)?.name ?? null
      return renderRoles(req, reply, found, { added })
    },
  )

  app.post<{ Querystring: { school?: string } }>('/staff/roles', { config: manageRoles }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const values = roleForm.parse(req.body ?? {})
    const trustWide = found.schools.length > 1 && values.scope === 'trust'
    const result = await addCustomRole(app.db, {
      organisationId: found.school.organisationId,
      schoolId: trustWide ? null : found.school.id,
      name: values.name,
      description: values.description,
      actorId: actorOf(req).personId,
    })
    if (!result.ok)
      return renderRoles(req, reply, found, {
        values,
        errors: problemErrors(result.errors.map(([field, message]) => ({ field, message }))),
        status: 400,
      })
    return reply.redirect(
      withQuery(`/staff/roles?added=${encodeURIComponent(result.id)}`, schoolQuery(found.school, found.schools)),
      303,
    )
  })

  // -------------------------------------------------------------------------------------------
  // Import and export
  // -------------------------------------------------------------------------------------------

  function renderUpload(
    reply: FastifyReply,
    found: { school: SchoolSummary; schools: SchoolSummary[] },
    extra: {
      errors?: FormErrors
      fileErrors?: { row: number | null; column: string | null; message: string }[]
      status?: number
    } = {},
  ) {
    const sq = schoolQuery(found.school, found.schools)
    const fileErrors = extra.fileErrors ?? []
    return reply.code(extra.status ?? 200).view('staff/views/import.njk', {
      pageTitle: 'Import staff from a CSV file',
      backLink: { href: withQuery('/staff', sq), text: 'Staff' },
      school: found.school,
      action: withQuery('/staff/import', sq),
      templateHref: '/staff/import/template.csv',
      columns: staffCsvColumns,
      errors: extra.errors ?? noErrors,
      fileErrors: fileErrors.slice(0, MAX_ERRORS_SHOWN),
      moreErrors: Math.max(0, fileErrors.length - MAX_ERRORS_SHOWN),
      errorCount: fileErrors.length,
    })
  }

  app.get<{ Querystring: { school?: string } }>('/staff/import', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderUpload(reply, found)
  })

  app.get('/staff/import/template.csv', { config: manage }, async (_req, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="haven-staff-template.csv"')
      .send(staffCsvTemplate()),
  )

  app.post<{ Querystring: { school?: string } }>('/staff/import', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const file = uploadedFile(req.body, 'file')
    const fail = (message: string) =>
      renderUpload(reply, found, { errors: formErrors([['file', message]]), status: 400 })
    if (!file || (file.filename === '' && file.data.length === 0 && !file.tooLarge)) return fail('Select a CSV file')
    if (file.tooLarge) return fail('The selected file must be smaller than 5 MB')
    if (file.data.length === 0) return fail('The selected file is empty')
    const target = { organisationId: found.school.organisationId, schoolId: found.school.id }
    const actor = actorOf(req)
    const planned = await planImportFor(app.db, target, file.data, {
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
    })
    if (!planned.ok) {
      const n = planned.errors.length
      return renderUpload(reply, found, {
        errors: formErrors([
          [
            'file',
            `The selected file has ${n === 1 ? 'a problem' : `${n.toLocaleString('en-GB')} problems`}. Nothing has been imported. Correct the file and upload it again`,
          ],
        ]),
        fileErrors: planned.errors,
        status: 400,
      })
    }
    const id = await storeUpload(app.db, {
      ...target,
      uploadedBy: actor.personId,
      fileName: file.filename,
      buffer: file.data,
    })
    return reply.redirect(`/staff/import/${id}`, 303)
  })

  function renderPreview(
    reply: FastifyReply,
    found: { school: SchoolSummary; schools: SchoolSummary[] },
    upload: { id: string; fileName: string },
    planned: Extract<PlanResult, { ok: true }>,
    roleName: (id: string) => string,
    extra: { changed?: boolean; status?: number } = {},
  ) {
    const { plan } = planned
    const sq = schoolQuery(found.school, found.schools)
    const toImport = plan.creates.length + plan.updates.length
    return reply.code(extra.status ?? 200).view('staff/views/import-preview.njk', {
      pageTitle: 'Check the staff import',
      backLink: { href: withQuery('/staff/import', sq), text: 'Upload a different file' },
      school: found.school,
      fileName: upload.fileName,
      action: `/staff/import/${upload.id}`,
      digest: planned.digest,
      toImport,
      creates: plan.creates.map((d) => ({
        name: d.name,
        email: d.email,
        jobTitle: d.jobTitle,
        roles: d.roles.map(roleName).join(', '),
      })),
      updates: plan.updates.map((u) => ({
        name: u.after.name,
        email: u.before.email,
        changes: u.changedFields.map((f) => changedFieldLabels[f]).join(', '),
      })),
      unchanged: plan.unchanged.map((p) => ({ name: p.name, email: p.email })),
      notInFile: plan.notInFile.map((p) => ({ name: p.name, email: p.email })),
      ignoredColumns: plan.ignoredColumns,
      additionalSupportIgnored: plan.additionalSupportIgnored,
      changed: extra.changed ?? false,
      errors: extra.changed
        ? formErrors([
            [
              'import',
              'Staff details in Haven changed after you uploaded this file, so the import would now do something different. Nothing has been imported. Check the changes below and import again',
            ],
          ])
        : noErrors,
    })
  }

  app.get<{ Params: { id: string } }>('/staff/import/:id', { config: manage }, async (req, reply) => {
    const actor = actorOf(req)
    const upload = await loadUpload(app.db, req.params.id, {
      organisationId: organisationOf(req),
      uploadedBy: actor.personId,
    })
    if (!upload) return renderExpired(req, reply)
    const found = await schoolById(req, upload.schoolId)
    if (!found) return renderNotFound(req, reply)
    const target = { organisationId: found.school.organisationId, schoolId: found.school.id }
    const planned = await planImportFor(app.db, target, upload.buffer, {
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
    })
    if (!planned.ok)
      return renderUpload(reply, found, {
        fileErrors: planned.errors,
        status: 400,
        errors: fileProblems(planned.errors.length),
      })
    const roleName = roleNamer(await customRolesFor(app.db, target.organisationId, target.schoolId))
    return renderPreview(reply, found, upload, planned, roleName)
  })

  app.post<{ Params: { id: string } }>('/staff/import/:id', { config: manage }, async (req, reply) => {
    const actor = actorOf(req)
    const upload = await loadUpload(app.db, req.params.id, {
      organisationId: organisationOf(req),
      uploadedBy: actor.personId,
    })
    if (!upload) return renderExpired(req, reply)
    const found = await schoolById(req, upload.schoolId)
    if (!found) return renderNotFound(req, reply)
    const target = { organisationId: found.school.organisationId, schoolId: found.school.id }
    const result = await applyStaffImport(app.db, {
      ...target,
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
      buffer: upload.buffer,
      expectedDigest: importConfirmForm.parse(req.body ?? {}).digest,
      source: 'web',
      uploadId: upload.id,
      today: today(),
    })
    if (result.outcome === 'errors')
      return renderUpload(reply, found, {
        fileErrors: result.errors,
        status: 400,
        errors: fileProblems(result.errors.length),
      })
    if (result.outcome === 'changed') {
      const roleName = roleNamer(await customRolesFor(app.db, target.organisationId, target.schoolId))
      return renderPreview(reply, found, upload, { ok: true, plan: result.plan, digest: result.digest }, roleName, {
        changed: true,
        status: 409,
      })
    }
    const sq = schoolQuery(found.school, found.schools)
    return reply.redirect(
      withQuery(`/staff?imported=1&created=${result.counts.created}&updated=${result.counts.updated}`, sq),
      303,
    )
  })

  function fileProblems(n: number): FormErrors {
    return formErrors([
      [
        'file',
        `The file has ${n === 1 ? 'a problem' : `${n.toLocaleString('en-GB')} problems`}. Nothing has been imported. Correct the file and upload it again`,
      ],
    ])
  }

  function renderExpired(_req: FastifyRequest, reply: FastifyReply) {
    return renderClientError(reply, 404, {
      heading: 'This import has expired',
      paragraphs: [
        'Haven keeps an uploaded file for an hour, until it is imported. Upload the file again to import it.',
      ],
    })
  }

  // -------------------------------------------------------------------------------------------
  // Adding someone
  // -------------------------------------------------------------------------------------------

  async function renderPersonForm(
    reply: FastifyReply,
    options: {
      mode: 'add' | 'edit'
      found: { school: SchoolSummary; schools: SchoolSummary[] }
      values: PersonFormValues
      errors: FormErrors
      status?: number
      personId?: string
      personName?: string
      showAdditionalSupport: boolean
    },
  ) {
    const { school, schools } = options.found
    const customRoles = await customRolesFor(app.db, school.organisationId, school.id)
    const candidates =
      options.mode === 'add'
        ? await supervisionCandidates(app.db, {
            organisationId: school.organisationId,
            schoolId: school.id,
            kind: 'line-manager',
            today: today(),
          })
        : []
    const sq = schoolQuery(school, schools)
    return reply.code(options.status ?? 200).view('staff/views/person-form.njk', {
      pageTitle: options.mode === 'add' ? 'Add a person' : `Change ${options.personName}’s details`,
      heading: options.mode === 'add' ? 'Add a person' : `Change ${options.personName}’s details`,
      backLink:
        options.mode === 'add'
          ? { href: withQuery('/staff', sq), text: 'Staff' }
          : { href: `/staff/${options.personId}`, text: options.personName },
      mode: options.mode,
      school,
      action: options.mode === 'add' ? withQuery('/staff/new', sq) : `/staff/${options.personId}/edit`,
      values: options.values,
      errors: options.errors,
      roleItems: roleItems(customRoles, options.values.roles),
      flagItems: flagItems(options.values, options.showAdditionalSupport),
      lineManagerItems: candidateItems(candidates, options.values.lineManagerId, 'No line manager', school.id),
      employmentItems: Object.entries(employmentTypeLabels).map(([value, text]) => ({ value, text })),
      weekdayItems: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((text, i) => ({
        value: String(i + 1),
        text,
        checked: options.values.workingDays.includes(String(i + 1)),
      })),
    })
  }

  app.get<{ Querystring: { school?: string } }>('/staff/new', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderPersonForm(reply, {
      mode: 'add',
      found,
      values: { ...emptyPersonFormValues },
      errors: noErrors,
      showAdditionalSupport: canSeeAllAdditionalSupport(actorOf(req)),
    })
  })

  app.post<{ Querystring: { school?: string } }>('/staff/new', { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const actor = actorOf(req)
    const showAdditionalSupport = canSeeAllAdditionalSupport(actor)
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    const form = readPersonForm(req.body, { customRoleIds: customRoles.map((r) => r.id), today: today() })
    if (!form.ok)
      return renderPersonForm(reply, {
        mode: 'add',
        found,
        values: form.values,
        errors: form.errors,
        status: 400,
        showAdditionalSupport,
      })
    const fields = showAdditionalSupport
      ? form.fields
      : { ...form.fields, flags: { ...form.fields.flags, additionalSupport: false } }
    const result = await createPerson(app.db, {
      scope: { organisationId: found.school.organisationId, schoolId: found.school.id },
      fields,
      externalOrganisation: form.externalOrganisation,
      actor,
      today: today(),
    })
    if (result.ok) return reply.redirect(`/staff/${result.id}?saved=added`, 303)
    const errors =
      result.kind === 'field' ? formErrors([[result.field, result.message]]) : formErrors([['name', 'Try again']])
    return renderPersonForm(reply, {
      mode: 'add',
      found,
      values: form.values,
      errors,
      status: 400,
      showAdditionalSupport,
    })
  })

  // -------------------------------------------------------------------------------------------
  // A person's page
  // -------------------------------------------------------------------------------------------

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    '/staff/:id',
    { config: read },
    async (req, reply) => {
      const detail = await getPersonDetail(app.db, organisationOf(req), req.params.id)
      if (!detail) return renderNotFound(req, reply)
      const actor = actorOf(req)
      const { person } = detail
      const customRoles = await customRolesFor(app.db, detail.organisationId, person.schoolId)
      const roleName = roleNamer(customRoles)
      const showAdditionalSupport = canSeeAdditionalSupport(actor, {
        id: person.id,
        lineManagerId: person.lineManagerId,
        supervisorIds: detail.supervisor ? [detail.supervisor.id] : [],
      })
      const flags = (Object.keys(flagLabels) as (keyof PersonFlags)[])
        .filter((k) => k !== 'additionalSupport' && person.flags[k])
        .map((k) => flagLabels[k])
      const supervisedCount = detail.supervisees.filter((s) => s.kind === 'supervisor').length
      const saved: Record<string, string> = {
        added: `${person.name} has been added.`,
        changed: `${person.name}’s details have been saved.`,
        'email-waiting': `${person.name}’s details have been saved. The new email address is waiting for approval: a designated safeguarding lead of the school, or ${person.name} from their current email address, must confirm it.`,
        'line-manager': 'The new line manager has been recorded.',
        supervisor: 'The new supervisor has been recorded.',
        handover: 'The handover has been recorded.',
        ended: `${person.name}’s end date has been recorded.`,
        invited: `An invitation has been sent to ${person.email}.`,
      }
      const t = today()
      return reply.view('staff/views/person.njk', {
        pageTitle: person.name,
        backLink: {
          href: detail.school ? `/staff?school=${encodeURIComponent(detail.school.slug)}` : '/staff',
          text: 'Staff',
        },
        detail,
        person,
        roles: person.roles.map(roleName),
        employmentType: employmentTypeLabels[person.employmentType] ?? person.employmentType,
        workingDays: workingDaysText(person.workingDays),
        flags,
        showAdditionalSupport,
        left: employmentEnded(person.endDate, t),
        warnings: supervisorWarnings({
          superviseeCount: supervisedCount,
          supervisorTrainedOn: person.supervisorTrainedOn,
          hasOwnSupervisor: detail.supervisor !== null,
        }),
        kindNames: supervisionKindNames,
        invitation: invitationTag(detail.invitation),
        canInvite: detail.invitation.status !== 'account' && !employmentEnded(person.endDate, t),
        ...waitingFor(
          await pendingChanges(app.db, { organisationId: detail.organisationId, schoolId: person.schoolId }, person.id),
        ),
        canManage: can(actor, Permission.StaffManage),
        saved: req.query.saved ? (saved[req.query.saved] ?? null) : null,
        reasonNames: { change: 'Change', leaving: 'Leaving', import: 'Staff import' },
      })
    },
  )

  // -------------------------------------------------------------------------------------------
  // Editing someone (optimistic locking)
  // -------------------------------------------------------------------------------------------

  async function loadForEdit(req: FastifyRequest, id: string) {
    const stored = await getStoredPerson(app.db, organisationOf(req), id)
    if (!stored || stored.person.schoolId === null) return null
    const row = stored.person
    const found = await schoolById(req, row.schoolId)
    if (!found) return null
    const detail = await getPersonDetail(app.db, organisationOf(req), id)
    if (!detail) return null
    const mayChangeAdditionalSupport = canSeeAdditionalSupport(actorOf(req), {
      id: row.id,
      lineManagerId: row.lineManagerId,
      supervisorIds: detail.supervisor ? [detail.supervisor.id] : [],
    })
    return { stored, row, found, mayChangeAdditionalSupport }
  }

  app.get<{ Params: { id: string } }>('/staff/:id/edit', { config: manage }, async (req, reply) => {
    const loaded = await loadForEdit(req, req.params.id)
    if (!loaded) return renderNotFound(req, reply)
    const person = loaded.row
    return renderPersonForm(reply, {
      mode: 'edit',
      found: loaded.found,
      values: personFormValues(person, {
        externalOrganisation: loaded.stored.externalOrganisation,
        version: loaded.stored.version,
      }),
      errors: noErrors,
      personId: person.id,
      personName: person.name,
      showAdditionalSupport: loaded.mayChangeAdditionalSupport,
    })
  })

  app.post<{ Params: { id: string } }>('/staff/:id/edit', { config: manage }, async (req, reply) => {
    const loaded = await loadForEdit(req, req.params.id)
    if (!loaded) return renderNotFound(req, reply)
    const { row, found, mayChangeAdditionalSupport } = loaded
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    const form = readPersonForm(req.body, { customRoleIds: customRoles.map((r) => r.id), today: today() })
    const common = {
      mode: 'edit' as const,
      found,
      personId: row.id,
      personName: row.name,
      showAdditionalSupport: mayChangeAdditionalSupport,
    }
    const version = readVersion(req.body)
    if (!form.ok) return renderPersonForm(reply, { ...common, values: form.values, errors: form.errors, status: 400 })
    const result =
      version === null
        ? ({ ok: false, kind: 'conflict' } as const)
        : await updatePerson(app.db, {
            organisationId: organisationOf(req),
            personId: row.id,
            version,
            fields: { ...form.fields, lineManagerId: row.lineManagerId },
            externalOrganisation: form.externalOrganisation,
            mayChangeAdditionalSupport,
            actor: actorOf(req),
            baseUrl: app.config.baseUrl,
          })
    if (result.ok)
      return reply.redirect(`/staff/${row.id}?saved=${result.emailWaiting ? 'email-waiting' : 'changed'}`, 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    if (result.kind === 'conflict') {
      // Show what is saved now, with the new version: nothing the other person saved is overwritten.
      const fresh = await getStoredPerson(app.db, organisationOf(req), row.id)
      if (!fresh) return renderNotFound(req, reply)
      return renderPersonForm(reply, {
        ...common,
        values: personFormValues(fresh.person, {
          externalOrganisation: fresh.externalOrganisation,
          version: fresh.version,
        }),
        errors: formErrors([['form', conflictMessage]], { form: 'person-form' }),
        status: 409,
      })
    }
    return renderPersonForm(reply, {
      ...common,
      values: form.values,
      errors: formErrors([[result.field, result.message]], { startDate: 'startDate-day', endDate: 'endDate-day' }),
      status: 400,
    })
  })

  // -------------------------------------------------------------------------------------------
  // Line manager and supervisor changes, handovers and leavers (LH-07)
  // -------------------------------------------------------------------------------------------

  function isKind(kind: string): kind is SupervisionKind {
    return kind === 'line-manager' || kind === 'supervisor'
  }

  async function renderChange(
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    kind: SupervisionKind,
    extra: { values?: Record<string, unknown>; errors?: FormErrors; status?: number } = {},
  ) {
    const detail = await getPersonDetail(app.db, organisationOf(req), personId)
    if (!detail) return renderNotFound(req, reply)
    const current = kind === 'line-manager' ? detail.lineManager : detail.supervisor
    const candidates = await supervisionCandidates(app.db, {
      organisationId: detail.organisationId,
      schoolId: detail.person.schoolId,
      kind,
      today: today(),
      excludeIds: [detail.person.id, ...(current ? [current.id] : [])],
    })
    const what = kind === 'line-manager' ? 'line manager' : 'supervisor'
    const values = extra.values ?? { supervisorId: '', effectiveOn: datePartsOf(today()), note: '' }
    return reply.code(extra.status ?? 200).view('staff/views/change-supervision.njk', {
      pageTitle: `Change ${detail.person.name}’s ${what}`,
      backLink: { href: `/staff/${detail.person.id}`, text: detail.person.name },
      person: detail.person,
      kind,
      what,
      current,
      action: `/staff/${detail.person.id}/change/${kind}`,
      items: candidateItems(
        candidates,
        String(values.supervisorId ?? ''),
        current ? `No ${what}` : null,
        detail.person.schoolId,
      ),
      values,
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { id: string; kind: string } }>(
    '/staff/:id/change/:kind',
    { config: manage },
    async (req, reply) => {
      if (!isKind(req.params.kind)) return renderNotFound(req, reply)
      return renderChange(req, reply, req.params.id, req.params.kind)
    },
  )

  app.post<{ Params: { id: string; kind: string } }>(
    '/staff/:id/change/:kind',
    { config: manage },
    async (req, reply) => {
      const kind = req.params.kind
      if (!isKind(kind)) return renderNotFound(req, reply)
      const values = changeSupervisionValues(req.body)
      const form = parseForm(changeSupervisionForm, req.body, changeSupervisionHrefs)
      if (!form.ok) return renderChange(req, reply, req.params.id, kind, { values, errors: form.errors, status: 400 })
      const result = await changeSupervision(app.db, {
        organisationId: organisationOf(req),
        superviseeId: req.params.id,
        kind,
        supervisorId: form.value.supervisorId === '' ? null : form.value.supervisorId,
        effectiveOn: form.value.effectiveOn!,
        note: form.value.note,
        actorId: actorOf(req).personId,
        today: today(),
      })
      if (result.ok) return reply.redirect(`/staff/${req.params.id}?saved=${kind}`, 303)
      if (result.kind !== 'field') return renderNotFound(req, reply)
      return renderChange(req, reply, req.params.id, kind, {
        values,
        errors: problemErrors([result], changeSupervisionHrefs),
        status: 400,
      })
    },
  )

  async function renderHandover(
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    mode: 'handover' | 'end',
    extra: { values?: Record<string, unknown>; errors?: FormErrors; status?: number } = {},
  ) {
    const detail = await getPersonDetail(app.db, organisationOf(req), personId)
    if (!detail) return renderNotFound(req, reply)
    const { lineReports, supervised } = await currentSupervisees(app.db, detail.person.id)
    const candidates = await supervisionCandidates(app.db, {
      organisationId: detail.organisationId,
      schoolId: detail.person.schoolId,
      kind: lineReports.length > 0 ? 'line-manager' : 'supervisor',
      today: today(),
      excludeIds: [detail.person.id],
    })
    const values = extra.values ?? {
      toPersonId: '',
      note: '',
      endDate: datePartsOf(detail.person.endDate),
      version: String(detail.version),
    }
    return reply.code(extra.status ?? 200).view('staff/views/handover.njk', {
      pageTitle:
        mode === 'end' ? `End ${detail.person.name}’s employment` : `Hand over ${detail.person.name}’s supervisees`,
      backLink: { href: `/staff/${detail.person.id}`, text: detail.person.name },
      mode,
      detail,
      person: detail.person,
      kindNames: supervisionKindNames,
      peopleCount: new Set([...lineReports, ...supervised]).size,
      action: `/staff/${detail.person.id}/${mode}`,
      items: candidateItems(candidates, String(values.toPersonId ?? ''), null, detail.person.schoolId),
      values,
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Params: { id: string } }>('/staff/:id/handover', { config: manage }, async (req, reply) =>
    renderHandover(req, reply, req.params.id, 'handover'),
  )

  app.post<{ Params: { id: string } }>('/staff/:id/handover', { config: manage }, async (req, reply) => {
    const values = handoverForm.parse(req.body ?? {})
    const result = await handOverSupervisees(app.db, {
      organisationId: organisationOf(req),
      fromPersonId: req.params.id,
      toPersonId: values.toPersonId === '' ? null : values.toPersonId,
      note: values.note,
      actorId: actorOf(req).personId,
      today: today(),
    })
    if (result.ok) return reply.redirect(`/staff/${req.params.id}?saved=handover`, 303)
    if (result.kind !== 'field') return renderNotFound(req, reply)
    return renderHandover(req, reply, req.params.id, 'handover', {
      values,
      errors: problemErrors([result]),
      status: 400,
    })
  })

  app.get<{ Params: { id: string } }>('/staff/:id/end', { config: manage }, async (req, reply) =>
    renderHandover(req, reply, req.params.id, 'end'),
  )

  app.post<{ Params: { id: string } }>('/staff/:id/end', { config: manage }, async (req, reply) => {
    const values = handoverValues(req.body)
    const form = parseForm(endEmploymentForm, req.body, endEmploymentHrefs)
    if (!form.ok) return renderHandover(req, reply, req.params.id, 'end', { values, errors: form.errors, status: 400 })
    const result = await endEmployment(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      fromPersonId: req.params.id,
      version: form.value.version ?? -1,
      endDate: form.value.endDate!,
      toPersonId: form.value.toPersonId === '' ? null : form.value.toPersonId,
      note: form.value.note,
      actorId: actorOf(req).personId,
      today: today(),
    })
    if (result.ok) return reply.redirect(`/staff/${req.params.id}?saved=ended`, 303)
    if (result.kind === 'conflict')
      return renderHandover(req, reply, req.params.id, 'end', {
        errors: formErrors([['form', conflictMessage]], { form: 'handover-form' }),
        status: 409,
      })
    if (result.kind !== 'field') return renderNotFound(req, reply)
    return renderHandover(req, reply, req.params.id, 'end', {
      values,
      errors: problemErrors([result], endEmploymentHrefs),
      status: 400,
    })
  })

  // -------------------------------------------------------------------------------------------
  // Invitations
  // -------------------------------------------------------------------------------------------

  app.post<{ Params: { id: string } }>('/staff/:id/invite', { config: manage }, async (req, reply) => {
    if (!isUuid(req.params.id)) return renderNotFound(req, reply)
    const result = await inviteOne(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      actorId: actorOf(req).personId,
      baseUrl: app.config.baseUrl,
      today: today(),
    })
    if (result.ok) return reply.redirect(`/staff/${req.params.id}?saved=invited`, 303)
    if (result.reason === 'not-found') return renderNotFound(req, reply)
    return renderClientError(reply, 400, {
      heading: result.reason === 'has-account' ? 'They already have an account' : 'They have left',
      paragraphs: [
        result.reason === 'has-account'
          ? 'They can sign in already. If they have forgotten their password, they can reset it from the sign-in page.'
          : 'Haven does not invite people whose employment has ended.',
      ],
    })
  })
}

export default staffRoutes
