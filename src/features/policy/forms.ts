/**
 * The policy's forms (issue 13, point 3), one Zod schema each: the date a new version takes effect
 * (uploading a file, publishing the draft) and the draft version a publish or discard was made
 * from. The editor's section pages read their fields with the editor's own field definitions
 * (editor/fields.ts).
 */
import { z } from 'zod'
import { dateInputSchema, datePartsFrom } from '../../forms/date-input.ts'
import { parseForm } from '../../forms/form.ts'

const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v)

/** The date a new version takes effect, from the date input `effectiveFrom`. */
export const effectiveFromSchema = z.preprocess(
  (body) => ({ effectiveFrom: datePartsFrom(body, 'effectiveFrom') }),
  z.object({
    effectiveFrom: dateInputSchema('The date it takes effect', {
      required: true,
      blank: 'Enter the date the new version takes effect',
    }).pipe(z.string()),
  }),
)

/** Where the summary links for the date: its first part. */
export const effectiveFromHrefs = { effectiveFrom: 'effectiveFrom-day' }

/** The draft version a form was made from; null when missing or not a whole number (never a version). */
export const draftVersionSchema = z.object({
  draftVersion: z.preprocess(
    firstValue,
    z
      .string()
      .trim()
      .regex(/^\d{1,9}$/)
      .transform(Number)
      .nullable()
      .catch(null),
  ),
})

/** The draft version a form was made from (see draftVersionSchema). */
export function draftVersionOf(body: unknown): number | null {
  const form = parseForm(draftVersionSchema, body)
  return form.ok ? form.value.draftVersion : null
}
