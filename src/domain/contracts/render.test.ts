import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack, packIds } from '../../packs/index.ts'
import { templateById } from '../../packs/templates.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { checkContractValues, defaultContractValues, defaultReviewOn } from './defaults.ts'
import type { AgreedTerms, ContractContent } from './model.ts'
import { contractContentHash, policyClauses, renderContractText } from './render.ts'
import { contractRequirement } from './terms.ts'

const supervisee = { name: 'Esme Ward', role: 'EYFS practitioner' }
const supervisor = { name: 'Dan Hughes', role: 'Deputy headteacher' }

function render(policy: PolicyDocument, terms: Partial<AgreedTerms> = {}) {
  const template = templateById(policy.templates.contract!)!
  const requirement = contractRequirement(policy, null)
  const values = defaultContractValues({
    template,
    policy,
    issueOn: '2026-09-01',
    collectedBy: { personId: 'c0', name: 'Amira Khan' },
    disputeThirdPerson: { personId: 'd0', name: 'Grace Obi' },
  })
  return renderContractText({
    template,
    policy,
    requirement,
    schoolName: policy.metadata.school,
    supervisee,
    supervisor,
    terms: {
      requirementId: requirement?.id ?? null,
      frequency: null,
      values: { ...values, venue: values.venue || 'Room 4' },
      ...terms,
    },
  })
}

function fullText(rendered: { title: string; clauses: { heading: string; text: string; items: string[] }[] }): string {
  return [rendered.title, ...rendered.clauses.flatMap((c) => [c.heading, c.text, ...c.items])].join('\n')
}

function includes(text: string, expected: string | RegExp): void {
  if (typeof expected === 'string') assert.ok(text.includes(expected), `expected to find:\n  ${expected}\nin:\n${text}`)
  else assert.match(text, expected)
}

describe('contract text', () => {
  test('MW-02, AM-05: every pack renders its contract with nothing left blank and no broken placeholders', () => {
    for (const id of packIds) {
      const policy = loadPack(id)
      const rendered = render(policy)
      assert.deepEqual(rendered.problems, [], id)
      assert.deepEqual(rendered.missing, [], id)
      assert.doesNotMatch(fullText(rendered), /\{\{|\[to be agreed\]/, id)
    }
    includes(
      fullText(render(loadPack('lode-heath'))),
      'Each session lasts as long as the supervisor and supervisee agree.',
    )
    const agreed = render(loadPack('lode-heath'), {
      values: {
        ...defaultContractValues({
          template: templateById('lh-contract')!,
          policy: loadPack('lode-heath'),
          issueOn: '2026-09-01',
        }),
        agreedDuration: '90 minutes',
      },
    })
    includes(fullText(agreed), 'Each session lasts 90 minutes.')
  })

  test('AM-05: the Ashbury Meadow contract has every clause the policy names', () => {
    const text = fullText(render(loadPack('ashbury-meadow')))
    includes(text, 'Supervisee: Esme Ward, EYFS practitioner.')
    includes(text, 'Supervisor: Dan Hughes, Deputy headteacher.')
    includes(text, 'Agreed date: 1 September 2026. Review date: 1 September 2027.')
    includes(text, /half term/)
    includes(text, 'or sooner if requested, and will be for about an hour')
    includes(text, 'The venue will be A private and uninterrupted space during the working day.')
    includes(text, 'The preparation for supervision will include identifying cases to discuss')
    includes(text, 'the responsibility to notify the other in the event of cancellation or postponement')
    for (const exception of [
      'child protection concerns about the supervisee',
      'disrepute',
      'a potential disciplinary matter',
      'whistleblowing',
    ])
      includes(text, exception)
    includes(text, 'the local authority (MCC) safeguarding team will be consulted with the agreement of both parties')
    includes(text, 'If the disagreement is with the Principal, it will be referred to the Chair of Governors')
  })

  test('MW-11: the Meanwood contract names the third person for a dispute and says both are told in advance', () => {
    const text = fullText(render(loadPack('meanwood')))
    includes(text, 'both parties agree to meet together with Grace Obi')
    includes(
      text,
      'Both parties will make sure the other is aware in advance that a dispute resolution meeting has been arranged',
    )
    // MW-02: returned to the DSL or deputy DSL; reviewed yearly, the review date shown.
    includes(text, 'The supervisee returns the signed contract to Amira Khan')
    includes(text, 'Date of review of contract: 1 September 2027.')
  })

  test('the policy’s own clauses are added where the template is silent, never twice', () => {
    const meanwood = render(loadPack('meanwood'))
    const headings = meanwood.clauses.map((c) => c.heading)
    assert.ok(headings.includes('Confidentiality'), 'MW: confidentiality from the policy')
    assert.ok(
      !headings.includes('Resolving disagreements') ||
        headings.filter((h) => h === 'Resolving disagreements').length === 1,
    )
    includes(fullText(meanwood), 'significant concerns about the supervisee, which may need to be shared')
    includes(fullText(meanwood), 'Planned sessions are cancelled only in exceptional circumstances')

    const ashbury = render(loadPack('ashbury-meadow'))
    assert.equal(ashbury.clauses.filter((c) => /confidential/i.test(c.heading)).length, 1, 'AM: the template’s own')
    assert.ok(
      !ashbury.clauses.some((c) => c.heading === 'Resolving disagreements'),
      'AM: dispute route in the template',
    )
    assert.ok(!ashbury.clauses.some((c) => c.heading === 'Preparing for supervision'))

    const lodeHeath = render(loadPack('lode-heath'))
    const dispute = lodeHeath.clauses.find((c) => c.heading === 'Resolving disagreements')
    assert.ok(dispute, 'LH: the policy’s dispute route, as the template’s escalation clause is about cases')
    includes(dispute.items.join('\n'), 'If no solution is agreed: the supervisee raises it with the supervisor')
  })

  test('policyClauses adds nothing for a policy without confidentiality, disputes, preparation or cancellation rules', () => {
    const policy = loadPack('cornerstone')
    const bare: PolicyDocument = {
      ...policy,
      confidentiality: null,
      disputeResolution: null,
      contract: policy.contract ? { ...policy.contract, preparation: null } : null,
      cancellation: { ...policy.cancellation, notifyOtherParty: false, exceptionalOnly: false },
    }
    assert.deepEqual(policyClauses(bare, []), [])
  })

  test('MW-03: an agreed frequency appears in the contract in place of the policy’s', () => {
    const policy = loadPack('meanwood')
    const options = contractRequirement(policy, null)!.agreedFrequency.options
    const text = fullText(render(policy, { frequency: options[0]! }))
    includes(text, 'Supervision will take place every four weeks.')
    const standard = fullText(render(policy))
    includes(standard, 'Supervision will take place at least once a term (every 12 weeks of term time).')
    // A template without an agreed-frequency field (AM) shows the agreed one where it names the policy's.
    const am = loadPack('ashbury-meadow')
    const amText = fullText(render(am, { frequency: { every: 3, unit: 'weeks', termTimeOnly: true, wording: null } }))
    includes(amText, 'Safeguarding supervision will be undertaken at least every 3 weeks of term time')
  })

  test('X-06: the content hash changes with any word of the contract and not with the order of keys', () => {
    const policy = loadPack('meanwood')
    const rendered = render(policy)
    const content: ContractContent = {
      templateId: 'mw-contract',
      templateVersion: 1,
      policyVersion: 1,
      academicYear: '2026-27',
      superviseeId: 'a',
      supervisorId: 'b',
      agreed: {
        requirementId: 'mw-one-to-one',
        frequency: null,
        values: { venue: 'Room 4', reviewDate: '2027-09-01' },
      },
      reviewOn: '2027-09-01',
      text: { title: rendered.title, clauses: rendered.clauses },
    }
    const hash = contractContentHash(content)
    assert.match(hash, /^[0-9a-f]{64}$/)
    const reordered = {
      ...content,
      agreed: {
        values: { reviewDate: '2027-09-01', venue: 'Room 4' },
        frequency: null,
        requirementId: 'mw-one-to-one',
      },
    }
    assert.equal(contractContentHash(reordered), hash)
    const changed = structuredClone(content)
    changed.text.clauses[0]!.text += ' '
    assert.notEqual(contractContentHash(changed), hash)
    assert.notEqual(contractContentHash({ ...content, supervisorId: 'c' }), hash)
  })
})

describe('contract values', () => {
  test('MW-02: the review date defaults to a year after issue; the policy’s venue is the default venue', () => {
    const policy = loadPack('meanwood')
    assert.equal(defaultReviewOn(policy, '2026-09-01'), '2027-09-01')
    const values = defaultContractValues({ template: templateById('mw-contract')!, policy, issueOn: '2026-09-01' })
    assert.equal(values.venue, policy.contract!.venue)
    assert.equal(values.reviewDate, '2027-09-01')
    assert.equal(values.startDate, '2026-09-01')
    assert.equal('signatures' in values, false)
  })

  test('required fields and a review date after the issue date are checked in GOV.UK wording', () => {
    const template = templateById('mw-contract')!
    const policy = loadPack('meanwood')
    const values = defaultContractValues({ template, policy, issueOn: '2026-09-01' })
    const blank = checkContractValues(
      template,
      { ...values, venue: '', reviewDate: '2026-08-01' },
      { issueOn: '2026-09-01', mode: 'complete' },
    )
    assert.equal(blank.ok, false)
    if (blank.ok) return
    assert.equal(blank.errors.venue, 'Enter the venue')
    assert.equal(blank.errors.reviewDate, 'The review date must be after 1 September 2026')
    assert.match(blank.errors.disputeThirdPerson ?? '', /the name of the person for a dispute resolution meeting/)
    assert.equal(blank.errors.signatures, undefined)
    const draft = checkContractValues(template, { ...values, venue: '' }, { issueOn: '2026-09-01', mode: 'draft' })
    assert.equal(draft.ok, true)
    const ok = checkContractValues(
      template,
      {
        ...values,
        disputeThirdPerson: { personId: 'x', name: 'Grace Obi' },
        collectedBy: { personId: 'y', name: 'Amira Khan' },
      },
      { issueOn: '2026-09-01', mode: 'complete' },
    )
    assert.equal(ok.ok, true)
  })
})
