/**
 * Issue 12: a password reset must take as long for an unknown address as for a known one, so its
 * timing does not tell whether someone has an account. Times `requestPasswordReset` for a known and
 * an unknown address, interleaved, on an in-memory PGlite, and prints both medians and their ratio.
 * (The test in test/integration/security-accounts.test.ts checks the same statements run; this
 * only measures.)
 *
 *   node bench/password-reset.bench.ts [runs]
 */
import { openPglite } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { requestPasswordReset, setUpOrganisation } from '../src/services/auth/accounts.ts'
import { anOrganisation } from '../test/builders/organisation.ts'

const runs = Number(process.argv[2] ?? 200)
const handle = await openPglite()
try {
  await migrateToLatest(handle.db)
  const organisation = anOrganisation()
  const admin = organisation.adminEmail
  await setUpOrganisation(handle.db, organisation)
  const times = { known: [] as number[], unknown: [] as number[] }
  // Each request two hours after the last, from its own address, so no throttle ever answers early.
  let at = Date.parse('2026-11-02T09:00:00Z')
  for (let i = 0; i < runs + 20; i++) {
    for (const kind of i % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) {
      at += 2 * 3600_000
      const email = kind === 'known' ? admin : `nobody.${i}@oakfield.example`
      const start = performance.now()
      await requestPasswordReset(
        handle.db,
        { email, ip: `198.51.${i % 250}.${kind === 'known' ? 1 : 2}`, baseUrl: 'http://localhost' },
        new Date(at),
      )
      if (i >= 20) times[kind].push(performance.now() - start)
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const known = median(times.known)
  const unknown = median(times.unknown)
  console.log(`password reset, median of ${runs}: known ${known.toFixed(2)} ms, unknown ${unknown.toFixed(2)} ms`)
  console.log(`ratio unknown/known: ${(unknown / known).toFixed(2)}`)
} finally {
  await handle.close()
}
