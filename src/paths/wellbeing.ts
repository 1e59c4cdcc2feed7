/** The addresses of the further support pages (LH-04, issue 17; see define.ts). */
import { path } from './define.ts'

export const wellbeing = {
  /** The school's content-blind figures (`?school=<slug>` for someone choosing among the trust's schools). */
  figures: path('/further-support'),
  /** One person's stress risk assessments and referrals to Occupational Health. */
  person: path('/further-support/:personId'),
  newAssessment: path('/further-support/:personId/assessments/new'),
  assessment: path('/further-support/:personId/assessments/:assessmentId'),
  closeAssessment: path('/further-support/:personId/assessments/:assessmentId/close'),
  newReferral: path('/further-support/:personId/referrals/new'),
  referral: path('/further-support/:personId/referrals/:referralId'),
  /** One person's development plan (PL-07), and changing one item's status and due date. */
  developmentPlan: path('/development-plan/:personId'),
  developmentPlanItem: path('/development-plan/:personId/items/:itemId'),
  /** The school's development plans as CSV, for its CPD lead (`?school=<slug>`). */
  developmentPlansCsv: path('/development-plans.csv'),
  /** PL-06: one supervisee's questionnaire about their supervision. */
  feedback: path('/supervision-feedback/:requestId'),
  /** PL-06: the annual evaluation of supervision quality (`?school=<slug>&year=2026-27`), and as CSV. */
  feedbackReport: path('/supervision-feedback'),
  feedbackReportCsv: path('/supervision-feedback.csv'),
}
