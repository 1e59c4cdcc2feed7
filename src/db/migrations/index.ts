/**
 * Every migration, in order. Names sort in the order they run; never rename or edit one that has
 * shipped: add a new one. Each is a plain module with `up` (and `down` where it can be undone).
 */
import type { Migration } from 'kysely/migration'
import * as m0001 from './0001-organisations.ts'
import * as m0002 from './0002-people-and-accounts.ts'
import * as m0003 from './0003-audit-and-outbox.ts'
import * as m0004staff from './0004-staff.ts'
import * as m0005 from './0005-policy-calendar-sessions.ts'
import * as m0006drafts from './0006-policy-drafts.ts'
import * as m0007sessions from './0007-session-requests.ts'
import * as m0008planner from './0008-planner-feeds-reminders.ts'
import * as m0009records from './0009-session-records.ts'
import * as m0010contracts from './0010-contracts.ts'
import * as m0011overview from './0011-overview.ts'
import * as m0012accountSecurity from './0012-account-security.ts'
import * as m0013emailChanges from './0013-email-changes.ts'
import * as m0014identityOrigin from './0014-identity-policy-version-origin.ts'
import * as m0014kinds from './0014-kinds-supervision-kinds.ts'
import * as m0014peopleFlagEnds from './0014-people-flag-ends.ts'
import * as m0014peopleScopeOverrides from './0014-people-scope-overrides.ts'
import * as m0015onbehalf from './0015-onbehalf-requests-and-recorders.ts'
import * as m0015templates2StaffFile from './0015-templates2-staff-file.ts'
import * as m0016children from './0016-children-register-and-decisions.ts'
import * as m0016disputes from './0016-disputes-dispute-meetings.ts'
import * as m0016peopleNonEmployees from './0016-people-non-employees.ts'
import * as m0016trustsPolicyAdoption from './0016-trusts-policy-adoption.ts'
import * as m0016wellbeingDevelopmentPlan from './0016-wellbeing-development-plan.ts'
import * as m0016wellbeingFurtherSupport from './0016-wellbeing-further-support.ts'
import * as m0017escalation from './0017-escalation-case-escalations.ts'
import * as m0018rollup from './0018-rollup-trust-rollup.ts'
import * as m0019packEvidencePacks from './0019-pack-evidence-packs.ts'
import * as m0020api from './0020-api-tokens.ts'
import * as m0021sharing from './0021-sharing-record-shares.ts'
import * as m0022retention from './0022-retention-holds-and-removals.ts'
import * as m0023feedback from './0023-feedback-supervision-feedback.ts'
import * as m0024trainingSupervisors from './0024-training-supervisors.ts'
import * as m0025lead from './0025-lead-trust-policy-changes.ts'
import * as m0026trust from './0026-trust-policy-drafts.ts'
import * as m0027peopleRecorderHistory from './0027-people-recorder-history.ts'
import * as m0028retention from './0028-retention-every-kind.ts'
import * as m0029perf from './0029-perf-governors-report-kept.ts'
import * as m0031wellbeingFeedbackReminders from './0031-wellbeing-feedback-reminders.ts'
import * as m0031wellbeingTeamEnds from './0031-wellbeing-team-ends.ts'
import * as m0032importMappings from './0032-import-remembered-mappings.ts'
import * as m0033oidc from './0033-oidc-provider-links.ts'
import * as m0034emailCalmerEmail from './0034-email-calmer-email.ts'
import * as m0036trust2Training from './0036-trust2-training-of-trust-people.ts'
import * as m0037joinTrust from './0037-join-trust-invitations.ts'
import * as m0038bundle from './0038-bundle-school-bundles.ts'
import * as m0038overview from './0038-overview-kept-reads-notify.ts'

export const migrations: Record<string, Migration> = {
  '0001-organisations': m0001,
  '0002-people-and-accounts': m0002,
  '0003-audit-and-outbox': m0003,
  '0004-staff': m0004staff,
  '0005-policy-calendar-sessions': m0005,
  '0006-policy-drafts': m0006drafts,
  '0007-session-requests': m0007sessions,
  '0008-planner-feeds-reminders': m0008planner,
  '0009-session-records': m0009records,
  '0010-contracts': m0010contracts,
  '0011-overview': m0011overview,
  '0012-account-security': m0012accountSecurity,
  '0013-email-changes': m0013emailChanges,
  '0014-identity-policy-version-origin': m0014identityOrigin,
  '0014-kinds-supervision-kinds': m0014kinds,
  '0014-people-flag-ends': m0014peopleFlagEnds,
  '0014-people-scope-overrides': m0014peopleScopeOverrides,
  '0015-onbehalf-requests-and-recorders': m0015onbehalf,
  '0015-templates2-staff-file': m0015templates2StaffFile,
  '0016-trusts-policy-adoption': m0016trustsPolicyAdoption,
  '0016-people-non-employees': m0016peopleNonEmployees,
  '0016-disputes-dispute-meetings': m0016disputes,
  '0016-wellbeing-development-plan': m0016wellbeingDevelopmentPlan,
  '0016-wellbeing-further-support': m0016wellbeingFurtherSupport,
  '0016-children-register-and-decisions': m0016children,
  '0017-escalation-case-escalations': m0017escalation,
  '0018-rollup-trust-rollup': m0018rollup,
  '0019-pack-evidence-packs': m0019packEvidencePacks,
  '0020-api-tokens': m0020api,
  '0021-sharing-record-shares': m0021sharing,
  '0022-retention-holds-and-removals': m0022retention,
  '0023-feedback-supervision-feedback': m0023feedback,
  '0024-training-supervisors': m0024trainingSupervisors,
  '0025-lead-trust-policy-changes': m0025lead,
  '0028-retention-every-kind': m0028retention,
  '0031-wellbeing-feedback-reminders': m0031wellbeingFeedbackReminders,
  '0031-wellbeing-team-ends': m0031wellbeingTeamEnds,
  '0026-trust-policy-drafts': m0026trust,
  '0027-people-recorder-history': m0027peopleRecorderHistory,
  '0033-oidc-provider-links': m0033oidc,
  '0032-import-remembered-mappings': m0032importMappings,
  '0029-perf-governors-report-kept': m0029perf,
  '0034-email-calmer-email': m0034emailCalmerEmail,
  '0036-trust2-training-of-trust-people': m0036trust2Training,
  '0037-join-trust-invitations': m0037joinTrust,
  '0038-bundle-school-bundles': m0038bundle,
  '0038-overview-kept-reads-notify': m0038overview,
}
