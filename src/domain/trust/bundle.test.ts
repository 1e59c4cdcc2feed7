/**
 * Issue 14 (ADR 0052): the school's file, checked without a database: its manifest, the Ed25519
 * signature over it, the fingerprint read out, and the audit segment's hashes.
 */
import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import {
  BUNDLE_FORMAT,
  BUNDLE_MAGIC,
  BUNDLE_VERSION,
  type BundleManifest,
  type CarriedAuditEntry,
  checkAuditSegment,
  keyFingerprint,
  manifestLines,
  normaliseFingerprint,
  publicKeyOf,
  rawPublicKey,
  readBundle,
  SectionHasher,
} from './bundle.ts'

const tables = {
  organisation: ['{"id":"11111111-1111-4111-8111-111111111111","name":"Oakfield"}'],
  person: [
    '{"id":"22222222-2222-4222-8222-222222222222","name":"Tom Tate"}',
    '{"id":"33333333-3333-4333-8333-333333333333","name":"Ola Other"}',
  ],
}
const audit = ['{"id":1,"hash":"aa"}']

function makeFile(
  options: { key?: ReturnType<typeof generateKeyPairSync>; change?: (m: BundleManifest) => void } = {},
) {
  const { publicKey, privateKey } = options.key ?? generateKeyPairSync('ed25519')
  const lines = [BUNDLE_MAGIC]
  const digests = []
  for (const [name, rows] of Object.entries(tables)) {
    const hasher = new SectionHasher(name)
    lines.push(JSON.stringify(['table', name]))
    for (const row of rows) {
      hasher.add(row)
      lines.push(row)
    }
    lines.push(JSON.stringify(['end', name]))
    digests.push(hasher.digest())
  }
  const auditHasher = new SectionHasher('audit')
  lines.push(JSON.stringify(['audit']))
  for (const row of audit) {
    auditHasher.add(row)
    lines.push(row)
  }
  lines.push(JSON.stringify(['end', 'audit']))
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: '2026-10-05T10:00:00.000Z',
    migrations: ['0001-init'],
    organisation: { id: '11111111-1111-4111-8111-111111111111', name: 'Oakfield' },
    school: { id: '44444444-4444-4444-8444-444444444444', name: 'Oakfield Primary School' },
    invitation: 'a'.repeat(64),
    publicKey: rawPublicKey(publicKey),
    tables: digests,
    audit: { ...auditHasher.digest(), head: { id: 1, hash: 'aa' } },
  }
  options.change?.(manifest)
  lines.push(...manifestLines(manifest, privateKey))
  return { text: `${lines.join('\n')}\n`, publicKey: rawPublicKey(publicKey) }
}

test('a school’s file as made reads back whole: every section, the audit entries and the key’s fingerprint', () => {
  const { text, publicKey } = makeFile()
  const read = readBundle(text)
  assert.ok(read.ok)
  assert.deepEqual(
    read.bundle.tables.map((t) => [t.name, t.lines.length]),
    [
      ['organisation', 1],
      ['person', 2],
    ],
  )
  assert.deepEqual(read.bundle.audit, audit)
  assert.equal(read.bundle.fingerprint, keyFingerprint(publicKey))
  assert.match(read.bundle.fingerprint, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/)
})

test('a row changed, added or removed, a section renamed, or the manifest changed: the file is refused as altered', () => {
  const { text } = makeFile()
  const cases: [string, string][] = [
    ['a row changed', text.replace('Tom Tate', 'Tim Tate')],
    ['a row removed', text.replace(`${tables.person[1]}\n`, '')],
    ['a row added', text.replace(`${tables.person[1]}\n`, `${tables.person[1]}\n{"id":"x"}\n`)],
    ['a section renamed', text.replaceAll('"person"', '"people"')],
    ['the manifest changed', text.replace('"Oakfield Primary School"', '"Elmfield Primary School"')],
    ['the audit entries changed', text.replace('{"id":1,"hash":"aa"}', '{"id":1,"hash":"ab"}')],
  ]
  for (const [what, changed] of cases) assert.deepEqual(readBundle(changed), { ok: false, problem: 'altered' }, what)
})

test('a file signed by another key than the one it names is refused; a manifest re-signed by a new key reads, with a different fingerprint', () => {
  const { text } = makeFile()
  const other = makeFile({ change: (m) => Object.assign(m, { createdAt: '2026-10-06T10:00:00.000Z' }) })
  const lines = text.trimEnd().split('\n')
  const otherLines = other.text.trimEnd().split('\n')
  lines[lines.length - 1] = otherLines.at(-1)!
  assert.deepEqual(readBundle(`${lines.join('\n')}\n`), { ok: false, problem: 'altered' })
  const first = readBundle(text)
  const second = readBundle(other.text)
  assert.ok(first.ok && second.ok)
  assert.notEqual(first.bundle.fingerprint, second.bundle.fingerprint)
})

test('anything that is not a school’s file, or one of a later format, says so', () => {
  assert.deepEqual(readBundle('name,email\nTom,tom@example.org\n'), { ok: false, problem: 'not-a-bundle' })
  assert.deepEqual(readBundle(''), { ok: false, problem: 'not-a-bundle' })
  assert.deepEqual(readBundle(`${BUNDLE_MAGIC}\n`), { ok: false, problem: 'not-a-bundle' })
  assert.deepEqual(readBundle('"haven-school-bundle/2"\n'), { ok: false, problem: 'unknown-version' })
  const later = makeFile({ change: (m) => Object.assign(m, { version: 2 }) })
  assert.deepEqual(readBundle(later.text), { ok: false, problem: 'unknown-version' })
})

test('the fingerprint: the same key gives the same one, typed in any case or spacing', () => {
  const key = generateKeyPairSync('ed25519')
  const raw = rawPublicKey(key.publicKey)
  assert.equal(keyFingerprint(raw), keyFingerprint(raw))
  assert.equal(
    normaliseFingerprint(keyFingerprint(raw).toLowerCase().replaceAll('-', ' ')),
    normaliseFingerprint(keyFingerprint(raw)),
  )
  assert.ok(publicKeyOf(raw))
  assert.equal(publicKeyOf('not a key'), null)
  assert.equal(publicKeyOf(Buffer.alloc(31).toString('base64')), null)
})

const hashOf = (e: CarriedAuditEntry) =>
  createHash('sha256')
    .update(JSON.stringify([e.id, e.action, e.prev_hash]))
    .digest('hex')

function chain(ids: number[], start = '0'.repeat(64)): CarriedAuditEntry[] {
  const out: CarriedAuditEntry[] = []
  let prev = start
  for (const id of ids) {
    const entry: CarriedAuditEntry = {
      id,
      occurred_at: '2026-10-05T10:00:00.000+00:00',
      organisation_id: null,
      school_id: null,
      actor_id: null,
      action: `a${id}`,
      subject_type: 'x',
      subject_id: null,
      detail: {},
      ip: null,
      prev_hash: prev,
      hash: '',
    }
    entry.hash = hashOf(entry)
    out.push(entry)
    prev = entry.hash
  }
  return out
}

test('the audit segment: each entry’s hash, its link to the one before, gaps where another organisation’s entries sat, and its head', () => {
  const entries = chain([1, 2, 3])
  const head = { id: 3, hash: entries[2]!.hash }
  assert.deepEqual(checkAuditSegment(entries, hashOf, head), { ok: true, entries: 3, gaps: 0, head })
  // Entry 4 of another organisation sat between 3 and 5: a gap, not a break.
  const withOther = chain([1, 2, 3, 4, 5])
  const segment = withOther.filter((e) => e.id !== 4)
  const last = { id: 5, hash: withOther[4]!.hash }
  assert.deepEqual(checkAuditSegment(segment, hashOf, last), { ok: true, entries: 4, gaps: 1, head: last })
  // An entry altered, one removed from the middle, the wrong head: refused.
  const altered = chain([1, 2, 3])
  altered[1]!.action = 'something else'
  assert.equal(checkAuditSegment(altered, hashOf, head).ok, false)
  const removed = chain([1, 2, 3]).filter((e) => e.id !== 2)
  const broken = chain([1, 2, 3])
  broken[2] = { ...broken[2]!, prev_hash: 'f'.repeat(64) }
  broken[2]!.hash = hashOf(broken[2]!)
  assert.deepEqual(checkAuditSegment(broken, hashOf, { id: 3, hash: broken[2]!.hash }), {
    ok: false,
    entryId: 3,
    reason: 'the entry before it is missing or has been altered',
  })
  assert.equal(checkAuditSegment(removed, hashOf, { id: 1, hash: removed[0]!.hash }).ok, false)
  assert.deepEqual(checkAuditSegment([], hashOf, null), { ok: true, entries: 0, gaps: 0, head: null })
})
