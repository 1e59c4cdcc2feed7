/**
 * The integration API (issue 15 item 3, ADR 0035): JSON under /api/v1 for a school's own systems,
 * described by the OpenAPI document at /api/v1/openapi.json (@fastify/swagger, with schemas from
 * the same Zod definitions the handlers parse with).
 *
 * - A request is authenticated by `Authorization: Bearer <token>` only: a school's API token
 *   holding the route's scope (`config.access.apiScope`). Never a session cookie; no CSRF token.
 * - Every query is scoped by the token's school.
 * - Errors are application/problem+json, naming the field or the row.
 * - Each token may make API_RATE_LIMIT_PER_MINUTE requests a minute (and the address its own
 *   ceiling, as for every page).
 */
import swagger from '@fastify/swagger'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { DecisionRow } from '../../db/repositories/children.ts'
import { ApiScope, bearerToken, tokenHash } from '../../domain/api/tokens.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { fileProblem } from '../../forms/text-input.ts'
import { paths } from '../../paths/index.ts'
import { sendProblem } from '../../plugins/errors.ts'
import { apiScopeOf } from '../../plugins/route-access.ts'
import { authenticateApiRequest } from '../../services/api/tokens.ts'
import { acknowledgeDecision, decisionQueue, queuedDecision, toQueued } from '../../services/children/decisions.ts'
import { applyPupilImport } from '../../services/children/pupils.ts'
import { NoPolicyError, schoolCompliance } from '../../services/compliance/school-compliance.ts'
import { applyStaffImport } from '../../services/staff/import.ts'
import { badRequest, conflict, notFound, operation } from './openapi.ts'
import {
  acknowledgementSchema,
  complianceSchema,
  csvBodySchema,
  decisionListQuery,
  decisionListSchema,
  decisionParams,
  decisionSchema,
  pupilImportResultSchema,
  staffImportResultSchema,
} from './schemas.ts'

const JSON_BODY_LIMIT = 64 * 1024
const CSV_BODY_LIMIT = 10 * 1024 * 1024

type ApiDecision = z.infer<typeof decisionSchema>

export function apiDecision(d: DecisionRow): ApiDecision {
  const q = toQueued(d)
  return {
    id: q.id,
    status: q.status,
    child: {
      about: q.child.about,
      name: q.child.name,
      upn: q.child.upn,
      misId: q.child.misId,
      yearGroup: q.child.yearGroup,
    },
    decidedOn: q.decidedOn,
    category: q.category,
    decision: q.decision,
    actions: q.actions,
    agreedBy: q.agreedBy,
    source: q.sessionKind,
    signedOffBy: q.signedOffByName,
    entered:
      q.status === 'entered' && q.enteredAt
        ? {
            by: q.enteredByName ?? '',
            at: q.enteredAt.toISOString(),
            system: q.enteredIn,
            reference: q.enteredReference ?? '',
          }
        : null,
  }
}

/** Zod's issues as the problem's errors, each naming its field. */
function fieldErrors(error: z.ZodError, where: 'body' | 'query' | 'params') {
  return error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.join('.') : where,
    message: i.code === 'invalid_type' && i.input === undefined ? `Enter ${i.path.join('.') || where}` : i.message,
  }))
}

function invalid(reply: FastifyReply, error: z.ZodError, where: 'body' | 'query' | 'params') {
  return sendProblem(reply, 400, { title: 'The request is not valid', errors: fieldErrors(error, where) })
}

/** The import's CSV body, or a refusal naming what is wrong with it. */
function csvBody(req: FastifyRequest, reply: FastifyReply): Buffer | null {
  const body = req.body
  if (!Buffer.isBuffer(body) || body.length === 0) {
    sendProblem(reply, 400, {
      title: 'The request is not valid',
      errors: [{ field: 'body', message: 'Send the CSV file as the request body, with Content-Type: text/csv' }],
    })
    return null
  }
  const kind = fileProblem({ data: body, contentType: 'text/csv', filename: 'import.csv', tooLarge: false })
  if (kind) {
    sendProblem(reply, 400, {
      title: 'The request is not valid',
      errors: [{ field: 'body', message: 'The file must not contain null characters or unreadable text' }],
    })
    return null
  }
  return body
}

const apiRoutes: FastifyPluginAsync = async (app) => {
  // Only this part of Haven reads JSON and CSV bodies (the pages take forms: plugins/input-guard.ts).
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string))
      } catch {
        done(Object.assign(new Error('The body is not JSON'), { statusCode: 400 }), undefined)
      }
    },
  )
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  )
  // The handlers parse with Zod and answer in problem+json; the route schemas are for the document.
  app.setValidatorCompiler(() => () => true)
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haven integration API',
        version: '1.0.0',
        description:
          'For a school’s own systems: read compliance, pull decisions about children waiting for their records and mark them entered, import staff and pupils from the MIS. Authenticate with a school’s API token as `Authorization: Bearer <token>`; each operation names the scope it needs.',
      },
      servers: [{ url: app.config.baseUrl.replace(/\/$/, '') }],
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'A school’s API token (haven_…)' },
        },
      },
    },
    hideUntagged: true,
  })

  // Per token, one count across every endpoint (an address without a token: per address).
  const limiter = app.createRateLimit({
    max: app.config.apiRateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req: FastifyRequest) => {
      const token = bearerToken(req.headers.authorization)
      return token ? `api-token:${tokenHash(token)}` : `api-address:${req.ip}`
    },
  })
  app.addHook('onRequest', async (req, reply) => {
    if (apiScopeOf(req) === null) return
    const limit = await limiter(req)
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('retry-after', Math.ceil(limit.ttl / 1000))
      return sendProblem(reply, 429, { title: 'Too many requests', detail: 'Wait a minute, then try again' })
    }
  })
  // After the address's own ceiling (a route hook) and before the body is read by a handler.
  app.addHook('preValidation', async (req, reply) => {
    const scope = apiScopeOf(req)
    if (scope === null) return
    const result = await authenticateApiRequest(app.db, {
      authorization: req.headers.authorization,
      scope: scope as ApiScope,
      route: req.routeOptions.url ?? '',
      method: req.method,
      // The app's clock (ADR 0017): a token's last day is a date on it, like every other date.
      now: app.clock(),
      ip: req.ip,
    })
    if (!result.ok)
      return sendProblem(reply, result.status, {
        title: result.status === 401 ? 'An API token is needed' : 'The API token may not do this',
        detail: result.reason,
      })
    req.apiClient = result.client
  })

  app.get(paths.api.openapi.pattern, { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  )

  app.get(
    paths.api.compliance.pattern,
    {
      config: { access: { apiScope: ApiScope.ComplianceRead } },
      schema: operation({
        operationId: 'getCompliance',
        summary: 'Who is up to date with supervision today',
        scope: ApiScope.ComplianceRead,
        responses: {
          200: { description: 'Each person of the school and their supervision status', schema: complianceSchema },
          409: conflict('The school has no supervision policy yet'),
        },
      }),
    },
    async (req, reply) => {
      const client = req.apiClient!
      const today = londonDateOf(app.clock())
      try {
        const people = await schoolCompliance(app.db, client.schoolId, today)
        const body: z.infer<typeof complianceSchema> = {
          date: today,
          people: people.map((p) => ({
            personId: p.personId,
            name: p.name,
            required: p.required,
            status: p.status,
            lastSession: p.lastSession,
            nextDue: p.nextDue,
          })),
        }
        return reply.send(body)
      } catch (error) {
        if (error instanceof NoPolicyError)
          return sendProblem(reply, 409, { title: 'The school has no supervision policy yet' })
        throw error
      }
    },
  )

  app.get(
    paths.api.decisions.pattern,
    {
      config: { access: { apiScope: ApiScope.DecisionsRead } },
      schema: operation({
        operationId: 'listDecisions',
        summary: 'Decisions about children, by status (by default those ready to enter in the child’s record)',
        scope: ApiScope.DecisionsRead,
        querystring: decisionListQuery,
        responses: {
          200: { description: 'The decisions, oldest first', schema: decisionListSchema },
          400: badRequest(),
        },
      }),
    },
    async (req, reply) => {
      const query = decisionListQuery.safeParse(req.query ?? {})
      if (!query.success) return invalid(reply, query.error, 'query')
      const rows = await decisionQueue(app.db, req.apiClient!.schoolId)
      const body: z.infer<typeof decisionListSchema> = {
        decisions: rows.filter((d) => d.status === query.data.status).map(apiDecision),
      }
      return reply.send(body)
    },
  )

  app.get(
    paths.api.decision.pattern,
    {
      config: { access: { apiScope: ApiScope.DecisionsRead } },
      schema: operation({
        operationId: 'getDecision',
        summary: 'One decision about a child',
        scope: ApiScope.DecisionsRead,
        params: decisionParams,
        responses: {
          200: { description: 'The decision', schema: decisionSchema },
          404: notFound(),
        },
      }),
    },
    async (req, reply) => {
      const params = decisionParams.safeParse(req.params)
      if (!params.success) return sendProblem(reply, 404, { title: 'Not found' })
      const d = await queuedDecision(app.db, req.apiClient!.schoolId, params.data.decisionId)
      if (!d) return sendProblem(reply, 404, { title: 'Not found' })
      return reply.send(apiDecision(d))
    },
  )

  app.post(
    paths.api.decisionEntered.pattern,
    {
      config: { access: { apiScope: ApiScope.DecisionsAcknowledge } },
      schema: operation({
        operationId: 'acknowledgeDecision',
        summary: 'Mark a decision as entered in the child’s record, with its reference there',
        description: 'The decision then shows as entered by the school’s integration, with the reference.',
        scope: ApiScope.DecisionsAcknowledge,
        params: decisionParams,
        body: { schema: acknowledgementSchema, contentType: 'application/json' },
        responses: {
          200: { description: 'The decision, now entered', schema: decisionSchema },
          400: badRequest(),
          404: notFound(),
          409: conflict('The decision is not ready to enter (not signed off yet, or entered already)'),
        },
      }),
    },
    async (req, reply) => {
      const params = decisionParams.safeParse(req.params)
      if (!params.success) return sendProblem(reply, 404, { title: 'Not found' })
      const body = acknowledgementSchema.safeParse(req.body ?? {})
      if (!body.success) return invalid(reply, body.error, 'body')
      const client = req.apiClient!
      const result = await acknowledgeDecision(app.db, {
        schoolId: client.schoolId,
        organisationId: client.organisationId,
        tokenId: client.tokenId,
        integrationName: client.name,
        id: params.data.decisionId,
        reference: body.data.reference,
        system: body.data.system ?? '',
        now: app.clock(),
        ip: req.ip,
      })
      if (result.ok && result.decision) return reply.send(apiDecision(result.decision))
      if (!result.ok && result.reason === 'missing') return sendProblem(reply, 404, { title: 'Not found' })
      return sendProblem(reply, 409, {
        title: 'The decision cannot be marked entered',
        detail: (!result.ok && result.message) || 'It changed while this was sent: read it again',
      })
    },
  )

  const importErrors = (errors: readonly { row: number | null; column: string | null; message: string }[]) =>
    errors.map((e) => ({ row: e.row, column: e.column, message: e.message }))

  app.post(
    paths.api.staffImport.pattern,
    {
      config: { access: { apiScope: ApiScope.ImportStaff } },
      schema: operation({
        operationId: 'importStaff',
        summary: 'Import staff from the MIS: all or nothing',
        description:
          'The same columns and aliases as the staff import page. Nothing is imported when any row is wrong: each error names its row and column. Roles that open every record wait for the DSL’s approval; the administrator role and the additional support flag cannot be set here.',
        scope: ApiScope.ImportStaff,
        body: { schema: csvBodySchema, contentType: 'text/csv' },
        responses: {
          200: {
            description: 'Imported: how many people were added, changed, the same, and not in the file',
            schema: staffImportResultSchema,
          },
          400: badRequest('Nothing was imported: the errors name each row and column'),
        },
      }),
    },
    async (req, reply) => {
      const buffer = csvBody(req, reply)
      if (!buffer) return reply
      const client = req.apiClient!
      const result = await applyStaffImport(app.db, {
        organisationId: client.organisationId,
        schoolId: client.schoolId,
        // No person: the guard refuses the administrator role; changes are recorded as by nobody.
        actor: { personId: client.tokenId, roles: [] },
        recordedAs: null,
        canSetAdditionalSupport: false,
        buffer,
        expectedDigest: null,
        source: 'api',
        today: londonDateOf(app.clock()),
        now: app.clock(),
      })
      if (result.outcome !== 'imported')
        return sendProblem(reply, 400, {
          title: 'Nothing was imported',
          errors: result.outcome === 'errors' ? importErrors(result.errors) : [],
        })
      const { created, updated, unchanged, notInFile } = result.counts
      return reply.send({ created, updated, unchanged, notInFile } satisfies z.infer<typeof staffImportResultSchema>)
    },
  )

  app.post(
    paths.api.pupilImport.pattern,
    {
      config: { access: { apiScope: ApiScope.ImportPupils } },
      schema: operation({
        operationId: 'importPupils',
        summary: 'Import the pupil register from the MIS: all or nothing',
        description:
          'The same columns and aliases as the pupil register import page (UPN or MIS id, name, date of birth, year group). Pupils are matched by UPN, else MIS id; nobody is removed. Nothing is imported when any row is wrong: each error names its row and column.',
        scope: ApiScope.ImportPupils,
        body: { schema: csvBodySchema, contentType: 'text/csv' },
        responses: {
          200: { description: 'Imported: how many pupils were added and changed', schema: pupilImportResultSchema },
          400: badRequest('Nothing was imported: the errors name each row and column'),
        },
      }),
    },
    async (req, reply) => {
      const buffer = csvBody(req, reply)
      if (!buffer) return reply
      const client = req.apiClient!
      const result = await applyPupilImport(app.db, {
        organisationId: client.organisationId,
        schoolId: client.schoolId,
        actorId: null,
        buffer,
        expectedDigest: null,
        now: app.clock(),
        source: 'api',
      })
      if (result.outcome !== 'imported')
        return sendProblem(reply, 400, {
          title: 'Nothing was imported',
          errors: result.outcome === 'errors' ? importErrors(result.errors) : [],
        })
      return reply.send({ created: result.created, updated: result.updated } satisfies z.infer<
        typeof pupilImportResultSchema
      >)
    },
  )
}

export default apiRoutes
