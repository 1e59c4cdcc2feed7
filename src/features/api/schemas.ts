/**
 * The integration API's request and response shapes (issue 15 item 3, ADR 0035): one Zod schema
 * each, used to read requests (handlers parse with them, as the forms do) and, through
 * z.toJSONSchema, to describe them in the OpenAPI document, so the two cannot drift apart.
 */
import { z } from 'zod'
import { textProblem } from '../../forms/text-input.ts'

/** Text Haven can store: no NUL, no lone surrogate (ADR 0012). */
const storable = (label: string) =>
  z.string().refine((v) => textProblem(v) === null, { message: `${label} must not contain unusual characters` })

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string().optional(),
          row: z.int().nullable().optional(),
          column: z.string().nullable().optional(),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .meta({
    title: 'Problem',
    description: 'An error, as application/problem+json (RFC 9457); errors name fields or rows',
  })

export const decisionStatusSchema = z.enum(['awaiting-sign-off', 'returned', 'ready', 'entered'])

export const decisionSchema = z
  .object({
    id: z.uuid(),
    status: decisionStatusSchema,
    child: z.object({
      about: z.enum(['child', 'family', 'pseudonym']),
      name: z.string(),
      upn: z.string().nullable(),
      misId: z.string().nullable(),
      yearGroup: z.string(),
    }),
    decidedOn: z.iso.date(),
    category: z.string(),
    decision: z.string(),
    actions: z.string(),
    agreedBy: z.string(),
    source: z.string(),
    signedOffBy: z.string().nullable(),
    entered: z
      .object({
        by: z.string(),
        at: z.iso.datetime({ offset: true }),
        system: z.string().nullable(),
        reference: z.string(),
      })
      .nullable(),
  })
  .meta({
    title: 'Decision',
    description: 'A decision about a child, on its way to the child’s own safeguarding record',
  })

export const decisionListSchema = z.object({ decisions: z.array(decisionSchema) })

export const decisionListQuery = z.object({
  status: decisionStatusSchema.default('ready'),
})

export const decisionParams = z.object({ decisionId: z.uuid() })

export const acknowledgementSchema = z
  .object({
    reference: storable('The reference')
      .trim()
      .min(1, 'Enter the reference of the entry in the child’s record')
      .max(200, 'The reference must be 200 characters or fewer'),
    system: storable('The system').trim().max(100, 'The system must be 100 characters or fewer').optional(),
  })
  .strict()
  .meta({
    title: 'Acknowledgement',
    description: 'The decision was entered in the child’s record, with this reference',
  })

export const complianceStatusSchema = z.enum(['not-required', 'compliant', 'due-soon', 'overdue', 'never-supervised'])

export const complianceSchema = z.object({
  date: z.iso.date(),
  people: z.array(
    z.object({
      personId: z.uuid(),
      name: z.string(),
      required: z.boolean(),
      status: complianceStatusSchema,
      lastSession: z.iso.date().nullable(),
      nextDue: z.iso.date().nullable(),
    }),
  ),
})

export const staffImportResultSchema = z.object({
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  notInFile: z.int(),
})

export const pupilImportResultSchema = z.object({ created: z.int(), updated: z.int() })

/** The CSV body of an import, as the MIS exports it (the staff or pupil import's columns and aliases). */
export const csvBodySchema = z.string().meta({ description: 'The CSV file, as text/csv' })
