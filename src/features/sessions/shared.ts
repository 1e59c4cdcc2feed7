/**
 * What every scheduling page needs: today, the school, the session or request a page is about
 * (with what the signed-in person may do with it), the lists forms choose from, and the answers
 * shared by several pages (changed meanwhile, not allowed).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../db/database.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import { isUuid } from '../../domain/ids.ts'
import { managesSessions, mayViewRequest, sessionAbilities } from '../../domain/scheduling/index.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { policyBook } from '../../services/policy/on-date.ts'
import type { SessionActor } from '../../services/sessions/booking.ts'
import { ownSupervisees, type SchoolRef, superviseeChoices } from '../../services/sessions/context.ts'
import { rebookedFor, type SessionDetail, sessionInSchools } from '../../services/sessions/repository.ts'
import { loadRequest, type SessionRequest } from '../../services/sessions/requests.ts'
import { schoolsOf } from '../../services/staff/schools.ts'
import { supervisionCandidates } from '../../services/staff/supervision.ts'

export { schoolsOf } from '../../services/staff/schools.ts'
export { schoolFor, schoolPage, schoolQuery, withQuery } from '../school-scope.ts'

/** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
export function today(req: FastifyRequest): IsoDate {
  return londonDateOf(req.server.clock())
}

export interface FoundSession {
  session: SessionDetail
  school: SchoolRef
  abilities: ReturnType<typeof sessionAbilities>
}

/**
 * The session a page is about, among the schools of the person's organisation, when they may see
 * it. Beyond their reach, only a session's participants open it: a supervisor from another
 * school of the trust takes part; its DSL does not.
 */
export async function sessionFor(req: FastifyRequest, id: string): Promise<FoundSession | null> {
  const schools = await schoolsOf(req.server.db, req.actor!.organisationId)
  const session = await sessionInSchools(
    req.server.db,
    schools.map((s) => s.id),
    id,
  )
  if (!session) return null
  const school = schools.find((s) => s.id === session.schoolId) as SchoolRef
  const abilities = sessionAbilities(
    req.actor!.in(session.schoolId),
    {
      supervisorIds: session.supervisors.map((p) => p.id),
      superviseeIds: session.supervisees.map((p) => p.id),
      status: session.status,
      date: session.date,
      rebooked: rebookedFor(session) !== null,
    },
    today(req),
  )
  if (!abilities.view) return null
  return { session, school, abilities }
}

export interface FoundRequest {
  request: SessionRequest
  school: SchoolRef
  actor: SessionActor
}

/** The request a page is about; as with sessions, beyond their reach only the one who asked and the supervisor asked see it. */
export async function requestFor(req: FastifyRequest, id: string): Promise<FoundRequest | null> {
  const schools = await schoolsOf(req.server.db, req.actor!.organisationId)
  const request = await loadRequest(
    req.server.db,
    schools.map((s) => s.id),
    req.actor!,
    id,
  )
  if (!request) return null
  const actor = req.actor!.in(request.schoolId)
  const parties = { requesterId: request.requester.id, supervisorId: request.supervisor?.id ?? null }
  if (!mayViewRequest(actor, parties)) return null
  return { request, school: schools.find((s) => s.id === request.schoolId) as SchoolRef, actor }
}

export interface Option {
  value: string
  text: string
}

/** Supervisors a form offers: the staff pages' candidates (the school, the trust's leaders, external supervisors). */
export async function supervisorOptions(db: Db, school: SchoolRef, on: IsoDate): Promise<Option[]> {
  const candidates = await supervisionCandidates(db, {
    organisationId: school.organisationId,
    schoolId: school.id,
    kind: 'supervisor',
    today: on,
  })
  return candidates.map((c) => {
    const where = c.externalOrganisation
      ? `external: ${c.externalOrganisation}`
      : [c.jobTitle, c.schoolId === null ? "trust's central team" : c.schoolId !== school.id ? c.schoolName : null]
          .filter((x) => x)
          .join(', ')
    return { value: c.id, text: where ? `${c.name} (${where})` : c.name }
  })
}

/**
 * Supervisees a form offers: for people who manage sessions, the school's staff who have not left;
 * for a supervisor, the people they supervise or line-manage; and anyone already chosen.
 */
export async function superviseeOptions(
  db: Db,
  school: SchoolRef,
  actor: SessionActor,
  manages: boolean,
  on: IsoDate,
  include: readonly string[] = [],
): Promise<Option[]> {
  const own = manages ? null : await ownSupervisees(db, actor.personId)
  const wanted = [...(own ?? []), ...include].filter((id) => isUuid(id))
  const people = await superviseeChoices(db, school.organisationId, school.id, {
    allOfSchool: manages,
    on,
    alsoIds: wanted,
  })
  return people.map((p) => ({ value: p.id, text: p.jobTitle ? `${p.name} (${p.jobTitle})` : p.name }))
}

/**
 * What a form choosing people offers (booking, unplanned supervision): the policy on today's date
 * (ADR 0021), the supervisors and the supervisees to choose from (with `include` kept).
 */
export async function peopleChoices(req: FastifyRequest, school: SchoolRef, include: readonly string[]) {
  const db = req.server.db
  const actor = req.actor!
  const on = today(req)
  const policy = (await policyBook(db, school.id)).on(on)
  const [supervisors, supervisees] = await Promise.all([
    supervisorOptions(db, school, on),
    superviseeOptions(db, school, actor, managesSessions(actor), on, include),
  ])
  return { on, policy, supervisors, supervisees }
}

/** A select's items: a blank first choice, then the options, the chosen one selected. */
export function selectItems(
  options: readonly Option[],
  selected: string,
  blank: string,
): { value: string; text: string; selected: boolean }[] {
  return [
    { value: '', text: blank, selected: selected === '' },
    ...options.map((o) => ({ ...o, selected: o.value === selected })),
  ]
}

/** Today as a date input's hint writes it ("5 3 2027"). */
export function exampleDate(date: IsoDate): string {
  const [y, m, d] = date.split('-')
  return `${Number(d)} ${Number(m)} ${y}`
}

export function renderConflict(reply: FastifyReply, link: { href: string; text: string }) {
  return reply.code(409).view('sessions/views/message.njk', {
    pageTitle: 'This has changed since you opened it',
    heading: 'This has changed since you opened it',
    paragraphs: ['Someone else changed it while you were working. Nothing you sent has been saved.'],
    link,
  })
}

export function renderForbidden(reply: FastifyReply, paragraph: string) {
  return renderClientError(reply, 403, { heading: 'You cannot do that', paragraphs: [paragraph] })
}

/** A change to a session refused: not found, changed meanwhile, or not allowed now. */
export function changeFailure(
  req: FastifyRequest,
  reply: FastifyReply,
  kind: 'conflict' | 'not-found' | 'forbidden' | 'confirm',
  sessionId: string,
) {
  if (kind === 'not-found') return renderNotFound(req, reply)
  if (kind === 'conflict')
    return renderConflict(reply, { href: paths.sessions.show({ id: sessionId }), text: 'See the session as it is now' })
  return renderForbidden(
    reply,
    'This session cannot be changed in that way now. Go back to the session to see what you can do.',
  )
}
