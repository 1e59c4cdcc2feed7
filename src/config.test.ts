import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, configVariables, loadConfig } from './config.ts'

test('defaults give a working embedded setup on port 3000', () => {
  const c = loadConfig({}, '/srv/haven')
  assert.equal(c.port, 3000)
  assert.equal(c.dataDir, '/srv/haven/data')
  assert.equal(c.databaseUrl, undefined)
  assert.equal(c.sessionIdleMinutes, 30)
  assert.equal(c.sessionAbsoluteHours, 12)
  assert.ok(Object.isFrozen(c))
})

test('PORT=abc is refused with a message naming PORT', () => {
  assert.throws(
    () => loadConfig({ PORT: 'abc' }),
    (e: unknown) => e instanceof ConfigError && /^PORT must be/.test(e.message),
  )
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
})

test('each variable is validated with its own name in the message', () => {
  const bad: Record<string, string> = {
    LOG_LEVEL: 'loud',
    NODE_ENV: 'staging',
    TRUST_PROXY: 'maybe',
    SESSION_IDLE_MINUTES: '0',
    SESSION_ABSOLUTE_HOURS: 'x',
    DATABASE_URL: 'mysql://x',
    SMTP_URL: 'http://x',
    BASE_URL: 'ftp://x',
    SCHEDULER_INTERVAL_SECONDS: '-1',
  }
  for (const [name, value] of Object.entries(bad)) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith(name),
      name,
    )
  }
})

test('issue 12: TRUST_PROXY names the proxies to trust, never every address; true means one proxy', () => {
  assert.equal(loadConfig({}).trustProxy, false)
  for (const off of ['false', 'no', '0', ' ']) assert.equal(loadConfig({ TRUST_PROXY: off }).trustProxy, false, off)
  // Trusting everything would let a client choose its own address with X-Forwarded-For.
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, 1)
  assert.equal(loadConfig({ TRUST_PROXY: 'YES' }).trustProxy, 1)
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy, ['10.0.0.0/8'])
  assert.deepEqual(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 192.168.1.0/24 ,fd00::/8,::1,loopback' }).trustProxy, [
    '10.0.0.5',
    '192.168.1.0/24',
    'fd00::/8',
    '::1',
    'loopback',
  ])
  for (const bad of ['maybe', '11', '10.0.0.0/33', '10.0.0', 'fd00::/129', '10.0.0.1,', 'proxy.example', '1.5', '-1']) {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: bad }),
      (e: unknown) => e instanceof ConfigError && /^TRUST_PROXY must be false, /.test(e.message),
      bad,
    )
  }
})

test('URLs that may hold passwords are never echoed in errors', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'mysql://user:secret@host/db' }),
    (e: unknown) => !(e as Error).message.includes('secret'),
  )
})

test('test routes can never be enabled in production', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', ENABLE_TEST_ROUTES: 'true' }), /ENABLE_TEST_ROUTES/)
})

test('every variable is documented in the README table', async () => {
  const { readFileSync } = await import('node:fs')
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  for (const v of configVariables) assert.match(readme, new RegExp('`' + v.name + '`'), v.name)
})
