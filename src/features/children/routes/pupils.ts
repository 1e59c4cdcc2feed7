/**
 * The pupil register (issue 15): the list, importing it from the MIS (upload, preview kept an
 * hour, import all or nothing), and one child's decisions as a PDF.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { pupilChangedLabels, pupilCsvColumns } from '../../../domain/children/pupil-csv.ts'
import { staffCsvLimits } from '../../../domain/people/staff-csv/index.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import multipart, { uploadedFile } from '../../../plugins/multipart.ts'
import { formatDate } from '../../../presenters/format.ts'
import { decisionQueue, decisionsRead, toQueued } from '../../../services/children/decisions.ts'
import { childDecisionsPdf } from '../../../services/children/pdf.ts'
import {
  applyPupilImport,
  loadPupilUpload,
  type PupilPlanned,
  planPupils,
  pupilRegister,
  storePupilUpload,
} from '../../../services/children/pupils.ts'
import { pupilInRegister } from '../../../services/children/register.ts'
import type { FoundSchool } from '../../school-scope.ts'
import { schoolById, schoolPage } from '../../school-scope.ts'
import { importConfirmForm } from '../forms.ts'
import { decisionActorOf, dslOnly, manageRegister, schoolParam, schoolWith } from './shared.ts'

const MAX_ERRORS_SHOWN = 500

function fileProblems(n: number): FormErrors {
  return formErrors([
    [
      'file',
      `The file has ${n === 1 ? 'a problem' : `${n.toLocaleString('en-GB')} problems`}. Nothing has been imported. Correct the file and upload it again`,
    ],
  ])
}

function renderUpload(
  reply: FastifyReply,
  found: FoundSchool,
  extra: { errors?: FormErrors; fileErrors?: { row: number | null; column: string | null; message: string }[] } = {},
  status = 200,
) {
  const school = schoolParam(found)
  const fileErrors = extra.fileErrors ?? []
  return reply.code(status).view('children/views/import.njk', {
    pageTitle: 'Import pupils from a CSV file',
    backLink: { href: paths.children.pupils({ school }), text: 'Pupils' },
    school: found.school,
    action: paths.children.pupilImport({ school }),
    columns: pupilCsvColumns,
    errors: extra.errors ?? noErrors,
    fileErrors: fileErrors.slice(0, MAX_ERRORS_SHOWN),
    moreErrors: Math.max(0, fileErrors.length - MAX_ERRORS_SHOWN),
    errorCount: fileErrors.length,
  })
}

function renderPreview(
  reply: FastifyReply,
  found: FoundSchool,
  upload: { id: string; fileName: string },
  planned: Extract<PupilPlanned, { ok: true }>,
  changed = false,
) {
  const { plan } = planned
  const pupil = (p: {
    name: string
    upn: string | null
    misId: string | null
    dateOfBirth: string
    yearGroup: string
  }) => ({
    name: p.name,
    id: p.upn ?? p.misId ?? '',
    dateOfBirth: formatDate(p.dateOfBirth),
    yearGroup: p.yearGroup || 'Not given',
  })
  return reply.code(changed ? 409 : 200).view('children/views/import-preview.njk', {
    pageTitle: 'Check the pupil import',
    backLink: { href: paths.children.pupilImport({ school: schoolParam(found) }), text: 'Upload a different file' },
    school: found.school,
    fileName: upload.fileName,
    action: paths.children.pupilImportPreview({ id: upload.id }),
    digest: planned.digest,
    creates: plan.creates.map(pupil),
    updates: plan.updates.map((u) => ({
      ...pupil(u.after),
      changes: u.changed.map((c) => pupilChangedLabels[c]).join(', '),
    })),
    unchanged: plan.unchanged.length,
    ignoredColumns: plan.ignoredColumns,
    toImport: plan.creates.length + plan.updates.length,
    errors: changed
      ? formErrors([
          [
            'import',
            'The register changed after you uploaded this file, so the import would now do something different. Nothing has been imported. Check the changes below and import again',
          ],
        ])
      : noErrors,
  })
}

const pupilRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { maxFileBytes: staffCsvLimits.maxBytes } })

  app.get<{ Querystring: { school?: string; imported?: string; created?: string; updated?: string } }>(
    paths.children.pupils.pattern,
    { config: manageRegister },
    async (req, reply) => {
      const found = await schoolWith(req, req.query.school, Permission.StaffManage)
      if (!found) return renderNotFound(req, reply)
      const school = schoolParam(found)
      const pupils = await pupilRegister(app.db, found.school.id)
      const num = (v: string | undefined) => (v && /^\d{1,6}$/.test(v) ? Number(v) : 0)
      return reply.view('children/views/pupils.njk', {
        pageTitle: 'Pupils',
        school: found.school,
        banner:
          req.query.imported === '1' ? `${num(req.query.created)} added and ${num(req.query.updated)} updated.` : null,
        importHref: paths.children.pupilImport({ school }),
        decisionsHref: paths.children.decisions({ school }),
        showPdf: found && (await schoolWith(req, req.query.school)) !== null,
        pupils: pupils.map((p) => ({
          ...p,
          dateOfBirth: formatDate(p.dateOfBirth),
          pdfHref: paths.children.pupilDecisionsPdf({ pupilId: p.id }, { school }),
        })),
      })
    },
  )

  app.get<{ Querystring: { school?: string } }>(
    paths.children.pupilImport.pattern,
    { config: manageRegister },
    async (req, reply) => {
      const found = await schoolWith(req, req.query.school, Permission.StaffManage)
      if (!found) return renderNotFound(req, reply)
      return renderUpload(reply, found)
    },
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.children.pupilImport.pattern,
    { config: manageRegister },
    async (req, reply) => {
      const found = await schoolWith(req, req.query.school, Permission.StaffManage)
      if (!found) return renderNotFound(req, reply)
      const file = uploadedFile(req.body, 'file')
      const fail = (message: string) => renderUpload(reply, found, { errors: formErrors([['file', message]]) }, 400)
      if (!file || (file.filename === '' && file.data.length === 0 && !file.tooLarge)) return fail('Select a CSV file')
      if (file.tooLarge) return fail('The selected file must be smaller than 5 MB')
      if (file.data.length === 0) return fail('The selected file is empty')
      const target = { organisationId: found.school.organisationId, schoolId: found.school.id }
      const planned = await planPupils(app.db, target, file.data)
      if (!planned.ok)
        return renderUpload(
          reply,
          found,
          { errors: fileProblems(planned.errors.length), fileErrors: planned.errors },
          400,
        )
      const id = await storePupilUpload(
        app.db,
        { ...target, uploadedBy: req.actor!.personId, fileName: file.filename, buffer: file.data },
        app.clock(),
      )
      return reply.redirect(paths.children.pupilImportPreview({ id }), 303)
    },
  )

  async function openUpload(req: Parameters<typeof schoolById>[0], id: string) {
    const actor = req.actor!
    const upload = await loadPupilUpload(
      app.db,
      id,
      { organisationId: actor.organisationId, uploadedBy: actor.personId },
      app.clock(),
    )
    if (!upload) return null
    const found = await schoolById(req, upload.schoolId)
    if (!found) return null
    return { upload, found, target: { organisationId: found.school.organisationId, schoolId: found.school.id } }
  }

  const expired = (reply: FastifyReply) =>
    renderClientError(reply, 404, {
      heading: 'This import has expired',
      paragraphs: [
        'Haven keeps an uploaded file for an hour, until it is imported. Upload the file again to import it.',
      ],
    })

  app.get<{ Params: { id: string } }>(
    paths.children.pupilImportPreview.pattern,
    { config: manageRegister },
    async (req, reply) => {
      const opened = await openUpload(req, req.params.id)
      if (!opened) return expired(reply)
      const planned = await planPupils(app.db, opened.target, opened.upload.content)
      if (!planned.ok)
        return renderUpload(
          reply,
          opened.found,
          { errors: fileProblems(planned.errors.length), fileErrors: planned.errors },
          400,
        )
      return renderPreview(reply, opened.found, opened.upload, planned)
    },
  )

  app.post<{ Params: { id: string } }>(
    paths.children.pupilImportPreview.pattern,
    { config: manageRegister },
    async (req, reply) => {
      const opened = await openUpload(req, req.params.id)
      if (!opened) return expired(reply)
      const form = parseForm(importConfirmForm, req.body)
      const result = await applyPupilImport(app.db, {
        ...opened.target,
        actorId: req.actor!.personId,
        uploadId: opened.upload.id,
        buffer: opened.upload.content,
        expectedDigest: form.ok ? form.value.digest : '',
        now: app.clock(),
      })
      if (result.outcome === 'errors')
        return renderUpload(
          reply,
          opened.found,
          { errors: fileProblems(result.errors.length), fileErrors: result.errors },
          400,
        )
      if (result.outcome === 'changed')
        return renderPreview(
          reply,
          opened.found,
          opened.upload,
          { ok: true, plan: result.plan, digest: result.digest },
          true,
        )
      return reply.redirect(
        paths.children.pupils({
          imported: 1,
          created: result.created,
          updated: result.updated,
          school: schoolParam(opened.found),
        }),
        303,
      )
    },
  )

  // X-07, CA-10: one child's decisions from supervision, to file in the child's own record.
  app.get<{ Params: { pupilId: string }; Querystring: { school?: string } }>(
    paths.children.pupilDecisionsPdf.pattern,
    { config: dslOnly },
    schoolPage(schoolWith, async (req, reply, found) => {
      const pupil = await pupilInRegister(app.db, found.school.id, req.params.pupilId)
      if (!pupil) return renderNotFound(req, reply)
      const decisions = await decisionQueue(app.db, found.school.id, { pupilId: pupil.id })
      await decisionsRead(app.db, {
        schoolId: found.school.id,
        actor: decisionActorOf(req, found.school.id),
        format: 'pdf',
        subjectId: pupil.id,
      })
      const pdf = await childDecisionsPdf({
        schoolName: found.school.name,
        pupil,
        decisions: decisions.map(toQueued),
        generatedAt: app.clock(),
      })
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="decisions-from-supervision.pdf"')
        .send(pdf)
    }),
  )
}

export default pupilRoutes
