/**
 * One error shape for every form (GOV.UK error summary plus inline messages). Only the first
 * message per field is kept; summary links point at the field's id.
 */
import type { z } from 'zod'

export interface FormErrors {
  fields: Record<string, { text: string }>
  summary: { text: string; href: string }[]
}

export const noErrors: FormErrors = Object.freeze({ fields: {}, summary: [] }) as FormErrors

/** Builds the error shape from [field, message] pairs, keeping order and the first message per field. */
export function formErrors(
  pairs: readonly (readonly [string, string])[],
  hrefs: Record<string, string> = {},
): FormErrors {
  const fields: FormErrors['fields'] = {}
  const summary: FormErrors['summary'] = []
  for (const [field, text] of pairs) {
    if (fields[field]) continue
    fields[field] = { text }
    summary.push({ text, href: `#${hrefs[field] ?? field}` })
  }
  return { fields, summary }
}

export function fromZodError(error: z.ZodError, hrefs: Record<string, string> = {}): FormErrors {
  return formErrors(
    error.issues.map((issue) => [issue.path.map(String).join('.') || 'form', issue.message] as const),
    hrefs,
  )
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.summary.length > 0
}

/** Reads one string field from a urlencoded body (first value if repeated), trimmed unless asked not to. */
export function field(body: unknown, name: string, { trim = true } = {}): string {
  const raw = (body as Record<string, unknown> | null | undefined)?.[name]
  const value = Array.isArray(raw) ? raw[0] : raw
  if (typeof value !== 'string') return ''
  return trim ? value.trim() : value
}

/** Reads a repeated field (checkboxes) as a list of strings. */
export function fieldList(body: unknown, name: string): string[] {
  const raw = (body as Record<string, unknown> | null | undefined)?.[name]
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  return values.filter((v): v is string => typeof v === 'string' && v !== '')
}
