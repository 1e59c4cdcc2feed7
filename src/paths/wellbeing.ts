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
}
