/**
 * Who supervises or line-manages whom, and changes to it with their handovers (LH-05, LH-07,
 * CA-12). person.line_manager_id is the current line manager; supervision_assignment keeps the
 * history of both kinds (a change ends the current row and starts a new one). Every change here
 * keeps the two in step, records a handover between the outgoing and incoming person, and writes
 * an audit entry, in one transaction.
 */

import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  bumpVersion,
  type CandidateQuery,
  candidates,
  currentAssignment,
  currentSupervisees as currentSuperviseesIn,
  findPerson,
  insertHandovers,
  isCandidate,
  moveAssignments,
  namesOf,
  organisationOfPerson,
  reportingLines,
  setEndDate,
} from '../../db/repositories/staff/index.ts'
import { currentKindAssignmentsOf, replaceKindAssignment } from '../../db/repositories/supervision-kinds.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { findLineManagementLoop } from '../../domain/people/person-rules.ts'
import { effectiveDateProblem, type SupervisionKind } from '../../domain/people/supervision.ts'
import { handoverNoteRequired } from '../../domain/policy/practice.ts'
import { recordAudit } from '../audit.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { policyBook } from '../policy/on-date.ts'

export { moveAssignments }

export interface Candidate {
  id: string
  name: string
  jobTitle: string
  schoolId: string | null
  schoolName: string | null
  externalOrganisation: string | null
}

/**
 * Who may be chosen as someone's line manager or supervisor: people of the same school who have
 * not left; people of the trust's other schools in a leadership or safeguarding role; and, as
 * supervisors only, external supervisors (CA-12). Line managers are never external.
 */
export async function supervisionCandidates(
  db: DbOrTrx,
  q: CandidateQuery & { excludeIds?: readonly string[] },
): Promise<Candidate[]> {
  const rows = await candidates(db, q, (q.excludeIds ?? []).filter(isUuid), 2000)
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    jobTitle: r.jobTitle,
    schoolId: r.schoolId,
    schoolName: r.schoolName,
    externalOrganisation: r.employmentType === 'external' ? (r.externalOrganisation ?? 'External') : null,
  }))
}

export async function isSupervisionCandidate(
  db: DbOrTrx,
  q: CandidateQuery & { candidateId: string },
): Promise<boolean> {
  if (!isUuid(q.candidateId)) return false
  return isCandidate(db, q, q.candidateId)
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
  const graph = (await reportingLines(db, organisationId)).map((r) => ({
    id: r.id,
    lineManagerId: changes.has(r.id) ? changes.get(r.id)! : r.lineManagerId,
  }))
  return findLineManagementLoop(graph)
}

function loopMessage(loop: readonly string[], names: ReadonlyMap<string, string>): string {
  const chain = [...loop, loop[0]!].map((id) => names.get(id) ?? 'someone')
  return `That would make a loop of line managers: ${chain.join(' reports to ')}. Choose someone else`
}

/**
 * LH-07: whether handing someone to a new line manager or supervisor needs a handover note: always
 * for a supervisor; for a line manager, when the school's policy asks for a handover.
 */
export async function handoverNoteNeeded(
  db: DbOrTrx,
  schoolId: string | null,
  kind: SupervisionKind,
  today: IsoDate,
): Promise<boolean> {
  if (kind !== 'line-manager') return true
  const policy = schoolId ? (await policyBook(db, schoolId)).on(today) : null
  return handoverNoteRequired(policy)
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
    const stored = await findPerson(trx, input.organisationId, input.superviseeId, { forUpdate: true })
    if (!stored) return { ok: false, kind: 'not-found' }
    const { person } = stored
    const current = await currentAssignment(trx, input.organisationId, person.id, input.kind)
    const outgoing = input.kind === 'line-manager' ? person.lineManagerId : (current?.supervisorId ?? null)
    const field = 'supervisorId'
    const what = input.kind === 'line-manager' ? 'line manager' : 'supervisor'
    if (input.supervisorId !== null) {
      if (input.supervisorId === person.id)
        return { ok: false, kind: 'field', field, message: `A person cannot be their own ${what}` }
      if (input.supervisorId === outgoing)
        return { ok: false, kind: 'field', field, message: `They already have this ${what}. Choose someone else` }
      const allowed = await isSupervisionCandidate(trx, {
        organisationId: input.organisationId,
        schoolId: person.schoolId,
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
      current && current.supervisorId === outgoing ? current.startsOn : null,
    )
    if (dateProblem) return { ok: false, kind: 'field', field: 'effectiveOn', message: dateProblem }
    const handoverNeeded = outgoing !== null && input.supervisorId !== null
    // LH-07: a new line manager needs a handover note when the school's policy asks for one.
    const noteNeeded = handoverNeeded && (await handoverNoteNeeded(trx, person.schoolId, input.kind, input.today))
    const note = noteProblem(input.note, noteNeeded)
    if (note) return { ok: false, kind: 'field', field: 'note', message: note }
    if (input.kind === 'line-manager' && input.supervisorId !== null) {
      const loop = await loopAfter(trx, input.organisationId, new Map([[person.id, input.supervisorId]]))
      if (loop)
        return {
          ok: false,
          kind: 'field',
          field,
          message: loopMessage(loop, await namesOf(trx, input.organisationId, loop)),
        }
    }

    let handoverId: string | null = null
    if (handoverNeeded) {
      ;[handoverId = null] = await insertHandovers(trx, input.organisationId, [
        {
          schoolId: person.schoolId,
          fromPersonId: outgoing,
          toPersonId: input.supervisorId!,
          superviseeId: person.id,
          reason: 'change',
          note: input.note.trim(),
          recordedBy: input.actorId,
          effectiveOn: input.effectiveOn,
        },
      ])
    }
    await moveAssignments(trx, {
      organisationId: input.organisationId,
      superviseeIds: [person.id],
      kind: input.kind,
      supervisorId: input.supervisorId,
      on: input.effectiveOn,
      handoverId,
    })
    if (input.kind === 'supervisor') await bumpVersion(trx, input.organisationId, person.id)
    await recordAudit(trx, {
      action: input.kind === 'line-manager' ? 'staff.line-manager-changed' : 'staff.supervisor-changed',
      subjectType: 'person',
      subjectId: person.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: person.schoolId,
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
export async function currentSupervisees(
  db: DbOrTrx,
  personId: string,
  organisationId?: string,
): Promise<{ lineReports: string[]; supervised: string[] }> {
  // Callers that hold only the person's id (the sessions area, for now) are scoped by their organisation.
  const scope = organisationId ?? (await organisationOfPerson(db, personId))
  if (scope === null) return { lineReports: [], supervised: [] }
  return currentSuperviseesIn(db, scope, personId)
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
  const { lineReports, supervised } = await currentSuperviseesIn(trx, input.organisationId, input.fromPersonId)
  // Anything but an id from the list names nobody (and must never reach the query as a uuid).
  const to = isUuid(input.toPersonId)
    ? (await findPerson(trx, input.organisationId, input.toPersonId))?.person
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
        to?.employmentType === 'external' && lineReports.length > 0
          ? 'An external supervisor cannot be a line manager. Choose someone who works for the school or trust'
          : 'Select who takes them on from the list',
    }
  const changes = new Map(lineReports.map((id) => [id, id === input.toPersonId ? null : input.toPersonId]))
  const loop = await loopAfter(trx, input.organisationId, changes)
  if (loop)
    return {
      ok: false,
      field: 'toPersonId',
      message: loopMessage(loop, await namesOf(trx, input.organisationId, loop)),
    }
  const [handoverId] = await insertHandovers(trx, input.organisationId, [
    {
      schoolId: input.schoolId,
      fromPersonId: input.fromPersonId,
      toPersonId: input.toPersonId,
      superviseeId: null,
      reason: input.reason,
      note: input.note.trim(),
      recordedBy: input.actorId,
      effectiveOn: input.today,
    },
  ])
  const handover = { id: handoverId! }
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
  // Issue 14: whom they supervise in one kind of supervision moves with the handover too.
  const byKind = await currentKindAssignmentsOf(trx, input.organisationId, input.fromPersonId, 'supervisor')
  for (const assignment of byKind)
    await replaceKindAssignment(trx, {
      organisationId: input.organisationId,
      superviseeId: assignment.superviseeId,
      sessionTypeId: assignment.sessionTypeId,
      supervisorId: assignment.superviseeId === input.toPersonId ? null : input.toPersonId,
      on: input.today,
      recordedBy: input.actorId,
    })
  const everyone = [...lineReports, ...supervised, ...byKind.map((a) => a.superviseeId)]
  return { ok: true, handoverId: handover.id, count: new Set(everyone).size }
}

/** LH-07: someone stops supervising and line-managing: everyone goes to one incoming person, with a handover. */
export async function handOverSupervisees(db: Db, input: HandOverInput): Promise<SupervisionChangeResult> {
  if (!isUuid(input.fromPersonId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<SupervisionChangeResult> => {
    const from = (await findPerson(trx, input.organisationId, input.fromPersonId, { forUpdate: true }))?.person
    if (!from) return { ok: false, kind: 'not-found' }
    if (input.toPersonId === null)
      return { ok: false, kind: 'field', field: 'toPersonId', message: 'Select who takes them on from the list' }
    const note = noteProblem(input.note, true)
    if (note) return { ok: false, kind: 'field', field: 'note', message: note }
    const result = await handOverAll(trx, {
      ...input,
      toPersonId: input.toPersonId,
      schoolId: from.schoolId,
      reason: 'change',
    })
    if (!result.ok) return { ok: false, kind: 'field', field: result.field, message: result.message }
    await recordAudit(trx, {
      action: 'staff.handover',
      subjectType: 'person',
      subjectId: from.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: from.schoolId,
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
    const stored = await findPerson(trx, input.organisationId, input.personId, { forUpdate: true })
    if (!stored) return { ok: false, kind: 'not-found' }
    if (stored.version !== input.version) return { ok: false, kind: 'conflict' }
    const { person } = stored
    if (person.startDate !== null && input.endDate < person.startDate)
      return {
        ok: false,
        kind: 'field',
        field: 'endDate',
        message: 'End date must be the same as or after the start date',
      }
    const { lineReports, supervised } = await currentSuperviseesIn(trx, input.organisationId, person.id)
    const byKind = await currentKindAssignmentsOf(trx, input.organisationId, person.id, 'supervisor')
    let handoverId: string | null = null
    let count = 0
    if (lineReports.length + supervised.length + byKind.length > 0) {
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
        schoolId: person.schoolId,
        reason: 'leaving',
      })
      if (!result.ok) return { ok: false, kind: 'field', field: result.field, message: result.message }
      handoverId = result.handoverId
      count = result.count
    }
    await setEndDate(trx, input.organisationId, person.id, input.endDate)
    await recordAudit(trx, {
      action: 'staff.employment-ended',
      subjectType: 'person',
      subjectId: person.id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: person.schoolId,
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
          schoolId: person.schoolId,
          actorId: input.actorId,
          reason: 'left',
        },
        new Date(),
      )
    return { ok: true, handoverId }
  })
}
