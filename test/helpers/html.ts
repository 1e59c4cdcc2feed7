import { type HTMLElement, parse } from 'node-html-parser'

/** Parses a response body as HTML. */
export function html(body: string): HTMLElement {
  return parse(body)
}

/** The trimmed, whitespace-collapsed text of the first element matching a selector ('' if none). */
export function textOf(body: string, selector: string): string {
  const el = parse(body).querySelector(selector)
  return el ? el.textContent.replace(/\s+/g, ' ').trim() : ''
}
