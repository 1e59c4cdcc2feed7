import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { generateTotpSecret, TOTP_STEP_SECONDS, totpCode, totpStep, totpUri, verifyTotp } from './totp.ts'

// RFC 6238 appendix B test vectors (SHA-1): secret "12345678901234567890" (base32 below), 8 digits.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const vectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
]

test('TOTP matches the RFC 6238 test vectors', () => {
  for (const [seconds, expected] of vectors) assert.equal(totpCode(rfcSecret, new Date(seconds * 1000), 8), expected)
})

test('a new secret is 20 random bytes in base32, and its codes verify', () => {
  const a = generateTotpSecret()
  const b = generateTotpSecret()
  assert.match(a, /^[A-Z2-7]{32}$/)
  assert.notEqual(a, b)
  const at = new Date('2026-11-23T10:00:15Z')
  assert.equal(verifyTotp(a, totpCode(a, at), at, null), totpStep(at))
})

test('a code is accepted one step either side of now, and never twice', () => {
  const secret = rfcSecret
  const now = new Date('2026-11-23T10:00:15Z')
  const code = totpCode(secret, now)
  const step = verifyTotp(secret, code, now, null)
  assert.ok(step !== null)
  assert.equal(verifyTotp(secret, code, now, step), null, 'replay refused')
  assert.ok(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now, null) !== null)
  assert.ok(verifyTotp(secret, totpCode(secret, new Date(now.getTime() + 30_000)), now, null) !== null)
  assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 90_000)), now, null), null)
  assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() + 90_000)), now, null), null)
  assert.equal(verifyTotp(secret, 'abcdef', now, null), null)
  assert.equal(verifyTotp(secret, '12345', now, null), null)
  assert.equal(verifyTotp(secret, '1234567', now, null), null)
  assert.equal(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null), step, 'spaces as apps show them')
})

test('a code for any moment verifies then, once, and a step used later refuses it', () => {
  fc.assert(
    fc.property(fc.integer({ min: 60, max: 4_000_000_000 }), fc.integer({ min: 0, max: 5 }), (seconds, later) => {
      const at = new Date(seconds * 1000)
      const step = verifyTotp(rfcSecret, totpCode(rfcSecret, at), at, null)
      assert.equal(step, Math.floor(seconds / TOTP_STEP_SECONDS))
      assert.equal(verifyTotp(rfcSecret, totpCode(rfcSecret, at), at, step + later), null)
    }),
  )
})

test('the otpauth URI names Haven and the account, with the secret', () => {
  const uri = new URL(totpUri(rfcSecret, 'amira.khan@oakfield.example'))
  assert.equal(`${uri.protocol}//${uri.host}`, 'otpauth://totp')
  assert.equal(decodeURIComponent(uri.pathname), '/Haven:amira.khan@oakfield.example')
  assert.equal(uri.searchParams.get('secret'), rfcSecret)
  assert.equal(uri.searchParams.get('issuer'), 'Haven')
})
