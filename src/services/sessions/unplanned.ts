/**
 * CA-01, LH-06, AM-02: recording supervision that was not planned (a crisis, a corridor
 * conversation, a drop-in, an ad hoc decision) after it happened: a held session marked unplanned,
 * with what was raised as separate items carried forward to the supervisee's next formal session.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import { insertItems, insertSession, lockBookings } from '../../db/repositories/sessions/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import {
  BookingField,
  type BookingProblem,
  type BookingRequest,
  checkBooking,
  mayBook,
  unplannedTypes,
} from '../../domain/scheduling/index.ts'
import { recordAudit } from '../audit.ts'
import { queueUnplannedDecisions } from '../children/decisions.ts'
import { policyBook } from '../policy/on-date.ts'
import type { SessionActor } from './booking.ts'
import { bookablePeople, gridContext, ownSupervisees, type SchoolRef } from './context.ts'

export const itemLimit = 2000
export const maxItems = 30

export interface UnplannedInput {
  school: SchoolRef
  actor: SessionActor
  request: BookingRequest
  /** Issues raised, one per item. */
  issues: readonly string[]
  /** Decisions reached (LH-06: a decision about a child must also reach the child's record). */
  decisions: readonly string[]
  formProblems?: readonly { field: string; message: string }[]
  today: IsoDate
  /** The app's clock: when the session was recorded (its decisions are queued from then). */
  now: Date
}

export type UnplannedResult =
  | { ok: true; sessionId: string }
  | { ok: false; problems: { field: string; message: string }[] }

const order = [
  'typeId',
  'superviseeIds',
  'supervisorIds',
  'date',
  'startTime',
  'durationMinutes',
  'issues',
  'decisions',
]

export async function recordUnplanned(db: Db, input: UnplannedInput): Promise<UnplannedResult> {
  const { school, actor, request, today } = input
  return db.transaction().execute(async (trx): Promise<UnplannedResult> => {
    await lockBookings(trx, school.organisationId)
    const policy = (await policyBook(trx, school.id)).on(request.date ?? today)
    const [people, grid, own] = await Promise.all([
      bookablePeople(trx, school, today),
      gridContext(trx, school.organisationId),
      ownSupervisees(trx, actor.personId),
    ])
    const problems: { field: string; message: string }[] = [...(input.formProblems ?? [])]
    if (policy && request.typeId !== '' && !unplannedTypes(policy).some((t) => t.id === request.typeId))
      problems.push({ field: BookingField.Type, message: 'Select the type of supervision' })
    const checked = checkBooking(request, {
      policy,
      today,
      people,
      existing: [],
      grid,
      recordingPast: true,
      placeOptional: true,
      timeOptional: true,
    })
    if (!checked.ok)
      problems.push(...checked.problems.map((p: BookingProblem) => ({ field: p.field, message: p.message })))
    const permission = mayBook(actor, request, own, (id) => people.get(id)?.name ?? 'Someone')
    if (!permission.allowed) problems.push({ field: BookingField.Supervisees, message: permission.message })
    const issues = input.issues.map((t) => t.trim()).filter((t) => t !== '')
    const decisions = input.decisions.map((t) => t.trim()).filter((t) => t !== '')
    if (issues.length + decisions.length === 0)
      problems.push({ field: 'issues', message: 'Enter what was raised, one issue on each line' })
    if (issues.some((t) => t.length > itemLimit))
      problems.push({
        field: 'issues',
        message: `Each issue must be ${itemLimit.toLocaleString('en-GB')} characters or fewer`,
      })
    if (decisions.some((t) => t.length > itemLimit))
      problems.push({
        field: 'decisions',
        message: `Each decision must be ${itemLimit.toLocaleString('en-GB')} characters or fewer`,
      })
    if (issues.length + decisions.length > maxItems)
      problems.push({ field: 'issues', message: `Enter up to ${maxItems} issues and decisions in all` })
    if (problems.length > 0 || !checked.ok) {
      const rank = (f: string) => (order.includes(f) ? order.indexOf(f) : order.length)
      return { ok: false, problems: problems.sort((a, b) => rank(a.field) - rank(b.field)) }
    }

    const sessionId = await insertSession(trx, {
      schoolId: school.id,
      typeId: checked.type.id,
      date: request.date as IsoDate,
      startTime: request.startTime,
      durationMinutes: request.durationMinutes,
      venue: null,
      onlineLink: null,
      status: 'held',
      unplanned: true,
      rebooksSessionId: null,
      createdBy: actor.personId,
      supervisorIds: request.supervisorIds,
      superviseeIds: request.superviseeIds,
    })
    const items = [
      ...issues.map((text) => ({ kind: 'issue' as const, text })),
      ...decisions.map((text) => ({ kind: 'decision' as const, text })),
    ]
    await insertItems(
      trx,
      school.id,
      request.superviseeIds.flatMap((personId) =>
        items.map((item, position) => ({
          personId,
          kind: item.kind,
          text: item.text,
          sourceSessionId: sessionId,
          position,
          createdBy: actor.personId,
        })),
      ),
    )
    // LH-06, X-07: the decisions also join the DSL's queue for the child's record (issue 15).
    await queueUnplannedDecisions(trx, {
      organisationId: school.organisationId,
      schoolId: school.id,
      sessionId,
      date: request.date as IsoDate,
      typeName: checked.type.name,
      people: [...request.supervisorIds, ...request.superviseeIds].map((id) => ({ name: people.get(id)?.name ?? '' })),
      decisions: decisions.map((text) => ({ id: randomUUID(), text })),
      policy,
      now: input.now,
    })
    await recordAudit(trx, {
      action: 'session.unplanned-recorded',
      subjectType: 'session',
      subjectId: sessionId,
      actorId: actor.personId,
      organisationId: school.organisationId,
      schoolId: school.id,
      detail: {
        typeId: checked.type.id,
        date: request.date,
        supervisorIds: [...request.supervisorIds],
        superviseeIds: [...request.superviseeIds],
        issues: issues.length,
        decisions: decisions.length,
      },
    })
    return { ok: true, sessionId }
  })
}
