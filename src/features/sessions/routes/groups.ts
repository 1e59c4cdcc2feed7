/** CA-05: the school's standing supervision groups: who leads each, who is in it, and booking a meeting of it. */
import type { FastifyInstance } from 'fastify'
import { mayBookAny } from '../../../domain/scheduling/index.ts'
import { paths } from '../../../paths/index.ts'
import { ownSupervisees } from '../../../services/sessions/context.ts'
import { groupsOf } from '../../../services/sessions/groups.ts'
import { namesOf } from '../presenters.ts'
import { schoolFor, schoolPage, schoolQuery, today, withQuery } from '../shared.ts'

export function groupsRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { school?: string } }>(
    paths.sessions.groups.pattern,
    { config: { access: 'signed-in' } },
    schoolPage(schoolFor, async (req, reply, found) => {
      const { school, schools } = found
      const actor = req.actor!
      const groups = await groupsOf(app.db, school, today(req))
      const canBook = mayBookAny(actor.in(school.id), (await ownSupervisees(app.db, actor.personId)).size)
      const sq = schoolQuery(school, schools)
      return reply.view('sessions/views/groups.njk', {
        pageTitle: 'Supervision groups',
        backLink: { href: paths.sessions.index(sq), text: 'Your sessions' },
        school,
        groups: groups.map((g) => ({
          id: g.id,
          name: g.name,
          description: g.description,
          typeName: g.typeName,
          frequency: g.frequency,
          ledBy: g.ledBy,
          leaders: g.leaders.length > 0 ? namesOf(g.leaders) : null,
          members:
            g.members === null
              ? 'Chosen for each meeting'
              : g.members.length > 0
                ? namesOf(g.members)
                : `No one yet (${g.membersDescription})`,
          bookHref: canBook ? withQuery(paths.sessions.book({ group: g.id }), sq) : null,
        })),
      })
    }),
  )
}
