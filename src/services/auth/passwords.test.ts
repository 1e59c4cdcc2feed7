import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashPassword, verifyPassword } from './passwords.ts'

test('a password is kept as an Argon2id hash with OWASP’s parameters (19 MiB, 2 passes, 1 lane), and checks', async () => {
  const stored = await hashPassword('correct staple horse battery')
  assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  assert.equal(await verifyPassword(stored, 'correct staple horse battery'), true)
  assert.equal(await verifyPassword(stored, 'correct staple horse batter'), false)
  assert.equal(await verifyPassword(null, 'correct staple horse battery'), false)
})
