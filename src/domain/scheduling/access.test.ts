import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mayAnswerRequest, mayBook, mayBookAny, sessionAbilities } from './access.ts'

const dsl = { personId: 'dsl', roles: ['dsl'] }
const admin = { personId: 'admin', roles: ['administrator'] }
const supervisor = { personId: 'sup', roles: ['year-head'] }
const supervisee = { personId: 'tee', roles: ['class-teacher'] }
const stranger = { personId: 'x', roles: ['class-teacher'] }
const session = {
  supervisorIds: ['sup'],
  superviseeIds: ['tee'],
  status: 'planned' as const,
  date: '2026-11-23',
  rebooked: false,
}
const nameOf = (id: string) => ({ tee: 'Tess Ward', other: 'Omar Ince' })[id] ?? id

describe('session abilities', () => {
  test('participants and people who manage sessions see a session; nobody else', () => {
    for (const actor of [dsl, admin, supervisor, supervisee])
      assert.equal(sessionAbilities(actor, session, '2026-11-23').view, true)
    assert.equal(sessionAbilities(stranger, session, '2026-11-23').view, false)
    assert.equal(sessionAbilities(null, session, '2026-11-23').view, false)
  })

  test('AM-05: either party may cancel or postpone; only the supervisor side marks it held or not attended', () => {
    const tee = sessionAbilities(supervisee, session, '2026-11-23')
    assert.equal(tee.cancel, true)
    assert.equal(tee.postpone, true)
    assert.equal(tee.markHeld, false)
    assert.equal(tee.markDidNotAttend, false)
    const sup = sessionAbilities(supervisor, session, '2026-11-23')
    assert.equal(sup.markHeld, true)
    assert.equal(sessionAbilities(supervisor, session, '2026-11-22').markHeld, false, 'not before the day')
  })

  test('a cancelled session may be rebooked once, by the supervisor side', () => {
    const cancelled = { ...session, status: 'cancelled' as const }
    assert.equal(sessionAbilities(supervisor, cancelled, '2026-11-23').rebook, true)
    assert.equal(sessionAbilities(supervisee, cancelled, '2026-11-23').rebook, false)
    assert.equal(sessionAbilities(dsl, { ...cancelled, rebooked: true }, '2026-11-23').rebook, false)
    assert.equal(sessionAbilities(dsl, cancelled, '2026-11-23').cancel, false)
  })
})

describe('who may book', () => {
  test('sessions.manage books for anyone; a supervisor for their own supervisees, leading the session', () => {
    assert.deepEqual(mayBook(dsl, { supervisorIds: ['sup'], superviseeIds: ['other'] }, new Set(), nameOf), {
      allowed: true,
    })
    assert.deepEqual(
      mayBook(supervisor, { supervisorIds: ['sup'], superviseeIds: ['tee'] }, new Set(['tee']), nameOf),
      { allowed: true },
    )
    const notTheirs = mayBook(
      supervisor,
      { supervisorIds: ['sup'], superviseeIds: ['other'] },
      new Set(['tee']),
      nameOf,
    )
    assert.equal(
      !notTheirs.allowed && notTheirs.message,
      'You can only book sessions for people you supervise or line-manage. Ask the DSL to book a session for Omar Ince',
    )
    const forSomeoneElse = mayBook(
      supervisor,
      { supervisorIds: ['dsl'], superviseeIds: ['tee'] },
      new Set(['tee']),
      nameOf,
    )
    assert.equal(forSomeoneElse.allowed, false)
    assert.equal(mayBookAny(supervisee, 0), false)
    assert.equal(mayBookAny(supervisor, 1), true)
  })

  test('CA-04: a request is answered by the supervisor it went to or the DSL, never the requester', () => {
    assert.equal(mayAnswerRequest(supervisor, { requesterId: 'tee', supervisorId: 'sup' }), true)
    assert.equal(mayAnswerRequest(dsl, { requesterId: 'tee', supervisorId: 'sup' }), true)
    assert.equal(mayAnswerRequest(stranger, { requesterId: 'tee', supervisorId: 'sup' }), false)
    assert.equal(mayAnswerRequest(dsl, { requesterId: 'dsl', supervisorId: null }), false)
  })
})
