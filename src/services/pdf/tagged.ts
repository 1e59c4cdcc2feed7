/**
 * A tagged, accessible A4 PDF in Haven's plain style (headings and paragraphs as structure), as
 * the record PDF and the per-child decisions PDF write it. Pure JavaScript (pdfkit).
 */
import PDFDocument from 'pdfkit'

/** Characters the standard PDF fonts can show (Windows-1252); anything else becomes '?'. */
const winAnsiExtras = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'
export function pdfSafe(text: string): string {
  let out = ''
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0
    if (
      ch === '\n' ||
      ch === '\t' ||
      (code >= 0x20 && code < 0x7f) ||
      (code >= 0xa0 && code <= 0xff) ||
      winAnsiExtras.includes(ch)
    )
      out += ch
    else if (code >= 0x7f && code < 0xa0) out += ' '
    else out += '?'
  }
  return out
}

export interface TaggedPdf {
  doc: PDFKit.PDFDocument
  width: number
  h(level: 1 | 2 | 3, text: string): void
  p(text: string, options?: { bold?: boolean; size?: number; colour?: string }): void
  /** Ends the document; resolves to its bytes. */
  finish(): Promise<Buffer>
}

export function taggedPdf(info: { title: string; author: string; subject: string; createdAt: Date }): TaggedPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: false,
    info: {
      Title: pdfSafe(info.title),
      Author: pdfSafe(info.author),
      Subject: info.subject,
      Creator: 'Haven',
      Producer: 'Haven',
      CreationDate: info.createdAt,
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
  return {
    doc,
    width,
    h(level, text) {
      const size = level === 1 ? 18 : level === 2 ? 14 : 12
      root.add(
        doc.struct(`H${String(level)}`, {}, () => {
          doc.moveDown(level === 1 ? 0 : 0.6)
          doc.font('Helvetica-Bold').fontSize(size).fillColor('#0b0c0c').text(pdfSafe(text), { width })
          doc.moveDown(0.2)
        }),
      )
    },
    p(text, options = {}) {
      if (text === '') return
      root.add(
        doc.struct('P', {}, () => {
          doc
            .font(options.bold ? 'Helvetica-Bold' : 'Helvetica')
            .fontSize(options.size ?? 11)
            .fillColor(options.colour ?? '#0b0c0c')
            .text(pdfSafe(text), { width })
          doc.moveDown(0.3)
        }),
      )
    },
    finish() {
      root.end()
      doc.end()
      return finished
    },
  }
}
