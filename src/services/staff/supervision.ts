/**
 * Who supervises or line-manages whom, and changes to it with their handovers (LH-05, LH-07,
 * CA-12). person.line_manager_id is the current line manager; supervision_assignment keeps the
 * history of both kinds (a change ends the current row and starts a new one). Every change here
 * keeps the two in step, records a handover between the outgoing and incoming person, and writes
 * an audit entry, in one transaction.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { findLineManagementLoop } from '../../domain/people/person-rules.ts'
import { effectiveDateProblem, type SupervisionKind } from '../../domain/people/supervision.ts'
import { recordAudit } from '../audit.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { type DbOrTrx, isUuid } from './repository.ts'

/** Roles that may supervise or line-manage across the schools of a trust (LH-05: "a DSL from another school of the trust"). */
const crossSchoolRoles = [
  'dsl',
  'deputy-dsl',
  'headteacher',
  'associate-headteacher',
  'line-manager',
  'education-lead',
  'external-supervisor',
]

export interface Candidate {
  id: string
  name: string
  jobTitle: string
  schoolId: string | null
  schoolName: string | null
  externalOrganisation: string | null
}

interface CandidateQuery {
  organisationId: string
  /** The school of the person being supervised. */
  schoolId: string | null
  kind: SupervisionKind
  today: IsoDate
}

/**
 * Who may be chosen as someone's line manager or supervisor: people of the same school who have
 * not left; people of the trust's other schools in a leadership or safeguarding role; and, as
 * supervisors only, external supervisors (CA-12). Line managers are never external.
 */
function candidatesQuery(db: DbOrTrx, q: CandidateQuery) {
  return db
    .selectFrom('person as p')
    .leftJoin('school as s', 's.id', 'p.school_id')
    .where('p.organisation_id', '=', q.organisationId)
    .where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', q.today)]))
    .where((eb) => {
      const external = eb('p.employment_type', '=', 'external')
      const sameSchool = q.schoolId === null ? eb.val(false) : eb('p.school_id', '=', q.schoolId)
      const leader = sql<boolean>`p.roles && array[${sql.join(crossSchoolRoles)}]::text[]`
      return q.kind === 'line-manager'
        ? eb.and([eb.not(external), eb.or([sameSchool, leader])])
        : eb.or([sameSchool, leader, external])
    })
}

export async function supervisionCandidates(
  db: DbOrTrx,
  q: CandidateQuery & { excludeIds?: readonly string[] },
): Promise<Candidate[]> {
  let query = candidatesQuery(db, q)
  const exclude = (q.excludeIds ?? []).filter(isUuid)
  if (exclude.length > 0) query = query.where('p.id', 'not in', exclude)
  const rows = await query
    .select([
      'p.id',
      'p.name',
      'p.job_title',
      'p.school_id',
      's.name as school_name',
      'p.employment_type',
      'p.external_organisation',
    ])
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(2000)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    jobTitle: r.job_title,
    schoolId: r.school_id,
    schoolName: r.school_name,
    externalOrganisation: r.employment_type === 'external' ? (r.external_organisation ?? 'External') : null,
  }))
}

export async function isSupervisionCandidate(
  db: DbOrTrx,
  q: CandidateQuery & { candidateId: string },
): Promise<boolean> {
  if (!isUuid(q.candidateId)) return false
  const row = await candidatesQuery(db, q).select('p.id').where('p.id', '=', q.candidateId).executeTakeFirst()
  return row !== undefined
}

export type SupervisionChangeResult =
  | { ok: true; handoverId: string | null }
  | { ok: false; kind: 'field'; field: string; message: string }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict' }

const noteLimit = 2000

function noteProblem(note: string, required: boolean): string | null {
  if (required && note.trim() === '') return 'Enter a handover note: what the incoming person needs to know'
  if (note.length > noteLimit) return `Handover note must be ${noteLimit.toLocaleString('en-GB')} characters or fewer`
  return null
}

/** The organisation's reporting lines with some changed, and the first loop they would make. */
async function loopAfter(db: DbOrTrx, organisationId: string, changes: ReadonlyMap<string, string | null>) {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'line_manager_id'])
    .where('organisation_id', '=', organisationId)
    .execute()
  const graph = rows.map((r) => ({
    id: r.id,
    lineManagerId: changes.has(r.id) ? changes.get(r.id)! : r.line_manager_id,
  }))
  return findLineManagementLoop(graph)
}

async function namesOf(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

function loopMessage(loop: readonly string[], names: ReadonlyMap<string, string>): string {
  const chain = [...loop, loop[0]!].map((id) => names.get(id) ?? 'someone')
  return `That would make a loop of line managers: ${chain.join(' reports to ')}. Choose someone else`
}

/**
 * Ends the current assignments of these supervisees (of one kind) and starts new ones with
 * `supervisorId` (none when null), effective `on`; keeps person.line_manager_id in step.
 */
export async function moveAssignments(
  trx: DbOrTrx,
  input: {
    organisationId: string
    superviseeIds: readonly string[]
    kind: SupervisionKind
    supervisorId: string | null
    on: IsoDate
    handoverId: string | null
    /** Whether moving a line report counts as a change to them (person.version); false when the caller already counted it. */
    bumpVersion?: boolean
  },
): Promise<void> {
  if (input.superviseeIds.length === 0) return
  for (let i = 0; i < input.superviseeIds.length; i += 500) {
    const ids = input.superviseeIds.slice(i, i + 500)
    await trx
      .updateTable('supervision_assignment')
      .set({ ends_on: sql`greatest(starts_on, ${input.on}::date)` })
      .where('supervisee_id', 'in', ids)
      .where('kind', '=', input.kind)
      .where('ends_on', 'is', null)
      .execute()
    const supervisorId = input.supervisorId
    if (supervisorId !== null) {
      const values = ids
        .filter((id) => id !== supervisorId)
        .map((id) => ({
          organisation_id: input.organisationId,
          supervisee_id: id,
          supervisor_id: supervisorId,
          kind: input.kind,
          starts_on: input.on,
          handover_id: input.handoverId,
        }))
      if (values.length > 0) await trx.insertInto('supervision_assignment').values(values).execute()
    }
    if (input.kind === 'line-manager')
      await trx
        .updateTable('person')
        .set({
          line_manager_id: sql<
            string | null
          >`case when id = ${supervisorId}::uuid then null else ${supervisorId}::uuid end`,
          version: input.bumpVersion === false ? sql`version` : sql`version + 1`,
          updated_at: sql`now()`,
        })
        .where('id', 'in', ids)
        .execute()
  }
}

export interface ChangeSupervisionInput {
  organisationId: string
  superviseeId: string
  kind: SupervisionKind
  /** The incoming line manager or supervisor, or null for none. */
  supervisorId: string | null
  effectiveOn: IsoDate
  note: string
  actorId: string
  today: IsoDate
}

/** LH-07: changes one person's line manager or supervisor, recording a handover from the outgoing one. */
export async function changeSupervision(db: Db, input: ChangeSupervisionInput): Promise<SupervisionChangeResult> {
  if (!isUuid(input.superviseeId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<SupervisionChangeResult> => {
    const person = await trx
      .selectFrom('person')
      .select(['id', 'name', 'school_id', 'line_manager_id', 'version'])
      .where('id', '=', input.superviseeId)
      .where('organisation_id', '=', input.organisationId)
      .forUpdate()
      .executeTakeFirst()
    if (!person) return { ok: false, kind: 'not-found' }
    const current = await trx
      .selectFrom('supervision_assignment')
      .select(['supervisor_id', 'starts_on'])
      .where('supervisee_id', '=', person.id)
      .where('kind', '=', input.kind)
      .where('ends_on', 'is', null)
      .executeTakeFirst()
    const outgoing = input.kind === 'line-manager' ? person.line_manager_id : (current?.supervisor_id ?? null)
    const field = 'supervisorId'
    const what = input.kind === 'line-manager' ? 'line manager' : 'supervisor'
    if (input.supervisorId !== null) {
      if (input.supervisorId === person.id)
        return { ok: false, kind: 'field', field, message: `A person cannot be their own ${what}` }
      if (input.supervisorId === outgoing)
        return { ok: false, kind: 'field', field, message: `They already have this ${what}. Choose someone else` }
      const allowed = await isSupervisionCandidate(trx, {
        organisationId: input.organisationId,
        schoolId: person.school_id,
        kind: input.kind,
        candidateId: input.supervisorId,
        today: input.today,
      })
      if (!allowed) return { ok: false, kind: 'field', field, message: `Select a ${what} from the list` }
    } else if (outgoing === null) {
      return { ok: false, kind: 'field', field, message: `Select a ${what} from the list` }
    }
    const dateProblem = effectiveDateProblem(
      input.effectiveOn,
      input.today,
      current && current.supervisor_id === outgoing ? current.starts_on : null,
    )
    if (dateProblem) return { ok: false, kind: 'field', field: 'effectiveOn', message: dateProblem }
    const handoverNeeded = outgoing !== null && input.supervisorId !== null
    const note = noteProblem(input.note, handoverNeeded)
    if (note) return { ok: false, kind: 'field', field: 'note', message: note }
    if (input.kind === 'line-manager' && input.supervisorId !== null) {
      const loop = await loopAfter(trx, input.organisationId, new Map([[person.id, input.supervisorId]]))
      if (loop) return { ok: false, kind: 'field', field, message: loopMessage(loop, await namesOf(trx, loop)) }
    }

    let handoverId: string | null = null
    if (handoverNeeded) {
      const handover = await trx
        .insertInto('handover')
        .values({
          organisation_id: input.organisationId,
          school_id: person.school_id,
          from_person_id: outgoing,
          to_person_id: input.supervisorId!,
          supervisee_id: person.id,
          reason: 'change',
          note: input.note.trim(),
          recorded_by: input.actorId,
          effective_on: input.effectiveOn,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      handoverId = handover.id
    }
    await moveAssignments(trx, {
      organisationId: input.organisationId,
      superviseeIds: [person.id],
      kind: input.kind,
      supervisorId: input.supervisorId,
      on: input.effectiveOn,
      handoverId,
    })
    if (input.kind === 'supervisor')
      await trx
        .updateTable('person')
        .set({ version: sql`version + 1`, updated_at: sql`now()` })
        .where('id', '=', person.id)
        .execute()
    await recordAudit(trx, {
      action: input.kind === 'line-manager' ? 'staff.line-manager-changed' : 'staff.supervisor-changed',
      subjectType: 'person',
      subjectId: person.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: person.school_id,
      detail: { fromPersonId: outgoing, toPersonId: input.supervisorId, handoverId },
    })
    return { ok: true, handoverId }
  })
}

export interface HandOverInput {
  organisationId: string
  fromPersonId: string
  toPersonId: string | null
  note: string
  actorId: string
  today: IsoDate
}

/** The people someone supervises or line-manages now, by kind. */
export async function currentSupervisees(db: DbOrTrx, personId: string) {
  const [lineReports, supervised] = await Promise.all([
    db.selectFrom('person').select('id').where('line_manager_id', '=', personId).execute(),
    db
      .selectFrom('supervision_assignment')
      .select('supervisee_id')
      .where('supervisor_id', '=', personId)
      .where('kind', '=', 'supervisor')
      .where('ends_on', 'is', null)
      .execute(),
  ])
  return { lineReports: lineReports.map((r) => r.id), supervised: supervised.map((r) => r.supervisee_id) }
}

/**
 * LH-07: hands all of someone's supervisees and line reports to one incoming person, from today,
 * with one handover record. The incoming person's own supervision by the outgoing one ends without
 * a replacement (nobody supervises themself): their page then asks for a new supervisor (LH-08).
 * Runs in the caller's transaction.
 */
async function handOverAll(
  trx: DbOrTrx,
  input: HandOverInput & { schoolId: string | null; reason: 'change' | 'leaving'; toPersonId: string },
): Promise<{ ok: true; handoverId: string; count: number } | { ok: false; field: string; message: string }> {
  const { lineReports, supervised } = await currentSupervisees(trx, input.fromPersonId)
  // Anything but an id from the list names nobody (and must never reach the query as a uuid).
  const to = isUuid(input.toPersonId)
    ? await trx
        .selectFrom('person')
        .select(['id', 'employment_type', 'school_id'])
        .where('id', '=', input.toPersonId)
        .executeTakeFirst()
    : undefined
  const kind = lineReports.length > 0 ? 'line-manager' : 'supervisor'
  const allowed =
    to !== undefined &&
    to.id !== input.fromPersonId &&
    (await isSupervisionCandidate(trx, {
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      kind,
      candidateId: input.toPersonId,
      today: input.today,
    }))
  if (!allowed)
    return {
      ok: false,
      field: 'toPersonId',
      message:
        to?.employment_type === 'external' && lineReports.length > 0
          ? 'An external supervisor cannot be a line manager. Choose someone who works for the school or trust'
          : 'Select who takes them on from the list',
    }
  const changes = new Map(lineReports.map((id) => [id, id === input.toPersonId ? null : input.toPersonId]))
  const loop = await loopAfter(trx, input.organisationId, changes)
  if (loop) return { ok: false, field: 'toPersonId', message: loopMessage(loop, await namesOf(trx, loop)) }
  const handover = await trx
    .insertInto('handover')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      from_person_id: input.fromPersonId,
      to_person_id: input.toPersonId,
      supervisee_id: null,
      reason: input.reason,
      note: input.note.trim(),
      recorded_by: input.actorId,
      effective_on: input.today,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [kindOf, ids] of [
    ['line-manager', lineReports],
    ['supervisor', supervised],
  ] as const) {
    await moveAssignments(trx, {
      organisationId: input.organisationId,
      superviseeIds: ids,
      kind: kindOf,
      supervisorId: input.toPersonId,
      on: input.today,
      handoverId: handover.id,
    })
  }
  return { ok: true, handoverId: handover.id, count: new Set([...lineReports, ...supervised]).size }
}

/** LH-07: someone stops supervising and line-managing: everyone goes to one incoming person, with a handover. */
export async function handOverSupervisees(db: Db, input: HandOverInput): Promise<SupervisionChangeResult> {
  if (!isUuid(input.fromPersonId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<SupervisionChangeResult> => {
    const from = await trx
      .selectFrom('person')
      .select(['id', 'school_id'])
      .where('id', '=', input.fromPersonId)
      .where('organisation_id', '=', input.organisationId)
      .forUpdate()
      .executeTakeFirst()
    if (!from) return { ok: false, kind: 'not-found' }
    if (input.toPersonId === null)
      return { ok: false, kind: 'field', field: 'toPersonId', message: 'Select who takes them on from the list' }
    const note = noteProblem(input.note, true)
    if (note) return { ok: false, kind: 'field', field: 'note', message: note }
    const result = await handOverAll(trx, {
      ...input,
      toPersonId: input.toPersonId,
      schoolId: from.school_id,
      reason: 'change',
    })
    if (!result.ok) return { ok: false, kind: 'field', field: result.field, message: result.message }
    await recordAudit(trx, {
      action: 'staff.handover',
      subjectType: 'person',
      subjectId: from.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: from.school_id,
      detail: { toPersonId: input.toPersonId, handoverId: result.handoverId, count: result.count },
    })
    return { ok: true, handoverId: result.handoverId }
  })
}

export interface EndEmploymentInput extends HandOverInput {
  personId: string
  version: number
  endDate: IsoDate
}

/**
 * LH-07: ends someone's employment on a date. When they supervise or line-manage anyone, choosing
 * who takes them on (and a handover note) is required; the handover takes effect today.
 */
export async function endEmployment(db: Db, input: EndEmploymentInput): Promise<SupervisionChangeResult> {
  if (!isUuid(input.personId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<SupervisionChangeResult> => {
    const person = await trx
      .selectFrom('person')
      .select(['id', 'school_id', 'start_date', 'version'])
      .where('id', '=', input.personId)
      .where('organisation_id', '=', input.organisationId)
      .forUpdate()
      .executeTakeFirst()
    if (!person) return { ok: false, kind: 'not-found' }
    if (person.version !== input.version) return { ok: false, kind: 'conflict' }
    if (person.start_date !== null && input.endDate < person.start_date)
      return {
        ok: false,
        kind: 'field',
        field: 'endDate',
        message: 'End date must be the same as or after the start date',
      }
    const { lineReports, supervised } = await currentSupervisees(trx, person.id)
    let handoverId: string | null = null
    let count = 0
    if (lineReports.length + supervised.length > 0) {
      if (input.toPersonId === null)
        return {
          ok: false,
          kind: 'field',
          field: 'toPersonId',
          message: 'Select who takes on the people they supervise or line-manage',
        }
      const note = noteProblem(input.note, true)
      if (note) return { ok: false, kind: 'field', field: 'note', message: note }
      const result = await handOverAll(trx, {
        ...input,
        fromPersonId: person.id,
        toPersonId: input.toPersonId,
        schoolId: person.school_id,
        reason: 'leaving',
      })
      if (!result.ok) return { ok: false, kind: 'field', field: result.field, message: result.message }
      handoverId = result.handoverId
      count = result.count
    }
    await trx
      .updateTable('person')
      .set({ end_date: input.endDate, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', person.id)
      .execute()
    await recordAudit(trx, {
      action: 'staff.employment-ended',
      subjectType: 'person',
      subjectId: person.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: person.school_id,
      detail: { handoverId, handedOver: count },
    })
    // Leaving now (an end date of today or before): signed out everywhere, links and calendar feed
    // stop working at once. A later end date takes effect on the day (sessions.ts, accounts.ts).
    if (employmentEnded(input.endDate, input.today))
      await revokeAndAudit(
        trx,
        {
          personId: person.id,
          organisationId: input.organisationId,
          schoolId: person.school_id,
          actorId: input.actorId,
          reason: 'left',
        },
        new Date(),
      )
    return { ok: true, handoverId }
  })
}
