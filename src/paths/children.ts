/** The addresses of the children pages (issue 15): the pupil register and the decision queue. */
import { path } from './define.ts'

export const children = {
  pupils: path('/children'),
  pupilImport: path('/children/import'),
  pupilImportPreview: path('/children/import/:id'),
  pupilDecisionsPdf: path('/children/:pupilId/decisions.pdf'),
  decisions: path('/children/decisions'),
  decision: path('/children/decisions/:decisionId'),
  decisionSignOff: path('/children/decisions/:decisionId/sign-off'),
  decisionEntered: path('/children/decisions/:decisionId/entered'),
  webhook: path('/children/webhook'),
  deliveries: path('/children/webhook/deliveries'),
}
