/** A record as a PDF. */
import type { FastifyInstance } from 'fastify'
import { paths } from '../../../paths/index.ts'
import { recordIntegrity } from '../../../services/records/integrity.ts'
import { recordPdf } from '../../../services/records/pdf.ts'
import { recordOpened } from '../../../services/records/records.ts'
import { actorOf, signedIn, withRecord } from './shared.ts'

export function pdfRoutes(app: FastifyInstance): void {
  const db = app.db

  // -------------------------------------------------------------------------------------------
  // PDF
  // -------------------------------------------------------------------------------------------

  app.get<{ Params: { recordId: string } }>(paths.records.pdf.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      await recordOpened(db, {
        recordId: ctx.record.id,
        schoolId: ctx.record.schoolId,
        actor: actorOf(req),
        format: 'pdf',
      })
      const pdf = await recordPdf({
        record: ctx.record,
        schoolName: ctx.session.schoolName,
        integrity: await recordIntegrity(db, ctx.record),
        generatedAt: app.clock(),
        childRecordSystem: ctx.policy?.childRecord.system ?? null,
      })
      const filename = `supervision-record-${ctx.session.date}.pdf`
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf)
    }),
  )
}
