import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { managerReferenceKey, matchManager, nameKeysOf } from './index.ts'
import { aPerson, csv, fixture, planned } from './test-support.ts'

describe('line managers given by name or staff code (issue 18)', () => {
  test('a reference is compared without titles, punctuation or accents, and "Surname, Forename" is turned round', () => {
    assert.equal(managerReferenceKey('Mrs M. Threlkeld'), 'm threlkeld')
    assert.equal(managerReferenceKey('Threlkeld, Margaret'), 'margaret threlkeld')
    assert.equal(managerReferenceKey("  Siân  O'Brien "), 'sian obrien')
    assert.equal(managerReferenceKey('Dr Zoë Fairweather-Quill'), 'zoe fairweather quill')
  })

  test('a person is found by whole name, first and last name, initial and surname, and each first name given', () => {
    const keys = nameKeysOf(['Hattie Whitbread'], ['Hattie', 'Harriet'], 'Whitbread')
    for (const key of ['hattie whitbread', 'h whitbread', 'harriet whitbread']) assert.ok(keys.includes(key), key)
    assert.ok(nameKeysOf(['Anna Maria Lindqvist']).includes('anna lindqvist'))
  })

  const pool = [
    {
      email: 'a@x.org',
      name: 'Jasmine Patel',
      jobTitle: '',
      inFile: true,
      nameKeys: nameKeysOf(['Jasmine Patel']),
      staffCode: 'jpa',
    },
    {
      email: 'b@x.org',
      name: 'Jas Patel',
      jobTitle: '',
      inFile: true,
      nameKeys: nameKeysOf(['Jas Patel']),
      staffCode: 'jsp',
    },
    {
      email: 'c@x.org',
      name: 'Hattie Whitbread',
      jobTitle: '',
      inFile: false,
      nameKeys: nameKeysOf(['Hattie Whitbread']),
      staffCode: null,
    },
  ]

  test('one person fits: found, by staff code first, then by name in the file or in Haven', () => {
    assert.deepEqual(matchManager('JSP', pool, null, new Map()), { kind: 'found', email: 'b@x.org' })
    assert.deepEqual(matchManager('jsp ', pool, null, new Map()), { kind: 'found', email: 'b@x.org' })
    assert.deepEqual(matchManager('Jasmine Patel', pool, null, new Map()), { kind: 'found', email: 'a@x.org' })
    assert.deepEqual(matchManager('Mrs H Whitbread', pool, null, new Map()), { kind: 'found', email: 'c@x.org' })
  })

  test('several people fit: a question with every candidate, answered by the school’s remembered choice', () => {
    const asked = matchManager('J Patel', pool, null, new Map())
    assert.equal(asked.kind, 'ambiguous')
    assert.deepEqual(asked.kind === 'ambiguous' && asked.candidates.map((c) => c.email), ['b@x.org', 'a@x.org'])
    assert.equal(asked.kind === 'ambiguous' && asked.chosen, undefined)
    const answered = matchManager('Mrs J Patel', pool, null, new Map([['j patel', 'a@x.org']]))
    assert.equal(answered.kind === 'ambiguous' && answered.chosen, 'a@x.org')
    const none = matchManager('J Patel', pool, null, new Map([['j patel', null]]))
    assert.equal(none.kind === 'ambiguous' && none.chosen, null)
    // An answer naming someone who no longer fits is asked again.
    const stale = matchManager('J Patel', pool, null, new Map([['j patel', 'gone@x.org']]))
    assert.equal(stale.kind === 'ambiguous' && stale.chosen, undefined)
  })

  test('the person themself is never their own line manager; nobody fitting is not found', () => {
    assert.deepEqual(matchManager('J Patel', pool, 'b@x.org', new Map()), { kind: 'found', email: 'a@x.org' })
    assert.deepEqual(matchManager('Nobody Here', pool, null, new Map()), { kind: 'not-found', key: 'nobody here' })
  })

  test('a SIMS file with managers by name: a manager in the same file applies at once; "J Patel" is a question, not an error', () => {
    const result = planned(fixture('sims-mis-export.csv'))
    const byEmail = new Map(result.creates.map((d) => [d.email, d]))
    assert.deepEqual(byEmail.get('j.patel@brackenmoor.example.org')?.lineManager, {
      kind: 'new',
      email: 'h.whitbread@brackenmoor.example.org',
    })
    assert.deepEqual(byEmail.get('jas.patel@brackenmoor.example.org')?.lineManager, {
      kind: 'new',
      email: 'h.whitbread@brackenmoor.example.org',
    })
    assert.equal(byEmail.get('e.okafor@brackenmoor.example.org')?.lineManager, null)
    assert.equal(result.managerQuestions.length, 1)
    assert.deepEqual(result.managerQuestions[0]!.rows, [5, 6, 7])
    assert.equal(result.managerQuestions[0]!.reference, 'J Patel')
    assert.deepEqual(result.managersNotFound, [])
  })

  test('an answer in the school’s choices sets the line manager; a name nobody has is a note, not an error', () => {
    const result = planned(fixture('sims-mis-export.csv'), [], [], {
      columns: new Map(),
      jobTitles: new Map(),
      managers: new Map([['j patel', 'j.patel@brackenmoor.example.org']]),
    })
    const okafor = result.creates.find((d) => d.email === 'e.okafor@brackenmoor.example.org')
    assert.deepEqual(okafor?.lineManager, { kind: 'new', email: 'j.patel@brackenmoor.example.org' })
    const lost = planned(csv(['Name,Email,Line manager', 'Ada Brook,a.brook@x.org,Mr Nobody']))
    assert.deepEqual(lost.managersNotFound, [{ reference: 'Mr Nobody', rows: [2] }])
    assert.equal(lost.creates[0]!.lineManager, null)
  })

  test('a line manager by name may be someone already in Haven', () => {
    const head = aPerson({ id: 'p-head', email: 'head@x.org', name: 'Octavia Pemberton-Fry' })
    const result = planned(csv(['Name,Email,Reports to', 'Ada Brook,a.brook@x.org,"Pemberton-Fry, Octavia"']), [head])
    assert.deepEqual(result.creates[0]!.lineManager, { kind: 'existing', id: 'p-head' })
  })

  test('Bromcom: line managers by staff code, in any case', () => {
    const result = planned(fixture('bromcom-mis-export.csv'))
    const byEmail = new Map(result.creates.map((d) => [d.email, d]))
    assert.deepEqual(byEmail.get('y.osei-bonsu@thornbury-vale.example.org')?.lineManager, {
      kind: 'new',
      email: 'c.hanrahan@thornbury-vale.example.org',
    })
    assert.deepEqual(result.managerQuestions, [])
  })
})
