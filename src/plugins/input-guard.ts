/**
 * What Haven accepts as input (issue 12, ADR 0012). Forms arrive urlencoded (multipart only where a
 * feature takes a file upload, plugins/multipart.ts); JSON and plain-text bodies are refused with
 * 415, as no form or script of Haven's sends them. The urlencoded parser decodes strictly as UTF-8.
 *
 * After access and CSRF checks and before any handler, every field of the query string, the
 * route's parameters and the body (uploaded CSV and JSON files included) is checked for a NUL, a
 * lone surrogate or bytes that were not UTF-8, which PostgreSQL would refuse (a 500) or which would
 * be stored as U+FFFD. Any found: a 400 naming the field, nothing saved. A browser gets a page with
 * an error summary and what it sent, without the bad characters, to copy (its own form keeps the
 * rest when it goes back); a script (autosave) gets JSON naming the field and keeps its text.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  findTextProblems,
  humaniseFieldName,
  parseUrlencoded,
  problemMessage,
  problemRule,
  type TextProblem,
  withoutRefusedCharacters,
} from '../forms/text-input.ts'
import { paths } from '../paths/index.ts'
import { renderNotFound } from './errors.ts'
import { apiScopeOf } from './route-access.ts'

/** Largest urlencoded body: forms are text; files come as multipart. */
export const URLENCODED_BODY_LIMIT = 1024 * 1024

/** Fields never shown back: secrets, and the CSRF token. */
const SECRET = /^_|password|passcode|secret|token|^code$/i
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Where = 'query' | 'params' | 'body'

interface Found extends TextProblem {
  where: Where
  label: string
  message: string
  rule: string
  isFile: boolean
}

function isUploadedFile(value: unknown): value is { filename: string } {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'data' in value && 'filename' in value
}

function problemsOf(req: FastifyRequest): Found[] {
  const query = req.url.indexOf('?')
  const sources: [Where, unknown][] = [
    ['params', req.params],
    ['query', query < 0 ? null : parseUrlencoded(req.url.slice(query + 1))],
    ['body', req.body],
  ]
  const found: Found[] = []
  for (const [where, fields] of sources) {
    for (const problem of findTextProblems(fields)) {
      const value = (fields as Record<string, unknown>)[problem.field]
      const isFile = (Array.isArray(value) ? value : [value]).some(isUploadedFile)
      const label =
        where === 'params' ? 'The web address' : isFile ? 'The selected file' : humaniseFieldName(problem.field)
      found.push({
        ...problem,
        where,
        label,
        isFile,
        rule: problemRule(problem.kind, isFile),
        message: problemMessage(label, problem.kind, isFile),
      })
    }
  }
  return found
}

/** A fetch from Haven's own scripts (autosave) rather than a page load. */
export function wantsJson(req: FastifyRequest): boolean {
  return String(req.headers.accept ?? '').includes('application/json') || req.headers['x-requested-with'] !== undefined
}

/** Where "Go back" leads without JavaScript: the page the form was on, when it was Haven's. */
function backHref(req: FastifyRequest): string {
  const referer = req.headers.referer
  if (typeof referer === 'string') {
    try {
      const url = new URL(referer)
      if (url.host === req.host) return `${url.pathname}${url.search}`
    } catch {
      // not a URL: fall through
    }
  }
  return paths.home.index()
}

function typedFields(req: FastifyRequest, found: Found[]) {
  const body = req.body
  if (!body || typeof body !== 'object') return []
  const items: { id: string; field: string; label: string; value: string; changed: boolean; rows: number }[] = []
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (SECRET.test(name)) continue
    const values = (Array.isArray(raw) ? raw : [raw]).filter(
      // Ids are not typing.
      (v): v is string => typeof v === 'string' && v.trim() !== '' && !UUID.test(v),
    )
    if (values.length === 0) continue
    const value = values.join('\n')
    const clean = withoutRefusedCharacters(value)
    const part = /-(day|month|year)$/.exec(name)?.[1]
    items.push({
      id: `typed-${items.length + 1}`,
      field: name,
      label: `${humaniseFieldName(name)}${part ? ` (${part})` : ''}`,
      value: clean,
      changed: clean !== value || found.some((f) => f.where === 'body' && f.field === name),
      rows: Math.min(8, Math.max(2, clean.split('\n').length + 1)),
    })
  }
  return items
}

function refuse(req: FastifyRequest, reply: FastifyReply, found: Found[]) {
  // Field names only: what was typed may be personal.
  req.log.info({ fields: found.map((f) => `${f.where}:${withoutRefusedCharacters(f.field)}`) }, 'unusual characters')
  const first = found[0]!
  if (wantsJson(req)) {
    return reply.code(400).send({
      saved: false,
      error: 'unusual-characters',
      field: withoutRefusedCharacters(first.field),
      label: first.label,
      rule: first.rule,
      message: first.message,
      problems: found.map((f) => ({ field: withoutRefusedCharacters(f.field), message: f.message })),
    })
  }
  const typed = typedFields(req, found).map((item) => ({
    ...item,
    error: found.find((f) => f.where === 'body' && withoutRefusedCharacters(f.field) === item.field)?.message,
  }))
  const summary = found.map((f) => {
    const shown = f.where === 'body' ? typed.find((t) => t.field === withoutRefusedCharacters(f.field)) : undefined
    return { text: f.message, href: shown ? `#${shown.id}` : '#main-content' }
  })
  const unsafe = req.method !== 'GET' && req.method !== 'HEAD'
  const heading = unsafe ? 'Nothing has been saved' : 'There is a problem with what you searched for'
  return reply.code(400).view('pages/unusual-characters.njk', {
    pageTitle: heading,
    heading,
    unsafe,
    errors: { fields: {}, summary },
    typed,
    changedCount: typed.filter((t) => t.changed).length,
    backHref: backHref(req),
  })
}

const inputGuard: FastifyPluginAsync = async (app) => {
  // Only what Haven's forms send: no JSON, no plain text (Fastify's defaults).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: URLENCODED_BODY_LIMIT },
    (_req, body, done) => done(null, parseUrlencoded(body as Buffer)),
  )
  app.addHook('preHandler', async (req, reply) => {
    // The integration API checks its own JSON and CSV bodies and answers in JSON (features/api).
    if (req.is404 || apiScopeOf(req) !== null) return
    const found = problemsOf(req)
    // A web address with such characters in its path names nothing Haven holds.
    if (found.some((f) => f.where === 'params')) return renderNotFound(req, reply)
    if (found.length > 0) return refuse(req, reply, found)
  })
}

export default fp(inputGuard, { name: 'input-guard', dependencies: ['view'] })
