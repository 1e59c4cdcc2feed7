/**
 * Configuration: every environment variable Haven reads, parsed once at start-up and frozen.
 * Nothing else in Haven reads process.env. A wrong value stops start-up with one line that names
 * the variable and says what it expects.
 */
import net from 'node:net'
import path from 'node:path'

/**
 * Which proxies' X-Forwarded-For and X-Forwarded-Proto Haven believes (issue 12): none, how many
 * hops in front of Haven, or the proxies' addresses and ranges. Never every address: a client
 * could then choose its own address and dodge the sign-in throttle and the rate limit.
 */
export type TrustProxy = false | number | readonly string[]

/**
 * The trustProxy option for Fastify. A hop count becomes a function trusting that many hops
 * nearest Haven (this Fastify treats a bare number as trusting no one).
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return [...trust]
}

export interface Config {
  readonly env: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly baseUrl: string
  readonly dataDir: string
  readonly databaseUrl: string | undefined
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly trustProxy: TrustProxy
  readonly sessionIdleMinutes: number
  readonly sessionAbsoluteHours: number
  readonly smtpUrl: string | undefined
  readonly mailFrom: string
  readonly schedulerIntervalSeconds: number
  /** Whether a started Haven works the governors' report out and renders its page, keeping nothing (ADR 0056). */
  readonly warmUp: boolean
  readonly shutdownTimeoutSeconds: number
  readonly enableTestRoutes: boolean
  /** Requests one address may make in a minute before it is answered 429 (a coarse ceiling against floods). */
  readonly rateLimitPerMinute: number
  /** Requests one API token may make in a minute before it is answered 429 (ADR 0035). */
  readonly apiRateLimitPerMinute: number
  /** The client secret Haven shows Microsoft or Google when signing someone in (ADR 0048); never stored in the database. */
  readonly oidcClientSecret: string | undefined
  /**
   * How long the trust rollup waits for an academy counted again after a change before it shows
   * the academy's kept figures, marked as being updated (ADR 0044).
   */
  readonly rollupWaitMs: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Record<string, string | undefined>

/** One row per variable: used by the parser and by the README table (keep them in step). */
export const configVariables = [
  { name: 'PORT', default: '3000', expects: 'a whole number from 1 to 65535' },
  { name: 'HOST', default: 'localhost', expects: 'a host name or IP address to listen on' },
  { name: 'BASE_URL', default: 'http://localhost:PORT', expects: 'the public URL, like https://haven.example.org' },
  { name: 'DATA_DIR', default: './data', expects: 'a directory for the embedded database' },
  { name: 'DATABASE_URL', default: '(none: embedded database)', expects: 'a URL like postgres://user@host:5432/haven' },
  { name: 'LOG_LEVEL', default: 'info', expects: 'one of fatal, error, warn, info, debug, trace, silent' },
  { name: 'NODE_ENV', default: 'development', expects: 'one of development, test, production' },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    expects:
      'false, how many proxies are in front of Haven (1 to 10; true means 1), or a comma-separated list of the proxies’ addresses or ranges like 10.0.0.0/8',
  },
  { name: 'SESSION_IDLE_MINUTES', default: '30', expects: 'a whole number of minutes from 1 to 1440' },
  { name: 'SESSION_ABSOLUTE_HOURS', default: '12', expects: 'a whole number of hours from 1 to 168' },
  { name: 'SMTP_URL', default: '(none: mail stays in the outbox)', expects: 'a URL like smtp://user:pass@host:587' },
  {
    name: 'MAIL_FROM',
    default: 'Haven <haven@localhost>',
    expects: 'an email sender, like Haven <haven@school.example>',
  },
  { name: 'SCHEDULER_INTERVAL_SECONDS', default: '60', expects: 'a whole number of seconds from 0 (off) to 3600' },
  { name: 'SHUTDOWN_TIMEOUT_SECONDS', default: '25', expects: 'a whole number of seconds from 1 to 600' },
  { name: 'ENABLE_TEST_ROUTES', default: 'false', expects: 'true or false (never true in production)' },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    default: '600',
    expects: 'a whole number of requests from 60 to 1000000',
  },
  {
    name: 'API_RATE_LIMIT_PER_MINUTE',
    default: '120',
    expects: 'a whole number of requests from 1 to 100000',
  },
  {
    name: 'OIDC_CLIENT_SECRET',
    default: '(none: no sign-in with Microsoft or Google)',
    expects: 'the client secret of Haven’s app registration at Microsoft or Google',
  },
  {
    name: 'ROLLUP_WAIT_MS',
    default: '100',
    expects: 'a whole number of milliseconds from 0 to 10000',
  },
  { name: 'WARM_UP', default: 'true', expects: 'true or false' },
] as const

function fail(name: string, expects: string, value: string): never {
  throw new ConfigError(`${name} must be ${expects} (got "${value}")`)
}

function expectsOf(name: (typeof configVariables)[number]['name']): string {
  return configVariables.find((v) => v.name === name)!.expects
}

function int(env: Env, name: (typeof configVariables)[number]['name'], fallback: number, min: number, max: number) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim())) fail(name, expectsOf(name), raw)
  const n = Number(raw.trim())
  if (n < min || n > max) fail(name, expectsOf(name), raw)
  return n
}

function bool(env: Env, name: (typeof configVariables)[number]['name'], fallback: boolean) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const v = raw.trim().toLowerCase()
  if (v === 'true' || v === '1' || v === 'yes') return true
  if (v === 'false' || v === '0' || v === 'no') return false
  return fail(name, expectsOf(name), raw)
}

/** The largest hop count: more proxies than this in a row is a mistake. */
const MAX_PROXY_HOPS = 10
/** Names proxy-addr (Fastify's trustProxy) knows for reserved ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = net.isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

function trustProxy(env: Env): TrustProxy {
  const raw = env.TRUST_PROXY
  const value = (raw ?? '').trim().toLowerCase()
  if (value === '' || value === 'false' || value === 'no' || value === '0') return false
  // `true` used to trust every address; now it trusts the one proxy in front of Haven.
  if (value === 'true' || value === 'yes') return 1
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (hops <= MAX_PROXY_HOPS) return hops
  } else {
    const entries = value.split(',').map((e) => e.trim())
    if (entries.every(isProxyAddress)) return Object.freeze(entries)
  }
  return fail('TRUST_PROXY', expectsOf('TRUST_PROXY'), raw ?? '')
}

function oneOf<T extends string>(
  env: Env,
  name: (typeof configVariables)[number]['name'],
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!(allowed as readonly string[]).includes(raw.trim())) fail(name, expectsOf(name), raw)
  return raw.trim() as T
}

function url(env: Env, name: (typeof configVariables)[number]['name'], protocols: string[]): string | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  try {
    const u = new URL(raw)
    if (!protocols.includes(u.protocol)) throw new Error('protocol')
    return raw
  } catch {
    // Never echo a URL back: it may hold a password.
    throw new ConfigError(`${name} must be ${expectsOf(name)}`)
  }
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = int(env, 'PORT', 3000, 1, 65535)
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development')
  const enableTestRoutes = bool(env, 'ENABLE_TEST_ROUTES', false)
  if (enableTestRoutes && nodeEnv === 'production') fail('ENABLE_TEST_ROUTES', expectsOf('ENABLE_TEST_ROUTES'), 'true')
  const host = (env.HOST ?? '').trim() || 'localhost'
  const baseUrl = url(env, 'BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`
  return Object.freeze({
    env: nodeEnv,
    host,
    port,
    baseUrl: baseUrl.replace(/\/$/, ''),
    dataDir: path.resolve(cwd, (env.DATA_DIR ?? '').trim() || './data'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    trustProxy: trustProxy(env),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 1440),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 168),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: (env.MAIL_FROM ?? '').trim() || 'Haven <haven@localhost>',
    schedulerIntervalSeconds: int(env, 'SCHEDULER_INTERVAL_SECONDS', 60, 0, 3600),
    shutdownTimeoutSeconds: int(env, 'SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 600),
    enableTestRoutes,
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 60, 1_000_000),
    apiRateLimitPerMinute: int(env, 'API_RATE_LIMIT_PER_MINUTE', 120, 1, 100_000),
    oidcClientSecret: (env.OIDC_CLIENT_SECRET ?? '').trim() || undefined,
    rollupWaitMs: int(env, 'ROLLUP_WAIT_MS', 100, 0, 10_000),
    warmUp: bool(env, 'WARM_UP', true),
  })
}

/** A configuration for tests: defaults, quiet logs, overridable. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // A file's tests often share a sign-in made in a top-level `before`, which runs when its test
  // process starts (one process runs many files): on a crowded machine that can be more than the
  // default 30 idle minutes before the file's last test. Tests of the idle limit set their own.
  return Object.freeze({
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    sessionIdleMinutes: 1440,
    // The trust rollup waits for a recount however slow a crowded machine makes it, so a test sees
    // the figures it made; the test of figures shown while counting sets 0 (ADR 0044).
    rollupWaitMs: 10_000,
    ...overrides,
  })
}
