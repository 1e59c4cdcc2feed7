/**
 * A contract as a PDF of real text (pdfkit, standard fonts): its clauses, both signatures (name,
 * role, date, method and the hash of what was signed), the review date (MW-02) and the content hash.
 */
import PDFDocument from 'pdfkit'
import type { ContractStatus, ContractText } from '../../domain/contracts/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'
import { formatDate, formatDateTime } from '../../presenters/format.ts'

export interface ContractPdfInput {
  schoolName: string
  academicYear: string
  status: ContractStatus
  text: ContractText
  supervisee: { name: string; role: string }
  supervisor: { name: string; role: string }
  signedBy: readonly Party[]
  signatures: { role: Party; name: string; signedAt: Date; method: 'password' | 'two-step'; contentHash: string }[]
  reviewOn: IsoDate | null
  issuedAt: Date | null
  contentHash: string | null
}

const statusWords: Record<ContractStatus, string> = {
  draft: 'Draft: not yet issued',
  issued: 'Issued: waiting for signatures',
  signed: 'Signed by every party who signs: in force',
  superseded: 'Superseded by a newer version',
}

const partyWords: Record<Party, string> = { supervisee: 'Supervisee', supervisor: 'Supervisor' }
const methodWords = {
  password: 'confirmed with their password',
  'two-step': 'confirmed with a two-step verification code',
}

/** The PDF's bytes. */
export function contractPdf(input: ContractPdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 60, right: 60 },
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: input.text.title,
      Author: input.schoolName,
      Subject: `Supervision contract, ${input.academicYear}`,
      Creator: 'Haven',
      ...(input.issuedAt ? { CreationDate: input.issuedAt } : {}),
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const grey = '#505a5f'
  const black = '#0b0c0c'

  doc.font('Helvetica').fontSize(10).fillColor(grey).text(`${input.schoolName} - academic year ${input.academicYear}`)
  doc.moveDown(0.3)
  doc.font('Helvetica-Bold').fontSize(18).fillColor(black).text(input.text.title)
  doc.moveDown(0.3)
  doc.font('Helvetica').fontSize(10).fillColor(grey).text(statusWords[input.status])
  if (input.issuedAt) doc.text(`Issued on ${formatDate(input.issuedAt)}`)
  doc.text(`Review date: ${input.reviewOn ? formatDate(input.reviewOn) : 'not set'}`)
  doc.moveDown()

  for (const clause of input.text.clauses) {
    doc.font('Helvetica-Bold').fontSize(12).fillColor(black).text(clause.heading)
    doc.moveDown(0.3)
    doc.font('Helvetica').fontSize(11)
    for (const paragraph of clause.text.split(/\n{2,}/)) {
      doc.text(paragraph.trim(), { align: 'left' })
      doc.moveDown(0.4)
    }
    if (clause.items.length > 0) {
      doc.list(clause.items, { bulletRadius: 1.8, textIndent: 14, bulletIndent: 4 })
      doc.moveDown(0.4)
    }
    doc.moveDown(0.4)
  }

  doc.font('Helvetica-Bold').fontSize(14).fillColor(black).text('Signatures')
  doc.moveDown(0.4)
  for (const party of input.signedBy) {
    const who = party === 'supervisee' ? input.supervisee : input.supervisor
    const signature = input.signatures.find((s) => s.role === party)
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`${partyWords[party]}: ${signature?.name ?? who.name}`)
    doc.font('Helvetica').fontSize(11).text(`Role: ${who.role}`)
    if (signature) {
      doc.text(`Signed on ${formatDateTime(signature.signedAt)}, ${methodWords[signature.method]}`)
      doc.font('Courier').fontSize(8).fillColor(grey).text(`SHA-256 of what was signed: ${signature.contentHash}`)
      doc.fillColor(black)
    } else {
      doc.text('Not yet signed')
    }
    doc.moveDown(0.6)
  }
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor(black)
    .text(`Review date: ${input.reviewOn ? formatDate(input.reviewOn) : 'not set'}`)
  if (input.contentHash) {
    doc.moveDown(0.6)
    doc.font('Courier').fontSize(8).fillColor(grey).text(`Content hash (SHA-256): ${input.contentHash}`)
  }

  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(grey)
      .text(
        `${input.text.title} - page ${String(i + 1)} of ${String(range.count)}`,
        doc.page.margins.left,
        doc.page.height - 40,
        { width: doc.page.width - doc.page.margins.left - doc.page.margins.right, align: 'center', lineBreak: false },
      )
    doc.page.margins.bottom = bottom
  }
  doc.end()
  return done
}
