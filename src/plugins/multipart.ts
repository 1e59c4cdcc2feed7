/**
 * A small, strict multipart/form-data parser for forms that upload one file (the staff CSV). It
 * keeps the whole body in memory (Fastify's body limit caps it), then splits it on the boundary.
 * Text fields land in `req.body` as strings (arrays when repeated), so the CSRF check reads
 * `_csrf` from the body as for any other form; files land as `UploadedFile`. Text is decoded
 * strictly as UTF-8: a field that is not is noted, and plugins/input-guard.ts refuses it.
 *
 * Register it inside the feature that accepts uploads: other routes keep refusing multipart (415).
 */
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { decodeUtf8Strictly, noteUnreadableField } from '../forms/text-input.ts'

export interface UploadedFile {
  /** The file name the browser sent (no path), or '' when none was chosen. */
  filename: string
  contentType: string
  data: Buffer
  /** True when the file was larger than `maxFileBytes`: `data` is then empty. */
  tooLarge: boolean
}

export type MultipartBody = Record<string, string | string[] | UploadedFile>

export interface MultipartLimits {
  /** Largest file kept; larger files are reported with `tooLarge` (the route says so) rather than refused. */
  maxFileBytes: number
  /** Most text fields and files in one form. */
  maxParts: number
  /** Longest text field, in bytes. */
  maxFieldBytes: number
  /** Most files in one form. */
  maxFiles: number
}

export const defaultMultipartLimits: MultipartLimits = Object.freeze({
  maxFileBytes: 5 * 1024 * 1024,
  maxParts: 20,
  maxFieldBytes: 64 * 1024,
  maxFiles: 1,
})

export class MultipartError extends Error {
  override name = 'MultipartError'
  statusCode = 400
}

const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')
const MAX_HEADER_BYTES = 8 * 1024

/** The boundary from a Content-Type header (RFC 2046: 1 to 70 characters), or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType) return null
  const [type, ...params] = contentType.split(';')
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return null
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq < 0) continue
    if (param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue
    let value = param.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    return /^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/.test(value) && !value.endsWith(' ') ? value : null
  }
  return null
}

/** Parameters of a Content-Disposition header: `form-data; name="x"; filename="y.csv"`. */
function dispositionOf(header: string): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>()
  const semicolon = header.indexOf(';')
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase()
  // HTML forms percent-encode quotes and line breaks in names; backslashes are sent as they are
  // (old browsers send a whole Windows path as the file name), so they are not escapes here.
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"([^"]*)"|([^;]*))/g
  for (const match of header.slice(Math.max(semicolon, 0)).matchAll(pattern)) {
    const key = match[1]!.toLowerCase()
    const value = match[2] ?? match[3]!.trim()
    if (!params.has(key)) params.set(key, value)
  }
  return { type, params }
}

/** Browsers send the bare file name; some older ones send a whole Windows path. */
function baseName(filename: string): string {
  const name = filename.split(/[\\/]/).pop() ?? ''
  return [...name]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .slice(0, 255)
}

/**
 * Parses a multipart/form-data body. Throws `MultipartError` (status 400) for a body that is not
 * well-formed or breaks the limits on parts, fields or number of files.
 */
export function parseMultipart(
  body: Buffer,
  boundary: string,
  limits: MultipartLimits = defaultMultipartLimits,
): MultipartBody {
  const result: MultipartBody = Object.create(null)
  const delimiter = Buffer.from(`--${boundary}`)
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`)
  let position = body.indexOf(delimiter)
  if (position !== 0 && (position < 0 || body.indexOf(nextDelimiter) !== position - 2))
    throw new MultipartError('multipart body does not start with the boundary')
  position += delimiter.length
  let parts = 0
  let files = 0
  for (;;) {
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return result // "--": the closing delimiter
    // Transport padding (spaces or tabs) may follow a delimiter, then CRLF.
    while (body[position] === 0x20 || body[position] === 0x09) position++
    if (!body.subarray(position, position + 2).equals(CRLF)) throw new MultipartError('malformed multipart delimiter')
    position += 2
    const headerEnd = body.indexOf(HEADER_END, position)
    if (headerEnd < 0 || headerEnd - position > MAX_HEADER_BYTES) throw new MultipartError('malformed part headers')
    const headers = new Map<string, string>()
    const headerBytes = body.subarray(position, headerEnd)
    const strictHeaders = decodeUtf8Strictly(headerBytes)
    for (const line of (strictHeaders ?? headerBytes.toString('utf8')).split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon <= 0) throw new MultipartError('malformed part header')
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const contentStart = headerEnd + HEADER_END.length
    const contentEnd = body.indexOf(nextDelimiter, contentStart)
    if (contentEnd < 0) throw new MultipartError('multipart body is not closed')
    position = contentEnd + nextDelimiter.length
    if (++parts > limits.maxParts) throw new MultipartError('too many parts')

    const disposition = dispositionOf(headers.get('content-disposition') ?? '')
    const name = disposition.params.get('name')
    if (disposition.type !== 'form-data' || name === undefined || name === '')
      throw new MultipartError('a part has no form-data name')
    const content = body.subarray(contentStart, contentEnd)
    const filename = disposition.params.get('filename')
    if (filename !== undefined) {
      if (++files > limits.maxFiles) throw new MultipartError('too many files')
      const tooLarge = content.length > limits.maxFileBytes
      if (strictHeaders === null) noteUnreadableField(result, name)
      result[name] = {
        filename: baseName(filename),
        contentType: (headers.get('content-type') ?? 'application/octet-stream').slice(0, 200),
        data: tooLarge ? Buffer.alloc(0) : Buffer.from(content),
        tooLarge,
      }
      continue
    }
    if (content.length > limits.maxFieldBytes) throw new MultipartError('a field is too long')
    const strictValue = decodeUtf8Strictly(content)
    if (strictHeaders === null || strictValue === null) noteUnreadableField(result, name)
    const value = strictValue ?? content.toString('utf8')
    const previous = result[name]
    if (previous === undefined) result[name] = value
    else if (Array.isArray(previous)) previous.push(value)
    else if (typeof previous === 'string') result[name] = [previous, value]
    else throw new MultipartError('a field has the same name as a file')
  }
}

/** The uploaded file of that name in a parsed body, or null. */
export function uploadedFile(body: unknown, name: string): UploadedFile | null {
  const value = (body as Record<string, unknown> | null | undefined)?.[name]
  if (value && typeof value === 'object' && !Array.isArray(value) && 'data' in value) return value as UploadedFile
  return null
}

const multipartPlugin: FastifyPluginAsync<{ limits?: Partial<MultipartLimits> }> = async (app, opts) => {
  const limits = { ...defaultMultipartLimits, ...opts.limits }
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    const boundary = boundaryOf(req.headers['content-type'])
    if (!boundary) {
      done(new MultipartError('multipart/form-data needs a boundary'), undefined)
      return
    }
    try {
      done(null, parseMultipart(body as Buffer, boundary, limits))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}

export default fp(multipartPlugin, { name: 'multipart' })
