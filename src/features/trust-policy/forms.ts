/**
 * The trust policy's forms (issue 14, ADR 0024), one Zod schema each: publishing a trust version,
 * an academy adopting the trust's policy, and each kind of change an academy makes to it (a
 * frequency, a template, an extra requirement, taking a change away). Every change takes effect
 * on a date, with a reason when that date is before today.
 */
import { z } from 'zod'
import { dateInputSchema } from '../../forms/date-input.ts'
import { checkboxes, text, withDates } from '../../forms/fields.ts'

const effectiveFrom = dateInputSchema('The date it takes effect', {
  required: true,
  blank: 'Enter the date it takes effect',
}).pipe(z.string())

const dated = { effectiveFrom, reason: text }

export const datedHrefs = { effectiveFrom: 'effectiveFrom-day' }

export const publishForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    source: text.pipe(z.enum(['school', 'file'], { error: 'Select where the trust policy comes from' })),
    fromSchool: text,
    ...dated,
  }),
)
export const publishHrefs = { ...datedHrefs, source: 'source' }

export const adoptForm = z.preprocess(withDates('effectiveFrom'), z.object(dated))

const every = text.pipe(
  z
    .string()
    .min(1, 'Enter how many')
    .regex(/^\d{1,2}$/, 'How many must be a whole number, like 4')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 52, 'How many must be between 1 and 52'),
)
const unit = text.pipe(
  z.enum(['weeks', 'months', 'half-terms', 'terms', 'academic-years'], {
    error: 'Select weeks, months, half terms, terms or academic years',
  }),
)

export const frequencyForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    requirementId: text.pipe(z.string().min(1, 'Select the requirement')),
    every,
    unit,
    termTimeOnly: text.transform((v) => v === 'yes'),
    ...dated,
  }),
)
export const frequencyHrefs = { ...datedHrefs, requirementId: 'requirementId', unit: 'unit' }

export const templateForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    replaces: text.pipe(z.string().min(1, "Select the trust's template to replace")),
    with: text.pipe(
      z
        .string()
        .min(1, "Enter the id of the academy's template")
        .max(80, 'Template id must be 80 characters or fewer')
        .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Template id must only include letters a to z, numbers and hyphens'),
    ),
    ...dated,
  }),
)
export const templateHrefs = { ...datedHrefs, replaces: 'replaces' }

export const requirementForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    description: text.pipe(
      z
        .string()
        .min(1, 'Enter what the requirement is')
        .max(200, 'What the requirement is must be 200 characters or fewer'),
    ),
    sessionTypes: checkboxes.pipe(z.array(z.string()).min(1, 'Select the kinds of session that count')),
    roles: checkboxes,
    every,
    unit,
    termTimeOnly: text.transform((v) => v === 'yes'),
    ...dated,
  }),
)
export const requirementHrefs = { ...datedHrefs, sessionTypes: 'sessionTypes', unit: 'unit' }

export const removeForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    change: text.pipe(
      z.string().regex(/^(frequency|template|requirement):[a-z0-9-]{1,80}$/, 'Select a change to take away'),
    ),
    ...dated,
  }),
)

export const becomeTrustForm = z.preprocess(
  withDates('effectiveFrom'),
  z.object({
    name: text.pipe(
      z.string().min(1, 'Enter the name of the trust').max(200, 'Trust name must be 200 characters or fewer'),
    ),
    effectiveFrom: dateInputSchema('The date the school follows the trust policy', {
      required: true,
      blank: 'Enter the date the school follows the trust policy',
    }).pipe(z.string()),
    reason: text,
  }),
)
