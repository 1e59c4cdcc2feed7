/**
 * Route schemas for the OpenAPI document, made from the API's Zod definitions (schemas.ts) with
 * z.toJSONSchema (JSON Schema 2020-12, as OpenAPI 3.1 takes it). Fastify does not validate with
 * them (the handlers parse with the same Zod schemas and answer problem+json naming the field);
 * @fastify/swagger reads them to write the document.
 */
import { type ZodType, z } from 'zod'
import type { ApiScope } from '../../domain/api/tokens.ts'
import { problemSchema } from './schemas.ts'

export type JsonSchema = Record<string, unknown>

/** The JSON Schema of a Zod schema, without `$schema` (the document says which dialect). */
export function jsonSchemaOf(schema: ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' })
  return rest as JsonSchema
}

const problem = jsonSchemaOf(problemSchema)

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: problem } } }
}

export const refusals = {
  401: problemResponse('No API token, or one that is unknown, revoked or expired'),
  403: problemResponse('The API token does not have the scope this needs'),
  429: problemResponse('Too many requests with this token (or from this address): wait and try again'),
}

export function badRequest(description = 'The request names a field or row that is wrong') {
  return problemResponse(description)
}

export function notFound(description = 'Not found in the token’s school') {
  return problemResponse(description)
}

export function conflict(description: string) {
  return problemResponse(description)
}

/** The OpenAPI part of a route: its operation, scope, and schemas by status. */
export function operation(input: {
  operationId: string
  summary: string
  description?: string
  scope: ApiScope
  querystring?: ZodType
  params?: ZodType
  body?: { schema: ZodType; contentType: 'application/json' | 'text/csv' }
  responses: Record<number, { description: string; schema: ZodType } | ReturnType<typeof problemResponse>>
}) {
  const response: Record<string, unknown> = { ...refusals }
  for (const [status, r] of Object.entries(input.responses))
    response[status] =
      'schema' in r && !('content' in r)
        ? { description: r.description, content: { 'application/json': { schema: jsonSchemaOf(r.schema) } } }
        : r
  return {
    operationId: input.operationId,
    summary: input.summary,
    description: `${input.description ? `${input.description}\n\n` : ''}Needs the \`${input.scope}\` scope.`,
    tags: ['integration'],
    security: [{ apiToken: [input.scope] }],
    ...(input.querystring ? { querystring: jsonSchemaOf(input.querystring, 'input') } : {}),
    ...(input.params ? { params: jsonSchemaOf(input.params, 'input') } : {}),
    ...(input.body ? { body: jsonSchemaOf(input.body.schema, 'input'), consumes: [input.body.contentType] } : {}),
    response,
  }
}
