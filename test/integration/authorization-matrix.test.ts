/**
 * The authorisation matrix (issue 12, "keep it closed", CA-09): every registered route,
 * tried as every role, about objects in the viewer's own school, in another school of the trust,
 * and another supervisee's. The expected outcome of each is written below, keyed by
 * "METHOD url": a route added without an expectation fails this test, and so does an expectation
 * whose route has gone. Beyond the status, no response may carry the content (a unique marker)
 * of a record, contract or request the viewer may not see.
 *
 * How the roles are modelled is described in test/builders/trust.ts (the governor, the trust lead,
 * the external supervisor and the leaver have no role of their own in Haven).
 *
 * Outcomes: `ok` (GET: 2xx, or a redirect elsewhere than signing in; POST: neither 401 nor 403,
 * and no 5xx: only refusals are checked in full for changes, with a valid CSRF token so it is the
 * authorisation that refuses), `denied` (403), `hidden` (404: an object out of reach, or unknown,
 * is not found), `signin` (GET: a redirect to sign in; POST: 401), `token` (the integration API: 401
 * asking for a bearer token, whoever asks with a session cookie; ADR 0035).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { concreteUrl, everywhere, objectKindOf, type Where } from '../builders/route-urls.ts'
import { buildTrustFixture, type TrustFixture, type ViewerRole, viewerRoles } from '../builders/trust.ts'
import type { Client } from '../helpers/browser-like.ts'
import { onOneEngine } from '../helpers/engines.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

type Outcome = 'ok' | 'denied' | 'hidden' | 'signin' | 'token'
type Viewer = Exclude<ViewerRole, 'leaver'> | 'signedOut'
type Rule = Record<Viewer, Outcome>
type Expectation = Rule | Record<Where, Rule>

const signedInViewers = viewerRoles.filter((r): r is Exclude<ViewerRole, 'leaver'> => r !== 'leaver')

// Who holds which permission (src/domain/access/permissions.ts), by the fixture's roles.
const everyoneSignedIn = signedInViewers
const ADMIN: Viewer[] = ['administrator']
const COMPLIANCE: Viewer[] = ['dsl', 'deputyDsl', 'headteacher', 'associateHead', 'trustLead']
const READERS: Viewer[] = ['dsl', 'deputyDsl', 'headteacher', 'associateHead', 'trustLead', 'administrator']
const MANAGERS: Viewer[] = ['dsl', 'trustLead', 'administrator']
const BOOKERS: Viewer[] = ['dsl', 'deputyDsl', 'trustLead', 'administrator']
/** The trust's central people and its administrators reach every school. */
const TRUST_WIDE: Viewer[] = ['trustLead', 'administrator']

/** Everyone (signed out too) gets `outcome`. */
function all(outcome: Outcome): Rule {
  return Object.fromEntries([...signedInViewers, 'signedOut'].map((v) => [v, outcome])) as Rule
}
/** The listed viewers get `yes`, other signed-in viewers `no`; signed out: sign in. */
function only(roles: readonly Viewer[], no: Outcome = 'denied', yes: Outcome = 'ok'): Rule {
  const rule = all(no)
  for (const r of roles) rule[r] = yes
  rule.signedOut = 'signin'
  return rule
}
/** `only(roles)` with some viewers given another outcome. */
function but(rule: Rule, changes: Partial<Rule>): Rule {
  return { ...rule, ...changes }
}
const PUBLIC = all('ok')
/** Any signed-in person, governors included: their own account (issue 16). */
const ACCOUNT = only(everyoneSignedIn)
/**
 * Any signed-in person but a governor (issue 16: governors see their report and nothing else).
 * Every route declared 'signed-in' refuses a governor before anything else: the matrix expects
 * 'denied' for the governor on each of them, whatever is written below (see governorRefused).
 */
const SIGNED_IN = but(only(everyoneSignedIn), { governor: 'denied' })
/** The governors' report (issue 16): governors, and those who see the school's compliance. */
const GOVERNORS_REPORT: Viewer[] = ['dsl', 'deputyDsl', 'headteacher', 'associateHead', 'governor', 'trustLead']
const same = (rule: Rule): Record<Where, Rule> => ({ own: rule, otherSchool: rule, otherSupervisee: rule })
/**
 * A page about a school's object, for people holding a permission: found in their own school,
 * not found in another school unless they reach every school.
 */
function inReach(roles: readonly Viewer[]): Record<Where, Rule> {
  const hiddenElsewhere = Object.fromEntries(
    roles.filter((r) => !TRUST_WIDE.includes(r)).map((r) => [r, 'hidden' as const]),
  )
  return { own: only(roles), otherSupervisee: only(roles), otherSchool: but(only(roles), hiddenElsewhere) }
}
/** An object opened by the parties to it and by who manages it: everyone else is told it is not there. */
function parties(own: Viewer[], otherSupervisee: Viewer[], otherSchool: Viewer[]): Record<Where, Rule> {
  return {
    own: only(own, 'hidden'),
    otherSupervisee: only(otherSupervisee, 'hidden'),
    otherSchool: only(otherSchool, 'hidden'),
  }
}
/** A supervision record (X-06, CA-09): its parties and the school's DSL; anyone else is refused. */
function record(own: Viewer[], otherSupervisee: Viewer[], otherSchool: Viewer[] = []): Record<Where, Rule> {
  return { own: only(own), otherSupervisee: only(otherSupervisee), otherSchool: only(otherSchool) }
}
/**
 * Pages about the school one is in, without a choice of school (templates; ADR 0010): the trust's
 * central people see the trust's first school (Larchfield), everyone else their own (Oakfield).
 */
function ownSchoolOnly(roles: readonly Viewer[], missing: Outcome = 'ok'): Record<Where, Rule> {
  const oak = but(only(roles, 'denied', missing), roles.includes('trustLead') ? { trustLead: 'hidden' } : {})
  const larch = but(only(roles, 'denied', 'hidden'), roles.includes('trustLead') ? { trustLead: missing } : {})
  return { own: oak, otherSupervisee: oak, otherSchool: larch }
}

const SESSION_PARTIES = parties(
  ['dsl', 'deputyDsl', 'supervisor', 'supervisee', 'trustLead', 'administrator'],
  ['dsl', 'deputyDsl', 'trustLead', 'administrator'],
  TRUST_WIDE,
)
/** Marking held or not attended, setting a return date: the school's bookers and the supervisor. */
const SESSION_CHANGE: Record<Where, Rule> = {
  own: but(only(['dsl', 'deputyDsl', 'supervisor', 'trustLead', 'administrator'], 'hidden'), { supervisee: 'denied' }),
  otherSupervisee: only(['dsl', 'deputyDsl', 'trustLead', 'administrator'], 'hidden'),
  otherSchool: only(TRUST_WIDE, 'hidden'),
}
/** Cancelling or postponing: the same, and the supervisee too. */
const SESSION_CANCEL: Record<Where, Rule> = { ...SESSION_CHANGE, own: but(SESSION_CHANGE.own, { supervisee: 'ok' }) }
const overview = (path: string) => ({ [`GET ${path}`]: only(COMPLIANCE), [`GET ${path}.csv`]: only(COMPLIANCE) })

/** What every route must answer. HEAD routes answer as their GET. */
const expectations: Record<string, Expectation> = {
  'GET /public/*': all('hidden'),
  'GET /assets/*': all('hidden'),
  'GET /healthz': PUBLIC,
  'GET /setup': all('hidden'),
  'POST /setup': all('hidden'),
  'GET /sign-in': PUBLIC,
  'POST /sign-in': PUBLIC,
  'GET /sign-in/two-step': ACCOUNT,
  'POST /sign-in/two-step': ACCOUNT,
  // Signing in with Microsoft or Google (ADR 0048): the fixture has no provider, so the start is not
  // found, and a callback with no sign-in started names nothing (test/integration/oidc.test.ts has the rest).
  'GET /sign-in/provider': all('hidden'),
  'GET /sign-in/provider/callback': all('hidden'),
  'POST /sign-out': PUBLIC,
  'GET /signed-out': PUBLIC,
  'GET /password-reset': PUBLIC,
  'POST /password-reset': PUBLIC,
  'GET /invitation/:token': all('hidden'),
  'POST /invitation/:token': all('hidden'),
  'GET /password-reset/:token': all('hidden'),
  'POST /password-reset/:token': all('hidden'),
  // The link sent to a person's old address to confirm a new one: an unknown token names nothing.
  'GET /email-change/:token': all('hidden'),
  'POST /email-change/:token': all('hidden'),
  'GET /account': ACCOUNT,
  'POST /account/sessions/sign-out-everywhere': ACCOUNT,
  // Someone else's session reference: accepted, and ends only a session of one's own (checked below).
  'POST /account/sessions/:ref/sign-out': ACCOUNT,
  'GET /account/two-step/set-up': ACCOUNT,
  'POST /account/two-step/set-up': ACCOUNT,
  'POST /account/two-step/recovery-codes': ACCOUNT,
  'POST /account/two-step/start': ACCOUNT,
  'POST /account/two-step/new-authenticator': ACCOUNT,
  // Issue 18: each email as it happens, or one a day.
  'POST /account/email': ACCOUNT,
  'GET /account/calendar-feed': SIGNED_IN,
  'POST /account/calendar-feed': SIGNED_IN,
  'POST /account/calendar-feed/turn-off': SIGNED_IN,
  'GET /feeds/:file': all('hidden'),
  'GET /admin': only(ADMIN),
  'GET /admin/security': only(ADMIN),
  'POST /admin/security': only(ADMIN),
  'GET /admin/sign-in-provider': only(ADMIN),
  'POST /admin/sign-in-provider': only(ADMIN),
  'GET /admin/schools': only(ADMIN),
  'POST /admin/schools': only(ADMIN),
  'GET /admin/outbox': only(ADMIN),
  'GET /admin/outbox/:id': only(ADMIN),
  'GET /': PUBLIC,
  'GET /accessibility': PUBLIC,
  'GET /privacy': PUBLIC,
  'GET /actions': SIGNED_IN,
  'GET /overview': only(COMPLIANCE),
  'GET /governors/report': only(GOVERNORS_REPORT),
  'GET /governors/report.pdf': only(GOVERNORS_REPORT),
  'GET /governors/report.csv': only(GOVERNORS_REPORT),
  // The DSL and the headteacher send it to the governors (and the trust's central DSL).
  'POST /governors/report/send': only(['dsl', 'headteacher', 'trustLead']),
  // The inspection evidence pack (issue 16): the DSL and the headteacher (and the trust's central
  // DSL); record content in it for the DSL alone.
  'GET /evidence-pack': only(['dsl', 'headteacher', 'trustLead']),
  'POST /evidence-pack': only(['dsl', 'headteacher', 'trustLead']),
  'POST /evidence-pack/content': only(['dsl', 'trustLead']),
  ...overview('/overview/in-scope'),
  ...overview('/overview/overdue'),
  ...overview('/overview/due-soon'),
  ...overview('/overview/never-supervised'),
  ...overview('/overview/rebookings-at-risk'),
  ...overview('/overview/rebookings-missed'),
  ...overview('/overview/records-awaiting-signature'),
  ...overview('/overview/contracts-unsigned'),
  ...overview('/overview/overdue-actions'),
  ...overview('/overview/drifting-actions'),
  ...overview('/overview/supervisors-untrained'),
  ...overview('/overview/supervisors-training-expiring'),
  ...overview('/overview/supervisors-unsupervised'),
  ...overview('/overview/balance'),
  ...overview('/overview/supervisor-load'),

  'GET /staff': only(READERS),
  'GET /staff/export.csv': only(MANAGERS),
  'POST /staff/invite-all': only(MANAGERS),
  'GET /staff/roles': only(READERS),
  // Roles that open records and new email addresses wait for a DSL (ADR 0011).
  'GET /staff/role-grants': only(['dsl', 'trustLead']),
  'POST /staff/role-grants/:id/approve': only(['dsl', 'trustLead']),
  'POST /staff/role-grants/:id/refuse': only(['dsl', 'trustLead']),
  'POST /staff/roles': only(MANAGERS),
  'GET /staff/import': only(MANAGERS),
  'POST /staff/import': only(MANAGERS),
  'GET /staff/import/template.csv': only(MANAGERS),
  // An upload is its uploader's (the administrator's): to anyone else it is not there.
  'GET /staff/import/:id': same(but(only(MANAGERS, 'denied', 'hidden'), { administrator: 'ok' })),
  'POST /staff/import/:id': same(but(only(MANAGERS, 'denied', 'hidden'), { administrator: 'ok' })),
  'POST /staff/import/:id/choices': same(but(only(MANAGERS, 'denied', 'hidden'), { administrator: 'ok' })),
  'GET /staff/new': only(MANAGERS),
  'POST /staff/new': only(MANAGERS),
  'GET /staff/others': only(MANAGERS),
  'GET /staff/others/new': only(MANAGERS),
  'POST /staff/others/new': only(MANAGERS),
  'GET /staff/:id': inReach(READERS),
  'GET /staff/:id/about': inReach(MANAGERS),
  'POST /staff/:id/about': inReach(MANAGERS),
  'GET /staff/:id/edit': inReach(MANAGERS),
  'POST /staff/:id/edit': inReach(MANAGERS),
  'GET /staff/:id/change/:kind': inReach(MANAGERS),
  'POST /staff/:id/change/:kind': inReach(MANAGERS),
  'GET /staff/:id/change/:kind/recorder': inReach(MANAGERS),
  'POST /staff/:id/change/:kind/recorder': inReach(MANAGERS),
  'GET /staff/:id/supervision-kinds': inReach(MANAGERS),
  'POST /staff/:id/supervision-kinds': inReach(MANAGERS),
  'GET /staff/:id/training/new': inReach(MANAGERS),
  'POST /staff/:id/training/new': inReach(MANAGERS),
  'GET /staff/:id/handover': inReach(MANAGERS),
  'POST /staff/:id/handover': inReach(MANAGERS),
  'GET /staff/:id/end': inReach(MANAGERS),
  'POST /staff/:id/end': inReach(MANAGERS),
  'POST /staff/:id/invite': inReach(MANAGERS),
  'GET /staff/:id/scope': inReach(MANAGERS),
  'POST /staff/:id/scope': inReach(MANAGERS),
  'POST /staff/:id/scope/end': inReach(MANAGERS),

  // LH-04 (issue 17): further support is read by the person, whoever recorded it and the DSL, and
  // started by the person's supervisor or line manager or the DSL; anyone else is told it is not there.
  'GET /further-support': only(COMPLIANCE),
  'GET /further-support/:personId': parties(
    ['dsl', 'supervisor', 'supervisee', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  'GET /further-support/:personId/assessments/new': parties(
    ['dsl', 'supervisor', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  'POST /further-support/:personId/assessments/new': parties(
    ['dsl', 'supervisor', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  'GET /further-support/:personId/referrals/new': parties(
    ['dsl', 'supervisor', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  'POST /further-support/:personId/referrals/new': parties(
    ['dsl', 'supervisor', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  // An assessment or referral nobody can see (an unknown id) is not there for anyone.
  'GET /further-support/:personId/assessments/:assessmentId': parties([], [], []),
  'POST /further-support/:personId/assessments/:assessmentId/close': parties([], [], []),
  'GET /further-support/:personId/referrals/:referralId': parties([], [], []),
  'POST /further-support/:personId/referrals/:referralId': parties([], [], []),
  // PL-07: a development plan is read by the person, their line manager and supervisor, and the DSL;
  // the school's plans are exported by the DSL.
  'GET /development-plan/:personId': parties(
    ['dsl', 'supervisor', 'supervisee', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  // An unknown item: refused as "not there" for everyone who may not read the plan.
  'POST /development-plan/:personId/items/:itemId': parties(
    ['dsl', 'supervisor', 'supervisee', 'trustLead'],
    ['dsl', 'trustLead'],
    ['trustLead'],
  ),
  'GET /development-plans.csv': only(['dsl', 'trustLead']),
  // PL-06: a questionnaire is answered by the supervisee it asks and seen by nobody else (an
  // unknown one is not there for anyone: test/integration/supervision-feedback.test.ts tries a
  // real one as someone else); the figures are for those who see the school's compliance.
  'GET /supervision-feedback/:requestId': parties([], [], []),
  'POST /supervision-feedback/:requestId': parties([], [], []),
  'GET /supervision-feedback': only(COMPLIANCE),
  'GET /supervision-feedback.csv': only(COMPLIANCE),

  'GET /sessions': SIGNED_IN,
  // Those who may not book are sent to ask for a session instead.
  'GET /sessions/new': SIGNED_IN,
  'POST /sessions/new': SIGNED_IN,
  'GET /sessions/unplanned': only(['dsl', 'deputyDsl', 'supervisor', 'trustLead', 'administrator']),
  'POST /sessions/unplanned': SIGNED_IN,
  'GET /sessions/week': only(BOOKERS),
  'GET /sessions/month': only(BOOKERS),
  // MW-06: those who manage sessions and the roles the policy's cancellation.visibleTo names (the DSL).
  'GET /sessions/cancellations': only(BOOKERS),
  // CA-05: the policy's standing groups, for everyone; booking from it follows booking's own rules.
  'GET /sessions/groups': SIGNED_IN,
  'GET /sessions/requests': SIGNED_IN,
  'GET /sessions/requests/new': SIGNED_IN,
  'POST /sessions/requests/new': SIGNED_IN,
  'GET /sessions/requests/:id': SESSION_PARTIES,
  // The person who asked does not decline their own request.
  'POST /sessions/requests/:id/decline': parties(
    ['dsl', 'deputyDsl', 'supervisor', 'trustLead', 'administrator'],
    ['dsl', 'deputyDsl', 'trustLead', 'administrator'],
    TRUST_WIDE,
  ),
  'GET /sessions/:id': SESSION_PARTIES,
  // A return date is set only for a session that was postponed: refused for this planned one
  // to those who may change it, not found for the rest.
  'POST /sessions/:id/return-date': unknownIn(SESSION_CHANGE, 'denied'),
  'GET /sessions/:id/cancel': SESSION_CANCEL,
  'POST /sessions/:id/cancel': SESSION_CANCEL,
  'GET /sessions/:id/did-not-attend': SESSION_CHANGE,
  'POST /sessions/:id/did-not-attend': SESSION_CHANGE,
  'GET /sessions/:id/postpone': SESSION_CANCEL,
  'POST /sessions/:id/postpone': SESSION_CANCEL,
  'GET /sessions/:id/held': SESSION_CHANGE,
  'POST /sessions/:id/held': SESSION_CHANGE,

  'GET /policy': only(READERS),
  'GET /policy/versions/:file': only(READERS),
  'GET /policy/upload': only(MANAGERS),
  'POST /policy/upload': only(MANAGERS),
  'GET /policy/review': only(MANAGERS),
  'POST /policy/review': only(MANAGERS),
  'GET /policy/edit': only(MANAGERS),
  'GET /policy/edit/publish': only(MANAGERS),
  'POST /policy/edit/publish': only(MANAGERS),
  'GET /policy/edit/discard': only(MANAGERS),
  'POST /policy/edit/discard': only(MANAGERS),
  'GET /policy/edit/other': only(MANAGERS),
  'GET /policy/edit/:section': only(MANAGERS),
  'POST /policy/edit/:section': only(MANAGERS),
  // An unknown page of a section.
  'GET /policy/edit/:section/*': only(MANAGERS, 'denied', 'hidden'),
  'POST /policy/edit/:section/*': only(MANAGERS, 'denied', 'hidden'),
  // The trust's own policy and each academy's changes (issue 14, ADR 0024): its central team and
  // its administrators; a school's own DSL manages the school's policy, not the trust's.
  // The trust rollup (issue 16): the trust's central safeguarding team only, not its administrators.
  'GET /trust/rollup': only(['trustLead']),
  'GET /trust/rollup/threshold': only(['trustLead']),
  'POST /trust/rollup/threshold': only(['trustLead']),
  // Issue 14: the trust's own people who are not staff, for its central team.
  'GET /trust/people': only(TRUST_WIDE),
  'GET /trust/people/new': only(TRUST_WIDE),
  'POST /trust/people/new': only(TRUST_WIDE),
  'GET /trust/policy': only(TRUST_WIDE),
  'GET /trust/policy/publish': only(TRUST_WIDE),
  'POST /trust/policy/publish': only(TRUST_WIDE),
  'GET /trust/policy/versions/:file': only(TRUST_WIDE, 'denied', 'hidden'),
  // The trust policy's editor (issue 14): the school editor's pages on the trust's draft.
  'GET /trust/policy/edit': only(TRUST_WIDE),
  'GET /trust/policy/edit/publish': only(TRUST_WIDE),
  'POST /trust/policy/edit/publish': only(TRUST_WIDE),
  'GET /trust/policy/edit/discard': only(TRUST_WIDE),
  'POST /trust/policy/edit/discard': only(TRUST_WIDE),
  'GET /trust/policy/edit/other': only(TRUST_WIDE),
  'GET /trust/policy/edit/:section': only(TRUST_WIDE),
  'POST /trust/policy/edit/:section': only(TRUST_WIDE),
  'GET /trust/policy/edit/:section/*': only(TRUST_WIDE, 'denied', 'hidden'),
  'POST /trust/policy/edit/:section/*': only(TRUST_WIDE, 'denied', 'hidden'),
  'GET /trust/policy/academies/:slug': only(TRUST_WIDE),
  'POST /trust/policy/academies/:slug/adopt': only(TRUST_WIDE),
  'POST /trust/policy/academies/:slug/frequency': only(TRUST_WIDE),
  'POST /trust/policy/academies/:slug/template': only(TRUST_WIDE),
  'POST /trust/policy/academies/:slug/requirement': only(TRUST_WIDE),
  'POST /trust/policy/academies/:slug/remove': only(TRUST_WIDE),
  'GET /admin/become-a-trust': only(ADMIN),
  'POST /admin/become-a-trust': only(ADMIN),
  'GET /admin/join-a-trust': only(ADMIN),
  'POST /admin/join-a-trust': only(ADMIN),
  'GET /trust/invite-a-school': only(ADMIN),
  'POST /trust/invite-a-school': only(ADMIN),
  'GET /admin/move-to-a-trust': only(ADMIN),
  'POST /admin/move-to-a-trust': only(ADMIN),
  'GET /admin/move-to-a-trust/school-file': only(ADMIN),
  'POST /admin/move-to-a-trust/cancel': only(ADMIN),
  'GET /trust/import-a-school': only(ADMIN),
  'POST /trust/import-a-school': only(ADMIN),
  'GET /calendar': only(READERS),
  'GET /calendar/:yearId': only(MANAGERS),
  'POST /calendar/:yearId': only(MANAGERS),
  'GET /calendar/:yearId/reset': only(MANAGERS),
  'POST /calendar/:yearId/reset': only(MANAGERS),

  // Case escalations (LH-10): content for the DSL and whoever raised it (the service decides);
  // raising on its own, moving and closing for the DSL. The fixture's :id is no escalation. The
  // trust lead belongs to no school, so has no school's escalations.
  'GET /escalations': but(only(everyoneSignedIn), { governor: 'denied', trustLead: 'hidden' }),
  'GET /escalations/new': but(only(['dsl']), { trustLead: 'hidden' }),
  'POST /escalations/new': but(only(['dsl']), { trustLead: 'hidden' }),
  'GET /escalations/:id': but(only([], 'hidden'), { governor: 'denied' }),
  'POST /escalations/:id/stage': but(only(['dsl']), { trustLead: 'hidden' }),
  'POST /escalations/:id/outcome': but(only(['dsl']), { trustLead: 'hidden' }),
  'GET /contracts': only(BOOKERS),
  'GET /contracts/mine': SIGNED_IN,
  'GET /contracts/issue': only(BOOKERS),
  'POST /contracts/issue': only(BOOKERS),
  'GET /contracts/new': only(BOOKERS),
  'POST /contracts/new': only(BOOKERS),
  'GET /contracts/:id/edit': inReach(BOOKERS),
  'POST /contracts/:id/edit': inReach(BOOKERS),
  'POST /contracts/:id/issue': inReach(BOOKERS),
  'GET /contracts/:id': SESSION_PARTIES,
  'GET /contracts/:id/contract.pdf': SESSION_PARTIES,
  // Those who manage it are sent to the contract: only its parties sign.
  'GET /contracts/:id/sign': SESSION_PARTIES,
  'POST /contracts/:id/sign': SESSION_PARTIES,

  'GET /planner': only(BOOKERS),
  'POST /planner/propose': only(BOOKERS),
  'POST /planner/confirm': only(BOOKERS),
  'POST /planner/discard': only(BOOKERS),
  'POST /planner/settings': only(BOOKERS),
  'GET /planner/settings': only(BOOKERS),
  // CA-05: standing teams, kept by those who plan; an unknown team is not there for them.
  'GET /planner/teams': only(BOOKERS),
  'GET /planner/teams/new': only(BOOKERS),
  'POST /planner/teams/new': only(BOOKERS),
  'GET /planner/teams/:teamId': only(BOOKERS, 'denied', 'hidden'),
  'POST /planner/teams/:teamId': only(BOOKERS, 'denied', 'hidden'),
  'POST /planner/teams/:teamId/end': only(BOOKERS, 'denied', 'hidden'),
  // The plan of the school chosen (by default one's own; for the trust's central people, the first).
  'GET /planner/rows/:id/date': plannerRows(),
  'POST /planner/rows/:id/date': plannerRows(),
  'POST /planner/rows/:id/remove': plannerRows(),

  // Children (issue 15): the pupil register for those who manage staff; the decision queue, the
  // webhook and a child's decisions for the DSL of the school (unknown ids are not found).
  'GET /children': only(MANAGERS),
  'GET /children/import': only(MANAGERS),
  'POST /children/import': only(MANAGERS),
  'GET /children/import/:id': only(MANAGERS, 'denied', 'hidden'),
  'POST /children/import/:id': only(MANAGERS, 'denied', 'hidden'),
  'GET /children/:pupilId/decisions.pdf': only(['dsl', 'trustLead'], 'denied', 'hidden'),
  'GET /children/decisions': only(['dsl', 'trustLead']),
  'GET /children/decisions/:decisionId': only(['dsl', 'trustLead'], 'denied', 'hidden'),
  'POST /children/decisions/:decisionId/sign-off': only(['dsl', 'trustLead'], 'denied', 'hidden'),
  'POST /children/decisions/:decisionId/entered': only(['dsl', 'trustLead'], 'denied', 'hidden'),
  'GET /children/webhook': only(['dsl', 'trustLead']),
  'POST /children/webhook': only(['dsl', 'trustLead']),
  'GET /children/webhook/deliveries': only(['dsl', 'trustLead']),

  // Retention and subject access (issue 15): the DSL's (unknown holds are not found).
  'GET /retention': only(['dsl', 'trustLead']),
  'POST /retention/confirm': only(['dsl', 'trustLead']),
  'POST /retention/holds': only(['dsl', 'trustLead']),
  'POST /retention/holds/:holdId/release': only(['dsl', 'trustLead'], 'denied', 'hidden'),
  'GET /retention/subject-access': only(['dsl', 'trustLead']),
  'POST /retention/subject-access': only(['dsl', 'trustLead']),
  // The school's API tokens (ADR 0035): who may make them (administrators and the DSL; the trust's
  // central people reach every school); an unknown token is not found.
  'GET /api-tokens': only(MANAGERS),
  'POST /api-tokens': only(MANAGERS),
  'POST /api-tokens/:tokenId/revoke': only(MANAGERS, 'denied', 'hidden'),
  // The integration API: a bearer token only, never a session cookie, whoever is signed in.
  'GET /api/v1/openapi.json': PUBLIC,
  'GET /api/v1/compliance': all('token'),
  'GET /api/v1/decisions': all('token'),
  'GET /api/v1/decisions/:decisionId': all('token'),
  'POST /api/v1/decisions/:decisionId/entered': all('token'),
  'POST /api/v1/staff/import': all('token'),
  'POST /api/v1/pupils/import': all('token'),

  'GET /records': SIGNED_IN,
  'GET /records/transfers': SIGNED_IN,
  // X-06 (issue 16): the school's access trail is the DSL's; everyone reads who opened their own records.
  'GET /records/access-trail': only(['dsl', 'trustLead']),
  'GET /records/who-opened': SIGNED_IN,
  // Records for staff files (issue 14): those who manage staff, in the schools they reach.
  'GET /records/staff-file': only(MANAGERS),
  'POST /records/:recordId/staff-file/filed': inReach(MANAGERS),
  'GET /records/:recordId': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'GET /records/:recordId/record.pdf': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  // CA-09 (issue 15): the supervisor shares a signed record (the fixture's are drafts: sent back to
  // the record; a change refused); the supervisor or the DSL withdraws a share (an unknown one: not there).
  'GET /records/:recordId/share': record(['supervisor'], []),
  'POST /records/:recordId/share': record([], []),
  'POST /records/:recordId/shares/:shareId/withdraw': unknownIn(record(['dsl', 'supervisor'], ['dsl'])),
  // What is shared with the person signed in; a share that is not theirs (here unknown) is not there.
  'GET /records/shared': SIGNED_IN,
  'GET /records/shared/:shareId': but(only(everyoneSignedIn, 'denied', 'hidden'), { governor: 'denied' }),
  'POST /records/:recordId': record(['supervisor'], []),
  'POST /records/:recordId/complete': record(['supervisor'], []),
  'POST /records/:recordId/reopen': record(['supervisor'], []),
  'GET /records/:recordId/sign': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'POST /records/:recordId/sign': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'GET /records/:recordId/comment': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  // The fixture's records are drafts: comments, disagreements and addenda come after completion,
  // so every change below is refused (the pages above send the record's parties to the record).
  'POST /records/:recordId/comment': record([], []),
  'GET /records/:recordId/disagree': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'POST /records/:recordId/disagree': record([], []),
  'GET /records/:recordId/addendum': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'POST /records/:recordId/addendum': record([], []),
  // Meetings to resolve a disagreement (MW-11): the fixture's records carry no disagreement, so the
  // pages send the record's parties back to the record and every change is refused.
  'GET /records/:recordId/dispute-meeting': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'POST /records/:recordId/dispute-meeting': record([], []),
  'GET /records/:recordId/dispute-meetings/:meetingId/outcome': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'POST /records/:recordId/dispute-meetings/:meetingId/outcome': record([], []),
  'GET /records/sessions/:sessionId': record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  'POST /records/sessions/:sessionId/start': record(['supervisor'], []),
  'GET /records/sessions/:sessionId/preparation': record(['supervisee'], []),
  'POST /records/sessions/:sessionId/preparation': record(['supervisee'], []),
  // An unknown case of the supervisee's preparation.
  'GET /records/sessions/:sessionId/preparation/cases/:caseId/proforma': unknownIn(record(['supervisee'], [])),
  'POST /records/sessions/:sessionId/preparation/cases/:caseId/proforma': unknownIn(record(['supervisee'], [])),
  'GET /records/sessions/:sessionId/preparation/:personId/cases/:caseId': unknownIn(
    record(['dsl', 'supervisor', 'supervisee'], ['dsl']),
  ),

  'GET /templates': only(READERS),
  'GET /templates/built-in/:templateId': only(READERS),
  'GET /templates/copy': only(MANAGERS),
  'POST /templates/copy': only(MANAGERS),
  'GET /templates/school/:templateId': ownSchoolOnly(READERS),
  'GET /templates/school/:templateId/sections/new': ownSchoolOnly(MANAGERS),
  'POST /templates/school/:templateId/sections/new': ownSchoolOnly(MANAGERS),
  // Unknown sections and fields of the school's template.
  'GET /templates/school/:templateId/sections/:sectionId/change': ownSchoolOnly(MANAGERS, 'hidden'),
  'POST /templates/school/:templateId/sections/:sectionId/change': ownSchoolOnly(MANAGERS, 'hidden'),
  'GET /templates/school/:templateId/sections/:sectionId/remove': ownSchoolOnly(MANAGERS, 'hidden'),
  'POST /templates/school/:templateId/sections/:sectionId/remove': ownSchoolOnly(MANAGERS, 'hidden'),
  'GET /templates/school/:templateId/sections/:sectionId/fields/new': ownSchoolOnly(MANAGERS, 'hidden'),
  'POST /templates/school/:templateId/sections/:sectionId/fields/new': ownSchoolOnly(MANAGERS, 'hidden'),
  'GET /templates/school/:templateId/fields/:fieldId/change': ownSchoolOnly(MANAGERS, 'hidden'),
  'POST /templates/school/:templateId/fields/:fieldId/change': ownSchoolOnly(MANAGERS, 'hidden'),
  'GET /templates/school/:templateId/fields/:fieldId/remove': ownSchoolOnly(MANAGERS, 'hidden'),
  'POST /templates/school/:templateId/fields/:fieldId/remove': ownSchoolOnly(MANAGERS, 'hidden'),
}

function plannerRows(): Record<Where, Rule> {
  const atOakfield = but(only(BOOKERS), { trustLead: 'hidden' })
  return {
    own: atOakfield,
    otherSupervisee: atOakfield,
    otherSchool: but(only(BOOKERS, 'denied', 'hidden'), { trustLead: 'ok' }),
  }
}

/** Allowed viewers find nothing (the object asked for does not exist); the rest are refused. */
function unknownIn(rules: Record<Where, Rule>, instead: Outcome = 'hidden'): Record<Where, Rule> {
  const swap = (rule: Rule): Rule =>
    Object.fromEntries(Object.entries(rule).map(([v, o]) => [v, o === 'ok' ? instead : o])) as Rule
  return { own: swap(rules.own), otherSupervisee: swap(rules.otherSupervisee), otherSchool: swap(rules.otherSchool) }
}

/** Who may see each marked piece of content (a record's, a contract's, a request's). */
const mayRead: Record<'records' | 'contracts' | 'requests', Record<Where, Viewer[]>> = {
  records: { own: ['dsl', 'supervisor', 'supervisee'], otherSupervisee: ['dsl'], otherSchool: [] },
  contracts: {
    own: ['dsl', 'deputyDsl', 'supervisor', 'supervisee', 'trustLead', 'administrator'],
    otherSupervisee: ['dsl', 'deputyDsl', 'trustLead', 'administrator'],
    otherSchool: TRUST_WIDE,
  },
  requests: {
    own: ['dsl', 'deputyDsl', 'supervisor', 'supervisee', 'trustLead', 'administrator'],
    otherSupervisee: ['dsl', 'deputyDsl', 'trustLead', 'administrator'],
    otherSchool: TRUST_WIDE,
  },
}

async function replan(built: TestApp, f: TrustFixture) {
  const ids = Object.values(f.plannedSessions)
  await built.database.db.deleteFrom('session_cancellation').where('session_id', 'in', ids).execute()
  await built.database.db.updateTable('supervision_session').set({ status: 'planned' }).where('id', 'in', ids).execute()
}

/** Requests that end the session they are sent with, or all of a person's sessions: sent last, each with a fresh session. */
const endsSessions = new Set(['POST /sign-out', 'POST /account/sessions/sign-out-everywhere'])

function outcomeOf(method: string, res: { statusCode: number; headers: Record<string, unknown> }): Outcome | string {
  const s = res.statusCode
  if (s >= 500) return `server error ${s}`
  if (s === 401 && String(res.headers['www-authenticate'] ?? '').startsWith('Bearer')) return 'token'
  if (s === 403) return 'denied'
  if (s === 404) return 'hidden'
  if (method === 'GET') {
    if (s >= 300 && s < 400) return String(res.headers.location).startsWith('/sign-in?') ? 'signin' : 'ok'
    return s >= 200 && s < 300 ? 'ok' : `status ${s}`
  }
  return s === 401 ? 'signin' : 'ok'
}

/**
 * Whether what came back is what was expected. A change someone may make can find nothing to
 * change (404: an earlier request of the matrix removed it, or the form named nothing): only its
 * refusals are checked in full.
 */
function matches(key: string, expected: Outcome, got: string): boolean {
  if (expected === got) return true
  return key.startsWith('POST ') && expected === 'ok' && got === 'hidden'
}

/** Routes declared 'signed-in': a governor is refused every one of them (issue 16). */
const governorRefused = new Set<string>()

function ruleFor(expectation: Expectation, where: Where, key?: string): Rule {
  const rule = 'own' in expectation ? expectation[where] : expectation
  return key !== undefined && governorRefused.has(key) ? { ...rule, governor: 'denied' } : rule
}

interface Attempt {
  key: string
  where: Where
  viewer: Viewer | 'leaver'
  url: string
  got: Outcome | string
  leaked: string[]
}

describe('the authorisation matrix: every route, every role, every kind of object (issue 12)', onOneEngine(), () => {
  let built: TestApp
  let f: TrustFixture
  const attempts: Attempt[] = []
  let leaverFeed: { statusCode: number }
  const cleanup: ((...args: never[]) => unknown)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })

  const keysOf = (routes: { method: string; url: string }[]) =>
    routes.flatMap((r) => r.method.split(',').map((m) => `${m} ${r.url}`))

  before(async () => {
    built = await buildTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    f = await buildTrustFixture(built)
    // Before the matrix, whose requests make the leaver a new feed and turn it off.
    leaverFeed = await f.signedOut.get(`/feeds/${f.leaverFeedToken}.ics`)
    const keys = keysOf(built.app.registeredRoutes()).filter((k) => !k.startsWith('HEAD '))
    for (const route of built.app.registeredRoutes())
      if (route.access === 'signed-in') for (const key of keysOf([route])) governorRefused.add(key)
    const ordered = [
      ...keys.filter((k) => k.startsWith('GET ')),
      ...keys.filter((k) => !k.startsWith('GET ') && !endsSessions.has(k)),
      ...keys.filter((k) => endsSessions.has(k)),
    ]
    const viewers: (Viewer | 'leaver')[] = [...viewerRoles, 'signedOut']
    for (const key of ordered) {
      if (!(key in expectations)) continue
      const [method, route] = key.split(' ') as [string, string]
      for (const where of objectKindOf(route) ? everywhere : (['own'] as const)) {
        const url = concreteUrl(f, route, where)
        for (const viewer of viewers) {
          const browser: Client =
            viewer === 'signedOut'
              ? f.signedOut
              : endsSessions.has(key)
                ? await f.freshBrowser(viewer)
                : f.browsers[viewer]
          const res = method === 'GET' ? await browser.get(url) : await browser.post(url, {}, { csrf: f.csrf })
          const leaked = f.markers
            .filter((m) => res.body.includes(m.marker))
            .filter((m) => viewer === 'leaver' || viewer === 'signedOut' || !mayRead[m.kind][m.of].includes(viewer))
            .map((m) => `${m.marker} (${m.kind}, ${m.of})`)
          attempts.push({ key, where, viewer, url, got: outcomeOf(method, res), leaked })
          // A session someone may change goes back to planned, so the next viewer finds it as the first did.
          if (method === 'POST' && route.startsWith('/sessions/:id/')) await replan(built, f)
        }
      }
    }
  })

  test('every registered route has an expectation, and every expectation a route', () => {
    const keys = keysOf(built.app.registeredRoutes())
    const missing = keys.filter((k) => !k.startsWith('HEAD ') && !(k in expectations))
    assert.deepEqual(missing, [], 'routes with no expected outcome: add them to the matrix')
    const headless = keys.filter((k) => k.startsWith('HEAD ') && !keys.includes(k.replace(/^HEAD /, 'GET ')))
    assert.deepEqual(headless, [], 'HEAD routes answer as their GET')
    const stale = Object.keys(expectations).filter((k) => !keys.includes(k))
    assert.deepEqual(stale, [], 'expectations for routes that no longer exist')
  })

  test('X-03, X-06, CA-09: every role gets the expected answer about every kind of object', () => {
    const wrong = attempts
      .filter((a) => a.viewer !== 'leaver')
      .filter((a) => !matches(a.key, ruleFor(expectations[a.key]!, a.where, a.key)[a.viewer as Viewer], a.got))
      .map(
        (a) =>
          `${a.key} [${a.where}] as ${a.viewer}: expected ${ruleFor(expectations[a.key]!, a.where, a.key)[a.viewer as Viewer]}, got ${a.got} (${a.url})`,
      )
    assert.deepEqual(wrong, [])
    assert.ok(attempts.length > 3000, `only ${attempts.length} requests were tried`)
  })

  test('X-06: no response carries the content of a record, contract or request the viewer may not see', () => {
    const leaks = attempts
      .filter((a) => a.viewer !== 'leaver' && a.leaked.length > 0)
      .map((a) => `${a.key} [${a.where}] as ${a.viewer}: ${a.leaked.join(', ')}`)
    assert.deepEqual(leaks, [])
  })

  test('refused and unsigned attempts changed nothing: no signature was made, no one else’s session ended', async () => {
    const db = built.database.db
    assert.equal((await db.selectFrom('contract_signature').select('contract_id').execute()).length, 0)
    assert.equal((await db.selectFrom('record_signature').select('record_id').execute()).length, 0)
    const adminSessions = await db
      .selectFrom('user_session')
      .select(['id_hash', 'ended_at'])
      .where('person_id', '=', f.people.administrator)
      .execute()
    const other = adminSessions.find((s) => s.id_hash.startsWith(f.otherSessionRef))
    assert.ok(other, 'the administrator’s other session exists')
    // Only the administrator's own "sign out everywhere", sent last, may have ended it.
    const ended = await db
      .selectFrom('audit_event')
      .select(['actor_id', 'action'])
      .where('action', '=', 'auth.session-ended')
      .execute()
    assert.ok(ended.every((e) => e.actor_id !== null))
  })

  test('issue 16: a governor is refused every page open to any signed-in person, and gets only the report and their account', () => {
    assert.ok(governorRefused.has('GET /sessions') && governorRefused.has('GET /records'))
    const allowed = attempts
      .filter((a) => a.viewer === 'governor' && a.got === 'ok' && a.key.startsWith('GET '))
      .map((a) => a.key)
    assert.deepEqual([...new Set(allowed)].sort(), [
      'GET /',
      'GET /accessibility',
      'GET /account',
      'GET /account/two-step/set-up',
      // The integration API's description: public, it holds no data (ADR 0035).
      'GET /api/v1/openapi.json',
      'GET /governors/report',
      'GET /governors/report.csv',
      'GET /governors/report.pdf',
      'GET /healthz',
      'GET /password-reset',
      'GET /privacy',
      'GET /sign-in',
      'GET /sign-in/two-step',
      'GET /signed-out',
    ])
  })

  test('a leaver’s calendar feed stops with their employment', async () => {
    assert.equal(leaverFeed.statusCode, 404)
  })

  test('a leaver’s session ends with their employment: they are treated as signed out', () => {
    const wrong = attempts
      .filter((a) => a.viewer === 'leaver')
      .filter((a) => {
        const expected = ruleFor(expectations[a.key]!, a.where).signedOut
        return expected !== a.got
      })
      .map((a) => `${a.key} [${a.where}]: got ${a.got}`)
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} answers differ from a signed-out browser’s`)
  })
})
