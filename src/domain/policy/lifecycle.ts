/**
 * A policy's life (issue 14, X-01, X-08, LH-01): created, consulted on, approved, reviewed; the
 * warnings a school sees when a step is missing; a review recorded as a new version (never by
 * changing a published one); a pack made a school's own at set-up; and when a new version may
 * take effect.
 *
 * "Judged": Haven judges compliance live, every day: the home page, the overview, the
 * reminders and the escalations all read the version in force on each date. So every day before
 * today has already been judged and acted on, and today is the last judged date. A version that
 * takes effect before today (backdated) would change figures people have already seen and acted
 * on: it is refused unless a reason is given, and the page shows which dates it changes. The
 * school's first version, made automatically at set-up, does not hold back the import of the
 * school's older versions: they may take effect before it.
 */
import { addDays, formatLongDate, type IsoDate } from '../calendar/index.ts'
import type { Duration, PolicyDocument, PolicyMetadata } from './model.ts'
import { addDuration, policyReview } from './time.ts'
import type { PolicyProblem } from './validate.ts'

export const defaultReviewEvery: Duration = { amount: 1, unit: 'years' }

export interface LifecycleWarning {
  kind: 'not-approved' | 'review-overdue' | 'review-soon' | 'no-review-date' | 'consulted-late'
  message: string
}

/**
 * Issue 14: staff may be consulted before the policy is published, an optional step that comes
 * before approval and before the version takes effect. A consultation dated after the approval,
 * or after the date this version takes effect, came too late to shape the policy: the school is
 * told, so that it corrects the date or consults again. Null when there is no consultation or its
 * date is in order.
 */
export function consultationWarning(metadata: PolicyMetadata, effectiveFrom: IsoDate): LifecycleWarning | null {
  const { consultation } = metadata
  if (!consultation) return null
  const consulted = consultation.consultedOn
  const fix =
    'Staff are consulted before the policy is approved and takes effect: check the dates in the policy details'
  if (metadata.approvedOn !== null && consulted > metadata.approvedOn) {
    return {
      kind: 'consulted-late',
      message: `Staff were consulted on ${formatLongDate(consulted)}, after the policy was approved on ${formatLongDate(metadata.approvedOn)}. ${fix}`,
    }
  }
  if (consulted > effectiveFrom) {
    return {
      kind: 'consulted-late',
      message: `Staff were consulted on ${formatLongDate(consulted)}, after this version took effect on ${formatLongDate(effectiveFrom)}. ${fix}`,
    }
  }
  return null
}

/**
 * Publishing a version to take effect before its staff consultation (issue 14): refused, since the
 * consultation comes before publishing. The problem is on the date it takes effect.
 */
export function consultationProblem(
  metadata: Pick<PolicyMetadata, 'consultation'>,
  effectiveFrom: IsoDate,
): PolicyProblem | null {
  const consulted = metadata.consultation?.consultedOn
  if (!consulted || effectiveFrom >= consulted) return null
  return {
    path: 'effectiveFrom',
    message: `The date it takes effect must be on or after ${formatLongDate(consulted)}, when staff were consulted`,
  }
}

/** Whether the policy records an approval: who approved it, or when. */
export function isApproved(metadata: PolicyMetadata): boolean {
  return metadata.approvedBy !== null || metadata.approvedOn !== null
}

/**
 * What the policy page warns about: a policy with no recorded approval (never a made-up one), a
 * review coming up, overdue, or with no date, and a staff consultation dated too late.
 */
export function lifecycleWarnings(policy: PolicyDocument, today: IsoDate): LifecycleWarning[] {
  const warnings: LifecycleWarning[] = []
  if (!isApproved(policy.metadata)) {
    warnings.push({
      kind: 'not-approved',
      message: 'This policy has no recorded approval. Record who approved it, and when, in the policy details',
    })
  }
  const review = policyReview(policy, today)
  if (review.state === 'overdue') warnings.push({ kind: 'review-overdue', message: review.message })
  else if (review.state === 'review-soon') warnings.push({ kind: 'review-soon', message: review.message })
  else if (review.state === 'no-review-date') warnings.push({ kind: 'no-review-date', message: review.message })
  const consulted = consultationWarning(policy.metadata, policy.effectiveFrom)
  if (consulted) warnings.push(consulted)
  return warnings
}

/** How the policy's owner reads on its page and in its summary: "Jo Adams, DSL", or an organisation. */
export function ownerWords(metadata: PolicyMetadata, roleWords: (role: string) => string): string | null {
  const { owner } = metadata
  if (owner.kind === 'organisation') return owner.name
  const parts = [owner.name, owner.role ? roleWords(owner.role) : null].filter((p): p is string => !!p)
  return parts.length > 0 ? parts.join(', ') : null
}

export interface ReviewInput {
  reviewedOn: IsoDate
  reviewedBy: string
}

/** Problems with a review before it is recorded, by field. */
export function reviewProblems(
  policy: PolicyDocument,
  input: { reviewedOn: IsoDate; reviewedBy: string },
  today: IsoDate,
): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  if (input.reviewedOn > today)
    problems.push({ path: 'reviewedOn', message: 'Date reviewed must be today or in the past' })
  const last = policy.metadata.lastReviewedOn
  if (last !== null && input.reviewedOn < last) {
    problems.push({
      path: 'reviewedOn',
      message: `Date reviewed must be on or after the last review, ${formatLongDate(last)}`,
    })
  }
  if (input.reviewedBy.trim() === '') problems.push({ path: 'reviewedBy', message: 'Enter who reviewed the policy' })
  return problems
}

/**
 * The policy after a review: the same rules, reviewed on the date by whom, with the next
 * review one cycle on (a year when the policy sets no cycle). Saved as a new version, so the
 * version that was published is never changed.
 */
export function withReview(policy: PolicyDocument, input: ReviewInput): PolicyDocument {
  const reviewEvery = policy.metadata.reviewEvery ?? defaultReviewEvery
  return {
    ...policy,
    metadata: {
      ...policy.metadata,
      lastReviewedOn: input.reviewedOn,
      lastReviewedBy: input.reviewedBy.trim(),
      reviewEvery,
      nextReviewDue: addDuration(input.reviewedOn, reviewEvery),
    },
  }
}

export interface SchoolIdentity {
  school: string
  trust: string | null
  /** The policy's lead: a person's name, with the pack's role kept. */
  ownerName: string | null
  approvedBy: string | null
  approvedOn: IsoDate | null
  /** When the next review is due; one review cycle from `createdOn` when not given. */
  nextReviewDue: IsoDate | null
  createdOn: IsoDate
}

/**
 * A pack's policy made a school's own: the school's name, lead, approver and dates, none of the
 * seed school's (its approver, governor committee, review dates or named lead). Its provenance
 * says which policy it was based on. Its first review is due one cycle after it was created, so a
 * new school is not told on its first day that a review was due years ago.
 */
export function adoptForSchool(pack: PolicyDocument, identity: SchoolIdentity, basedOn: string | null): PolicyDocument {
  const reviewEvery = pack.metadata.reviewEvery ?? defaultReviewEvery
  const nextReviewDue = identity.nextReviewDue ?? addDuration(identity.createdOn, reviewEvery)
  const role = pack.metadata.owner.kind === 'person' ? pack.metadata.owner.role : null
  return {
    ...pack,
    metadata: {
      ...pack.metadata,
      school: identity.school,
      trust: identity.trust,
      provenance: basedOn ? `Based on the supervision policy of ${basedOn}` : pack.metadata.provenance,
      owner: { kind: 'person', name: identity.ownerName, role: identity.ownerName || role ? role : 'dsl' },
      createdOn: identity.createdOn,
      consultation: null,
      approvedBy: identity.approvedBy,
      approvedOn: identity.approvedOn,
      governorCommittee: null,
      lastReviewedOn: null,
      lastReviewedBy: null,
      reviewEvery,
      nextReviewDue: nextReviewDue > identity.createdOn ? nextReviewDue : addDuration(identity.createdOn, reviewEvery),
    },
  }
}

export interface ExistingVersion {
  version: number
  effectiveFrom: IsoDate
  /** Made automatically at set-up (it does not hold back older versions). */
  automatic: boolean
}

export type EffectiveDateDecision =
  | { ok: true; backdated: boolean }
  | { ok: false; problem: PolicyProblem; needsReason: boolean }

/**
 * Whether a new version may take effect on `effectiveFrom`. It may not take effect before
 * a version the school saved itself (that would rewrite history); the automatic first version does
 * not count. It may take effect today or later; before today only with a reason, because the days
 * between were already judged by the version then in force (see the top of this file).
 */
export function checkEffectiveDate(input: {
  effectiveFrom: IsoDate
  today: IsoDate
  existing: readonly ExistingVersion[]
  reason: string | null
}): EffectiveDateDecision {
  const saved = input.existing.filter((v) => !v.automatic)
  const latest = saved.reduce<ExistingVersion | null>(
    (a, v) => (a === null || v.effectiveFrom > a.effectiveFrom ? v : a),
    null,
  )
  if (latest && input.effectiveFrom < latest.effectiveFrom) {
    return {
      ok: false,
      needsReason: false,
      problem: {
        path: 'effectiveFrom',
        message: `The date it takes effect must be on or after ${formatLongDate(latest.effectiveFrom)}, when version ${latest.version} took effect`,
      },
    }
  }
  if (input.effectiveFrom >= input.today) return { ok: true, backdated: false }
  if (input.existing.length === 0 || (input.reason ?? '').trim() !== '') return { ok: true, backdated: true }
  return {
    ok: false,
    needsReason: true,
    problem: {
      path: 'reason',
      message: `${backdatingChange(input.effectiveFrom, input.today)}. Enter the reason for backdating it, or choose today or a later date`,
    },
  }
}

/** The change a backdated version makes, in words: which days' compliance it judges again. */
export function backdatingChange(effectiveFrom: IsoDate, today: IsoDate): string {
  const yesterday = addDays(today, -1)
  const span =
    effectiveFrom === yesterday
      ? `on ${formatLongDate(effectiveFrom)}`
      : `from ${formatLongDate(effectiveFrom)} to ${formatLongDate(yesterday)}`
  return `It takes effect before today: supervision ${span} would be judged again by this version, not by the version that was in force`
}

/** The kind of template each of the policy's template references must name. */
type TemplateKindName = 'record' | 'agenda' | 'preparation' | 'contract'

const kindWords: Record<TemplateKindName, string> = {
  record: 'a record template',
  agenda: 'an agenda template',
  preparation: 'a preparation template',
  contract: 'a contract template',
}

/**
 * Templates the policy names that the school does not have, or that are of the wrong kind
 * (issue 14). `kindOf` gives the kind of the school's template (its own or a built-in one) with
 * an id, or null when it has none. Paths are the policy's JSON paths, e.g. `templates.contract`.
 */
export function templateReferenceProblems(
  policy: PolicyDocument,
  kindOf: (templateId: string) => TemplateKindName | null,
): PolicyProblem[] {
  const references: [path: string, id: string | null, kind: TemplateKindName][] = [
    ['templates.contract', policy.templates.contract, 'contract'],
    ['templates.agenda', policy.templates.agenda, 'agenda'],
    ['templates.preparation', policy.templates.preparation, 'preparation'],
    ...policy.templates.records.map(
      (r, i) => [`templates.records[${i}].templateId`, r.templateId, 'record'] as [string, string, TemplateKindName],
    ),
  ]
  const problems: PolicyProblem[] = []
  for (const [path, id, wanted] of references) {
    if (id === null) continue
    const kind = kindOf(id)
    if (kind === null) {
      problems.push({
        path,
        message: `The school has no template '${id}': add it on the templates page, or name one of the school's templates (check the spelling)`,
      })
    } else if (kind !== wanted) {
      problems.push({ path, message: `Template '${id}' is ${kindWords[kind]}, not ${kindWords[wanted]}` })
    }
  }
  return problems
}

/**
 * Who is reminded of the policy review: the owner. A person owner is found among the
 * school's current staff by name, else by the owner's role; an organisation owner (or an owner no
 * one at the school matches) is represented by the school's DSL.
 */
export function reviewReminderRecipients<P extends { id: string; name: string; roles: readonly string[] }>(
  metadata: PolicyMetadata,
  staff: readonly P[],
): P[] {
  const { owner } = metadata
  if (owner.kind === 'person') {
    const name = owner.name?.trim().toLowerCase()
    const byName = name ? staff.filter((p) => p.name.trim().toLowerCase() === name) : []
    if (byName.length > 0) return byName
    const role = owner.role
    const byRole = role ? staff.filter((p) => p.roles.includes(role)) : []
    if (byRole.length > 0) return byRole
  }
  return staff.filter((p) => p.roles.includes('dsl'))
}

/** The outbox key that makes the reminder for one review date go once to each person. */
export function policyReviewReminderKey(schoolId: string, personId: string, reviewDue: IsoDate): string {
  return `reminder:policy-review:${schoolId}:${personId}:${reviewDue}`
}

/**
 * A draft started before a review was recorded keeps that review when it is published: the
 * review dates of `reviewed` replace the draft's older ones. A draft whose own review is as recent
 * or later is unchanged.
 */
export function carryReview(draft: PolicyDocument, reviewed: PolicyDocument): PolicyDocument {
  const done = reviewed.metadata.lastReviewedOn
  const own = draft.metadata.lastReviewedOn
  if (done === null || (own !== null && own >= done)) return draft
  return {
    ...draft,
    metadata: {
      ...draft.metadata,
      lastReviewedOn: done,
      lastReviewedBy: reviewed.metadata.lastReviewedBy,
      nextReviewDue: reviewed.metadata.nextReviewDue,
    },
  }
}
