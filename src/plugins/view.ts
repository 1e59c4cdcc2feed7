/**
 * Server-side rendering: Nunjucks with the govuk-frontend macros. `reply.view(template, context)`
 * renders a page with the request-wide locals (CSP nonce, CSRF token, the signed-in person,
 * navigation) that only plugins write.
 */

import fs from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'
import { dateInputHighlight } from '../forms/date-input.ts'
import { paths } from '../paths/index.ts'
import { formatCount, formatDate, formatDateTime, formatTime } from '../presenters/format.ts'
import { projectRoot } from '../root.ts'

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
  }
}

function assetVersion(): string {
  const css = path.join(projectRoot, 'public/build/app.css')
  return fs.existsSync(css) ? Math.floor(fs.statSync(css).mtimeMs).toString(36) : 'dev'
}

export function createViewEnvironment(): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      path.join(projectRoot, 'src/views'),
      path.join(projectRoot, 'src/features'),
      path.join(projectRoot, 'node_modules/govuk-frontend/dist'),
    ],
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true, noCache: false },
  )
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

const viewPlugin: FastifyPluginAsync = async (app) => {
  const env = viewEnvironment()
  app.decorateReply('locals', null as unknown as ViewLocals)
  app.addHook('onRequest', async (_req, reply) => {
    reply.locals = {}
  })
  app.decorateReply('view', function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const html = env.render(template, { ...this.locals, ...context })
    return this.type('text/html; charset=utf-8').send(html)
  })
}

export default fp(viewPlugin, { name: 'view' })
