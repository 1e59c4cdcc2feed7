import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mayAnswerRequest, mayAskOnBehalf, mayViewRequest } from './access.ts'

const dsl = { personId: 'dsl', roles: ['dsl'] }
const chair = { personId: 'chair', roles: ['governor'] }
const supervisor = { personId: 'sup', roles: ['year-head'] }
const head = { personId: 'head', roles: ['headteacher'] }
const colleague = { personId: 'col', roles: ['class-teacher'] }

describe('asking for a session on someone else’s behalf (issue 14)', () => {
  test('CA-04: a supervisor or line manager may ask for the people they supervise, nobody else', () => {
    assert.equal(mayAskOnBehalf(supervisor, 'tee', new Set(['tee'])), true)
    assert.equal(mayAskOnBehalf(supervisor, 'other', new Set(['tee'])), false)
    assert.equal(mayAskOnBehalf(colleague, 'tee', new Set()), false)
  })

  test('CA-04: the chair asks for the headteacher they supervise (an invented arrangement: a governor as supervisor)', () => {
    assert.equal(mayAskOnBehalf(chair, 'head', new Set(['head'])), true)
    assert.equal(mayAskOnBehalf(head, 'chair', new Set()), false)
  })

  test('CA-04: whoever manages the school’s sessions may ask for anyone', () => {
    assert.equal(mayAskOnBehalf(dsl, 'anyone', new Set()), true)
  })

  test('asking for oneself is not asking on someone’s behalf', () => {
    assert.equal(mayAskOnBehalf(supervisor, 'sup', new Set(['sup'])), false)
  })

  test('CA-04: who asked may see the request; the person it is for may not answer it', () => {
    const request = { requesterId: 'tee', requestedById: 'col', supervisorId: 'sup' }
    assert.equal(mayViewRequest(colleague, request), true)
    assert.equal(mayViewRequest({ personId: 'tee', roles: [] }, request), true)
    assert.equal(mayViewRequest(head, request), false)
    assert.equal(mayAnswerRequest({ personId: 'tee', roles: [] }, request), false)
    assert.equal(mayAnswerRequest(supervisor, request), true)
    assert.equal(mayViewRequest(colleague, { ...request, requestedById: null }), false)
  })
})
