/** The addresses of the staff pages (see define.ts). */
import { path } from './define.ts'

export const staff = {
  /** The staff list (`?school=`, `q`, `role`, `flag`, `page`). */
  index: path('/staff'),
  add: path('/staff/new'),
  exportCsv: path('/staff/export.csv'),
  inviteAll: path('/staff/invite-all'),
  roles: path('/staff/roles'),
  /** Roles and email addresses waiting for a DSL's approval. */
  roleGrants: path('/staff/role-grants'),
  approveChange: path('/staff/role-grants/:id/approve'),
  refuseChange: path('/staff/role-grants/:id/refuse'),
  import: path('/staff/import'),
  importTemplate: path('/staff/import/template.csv'),
  importPreview: path('/staff/import/:id'),
  /** The preview's mapping step: unrecognised columns, job titles to roles, ambiguous line managers (issue 18). */
  importChoices: path('/staff/import/:id/choices'),
  /** People who are not employees: governors, committee chairs, volunteers, external supervisors (issue 14). */
  others: path('/staff/others'),
  addOther: path('/staff/others/new'),
  /** Issue 14: the trust's own people who are not staff (no academy of their own), for its central team. */
  trustOthers: path('/trust/people'),
  addTrustOther: path('/trust/people/new'),
  person: path('/staff/:id'),
  /** Changing someone who is not an employee (issue 14). */
  editOther: path('/staff/:id/about'),
  edit: path('/staff/:id/edit'),
  change: path('/staff/:id/change/:kind'),
  /** Who completes the records of their current supervisor's or line manager's sessions (issue 14). */
  recorder: path('/staff/:id/change/:kind/recorder'),
  /** Who supervises them in each kind of supervision (issue 14). */
  supervisionKinds: path('/staff/:id/supervision-kinds'),
  handover: path('/staff/:id/handover'),
  /** Recording a course of supervisor training (LH-08, PL-05). */
  training: path('/staff/:id/training/new'),
  end: path('/staff/:id/end'),
  invite: path('/staff/:id/invite'),
  /** Whether they must receive supervision, and the manual override with a reason. */
  scope: path('/staff/:id/scope'),
  /** Ends their override in force (its id in the form). */
  endScope: path('/staff/:id/scope/end'),
  /** A new email address confirmed (or refused) from the link sent to the old one. */
  emailChange: path('/email-change/:token'),
}
