import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { auditedRecord, checkRecordIntegrity, type RecordIntegrityInput } from './integrity.ts'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const SUPERVISOR = 'p-supervisor'
const SUPERVISEE = 'p-supervisee'

const signedRecord = (): RecordIntegrityInput => ({
  status: 'signed',
  currentHash: A,
  completedHash: A,
  versionHash: A,
  signatures: [
    { personId: SUPERVISEE, name: 'Priya Shah', contentHash: A, superseded: false },
    { personId: SUPERVISOR, name: 'Dana Ellis', contentHash: A, superseded: false },
  ],
  addenda: [],
  audit: [
    { action: 'record.complete', actorId: SUPERVISOR, detail: { contentHash: A } },
    { action: 'record.sign', actorId: SUPERVISEE, detail: { contentHash: A, locked: false } },
    { action: 'record.sign', actorId: SUPERVISOR, detail: { contentHash: A, locked: true } },
  ],
  names: { [SUPERVISOR]: 'Dana Ellis', [SUPERVISEE]: 'Priya Shah' },
})

describe('a record checked against the audit log (X-06)', () => {
  test('a record as Haven left it is intact', () => {
    assert.deepEqual(checkRecordIntegrity(signedRecord()), { altered: false, reasons: [] })
  })

  test('a deleted signature is named', () => {
    const input = signedRecord()
    input.signatures = input.signatures.filter((s) => s.personId !== SUPERVISEE)
    const result = checkRecordIntegrity(input)
    assert.equal(result.altered, true)
    assert.deepEqual(result.reasons, ['Priya Shah’s signature is missing.'])
  })

  test('content and every stored hash rewritten still differs from the audited hashes', () => {
    const input = signedRecord()
    input.currentHash = B
    input.completedHash = B
    input.versionHash = B
    input.signatures = input.signatures.map((s) => ({ ...s, contentHash: B }))
    const reasons = checkRecordIntegrity(input).reasons.join(' ')
    assert.match(reasons, /audit log when it was completed/)
    assert.match(reasons, /audit log when it was signed/)
    assert.match(reasons, /Priya Shah’s signature no longer matches the audit log/)
  })

  test('a lock the log does not show, and a lock the record has lost', () => {
    const unlocked = signedRecord()
    unlocked.audit = unlocked.audit.slice(0, 2)
    unlocked.signatures = unlocked.signatures.slice(0, 1)
    assert.match(checkRecordIntegrity(unlocked).reasons.join(' '), /does not show everyone signing/)
    const lost = signedRecord()
    lost.status = 'completed'
    assert.match(checkRecordIntegrity(lost).reasons.join(' '), /no longer shown as signed/)
  })

  test('reopening supersedes signatures: kept ones match, a removed one is named', () => {
    const input = signedRecord()
    input.status = 'completed'
    input.currentHash = B
    input.completedHash = B
    input.versionHash = B
    input.signatures = [{ personId: SUPERVISEE, name: 'Priya Shah', contentHash: A, superseded: true }]
    input.audit = [
      { action: 'record.complete', actorId: SUPERVISOR, detail: { contentHash: A } },
      { action: 'record.sign', actorId: SUPERVISEE, detail: { contentHash: A, locked: false } },
      { action: 'record.reopen', actorId: SUPERVISOR, detail: {} },
      { action: 'record.complete', actorId: SUPERVISOR, detail: { contentHash: B } },
    ]
    assert.deepEqual(checkRecordIntegrity(input), { altered: false, reasons: [] })
    input.signatures = []
    assert.deepEqual(checkRecordIntegrity(input).reasons, ['An earlier signature by Priya Shah is missing.'])
  })

  test('addenda changed, removed or added outside Haven', () => {
    const input = signedRecord()
    input.audit = [...input.audit, { action: 'record.addendum', actorId: SUPERVISEE, detail: { contentHash: B } }]
    input.addenda = [{ contentHash: B, currentHash: B }]
    assert.equal(checkRecordIntegrity(input).altered, false)
    assert.deepEqual(checkRecordIntegrity({ ...input, addenda: [{ contentHash: B, currentHash: A }] }).reasons, [
      'An addendum has been changed.',
    ])
    assert.deepEqual(checkRecordIntegrity({ ...input, addenda: [] }).reasons, ['An addendum has been removed.'])
    assert.deepEqual(
      checkRecordIntegrity({
        ...input,
        addenda: [
          { contentHash: B, currentHash: B },
          { contentHash: A, currentHash: A },
        ],
      }).reasons,
      ['An addendum was not added in Haven.'],
    )
  })

  test('a draft is fine until the log says it was completed', () => {
    const draft: RecordIntegrityInput = {
      ...signedRecord(),
      status: 'draft',
      completedHash: null,
      versionHash: null,
      signatures: [],
      audit: [],
    }
    assert.equal(checkRecordIntegrity(draft).altered, false)
    draft.audit = [{ action: 'record.complete', actorId: SUPERVISOR, detail: { contentHash: A } }]
    assert.match(checkRecordIntegrity(draft).reasons.join(' '), /shown as a draft/)
  })

  test('auditedRecord replays completion, signatures and reopening', () => {
    const replay = auditedRecord(signedRecord().audit)
    assert.equal(replay.completedHash, A)
    assert.equal(replay.locked, true)
    assert.deepEqual(
      replay.signatures.map((s) => [s.personId, s.current]),
      [
        [SUPERVISEE, true],
        [SUPERVISOR, true],
      ],
    )
  })
})
