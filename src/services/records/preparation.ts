/**
 * CA-06, LH-06: before a session the supervisee prepares: agenda items, the cases they want to
 * discuss and, when the policy names a preparation template, a case proforma for each case
 * (Cornerstone's genogram, background and Signs of Safety mapping). The supervisor sees it on the
 * record page. One preparation per supervisee per session, with a version for optimistic locking.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  lockPreparationVersion,
  preparationOf,
  preparationsOf,
  type StoredPreparation,
  writePreparation,
} from '../../db/repositories/records/preparation.ts'
import type { EntryValues } from '../../domain/records/entry.ts'
import type { Template } from '../../domain/records/template.ts'
import { recordAudit } from '../audit.ts'

export interface PreparedCase {
  id: string
  kind: 'child' | 'family'
  name: string
  reference: string
  notes: string
  proforma: { template: Template; values: EntryValues; updatedAt: string } | null
}

export interface PreparationContent {
  agenda: { id: string; text: string }[]
  cases: PreparedCase[]
}

export interface Preparation {
  personId: string
  personName: string
  content: PreparationContent
  version: number
  updatedAt: Date | null
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : '')

export function readPreparation(raw: unknown): PreparationContent {
  const doc = isObject(raw) ? raw : {}
  const agenda = Array.isArray(doc['agenda']) ? doc['agenda'].filter(isObject) : []
  const cases = Array.isArray(doc['cases']) ? doc['cases'].filter(isObject) : []
  return {
    agenda: agenda.map((a) => ({ id: str(a['id']), text: str(a['text']) })),
    cases: cases.map((c) => {
      const p = c['proforma']
      return {
        id: str(c['id']),
        kind: c['kind'] === 'family' ? 'family' : 'child',
        name: str(c['name']),
        reference: str(c['reference']),
        notes: str(c['notes']),
        proforma:
          isObject(p) && isObject(p['template']) && isObject(p['values'])
            ? {
                template: p['template'] as unknown as Template,
                values: p['values'] as EntryValues,
                updatedAt: str(p['updatedAt']),
              }
            : null,
      }
    }),
  }
}

export const emptyPreparation = (): PreparationContent => ({ agenda: [], cases: [] })

const preparationFrom = (row: StoredPreparation): Preparation => ({ ...row, content: readPreparation(row.content) })

/** The person's preparation for one of the school's sessions. */
export async function loadPreparation(
  db: DbOrTrx,
  schoolId: string,
  sessionId: string,
  personId: string,
): Promise<Preparation | null> {
  const row = await preparationOf(db, schoolId, sessionId, personId)
  return row ? preparationFrom(row) : null
}

/** Every supervisee's preparation for one of the school's sessions, with something in it. */
export async function preparationsOfSession(db: DbOrTrx, schoolId: string, sessionId: string): Promise<Preparation[]> {
  return (await preparationsOf(db, schoolId, sessionId))
    .map(preparationFrom)
    .filter((p) => p.content.agenda.length > 0 || p.content.cases.length > 0)
}

export type SavePreparationResult =
  | { ok: true; version: number }
  | { ok: false; conflict: true; current: Preparation | null }

export interface PreparationActor {
  personId: string
  organisationId: string
  schoolId: string
  ip?: string | null
}

async function store(
  trx: DbOrTrx,
  input: {
    sessionId: string
    actor: PreparationActor
    expectedVersion: number
    content: PreparationContent
    what: string
  },
): Promise<SavePreparationResult> {
  const { schoolId, personId } = input.actor
  const existing = await lockPreparationVersion(trx, schoolId, input.sessionId, personId)
  const currentVersion = existing ?? 0
  if (currentVersion !== input.expectedVersion) {
    return { ok: false, conflict: true, current: await loadPreparation(trx, schoolId, input.sessionId, personId) }
  }
  const version = currentVersion + 1
  await writePreparation(trx, schoolId, {
    sessionId: input.sessionId,
    personId,
    content: input.content,
    version,
    existed: existing !== null,
    at: new Date(),
  })
  await recordAudit(trx, {
    action: 'record.prepare',
    subjectType: 'session',
    subjectId: input.sessionId,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: input.actor.schoolId,
    detail: { version, part: input.what },
    ip: input.actor.ip ?? null,
  })
  return { ok: true, version }
}

/** Saves agenda items and cases; proformas already filled in are kept with their case. */
export async function savePreparation(
  db: Db,
  input: {
    sessionId: string
    actor: PreparationActor
    expectedVersion: number
    agenda: string[]
    cases: Omit<PreparedCase, 'proforma'>[]
  },
): Promise<SavePreparationResult> {
  return db.transaction().execute(async (trx) => {
    const before =
      (await loadPreparation(trx, input.actor.schoolId, input.sessionId, input.actor.personId))?.content ??
      emptyPreparation()
    const known = new Map(before.cases.map((c) => [c.id, c]))
    const content: PreparationContent = {
      agenda: input.agenda.map((text, i) => ({ id: before.agenda[i]?.id ?? randomUUID(), text })),
      cases: input.cases.map((c) => {
        const prior = known.get(c.id)
        return { ...c, id: prior ? c.id : randomUUID(), proforma: prior?.proforma ?? null }
      }),
    }
    return store(trx, {
      sessionId: input.sessionId,
      actor: input.actor,
      expectedVersion: input.expectedVersion,
      content,
      what: 'agenda',
    })
  })
}

/** Saves the proforma of one case on the preparation template. */
export async function saveProforma(
  db: Db,
  input: {
    sessionId: string
    actor: PreparationActor
    expectedVersion: number
    caseId: string
    template: Template
    values: EntryValues
  },
): Promise<SavePreparationResult | { ok: false; missing: true }> {
  return db.transaction().execute(async (trx) => {
    const before = await loadPreparation(trx, input.actor.schoolId, input.sessionId, input.actor.personId)
    const target = before?.content.cases.find((c) => c.id === input.caseId)
    if (!before || !target) return { ok: false, missing: true } as const
    const content: PreparationContent = {
      ...before.content,
      cases: before.content.cases.map((c) =>
        c.id === input.caseId
          ? { ...c, proforma: { template: input.template, values: input.values, updatedAt: new Date().toISOString() } }
          : c,
      ),
    }
    return store(trx, {
      sessionId: input.sessionId,
      actor: input.actor,
      expectedVersion: input.expectedVersion,
      content,
      what: 'proforma',
    })
  })
}
