/**
 * Whose policy the editor edits (issue 14, ADR 0041): a school's, or its trust's. The same pages,
 * forms and rules serve both; a target says where its pages are, whose draft they work on (with
 * who may open them), and which versions the draft is compared with before publishing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { PolicyDocument } from '../../../domain/policy/index.ts'
import { type EditorPaths, policy as policyPaths } from '../../../paths/policy.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import type { DraftScope } from '../../../services/policy/drafts.ts'
import { policyBook } from '../../../services/policy/on-date.ts'
import { currentSchool } from '../school.ts'

export interface EditorOwner {
  /** Shown above each page's heading: the school's or the trust's name. */
  name: string
  scope: DraftScope
}

export interface EditorTarget {
  paths: EditorPaths
  /** The first breadcrumb, naming the policy's own page. */
  indexText: string
  /** Said on the publish page about whom a published version reaches, beyond the owner's own staff. */
  reachNote?: string
  /** Whose draft, for this request; null when the answer (not found, refused) has been sent. */
  ownerOf(req: FastifyRequest, reply: FastifyReply): Promise<EditorOwner | null>
  /** The owner's versions on a date and the latest, to show what the draft changes. */
  versions(
    req: FastifyRequest,
    owner: EditorOwner,
  ): Promise<{ on(day: string): PolicyDocument | null; latest: PolicyDocument | null }>
}

/** The school's own policy: the editor as it always was. */
export const schoolTarget: EditorTarget = {
  paths: policyPaths,
  indexText: 'Policy',
  async ownerOf(req, reply) {
    const school = await currentSchool(req)
    if (!school) {
      await renderNotFound(req, reply)
      return null
    }
    return {
      name: school.name,
      scope: { schoolId: school.id, organisationId: school.organisationId, actorId: req.actor!.personId },
    }
  },
  async versions(req, owner) {
    const book = await policyBook(req.server.db, owner.scope.schoolId!)
    return { on: (day) => book.on(day), latest: book.latest }
  },
}
