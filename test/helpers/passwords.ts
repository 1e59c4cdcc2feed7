/**
 * Password hashes for the people the tests make. Haven checks a password against the parameters
 * stored in its hash, so a hash of the same kind (Argon2id) made with the least memory and one
 * pass lets the tests sign these people in for about a millisecond of CPU, where the OWASP
 * parameters Haven uses cost about 40 ms a time: several hundred sign-ins in each pass of the
 * integration tests and in the journeys (ADR 4). Every password Haven itself sets (set-up, an
 * invitation accepted, a reset, a change) still uses the OWASP parameters, which
 * src/services/auth/passwords.test.ts checks.
 */
import { type Algorithm, hash } from '@node-rs/argon2'

// Argon2id (a const enum that erasable TypeScript cannot read, as in passwords.ts).
const ARGON2ID = 2 as Algorithm

export function testPasswordHash(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 64, timeCost: 1, parallelism: 1 })
}
