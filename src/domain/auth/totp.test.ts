import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { base32Decode, base32Encode, hotp, totpCode, verifyTotp } from './totp.ts'

// RFC 6238 appendix B test vectors (SHA-1): secret "12345678901234567890", 8 digits.
const rfcSecret = new TextEncoder().encode('12345678901234567890')
const vectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
]

test('TOTP matches the RFC 6238 test vectors', () => {
  for (const [seconds, expected] of vectors) assert.equal(hotp(rfcSecret, Math.floor(seconds / 30), 8), expected)
})

test('base32 round-trips any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) =>
      assert.deepEqual(base32Decode(base32Encode(bytes)), bytes),
    ),
  )
})

test('a code is accepted one step either side of now, and never twice', () => {
  const secret = base32Encode(rfcSecret)
  const now = new Date('2026-11-23T10:00:15Z')
  const code = totpCode(secret, now)
  const step = verifyTotp(secret, code, now, null)
  assert.ok(step !== null)
  assert.equal(verifyTotp(secret, code, now, step), null, 'replay refused')
  assert.ok(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now, null) !== null)
  assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 90_000)), now, null), null)
  assert.equal(verifyTotp(secret, 'abcdef', now, null), null)
  assert.equal(verifyTotp(secret, '12345', now, null), null)
})
