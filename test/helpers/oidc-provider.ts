/**
 * A real OpenID provider for tests (issue 18 item 2, ADR 0048): oidc-provider on 127.0.0.1 at a
 * random port, with one confidential client (Haven) that must use PKCE. Whoever "signs in" at the
 * provider is set by `signInAs`; the login step itself is skipped (the provider finishes its
 * interaction at once), as is consent. `tamper` rewrites the next ID token the token endpoint
 * returns (re-signed with the provider's own key), to test what Haven refuses: a wrong audience,
 * an expired token.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import Provider from 'oidc-provider'

export interface ProviderAccount {
  sub: string
  claims: Record<string, unknown>
  /** Authentication methods the provider reports (["pwd", "mfa"] for a second factor). */
  amr?: string[]
}

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** Paths the provider was asked for, in order (to see discovery happen). */
  requests: string[]
  signInAs(account: ProviderAccount): void
  tamper(change: ((claims: JWTPayload) => JWTPayload) | null): void
  /** Follows the provider's redirects from Haven's authorization URL to Haven's callback URL. */
  authorize(authorizationUrl: string): Promise<URL>
  close(): Promise<void>
}

export async function startTestProvider(options: { redirectUri: string }): Promise<TestProvider> {
  const clientId = 'haven-test'
  const clientSecret = 'a-client-secret-for-tests-only-0123456789'
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }
  let account: ProviderAccount = { sub: 'nobody', claims: {} }
  let change: ((claims: JWTPayload) => JWTPayload) | null = null
  const requests: string[] = []

  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // amr with openid: in the ID token whenever the login reported it, as Entra puts it.
    claims: {
      openid: ['sub', 'hd', 'tid', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Claims asked for by scope go in the ID token too, as Microsoft and Google put them.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, ...account.claims }) }),
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
  })
  provider.use(async (ctx, next) => {
    requests.push(ctx.path)
    await next()
    const body = ctx.body as { id_token?: string } | undefined
    if (change && ctx.path === '/token' && body?.id_token) {
      const claims = change(decodeJwt(body.id_token))
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey)
    }
  })
  const handle = provider.callback()
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      // The person signs in at once as `account`.
      void provider
        .interactionFinished(
          req,
          res,
          { login: { accountId: account.sub, ...(account.amr ? { amr: account.amr } : {}) } },
          { mergeWithLastSubmission: false },
        )
        .catch((error: unknown) => {
          res.statusCode = 500
          res.end(String(error))
        })
      return
    }
    handle(req, res)
  })

  return {
    issuer,
    clientId,
    clientSecret,
    requests,
    signInAs(next) {
      account = next
    },
    tamper(next) {
      change = next
    },
    async authorize(authorizationUrl) {
      const cookies = new Map<string, string>()
      let url = new URL(authorizationUrl)
      for (let hop = 0; hop < 10; hop++) {
        if (url.href.startsWith(options.redirectUri)) return url
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        })
        for (const c of res.headers.getSetCookie()) {
          const [pair = ''] = c.split(';')
          const eq = pair.indexOf('=')
          cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
        }
        const location = res.headers.get('location')
        if (!location) throw new Error(`The provider answered ${res.status} without a redirect: ${await res.text()}`)
        url = new URL(location, url)
      }
      throw new Error('Too many redirects at the provider')
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
