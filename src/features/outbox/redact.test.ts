import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { REDACTED, redactSecrets } from './redact.ts'

const token = 'Qm9vdHN0cmFwLXRva2VuLXRoYXQtaXMtNDMtY2hhcnM'

test('invitation and password-reset links lose their token; the rest of the email is kept', () => {
  const text = `Dear Ben,\n\nUse this link:\nhttps://haven.example/invitation/${token}\n\nThanks`
  assert.equal(
    redactSecrets(text),
    `Dear Ben,\n\nUse this link:\nhttps://haven.example/invitation/${REDACTED}\n\nThanks`,
  )
  assert.equal(
    redactSecrets(`(https://haven.example/password-reset/${token}).`),
    `(https://haven.example/password-reset/${REDACTED}).`,
  )
  assert.equal(redactSecrets(`webcal://haven.example/feeds/${token}.ics`), `webcal://haven.example/feeds/${REDACTED}`)
})

test('a short or oddly written token after a single-use path is removed too', () => {
  assert.equal(redactSecrets('http://x/invitation/abc'), `http://x/invitation/${REDACTED}`)
  assert.equal(redactSecrets('http://x/INVITATION/abc?x=1'), `http://x/INVITATION/${REDACTED}`)
  assert.doesNotMatch(redactSecrets(`http://x/a?next=%2Fpassword-reset%2F${token}`), new RegExp(token))
})

test('a bare long token anywhere is removed; ids and ordinary words are kept', () => {
  assert.equal(redactSecrets(`code: ${token}`), `code: ${REDACTED}`)
  const id = '0b5e7c1e-8d2a-4f5b-9a1c-2e3f4a5b6c7d'
  assert.equal(redactSecrets(`https://haven.example/sessions/${id}`), `https://haven.example/sessions/${id}`)
  assert.equal(redactSecrets('Supervision on Monday 2 November'), 'Supervision on Monday 2 November')
})

test('no token of Haven’s kind survives redaction, whatever surrounds it', () => {
  const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)
  fc.assert(
    fc.property(fc.string(), base64url, fc.string(), (before, secret, after) => {
      assert.ok(!redactSecrets(`${before}${secret}${after}`).includes(secret))
    }),
  )
})
