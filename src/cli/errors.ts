/** A mistake in how a command was called: exits 2 with one line. */
export class UsageError extends Error {
  override name = 'UsageError'
}
