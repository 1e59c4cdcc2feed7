/** First run: with no organisation yet, Haven leads here to create the organisation, school and first administrator. */
import type { FastifyPluginAsync } from 'fastify'
import { field, formErrors, noErrors } from '../../forms/errors.ts'
import { listPacks } from '../../packs/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { organisationExists, SetupAlreadyDoneError, setUpOrganisation } from '../../services/auth/accounts.ts'
import { newPasswordProblem } from '../../services/auth/passwords.ts'
import { setupProblems } from './forms.ts'

const setupRoutes: FastifyPluginAsync = async (app) => {
  app.get('/setup', { config: { access: 'public' } }, async (req, reply) => {
    if (await organisationExists(app.db)) return renderNotFound(req, reply)
    return reply.view('setup/views/setup.njk', {
      pageTitle: 'Set up Haven',
      values: { organisationKind: 'single-school', region: 'england-and-wales' },
      packs: listPacks(),
      errors: noErrors,
    })
  })

  app.post('/setup', { config: { access: 'public' } }, async (req, reply) => {
    if (await organisationExists(app.db)) return renderNotFound(req, reply)
    const body = req.body
    const values = {
      organisationKind: field(body, 'organisationKind'),
      organisationName: field(body, 'organisationName'),
      schoolName: field(body, 'schoolName'),
      schoolSlug: field(body, 'schoolSlug'),
      region: field(body, 'region'),
      adminName: field(body, 'adminName'),
      adminEmail: field(body, 'adminEmail'),
      password: field(body, 'password', { trim: false }),
      alsoDsl: field(body, 'alsoDsl') === 'yes',
      packId: field(body, 'packId'),
    }
    const passwordProblem = newPasswordProblem(values.password, { email: values.adminEmail, name: values.adminName })
    const { data, pairs } = setupProblems(values, passwordProblem)
    if (!data) {
      return reply.code(400).view('setup/views/setup.njk', {
        pageTitle: 'Set up Haven',
        values: { ...values, password: '' },
        packs: listPacks(),
        errors: formErrors(pairs),
      })
    }
    try {
      await setUpOrganisation(app.db, data)
    } catch (error) {
      if (error instanceof SetupAlreadyDoneError) return renderNotFound(req, reply)
      throw error
    }
    return reply.redirect('/sign-in?setup=done')
  })
}

export default setupRoutes
