/**
 * Text as people send it (issue 12): what a form, a query string or an uploaded file may hold.
 * PostgreSQL refuses a NUL (U+0000) in text and JSON, and a lone surrogate cannot be encoded, so
 * both are found here, before any handler, and refused with a message naming the field. Bytes that
 * are not UTF-8 are found while decoding (never turned into U+FFFD and stored). Pure: no I/O.
 */

/** Why a piece of text is refused. */
export type TextProblemKind = 'null-character' | 'unreadable'

export interface TextProblem {
  /** The form field's name ('' for the form as a whole). */
  field: string
  kind: TextProblemKind
}

export type FormFields = Record<string, string | string[]>

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })

/** The bytes as UTF-8 text, or null when they are not well-formed UTF-8 (surrogate encodings included). */
export function decodeUtf8Strictly(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return null
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** What is wrong with a piece of text, or null when it can be stored as it is. */
export function textProblem(text: string): TextProblemKind | null {
  if (text.includes('\u0000')) return 'null-character'
  if (LONE_SURROGATE.test(text)) return 'unreadable'
  return null
}

/** The text without the characters Haven refuses (and the U+FFFD left where bytes could not be read). */
export function withoutRefusedCharacters(text: string): string {
  return text.replaceAll('\u0000', '').replaceAll('\uFFFD', '').replace(new RegExp(LONE_SURROGATE.source, 'g'), '')
}

/** Bodies whose parser met bytes that were not UTF-8, with the fields they were in. */
const unreadable = new WeakMap<object, Set<string>>()

/** Notes that a field of a parsed body held bytes that were not UTF-8 (its text then holds U+FFFD). */
export function noteUnreadableField(body: object, field: string): void {
  const fields = unreadable.get(body) ?? new Set<string>()
  fields.add(field)
  unreadable.set(body, fields)
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57
  return -1
}

/** Percent-decodes one name or value, '+' as a space; a '%' not followed by two hex digits stays as it is. */
function percentDecode(bytes: Buffer): Buffer {
  if (!bytes.includes(0x25) && !bytes.includes(0x2b)) return bytes
  const out = Buffer.allocUnsafe(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (byte === 0x2b) out[n++] = 0x20
    else if (byte === 0x25 && i + 2 < bytes.length && hexValue(bytes[i + 1]!) >= 0 && hexValue(bytes[i + 2]!) >= 0) {
      out[n++] = hexValue(bytes[i + 1]!) * 16 + hexValue(bytes[i + 2]!)
      i += 2
    } else out[n++] = byte
  }
  return out.subarray(0, n)
}

/**
 * Parses application/x-www-form-urlencoded text (a body, or a URL's query string) as browsers
 * write it, like fast-querystring did (repeated names give arrays; a prototype-free object), but
 * decoding each name and value strictly as UTF-8 after percent-decoding. A name or value that is
 * not UTF-8 is kept with U+FFFD in place of the bad bytes and noted (see `unreadableFields`).
 */
export function parseUrlencoded(input: Buffer | string): FormFields {
  const fields: FormFields = Object.create(null)
  const bad: string[] = []
  // A URL arrives as a string of bytes (latin1); anything wider was never a byte string.
  const bytes =
    typeof input !== 'string' ? input : Buffer.from(input, /[\u0100-\uffff]/.test(input) ? 'utf8' : 'latin1')
  if (typeof input === 'string' && LONE_SURROGATE.test(input)) bad.push('')
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26, start)
    if (end < 0) end = bytes.length
    if (end > start) {
      const pair = bytes.subarray(start, end)
      const eq = pair.indexOf(0x3d)
      const rawName = percentDecode(eq < 0 ? pair : pair.subarray(0, eq))
      const rawValue = percentDecode(eq < 0 ? Buffer.alloc(0) : pair.subarray(eq + 1))
      const strictName = decodeUtf8Strictly(rawName)
      const strictValue = decodeUtf8Strictly(rawValue)
      const name = strictName ?? lenientUtf8.decode(rawName)
      const value = strictValue ?? lenientUtf8.decode(rawValue)
      if (strictName === null || strictValue === null) bad.push(name)
      const previous = fields[name]
      if (previous === undefined) fields[name] = value
      else if (Array.isArray(previous)) previous.push(value)
      else fields[name] = [previous, value]
    }
    start = end + 1
  }
  for (const name of bad) noteUnreadableField(fields, name)
  return fields
}

/** An uploaded file, as the multipart parser gives it. */
interface FileLike {
  filename: string
  contentType: string
  data: Uint8Array
  tooLarge: boolean
}

function isFile(value: unknown): value is FileLike {
  return !!value && typeof value === 'object' && !Array.isArray(value) && (value as FileLike).data instanceof Uint8Array
}

/** The first problem in a JSON value's strings and keys. */
function jsonProblem(value: unknown): TextProblemKind | null {
  if (typeof value === 'string') return textProblem(value)
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = jsonProblem(item)
      if (found) return found
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = textProblem(key) ?? jsonProblem(item)
      if (found) return found
    }
  }
  return null
}

/**
 * What is wrong with an uploaded file that Haven reads as text (a CSV or JSON file), or null.
 * A file that is not UTF-8 (or UTF-16 with a byte order mark) is left to the page that reads it,
 * which says how to save it, except a JSON file, which must be UTF-8. A JSON file's escapes
 * (`\u0000`, a lone `\ud800`) count as the characters they stand for.
 */
export function fileProblem(file: FileLike): TextProblemKind | null {
  if (file.tooLarge || file.data.length === 0) return null
  const json = /json/i.test(file.contentType) || /\.json$/i.test(file.filename)
  const bytes = file.data
  let text: string | null
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    try {
      text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes)
    } catch {
      text = null
    }
  } else text = decodeUtf8Strictly(bytes)
  if (text === null) return json ? 'unreadable' : null
  if (text.includes('\u0000')) return 'null-character'
  if (!json) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    return null // the page reading it says what is wrong with the JSON
  }
  return jsonProblem(parsed)
}

/**
 * Every problem in a parsed body or query: fields whose bytes were not UTF-8, names and values
 * holding a NUL or a lone surrogate, and uploaded text files holding them. One per field, in order.
 */
export function findTextProblems(fields: unknown): TextProblem[] {
  if (!fields || typeof fields !== 'object') return []
  const found = new Map<string, TextProblemKind>()
  for (const name of unreadable.get(fields) ?? []) found.set(name, 'unreadable')
  for (const [name, value] of Object.entries(fields)) {
    const nameProblem = textProblem(name)
    if (nameProblem) {
      if (!found.has(name)) found.set(name, nameProblem)
      continue
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      const kind = typeof item === 'string' ? textProblem(item) : isFile(item) ? fileProblem(item) : null
      if (kind && found.get(name) !== 'null-character') found.set(name, kind)
    }
  }
  const order = Object.keys(fields)
  return [...found]
    .map(([field, kind]) => ({ field, kind }))
    .sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
}

/** Labels for field names that do not read well as words. */
const knownLabels: Record<string, string> = { q: 'Search' }

/**
 * A field name as words for a message: `jobTitle` is "Job title", `startDate-day` is "Start date",
 * `caseManagement-1-advice` is "Case management 1 advice". Refused characters are dropped.
 */
export function humaniseFieldName(name: string): string {
  const clean = withoutRefusedCharacters(name)
  if (knownLabels[clean]) return knownLabels[clean]
  const words = clean
    .replace(/-(day|month|year)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_.[\]\s]+/)
    .filter((w) => w !== '')
    .map((w) => (/^[A-Z]+$/.test(w) && w.length > 1 ? w : w.toLowerCase()))
  const text = words.join(' ').slice(0, 80)
  return text === '' ? 'The form' : text[0]!.toUpperCase() + text.slice(1)
}

/** What must be true of the field, after its label: "must not contain ...". */
export function problemRule(kind: TextProblemKind, isFile: boolean): string {
  if (kind === 'null-character') return 'must not contain unusual characters such as a null character'
  return isFile
    ? 'must be saved as UTF-8 text, without characters that cannot be read'
    : 'must not contain characters that cannot be read, such as part of an emoji'
}

/** The GOV.UK-style message naming the field. */
export function problemMessage(label: string, kind: TextProblemKind, isFile = false): string {
  return `${label} ${problemRule(kind, isFile)}`
}
