/**
 * The trust policy's editor (issue 14, ADR 0041): the school policy editor's pages and forms,
 * working on the trust's draft, for the trust's central team. Publishing makes a new trust version
 * with an effective date, checked with every academy's changes, after showing what it changes
 * against the trust version in force.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { reachesEverySchool } from '../../domain/access/schools.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { trustPolicyBook } from '../../services/policy/on-date.ts'
import { organisationOf } from '../../services/staff/schools.ts'
import type { EditorTarget } from '../policy/editor/routes.ts'

/** Only the trust's central team (or whoever reaches every school) edits the trust's policy. */
export function refuseUnlessTrustWide(req: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  if (reachesEverySchool(req.actor!)) return null
  return renderClientError(reply, 403, {
    heading: 'You do not have permission to see this page',
    paragraphs: ["The trust's policy is managed by the trust's central team."],
  })
}

export const trustTarget: EditorTarget = {
  paths: paths.trustPolicy.editor,
  indexText: 'Trust policy',
  reachNote:
    'It reaches every school that follows the trust policy from the date it takes effect, except for the rules a school has changed.',
  async ownerOf(req, reply) {
    if (refuseUnlessTrustWide(req, reply)) return null
    const organisationId = req.actor!.organisationId
    const organisation = await organisationOf(req.server.db, organisationId)
    if (organisation.kind !== 'trust') {
      await renderNotFound(req, reply)
      return null
    }
    return { name: organisation.name, scope: { schoolId: null, organisationId, actorId: req.actor!.personId } }
  },
  async versions(req, owner) {
    const book = await trustPolicyBook(req.server.db, owner.scope.organisationId)
    return { on: (day) => book.on(day), latest: book.latest }
  },
}
