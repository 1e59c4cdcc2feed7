import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contractAccess, partiesStillToSign } from './access.ts'
import type { ContractStatus } from './model.ts'

const contract = (status: ContractStatus) => ({ superviseeId: 'see', supervisorId: 'sor', status })
const both = ['supervisee', 'supervisor'] as const

test('MW-02: the supervisee and supervisor see their issued contract; others only with contracts.manage', () => {
  const access = (personId: string, status: ContractStatus, canManage = false) =>
    contractAccess({ personId, canManage, contract: contract(status), signedBy: both, signatures: [] })
  assert.deepEqual(access('see', 'issued'), { view: true, signAs: 'supervisee', manage: false })
  assert.deepEqual(access('sor', 'issued'), { view: true, signAs: 'supervisor', manage: false })
  assert.deepEqual(access('other', 'issued'), { view: false, signAs: null, manage: false })
  assert.deepEqual(access('dsl', 'issued', true), { view: true, signAs: null, manage: true })
  assert.equal(access('see', 'draft').view, false, 'a draft is not shown to the parties yet')
  assert.equal(access('dsl', 'draft', true).view, true)
  assert.equal(access('see', 'signed').signAs, null)
  assert.equal(access('see', 'superseded').view, true, 'every version stays viewable')
})

test('each party signs once, and only parties the policy names', () => {
  const signatures = [{ personId: 'see', role: 'supervisee' as const }]
  assert.equal(
    contractAccess({ personId: 'see', canManage: false, contract: contract('issued'), signedBy: both, signatures })
      .signAs,
    null,
  )
  assert.equal(
    contractAccess({ personId: 'sor', canManage: false, contract: contract('issued'), signedBy: both, signatures })
      .signAs,
    'supervisor',
  )
  assert.equal(
    contractAccess({
      personId: 'sor',
      canManage: false,
      contract: contract('issued'),
      signedBy: ['supervisee'],
      signatures: [],
    }).signAs,
    null,
  )
  assert.deepEqual(partiesStillToSign(both, signatures), ['supervisor'])
  assert.deepEqual(partiesStillToSign(both, [...signatures, { personId: 'sor', role: 'supervisor' }]), [])
})
