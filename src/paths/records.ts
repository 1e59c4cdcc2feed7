/** The addresses of the records pages (see define.ts). */
import { path } from './define.ts'

export const records = {
  index: path('/records'),
  transfers: path('/records/transfers'),
  staffFile: path('/records/staff-file'),
  /** the school's access trail (the DSL), and who opened the records of your own sessions. */
  accessTrail: path('/records/access-trail'),
  whoOpened: path('/records/who-opened'),
  staffFiled: path('/records/:recordId/staff-file/filed'),
  /** CA-09, AM-05: records shared with the person signed in, and one shared record as they see it. */
  sharedWithMe: path('/records/shared'),
  sharedRecord: path('/records/shared/:shareId'),
  show: path('/records/:recordId'),
  complete: path('/records/:recordId/complete'),
  reopen: path('/records/:recordId/reopen'),
  sign: path('/records/:recordId/sign'),
  comment: path('/records/:recordId/comment'),
  disagree: path('/records/:recordId/disagree'),
  addendum: path('/records/:recordId/addendum'),
  disputeMeeting: path('/records/:recordId/dispute-meeting'),
  disputeOutcome: path('/records/:recordId/dispute-meetings/:meetingId/outcome'),
  pdf: path('/records/:recordId/record.pdf'),
  /** CA-09: the supervisor shares a signed record with a named person; a share is withdrawn. */
  share: path('/records/:recordId/share'),
  withdrawShare: path('/records/:recordId/shares/:shareId/withdraw'),
  session: path('/records/sessions/:sessionId'),
  start: path('/records/sessions/:sessionId/start'),
  preparation: path('/records/sessions/:sessionId/preparation'),
  proforma: path('/records/sessions/:sessionId/preparation/cases/:caseId/proforma'),
  preparedCase: path('/records/sessions/:sessionId/preparation/:personId/cases/:caseId'),
}
