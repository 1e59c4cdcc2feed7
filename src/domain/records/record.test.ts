import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { templateById } from '../../packs/templates.ts'
import {
  actionsFormId,
  boundaryRequired,
  checkIntegrity,
  checkRecord,
  decisionChoices,
  missingSigners,
  newRecordDocument,
  type RecordDocument,
  readRecordDocument,
  recordContentHash,
  requiredSigners,
  type SessionSnapshot,
  settleDecision,
  withActionValues,
} from './record.ts'

const session: SessionSnapshot = {
  date: '2026-10-07',
  startTime: '15:30',
  typeId: 'formal-planned',
  typeName: 'Formal planned supervision',
  group: false,
  supervisors: [{ personId: 'sup-1', name: 'Dana Ellis', attended: true }],
  supervisees: [{ personId: 'see-1', name: 'Priya Shah', attended: true }],
}

const ca = templateById('ca-supervision-record')!
const am = templateById('am-notes-actions')!
const mw = templateById('mw-decision-record')!

function filledCa(): RecordDocument {
  const doc = newRecordDocument(ca, session)
  doc.values['supervisionType'] = 'formal'
  doc.values['progressOnTasks'] = 'Both tasks done.'
  doc.values['summary'] = 'Discussed two cases.'
  doc.actions = [
    {
      id: 'act-1',
      text: 'Chase the CAMHS referral',
      ownerKind: 'supervisee',
      ownerId: 'see-1',
      ownerName: 'Priya Shah',
      dueOn: '2026-10-21',
    },
  ]
  return doc
}

describe('the record of a session', () => {
  test('X-05: a new record has the session date, the supervisor and the supervisee filled in', () => {
    const doc = newRecordDocument(ca, session)
    assert.equal(doc.values['date'], '2026-10-07')
    assert.deepEqual(doc.values['supervisee'], { personId: 'see-1', name: 'Priya Shah' })
    assert.deepEqual(doc.values['supervisor'], { personId: 'sup-1', name: 'Dana Ellis' })
    const mwDoc = newRecordDocument(mw, session)
    assert.equal(mwDoc.values['supervisionDate'], '2026-10-07')
  })

  test('X-05: actions fill the template’s own actions field, or a list of Haven’s own when it has none', () => {
    assert.equal(actionsFormId(ca), 'agreedFurtherActions')
    assert.equal(actionsFormId(am), 'havenActions')
    const doc = withActionValues(ca, filledCa())
    assert.deepEqual(doc.values['agreedFurtherActions'], [
      { id: 'act-1', text: 'Chase the CAMHS referral', owner: 'Priya Shah', ownerId: 'see-1', dueOn: '2026-10-21' },
    ])
  })

  test('X-05, CA-07: completing needs the template’s required fields and a status for each of last time’s actions', () => {
    const blank = newRecordDocument(ca, session)
    const previousActions = [{ id: 'old-1', text: 'Read the new procedures' }]
    const draft = checkRecord(ca, blank, { mode: 'draft', previousActions, boundaryRequired: false })
    assert.deepEqual(draft, {})
    const errors = checkRecord(ca, blank, { mode: 'complete', previousActions, boundaryRequired: false })
    assert.equal(errors['summary'], 'Enter a summary')
    assert.equal(errors['supervisionType'], 'Select the type of supervision')
    assert.equal(errors['reviews-old-1'], 'Select what happened to earlier action 1')
    const done = filledCa()
    done.reviews = [
      {
        actionId: 'old-1',
        status: 'done',
        reason: '',
        text: 'Read',
        ownerName: 'Priya Shah',
        dueOn: '',
        raisedOn: '2026-09-10',
      },
    ]
    assert.deepEqual(checkRecord(ca, done, { mode: 'complete', previousActions, boundaryRequired: false }), {})
  })

  test('MW-09: a required actions field is required through Haven’s action list; errors name the form controls', () => {
    const doc = newRecordDocument(mw, session)
    const errors = checkRecord(mw, doc, { mode: 'complete', previousActions: [], boundaryRequired: false })
    assert.match(errors['actionsAgreed'] ?? '', /Add at least one action/)
    doc.actions = [{ id: 'a', text: '', ownerKind: 'other', ownerId: null, ownerName: '', dueOn: '2026-02-30' }]
    const more = checkRecord(mw, doc, { mode: 'draft', previousActions: [], boundaryRequired: false })
    assert.equal(more['actionsAgreed-0-dueOn'], 'The due date for action 1 must be a real date')
  })

  test('LH-06: a group that records its confidentiality boundary cannot complete without it; decisions need a name and text', () => {
    assert.equal(boundaryRequired({ group: true, recordsConfidentialityBoundary: true }), true)
    assert.equal(boundaryRequired({ group: true, recordsConfidentialityBoundary: false }), false)
    assert.equal(boundaryRequired({ group: false, recordsConfidentialityBoundary: true }), false)
    const doc = filledCa()
    doc.decisions = [{ id: 'd1', kind: 'child', name: '', reference: 'C123', decision: '' }]
    const errors = checkRecord(ca, doc, { mode: 'complete', previousActions: [], boundaryRequired: true })
    assert.equal(errors['boundary'], 'Enter the confidentiality boundary the group agreed')
    assert.equal(errors['decisions-0-name'], 'Enter the name of the child or family for decision 1')
    assert.equal(errors['decisions-0-decision'], 'Enter decision 1')
  })

  test('X-06: the content hash covers values, actions, reviews, decisions and the boundary, whatever the key order', () => {
    const doc = filledCa()
    const hash = recordContentHash(ca, doc)
    assert.match(hash, /^[0-9a-f]{64}$/)
    const reordered = readRecordDocument(
      JSON.parse(JSON.stringify({ ...doc, values: Object.fromEntries(Object.entries(doc.values).reverse()) })),
    )
    assert.equal(recordContentHash(ca, reordered), hash)
    const changes: ((d: RecordDocument) => void)[] = [
      (d) => {
        d.values['summary'] = 'Discussed three cases.'
      },
      (d) => {
        d.actions[0]!.dueOn = '2026-10-22'
      },
      (d) => {
        d.decisions.push({ id: 'd', kind: 'child', name: 'A', reference: '', decision: 'Refer' })
      },
      (d) => {
        d.boundary = 'Stays in the room'
      },
      (d) => {
        d.session = { ...d.session!, supervisees: [] }
      },
    ]
    for (const change of changes) {
      const changed = structuredClone(doc)
      change(changed)
      assert.notEqual(recordContentHash(ca, changed), hash)
    }
  })

  test('X-06: a decision with no pupil hashes the same whether its pupil is null, empty or absent, before and after storing', () => {
    const base = filledCa()
    const decision = {
      id: 'd1',
      kind: 'child' as const,
      name: 'A child',
      reference: '',
      decision: 'Refer to early help',
    }
    const hashes = [undefined, null, ''].map((pupilId) => {
      const doc = structuredClone(base)
      doc.decisions = [pupilId === undefined ? decision : { ...decision, pupilId }]
      const completed = recordContentHash(ca, doc)
      // What the integrity check hashes later: the document as stored and read back.
      const stored = readRecordDocument(JSON.parse(JSON.stringify(doc)))
      assert.equal(
        recordContentHash(ca, stored),
        completed,
        `pupilId ${JSON.stringify(pupilId)}: not altered by storing`,
      )
      assert.equal(
        checkIntegrity({
          status: 'completed',
          currentHash: recordContentHash(ca, stored),
          completedHash: completed,
          signatures: [],
        }).altered,
        false,
      )
      return completed
    })
    assert.equal(new Set(hashes).size, 1, 'no pupil is no pupil, however it is written')
    const withPupil = structuredClone(base)
    withPupil.decisions = [{ ...decision, pupilId: 'p1' }]
    assert.notEqual(recordContentHash(ca, withPupil), hashes[0], 'choosing a pupil changes the content')
  })

  test('X-06: any change to a text value changes the hash (property)', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 40 })
          .filter((s) => s.trim() !== '' && s.trim() !== 'Discussed two cases.'),
        (text) => {
          const doc = filledCa()
          const changed = structuredClone(doc)
          changed.values['summary'] = text
          assert.notEqual(recordContentHash(ca, changed), recordContentHash(ca, doc))
        },
      ),
    )
  })

  test('X-05, issue 14: someone who may not sign is not asked to sign, and cannot', () => {
    const withVolunteer: SessionSnapshot = {
      ...session,
      supervisees: [{ personId: 'vol', name: 'Vera', attended: null, maySign: false }],
    }
    assert.deepEqual(
      requiredSigners(withVolunteer, ['supervisor', 'supervisee']).map((s) => `${s.role}:${s.personId}`),
      ['supervisor:sup-1'],
    )
  })

  test('X-05, LH-06: both parties sign, and of a group each attendee; those marked absent do not', () => {
    const group: SessionSnapshot = {
      ...session,
      group: true,
      supervisees: [
        { personId: 'a', name: 'A', attended: true },
        { personId: 'b', name: 'B', attended: false },
        { personId: 'c', name: 'C', attended: null },
      ],
    }
    assert.deepEqual(
      requiredSigners(group, ['supervisor', 'supervisee']).map((s) => `${s.role}:${s.personId}`),
      ['supervisor:sup-1', 'supervisee:a', 'supervisee:c'],
    )
    assert.deepEqual(
      requiredSigners(group, ['supervisor']).map((s) => s.personId),
      ['sup-1'],
    )
    assert.equal(requiredSigners(group, []).length, 3, 'both when the policy names nobody')
    const required = requiredSigners(session, ['supervisor', 'supervisee'])
    assert.deepEqual(
      missingSigners(required, [
        { personId: 'sup-1', contentHash: 'x', superseded: false },
        { personId: 'see-1', contentHash: 'x', superseded: true },
      ]).map((s) => s.personId),
      ['see-1'],
    )
  })

  test('X-06: a record whose content no longer matches what was completed and signed is shown as altered', () => {
    const fine = checkIntegrity({
      status: 'signed',
      currentHash: 'h1',
      completedHash: 'h1',
      signatures: [{ personId: 'a', contentHash: 'h1', superseded: false }],
      versionHash: 'h1',
    })
    assert.deepEqual(fine, { altered: false, reasons: [] })
    const altered = checkIntegrity({
      status: 'signed',
      currentHash: 'h2',
      completedHash: 'h1',
      signatures: [
        { personId: 'a', contentHash: 'h1', superseded: false },
        { personId: 'b', contentHash: 'h1', superseded: false },
        { personId: 'c', contentHash: 'h0', superseded: true },
      ],
      versionHash: 'h1',
    })
    assert.equal(altered.altered, true)
    assert.equal(altered.reasons.length, 3)
    assert.match(altered.reasons[2]!, /what 2 people signed/)
    assert.equal(
      checkIntegrity({ status: 'draft', currentHash: 'h2', completedHash: 'h1', signatures: [] }).altered,
      false,
      'a reopened draft is being changed on purpose',
    )
  })

  test('readRecordDocument survives anything stored', () => {
    for (const raw of [null, 3, 'x', [], { values: 3, actions: 'x', reviews: [null, 4], session: [] }]) {
      const doc = readRecordDocument(raw)
      assert.deepEqual(doc.actions, [])
      assert.equal(doc.session, null)
    }
  })
})

describe('who a decision is about (issue 15 item 1)', () => {
  const pupil = { id: 'p1', name: 'Aisha Begum', upn: 'A123456789012', misId: '1001' }
  const decision = { id: 'd1', kind: 'child' as const, pupilId: 'p1', name: '', reference: '', decision: 'Early help' }

  test('X-07: school staff choose a child from the register, whose name and reference are the register’s', () => {
    const choices = decisionChoices({ supervisorIsExternal: false, registerHasPupils: true })
    assert.deepEqual(choices, { register: true, pseudonym: false })
    assert.deepEqual(settleDecision(decision, choices, pupil), {
      ...decision,
      name: 'Aisha Begum',
      reference: 'A123456789012',
    })
    // A pupil not found in the school's register is not linked.
    assert.equal(settleDecision(decision, choices, null).pupilId, undefined)
    // A pseudonym is not offered to school staff: the child is named in free text.
    assert.equal(settleDecision({ ...decision, kind: 'pseudonym' }, choices, null).kind, 'child')
  })

  test('CA-12: an external supervisor never chooses from the register, and may give a pseudonym', () => {
    const choices = decisionChoices({ supervisorIsExternal: true, registerHasPupils: true })
    assert.deepEqual(choices, { register: false, pseudonym: true })
    const settled = settleDecision({ ...decision, name: 'Child K' }, choices, pupil)
    assert.equal(settled.pupilId, undefined)
    assert.equal(settled.name, 'Child K')
    assert.equal(settleDecision({ ...decision, kind: 'pseudonym', name: 'Child K' }, choices, null).kind, 'pseudonym')
  })
})
