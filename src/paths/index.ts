/**
 * Every page's address, by area (issue 13, point 4): `paths.records.show({ recordId })` in
 * TypeScript, `{{ paths.records.show({ recordId: record.id }) }}` in a template, and
 * `paths.records.show.pattern` where the route is registered. One file per area, so each area's
 * addresses are changed in one place.
 */
import { account } from './account.ts'
import { actions } from './actions.ts'
import { admin } from './admin.ts'
import { api } from './api.ts'
import { auth } from './auth.ts'
import { calendar } from './calendar.ts'
import { children } from './children.ts'
import { contracts } from './contracts.ts'
import { escalations } from './escalations.ts'
import { evidencePack } from './evidence-pack.ts'
import { governors } from './governors.ts'
import { home } from './home.ts'
import { overview } from './overview.ts'
import { planner } from './planner.ts'
import { policy } from './policy.ts'
import { records } from './records.ts'
import { retention } from './retention.ts'
import { schoolBundle } from './school-bundle.ts'
import { schools } from './schools.ts'
import { sessions } from './sessions.ts'
import { setup } from './setup.ts'
import { staff } from './staff.ts'
import { templates } from './templates.ts'
import { trustPolicy } from './trust-policy.ts'
import { trustRollup } from './trust-rollup.ts'
import { wellbeing } from './wellbeing.ts'

export const paths = {
  account,
  actions,
  admin,
  api,
  auth,
  calendar,
  children,
  contracts,
  escalations,
  evidencePack,
  governors,
  home,
  overview,
  planner,
  policy,
  records,
  retention,
  schoolBundle,
  schools,
  sessions,
  setup,
  staff,
  templates,
  trustPolicy,
  trustRollup,
  wellbeing,
}

export { type PathBuilder, path, type Query, queryString, withQueryString } from './define.ts'
