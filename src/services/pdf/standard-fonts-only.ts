/**
 * What the evidence pack's process loads in place of fontkit (ADR 53): pdfkit imports fontkit
 * (about 20 MB resident with its tables) to embed TrueType and OpenType fonts, and Haven's PDFs
 * use only the standard PDF fonts (Helvetica), which pdfkit reads from its own AFM files without
 * fontkit. A font to embed is refused, never drawn wrongly.
 */
export function create(): never {
  throw new Error("Haven's PDFs use the standard PDF fonts only: no font can be embedded here")
}
