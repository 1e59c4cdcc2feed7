import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  ApiScope,
  apiScopes,
  bearerToken,
  checkToken,
  grantableScopes,
  hasScope,
  isTokenFormat,
  shownPrefix,
  tokenFromBytes,
  tokenHash,
  tokenStatus,
} from './tokens.ts'

const bytes = new Uint8Array(32).map((_, i) => i * 7)
const token = tokenFromBytes(bytes)

test('a token is haven_ and 43 base64url characters, from 32 bytes', () => {
  assert.match(token, /^haven_[A-Za-z0-9_-]{43}$/)
  assert.ok(isTokenFormat(token))
  assert.throws(() => tokenFromBytes(new Uint8Array(16)))
  assert.equal(isTokenFormat(`${token}x`), false)
  assert.equal(isTokenFormat(token.replace('haven_', 'hvn_')), false)
  assert.equal(shownPrefix(token), token.slice(0, 10))
})

test('the hash kept is the SHA-256 of the token, never the token', () => {
  const hash = tokenHash(token)
  assert.match(hash, /^[0-9a-f]{64}$/)
  assert.notEqual(hash, token)
  assert.equal(tokenHash(token), hash)
  assert.notEqual(tokenHash(tokenFromBytes(new Uint8Array(32))), hash)
})

test('the bearer token is read from the Authorization header only in its own shape', () => {
  assert.equal(bearerToken(`Bearer ${token}`), token)
  assert.equal(bearerToken(`bearer ${token}`), token)
  assert.equal(bearerToken(undefined), null)
  assert.equal(bearerToken(`Basic ${token}`), null)
  assert.equal(bearerToken('Bearer not-a-token'), null)
  assert.equal(bearerToken(`Bearer ${token} extra`), null)
  assert.equal(bearerToken([`Bearer ${token}`]), null)
})

test('scopes: only what was given, unknown scopes grant nothing', () => {
  assert.ok(hasScope(['decisions:read'], ApiScope.DecisionsRead))
  assert.equal(hasScope(['decisions:read'], ApiScope.DecisionsAcknowledge), false)
  assert.equal(hasScope(['decisions:*'], ApiScope.DecisionsRead), false)
  assert.equal(hasScope([], ApiScope.ComplianceRead), false)
})

test('a person gives a token only the scopes they hold themselves', () => {
  assert.deepEqual(grantableScopes(new Set(['staff.manage'])), ['import:staff', 'import:pupils'])
  assert.deepEqual(grantableScopes(new Set(['compliance.read', 'records.read-all', 'staff.manage'])), [...apiScopes])
  assert.deepEqual(grantableScopes(new Set()), [])
})

test('a revoked or expired token is not a credential (401); a missing scope is refused (403)', () => {
  const good = { scopes: ['decisions:read'], expiresOn: '2026-12-31', revokedAt: null }
  assert.deepEqual(checkToken(good, ApiScope.DecisionsRead, '2026-12-31'), { ok: true })
  assert.equal(checkToken(null, ApiScope.DecisionsRead, '2026-12-01').ok, false)
  const expired = checkToken(good, ApiScope.DecisionsRead, '2027-01-01')
  assert.ok(!expired.ok && expired.status === 401)
  const revoked = checkToken({ ...good, revokedAt: new Date() }, ApiScope.DecisionsRead, '2026-12-01')
  assert.ok(!revoked.ok && revoked.status === 401)
  const scope = checkToken(good, ApiScope.DecisionsAcknowledge, '2026-12-01')
  assert.ok(!scope.ok && scope.status === 403 && /decisions:acknowledge/.test(scope.reason))
  assert.equal(tokenStatus({ expiresOn: null, revokedAt: null }, '2030-01-01'), 'active')
  assert.equal(tokenStatus({ expiresOn: '2026-01-01', revokedAt: null }, '2026-01-02'), 'expired')
})
