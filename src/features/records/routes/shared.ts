/**
 * What every records page shares: who may open a record or a session (domain/access/records.ts
 * decides), the record or session with its policy, and the refusals.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type RecordedBy, type RecordRole, type RecordViewer, recordRoleOf } from '../../../domain/access/records.ts'
import { londonDateOf } from '../../../domain/calendar/london.ts'
import type { PolicyDocument } from '../../../domain/policy/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { formatDate } from '../../../presenters/format.ts'
import { policyBook } from '../../../services/policy/on-date.ts'
import { partiesOf, type SessionInfo, sessionForRecord } from '../../../services/records/context.ts'
import type { Preparation } from '../../../services/records/preparation.ts'
import type { RecordActor } from '../../../services/records/records.ts'
import { type LoadedRecord, recordInOrganisation } from '../../../services/records/store.ts'
import type { FormParticipant } from '../forms.ts'

export const signedIn = { access: 'signed-in' as const }

/** Today in London, by the app's clock. */
export function today(app: { clock: () => Date }): string {
  return londonDateOf(app.clock())
}

/** Who is looking: the request's actor (every records route is for signed-in people). */
export function viewerOf(req: FastifyRequest): RecordViewer {
  return req.actor!
}

/** Who is changing a record, with the address the request came from (for the audit log). */
export function actorOf(req: FastifyRequest): RecordActor {
  const { personId, name, organisationId } = req.actor!
  return { personId, name, organisationId, ip: req.ip }
}

export function participantsOf(session: SessionInfo): FormParticipant[] {
  return session.participants.map((p) => ({ personId: p.personId, name: p.name, role: p.role }))
}

export function forbidden(reply: FastifyReply) {
  return renderClientError(reply, 403, {
    heading: 'You do not have permission to see this page',
    paragraphs: [
      'Only the people who took part in a supervision session and the designated safeguarding lead can open its record.',
    ],
  })
}

export const notRecordableText =
  'The session did not take place: it was cancelled, postponed or not attended, so there is nothing to record. If it was rebooked, start the record from the new session.'

export function notRecordable(reply: FastifyReply) {
  return renderClientError(reply, 409, {
    heading: 'A record cannot be started for this session',
    paragraphs: [notRecordableText],
  })
}

export const roleWords: Record<RecordRole, string> = {
  supervisor: 'supervisor',
  supervisee: 'supervisee',
  dsl: 'designated safeguarding lead',
  recorder: 'person who completes the record',
}

/** A record with everything the pages need about its session and policy. */
export interface RecordContext {
  record: LoadedRecord
  session: SessionInfo
  policy: PolicyDocument | null
  role: RecordRole
  recordedBy: RecordedBy
}

export async function recordContext(
  req: FastifyRequest,
  recordId: string,
): Promise<RecordContext | 'missing' | 'forbidden'> {
  const db = req.server.db
  const organisationId = req.actor!.organisationId
  const record = await recordInOrganisation(db, organisationId, recordId)
  if (!record) return 'missing'
  const session = await sessionForRecord(db, organisationId, record.sessionId)
  if (!session) return 'missing'
  const role = recordRoleOf(viewerOf(req), partiesOf(session))
  if (role === null) return 'forbidden'
  const policy = (await policyBook(db, session.schoolId)).on(session.date)
  return { record, session, policy, role, recordedBy: policy?.recording.recordedBy ?? 'supervisor' }
}

export async function withRecord(
  req: FastifyRequest<{ Params: { recordId: string } }>,
  reply: FastifyReply,
  fn: (ctx: RecordContext) => Promise<unknown>,
) {
  const ctx = await recordContext(req, req.params.recordId)
  if (ctx === 'missing') return renderNotFound(req, reply)
  if (ctx === 'forbidden') return forbidden(reply)
  if (ctx.record.removedAt) return removedRecord(reply, ctx.record.removedAt)
  return fn(ctx)
}

/** Issue 15: a record whose content was removed under the retention policy: its date and hash only. */
export function removedRecord(reply: FastifyReply, removedAt: Date) {
  return renderClientError(reply, 410, {
    heading: 'This record has been removed',
    paragraphs: [
      `Its content was removed on ${formatDate(londonDateOf(removedAt))} under the school’s retention policy, as the designated safeguarding lead confirmed. The date of the session and the record’s content hash are kept.`,
    ],
  })
}

export function preparationView(p: Preparation, sessionId: string) {
  return {
    personName: p.personName,
    agenda: p.content.agenda,
    cases: p.content.cases.map((c) => ({
      ...c,
      proformaHref: c.proforma ? paths.records.preparedCase({ sessionId, personId: p.personId, caseId: c.id }) : null,
    })),
  }
}

export async function sessionContext(req: FastifyRequest, sessionId: string) {
  const session = await sessionForRecord(req.server.db, req.actor!.organisationId, sessionId)
  if (!session) return 'missing' as const
  const role = recordRoleOf(viewerOf(req), partiesOf(session))
  if (role === null) return 'forbidden' as const
  const policy = (await policyBook(req.server.db, session.schoolId)).on(session.date)
  return { session, role, policy }
}

export type SessionContext = Exclude<Awaited<ReturnType<typeof sessionContext>>, 'missing' | 'forbidden'>
