/**
 * The evidence pack's manifest (issue 16, ADR 34): every file of the pack with its size and its
 * SHA-256 hash, so whoever receives it can show that nothing was changed or left out. The hashes
 * are worked out as each file is written (the service); this builds the manifest from them. Pure.
 */
import type { IsoDate } from '../calendar/index.ts'
import type { PackRange } from './files.ts'

export interface ManifestEntry {
  path: string
  bytes: number
  /** Lower-case hex. */
  sha256: string
}

export interface Manifest {
  pack: 'haven-evidence-pack'
  version: 1
  school: { name: string; slug: string }
  from: IsoDate
  to: IsoDate
  /** Whether the pack holds what was written in supervision records. */
  recordContent: boolean
  generatedAt: string
  files: ManifestEntry[]
}

export class ManifestError extends Error {
  override name = 'ManifestError'
}

/** The manifest of the files written, in the order written; refuses a path written twice or a malformed hash. */
export function buildManifest(input: {
  school: { name: string; slug: string }
  range: PackRange
  recordContent: boolean
  generatedAt: Date
  files: readonly ManifestEntry[]
}): Manifest {
  const seen = new Set<string>()
  for (const f of input.files) {
    if (seen.has(f.path)) throw new ManifestError(`${f.path} is in the pack twice`)
    seen.add(f.path)
    if (!/^[0-9a-f]{64}$/.test(f.sha256)) throw new ManifestError(`${f.path} has no SHA-256 hash`)
    if (!Number.isInteger(f.bytes) || f.bytes < 0) throw new ManifestError(`${f.path} has no size`)
  }
  return {
    pack: 'haven-evidence-pack',
    version: 1,
    school: { name: input.school.name, slug: input.school.slug },
    from: input.range.from,
    to: input.range.to,
    recordContent: input.recordContent,
    generatedAt: input.generatedAt.toISOString(),
    files: input.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
  }
}

/** The manifest as written into the pack: JSON, two-space indented, ending with a new line. */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** What differs between a manifest and the files found (path to their hash): for checking a pack. */
export function manifestMismatches(manifest: Manifest, found: ReadonlyMap<string, string>): string[] {
  const problems: string[] = []
  for (const f of manifest.files) {
    const hash = found.get(f.path)
    if (hash === undefined) problems.push(`${f.path} is missing`)
    else if (hash !== f.sha256) problems.push(`${f.path} has changed`)
  }
  const listed = new Set(manifest.files.map((f) => f.path))
  for (const path of found.keys()) if (!listed.has(path)) problems.push(`${path} is not in the manifest`)
  return problems
}
