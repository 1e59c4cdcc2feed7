/** First run: with no organisation yet, Haven leads here to create the organisation, school and first administrator. */
import type { FastifyPluginAsync } from 'fastify'
import { datePartsFrom } from '../../forms/date-input.ts'
import { field, noErrors } from '../../forms/errors.ts'
import { renderInvalid } from '../../forms/form.ts'
import { listPacks } from '../../packs/index.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { organisationExists, SetupAlreadyDoneError, setUpOrganisation } from '../../services/auth/accounts.ts'
import { readSetupForm, setupFields } from './forms.ts'

const setupRoutes: FastifyPluginAsync = async (app) => {
  app.get(paths.setup.index.pattern, { config: { access: 'public' } }, async (req, reply) => {
    if (await organisationExists(app.db)) return renderNotFound(req, reply)
    return reply.view('setup/views/setup.njk', {
      pageTitle: 'Set up Haven',
      values: { organisationKind: 'single-school', region: 'england-and-wales' },
      packs: listPacks(),
      errors: noErrors,
    })
  })

  app.post(paths.setup.index.pattern, { config: { access: 'public' } }, async (req, reply) => {
    if (await organisationExists(app.db)) return renderNotFound(req, reply)
    const form = readSetupForm(req.body)
    if (!form.ok) {
      // What was typed, except the password.
      const values = {
        ...Object.fromEntries(
          setupFields.filter((name) => name !== 'password').map((name) => [name, field(req.body, name)]),
        ),
        alsoDsl: field(req.body, 'alsoDsl') === 'yes',
        approvedOn: datePartsFrom(req.body, 'approvedOn'),
        nextReviewDue: datePartsFrom(req.body, 'nextReviewDue'),
      }
      const page = { pageTitle: 'Set up Haven', values, packs: listPacks() }
      return renderInvalid(reply, 'setup/views/setup.njk', page, form.errors)
    }
    try {
      await setUpOrganisation(app.db, form.value, app.clock())
    } catch (error) {
      if (error instanceof SetupAlreadyDoneError) return renderNotFound(req, reply)
      throw error
    }
    return reply.redirect(paths.auth.signIn({ setup: 'done' }))
  })
}

export default setupRoutes
