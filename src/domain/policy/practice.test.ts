import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import type { PolicyDocument } from './model.ts'
import { furtherSupportOffered, handoverNoteRequired, recordGuidance } from './practice.ts'

const headings = (policy: PolicyDocument | null, role: 'supervisor' | 'supervisee' | 'dsl' = 'supervisor') =>
  recordGuidance(policy, { role, signed: false }).map((g) => g.id)

describe('practice settings', () => {
  test('LH-07: Lode Heath asks for a handover note when line management changes; Meanwood does not; no policy does', () => {
    assert.equal(handoverNoteRequired(loadPack('lode-heath')), true)
    assert.equal(handoverNoteRequired(loadPack('meanwood')), false)
    assert.equal(handoverNoteRequired(null), true)
  })

  test('LH-04: the further support Lode Heath offers', () => {
    assert.deepEqual(
      furtherSupportOffered(loadPack('lode-heath')).map((s) => s.name),
      ['Stress risk assessment', 'Referral to Occupational Health'],
    )
    assert.deepEqual(furtherSupportOffered(null), [])
  })

  test('CA-07, CA-09, CA-10: Cornerstone’s record shows the order of business, who else may see it, and case discussions on the child’s record', () => {
    const cornerstone = loadPack('cornerstone')
    const guidance = recordGuidance(cornerstone, { role: 'supervisor', signed: false })
    assert.deepEqual(
      guidance.map((g) => g.id),
      ['outline', 'case-discussions', 'sharing', 'storage', 'copies'],
    )
    assert.deepEqual(guidance[0]?.items, [
      'Tasks from the previous meeting',
      'New cases',
      'Development or support needs',
      'Welfare issues',
    ])
    assert.match(guidance[1]?.text ?? '', /child’s own safeguarding record as well/)
    assert.equal(guidance[4]?.text, 'The supervisee keeps a copy of the signed record.')
    const supervisee = recordGuidance(cornerstone, { role: 'supervisee', signed: true }).find((g) => g.id === 'copies')
    assert.equal(
      supervisee?.text,
      'The supervisee keeps a copy of the signed record. Download yours as a PDF from this page.',
    )
  })

  test('LH-10, LH-04, MW-12, AM-06: escalation, further support, evidence and the action summary where the policy sets them', () => {
    assert.ok(headings(loadPack('lode-heath')).includes('case-escalation'))
    assert.ok(headings(loadPack('lode-heath')).includes('further-support'))
    const meanwood = recordGuidance(loadPack('meanwood'), { role: 'supervisee', signed: false })
    assert.deepEqual(meanwood.find((g) => g.id === 'evidence')?.items, [
      'a serious case review (SCR)',
      'an internal management review (IMR)',
    ])
    assert.ok(headings(loadPack('ashbury-meadow')).includes('action-summary'))
    assert.ok(!headings(loadPack('meanwood')).includes('action-summary'))
  })

  test('PL-01: each reader sees their own duties under the school’s principles: supervisee, supervisor, or management for the DSL', () => {
    const place = loadPack('the-place')
    const duties = (role: 'supervisor' | 'supervisee' | 'dsl') =>
      recordGuidance(place, { role, signed: false }).find((g) => g.id === 'duties')
    const item = place.frameworks[0]!.items[0]!
    assert.equal(duties('supervisee')?.items[0], `${item.name}: ${item.duties!.supervisee[0]}`)
    assert.equal(duties('supervisor')?.items[0], `${item.name}: ${item.duties!.supervisor[0]}`)
    assert.equal(duties('dsl')?.heading, 'Management’s duties')
    assert.equal(duties('dsl')?.items[0], `${item.name}: ${item.duties!.management[0]}`)
  })

  test('an invented policy with none of these settings shows nothing, and no policy shows nothing', () => {
    const bare: PolicyDocument = {
      ...loadPack('meanwood'),
      confidentiality: null,
      recording: { ...loadPack('meanwood').recording, evidenceUses: [], storage: null, copiesHeldBy: [] },
      childRecord: { ...loadPack('meanwood').childRecord, caseDiscussionsOnChildRecord: false },
    }
    assert.deepEqual(headings(bare), [])
    assert.deepEqual(headings(null), [])
  })
})
