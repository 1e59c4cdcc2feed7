import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { renderContract } from '../domain/records/contract.ts'
import { emptyEntry, validateEntry } from '../domain/records/entry.ts'
import type { Field, PromptGroup, Template } from '../domain/records/template.ts'
import { templateFields, validateTemplate } from '../domain/records/template.ts'
import { builtInTemplates, packOfTemplate, templateById, templatesForPack } from './templates.ts'

function template(id: string): Template {
  const t = templateById(id)
  assert.ok(t, `built-in template ${id} exists`)
  return t
}

function field(t: Template, id: string): Field {
  const f = templateFields(t).find((x) => x.id === id)
  assert.ok(f, `${t.id} has a field ${id}`)
  return f
}

/** Each seed form field, written from the seed text: [field id, kind, words the label must contain]. */
type Expected = [id: string, kind: Field['kind'], label: RegExp]

function assertFields(t: Template, expected: Expected[]): void {
  for (const [id, kind, label] of expected) {
    const f = field(t, id)
    assert.equal(f.kind, kind, `${t.id}.${id} is a ${kind} field`)
    assert.match(f.label, label, `${t.id}.${id} label "${f.label}" matches ${String(label)}`)
  }
}

function columnsOf(t: Template, id: string): { id: string; label: string; kind: string }[] {
  const f = field(t, id)
  assert.equal(f.kind, 'table', `${t.id}.${id} is a table`)
  return f.kind === 'table' ? f.columns : []
}

function promptText(groups: PromptGroup[] | undefined): string {
  return (groups ?? []).map((g) => `${g.heading}: ${g.items.join(' ')}`).join('\n')
}

function clauseText(t: Template): string {
  return (t.clauses ?? []).map((c) => [c.heading, c.text, ...(c.items ?? [])].join('\n')).join('\n')
}

const fullContext = {
  supervisee: { name: 'Sam Patel', role: 'EYFS practitioner' },
  supervisor: { name: 'Jo Hughes', role: 'Deputy headteacher' },
  school: { name: 'A school' },
  policy: { frequency: 'at least once a term', duration: 'about one hour' },
}

describe('built-in templates', () => {
  test('X-05: every built-in template is valid, with a unique id, and belongs to a pack', () => {
    const all = builtInTemplates()
    assert.equal(all.length, 13)
    assert.equal(new Set(all.map((t) => t.id)).size, all.length)
    for (const t of all) {
      assert.deepEqual(validateTemplate(structuredClone(t)), { ok: true, template: t })
      assert.ok(packOfTemplate(t.id))
    }
    assert.deepEqual(
      templatesForPack('meanwood').map((t) => t.id),
      ['mw-decision-record', 'mw-eyfs-record', 'mw-contract'],
    )
    assert.equal(templateById('no-such-template'), undefined)
  })

  test('X-01: built-in templates are frozen so nobody edits one in place', () => {
    const t = template('mw-decision-record')
    assert.throws(() => {
      ;(t as { name: string }).name = 'changed'
    })
    assert.ok(Object.isFrozen(t.sections[0]?.fields[0]))
  })

  test('X-05: a blank record of every built-in template is a valid draft', () => {
    for (const t of builtInTemplates()) {
      assert.deepEqual(validateEntry(t, emptyEntry(t), { mode: 'draft' }), { ok: true, values: emptyEntry(t) }, t.id)
    }
  })

  test('MW-09: the Supervision Decision Record has every field of the Meanwood form', () => {
    const t = template('mw-decision-record')
    assert.equal(t.kind, 'record')
    assertFields(t, [
      ['childOrFamily', 'child-or-family', /name of child or family/i],
      ['childDateOfBirth', 'date', /date of birth of child/i],
      ['supervisionDate', 'date', /supervision date/i],
      ['supervisee', 'person', /supervisee/i],
      ['supervisor', 'person', /supervisor/i],
      ['sinceLastSupervision', 'long-text', /holidays, sickness absence and training .* since last supervision/i],
      ['safeguardingHistory', 'long-text', /synopsis of safeguarding history/i],
      ['concerns', 'long-text', /concerns/i],
      ['casesRepresented', 'single-choice', /all current cases or a sample/i],
      ['actionsAgreed', 'actions', /actions agreed/i],
      ['supervisorSignature', 'signatures', /signature of supervisor and date/i],
    ])
    const cases = field(t, 'casesRepresented')
    assert.ok(cases.kind === 'single-choice')
    assert.deepEqual(
      cases.options.map((o) => o.value),
      ['all', 'sample'],
    )
    const actions = field(t, 'actionsAgreed')
    assert.equal(actions.afterSession, true, 'actions are completed after the session')
    assert.match(actions.hint ?? '', /completed after the session/i)
    const childOrFamily = field(t, 'childOrFamily')
    assert.ok(childOrFamily.kind === 'child-or-family')
    assert.deepEqual(childOrFamily.allow, ['child', 'family'], 'one record per child or family')
    const signature = field(t, 'supervisorSignature')
    assert.ok(signature.kind === 'signatures')
    assert.deepEqual(
      signature.signatories.map((s) => s.id),
      ['supervisor'],
    )
  })

  test('MW-10: the EYFS Record of Supervision has every agenda item, each with an agreed action', () => {
    const t = template('mw-eyfs-record')
    assertFields(t, [
      ['supervisor', 'person', /supervisor/i],
      ['supervisee', 'person', /supervisee/i],
      ['date', 'date', /date/i],
      ['preparedQuestions', 'long-text', /questions/i],
      ['changeInCircumstances', 'yes-no', /change in your personal circumstances/i],
      ['suitabilityDisclosure', 'yes-no', /convictions, cautions, court orders, reprimands or warnings/i],
      ['nextSupervisionDate', 'date', /date/i],
      ['nextSupervisionTime', 'time', /time/i],
      ['nextSupervisionVenue', 'short-text', /venue/i],
      ['signatures', 'signatures', /signed/i],
    ])
    // The agenda items of the form, in order, each with an agreed action.
    const items: [section: string, title: RegExp, hint?: RegExp][] = [
      ['healthAndSafety', /health and safety/i, /personal issues.*medication.*suitability to work with children/i],
      ['safeguarding', /safeguarding/i, /change in personal circumstances.*convictions, cautions, court orders/i],
      ['settingSafeguarding', /setting issues relating to safeguarding/i],
      ['previousSupervision', /issues and actions from previous supervision/i],
      ['areasOfWork', /areas of work/i, /roles and responsibilities, environment/i],
      ['keyChildren', /key children and their families/i, /child protection, child development, two-year-old/i],
      ['workObjectives', /work objectives from your annual appraisal/i],
      ['personalDevelopment', /personal development and training/i, /EYFS requirements.*peer observations/i],
      ['absenceAndTime', /absence management and time management/i, /leave and flexi/i],
      ['otherIssues', /other issues/i, /list/i],
    ]
    const sectionIds = t.sections.map((s) => s.id)
    let previous = -1
    for (const [id, title, hint] of items) {
      const index = sectionIds.indexOf(id)
      assert.ok(index > previous, `${id} comes after the item before it`)
      previous = index
      const section = t.sections[index]
      assert.ok(section)
      assert.match(section.title, title)
      if (hint) assert.match(section.hint ?? '', hint)
      const action = section.fields.find((f) => f.id === `${id}Action`)
      assert.ok(action, `${id} has an agreed action`)
      assert.equal(action.label, 'Agreed action')
    }
    assert.ok(sectionIds.indexOf('nextSupervision') > previous, 'next supervision comes last')
    const signatures = field(t, 'signatures')
    assert.ok(signatures.kind === 'signatures')
    assert.deepEqual(
      signatures.signatories.map((s) => s.id),
      ['supervisor', 'supervisee'],
    )
    assert.ok(
      t.notes?.some((n) => /only general feedback, not what was said, is shared with the headteacher/i.test(n)),
      'only general feedback is shared with the Headteacher',
    )
    assert.ok(t.notes?.some((n) => /signed and dated/i.test(n)))
  })

  test('CA-08: the Cornerstone Supervision Record has every field and table of the form', () => {
    const t = template('ca-supervision-record')
    assertFields(t, [
      ['date', 'date', /date/i],
      ['supervisee', 'person', /supervisee/i],
      ['supervisor', 'person', /supervisor/i],
      ['supervisionType', 'single-choice', /type of supervision/i],
      ['progressOnTasks', 'long-text', /progress on tasks from last supervision session/i],
      ['summary', 'long-text', /summary/i],
      ['outstandingTasks', 'long-text', /outstanding tasks/i],
      ['agreedFurtherActions', 'actions', /agreed further actions/i],
      ['caseManagement', 'table', /case management/i],
      ['professionalDevelopment', 'table', /professional development/i],
      ['welfareNeeds', 'table', /welfare\/support needs/i],
      ['otherSupportNeeds', 'long-text', /any other support needs/i],
      ['signatures', 'signatures', /signed/i],
    ])
    const type = field(t, 'supervisionType')
    assert.ok(type.kind === 'single-choice')
    assert.deepEqual(
      type.options.map((o) => o.label),
      ['Formal', 'Peer', 'Informal', 'Multi-agency', 'Group'],
    )
    const labels = (id: string) => columnsOf(t, id).map((c) => c.label)
    assert.deepEqual(labels('caseManagement'), ['Case management', 'Advice', 'Agreed actions'])
    assert.deepEqual(labels('professionalDevelopment'), [
      'Professional development',
      'Action recommended',
      'Person responsible',
    ])
    assert.deepEqual(labels('welfareNeeds'), ['Welfare/support needs', 'Actions', 'Person responsible'])
    const signatures = field(t, 'signatures')
    assert.ok(signatures.kind === 'signatures')
    assert.deepEqual(
      signatures.signatories.map((s) => s.id),
      ['supervisee', 'supervisor'],
    )
    assert.match(promptText(t.sections.find((s) => s.id === 'caseManagementSection')?.prompts), /partnership working/i)
  })

  test('CA-06: the case management proforma has genogram, first/worst/last, Signs of Safety mapping with EARS, and 0-10 scales', () => {
    const t = template('ca-case-proforma')
    assert.equal(t.kind, 'preparation')
    assertFields(t, [
      ['case', 'child-or-family', /child or family/i],
      ['genogram', 'long-text', /genogram/i],
      ['networkOfSupport', 'table', /networks of support/i],
      ['background', 'long-text', /brief background/i],
      ['firstIncident', 'long-text', /first incident/i],
      ['worstIncident', 'long-text', /worst incident/i],
      ['lastIncident', 'long-text', /last incident/i],
      ['worries', 'long-text', /worries/i],
      ['strengths', 'long-text', /strengths/i],
      ['goals', 'long-text', /goals/i],
      ['safetyScale', 'scale', /safety/i],
      ['confidenceScale', 'scale', /confident/i],
    ])
    for (const column of ['worries', 'strengths', 'goals']) {
      const headings = (field(t, column).prompts ?? []).map((p) => p.heading)
      assert.deepEqual(
        headings.map((h) => h.split(':')[0]),
        ['Elicit', 'Amplify', 'Reflect', 'Start over'],
        `${column} has the EARS prompts`,
      )
    }
    assert.match(promptText(field(t, 'worries').prompts), /what are we worried about\?/i)
    assert.match(promptText(field(t, 'worries').prompts), /first, worst and most recent/i)
    assert.match(promptText(field(t, 'strengths').prompts), /what’s working well here\?/i)
    assert.match(promptText(field(t, 'goals').prompts), /what needs to happen\?/i)
    for (const id of ['safetyScale', 'confidenceScale']) {
      const scale = field(t, id)
      assert.ok(scale.kind === 'scale')
      assert.equal(scale.min, 0)
      assert.equal(scale.max, 10)
    }
  })

  test('AM-07: the Ashbury Meadow agenda has all 14 items in order', () => {
    const t = template('am-agenda')
    assert.equal(t.kind, 'agenda')
    const expected = [
      /welcome/i,
      /clarify roles and confidentiality/i,
      /agreed expectations/i,
      /specific case discussions/i,
      /review notes of previous meeting/i,
      /share experience/i,
      /reflections \(feelings\)/i,
      /analysis/i,
      /action planning/i,
      /impact of the work on the individual/i,
      /professional practice issues/i,
      /cpd support and access to resources/i,
      /any other business/i,
      /date of next supervision/i,
    ]
    const items = t.sections.filter((s) => /^\d+\. /.test(s.title))
    assert.equal(items.length, 14)
    expected.forEach((title, i) => {
      assert.match(items[i]?.title ?? '', title)
      assert.ok(items[i]?.title.startsWith(`${String(i + 1)}. `))
    })
    assert.match(items[3]?.hint ?? '', /child’s safeguarding file/i)
    assert.match(items[7]?.hint ?? '', /celebrate success/i)
    assert.match(items[9]?.hint ?? '', /additional support/i)
    assertFields(t, [
      ['date', 'date', /date/i],
      ['time', 'time', /time/i],
      ['caseDiscussions', 'long-text', /case discussions/i],
      ['nextSupervisionDate', 'date', /date of next supervision/i],
    ])
  })

  test('AM-08: the notes and action template has rows of item, notes and agreed action and a signature table', () => {
    const t = template('am-notes-actions')
    assertFields(t, [
      ['items', 'table', /notes and actions/i],
      ['signatures', 'signatures', /signatures/i],
    ])
    const columns = columnsOf(t, 'items').map((c) => c.label)
    assert.deepEqual(columns.slice(0, 3), ['Item', 'Notes', 'Agreed action'])
    const signatures = field(t, 'signatures')
    assert.ok(signatures.kind === 'signatures')
    // Name, role, signature and date agreed, for the supervisee and the supervisor.
    assert.equal(signatures.includeRole, true)
    assert.equal(signatures.dateLabel, 'Date agreed')
    assert.deepEqual(
      signatures.signatories.map((s) => s.label),
      ['Supervisee', 'Supervisor'],
    )
  })

  test('AM-03: case discussion fields carry Tell me / Explain to me / Describe to me and SENSE, FEEL, THINK, DO', () => {
    const fields = [field(template('am-agenda'), 'caseDiscussions'), field(template('am-notes-actions'), 'items')]
    for (const f of fields) {
      const text = promptText(f.prompts)
      for (const opener of ['Tell me', 'Explain to me', 'Describe to me']) assert.ok(text.includes(opener), opener)
      const steps = (f.prompts ?? []).map((p) => p.heading.split(' ')[0])
      assert.deepEqual(steps.slice(1), ['SENSE', 'FEEL', 'THINK', 'DO'])
      assert.match(text, /SENSE.*what happened\?/i)
      assert.match(text, /FEEL.*what was it like\?/i)
      assert.match(text, /THINK.*what does this mean\?/i)
      assert.match(text, /DO.*what next\?/i)
    }
  })

  test('LH-11: the management oversight record has all eight prompts, the five functions and the escalation note', () => {
    const t = template('lh-management-oversight')
    assertFields(t, [
      ['planAdheredTo', 'long-text', /plan being adhered to/i],
      ['planNotWorking', 'long-text', /plan is not working/i],
      ['parentalCompliance', 'long-text', /parental non-compliance or disguised compliance/i],
      ['consentForReferrals', 'long-text', /consent .* for referrals/i],
      ['referralFeedback', 'long-text', /feedback on a referral been received, or chased/i],
      ['adviceSought', 'long-text', /advice sought .* recorded/i],
      ['wishesAndFeelings', 'long-text', /child’s wishes and feelings/i],
      ['diversityAndDisability', 'long-text', /diversity and disability/i],
      // LH-02 and LH-10
      ['functions', 'framework-tags', /key functions/i],
      ['escalationNeeded', 'yes-no', /escalated/i],
      ['escalationReasons', 'multiple-choice', /escalating/i],
      ['escalationNote', 'long-text', /escalation note/i],
      ['decisions', 'long-text', /decisions/i],
    ])
    const functions = field(t, 'functions')
    assert.ok(functions.kind === 'framework-tags')
    assert.equal(functions.framework, 'lh-five-functions')
    assert.deepEqual(
      functions.options.map((o) => o.label),
      [
        'Management oversight and accountability',
        'Continuing professional development',
        'Multi-agency working',
        'Voice of the child',
        'Personal support',
      ],
    )
    const reasons = field(t, 'escalationReasons')
    assert.ok(reasons.kind === 'multiple-choice')
    assert.deepEqual(
      reasons.options.map((o) => o.value),
      ['not-progressing', 'ineffective-multi-agency-working', 'other-case-management'],
    )
    assert.match(t.sections.find((s) => s.id === 'escalation')?.hint ?? '', /LSCB dispute resolution procedure/)
  })

  test('PL-01, PL-04, PL-07: the PLACE record tags the four principles, files consultations and feeds development planning', () => {
    const t = template('pl-supervision-record')
    const principles = field(t, 'principles')
    assert.ok(principles.kind === 'framework-tags')
    assert.equal(principles.options.length, 4)
    assert.deepEqual(
      columnsOf(t, 'youngPersonConsultations').map((c) => c.id),
      ['youngPerson', 'discussion', 'decision', 'placedOnFile'],
    )
    assert.match(field(t, 'learningNeeds').hint ?? '', /professional development planning/i)
  })

  test('MW-02: the Meanwood contract is signed, returned to the DSL or deputy DSL, and shows its yearly review date', () => {
    const t = template('mw-contract')
    assert.equal(t.kind, 'contract')
    assertFields(t, [
      ['agreedFrequency', 'short-text', /frequency/i],
      ['venue', 'short-text', /venue/i],
      ['collectedBy', 'person', /return the signed contract to/i],
      ['reviewDate', 'date', /date of review of contract/i],
      ['signatures', 'signatures', /signed/i],
    ])
    const collectedBy = field(t, 'collectedBy')
    assert.ok(collectedBy.kind === 'person')
    assert.deepEqual(collectedBy.roles, ['dsl', 'deputy-dsl'])
    const text = clauseText(t)
    assert.match(text, /returns the signed contract to \{\{collectedBy\}\}/)
    assert.match(text, /reviewed every year\. Date of review of contract: \{\{reviewDate\}\}/)
    assert.match(text, /\{\{agreedFrequency\|policy\.frequency\}\}/, 'MW-03: the contract may set a stricter frequency')
    const rendered = renderContract(t, {
      ...fullContext,
      values: {
        venue: 'The library office',
        collectedBy: { personId: 'p-dsl', name: 'Jamie Chapman' },
        reviewDate: '2027-09-01',
        disputeThirdPerson: { personId: null, name: 'Alex Morgan' },
        startDate: '2026-09-07',
      },
    })
    assert.deepEqual(rendered.problems, [])
    assert.deepEqual(rendered.missing, [])
    const all = rendered.clauses.map((c) => `${c.heading}\n${c.text}\n${c.items.join('\n')}`).join('\n')
    assert.match(all, /returns the signed contract to Jamie Chapman/)
    assert.match(all, /Date of review of contract: 1 September 2027/)
    assert.match(all, /Sam Patel, EYFS practitioner/)
    assert.doesNotMatch(all, /\{\{|\}\}/)
  })

  test('MW-11: the Meanwood contract names a third person for disputes, and both are told in advance', () => {
    const t = template('mw-contract')
    assertFields(t, [['disputeThirdPerson', 'person', /named person for a dispute resolution meeting/i]])
    assert.equal(field(t, 'disputeThirdPerson').required, true)
    const clause = t.clauses?.find((c) => c.id === 'disputeResolution')
    assert.ok(clause)
    assert.match(clause.text, /meet together with \{\{disputeThirdPerson\}\}/)
    assert.match(clause.text, /aware in advance that a dispute resolution meeting has been arranged/)
    const rendered = renderContract(t, { ...fullContext, values: { disputeThirdPerson: 'Alex Morgan' } })
    const dispute = rendered.clauses.find((c) => c.heading === 'Resolving disagreements')
    assert.match(dispute?.text ?? '', /meet together with Alex Morgan to make sure/)
  })

  test('AM-05: the Ashbury Meadow contract has exactly the terms of appendix A', () => {
    const t = template('am-contract')
    assertFields(t, [
      ['agreedDate', 'date', /agreed date/i],
      ['reviewDate', 'date', /review date/i],
      ['venue', 'short-text', /venue/i],
      ['signatures', 'signatures', /name and signature/i],
    ])
    const signatures = field(t, 'signatures')
    assert.ok(signatures.kind === 'signatures')
    assert.equal(signatures.includeRole, true, 'name, role and signature of each party')
    assert.deepEqual(
      signatures.signatories.map((s) => s.id),
      ['supervisee', 'supervisor'],
    )
    const text = clauseText(t)
    const terms: RegExp[] = [
      /Supervisee: \{\{supervisee\.name\}\}, \{\{supervisee\.role\}\}/,
      /Supervisor: \{\{supervisor\.name\}\}, \{\{supervisor\.role\}\}/,
      /Agreed date: \{\{agreedDate\}\}\. Review date: \{\{reviewDate\}\}/,
      /undertaken \{\{policy\.frequency\}\}, or sooner if requested, and will be for \{\{policy\.duration\}\}/,
      /uninterrupted environment\. The venue will be \{\{venue\}\}/,
      /preparation for supervision will include identifying cases to discuss and starting reflection/,
      /responsibility to notify the other in the event of cancellation or postponement/,
      /local authority \(MCC\) safeguarding team will be consulted with the agreement of both parties/,
      /disagreement is with the Principal, it will be referred to the Chair of Governors/,
      /respect the confidentiality of the supervisee in all areas except/,
      /child protection concerns about the supervisee/,
      /bring the school into disrepute/,
      /potential disciplinary matter/,
      /whistleblowing/,
      /recorded, signed, shared and kept securely/,
      /agreed by the DSL will be entered into the individual child’s safeguarding record/,
    ]
    for (const term of terms) assert.match(text, term)
    const rendered = renderContract(t, {
      ...fullContext,
      policy: { frequency: 'each half term', duration: '1 hour' },
      values: { agreedDate: '2026-09-10', reviewDate: '2027-09-10', venue: 'the DSL office' },
    })
    assert.deepEqual(rendered.problems, [])
    assert.deepEqual(rendered.missing, [])
    const all = rendered.clauses.flatMap((c) => [c.text, ...c.items]).join('\n')
    assert.match(all, /undertaken each half term, or sooner if requested, and will be for 1 hour/)
    assert.match(all, /Agreed date: 10 September 2026\. Review date: 10 September 2027\./)
  })

  test('CA-09, CA-11: the Cornerstone contract says records are private but not confidential, and supervision is not appraisal', () => {
    const text = clauseText(template('ca-contract'))
    assert.match(text, /private but not confidential/)
    assert.match(text, /always be with the supervisee’s knowledge/)
    assert.match(text, /not appraisal or performance management/)
    assert.match(text, /rebooked within 5 working days/)
  })

  test('issue 8: every contract renders with a full context, with no problems and no placeholder left', () => {
    for (const t of builtInTemplates().filter((x) => x.kind === 'contract')) {
      const values: Record<string, unknown> = {}
      for (const f of templateFields(t)) {
        if (f.kind === 'date') values[f.id] = '2026-09-01'
        if (f.kind === 'short-text') values[f.id] = 'agreed text'
        if (f.kind === 'person') values[f.id] = { personId: null, name: 'A Person' }
      }
      const rendered = renderContract(t, { ...fullContext, values })
      assert.deepEqual(rendered.problems, [], t.id)
      assert.deepEqual(rendered.missing, [], t.id)
      for (const c of rendered.clauses) assert.doesNotMatch(`${c.heading}${c.text}${c.items.join('')}`, /\{\{|\}\}/)
      assert.ok(
        t.clauses?.some((c) => /\{\{reviewDate\}\}/.test(c.text)),
        `${t.id} shows its review date`,
      )
    }
  })
})
