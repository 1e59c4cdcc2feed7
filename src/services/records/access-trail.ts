/**
 * The access trail (X-06, issue 16): every opening, printing or export of a record's content is
 * in the audit log (recordOpened, recordsSeen), and here it is read back: a school's whole trail for
 * its DSL, and for anyone, who opened the records of the sessions they took part in.
 */
import {
  schoolsOfRecords,
  type TrailRow,
  type TrailScope,
  type TrailSort,
  trailOpeners,
  trailPage,
} from '../../db/repositories/access-trail.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { addDays } from '../../domain/calendar/dates.ts'
import { londonToInstant } from '../../domain/calendar/london.ts'
import type { ListQuery, ListSpec } from '../../domain/lists/list-query.ts'
import { recordAudit } from '../audit.ts'
import { policyBooks } from '../policy/on-date.ts'
import type { RecordActor } from './records.ts'

export type { TrailScope, TrailSort }

export const trailListSpec: ListSpec<TrailSort> = {
  sorts: ['when', 'who', 'session'],
  defaultDirection: { when: 'desc', who: 'asc', session: 'desc' },
  filters: ['person', 'record', 'from', 'to'],
}

/** How a record was read, in words (the audit entry's `format`). */
export const trailFormatLabels: Readonly<Record<string, string>> = {
  page: 'Opened the record',
  pdf: 'Printed or downloaded the record (PDF)',
  sign: 'Opened the record to sign it',
  preparation: 'Opened the preparation for the session',
  session: 'Saw the session’s preparation or carried-forward items',
  transfers: 'Saw its decisions in the list of decisions to record on children’s files',
  actions: 'Saw its actions in their list of actions',
  export: 'Exported the record',
}

export interface TrailEntry extends TrailRow {
  what: string
  sessionTypeName: string
}

export async function accessTrail(
  db: DbOrTrx,
  scope: TrailScope,
  query: ListQuery<TrailSort>,
): Promise<{ total: number; entries: TrailEntry[] }> {
  const page = await trailPage(db, scope, {
    ...query,
    fromInstant: query.from ? londonToInstant(query.from, '00:00') : null,
    toInstant: query.to ? londonToInstant(addDays(query.to, 1), '00:00') : null,
  })
  const bookOf = policyBooks(db)
  const entries: TrailEntry[] = []
  for (const row of page.rows) {
    entries.push({
      ...row,
      what: trailFormatLabels[row.format ?? ''] ?? (row.subjectType === 'record' ? 'Opened the record' : 'Opened'),
      sessionTypeName: (await bookOf(row.schoolId)).typeName(row.sessionTypeId, row.sessionDate),
    })
  }
  return { total: page.total, entries }
}

/** The people who opened anything in the school's trail (the DSL's "who" filter). */
export function trailPeople(db: DbOrTrx, scope: { organisationId: string; schoolId: string }) {
  return trailOpeners(db, { kind: 'school', ...scope })
}

/**
 * records whose content a list showed (their decisions, their actions): one audit entry per
 * record, in one transaction, so the trail names every record read this way.
 */
export async function recordsSeen(
  db: DbOrTrx,
  input: { recordIds: readonly string[]; actor: RecordActor; format: 'transfers' | 'actions' },
): Promise<void> {
  const schools = await schoolsOfRecords(db, input.actor.organisationId, input.recordIds)
  if (schools.size === 0) return
  await db.transaction().execute(async (trx) => {
    for (const [recordId, schoolId] of schools) {
      await recordAudit(trx, {
        action: 'record.open',
        subjectType: 'record',
        subjectId: recordId,
        actorId: input.actor.personId,
        organisationId: input.actor.organisationId,
        schoolId,
        detail: { format: input.format },
        ip: input.actor.ip ?? null,
      })
    }
  })
}
