/**
 * Issue 14 (ADR 0052): a single school joins a trust that runs on another Haven installation.
 * On the school's installation, its administrator enters the trust's code, confirms, downloads
 * the school's signed file and reads its fingerprint to the trust's administrator; on the trust's,
 * the trust's administrator uploads the file with that fingerprint. Both need OrganisationManage,
 * as joining on the same installation does. Handlers parse, call one service, render.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { Permission } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { type FormErrors, field, formErrors } from '../../forms/errors.ts'
import { text } from '../../forms/fields.ts'
import { parseForm, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import multipart, { uploadedFile } from '../../plugins/multipart.ts'
import { organisationOf } from '../../services/staff/schools.ts'
import {
  cancelMove,
  type ImportedSchool,
  importSchoolFile,
  MAX_SCHOOL_FILE_BYTES,
  movedAway,
  moveToTrustElsewhere,
  schoolFile,
} from '../../services/trust/school-bundle.ts'
import { today } from '../policy/school.ts'
import { answerTrustCode } from '../trust-policy/code-step.ts'

const organisation = { access: { permission: Permission.OrganisationManage } }

const importForm = z.object({
  fingerprint: text.pipe(
    z
      .string()
      .min(1, 'Enter the fingerprint the school’s administrator read to you')
      .max(60, 'Enter the fingerprint as the school’s administrator read it, for example ABCD-EFGH-JKLM-NPQR-STUV'),
  ),
})

const schoolBundleRoutes: FastifyPluginAsync = async (app) => {
  // Only the import form sends multipart/form-data; everywhere else keeps refusing it.
  await app.register(multipart, { limits: { maxFileBytes: MAX_SCHOOL_FILE_BYTES } })

  // ---------------------------------------------------------------------------------------------
  // The school's installation

  async function renderMove(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { code?: string; errors?: FormErrors; preview?: { schoolName: string } } = {},
  ) {
    const org = await organisationOf(app.db, req.actor!.organisationId)
    const moved = await movedAway(app.db, req.actor!.organisationId)
    return renderForm(
      reply,
      'school-bundle/views/move.njk',
      {
        pageTitle: moved ? 'The school’s file' : 'Join a trust on another Haven service',
        backLink: { href: paths.admin.index(), text: 'Administration' },
        organisation: org,
        code: extra.code ?? '',
        preview: extra.preview ?? null,
        moved: moved
          ? {
              fingerprint: moved.fingerprint,
              movedOn: formatLongDate(moved.movedAt.toISOString().slice(0, 10)),
              downloaded: moved.downloadedAt !== null,
            }
          : null,
      },
      extra.errors,
    )
  }

  app.get(paths.schoolBundle.move.pattern, { config: organisation }, async (req, reply) => renderMove(req, reply))

  app.post(paths.schoolBundle.move.pattern, { config: organisation }, async (req, reply) =>
    answerTrustCode<{ schoolName: string }>(req.body, {
      render: (extra) => renderMove(req, reply, extra),
      submit: async ({ code, confirm }) => {
        const result = await moveToTrustElsewhere(app.db, {
          organisationId: req.actor!.organisationId,
          code,
          actorId: req.actor!.personId,
          at: req.server.clock(),
          confirm,
        })
        if (!result.ok) return { refused: result }
        return result.preview ? { preview: { schoolName: result.schoolName } } : { done: true }
      },
      done: () => reply.redirect(paths.schoolBundle.move(), 303),
    }),
  )

  app.get(paths.schoolBundle.file.pattern, { config: organisation }, async (req, reply) => {
    const file = await schoolFile(app.db, {
      organisationId: req.actor!.organisationId,
      actorId: req.actor!.personId,
      at: req.server.clock(),
    })
    if (!file) return reply.redirect(paths.schoolBundle.move(), 303)
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.stream)
  })

  app.post(paths.schoolBundle.cancel.pattern, { config: organisation }, async (req, reply) => {
    await cancelMove(app.db, { organisationId: req.actor!.organisationId, actorId: req.actor!.personId })
    return reply.redirect(paths.schoolBundle.move(), 303)
  })

  // ---------------------------------------------------------------------------------------------
  // The trust's installation

  async function renderImport(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { fingerprint?: string; errors?: FormErrors; imported?: ImportedSchool } = {},
  ) {
    const org = await organisationOf(app.db, req.actor!.organisationId)
    return renderForm(
      reply,
      'school-bundle/views/import.njk',
      {
        pageTitle: extra.imported
          ? `${extra.imported.schoolName} has joined the trust`
          : 'Import a school from another Haven service',
        backLink: { href: paths.trustPolicy.index(), text: 'Trust policy' },
        organisation: org,
        fingerprint: extra.fingerprint ?? '',
        maxMegabytes: MAX_SCHOOL_FILE_BYTES / 1024 / 1024,
        imported: extra.imported
          ? { ...extra.imported, effectiveFrom: formatLongDate(extra.imported.effectiveFrom) }
          : null,
      },
      extra.errors,
    )
  }

  const importLimit = { config: organisation, bodyLimit: MAX_SCHOOL_FILE_BYTES + 1024 * 1024 }

  app.get(paths.schoolBundle.import.pattern, { config: organisation }, async (req, reply) => renderImport(req, reply))

  app.post(paths.schoolBundle.import.pattern, importLimit, async (req, reply) => {
    const fingerprint = field(req.body, 'fingerprint')
    const form = parseForm(importForm, req.body)
    const file = uploadedFile(req.body, 'file')
    const fileProblem =
      !file || file.data.length === 0
        ? file?.tooLarge
          ? `The school’s file must be smaller than ${MAX_SCHOOL_FILE_BYTES / 1024 / 1024} MB`
          : 'Select the school’s file'
        : null
    if (!form.ok || fileProblem) {
      const errors: [string, string][] = []
      if (fileProblem) errors.push(['file', fileProblem])
      if (!form.ok) for (const [name, message] of Object.entries(form.errors.fields)) errors.push([name, message.text])
      return renderImport(req, reply, { fingerprint, errors: formErrors(errors) })
    }
    const result = await importSchoolFile(app.db, {
      organisationId: req.actor!.organisationId,
      file: file!.data,
      fingerprint: form.value.fingerprint,
      today: today(req),
      actorId: req.actor!.personId,
      at: req.server.clock(),
    })
    if (!result.ok)
      return renderImport(req, reply, { fingerprint, errors: formErrors([[result.field, result.message]]) })
    return renderImport(req, reply, { imported: result })
  })
}

export default schoolBundleRoutes
