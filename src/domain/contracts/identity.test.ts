import assert from 'node:assert/strict'
import { test } from 'node:test'
import { templateById } from '../../packs/templates.ts'
import { templateForSchool } from './identity.ts'

test('MW-02, issue 14: a contract from a pack template is headed with the school’s own name', () => {
  const meanwood = templateById('mw-contract')!
  const own = templateForSchool(meanwood, 'Meanwood CE Primary School', 'Riverside Primary School')
  assert.equal(own.name, 'Supervision Contract – Riverside Primary School')
  assert.equal(meanwood.name, 'Supervision Contract – Meanwood CE Primary School', 'the built-in is not changed')
})

test('CA-09, issue 14: clauses that name the seed school name the school instead', () => {
  const cornerstone = templateById('ca-contract')!
  const own = templateForSchool(cornerstone, 'The Cornerstone Academy', 'Riverside Primary School')
  const text = JSON.stringify(own.clauses)
  assert.ok(!text.includes('The Cornerstone Academy'))
  assert.match(text, /The records belong to Riverside Primary School/)
})

test('issue 14: the seed school itself, or a template of the school’s own, keeps its words', () => {
  const lodeHeath = templateById('lh-contract')!
  assert.equal(templateForSchool(lodeHeath, 'Lode Heath School', 'Lode Heath School'), lodeHeath)
  assert.equal(templateForSchool(lodeHeath, null, 'Riverside Primary School'), lodeHeath)
})
