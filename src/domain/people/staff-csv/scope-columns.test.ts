/** The In scope and Scope reason columns of a staff import (X-04, issue 14). */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { staffCsvColumns } from './index.ts'
import { aPerson, csv, errorsOf, planned } from './test-support.ts'

describe('X-04: the In scope column decides by name, with a reason', () => {
  test('X-04: Yes brings someone into scope and No takes them out, each with its reason; blank leaves it', () => {
    const existing = [aPerson({ id: 'p-1', email: 'ann@school.example', name: 'Ann Archer' })]
    const result = planned(
      csv([
        'Full name,Email,In scope,Scope reason',
        'Ann Archer,ann@school.example,Yes,  Holds child protection   casework ',
        'Ben Brook,ben@school.example,n,Casework handed over',
        'Cat Cole,cat@school.example,,',
      ]),
      existing,
    )
    assert.deepEqual(result.scopeDecisions, [
      { email: 'ann@school.example', name: 'Ann Archer', required: true, reason: 'Holds child protection casework' },
      { email: 'ben@school.example', name: 'Ben Brook', required: false, reason: 'Casework handed over' },
    ])
    assert.equal(result.unchanged.length, 1, 'a decision by name is not a change to their details')
  })

  test('X-04: a decision needs a reason, and a reason needs a decision; errors name the column', () => {
    const errors = errorsOf(
      csv([
        'Full name,Email,In scope,Scope reason',
        'Ann Archer,ann@school.example,Yes,',
        'Ben Brook,ben@school.example,Maybe,Because',
        'Cat Cole,cat@school.example,,Because',
      ]),
    )
    assert.deepEqual(
      errors.map((e) => [e.row, e.column, e.message]),
      [
        [2, 'Scope reason', 'Enter a scope reason when In scope is Yes or No'],
        [3, 'In scope', 'In scope must be yes or no'],
        [4, 'In scope', 'Enter Yes or No in In scope, or leave Scope reason blank'],
      ],
    )
    const noReasonColumn = errorsOf(
      csv(['Full name,Email,Must receive supervision', 'Ann Archer,ann@school.example,Yes']),
    )
    assert.deepEqual(
      noReasonColumn.map((e) => [e.column, e.message]),
      [['Must receive supervision', 'Enter a scope reason when In scope is Yes or No']],
    )
  })

  test('X-04: the import guide documents both columns', () => {
    const inScope = staffCsvColumns.find((c) => c.key === 'inScope')
    const reason = staffCsvColumns.find((c) => c.key === 'scopeReason')
    assert.match(inScope?.description ?? '', /Yes to bring them into scope, No to take them out/)
    assert.match(reason?.requiredNote ?? '', /Needed when In scope is Yes or No/)
  })
})
