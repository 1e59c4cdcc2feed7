/**
 * Security headers (ASVS V14): a Content-Security-Policy with per-response nonces and no
 * 'unsafe-inline', no framing, no MIME sniffing, a strict referrer policy, and no caching of
 * anything but static assets.
 */
import helmet from '@fastify/helmet'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

const securityHeaders: FastifyPluginAsync<{ https: boolean }> = async (app, opts) => {
  await app.register(helmet, {
    global: true,
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: opts.https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  })
  app.addHook('onRequest', async (_req, reply) => {
    // helmet adds the nonce to script-src and style-src for this response.
    reply.locals.cspNonce = reply.cspNonce.script
  })
  app.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith('/public/') && !req.url.startsWith('/assets/')) {
      reply.header('Cache-Control', 'no-store')
      reply.header('Pragma', 'no-cache')
    }
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
  })
}

export default fp(securityHeaders, { name: 'security-headers', dependencies: ['view'] })
