/** Flags that carry their own dates (issue 14): the shared person schema and when a flag holds. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { flagHolds, noFlags } from './person.ts'
import { makePersonFieldsSchema } from './person-rules.ts'

const base = { name: 'Ann Archer', email: 'ann@school.example' }

describe('issue 14: flag dates in the person schema', () => {
  test('LH-03: dates are kept per flag, blank periods dropped, and absent dates stay absent (an import leaves them alone)', () => {
    const schema = makePersonFieldsSchema()
    const parsed = schema.parse({
      ...base,
      flags: { additionalSupport: true },
      flagDates: {
        additionalSupport: { since: '2025-10-06', until: '2026-01-31' },
        earlyCareer: { since: '', until: null },
      },
    })
    assert.deepEqual(parsed.flagDates, { additionalSupport: { since: '2025-10-06', until: '2026-01-31' } })
    assert.equal(schema.parse(base).flagDates, undefined)
  })

  test('LH-03: an end before the start, or a date that is not real, is refused with the flag named', () => {
    const result = makePersonFieldsSchema().safeParse({
      ...base,
      flagDates: {
        inProbation: { since: '2025-09-01', until: '2025-08-31' },
        earlyCareer: { since: '2025-02-30', until: null },
      },
    })
    assert.equal(result.success, false)
    const issues = result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message])
    assert.deepEqual(issues, [
      ['flagDates.earlyCareer.since', 'Early career: start date must be a real date'],
      ['flagDates.inProbation.until', 'Probation: end date must be the same as or after the start date'],
    ])
  })

  test('LH-03: a flag holds from its start to its last day, and only while set', () => {
    const person = {
      flags: { ...noFlags, inProbation: true },
      flagDates: { inProbation: { since: '2025-09-01', until: '2026-02-28' } },
    }
    assert.equal(flagHolds(person, 'inProbation', '2025-08-31'), false)
    assert.equal(flagHolds(person, 'inProbation', '2026-02-28'), true)
    assert.equal(flagHolds(person, 'inProbation', '2026-03-01'), false)
    assert.equal(flagHolds({ ...person, flags: noFlags }, 'inProbation', '2025-10-01'), false)
  })
})
