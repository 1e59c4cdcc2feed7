/**
 * The inspection evidence pack (issue 16, item 3; ADR 34): one ZIP for a school and a date range,
 * streamed as it is made (archiver), never held whole in memory. Each file is made, hashed and
 * handed to the archive one at a time, and the next is made only when the archive has taken it
 * (so a slow download slows the making, and at most one file is in memory); the manifest of every
 * file's size and SHA-256 is written last.
 *
 * What it reads is the overview's (loadOverviewInputs, on the range's last day), so compliance and
 * scope are the engine's, as on the overview; the governors' report is the governors' own, term by
 * term. By default the pack holds metadata only. Record content is added only for a pack the
 * route has checked (the DSL's permission, a reason, a second confirmation): the pack is recorded
 * (`evidence_pack`, with the reason) and audited before anything is sent, one `evidence-pack.export`
 * entry and one `record.export` for each record in it (the access trail, X-06).
 */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { ZipArchive } from 'archiver'
import type { Db } from '../../db/database.ts'
import {
  insertEvidencePack,
  type RecordInRange,
  recordsBetween,
  signedContractsBetween,
} from '../../db/repositories/evidence-pack.ts'
import { formatLongDate, type IsoDate } from '../../domain/calendar/index.ts'
import {
  buildManifest,
  cancellationsSheet,
  complianceSheet,
  contractsSheet,
  inScopeSheet,
  type ManifestEntry,
  manifestPath,
  manifestText,
  type PackRange,
  packFileName,
  periodFileName,
  periodsInRange,
  planPack,
  type RecordState,
  readmePath,
  readmeText,
  recordFilePath,
  type Sheet,
  sessionsSheet,
  trainingSheet,
  versionsInRange,
  versionsSheet,
} from '../../domain/evidence-pack/index.ts'
import { asAtOf, reportCsvRows, reportPeriods } from '../../domain/governors/index.ts'
import { csvChunks, supervisorStanding } from '../../domain/overview/index.ts'
import type { PolicyDocument } from '../../domain/policy/model.ts'
import { summarisePolicy } from '../../domain/policy/summary.ts'
import type { RecordStatus } from '../../domain/records/record.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { governorsReportPdf } from '../governors/pdf.ts'
import { governorsReport, reportSource } from '../governors/report.ts'
import { loadOverviewInputs, type OverviewSchool } from '../overview/facts.ts'
import { taggedPdf } from '../pdf/tagged.ts'

export interface PackRequest {
  school: OverviewSchool
  range: PackRange
  actorId: string
  ip?: string | null
  today: IsoDate
  now: Date
  /** Only for a pack with record content, after the route's checks: the reason the DSL gave. */
  content: { reason: string } | null
}

export interface StartedPack {
  fileName: string
  /** The ZIP as it is made: send it as the response. */
  stream: Readable
  /** Settles when the last byte has been handed to the archive (rejects if making it failed). */
  done: Promise<void>
}

const statusOrder: readonly RecordStatus[] = ['draft', 'completed', 'signed']

/** A session's record state: the least advanced of its records (a group or per-child session has several). */
function addRecordStates(states: Map<string, RecordState>, records: readonly RecordInRange[]): void {
  for (const r of records) {
    const prior = states.get(r.sessionId)
    if (!prior || statusOrder.indexOf(r.status) < statusOrder.indexOf(prior.status))
      states.set(r.sessionId, { status: r.status })
  }
}

/** A sheet as CSV, a batch of rows at a time. */
function csv(sheet: Sheet): Iterable<string> {
  return csvChunks(sheet.head, sheet.rows)
}

/**
 * Starts a pack: reads what it holds, records and audits it, and returns the stream the ZIP is
 * made into. Throws NoPolicyError (before anything is recorded) when the school has no policy.
 */
export async function startEvidencePack(db: Db, request: PackRequest): Promise<StartedPack> {
  const { school, range } = request
  const calendar = await schoolCalendar(db, school.id, request.today)
  const periods = periodsInRange(reportPeriods(calendar, request.today), range)
  // The school's data is read once, for the pack's own files and every governors' report in it.
  const source = await reportSource(db, school.id, [range.to, ...periods.map((p) => asAtOf(p, request.today))])
  const [inputs, contracts] = await Promise.all([
    loadOverviewInputs(db, school, range.to, {
      workLists: false,
      data: source.data,
      tags: source.tags,
      judge: source.judge,
    }),
    signedContractsBetween(db, school.id, range.from, range.to),
  ])
  // The records are read a page at a time (ids and states only), here and again for what needs them.
  const records = () => recordsBetween(db, school.id, range.from, range.to)
  const states = new Map<string, RecordState>()
  for await (const page of records()) addRecordStates(states, page)
  const { facts, book } = inputs
  const versions = versionsInRange(book.versions, range)
  const content = request.content

  /** The records audited as exported in this pack (a pack with record content only). */
  const audited = new Set<string>()
  await db.transaction().execute(async (trx) => {
    const packId = await insertEvidencePack(trx, {
      organisationId: school.organisationId,
      schoolId: school.id,
      madeBy: request.actorId,
      from: range.from,
      to: range.to,
      reason: content ? content.reason : null,
    })
    if (content) {
      for await (const page of recordsBetween(trx, school.id, range.from, range.to))
        for (const r of page) {
          audited.add(r.id)
          await recordAudit(trx, {
            action: 'record.export',
            subjectType: 'record',
            subjectId: r.id,
            actorId: request.actorId,
            organisationId: school.organisationId,
            schoolId: school.id,
            detail: { format: 'export', pack: packId },
            ip: request.ip ?? null,
          })
        }
    }
    await recordAudit(trx, {
      action: 'evidence-pack.export',
      subjectType: 'evidence-pack',
      subjectId: packId,
      actorId: request.actorId,
      organisationId: school.organisationId,
      schoolId: school.id,
      detail: {
        from: range.from,
        to: range.to,
        recordContent: content !== null,
        records: content ? audited.size : 0,
      },
      ip: request.ip ?? null,
    })
  })

  const archive = new ZipArchive({ zlib: { level: 6 } })
  const written: ManifestEntry[] = []
  const date = request.now
  let failed: Error | null = null
  archive.on('error', (error) => {
    failed = error
  })

  /**
   * Hands one file to the archive as it is made (chunk by chunk, hashed on the way) and waits
   * until the archive has taken it: only the chunk being compressed is in memory.
   */
  const add = (path: string, body: string | Buffer | Iterable<string | Buffer>): Promise<void> => {
    const chunks = typeof body === 'string' || Buffer.isBuffer(body) ? [body] : body
    const hash = createHash('sha256')
    let bytes = 0
    const source = Readable.from(
      (function* () {
        for (const chunk of chunks) {
          const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
          hash.update(data)
          bytes += data.length
          yield data
        }
        written.push({ path, bytes, sha256: hash.digest('hex') })
      })(),
      { objectMode: false },
    )
    return new Promise((resolve, reject) => {
      const onEntry = (entry: { name: string }) => {
        if (entry.name !== path) return
        archive.off('entry', onEntry)
        archive.off('error', onError)
        resolve()
      }
      const onError = (error: Error) => {
        archive.off('entry', onEntry)
        reject(error)
      }
      archive.on('entry', onEntry)
      archive.once('error', onError)
      archive.append(source, { name: path, date })
    })
  }

  const names = new Map<string, string>([
    ...facts.others.map((p) => [p.id, p.name] as const),
    ...facts.people.map((p) => [p.id, p.name] as const),
  ])
  const plan = planPack({ range, content: content !== null, versions, periods })

  const make = async () => {
    await add(
      readmePath,
      readmeText({
        schoolName: school.name,
        range,
        content: content !== null,
        generatedOn: request.today,
        files: plan,
      }),
    )
    await add('policy/versions.csv', csv(versionsSheet(book.versions, new Set(versions.map((v) => v.version)))))
    for (const v of versions) await add(`policy/version-${String(v.version)}.json`, `${JSON.stringify(v, null, 2)}\n`)
    await add('policy/summary.pdf', await summaryPdf(book.on(range.to), school.name, date))
    await add('people/in-scope.csv', csv(inScopeSheet(facts.compliance, facts.people)))
    await add('people/compliance.csv', csv(complianceSheet(facts.compliance, range)))
    await add(
      'sessions/sessions.csv',
      csv(sessionsSheet({ sessions: facts.sessions, range, book, names, records: states })),
    )
    await add(
      'sessions/cancellations.csv',
      csv(cancellationsSheet({ cancellations: inputs.cancellations, range, book, calendar, names })),
    )
    await add('contracts/signed.csv', csv(contractsSheet(contracts)))
    await add(
      'training/supervisors.csv',
      csv(trainingSheet({ supervisors: supervisorStanding(facts).all, people: facts.people, asAt: range.to })),
    )
    for (const period of periods) {
      const loaded = await governorsReport(db, school, request.today, period.id, source)
      if (!loaded) continue
      const name = `governors/report-${periodFileName(period.id)}`
      await add(`${name}.pdf`, await governorsReportPdf(loaded.report, date))
      const { head, rows } = reportCsvRows(loaded.report)
      await add(`${name}.csv`, csvChunks(head, rows))
    }
    if (content) {
      // Loaded only for a pack with record content: the default pack's process does without the
      // records' modules (and what they import), ADR 53.
      const [{ recordInOrganisation }, { recordIntegrity }, { recordPdf }] = await Promise.all([
        import('../../db/repositories/records/records.ts'),
        import('../records/integrity.ts'),
        import('../records/pdf.ts'),
      ])
      for await (const page of records())
        for (const r of page) {
          // Only what was audited for this pack is in it (a record made since is not).
          if (!audited.has(r.id)) continue
          const record = await recordInOrganisation(db, school.organisationId, r.id)
          if (!record) continue
          const pdf = await recordPdf({
            record,
            schoolName: school.name,
            integrity: await recordIntegrity(db, record),
            generatedAt: date,
            childRecordSystem: book.on(r.sessionDate)?.childRecord.system ?? null,
          })
          await add(recordFilePath(r.sessionDate, r.id), pdf)
        }
    }
    const manifest = buildManifest({
      school: { name: school.name, slug: school.slug },
      range,
      recordContent: content !== null,
      generatedAt: date,
      files: written,
    })
    archive.append(manifestText(manifest), { name: manifestPath, date })
    await archive.finalize()
    if (failed) throw failed
  }

  const done = make().catch((error: unknown) => {
    // The response is cut short: a pack that stops part way is never mistaken for a whole one.
    archive.destroy(error instanceof Error ? error : new Error(String(error)))
    throw error
  })
  return { fileName: packFileName(school.slug, range), stream: archive, done }
}

/** The policy in force on the range's last day, in plain English, as a tagged PDF. */
async function summaryPdf(policy: PolicyDocument | null, schoolName: string, createdAt: Date): Promise<Buffer> {
  const title = 'Supervision policy: summary'
  const pdf = taggedPdf({ title, author: schoolName, subject: 'Staff supervision policy', createdAt })
  pdf.h(1, title)
  pdf.p(schoolName, { colour: '#505a5f' })
  if (!policy) {
    pdf.p('The school had no supervision policy in Haven.')
    return pdf.finish()
  }
  const summary = summarisePolicy(policy)
  pdf.p(
    `${policy.metadata.title}, version ${String(policy.version)}, in force from ${formatLongDate(policy.effectiveFrom)}.`,
  )
  for (const section of summary.sections) {
    pdf.h(2, section.heading)
    for (const paragraph of section.paragraphs) pdf.p(paragraph)
    for (const item of section.items) pdf.p(`• ${item}`)
  }
  return pdf.finish()
}
