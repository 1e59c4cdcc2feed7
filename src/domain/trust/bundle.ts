/**
 * Issue 14 (ADR 0052): a school's file, carried from the school's Haven installation to its
 * trust's, when the trust runs on another installation. Pure: the format, its SHA-256 manifest
 * (as the evidence pack's, ADR 34), the Ed25519 signature over the manifest, the key's
 * fingerprint read over the phone, and the check of the audit segment's hashes (ADR 6).
 *
 * The file, before gzip, is UTF-8 lines, each one JSON:
 *   "haven-school-bundle/1"                      the first line, always
 *   ["table", name]  then one row a line  ["end", name]   for each table, parents first
 *   ["audit"]  then one audit entry a line  ["end", "audit"]
 *   ["manifest", {...}]                          what the file holds, with a SHA-256 per section
 *   ["signature", base64]                        Ed25519 over the manifest line's exact bytes
 * The manifest comes last so the file can be written as it is read from the database.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'

export const BUNDLE_MAGIC = '"haven-school-bundle/1"'
export const BUNDLE_FORMAT = 'haven-school-bundle'
export const BUNDLE_VERSION = 1

export interface SectionDigest {
  name: string
  rows: number
  sha256: string
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT
  version: typeof BUNDLE_VERSION
  /** When the file was made (ISO instant). */
  createdAt: string
  /** The database migrations of the installation that made it: the trust's must be the same. */
  migrations: string[]
  organisation: { id: string; name: string }
  school: { id: string; name: string }
  /** The SHA-256 of the trust's invitation code, as the trust's installation keeps it: which invitation it answers. */
  invitation: string
  /** The Ed25519 public key, raw 32 bytes, base64. */
  publicKey: string
  tables: SectionDigest[]
  audit: SectionDigest & { head: { id: number; hash: string } | null }
}

/** A section's digest, built line by line as the rows are written or read. */
export class SectionHasher {
  private readonly hash = createHash('sha256')
  rows = 0
  readonly name: string
  constructor(name: string) {
    this.name = name
  }
  add(line: string): void {
    this.hash.update(line, 'utf8')
    this.hash.update('\n', 'utf8')
    this.rows++
  }
  digest(): SectionDigest {
    return { name: this.name, rows: this.rows, sha256: this.hash.digest('hex') }
  }
}

const fingerprintAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** The public key's fingerprint: 20 characters in five groups (100 bits of its SHA-256), to be read out. */
export function keyFingerprint(publicKeyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest()
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of digest) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < 20) {
      out += fingerprintAlphabet[(value >> (bits - 5)) & 31]
      bits -= 5
    }
    if (out.length >= 20) break
    value &= (1 << bits) - 1
  }
  return out.match(/.{4}/g)!.join('-')
}

/** A fingerprint as typed: upper case, without spaces or hyphens. */
export function normaliseFingerprint(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '')
}

/** Ed25519 public key (raw, base64) as node:crypto wants it; null when it is not one. */
export function publicKeyOf(raw: string): KeyObject | null {
  const bytes = Buffer.from(raw, 'base64')
  if (bytes.length !== 32 || bytes.toString('base64') !== raw) return null
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') }, format: 'jwk' })
  } catch {
    return null
  }
}

/** The raw public key of an Ed25519 key object, base64. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string }
  return Buffer.from(jwk.x ?? '', 'base64url').toString('base64')
}

/** The manifest's line and the signature's, as they end the file. */
export function manifestLines(manifest: BundleManifest, privateKey: KeyObject): string[] {
  const line = JSON.stringify(['manifest', manifest])
  const signature = sign(null, Buffer.from(line, 'utf8'), privateKey).toString('base64')
  return [line, JSON.stringify(['signature', signature])]
}

export interface ReadBundle {
  manifest: BundleManifest
  /** Rows of each table, in the file's order, each the JSON text of one row. */
  tables: { name: string; lines: string[] }[]
  audit: string[]
  fingerprint: string
}

export type BundleProblem =
  /** Not a school's file from Haven at all, or cut short. */
  | 'not-a-bundle'
  /** Made by a later version of the format. */
  | 'unknown-version'
  /** The signature does not verify, or a section does not match the manifest. */
  | 'altered'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isDigest = (v: unknown): v is SectionDigest =>
  isObject(v) &&
  typeof v.name === 'string' &&
  Number.isSafeInteger(v.rows) &&
  typeof v.sha256 === 'string' &&
  /^[0-9a-f]{64}$/.test(v.sha256)

function manifestOf(value: unknown): BundleManifest | null {
  if (!isObject(value)) return null
  const m = value as Partial<BundleManifest> & Record<string, unknown>
  const named = (v: unknown) => isObject(v) && typeof v.id === 'string' && typeof v.name === 'string'
  if (
    m.format !== BUNDLE_FORMAT ||
    typeof m.createdAt !== 'string' ||
    !Array.isArray(m.migrations) ||
    !m.migrations.every((x) => typeof x === 'string') ||
    !named(m.organisation) ||
    !named(m.school) ||
    typeof m.invitation !== 'string' ||
    typeof m.publicKey !== 'string' ||
    !Array.isArray(m.tables) ||
    !m.tables.every(isDigest) ||
    !isDigest(m.audit)
  )
    return null
  return m as BundleManifest
}

/**
 * Reads a school's file (already unzipped) and checks it all: the manifest's signature by the key it
 * names, and every section's row count and SHA-256 against the manifest. The fingerprint returned
 * is the key's, for the trust's administrator to compare with the one the school read out.
 */
export function readBundle(text: string): { ok: true; bundle: ReadBundle } | { ok: false; problem: BundleProblem } {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  if (lines[0] !== BUNDLE_MAGIC) {
    return {
      ok: false,
      problem: /^"haven-school-bundle\/\d+"$/.test(lines[0] ?? '') ? 'unknown-version' : 'not-a-bundle',
    }
  }
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line)
    } catch {
      return undefined
    }
  }
  const signatureLine = parse(lines.at(-1) ?? '')
  const manifestLine = lines.at(-2) ?? ''
  const manifestEntry = parse(manifestLine)
  if (
    lines.length < 3 ||
    !Array.isArray(signatureLine) ||
    signatureLine[0] !== 'signature' ||
    typeof signatureLine[1] !== 'string' ||
    !Array.isArray(manifestEntry) ||
    manifestEntry[0] !== 'manifest'
  )
    return { ok: false, problem: 'not-a-bundle' }
  const manifest = manifestOf(manifestEntry[1])
  if (!manifest) {
    const version = isObject(manifestEntry[1]) ? manifestEntry[1].version : undefined
    return {
      ok: false,
      problem: version !== undefined && version !== BUNDLE_VERSION ? 'unknown-version' : 'not-a-bundle',
    }
  }
  if (manifest.version !== BUNDLE_VERSION) return { ok: false, problem: 'unknown-version' }
  const key = publicKeyOf(manifest.publicKey)
  if (!key) return { ok: false, problem: 'altered' }
  const signature = Buffer.from(signatureLine[1], 'base64')
  if (signature.length !== 64 || !verify(null, Buffer.from(manifestLine, 'utf8'), key, signature))
    return { ok: false, problem: 'altered' }

  // Sections: each opened and closed by name, rows between; every digest as the manifest says.
  const tables: { name: string; lines: string[] }[] = []
  let audit: string[] | null = null
  const digests: SectionDigest[] = []
  let index = 1
  while (index < lines.length - 2) {
    const opening = parse(lines[index]!)
    if (!Array.isArray(opening) || (opening[0] !== 'table' && opening[0] !== 'audit'))
      return { ok: false, problem: 'altered' }
    const name = opening[0] === 'audit' ? 'audit' : opening[1]
    if (typeof name !== 'string') return { ok: false, problem: 'altered' }
    const hasher = new SectionHasher(name)
    const rows: string[] = []
    index++
    for (; index < lines.length - 2; index++) {
      const line = lines[index]!
      if (line.startsWith('[')) break
      hasher.add(line)
      rows.push(line)
    }
    const closing = parse(lines[index] ?? '')
    if (!Array.isArray(closing) || closing[0] !== 'end' || closing[1] !== name) return { ok: false, problem: 'altered' }
    index++
    digests.push(hasher.digest())
    if (opening[0] === 'audit') {
      if (audit !== null) return { ok: false, problem: 'altered' }
      audit = rows
    } else tables.push({ name, lines: rows })
  }
  const expected = [...manifest.tables, { name: 'audit', rows: manifest.audit.rows, sha256: manifest.audit.sha256 }]
  const same =
    audit !== null &&
    expected.length === digests.length &&
    expected.every((d) => {
      const found = digests.find((x) => x.name === d.name)
      return found !== undefined && found.rows === d.rows && found.sha256 === d.sha256
    })
  if (!same) return { ok: false, problem: 'altered' }
  return {
    ok: true,
    bundle: { manifest, tables, audit: audit ?? [], fingerprint: keyFingerprint(manifest.publicKey) },
  }
}

/** An audit entry as the file carries it: its row, as PostgreSQL's to_jsonb gives it. */
export interface CarriedAuditEntry {
  id: number
  occurred_at: string
  organisation_id: string | null
  school_id: string | null
  actor_id: string | null
  action: string
  subject_type: string
  subject_id: string | null
  detail: unknown
  ip: string | null
  prev_hash: string
  hash: string
}

export type SegmentCheck =
  | {
      ok: true
      entries: number
      /** Places where the school's entries are not next to each other in its installation's chain (another organisation's entries sat between). */
      gaps: number
      head: { id: number; hash: string } | null
    }
  | { ok: false; entryId: number | null; reason: string }

/**
 * Checks the school's audit entries as a segment of its installation's chain (ADR 6): each entry's
 * own hash, recomputed by `hashOf` from what it says and the hash before it; each entry chained to
 * the one before it in the file, unless entries of another organisation were between them (a gap,
 * counted); ids rising; and the last entry the head the manifest names.
 */
export function checkAuditSegment(
  entries: readonly CarriedAuditEntry[],
  hashOf: (entry: CarriedAuditEntry) => string,
  head: { id: number; hash: string } | null,
): SegmentCheck {
  let gaps = 0
  let previous: CarriedAuditEntry | null = null
  for (const entry of entries) {
    if (hashOf(entry) !== entry.hash)
      return { ok: false, entryId: entry.id, reason: 'its contents no longer match its hash' }
    if (previous) {
      if (entry.id <= previous.id) return { ok: false, entryId: entry.id, reason: 'the entries are out of order' }
      if (entry.prev_hash !== previous.hash) {
        if (entry.id === previous.id + 1)
          return { ok: false, entryId: entry.id, reason: 'the entry before it is missing or has been altered' }
        gaps++
      }
    }
    previous = entry
  }
  const last = previous ? { id: previous.id, hash: previous.hash } : null
  if (JSON.stringify(last) !== JSON.stringify(head))
    return { ok: false, entryId: last?.id ?? null, reason: 'the newest entry is not the one the file names' }
  return { ok: true, entries: entries.length, gaps, head: last }
}
