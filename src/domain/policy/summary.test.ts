import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blankPolicy, loadPack, packIds } from '../../packs/index.ts'
import type { PolicyDocument } from './model.ts'
import { contractPhrases, type PolicySummary, summarisePolicy } from './summary.ts'

function section(summary: PolicySummary, id: string): string {
  const found = summary.sections.find((candidate) => candidate.id === id)
  assert.ok(found, `section ${id}`)
  return [...found.paragraphs, ...found.items].join('\n')
}

function includes(text: string, expected: string): void {
  assert.ok(text.includes(expected), `expected to find:\n  ${expected}\nin:\n${text}`)
}

describe('X-01: the policy summarised in plain English', () => {
  test('X-01: every pack summarises cleanly: headed sections, no placeholders, no doubled punctuation', () => {
    for (const id of packIds) {
      const summary = summarisePolicy(loadPack(id))
      assert.ok(summary.sections.length >= 8, id)
      for (const part of summary.sections) {
        assert.ok(part.heading.length > 0)
        assert.ok(part.paragraphs.length + part.items.length > 0, `${id} ${part.id} is empty`)
        for (const line of [...part.paragraphs, ...part.items]) {
          assert.doesNotMatch(line, /undefined|null|\[object|\.\.|\?\.| {2}|\s[,.]/, `${id}: ${line}`)
          assert.match(line, /^[A-Z0-9'(]/, `${id}: ${line}`)
        }
      }
    }
  })

  test('MW-01, MW-03, MW-04, MW-05: Meanwood reads as its own policy', () => {
    const summary = summarisePolicy(loadPack('meanwood'))
    assert.equal(summary.heading, 'Staff Supervision Policy: Meanwood CE Primary School')
    includes(
      section(summary, 'how-often'),
      'Staff working in the EYFS, all trained DSLs, the SENDCO and the Learning Mentor have formal one-to-one supervision with their line manager at least once a term (every 12 weeks of term time), lasting about an hour.',
    )
    includes(section(summary, 'how-often'), 'A more frequent pattern may be agreed for a person: every four weeks')
    includes(
      section(summary, 'how-often'),
      'Targeted improvement session, informal supervisory discussion and group supervision do not count towards it.',
    )
    const who = section(summary, 'who')
    includes(who, 'They are identified at the start of each academic year.')
    includes(who, 'Part-time staff are supervised as often as full-time staff, never pro rata.')
    includes(
      who,
      'Agency and temporary staff are supervised in the same way as permanent staff once they have worked in the school for more than 5 weeks.',
    )
    includes(section(summary, 'about'), 'Approved by Jamie Chapman on 1 November 2022')
    includes(section(summary, 'about'), 'Reviewed every year; next review due by 1 November 2023')
    includes(section(summary, 'contract'), 'given a supervision contract at the start of each academic year')
    includes(section(summary, 'cancellation'), 'Scheduled sessions are cancelled only in exceptional circumstances.')
    includes(
      section(summary, 'disagreements'),
      'Both parties are told in advance that a meeting to resolve it has been arranged.',
    )
  })

  test('LH-01, LH-03, LH-05, LH-09: Lode Heath reads as its own policy', () => {
    const summary = summarisePolicy(loadPack('lode-heath'))
    includes(section(summary, 'about'), 'Lead: Mr N Hayfield')
    includes(section(summary, 'about'), 'Governor committee: BSII Committee')
    const howOften = section(summary, 'how-often')
    includes(howOften, 'have planned one-to-one supervision at least once a term, and never more than 3 months apart.')
    includes(
      howOften,
      'Staff who are newly qualified or in their probationary period, and staff with personal difficulties, performance issues or stress, have more frequent supervision: at least once each half term',
    )
    includes(
      section(summary, 'supervisors'),
      'The DSL may be supervised by the Associate Headteacher, the Principal or Headteacher, a Headteacher of another school in the trust, the deputy DSL, or a DSL from another school in the trust.',
    )
    includes(
      section(summary, 'escalation'),
      "After 10 working days (the supervisor's manager): if no solution is agreed, the supervisee raises it with the supervisor's manager.",
    )
    includes(
      section(summary, 'framework-lh-five-functions'),
      "Any that has not been covered in a supervisee's sessions in the last 12 months is flagged.",
    )
  })

  test('CA-02, CA-03: Cornerstone reads as its own policy', () => {
    const summary = summarisePolicy(loadPack('cornerstone'))
    includes(
      section(summary, 'how-often'),
      'Staff with additional pastoral responsibilities have formal planned supervision at least once each half term.',
    )
    includes(section(summary, 'how-often'), 'The dates are planned at the start of the academic year.')
    includes(
      section(summary, 'cancellation'),
      'A formal planned supervision session that cannot take place must be rebooked within 5 working days.',
    )
    includes(section(summary, 'cancellation'), "within 5 working days of the person's return.")
    includes(section(summary, 'confidentiality'), 'Supervision is private but not confidential')
  })

  test('PL-01, PL-03: The PLACE reads as its own policy', () => {
    const summary = summarisePolicy(loadPack('the-place'))
    includes(
      section(summary, 'how-often'),
      'All staff have one-to-one supervision with their line manager or a senior member of the team their line manager delegates to. The policy sets no minimum frequency.',
    )
    const principles = section(summary, 'framework-pl-key-principles')
    includes(
      principles,
      'Achieving better outcomes for children and carers: Supervision is centred on achieving better outcomes for children and carers. Supervisee: We ensure',
    )
    includes(principles, 'Management: We ensure that there is sufficient organisational capacity')
  })

  test('AM-02, AM-05: Ashbury Meadow reads as its own policy', () => {
    const summary = summarisePolicy(loadPack('ashbury-meadow'))
    includes(
      section(summary, 'how-often'),
      'The designated safeguarding lead and deputy DSLs have group supervision at least once every 6 weeks (every 6 weeks of term time).',
    )
    includes(
      section(summary, 'how-often'),
      'have group supervision or one-to-one supervision at least once each half term, lasting about an hour.',
    )
    includes(section(summary, 'cancellation'), 'Whoever cancels or postpones a session tells the other person.')
    includes(
      section(summary, 'disagreements'),
      'When the disagreement is with the Principal: it is referred to the Chair of the Governing Body',
    )
    includes(section(summary, 'confidentiality'), 'Whistleblowing')
  })

  test('X-01: the summary is generated from the data, so it follows an edit', () => {
    const policy = loadPack('meanwood')
    const edited: PolicyDocument = {
      ...policy,
      requirements: policy.requirements.map((r) => ({
        ...r,
        frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
        expectedMinutes: 90,
      })),
    }
    includes(
      section(summarisePolicy(edited), 'how-often'),
      'at least once each half term, lasting about an hour and a half.',
    )
  })

  test('the blank policy summarises too', () => {
    const summary = summarisePolicy(blankPolicy({ school: 'Oak Lane Primary', effectiveFrom: '2025-09-01' }))
    assert.equal(summary.heading, 'Staff supervision policy: Oak Lane Primary')
    includes(
      section(summary, 'how-often'),
      'All staff have one-to-one supervision with their line manager at least once a term, lasting about an hour.',
    )
  })

  test('contract phrases for {{policy.frequency}} and {{policy.duration}}', () => {
    assert.deepEqual(contractPhrases(loadPack('ashbury-meadow'), 'am-contract'), {
      frequency: 'at least once each half term',
      duration: 'about an hour',
    })
    assert.equal(contractPhrases(loadPack('the-place')).frequency, 'as agreed in this contract')
  })
})
