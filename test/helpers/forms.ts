/**
 * Submitting a page's form as a browser would: every field as it stands on the page (text,
 * hidden fields, ticked boxes, chosen options, text areas, the CSRF token), with some changed.
 */
import type { LightMyRequestResponse } from 'fastify'
import { type HTMLElement, parse } from 'node-html-parser'
import type { Client } from './browser-like.ts'

export type Fields = Record<string, string | string[]>

/** The fields a browser would send from the first form matching `selector` (default: the page's main form). */
export function formFields(body: string, selector = 'main form[method=post]'): Fields {
  const form = parse(body).querySelector(selector)
  if (!form) throw new Error(`No form matching ${selector}`)
  return fieldsOf(form)
}

function add(fields: Fields, name: string, value: string) {
  const existing = fields[name]
  if (existing === undefined) fields[name] = value
  else if (Array.isArray(existing)) existing.push(value)
  else fields[name] = [existing, value]
}

function fieldsOf(form: HTMLElement): Fields {
  const fields: Fields = {}
  for (const el of form.querySelectorAll('input, select, textarea')) {
    const name = el.getAttribute('name')
    if (!name || el.hasAttribute('disabled')) continue
    const tag = el.tagName.toLowerCase()
    if (tag === 'textarea') {
      add(fields, name, el.textContent.replace(/^\n/, ''))
      continue
    }
    if (tag === 'select') {
      const chosen = el.querySelector('option[selected]') ?? el.querySelector('option')
      add(fields, name, chosen?.getAttribute('value') ?? '')
      continue
    }
    const type = (el.getAttribute('type') ?? 'text').toLowerCase()
    if (type === 'submit' || type === 'button' || type === 'file') continue
    if ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked')) continue
    add(fields, name, el.getAttribute('value') ?? (type === 'checkbox' ? 'on' : ''))
  }
  return fields
}

/**
 * GETs `url`, takes its form as it stands, applies `changes` (a value of null removes the field:
 * an unticked box), and POSTs it to the form's action.
 */
export async function submitForm(
  browser: Client,
  url: string,
  changes: Record<string, string | string[] | null> = {},
  options: { selector?: string } = {},
): Promise<LightMyRequestResponse> {
  const page = await browser.get(url)
  if (page.statusCode !== 200) throw new Error(`GET ${url} returned ${page.statusCode}`)
  const root = parse(page.body)
  const form = root.querySelector(options.selector ?? 'main form[method=post]')
  if (!form) throw new Error(`No form on ${url}`)
  const fields = fieldsOf(form)
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete fields[name]
    else fields[name] = value
  }
  const action = form.getAttribute('action') ?? url
  const csrf = fields._csrf
  delete fields._csrf
  return browser.post(action, fields, { csrf: typeof csrf === 'string' ? csrf : null })
}
