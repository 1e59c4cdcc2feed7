import assert from 'node:assert/strict'
import { test } from 'node:test'
import { passwordProblem } from './password-policy.ts'

const common = new Set(['password', 'qwerty', 'letmein', 'football', 'correcthorse'])
const isCommon = (p: string) => common.has(p)

test('passwords must be at least 12 characters, with no composition rules', () => {
  assert.equal(passwordProblem('', isCommon), 'Enter a password')
  assert.equal(passwordProblem('short pass', isCommon), 'Password must be 12 characters or more')
  assert.equal(passwordProblem('all lower case words here', isCommon), null)
  assert.equal(passwordProblem('x'.repeat(257), isCommon), 'Password must be 256 characters or fewer')
})

test('common passwords are refused, including with digits added or repeated', () => {
  for (const p of ['password1234', 'Football2026!', 'qwertyqwertyqwerty', '!!letmein!!!!']) {
    assert.match(passwordProblem(p, isCommon) ?? '', /list of common passwords/, p)
  }
  assert.match(passwordProblem('aaaaaaaaaaaaaa', isCommon) ?? '', /harder to guess/)
})

test('a password may not contain the person’s email name or name', () => {
  assert.match(
    passwordProblem('jane.smith-rocks-2026', isCommon, { email: 'jane.smith@school.example' }) ?? '',
    /email/,
  )
  assert.match(passwordProblem('xx Amira Khan xx', isCommon, { name: 'Amira Khan' }) ?? '', /name/)
})
