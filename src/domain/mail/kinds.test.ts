import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { batchByRecipient, composeDigest, deliveryOf, EMAIL_KINDS, emailKinds } from './kinds.ts'

const invited = { known: true, invited: true, digest: false }
const uninvited = { known: true, invited: false, digest: false }
const digester = { known: true, invited: true, digest: true }
const stranger = { known: false, invited: false, digest: false }

test('issue 18: someone never invited is not emailed, except the sign-in links that invite them', () => {
  assert.equal(deliveryOf('contract.to-sign', uninvited), 'skip')
  assert.equal(deliveryOf('session.year-planned', uninvited), 'skip')
  assert.equal(deliveryOf('safeguarding.case-escalation', uninvited), 'skip')
  assert.equal(deliveryOf('account.invitation', uninvited), 'now')
  assert.equal(deliveryOf('account.password-reset', uninvited), 'now')
  assert.equal(deliveryOf('contract.to-sign', invited), 'now')
  // An address Haven does not hold for any person (an operator's, a trust's inbox) still gets mail.
  assert.equal(deliveryOf('governors.report', stranger), 'now')
})

test('issue 18: a daily digest holds what is not urgent; sign-in links, security and safeguarding never wait', () => {
  assert.equal(deliveryOf('contract.to-sign', digester), 'hold')
  assert.equal(deliveryOf('session.booked', digester), 'hold')
  for (const kind of [
    'account.invitation',
    'account.password-reset',
    'account.two-step-moved',
    'account.sign-in-failures',
    'safeguarding.case-escalation',
    'session.changed',
    'digest.daily',
  ] as const) {
    assert.equal(deliveryOf(kind, digester), 'now', kind)
  }
})

test('issue 18: the digest is one message with each held email under its subject, oldest first', () => {
  assert.equal(composeDigest([], '4 December 2026'), null)
  const digest = composeDigest(
    [
      { subject: 'Supervision booked', text: 'When: Monday\nhttps://haven.example/sessions/1' },
      { subject: 'A contract to sign', text: 'https://haven.example/contracts/2\n' },
    ],
    '4 December 2026',
  )
  assert.ok(digest)
  assert.equal(digest.subject, 'Haven: your daily summary for 4 December 2026 (2 messages)')
  assert.ok(digest.text.indexOf('Supervision booked') < digest.text.indexOf('A contract to sign'))
  assert.match(digest.text, /https:\/\/haven\.example\/sessions\/1/)
  assert.match(digest.text, /https:\/\/haven\.example\/contracts\/2/)
  assert.match(composeDigest([{ subject: 'One', text: 'x' }], 'today')?.subject ?? '', /\(1 message\)/)
})

test('issue 18: items are batched into one group per person, in the order each person first appears', () => {
  const groups = batchByRecipient([
    { personId: 'b', n: 1 },
    { personId: 'a', n: 2 },
    { personId: 'b', n: 3 },
  ])
  assert.deepEqual(
    groups.map((g) => g.map((i) => i.n)),
    [[1, 3], [2]],
  )
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : []
  })
}

test('issue 18: every kind of email in the catalogue is sent by some service, and urgent kinds are named for a reason', () => {
  const source = sourceFiles(join(import.meta.dirname, '..', '..', 'services'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n')
  for (const kind of emailKinds) {
    assert.ok(source.includes(`'${kind}'`), `no service sends email of kind ${kind}`)
    assert.equal(typeof EMAIL_KINDS[kind].urgent, 'boolean')
  }
})
