/**
 * Who must receive supervision, on the person's page (X-04, MW-01, issue 14): the policy's decision
 * for them today, and the manual overrides that bring someone into scope by name or take them out,
 * each with a reason, who made it and when, and who ended it. Every change is audited in the same
 * transaction (ids and codes only: the reason stays in person_override).
 */
import type { Db } from '../../db/database.ts'
import {
  currentScopeOverrideIds,
  endScopeOverrides,
  insertScopeOverride,
  type ScopeOverrideSource,
  type StoredScopeOverride,
  scopeOverridesOf,
} from '../../db/repositories/staff/scope-overrides.ts'
import { addDays } from '../../domain/calendar/index.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  decideScope,
  type PersonOverride,
  type PolicyDocument,
  type ScopeDecision,
  type ScopeOverride,
} from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'
import { getStoredPerson } from './people.ts'

export type { StoredScopeOverride }

/** The longest reason accepted, in characters. */
export const scopeReasonLimit = 500

export interface PersonScope {
  /** The policy's decision for them today; null when the school has no policy in force. */
  decision: ScopeDecision | null
  /** The descriptions of the policy's scope rules the decision rests on ("Staff working in the EYFS"). */
  ruleDescriptions: string[]
  /** Whether the policy identifies staff at the start of each academic year (MW-01). */
  identifiedAtYearStart: boolean
  /** The school's guidance on who to bring into scope by name (scope.manualInclusion), if any. */
  manualInclusion: string | null
  /** The override in force now, if any. */
  current: StoredScopeOverride | null
  /** Every scope override made for them, newest first. */
  history: StoredScopeOverride[]
}

async function policyOf(db: Db, schoolId: string, today: IsoDate): Promise<PolicyDocument | null> {
  return (await policyBook(db, schoolId)).on(today)
}

function inForce(stored: StoredScopeOverride, today: IsoDate): boolean {
  const { from, until } = stored.override
  return stored.endedAt === null && (from === null || from <= today) && (until === null || until >= today)
}

/** Whether they must be supervised and why, with their overrides; null when not found in the organisation. */
export async function personScope(
  db: Db,
  input: { organisationId: string; personId: string; today: IsoDate },
): Promise<PersonScope | null> {
  const stored = await getStoredPerson(db, input.organisationId, input.personId)
  if (!stored || stored.person.schoolId === null) return null
  const schoolId = stored.person.schoolId
  const [policy, history] = await Promise.all([
    policyOf(db, schoolId, input.today),
    scopeOverridesOf(db, schoolId, stored.person.id),
  ])
  const overrides: PersonOverride[] = history.filter((h) => h.endedAt === null).map((h) => h.override)
  const decision = policy ? decideScope(policy, stored.person, input.today, overrides) : null
  return {
    decision,
    ruleDescriptions: (policy?.scope.rules ?? [])
      .filter((rule) => decision?.ruleIds.includes(rule.id))
      .map((rule) => rule.description),
    identifiedAtYearStart: policy?.scope.identifiedAt === 'start-of-academic-year',
    manualInclusion: policy?.scope.manualInclusion ?? null,
    current: history.find((h) => inForce(h, input.today)) ?? null,
    history,
  }
}

export type ScopeOverrideResult =
  | { ok: true; overrideId: string }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'field'; field: string; message: string }

export interface SetScopeOverrideInput {
  organisationId: string
  personId: string
  /** True: they must be supervised; false: they need not be. */
  required: boolean
  reason: string
  /** Null for a staff import run from the command line. */
  actorId: string | null
  today: IsoDate
  now?: Date
  source?: ScopeOverrideSource
}

/** Checks a reason: required, and not too long. A message naming the field, or null. */
export function scopeReasonProblem(reason: string): string | null {
  if (reason.trim() === '') return 'Enter the reason'
  if (reason.length > scopeReasonLimit) return `Reason must be ${scopeReasonLimit} characters or fewer`
  return null
}

/**
 * Brings someone into scope by name, or takes them out, from today, with a reason. Any
 * override of theirs in force is ended first, so one decision stands at a time. In `trx` when given
 * (a staff import), otherwise in a transaction of its own.
 */
export async function setScopeOverride(db: Db, input: SetScopeOverrideInput): Promise<ScopeOverrideResult> {
  const reason = input.reason.replace(/\s+/g, ' ').trim()
  const problem = scopeReasonProblem(reason)
  if (problem) return { ok: false, kind: 'field', field: 'reason', message: problem }
  const run = async (trx: Db): Promise<ScopeOverrideResult> => {
    const stored = await getStoredPerson(trx, input.organisationId, input.personId)
    if (!stored || stored.person.schoolId === null) return { ok: false, kind: 'not-found' }
    const schoolId = stored.person.schoolId
    const now = input.now ?? new Date()
    const ended = await endScopeOverrides(trx, {
      schoolId,
      personId: stored.person.id,
      ids: await currentScopeOverrideIds(trx, schoolId, stored.person.id),
      endedBy: input.actorId,
      now,
      lastDay: addDays(input.today, -1),
    })
    const override: ScopeOverride = {
      kind: 'scope',
      personId: stored.person.id,
      required: input.required,
      reason,
      from: input.today,
      until: null,
      requirementIds: null,
    }
    const source = input.source ?? 'manual'
    const overrideId = await insertScopeOverride(trx, { schoolId, override, source, setBy: input.actorId, now })
    await recordAudit(trx, {
      action: 'staff.scope-override-set',
      subjectType: 'person',
      subjectId: stored.person.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId,
      detail: { overrideId, required: input.required, source, replaced: ended },
    })
    return { ok: true, overrideId }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

/** Ends one of the person's overrides from today: the policy's rules decide again. */
export async function endScopeOverride(
  db: Db,
  input: { organisationId: string; personId: string; overrideId: string; actorId: string; today: IsoDate; now?: Date },
): Promise<ScopeOverrideResult> {
  if (!isUuid(input.overrideId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx) => {
    const stored = await getStoredPerson(trx, input.organisationId, input.personId)
    if (!stored || stored.person.schoolId === null) return { ok: false, kind: 'not-found' } as const
    const schoolId = stored.person.schoolId
    const current = await currentScopeOverrideIds(trx, schoolId, stored.person.id)
    if (!current.includes(input.overrideId)) return { ok: false, kind: 'not-found' } as const
    await endScopeOverrides(trx, {
      schoolId,
      personId: stored.person.id,
      ids: [input.overrideId],
      endedBy: input.actorId,
      now: input.now ?? new Date(),
      lastDay: addDays(input.today, -1),
    })
    await recordAudit(trx, {
      action: 'staff.scope-override-ended',
      subjectType: 'person',
      subjectId: stored.person.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId,
      detail: { overrideId: input.overrideId },
    })
    return { ok: true, overrideId: input.overrideId } as const
  })
}
