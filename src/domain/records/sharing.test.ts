import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { Disclosure } from '../policy/model.ts'
import { validatePolicy } from '../policy/validate.ts'
import {
  canShareRecord,
  checkShare,
  includesPart,
  mayOpenShare,
  mayWithdrawShare,
  partsInWords,
  shareableParts,
  sharedTemplate,
  shareOpensAt,
  shareRecipients,
  shareState,
} from './sharing.ts'
import type { Template } from './template.ts'

const disclosure: Disclosure = {
  reasons: [
    { id: 'child-protection', label: 'Child protection concerns about the supervisee' },
    { id: 'whistleblowing', label: 'Whistleblowing' },
  ],
  toSupervisorsLineManager: true,
  toRoles: ['dsl', 'hr-manager'],
  superviseeTold: 'before',
  noticeDays: 2,
}

const staff = [
  { id: 'sup', name: 'Sam Supervisor', jobTitle: 'Deputy head', roles: ['line-manager'] },
  { id: 'see', name: 'Sue Supervisee', jobTitle: 'Teacher', roles: ['class-teacher'] },
  { id: 'boss', name: 'Bea Boss', jobTitle: 'Assistant head', roles: [] },
  { id: 'dsl', name: 'Dee Lead', jobTitle: 'DSL', roles: ['dsl'] },
  { id: 'hr', name: 'Harry Resources', jobTitle: 'HR', roles: ['hr-manager'] },
  { id: 'head', name: 'Hattie Head', jobTitle: 'Headteacher', roles: ['headteacher', 'line-manager'] },
  { id: 'other', name: 'Olly Other', jobTitle: 'Teacher', roles: ['class-teacher'] },
]

const template = {
  sections: [
    { id: 'wellbeing', title: 'Wellbeing', fields: [{ id: 'feel', kind: 'text' }] },
    { id: 'cases', title: 'Cases', fields: [{ id: 'case', kind: 'text' }] },
    { id: 'signatures', title: 'Signatures', fields: [{ id: 'sig', kind: 'signatures' }] },
  ],
} as unknown as Pick<Template, 'sections'>

describe('who may receive a shared record', () => {
  test('CA-09: the supervisor’s own line manager and the roles the policy names; never a party to the record', () => {
    const ids = shareRecipients({
      disclosure,
      headteacherFeedback: 'none',
      lineManagerIds: ['boss'],
      staff,
      partyIds: ['sup', 'see'],
    }).map((r) => [r.id, r.because])
    assert.deepEqual(ids, [
      ['boss', 'line-manager'],
      ['dsl', 'role'],
      ['hr', 'role'],
    ])
  })

  test('CA-09: the line manager only where the policy allows it', () => {
    const ids = shareRecipients({
      disclosure: { ...disclosure, toSupervisorsLineManager: false },
      headteacherFeedback: 'none',
      lineManagerIds: ['boss'],
      staff,
      partyIds: ['sup', 'see'],
    }).map((r) => r.id)
    assert.deepEqual(ids, ['dsl', 'hr'])
  })

  test('MW-10: a headteacher who receives general feedback only never receives content, even as line manager', () => {
    const input = {
      disclosure: { ...disclosure, toRoles: ['dsl', 'headteacher'] },
      lineManagerIds: ['head'],
      staff,
      partyIds: ['sup', 'see'],
    }
    assert.ok(!shareRecipients({ ...input, headteacherFeedback: 'general-only' }).some((r) => r.id === 'head'))
    assert.ok(shareRecipients({ ...input, headteacherFeedback: 'none' }).some((r) => r.id === 'head'))
  })

  test('CA-09: nobody, where the policy does not allow sharing', () => {
    assert.deepEqual(
      shareRecipients({ disclosure: null, headteacherFeedback: 'none', lineManagerIds: ['boss'], staff, partyIds: [] }),
      [],
    )
  })

  test('CA-09: only the supervisor shares, only a signed record, only where the policy allows', () => {
    assert.equal(canShareRecord('supervisor', 'signed', disclosure), true)
    assert.equal(canShareRecord('supervisee', 'signed', disclosure), false)
    assert.equal(canShareRecord('dsl', 'signed', disclosure), false)
    assert.equal(canShareRecord('supervisor', 'completed', disclosure), false)
    assert.equal(canShareRecord('supervisor', 'signed', null), false)
  })
})

describe('told before or after', () => {
  const now = new Date('2027-01-11T10:00:00Z')
  test('CA-09: told before, the named person waits out the notice period; told after, it opens at once', () => {
    assert.equal(shareOpensAt(disclosure, now).toISOString(), '2027-01-13T10:00:00.000Z')
    assert.equal(shareOpensAt({ superviseeTold: 'after', noticeDays: 0 }, now).toISOString(), now.toISOString())
    assert.equal(shareOpensAt({ superviseeTold: 'before', noticeDays: 0 }, now).toISOString(), now.toISOString())
  })

  test('CA-09: only the named person opens it, after the notice period, until it is withdrawn', () => {
    const share = { recipientId: 'dsl', opensAt: new Date('2027-01-13T10:00:00Z'), withdrawnAt: null }
    assert.equal(mayOpenShare(share, 'other', new Date('2027-01-14T00:00:00Z')), 'not-yours')
    assert.equal(mayOpenShare(share, 'dsl', now), 'waiting')
    assert.equal(mayOpenShare(share, 'dsl', new Date('2027-01-13T10:00:00Z')), 'open')
    assert.equal(mayOpenShare({ ...share, withdrawnAt: now }, 'dsl', new Date('2027-02-01T00:00:00Z')), 'withdrawn')
    assert.equal(shareState({ opensAt: now, withdrawnAt: null }, now), 'open')
  })

  test('CA-09: the supervisor who shared it, or the DSL, withdraws it, once', () => {
    const share = { sharedById: 'sup', withdrawnAt: null }
    assert.equal(mayWithdrawShare(share, { personId: 'sup', isDsl: false }), true)
    assert.equal(mayWithdrawShare(share, { personId: 'dsl', isDsl: true }), true)
    assert.equal(mayWithdrawShare(share, { personId: 'see', isDsl: false }), false)
    assert.equal(mayWithdrawShare({ ...share, withdrawnAt: new Date() }, { personId: 'sup', isDsl: false }), false)
  })
})

describe('which parts', () => {
  const document = { actions: [{ text: 'Call the family' }], decisions: [] } as never
  const parts = shareableParts(template, document)

  test('CA-09: the sections with content, and the actions; never the signature blocks', () => {
    assert.deepEqual(
      parts.map((p) => p.id),
      ['wellbeing', 'cases', 'actions'],
    )
    assert.deepEqual(
      sharedTemplate(template, ['cases']).sections.map((s: { id: string }) => s.id),
      ['cases'],
    )
    assert.deepEqual(
      sharedTemplate(template, null).sections.map((s: { id: string }) => s.id),
      ['wellbeing', 'cases'],
    )
    assert.equal(includesPart(['cases'], 'actions'), false)
    assert.equal(includesPart(null, 'actions'), true)
    assert.equal(partsInWords(['wellbeing', 'actions'], parts), 'Wellbeing and Agreed actions')
    assert.equal(partsInWords(null, parts), 'the whole record')
  })

  test('AM-05: the reason is one of the policy’s exceptions; who, why and which parts are all required', () => {
    const recipients = shareRecipients({
      disclosure,
      headteacherFeedback: 'none',
      lineManagerIds: [],
      staff,
      partyIds: [],
    })
    const bad = checkShare(
      { recipientId: 'other', reasonId: 'gossip', note: ' ', scope: 'parts', parts: ['nope'] },
      { disclosure, recipients, parts },
    )
    assert.equal(bad.ok, false)
    assert.deepEqual(Object.keys(bad.ok ? {} : bad.errors).sort(), ['note', 'parts', 'reason', 'recipient'])
    const good = checkShare(
      {
        recipientId: 'dsl',
        reasonId: 'whistleblowing',
        note: 'A concern',
        scope: 'parts',
        parts: ['actions', 'cases'],
      },
      { disclosure, recipients, parts },
    )
    assert.ok(good.ok)
    assert.deepEqual(good.ok && good.share.parts, ['cases', 'actions'])
    const whole = checkShare(
      { recipientId: 'dsl', reasonId: 'whistleblowing', note: 'A concern', scope: 'whole', parts: ['cases'] },
      { disclosure, recipients, parts },
    )
    assert.equal(whole.ok && whole.share.parts, null)
  })
})

describe('the policy’s rules for sharing', () => {
  const meanwood = () =>
    JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'packs', 'meanwood', 'policy.json'), 'utf8'))

  test('MW-10: a policy giving the headteacher general feedback only cannot list the headteacher to receive records', () => {
    assert.equal(validatePolicy(meanwood()).ok, true)
    const doc = meanwood()
    doc.confidentiality.disclosure.toRoles = ['dsl', 'headteacher']
    const result = validatePolicy(doc)
    assert.equal(result.ok, false)
    assert.ok(
      !result.ok && result.problems.some((p) => p.path.includes('toRoles') && /general feedback only/.test(p.message)),
    )
  })

  test('CA-09: a policy that allows sharing names who may receive; a notice period only when told before', () => {
    const doc = meanwood()
    doc.confidentiality.disclosure.toRoles = []
    doc.confidentiality.disclosure.superviseeTold = 'after'
    doc.confidentiality.disclosure.noticeDays = 3
    const result = validatePolicy(doc)
    assert.equal(result.ok, false)
    const messages = result.ok ? [] : result.problems.map((p) => p.message).join(' | ')
    assert.match(String(messages), /Say who a record may be shared with/)
    assert.match(String(messages), /A notice period applies only when the supervisee is told before/)
  })
})
