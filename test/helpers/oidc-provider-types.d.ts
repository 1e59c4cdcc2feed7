/**
 * The little of oidc-provider's API the test provider uses (the package ships no types, and
 * @types/oidc-provider is not installed). Kept to what test/helpers/oidc-provider.ts calls.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface KoaContext {
    path: string
    body: unknown
    oidc: {
      provider: Provider
      client?: { clientId: string }
      session?: { accountId?: string }
    }
  }

  interface Grant {
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  interface Configuration {
    clients: Record<string, unknown>[]
    jwks: { keys: Record<string, unknown>[] }
    pkce?: { required: () => boolean }
    features?: Record<string, { enabled: boolean }>
    interactions?: { url: (ctx: KoaContext, interaction: { uid: string }) => string }
    claims?: Record<string, string[] | null>
    conformIdTokenClaims?: boolean
    findAccount: (
      ctx: KoaContext,
      id: string,
    ) => Promise<{ accountId: string; claims: () => Promise<Record<string, unknown>> }>
    loadExistingGrant?: (ctx: KoaContext) => Promise<Grant | undefined>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration)
    Grant: new (init: {
      clientId: string
      accountId: string
    }) => Grant
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
  }
}
