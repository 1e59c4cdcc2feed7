/** Importing staff from a CSV file: upload, preview (kept an hour), import; and the blank template. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { canSeeAllAdditionalSupport } from '../../../domain/access/sensitive.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import {
  formatRows,
  staffCsvColumns,
  staffCsvLimits,
  staffCsvTemplate,
  type UnrecognisedHeading,
} from '../../../domain/people/staff-csv/index.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import multipart, { uploadedFile } from '../../../plugins/multipart.ts'
import {
  applyStaffImport,
  loadUpload,
  nobodyInScopeAfterImport,
  type PlanResult,
  planImportFor,
  saveImportChoices,
  storeUpload,
} from '../../../services/staff/import.ts'
import { customRolesFor } from '../../../services/staff/roles.ts'
import { type FoundSchool, schoolById, schoolFor, schoolQuery } from '../../school-scope.ts'
import { importChoicesOf, importConfirmForm } from '../forms.ts'
import { changedFieldLabels, roleNamer } from '../presenters.ts'
import { manage, organisationOf, todayOf } from './shared.ts'

const MAX_ERRORS_SHOWN = 500

/** "The file has 3 problems ...": the summary's message for a file refused row by row. */
function fileProblems(n: number, which: 'The file' | 'The selected file' = 'The file'): FormErrors {
  return formErrors([
    [
      'file',
      `${which} has ${n === 1 ? 'a problem' : `${n.toLocaleString('en-GB')} problems`}. Nothing has been imported. Correct the file and upload it again`,
    ],
  ])
}

function renderExpired(reply: FastifyReply) {
  return renderClientError(reply, 404, {
    heading: 'This import has expired',
    paragraphs: ['Haven keeps an uploaded file for an hour, until it is imported. Upload the file again to import it.'],
  })
}

function renderUpload(
  reply: FastifyReply,
  found: FoundSchool,
  extra: {
    errors?: FormErrors
    fileErrors?: { row: number | null; column: string | null; message: string }[]
    status?: number
    /** Headings to map, when the file lacks a needed column (issue 18), and where to send the choices. */
    mapping?: { headings: readonly UnrecognisedHeading[]; action: string }
  } = {},
) {
  const sq = schoolQuery(found.school, found.schools)
  const fileErrors = extra.fileErrors ?? []
  return reply.code(extra.status ?? 200).view('staff/views/import.njk', {
    pageTitle: 'Import staff from a CSV file',
    backLink: { href: paths.staff.index(sq), text: 'Staff' },
    school: found.school,
    action: paths.staff.import(sq),
    templateHref: paths.staff.importTemplate(),
    columns: staffCsvColumns,
    errors: extra.errors ?? noErrors,
    fileErrors: fileErrors.slice(0, MAX_ERRORS_SHOWN),
    moreErrors: Math.max(0, fileErrors.length - MAX_ERRORS_SHOWN),
    errorCount: fileErrors.length,
    mapping: extra.mapping ? { columns: columnSelects(extra.mapping.headings), action: extra.mapping.action } : null,
  })
}

/** A select for each heading Haven does not recognise: one of Haven's columns, or ignore it (issue 18). */
function columnSelects(headings: readonly UnrecognisedHeading[]) {
  return headings.map((column) => ({
    heading: column.heading,
    name: `column:${column.key}`,
    items: [
      { value: 'ignore', text: 'Ignore this column', selected: (column.chosen ?? 'ignore') === 'ignore' },
      ...staffCsvColumns.map((c) => ({ value: c.key, text: c.name, selected: column.chosen === c.key })),
    ],
  }))
}

/** A file refused only because a needed column is missing, with headings the school could map to it. */
function mappable(
  planned: PlanResult,
): planned is Extract<PlanResult, { ok: false }> & { unmappedHeadings: UnrecognisedHeading[] } {
  return !planned.ok && (planned.unmappedHeadings?.length ?? 0) > 0 && planned.errors.every((e) => e.row === 1)
}

/** The preview's mapping step (issue 18): a select for each unrecognised column and job title, radios for each ambiguous line manager. */
function mappingStep(
  plan: Extract<PlanResult, { ok: true }>['plan'],
  customRoles: readonly { id: string; name: string }[],
) {
  const roleName = roleNamer(customRoles)
  const roleOptions = [...roleCatalogue, ...customRoles].map((r) => ({ value: r.id, text: r.name }))
  return {
    columns: columnSelects(plan.unrecognisedColumns),
    jobTitles: plan.jobTitles.map((title) => {
      const current = title.chosen === undefined ? title.suggested : title.chosen
      return {
        title: title.title,
        count: title.count,
        name: `title:${title.key}`,
        remembered: title.chosen !== undefined,
        suggestion: title.chosen === undefined && title.suggested !== null ? roleName(title.suggested) : null,
        items: [
          { value: 'none', text: 'No role', selected: current === null },
          ...roleOptions.map((o) => ({ ...o, selected: current === o.value })),
        ],
      }
    }),
    managers: plan.managerQuestions.map((question) => ({
      reference: question.reference,
      rows: formatRows(question.rows),
      name: `manager:${question.key}`,
      answered: question.chosen !== undefined,
      items: [
        ...question.candidates.map((c) => ({
          value: c.email,
          text: c.name,
          hint: {
            text: `${c.email}${c.jobTitle ? `, ${c.jobTitle}` : ''}${c.inFile ? ' (in this file)' : ' (already in Haven)'}`,
          },
          checked: question.chosen === c.email,
        })),
        { divider: 'or' },
        { value: 'none', text: 'No line manager for now', checked: question.chosen === null },
      ],
    })),
    notFound: plan.managersNotFound.map((m) => ({ reference: m.reference, rows: formatRows(m.rows) })),
    unanswered: plan.managerQuestions.filter((q) => q.chosen === undefined).length,
  }
}

/** "Class teacher, DSL", or "no roles". */
function rolesText(roles: readonly string[], roleName: (id: string) => string): string {
  return roles.length === 0 ? 'no roles' : roles.map(roleName).join(', ')
}

function renderPreview(
  reply: FastifyReply,
  found: FoundSchool,
  upload: { id: string; fileName: string },
  planned: Extract<PlanResult, { ok: true }>,
  customRoles: readonly { id: string; name: string }[],
  extra: { changed?: boolean; status?: number; nobodyInScope?: boolean } = {},
) {
  const { plan } = planned
  const roleName = roleNamer(customRoles)
  const sq = schoolQuery(found.school, found.schools)
  const toImport = plan.creates.length + plan.updates.length + plan.scopeDecisions.length
  return reply.code(extra.status ?? 200).view('staff/views/import-preview.njk', {
    pageTitle: 'Check the staff import',
    backLink: { href: paths.staff.import(sq), text: 'Upload a different file' },
    school: found.school,
    fileName: upload.fileName,
    action: paths.staff.importPreview({ id: upload.id }),
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
      ownRolesKept: u.before.email === plan.ownRolesKept?.email,
    })),
    unchanged: plan.unchanged.map((p) => ({
      name: p.name,
      email: p.email,
      ownRolesKept: p.email === plan.ownRolesKept?.email,
    })),
    ownRolesKept: plan.ownRolesKept
      ? {
          name: plan.ownRolesKept.name,
          email: plan.ownRolesKept.email,
          kept: rolesText(plan.ownRolesKept.kept, roleName),
          inFile: rolesText(plan.ownRolesKept.inFile, roleName),
        }
      : null,
    notInFile: plan.notInFile.map((p) => ({ name: p.name, email: p.email })),
    scopeDecisions: plan.scopeDecisions.map((d) => ({
      name: d.name,
      email: d.email,
      decision: d.required ? 'Bring into scope' : 'Take out of scope',
      reason: d.reason,
    })),
    ignoredColumns: plan.ignoredColumns,
    additionalSupportIgnored: plan.additionalSupportIgnored,
    mapping: mappingStep(plan, customRoles),
    choicesAction: paths.staff.importChoices({ id: upload.id }),
    nobodyInScope: extra.nobodyInScope ?? false,
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

const importRoutes: FastifyPluginAsync = async (app) => {
  /** The signed-in person's upload in the address, with its school when they reach it. */
  async function openUpload(req: FastifyRequest<{ Params: { id: string } }>) {
    const actor = req.actor!
    const upload = await loadUpload(
      app.db,
      req.params.id,
      { organisationId: organisationOf(req), uploadedBy: actor.personId },
      app.clock(),
    )
    if (!upload) return 'expired' as const
    const found = await schoolById(req, upload.schoolId)
    if (!found) return null
    const target = { organisationId: found.school.organisationId, schoolId: found.school.id }
    return { actor, upload, found, target }
  }

  // Only the import form sends multipart/form-data; everywhere else keeps refusing it.
  await app.register(multipart, { limits: { maxFileBytes: staffCsvLimits.maxBytes } })

  app.get<{ Querystring: { school?: string } }>(paths.staff.import.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderUpload(reply, found)
  })

  app.get(paths.staff.importTemplate.pattern, { config: manage }, async (_req, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="haven-staff-template.csv"')
      .send(staffCsvTemplate()),
  )

  app.post<{ Querystring: { school?: string } }>(paths.staff.import.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const file = uploadedFile(req.body, 'file')
    const fail = (message: string) =>
      renderUpload(reply, found, { errors: formErrors([['file', message]]), status: 400 })
    if (!file || (file.filename === '' && file.data.length === 0 && !file.tooLarge)) return fail('Select a CSV file')
    if (file.tooLarge) return fail('The selected file must be smaller than 5 MB')
    if (file.data.length === 0) return fail('The selected file is empty')
    const target = { organisationId: found.school.organisationId, schoolId: found.school.id }
    const actor = req.actor!
    const planned = await planImportFor(app.db, target, file.data, {
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
    })
    // A file missing a needed column is kept when the school can say which of its columns it is.
    if (!planned.ok && !mappable(planned))
      return renderUpload(reply, found, {
        errors: fileProblems(planned.errors.length, 'The selected file'),
        fileErrors: planned.errors,
        status: 400,
      })
    const id = await storeUpload(
      app.db,
      { ...target, uploadedBy: actor.personId, fileName: file.filename, buffer: file.data },
      app.clock(),
    )
    return reply.redirect(paths.staff.importPreview({ id }), 303)
  })

  app.get<{ Params: { id: string } }>(paths.staff.importPreview.pattern, { config: manage }, async (req, reply) => {
    const opened = await openUpload(req)
    if (opened === 'expired') return renderExpired(reply)
    if (!opened) return renderNotFound(req, reply)
    const { actor, upload, found, target } = opened
    const planned = await planImportFor(app.db, target, upload.buffer, {
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
    })
    if (!planned.ok)
      return renderUpload(reply, found, {
        fileErrors: planned.errors,
        status: 400,
        errors: fileProblems(planned.errors.length),
        ...(mappable(planned)
          ? { mapping: { headings: planned.unmappedHeadings, action: paths.staff.importChoices({ id: upload.id }) } }
          : {}),
      })
    const customRoles = await customRolesFor(app.db, target.organisationId, target.schoolId)
    const nobodyInScope = await nobodyInScopeAfterImport(app.db, target.schoolId, planned.plan, todayOf(app))
    return renderPreview(reply, found, upload, planned, customRoles, { nobodyInScope })
  })

  app.post<{ Params: { id: string } }>(paths.staff.importChoices.pattern, { config: manage }, async (req, reply) => {
    const opened = await openUpload(req)
    if (opened === 'expired') return renderExpired(reply)
    if (!opened) return renderNotFound(req, reply)
    const { actor, upload, found, target } = opened
    const planned = await planImportFor(app.db, target, upload.buffer, {
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
    })
    if (!planned.ok && !mappable(planned))
      return renderUpload(reply, found, {
        fileErrors: planned.errors,
        status: 400,
        errors: fileProblems(planned.errors.length),
      })
    const questions = planned.ok
      ? planned.plan
      : { unrecognisedColumns: planned.unmappedHeadings, jobTitles: [], managerQuestions: [] }
    await saveImportChoices(
      app.db,
      { ...target, actorId: actor.personId, now: app.clock() },
      questions,
      importChoicesOf(req.body),
    )
    return reply.redirect(`${paths.staff.importPreview({ id: upload.id })}#import`, 303)
  })

  app.post<{ Params: { id: string } }>(paths.staff.importPreview.pattern, { config: manage }, async (req, reply) => {
    const opened = await openUpload(req)
    if (opened === 'expired') return renderExpired(reply)
    if (!opened) return renderNotFound(req, reply)
    const { actor, upload, found, target } = opened
    const result = await applyStaffImport(app.db, {
      ...target,
      actor,
      canSetAdditionalSupport: canSeeAllAdditionalSupport(actor),
      buffer: upload.buffer,
      expectedDigest: importConfirmForm.parse(req.body ?? {}).digest,
      source: 'web',
      uploadId: upload.id,
      today: todayOf(app),
      now: app.clock(),
    })
    if (result.outcome === 'errors')
      return renderUpload(reply, found, {
        fileErrors: result.errors,
        status: 400,
        errors: fileProblems(result.errors.length),
      })
    if (result.outcome === 'changed') {
      const customRoles = await customRolesFor(app.db, target.organisationId, target.schoolId)
      return renderPreview(reply, found, upload, { ok: true, plan: result.plan, digest: result.digest }, customRoles, {
        changed: true,
        status: 409,
      })
    }
    const chosen = found.schools.length > 1 ? found.school.slug : undefined
    const { created, updated } = result.counts
    return reply.redirect(paths.staff.index({ imported: 1, created, updated, school: chosen }), 303)
  })
}

export default importRoutes
