/**
 * Retention (issue 15): what is due for removal under the school's policy, legal holds, and the
 * removal the DSL confirms. The job (src/jobs/retention.ts) keeps each school's list of what is
 * due; the DSL reviews it and confirms; only records that are on the list AND still due at the
 * moment of confirming are removed, in one transaction, each with an audit entry that keeps the
 * record's content hash. A hold placed at any time before stops it.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  activeHolds,
  allSchoolIds,
  dueList,
  insertHold,
  keptRecordFacts,
  personOfSchool,
  recordOfSchool,
  releaseHold,
  removeFromDueList,
  removeKeptRecord,
  removeRecordContent,
  replaceDueList,
  type StoredHold,
} from '../../db/repositories/retention.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { RetentionKind, type RetentionPolicy } from '../../domain/policy/model.ts'
import {
  type KeptRecordFacts,
  retentionDateOf,
  retentionKinds,
  retentionSubjectOf,
} from '../../domain/retention/kinds.ts'
import { type RetentionHold, type RetentionVerdict, retentionVerdict } from '../../domain/retention/rules.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'

export interface RetentionActor {
  personId: string
  organisationId: string
  ip?: string | null
}

export type { StoredHold }

/** One record of any kind, as the DSL picks it: its kind and id. */
export interface RetentionItem {
  kind: RetentionKind
  id: string
}

/** The audit subject type of each kind's removal. */
const subjectTypes: Record<RetentionKind, string> = {
  supervisionRecords: 'record',
  contracts: 'contract',
  stressRiskAssessments: 'stress-risk-assessment',
  referrals: 'occupational-health-referral',
  decisionsAboutChildren: 'child-decision',
}

async function retentionPolicy(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<RetentionPolicy | null> {
  return (await policyBook(db, schoolId)).on(today)?.retention ?? null
}

function holdsOf(rows: readonly StoredHold[]): RetentionHold[] {
  return rows.map((h) => ({ personId: h.personId, recordId: h.recordId }))
}

type Judged = { facts: KeptRecordFacts; verdict: RetentionVerdict | null }

/**
 * Every record of the kinds asked for, with its verdict today (null: not finished, never due).
 * One mechanism for every kind: the repository finds the facts, domain/retention/kinds.ts says what
 * the rules judge, domain/retention/rules.ts judges.
 */
async function verdicts(
  db: DbOrTrx,
  schoolId: string,
  today: IsoDate,
  options: { items?: readonly RetentionItem[]; forUpdate?: boolean } = {},
): Promise<Judged[]> {
  const policy = await retentionPolicy(db, schoolId, today)
  if (!policy) return []
  const holds = holdsOf(await activeHolds(db, schoolId))
  const out: Judged[] = []
  for (const kind of retentionKinds) {
    const ids = options.items?.filter((i) => i.kind === kind).map((i) => i.id)
    if (ids && ids.length === 0) continue
    for (const facts of await keptRecordFacts(db, schoolId, kind, { ids, forUpdate: options.forUpdate })) {
      const subject = retentionSubjectOf(facts, today)
      out.push({ facts, verdict: subject ? retentionVerdict(subject, policy, holds, today) : null })
    }
  }
  return out
}

/** The job: each school's list of records due for removal today, replaced by what is due now. */
export async function listDueForRemoval(db: DbOrTrx, now: Date): Promise<{ schools: number; due: number }> {
  const today = londonDateOf(now)
  let due = 0
  const schools = await allSchoolIds(db)
  for (const schoolId of schools) {
    // The scheduler hands the job its own transaction (jobs/scheduler.ts); called alone, each
    // school's list is replaced in a transaction of its own.
    const inTransaction = <T>(work: (trx: DbOrTrx) => Promise<T>) =>
      db.isTransaction ? work(db) : (db as Db).transaction().execute(work)
    await inTransaction(async (trx) => {
      const found = (await verdicts(trx, schoolId, today)).filter((v) => v.verdict?.status === 'due')
      due += found.length
      await replaceDueList(
        trx,
        schoolId,
        found.map((v) => ({ kind: v.facts.kind, subjectId: v.facts.id, dueOn: v.verdict?.dueOn as IsoDate })),
      )
    })
  }
  return { schools: schools.length, due }
}

export interface ReviewItem {
  kind: RetentionKind
  id: string
  recordDate: IsoDate
  people: { personId: string; name: string }[]
  childProtection: boolean
  dueOn: IsoDate | null
  /** `unfinished`: it was reopened or is no longer finished, so not judged. */
  status: RetentionVerdict['status'] | 'unfinished'
}

/** What the DSL reviews: the records the job listed, each judged again today (a hold since shows as held). */
export async function retentionReview(
  db: DbOrTrx,
  schoolId: string,
  today: IsoDate,
): Promise<{ items: ReviewItem[]; holds: StoredHold[]; listedAt: Date | null; policy: RetentionPolicy | null }> {
  const listed = await dueList(db, schoolId)
  const items = listed.flatMap((d) =>
    retentionKinds.includes(d.kind as RetentionKind) ? [{ kind: d.kind as RetentionKind, id: d.subjectId }] : [],
  )
  const judged = items.length === 0 ? [] : await verdicts(db, schoolId, today, { items })
  return {
    items: judged.map(({ facts, verdict }) => ({
      kind: facts.kind,
      id: facts.id,
      recordDate: retentionDateOf(facts),
      people: facts.people.map((p) => ({ personId: p.personId, name: p.name })),
      childProtection:
        facts.kind === RetentionKind.DecisionsAboutChildren || ('childProtection' in facts && facts.childProtection),
      dueOn: verdict?.dueOn ?? null,
      status: verdict?.status ?? 'unfinished',
    })),
    holds: await activeHolds(db, schoolId),
    policy: await retentionPolicy(db, schoolId, today),
    listedAt: listed.reduce<Date | null>((a, d) => (a === null || d.foundAt > a ? d.foundAt : a), null),
  }
}

export type ConfirmResult =
  | { ok: true; removed: RetentionItem[]; skipped: RetentionItem[] }
  | { ok: false; reason: 'nothing-chosen' | 'not-listed' }

const keyOf = (i: RetentionItem) => `${i.kind}:${i.id}`

/** Removes one record of any kind in the caller's transaction; its content hash, or null when gone. */
async function removeOne(
  trx: DbOrTrx,
  schoolId: string,
  item: RetentionItem,
  removedBy: string,
): Promise<{ contentHash: string | null; sessionId?: string } | null> {
  if (item.kind === RetentionKind.SupervisionRecords)
    return removeRecordContent(trx, { schoolId, recordId: item.id, removedBy })
  return removeKeptRecord(trx, { schoolId, kind: item.kind, id: item.id, removedBy })
}

/**
 * The DSL's confirmation: removes the chosen records of any kind, each only if the job listed it
 * and it is still due now (not held, the policy unchanged). One transaction; an audit entry per
 * record keeps its content hash.
 */
export async function confirmRemoval(
  db: Db,
  input: { schoolId: string; actor: RetentionActor; items: readonly RetentionItem[]; today: IsoDate },
): Promise<ConfirmResult> {
  const seen = new Map<string, RetentionItem>()
  for (const i of input.items) if (isUuid(i.id)) seen.set(keyOf(i), i)
  const items = [...seen.values()]
  if (items.length === 0) return { ok: false, reason: 'nothing-chosen' }
  return db.transaction().execute(async (trx): Promise<ConfirmResult> => {
    const listed = new Set((await dueList(trx, input.schoolId)).map((d) => `${d.kind}:${d.subjectId}`))
    if (items.some((i) => !listed.has(keyOf(i)))) return { ok: false, reason: 'not-listed' }
    const judged = await verdicts(trx, input.schoolId, input.today, { items, forUpdate: true })
    const removed: RetentionItem[] = []
    const skipped: RetentionItem[] = []
    for (const item of items) {
      const j = judged.find((v) => v.facts.kind === item.kind && v.facts.id === item.id)
      if (j?.verdict?.status !== 'due') {
        skipped.push(item)
        continue
      }
      const done = await removeOne(trx, input.schoolId, item, input.actor.personId)
      if (!done) {
        skipped.push(item)
        continue
      }
      await removeFromDueList(trx, input.schoolId, item.kind, item.id)
      await recordAudit(trx, {
        action: 'retention.record-removed',
        subjectType: subjectTypes[item.kind],
        subjectId: item.id,
        actorId: input.actor.personId,
        organisationId: input.actor.organisationId,
        schoolId: input.schoolId,
        ip: input.actor.ip ?? null,
        detail: {
          kind: item.kind,
          contentHash: done.contentHash,
          ...(done.sessionId ? { sessionId: done.sessionId } : {}),
          dueOn: j.verdict.dueOn,
          childProtection: j.facts.kind === RetentionKind.SupervisionRecords ? j.facts.childProtection : undefined,
        },
      })
      removed.push(item)
    }
    return { ok: true, removed, skipped }
  })
}

export type HoldResult = { ok: true; holdId: string } | { ok: false; reason: 'missing' }

/** A legal hold on a person of the school, or on one of its records, with the DSL's reason. */
export async function placeHold(
  db: Db,
  input: {
    schoolId: string
    actor: RetentionActor
    on: { personId: string } | { recordId: string }
    reason: string
  },
): Promise<HoldResult> {
  return db.transaction().execute(async (trx): Promise<HoldResult> => {
    const personId = 'personId' in input.on ? input.on.personId : null
    const recordId = 'recordId' in input.on ? input.on.recordId : null
    if (personId !== null && !(isUuid(personId) && (await personOfSchool(trx, input.schoolId, personId))))
      return { ok: false, reason: 'missing' }
    if (recordId !== null && !(isUuid(recordId) && (await recordOfSchool(trx, input.schoolId, recordId))))
      return { ok: false, reason: 'missing' }
    const holdId = await insertHold(trx, {
      schoolId: input.schoolId,
      personId,
      recordId,
      reason: input.reason,
      placedBy: input.actor.personId,
    })
    await recordAudit(trx, {
      action: 'retention.hold-placed',
      subjectType: personId ? 'person' : 'record',
      subjectId: personId ?? recordId,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: input.schoolId,
      ip: input.actor.ip ?? null,
      detail: { holdId },
    })
    return { ok: true, holdId }
  })
}

export async function liftHold(
  db: Db,
  input: { schoolId: string; actor: RetentionActor; holdId: string },
): Promise<boolean> {
  if (!isUuid(input.holdId)) return false
  return db.transaction().execute(async (trx) => {
    const released = await releaseHold(trx, input.schoolId, input.holdId, input.actor.personId)
    if (!released) return false
    await recordAudit(trx, {
      action: 'retention.hold-released',
      subjectType: 'retention-hold',
      subjectId: input.holdId,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: input.schoolId,
      ip: input.actor.ip ?? null,
    })
    return true
  })
}
