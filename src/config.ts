/**
 * Configuration: every environment variable Haven reads, parsed once at start-up and frozen.
 * Nothing else in Haven reads process.env. A wrong value stops start-up with one line that names
 * the variable and says what it expects.
 */
import path from 'node:path'

export interface Config {
  readonly env: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly baseUrl: string
  readonly dataDir: string
  readonly databaseUrl: string | undefined
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly trustProxy: boolean
  readonly sessionIdleMinutes: number
  readonly sessionAbsoluteHours: number
  readonly smtpUrl: string | undefined
  readonly mailFrom: string
  readonly schedulerIntervalSeconds: number
  readonly shutdownTimeoutSeconds: number
  readonly enableTestRoutes: boolean
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
  { name: 'TRUST_PROXY', default: 'false', expects: 'true or false' },
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
    trustProxy: bool(env, 'TRUST_PROXY', false),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 1440),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 168),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: (env.MAIL_FROM ?? '').trim() || 'Haven <haven@localhost>',
    schedulerIntervalSeconds: int(env, 'SCHEDULER_INTERVAL_SECONDS', 60, 0, 3600),
    shutdownTimeoutSeconds: int(env, 'SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 600),
    enableTestRoutes,
  })
}

/** A configuration for tests: defaults, quiet logs, overridable. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), ...overrides })
}
