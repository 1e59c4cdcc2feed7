/**
 * The governors' report as an accessible PDF (issue 16): a tagged PDF (PDF/UA structure: a title
 * shown in the window, the language, headings, paragraphs, and real tables whose header cells
 * name their column or row), in standard fonts, so it can be read aloud, searched and copied.
 * The figures are the page's own (reportTables), small numbers hidden.
 */
import PDFDocument from 'pdfkit'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { type GovernorsReport, hiddenExplained, inWords, reportTables } from '../../domain/governors/index.ts'
import { formatDateTime } from '../../presenters/format.ts'
import { pdfSafe } from '../pdf/tagged.ts'

export function reportTitle(report: GovernorsReport): string {
  return `Governors’ report on staff supervision: ${report.period.name}`
}

export async function governorsReportPdf(report: GovernorsReport, generatedAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: pdfSafe(reportTitle(report)),
      Author: pdfSafe(report.school.name),
      Subject: 'Staff supervision: figures for governors',
      Creator: 'Haven',
      Producer: 'Haven',
      CreationDate: generatedAt,
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const root = doc.struct('Document')
  doc.addStructure(root)
  const width = doc.page.width - 112
  const black = '#0b0c0c'
  const grey = '#505a5f'

  const heading = (level: 1 | 2, text: string) =>
    root.add(
      doc.struct(`H${String(level)}`, {}, () => {
        doc.moveDown(level === 1 ? 0 : 0.8)
        doc
          .font('Helvetica-Bold')
          .fontSize(level === 1 ? 18 : 13)
          .fillColor(black)
          .text(pdfSafe(text), 56, doc.y, { width })
        doc.moveDown(0.3)
      }),
    )
  const paragraph = (text: string, colour = black, size = 10) =>
    root.add(
      doc.struct('P', {}, () => {
        doc.font('Helvetica').fontSize(size).fillColor(colour).text(pdfSafe(text), 56, doc.y, { width })
        doc.moveDown(0.4)
      }),
    )

  heading(1, reportTitle(report))
  paragraph(report.school.name, grey)
  paragraph(
    report.complete
      ? `Figures for ${report.period.name}, from ${formatLongDate(report.period.start)} to ${formatLongDate(report.asAt)}.`
      : `Figures for ${report.period.name} so far, from ${formatLongDate(report.period.start)} to ${formatLongDate(report.asAt)}: the term has not ended.`,
  )
  paragraph('Figures only: nothing that was said in supervision, and no one named.')
  paragraph(hiddenExplained)

  for (const table of reportTables(report, inWords)) {
    heading(2, table.heading)
    paragraph(table.description, grey)
    const columns = table.head.length
    const cell = (text: string, header: 'Column' | 'Row' | null) =>
      ({
        text: pdfSafe(text),
        type: header ? 'TH' : 'TD',
        ...(header ? { scope: header, font: { src: 'Helvetica-Bold' } } : {}),
      }) as never
    doc.font('Helvetica').fontSize(9).fillColor(black)
    doc.table({
      position: { x: 56, y: doc.y },
      maxWidth: width,
      columnStyles: columns > 3 ? [150, ...Array(columns - 1).fill('*')] : ['*', 120, 120].slice(0, columns),
      defaultStyle: { border: 0.5, borderColor: '#b1b4b6', padding: [3, 3, 3, 3] } as never,
      structParent: root,
      data: [
        table.head.map((h) => cell(h, 'Column')),
        ...table.rows.map((row) => [cell(row.label, 'Row'), ...row.cells.map((c) => cell(c, null))]),
      ],
    } as never)
    doc.moveDown(0.5)
  }
  paragraph(`Printed from Haven on ${formatDateTime(generatedAt)}.`, grey, 8)
  root.end()
  doc.end()
  return finished
}
