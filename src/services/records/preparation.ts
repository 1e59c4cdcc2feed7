/**
 * CA-06, LH-06: before a session the supervisee prepares: agenda items, the cases they want to
 * discuss and, when the policy names a preparation template, a case proforma for each case
 * (Cornerstone's genogram, background and Signs of Safety mapping). The supervisor sees it on the
 * record page. One preparation per supervisee per session, with a version for optimistic locking.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import type { EntryValues } from '../../domain/records/entry.ts'
import type { Template } from '../../domain/records/template.ts'
import { recordAudit } from '../audit.ts'
import { type DbOrTrx, isUuid } from '../staff/repository.ts'

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

export async function loadPreparation(db: DbOrTrx, sessionId: string, personId: string): Promise<Preparation | null> {
  if (!isUuid(sessionId) || !isUuid(personId)) return null
  const row = await db
    .selectFrom('record_preparation as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.person_id', 'p.name', 'r.content', 'r.version', 'r.updated_at'])
    .where('r.session_id', '=', sessionId)
    .where('r.person_id', '=', personId)
    .executeTakeFirst()
  if (!row) return null
  return {
    personId: row.person_id,
    personName: row.name,
    content: readPreparation(row.content),
    version: row.version,
    updatedAt: row.updated_at,
  }
}

/** Every supervisee's preparation for the session, with something in it. */
export async function preparationsOfSession(db: DbOrTrx, sessionId: string): Promise<Preparation[]> {
  if (!isUuid(sessionId)) return []
  const rows = await db
    .selectFrom('record_preparation as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.person_id', 'p.name', 'r.content', 'r.version', 'r.updated_at'])
    .where('r.session_id', '=', sessionId)
    .orderBy('p.name')
    .execute()
  return rows
    .map((row) => ({
      personId: row.person_id,
      personName: row.name,
      content: readPreparation(row.content),
      version: row.version,
      updatedAt: row.updated_at,
    }))
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
  const existing = await trx
    .selectFrom('record_preparation')
    .select(['version'])
    .where('session_id', '=', input.sessionId)
    .where('person_id', '=', input.actor.personId)
    .forUpdate()
    .executeTakeFirst()
  const currentVersion = existing?.version ?? 0
  if (currentVersion !== input.expectedVersion) {
    return { ok: false, conflict: true, current: await loadPreparation(trx, input.sessionId, input.actor.personId) }
  }
  const version = currentVersion + 1
  if (existing) {
    await trx
      .updateTable('record_preparation')
      .set({ content: JSON.stringify(input.content), version, updated_at: new Date() })
      .where('session_id', '=', input.sessionId)
      .where('person_id', '=', input.actor.personId)
      .execute()
  } else {
    await trx
      .insertInto('record_preparation')
      .values({
        school_id: input.actor.schoolId,
        session_id: input.sessionId,
        person_id: input.actor.personId,
        content: JSON.stringify(input.content),
        version,
      })
      .execute()
  }
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
    const before = (await loadPreparation(trx, input.sessionId, input.actor.personId))?.content ?? emptyPreparation()
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
    const before = await loadPreparation(trx, input.sessionId, input.actor.personId)
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
