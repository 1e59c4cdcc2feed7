/** Signing a contract (MW-02, X-05): the password again or a two-step code, then the signature. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { contractToSign, type SignRefusal, signContract } from '../../../services/contracts/signing.ts'
import { readStepUp, signStepUp } from '../../step-up.ts'
import { signFormSchema } from '../forms.ts'
import { viewFor } from './contract.ts'
import { canManage, signedIn, todayOf } from './shared.ts'

type Params = { Params: { id: string } }

async function renderSign(req: FastifyRequest<Params>, reply: FastifyReply, errors: FormErrors, status?: 400 | 429) {
  const view = await viewFor(req)
  if (!view) return renderNotFound(req, reply)
  const id = view.contract.id
  if (view.access.signAs === null) {
    if (view.contract.status === 'issued' || view.contract.status === 'signed')
      return reply.redirect(paths.contracts.show({ id }), 303)
    return renderNotFound(req, reply)
  }
  const context = {
    pageTitle: 'Sign the contract',
    backLink: { href: paths.contracts.show({ id }), text: 'Back to the contract' },
    contract: view.contract,
    supervisee: view.supervisee,
    supervisor: view.supervisor,
    signAs: view.access.signAs,
    twoStepEnabled: req.session!.twoStepEnabled,
  }
  if (status === 400) return renderInvalid(reply, 'contracts/views/sign.njk', context, errors)
  // Too many tries: the same page, saying when to try again.
  return reply.code(status ?? 200).view('contracts/views/sign.njk', { ...context, errors })
}

function refuseSigning(req: FastifyRequest, reply: FastifyReply, kind: SignRefusal['kind']) {
  switch (kind) {
    case 'changed':
      return renderClientError(reply, 409, {
        heading: 'This contract has changed',
        paragraphs: [
          'It was changed or replaced after you opened it, so it has not been signed. Read the contract again before you sign it.',
        ],
      })
    case 'not-yours':
      return renderClientError(reply, 403, {
        heading: 'You cannot sign this contract',
        paragraphs: [
          'Only the supervisee and the supervisor sign a contract, each once, while it is waiting for signatures.',
        ],
      })
    default:
      return renderNotFound(req, reply)
  }
}

const signRoutes: FastifyPluginAsync = async (app) => {
  app.get<Params>(paths.contracts.sign.pattern, { config: signedIn }, async (req, reply) =>
    renderSign(req, reply, noErrors),
  )

  app.post<Params>(paths.contracts.sign.pattern, { config: signedIn }, async (req, reply) => {
    const form = parseForm(signFormSchema, req.body)
    const input = {
      organisationId: req.actor!.organisationId,
      contractId: req.params.id,
      personId: req.actor!.personId,
      canManage: canManage(req),
      expectedHash: form.ok ? form.value.hash : '',
      // The instant of the signature is the real time (the test of signing checks it against the wall clock).
      now: new Date(),
      today: todayOf(req),
      baseUrl: app.config.baseUrl,
    }
    const read = readStepUp(req)
    if (!read.ok) return renderSign(req, reply, read.errors, read.status)
    // Asked before the step-up, so no code is used up on a contract that cannot be signed.
    const signable = await contractToSign(app.db, input)
    if (!signable.ok) return refuseSigning(req, reply, signable.kind)
    const step = await signStepUp(req, read.form, 'sign-contract', input.contractId)
    if (!step.ok) return renderSign(req, reply, step.errors, step.status)
    const result = await signContract(app.db, step.proof, input)
    if (!result.ok) return refuseSigning(req, reply, result.kind)
    return reply.redirect(
      paths.contracts.show({ id: req.params.id }, { done: result.complete ? 'in-force' : 'signed' }),
      303,
    )
  })
}

export default signRoutes
