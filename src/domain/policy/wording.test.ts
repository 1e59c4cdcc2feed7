import assert from 'node:assert/strict'
import { test } from 'node:test'
import { agreeing, isPluralPhrase } from './wording.ts'

test('X-01: a group named in the singular takes "has", in the plural "have"', () => {
  for (const singular of [
    'The nursery manager',
    'The SENDCO',
    'The Learning Mentor',
    'Each member of staff',
    'The Head of EYFS',
    'Everyone in scope',
    'The DSL or the deputy DSL',
    'The headteacher, the DSL or the business manager',
  ])
    assert.equal(agreeing(singular, 'has', 'have'), 'has', singular)
  for (const plural of [
    'Practitioners working with the children',
    'All staff',
    'Staff with additional pastoral responsibilities',
    'All trained DSLs',
    'The DSL and deputy DSL',
    'Staff working in the EYFS, all trained DSLs, the SENDCO and the Learning Mentor',
    'Class teachers and teaching assistants',
    'Members of the Student Services Team',
  ])
    assert.equal(agreeing(plural, 'has', 'have'), 'have', plural)
})

test('X-01: an abbreviation ending in S is not read as a plural', () => {
  assert.equal(isPluralPhrase('EYFS'), false)
  assert.equal(isPluralPhrase('The DSLs'), true)
})
