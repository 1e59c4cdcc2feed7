/** The editor's task list: every section, with its problems counted. */
import type { FastifyInstance } from 'fastify'
import { problemsOf } from '../pages.ts'
import { sectionOfPath, sections } from '../sections.ts'
import type { EditorTarget } from '../target.ts'
import { contextFor, manage, viewBase } from './shared.ts'

export function taskListRoutes(app: FastifyInstance, target: EditorTarget): void {
  app.get<{ Querystring: { discarded?: string } }>(
    target.paths.edit.pattern,
    { config: manage },
    async (req, reply) => {
      const ctx = await contextFor(req, reply, target)
      if (!ctx) return
      const { copy } = ctx
      const problems = problemsOf(copy.document)
      const counted = sections.map((section) => ({
        section,
        count: problems.filter((p) => sectionOfPath(p.path) === section).length,
      }))
      // Every part of the policy has an editable section; the last is only for what belongs to none.
      const tasks = counted
        .filter(({ section, count }) => section.editable || count > 0)
        .map(({ section, count }) => ({
          title: { text: section.title },
          hint: { text: section.hint },
          href: target.paths.section({ section: section.id }),
          status:
            count > 0
              ? { tag: { text: count === 1 ? '1 problem' : `${count} problems`, classes: 'govuk-tag--red' } }
              : { text: 'No problems' },
        }))
      return reply.view('policy/views/editor/task-list.njk', {
        pageTitle: 'Edit the policy',
        ...viewBase(ctx),
        breadcrumbs: [{ text: target.indexText, href: target.paths.index() }],
        draft: copy.draft
          ? {
              basedOnVersion: copy.draft.basedOnVersion,
              updatedByName: copy.draft.updatedByName,
              updatedAt: copy.draft.updatedAt,
              stale: copy.draft.basedOnVersion < copy.latestVersion,
            }
          : null,
        latestVersion: copy.latestVersion,
        tasks,
        problemCount: problems.length,
        discarded: req.query.discarded === '1',
      })
    },
  )
}
