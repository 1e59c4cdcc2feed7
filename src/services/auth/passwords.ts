/** Password hashing (Argon2id, OWASP parameters) and the common-password list. */
import fs from 'node:fs'
import path from 'node:path'
import { type Algorithm, hash, verify } from '@node-rs/argon2'
import { type PasswordContext, passwordProblem } from '../../domain/auth/password-policy.ts'
import { projectRoot } from '../../root.ts'

// Argon2id (Algorithm.Argon2id is a const enum, which erasable TypeScript cannot read): OWASP's
// minimum of 19 MiB memory, 2 iterations, 1 lane.
const ARGON2ID = 2 as Algorithm
const options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

// Verified against when the email is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hash('haven-timing-equaliser', options)
  try {
    const ok = await verify(stored ?? (await dummyHash), password)
    return stored !== null && ok
  } catch {
    return false
  }
}

let common: Set<string> | undefined

/** The shipped list of common and breached passwords (src/domain/auth/common-passwords.txt). */
export function isCommonPassword(password: string): boolean {
  if (!common) {
    const text = fs.readFileSync(path.join(projectRoot, 'src/domain/auth/common-passwords.txt'), 'utf8')
    common = new Set(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.toLowerCase()),
    )
  }
  return common.has(password.toLowerCase())
}

export function commonPasswordCount(): number {
  isCommonPassword('')
  return common!.size
}

export function newPasswordProblem(password: string, context: PasswordContext = {}): string | null {
  return passwordProblem(password, isCommonPassword, context)
}
