import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, test } from 'node:test'
import { validatePolicy } from '../domain/policy/index.ts'
import { blankPolicy, isPackId, listPacks, loadPack, packIds } from './index.ts'

describe('policy packs', () => {
  test('X-01: there are five packs, each listed with its school and what is distinctive about it', () => {
    const packs = listPacks()
    assert.deepEqual(
      packs.map((pack) => [pack.id, pack.school]),
      [
        ['meanwood', 'Meanwood CE Primary School'],
        ['lode-heath', 'Lode Heath School'],
        ['cornerstone', 'The Cornerstone Academy'],
        ['the-place', 'The PLACE Independent School'],
        ['ashbury-meadow', 'Ashbury Meadow'],
      ],
    )
    for (const pack of packs) assert.ok(pack.summary.length > 40, pack.id)
    assert.ok(isPackId('meanwood'))
    assert.equal(isPackId('blank'), false)
  })

  test('X-01: every pack is a valid policy, with its own id, that round-trips through validation', () => {
    for (const id of packIds) {
      const policy = loadPack(id)
      assert.equal(policy.id, id)
      const again = validatePolicy(JSON.parse(JSON.stringify(policy)))
      assert.ok(again.ok, id)
      assert.deepEqual(again.policy, policy)
    }
  })

  test('X-01: loadPack hands out a copy, so editing it never changes the pack', () => {
    const mine = loadPack('meanwood')
    mine.metadata.school = 'Somewhere else'
    assert.equal(loadPack('meanwood').metadata.school, 'Meanwood CE Primary School')
  })

  test('X-05: every template a pack names exists in that pack', () => {
    for (const id of packIds) {
      const { templates } = loadPack(id)
      const names = [
        templates.contract,
        templates.agenda,
        templates.preparation,
        ...templates.records.map((r) => r.templateId),
      ]
      for (const name of names.filter((n): n is string => n !== null)) {
        const file = new URL(`./${id}/templates/${name}.json`, import.meta.url)
        assert.ok(existsSync(file), `${id} names template ${name}, which is missing`)
      }
    }
  })

  test('X-01: the blank starting policy is valid and supervises all staff once a term', () => {
    const policy = blankPolicy({ school: 'Oak Lane Primary', effectiveFrom: '2025-09-01', ownerName: 'A Head' })
    assert.equal(policy.metadata.school, 'Oak Lane Primary')
    assert.equal(policy.metadata.owner.name, 'A Head')
    assert.deepEqual(policy.requirements[0]?.frequency, { every: 1, unit: 'terms', termTimeOnly: false, wording: null })
    assert.ok(policy.scope.rules[0]?.who.everyone)
    assert.equal(policy.practice.handoverOnLineManagerChange, true, 'LH-07: a new line manager gets a handover note')
  })
})
