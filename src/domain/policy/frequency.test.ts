/**
 * Counts per period, academic years, months of term time and rebooking as soon as possible, in
 * the policy document (issue 14, X-02, CA-03): the schema, the checks across the document, and
 * the words the summary uses. An invented policy, as well as the packs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { anInventedPolicy } from '../compliance/builders.ts'
import type { Frequency } from './model.ts'
import { summarisePolicy } from './summary.ts'
import { validatePolicy } from './validate.ts'
import { describeFrequency, describeFrequencyExactly } from './wording.ts'

function sectionText(policy: ReturnType<typeof anInventedPolicy>, id: string): string {
  const found = summarisePolicy(policy).sections.find((candidate) => candidate.id === id)
  assert.ok(found, `section ${id}`)
  return [...found.paragraphs, ...found.items].join('\n')
}

// biome-ignore lint/suspicious/noExplicitAny: the tests reach into the raw document at will
type RawJson = Record<string, any>

/** The invented policy as JSON with one change, and the problems validation finds. */
function problemsWith(change: (doc: RawJson) => void): { path: string; message: string }[] {
  const doc = structuredClone(anInventedPolicy()) as unknown as RawJson
  change(doc)
  const result = validatePolicy(doc)
  return result.ok ? [] : result.problems
}

function frequency(partial: Partial<Frequency>): Frequency {
  return { every: 1, unit: 'terms', termTimeOnly: false, wording: null, ...partial }
}

describe('frequencies and rebooking in the policy (issue 14)', () => {
  test('X-02: "at least N times" per half term, term or academic year is worded as a headteacher would say it', () => {
    assert.equal(
      describeFrequency(frequency({ unit: 'academic-years', times: 3 })),
      'at least 3 times each academic year',
    )
    assert.equal(describeFrequency(frequency({ unit: 'terms', times: 2 })), 'at least twice each term')
    assert.equal(describeFrequencyExactly(frequency({ unit: 'half-terms', times: 4 })), '4 times each half term')
    assert.equal(describeFrequencyExactly(frequency({ unit: 'academic-years' })), 'once each academic year')
    assert.equal(
      describeFrequencyExactly(frequency({ unit: 'academic-years', every: 2 })),
      'once every 2 academic years',
    )
    assert.equal(
      describeFrequencyExactly(frequency({ unit: 'months', every: 2, termTimeOnly: true })),
      'every 2 months of term time',
    )
    // Unchanged for the packs' own wording.
    assert.equal(describeFrequencyExactly(frequency({ unit: 'terms' })), 'once a term')
    assert.equal(describeFrequencyExactly(frequency({ unit: 'half-terms' })), 'once each half term')
    assert.equal(describeFrequencyExactly(frequency({ unit: 'terms', times: 1 })), 'once a term')
  })

  test('X-02: the summary says how often, and that the sessions are spread through the period', () => {
    const policy = anInventedPolicy({
      frequency: { every: 1, unit: 'academic-years', times: 3, wording: 'three times a year' },
    })
    assert.equal(policy.requirements[0]?.frequency?.times, 3)
    const text = sectionText(policy, 'how-often')
    assert.match(text, /at least three times a year \(3 times each academic year\)\./)
    assert.match(
      text,
      /The sessions are expected spread evenly through each academic year, the last by its last working day\./,
    )
    const plain = sectionText(anInventedPolicy({ frequency: { every: 1, unit: 'terms', times: 3 } }), 'how-often')
    assert.match(plain, /at least 3 times each term\./)
  })

  test('X-02: a count needs a period, and one period at a time; only weeks and months count term time', () => {
    assert.deepEqual(
      problemsWith((doc) => {
        doc.requirements[0].frequency = { every: 1, unit: 'months', termTimeOnly: true }
      }),
      [],
    )
    const weeks = problemsWith((doc) => {
      doc.requirements[0].frequency = { every: 4, unit: 'weeks', times: 2 }
    })
    assert.equal(weeks[0]?.path, 'requirements[0].frequency.times')
    assert.match(
      weeks[0]?.message ?? '',
      /^How many times can only be given for a frequency per half term, term or academic year/,
    )
    const blocks = problemsWith((doc) => {
      doc.requirements[0].frequency = { every: 2, unit: 'terms', times: 3 }
    })
    assert.equal(blocks[0]?.path, 'requirements[0].frequency.every')
    assert.match(blocks[0]?.message ?? '', /set every to 1/)
    const termTime = problemsWith((doc) => {
      doc.requirements[0].frequency = { every: 1, unit: 'academic-years', termTimeOnly: true }
    })
    assert.equal(termTime[0]?.path, 'requirements[0].frequency.termTimeOnly')
    assert.match(termTime[0]?.message ?? '', /^Only a frequency in weeks or months can count term time only/)
    const zero = problemsWith((doc) => {
      doc.requirements[0].frequency = { every: 1, unit: 'terms', times: 0 }
    })
    assert.equal(zero[0]?.path, 'requirements[0].frequency.times')
    assert.match(
      zero[0]?.message ?? '',
      /^How many times sessions must happen in each period \(times\) must be 1 or more/,
    )
  })

  test('CA-03: rebooking as soon as possible, with a warning time, is summarised and checked', () => {
    const policy = anInventedPolicy({ rebooking: { within: null, warnAfter: { amount: 10, unit: 'working-days' } } })
    assert.deepEqual(policy.cancellation.rebooking?.warnAfter, { amount: 10, unit: 'working-days' })
    const text = sectionText(policy, 'cancellation')
    assert.match(text, /A session that cannot take place must be rebooked as soon as possible\./)
    assert.match(
      text,
      /It is flagged until it is rebooked, with a warning if it is still not rebooked 10 working days after the date it was due to take place \(or after the person returns, if it was missed because of staff absence or illness\)\./,
    )
    assert.match(
      sectionText(anInventedPolicy({ rebooking: { within: null } }), 'cancellation'),
      /It is flagged until it is rebooked\./,
    )

    const both = problemsWith((doc) => {
      doc.cancellation.rebooking = {
        within: { amount: 5, unit: 'working-days' },
        warnAfter: { amount: 3, unit: 'working-days' },
      }
    })
    assert.equal(both[0]?.path, 'cancellation.rebooking.warnAfter')
    assert.match(both[0]?.message ?? '', /only for rebooking as soon as possible/)
    const zero = problemsWith((doc) => {
      doc.cancellation.rebooking = { within: null, warnAfter: { amount: 0, unit: 'days' } }
    })
    assert.equal(zero[0]?.path, 'cancellation.rebooking.warnAfter.amount')
  })

  test('CA-03: the packs keep their rebooking deadline and wording (Cornerstone: within 5 working days)', () => {
    const cornerstone = loadPack('cornerstone')
    assert.deepEqual(cornerstone.cancellation.rebooking?.within, { amount: 5, unit: 'working-days' })
    assert.equal(cornerstone.cancellation.rebooking?.warnAfter, undefined)
    assert.match(sectionText(cornerstone, 'cancellation'), /must be rebooked within 5 working days\./)
  })
})
