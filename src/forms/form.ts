/**
 * The one form layer (issue 13, point 3). Every form is one Zod schema in its feature's
 * `forms.ts`; a handler reads the submitted body with `parseForm` and, when it is refused,
 * answers with `renderInvalid`: the same page again, status 400, the GOV.UK error summary and
 * inline messages, and what the person typed. Messages are the Design System's wording, written
 * in the schema; `hrefs` says which element the summary links to when it is not the field's own
 * id (a date input's first part, a group of checkboxes' first box).
 */
import type { FastifyReply } from 'fastify'
import type { z } from 'zod'
import { type FormErrors, formErrors, fromZodError, noErrors } from './errors.ts'

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

/** A problem a service or a domain rule found with one field, after the form itself was read. */
export interface FieldProblem {
  field: string
  message: string
}

/** Reads a body with a form's schema: its value, or the errors in the form's order. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  hrefs: Record<string, string> = {},
): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {})
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fromZodError(parsed.error, hrefs) }
}

/** The error shape for problems found after the form was read (by a service or a domain rule). */
export function problemErrors(problems: readonly FieldProblem[], hrefs: Record<string, string> = {}): FormErrors {
  return formErrors(
    problems.map((p) => [p.field, p.message] as const),
    hrefs,
  )
}

/**
 * The one way a refused form is answered: the form's page again with its errors, status 400 (or
 * 409 for an edit that lost to someone else's, 422 where a route already says so).
 */
export function renderInvalid(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  errors: FormErrors,
  status: 400 | 409 | 422 = 400,
): FastifyReply {
  return reply.code(status).view(template, { ...context, errors })
}

/**
 * A form's page: as it first shows (no errors), or again with the errors of a refused submission
 * (through renderInvalid, so with its status).
 */
export function renderForm(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  errors?: FormErrors,
): FastifyReply {
  return errors
    ? renderInvalid(reply, template, context, errors)
    : reply.view(template, { ...context, errors: noErrors })
}

/**
 * What a form says when someone else saved the same thing first (the version it was read at is no
 * longer the latest): the same words on every page, naming what changed and what to check.
 * "Someone else changed this person while you were editing. Your changes have not been saved.
 * Check their details below, then make your changes again."
 */
export function editConflictMessage(thing: string, check: string): string {
  return `Someone else changed ${thing} while you were editing. Your changes have not been saved. Check ${check}, then make your changes again.`
}
