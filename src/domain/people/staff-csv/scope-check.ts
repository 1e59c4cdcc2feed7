/**
 * Whether anyone in an import would be in scope of the school's policy (issue 18). An MIS file
 * with no Roles column and job titles nobody has mapped gives people with no roles, whom most
 * policies leave out; the preview warns before the school imports a list with nobody to supervise.
 */
import type { PolicyDocument } from '../../policy/model.ts'
import { decideScope } from '../../policy/scope.ts'
import type { IsoDate, Person } from '../person.ts'
import type { PersonDraft, StaffImportPlan } from './plan.ts'

/** How many people in the file the policy would require to be supervised on `today`. */
export function inScopeAfterImport(
  plan: Extract<StaffImportPlan, { ok: true }>,
  policy: PolicyDocument,
  today: IsoDate,
): { inScope: number; inFile: number } {
  const asPerson = (id: string, draft: PersonDraft): Person => {
    const { lineManager: _manager, ...rest } = draft
    return { ...rest, id, lineManagerId: null }
  }
  const byDecision = new Map(plan.scopeDecisions.map((d) => [d.email, d.required]))
  const people: Person[] = [
    ...plan.creates.map((draft, i) => asPerson(`new-${i}`, draft)),
    ...plan.updates.map((update) => asPerson(update.id, update.after)),
    ...plan.unchanged,
  ]
  let inScope = 0
  for (const person of people) {
    const decided = byDecision.get(person.email.toLowerCase())
    if (decided ?? decideScope(policy, person, today).required) inScope++
  }
  return { inScope, inFile: people.length }
}
