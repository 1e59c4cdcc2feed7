import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  flagOnClosing,
  flagWhileOpen,
  mayChangeFurtherSupport,
  mayReadFurtherSupport,
  mayStartFurtherSupport,
  reviewOverdue,
} from './further-support.ts'

const subject = { id: 'pat', lineManagerId: 'lin', supervisorIds: ['sue'] }
const item = { personId: 'pat', recordedBy: 'lin' }
const actor = (personId: string, roles: string[] = ['class-teacher']) => ({ personId, roles })

describe('further support', () => {
  test('LH-04: the line manager, the supervisor or the DSL may start it; never the person or a colleague', () => {
    assert.ok(mayStartFurtherSupport(actor('lin'), subject))
    assert.ok(mayStartFurtherSupport(actor('sue'), subject))
    assert.ok(mayStartFurtherSupport(actor('dee', ['dsl']), subject))
    assert.equal(mayStartFurtherSupport(actor('pat', ['dsl']), subject), false)
    assert.equal(mayStartFurtherSupport(actor('col'), subject), false)
    assert.equal(mayStartFurtherSupport(actor('hal', ['headteacher']), subject), false)
    assert.equal(mayStartFurtherSupport(actor('dev', ['deputy-dsl']), subject), false)
    assert.equal(mayStartFurtherSupport(null, subject), false)
  })

  test('LH-04: only the person, whoever recorded it and the DSL read it; only the recorder or the DSL change it', () => {
    assert.ok(mayReadFurtherSupport(actor('pat'), item))
    assert.ok(mayReadFurtherSupport(actor('lin'), item))
    assert.ok(mayReadFurtherSupport(actor('dee', ['dsl']), item))
    assert.equal(mayReadFurtherSupport(actor('sue'), item), false, 'the supervisor did not record it')
    assert.equal(mayReadFurtherSupport(actor('hal', ['headteacher']), item), false)
    assert.equal(mayReadFurtherSupport(actor('dev', ['deputy-dsl']), item), false)
    assert.ok(mayChangeFurtherSupport(actor('lin'), item))
    assert.ok(mayChangeFurtherSupport(actor('dee', ['dsl']), item))
    assert.equal(mayChangeFurtherSupport(actor('pat'), item), false)
  })

  test('LH-03: an open assessment holds the additional-support flag from today, with no end', () => {
    assert.deepEqual(flagWhileOpen({ set: false, since: null, until: null }, '2025-11-10'), {
      since: '2025-11-10',
      until: null,
    })
    // A flag that already held keeps its start; one that had ended starts again today.
    assert.deepEqual(flagWhileOpen({ set: true, since: '2025-10-01', until: '2025-12-01' }, '2025-11-10'), {
      since: '2025-10-01',
      until: null,
    })
    assert.deepEqual(flagWhileOpen({ set: true, since: '2025-09-01', until: '2025-10-01' }, '2025-11-10'), {
      since: '2025-11-10',
      until: null,
    })
  })

  test('LH-03: closing ends the flag on the closing day, keeps a later end of its own, and leaves a flag set for another reason', () => {
    const open = { since: '2025-11-10', until: null }
    assert.deepEqual(flagOnClosing({ set: false, since: null, until: null }, '2025-11-10', '2026-02-02', open), {
      since: '2025-11-10',
      until: '2026-02-02',
    })
    const withEnd = { set: true, since: '2025-10-01', until: '2026-03-31' }
    assert.deepEqual(flagOnClosing(withEnd, '2025-11-10', '2026-02-02', { since: '2025-10-01', until: null }), {
      since: '2025-10-01',
      until: '2026-03-31',
    })
    assert.equal(flagOnClosing({ set: true, since: '2025-10-01', until: null }, '2025-11-10', '2026-02-02', open), null)
  })

  test('LH-04: a review is overdue only while the assessment is open and its date has passed', () => {
    assert.ok(reviewOverdue({ reviewOn: '2025-12-01', closedOn: null }, '2025-12-02'))
    assert.equal(reviewOverdue({ reviewOn: '2025-12-01', closedOn: null }, '2025-12-01'), false)
    assert.equal(reviewOverdue({ reviewOn: '2025-12-01', closedOn: '2025-12-05' }, '2025-12-10'), false)
  })
})
