/**
 * Server-side rendering: Nunjucks with the govuk-frontend macros. `reply.view(template, context)`
 * renders a page with the request-wide locals (CSP nonce, CSRF token, the signed-in person,
 * navigation) that only plugins write.
 */

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'
import { dateInputHighlight } from '../forms/date-input.ts'
import { paths } from '../paths/index.ts'
import { formatCount, formatDate, formatDateTime, formatTime } from '../presenters/format.ts'
import { projectRoot } from '../root.ts'
import { PrecompiledFileSystemLoader, precompiledDir, viewFolders } from './precompiled-views.ts'

export interface ViewLocals {
  cspNonce?: string
  csrfToken?: string
  navigation?: { href: string; text: string; active?: boolean }[]
  [key: string]: unknown
}

declare module 'fastify' {
  interface FastifyReply {
    locals: ViewLocals
    view(template: string, context?: Record<string, unknown>): FastifyReply
    /**
     * As `view`, for a page whose whole context `key` names: rendered once per key and the
     * request's locals (ADR 0054), and sent with this response's CSP nonce and CSRF token. The
     * context is asked for only when the page is rendered.
     */
    viewKept(key: string, template: string, context: () => Record<string, unknown>): FastifyReply
  }
}

function assetVersion(): string {
  const css = path.join(projectRoot, 'public/build/app.css')
  return fs.existsSync(css) ? Math.floor(fs.statSync(css).mtimeMs).toString(36) : 'dev'
}

export function createViewEnvironment(
  /** Where compiled templates are read from (ADR 0056); the tests give their own folders. */
  { folders = viewFolders, compiledDir = precompiledDir }: { folders?: string[]; compiledDir?: string } = {},
): nunjucks.Environment {
  // Templates compiled ahead by the build are loaded as code, not compiled again (ADR 0056).
  const loader = new PrecompiledFileSystemLoader(folders, { noCache: false }, compiledDir)
  const env = new nunjucks.Environment(loader, {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
    noCache: false,
  })
  loader.environment = env as unknown as PrecompiledFileSystemLoader['environment']
  // Nunjucks' own trim runs /^\s*|\s*$/ over the text, slow on the long text the govuk macros
  // trim on every page (issue 16: 3% of the overview's time under load); String.prototype.trim
  // removes the same characters (\s is WhiteSpace and LineTerminator) and keeps markup marked safe.
  const nunjucksTrim = env.getFilter('trim')
  env.addFilter('trim', (v: unknown) => {
    if (v instanceof nunjucks.runtime.SafeString) return new nunjucks.runtime.SafeString(v.toString().trim())
    return typeof v === 'string' ? v.trim() : nunjucksTrim(v)
  })
  env.addFilter('date', (v: unknown) => formatDate(v))
  env.addFilter('dateTime', (v: unknown) => formatDateTime(v))
  env.addFilter('time', (v: unknown) => formatTime(v))
  env.addFilter('plural', (n: number, singular: string, plural: string) => formatCount(n, singular, plural))
  env.addGlobal('assetVersion', assetVersion())
  env.addGlobal('dateInputHighlight', dateInputHighlight)
  env.addGlobal('paths', paths)
  return env
}

let shared: nunjucks.Environment | null = null

/**
 * The process's one environment. Its folders, options, filters and globals never differ between
 * apps, and it keeps each template compiled once; a process that builds several apps (the tests
 * build one per test) would otherwise compile the layout, the macros and govuk-frontend's
 * templates again for each.
 */
export function viewEnvironment(): nunjucks.Environment {
  shared ??= createViewEnvironment()
  return shared
}

/**
 * Stand-ins for the nonce and the CSRF token in pages rendered for `viewKept`: random for the
 * process, so no text a page shows can be mistaken for one.
 */
const keptPagesMax = 200
const placeholders = {
  nonce: `haven-nonce-${crypto.randomBytes(12).toString('hex')}`,
  csrf: `haven-csrf-${crypto.randomBytes(12).toString('hex')}`,
}

/** As Nunjucks' autoescape writes a value into a page (its escapeMap). */
const escapes: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
}
function escapeHtml(text: string): string {
  return text.replace(/[&"'<>\\]/g, (c) => escapes[c]!)
}

const viewPlugin: FastifyPluginAsync = async (app) => {
  const env = viewEnvironment()
  // Pages rendered for `viewKept`, by template, key and locals; one app's own (each app has its database).
  const keptPages = new Map<string, string>()
  app.decorateReply('locals', null as unknown as ViewLocals)
  app.addHook('onRequest', async (_req, reply) => {
    reply.locals = {}
  })
  app.decorateReply(
    'viewKept',
    function viewKept(this: FastifyReply, key: string, template: string, context: () => Record<string, unknown>) {
      const { cspNonce, csrfToken, ...locals } = this.locals
      const fullKey = `${template}\n${key}\n${JSON.stringify(locals)}`
      let html = keptPages.get(fullKey)
      if (html === undefined) {
        html = env.render(template, {
          ...locals,
          cspNonce: placeholders.nonce,
          csrfToken: placeholders.csrf,
          ...context(),
        })
        if (keptPages.size >= keptPagesMax) keptPages.delete(keptPages.keys().next().value!)
        keptPages.set(fullKey, html)
      }
      const page = html
        .replaceAll(placeholders.nonce, escapeHtml(cspNonce ?? ''))
        .replaceAll(placeholders.csrf, escapeHtml(csrfToken ?? ''))
      return this.type('text/html; charset=utf-8').send(page)
    },
  )
  app.decorateReply('view', function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const html = env.render(template, { ...this.locals, ...context })
    return this.type('text/html; charset=utf-8').send(html)
  })
}

export default fp(viewPlugin, { name: 'view' })
