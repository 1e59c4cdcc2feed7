/** What every scheduling page needs: who is asking, which school, today, and the lists forms choose from. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { renderClientError } from '../../plugins/errors.ts'
import type { SessionActor } from '../../services/sessions/booking.ts'
import type { SchoolRef } from '../../services/sessions/context.ts'
import { ownSupervisees, superviseeChoices } from '../../services/sessions/context.ts'
import { isUuid } from '../../services/staff/repository.ts'
import { supervisionCandidates } from '../../services/staff/supervision.ts'
import { rolesFor } from '../school-scope.ts'

export function actorOf(req: FastifyRequest): SessionActor {
  const person = req.session!.person
  return { personId: person.id, roles: person.roles, name: person.name }
}

/** The signed-in person as an actor in one school: beyond their reach, without their roles. */
export function actorIn(req: FastifyRequest, schoolId: string): SessionActor {
  return { ...actorOf(req), roles: rolesFor(req, schoolId) }
}

export { schoolsOf } from '../../services/staff/repository.ts'
export { schoolFor, schoolQuery, withQuery } from '../school-scope.ts'

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
      : [c.jobTitle, c.schoolId !== school.id ? c.schoolName : null].filter((x) => x).join(', ')
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
