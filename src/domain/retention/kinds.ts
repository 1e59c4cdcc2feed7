/**
 * Retention (issue 15, ADR 43): what each kind of record is judged by. Every kind the policy sets
 * a period for goes through the same rules (rules.ts); this says, for each kind, which of its
 * records are finished enough to be judged at all, the date its period counts from, and who it
 * is about. Pure: the caller passes the stored facts and today.
 *
 * - A supervision record: once signed; its session's date; its supervisees.
 * - A contract: once signed, or superseded by a newer one; the day it was signed (issued, if it
 *   never was); its supervisee.
 * - A stress risk assessment: once closed; the day it closed; the person assessed.
 * - An Occupational Health referral: once any follow-up date has passed; the day of the referral;
 *   the person referred.
 * - A decision about a child: once entered in the child's own record (what has not reached it is
 *   never removed); the day it was made; the supervisees of its session. It is child-protection
 *   content, so kept at least the policy's child-protection period too.
 */
import type { IsoDate } from '../people/person.ts'
import { RetentionKind } from '../policy/model.ts'
import type { RetentionSubject } from './rules.ts'

export interface RetentionPerson {
  personId: string
  name: string
  leftOn: IsoDate | null
}

/** The stored facts of one record of any kind, as the repository finds them. */
export type KeptRecordFacts =
  | {
      kind: typeof RetentionKind.SupervisionRecords
      id: string
      status: string
      sessionDate: IsoDate
      people: RetentionPerson[]
      childProtection: boolean
    }
  | {
      kind: typeof RetentionKind.Contracts
      id: string
      status: string
      issuedOn: IsoDate | null
      signedOn: IsoDate | null
      people: RetentionPerson[]
    }
  | {
      kind: typeof RetentionKind.StressRiskAssessments
      id: string
      startedOn: IsoDate
      closedOn: IsoDate | null
      people: RetentionPerson[]
    }
  | {
      kind: typeof RetentionKind.Referrals
      id: string
      referredOn: IsoDate
      followUpOn: IsoDate | null
      people: RetentionPerson[]
    }
  | {
      kind: typeof RetentionKind.DecisionsAboutChildren
      id: string
      status: string
      decidedOn: IsoDate
      people: RetentionPerson[]
    }

function subject(
  facts: KeptRecordFacts,
  recordDate: IsoDate,
  childProtection: boolean,
): RetentionSubject & { people: RetentionPerson[] } {
  return { kind: facts.kind, id: facts.id, recordDate, people: facts.people, childProtection }
}

/**
 * The record as the retention rules judge it, or null while it is not finished (unsigned, open,
 * awaiting a follow-up, not yet in the child's record): such a record is never due.
 */
export function retentionSubjectOf(
  facts: KeptRecordFacts,
  today: IsoDate,
): (RetentionSubject & { people: RetentionPerson[] }) | null {
  switch (facts.kind) {
    case RetentionKind.SupervisionRecords:
      return facts.status === 'signed' ? subject(facts, facts.sessionDate, facts.childProtection) : null
    case RetentionKind.Contracts: {
      if (facts.status !== 'signed' && facts.status !== 'superseded') return null
      const on = facts.signedOn ?? facts.issuedOn
      return on === null ? null : subject(facts, on, false)
    }
    case RetentionKind.StressRiskAssessments:
      return facts.closedOn === null ? null : subject(facts, facts.closedOn, false)
    case RetentionKind.Referrals:
      return facts.followUpOn !== null && facts.followUpOn > today ? null : subject(facts, facts.referredOn, false)
    case RetentionKind.DecisionsAboutChildren:
      return facts.status === 'entered' ? subject(facts, facts.decidedOn, true) : null
  }
}

/** The date a record is shown by: the one its period counts from, or its own first date. */
export function retentionDateOf(facts: KeptRecordFacts): IsoDate {
  switch (facts.kind) {
    case RetentionKind.SupervisionRecords:
      return facts.sessionDate
    case RetentionKind.Contracts:
      return facts.signedOn ?? facts.issuedOn ?? '1970-01-01'
    case RetentionKind.StressRiskAssessments:
      return facts.closedOn ?? facts.startedOn
    case RetentionKind.Referrals:
      return facts.referredOn
    case RetentionKind.DecisionsAboutChildren:
      return facts.decidedOn
  }
}

/** Every kind, in the order the DSL reviews them. */
export const retentionKinds: readonly RetentionKind[] = [
  RetentionKind.SupervisionRecords,
  RetentionKind.Contracts,
  RetentionKind.StressRiskAssessments,
  RetentionKind.Referrals,
  RetentionKind.DecisionsAboutChildren,
]

/** What the DSL's checkbox carries: `contracts:<id>`; a bare id is a supervision record (the first kind). */
export function retentionItemKey(kind: RetentionKind, id: string): string {
  return kind === RetentionKind.SupervisionRecords ? id : `${kind}:${id}`
}

export function parseRetentionItemKey(key: string): { kind: RetentionKind; id: string } | null {
  const at = key.indexOf(':')
  if (at === -1) return { kind: RetentionKind.SupervisionRecords, id: key }
  const kind = key.slice(0, at) as RetentionKind
  return retentionKinds.includes(kind) ? { kind, id: key.slice(at + 1) } : null
}
