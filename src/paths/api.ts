/**
 * The addresses of the integration API (issue 15 item 3, ADR 0035) and of the page where a school
 * makes its API tokens. The API's addresses are also in its OpenAPI document.
 */
import { path } from './define.ts'

export const api = {
  openapi: path('/api/v1/openapi.json'),
  compliance: path('/api/v1/compliance'),
  decisions: path('/api/v1/decisions'),
  decision: path('/api/v1/decisions/:decisionId'),
  decisionEntered: path('/api/v1/decisions/:decisionId/entered'),
  staffImport: path('/api/v1/staff/import'),
  pupilImport: path('/api/v1/pupils/import'),
  tokens: path('/api-tokens'),
  tokenRevoke: path('/api-tokens/:tokenId/revoke'),
}
