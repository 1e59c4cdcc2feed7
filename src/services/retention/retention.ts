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
  personOfSchool,
  recordOfSchool,
  releaseHold,
  removeFromDueList,
  removeRecordContent,
  replaceDueList,
  type SignedRecordFacts,
  type StoredHold,
  signedRecordFacts,
} from '../../db/repositories/retention.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { RetentionPolicy } from '../../domain/policy/model.ts'
import {
  type RetentionHold,
  type RetentionSubject,
  type RetentionVerdict,
  retentionVerdict,
} from '../../domain/retention/rules.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from '../policy/on-date.ts'

export interface RetentionActor {
  personId: string
  organisationId: string
  ip?: string | null
}

export type { StoredHold }

const recordKind = 'supervisionRecords'

function subjectOf(f: SignedRecordFacts): RetentionSubject {
  return {
    kind: recordKind,
    id: f.id,
    recordDate: f.recordDate,
    people: f.people.map((p) => ({ personId: p.personId, leftOn: p.leftOn })),
    childProtection: f.childProtection,
  }
}

async function retentionPolicy(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<RetentionPolicy | null> {
  return (await policyBook(db, schoolId)).on(today)?.retention ?? null
}

function holdsOf(rows: readonly StoredHold[]): RetentionHold[] {
  return rows.map((h) => ({ personId: h.personId, recordId: h.recordId }))
}

/** Every signed record of the school with its verdict today. */
async function verdicts(
  db: DbOrTrx,
  schoolId: string,
  today: IsoDate,
  options: { recordIds?: readonly string[]; forUpdate?: boolean } = {},
): Promise<{ facts: SignedRecordFacts; verdict: RetentionVerdict }[]> {
  const policy = await retentionPolicy(db, schoolId, today)
  if (!policy) return []
  const holds = holdsOf(await activeHolds(db, schoolId))
  const facts = await signedRecordFacts(db, schoolId, options)
  return facts.map((f) => ({ facts: f, verdict: retentionVerdict(subjectOf(f), policy, holds, today) }))
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
      const found = (await verdicts(trx, schoolId, today)).filter((v) => v.verdict.status === 'due')
      due += found.length
      await replaceDueList(
        trx,
        schoolId,
        found.map((v) => ({ kind: recordKind, subjectId: v.facts.id, dueOn: v.verdict.dueOn as IsoDate })),
      )
    })
  }
  return { schools: schools.length, due }
}

export interface ReviewItem {
  recordId: string
  recordDate: IsoDate
  typeId: string
  people: { personId: string; name: string }[]
  childProtection: boolean
  dueOn: IsoDate | null
  status: RetentionVerdict['status']
}

/** What the DSL reviews: the records the job listed, each judged again today (a hold since shows as held). */
export async function retentionReview(
  db: DbOrTrx,
  schoolId: string,
  today: IsoDate,
): Promise<{ items: ReviewItem[]; holds: StoredHold[]; listedAt: Date | null; policy: RetentionPolicy | null }> {
  const listed = await dueList(db, schoolId)
  const ids = listed.filter((d) => d.kind === recordKind).map((d) => d.subjectId)
  const judged = await verdicts(db, schoolId, today, { recordIds: ids })
  return {
    items: judged.map(({ facts, verdict }) => ({
      recordId: facts.id,
      recordDate: facts.recordDate,
      typeId: facts.typeId,
      people: facts.people.map((p) => ({ personId: p.personId, name: p.name })),
      childProtection: facts.childProtection,
      dueOn: verdict.dueOn,
      status: verdict.status,
    })),
    holds: await activeHolds(db, schoolId),
    policy: await retentionPolicy(db, schoolId, today),
    listedAt: listed.reduce<Date | null>((a, d) => (a === null || d.foundAt > a ? d.foundAt : a), null),
  }
}

export type ConfirmResult =
  | { ok: true; removed: string[]; skipped: string[] }
  | { ok: false; reason: 'nothing-chosen' | 'not-listed' }

/**
 * The DSL's confirmation: removes the chosen records, each only if the job listed it and it is
 * still due now (not held, the policy unchanged). One transaction; an audit entry per record
 * keeps its content hash.
 */
export async function confirmRemoval(
  db: Db,
  input: { schoolId: string; actor: RetentionActor; recordIds: readonly string[]; today: IsoDate },
): Promise<ConfirmResult> {
  const ids = [...new Set(input.recordIds)].filter(isUuid)
  if (ids.length === 0) return { ok: false, reason: 'nothing-chosen' }
  return db.transaction().execute(async (trx): Promise<ConfirmResult> => {
    const listed = new Set(
      (await dueList(trx, input.schoolId)).filter((d) => d.kind === recordKind).map((d) => d.subjectId),
    )
    if (ids.some((id) => !listed.has(id))) return { ok: false, reason: 'not-listed' }
    const judged = await verdicts(trx, input.schoolId, input.today, { recordIds: ids, forUpdate: true })
    const removed: string[] = []
    const skipped: string[] = []
    for (const id of ids) {
      const j = judged.find((v) => v.facts.id === id)
      if (j?.verdict.status !== 'due') {
        skipped.push(id)
        continue
      }
      const done = await removeRecordContent(trx, {
        schoolId: input.schoolId,
        recordId: id,
        removedBy: input.actor.personId,
      })
      if (!done) {
        skipped.push(id)
        continue
      }
      await removeFromDueList(trx, input.schoolId, recordKind, id)
      await recordAudit(trx, {
        action: 'retention.record-removed',
        subjectType: 'record',
        subjectId: id,
        actorId: input.actor.personId,
        organisationId: input.actor.organisationId,
        schoolId: input.schoolId,
        ip: input.actor.ip ?? null,
        detail: {
          kind: recordKind,
          contentHash: done.contentHash,
          sessionId: done.sessionId,
          dueOn: j.verdict.dueOn,
          childProtection: j.facts.childProtection,
        },
      })
      removed.push(id)
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
