import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { PersonFlags } from './person.ts'
import {
  findLineManagementLoop,
  findLineManagementLoops,
  isRealIsoDate,
  isValidEmail,
  makePersonFieldsSchema,
  normaliseEmail,
  normaliseText,
  type PersonFieldsInput,
  personFieldsSchema,
} from './person-rules.ts'

const minimal: PersonFieldsInput = { name: 'Siân O’Brien', email: 'sian.obrien@example.org' }

/** Field -> messages, for asserting exactly which errors a form would show. */
function errorsOf(input: unknown, schema = personFieldsSchema): Record<string, string[]> {
  const result = schema.safeParse(input)
  if (result.success) return {}
  const errors: Record<string, string[]> = {}
  for (const issue of result.error.issues) {
    const key = issue.path.join('.')
    errors[key] = [...(errors[key] ?? []), issue.message]
  }
  return errors
}

describe('normaliseEmail', () => {
  test('trims, lower-cases and removes invisible characters pasted from spreadsheets', () => {
    assert.equal(normaliseEmail('  Jo.Bloggs@School.Example.ORG \u00A0'), 'jo.bloggs@school.example.org')
    assert.equal(normaliseEmail('\uFEFFjo\u200B@example.org'), 'jo@example.org')
  })

  test('puts decomposed accents into composed form (NFC)', () => {
    assert.equal(normaliseEmail('Zoe\u0308@Example.org'), 'zo\u00EB@example.org')
  })

  test('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normaliseEmail(normaliseEmail(s)) === normaliseEmail(s)))
  })
})

describe('normaliseText', () => {
  test('collapses runs of white space and trims', () => {
    assert.equal(normaliseText('  Zoë \t  Fairweather\u00A0Quill '), 'Zoë Fairweather Quill')
  })
})

describe('isRealIsoDate', () => {
  test('accepts real dates, including 29 February in leap years', () => {
    for (const date of ['2024-09-01', '2024-02-29', '2000-02-29', '1900-01-01', '2100-12-31'])
      assert.ok(isRealIsoDate(date), date)
  })

  test('refuses impossible or badly written dates', () => {
    for (const date of [
      '2023-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-9-1',
      '01/09/2024',
      '',
      '1899-12-31',
    ])
      assert.ok(!isRealIsoDate(date), date)
  })
})

describe('isValidEmail', () => {
  test('accepts ordinary work addresses, including apostrophes and plus signs', () => {
    for (const email of ['a.head@example.org', "o'brien@example.org", 'jo+supervision@school.example.sch.uk'])
      assert.ok(isValidEmail(email), email)
  })

  test('refuses addresses without a domain, with spaces, or over 254 characters', () => {
    for (const email of [
      'name@',
      'name@example',
      'name example@example.org',
      '@example.org',
      `${'a'.repeat(250)}@example.org`,
    ])
      assert.ok(!isValidEmail(email), email)
  })
})

describe('personFieldsSchema', () => {
  test('fills in the defaults for a new person', () => {
    const person = personFieldsSchema.parse(minimal)
    const flags: PersonFlags = person.flags
    assert.deepEqual(person, {
      name: 'Siân O’Brien',
      email: 'sian.obrien@example.org',
      jobTitle: '',
      roles: [],
      lineManagerId: null,
      lineManagerEmail: null,
      employmentType: 'permanent',
      partTime: false,
      workingDays: [1, 2, 3, 4, 5],
      startDate: null,
      endDate: null,
      flags,
      supervisorTrainedOn: null,
    })
    assert.ok(Object.values(flags).every((v) => v === false))
  })

  test('normalises what it keeps: trimmed text, lower-case email, sorted unique days and roles', () => {
    const person = personFieldsSchema.parse({
      ...minimal,
      name: '  Zoë   Fairweather ',
      email: ' Zoe.F@Example.ORG ',
      roles: ['dsl', 'dsl', 'class-teacher'],
      workingDays: [3, 1, 3],
      startDate: ' 2024-09-01 ',
      endDate: '',
    })
    assert.equal(person.name, 'Zoë Fairweather')
    assert.equal(person.email, 'zoe.f@example.org')
    assert.deepEqual(person.roles, ['dsl', 'class-teacher'])
    assert.deepEqual(person.workingDays, [1, 3])
    assert.equal(person.startDate, '2024-09-01')
    assert.equal(person.endDate, null)
  })

  test('a missing name gives "Enter a name"', () => {
    assert.deepEqual(errorsOf({ ...minimal, name: '   ' }), { name: ['Enter a name'] })
    assert.deepEqual(errorsOf({ email: minimal.email }), { name: ['Enter a name'] })
  })

  test('a name over 200 characters is refused', () => {
    assert.deepEqual(errorsOf({ ...minimal, name: 'a'.repeat(201) }), {
      name: ['Name must be 200 characters or fewer'],
    })
  })

  test('a missing email gives "Enter an email address"', () => {
    assert.deepEqual(errorsOf({ ...minimal, email: '' }), { email: ['Enter an email address'] })
  })

  test('a badly formed email gives the GOV.UK format message', () => {
    assert.deepEqual(errorsOf({ ...minimal, email: 'sian.obrien@' }), {
      email: ['Enter an email address in the correct format, like name@example.com'],
    })
  })

  test('X-03: built-in roles are accepted and unknown ones refused', () => {
    assert.deepEqual(errorsOf({ ...minimal, roles: ['dsl', 'senco'] }), {})
    assert.deepEqual(errorsOf({ ...minimal, roles: ['forest-school-lead'] }), { roles: ['Select roles from the list'] })
  })

  test('X-03: the school’s own roles are accepted when passed in', () => {
    const schema = makePersonFieldsSchema({ customRoleIds: ['forest-school-lead'] })
    assert.deepEqual(errorsOf({ ...minimal, roles: ['forest-school-lead', 'dsl'] }, schema), {})
  })

  test('an unknown employment type gives "Select the type of employment"', () => {
    assert.deepEqual(errorsOf({ ...minimal, employmentType: 'seasonal' }), {
      employmentType: ['Select the type of employment'],
    })
  })

  test('working days must be weekdays 1 to 7, at least one', () => {
    assert.deepEqual(errorsOf({ ...minimal, workingDays: [] }), { workingDays: ['Select at least one working day'] })
    assert.deepEqual(errorsOf({ ...minimal, workingDays: [1, 8] }), {
      'workingDays.1': ['Select working days from the list'],
    })
  })

  test('dates must be real dates', () => {
    assert.deepEqual(
      errorsOf({ ...minimal, startDate: '2024-02-30', endDate: '31/08/2025', supervisorTrainedOn: 'soon' }),
      {
        startDate: ['Start date must be a real date'],
        endDate: ['End date must be a real date'],
        supervisorTrainedOn: ['Supervisor training date must be a real date'],
      },
    )
  })

  test('the end date must be the same as or after the start date', () => {
    assert.deepEqual(errorsOf({ ...minimal, startDate: '2024-09-01', endDate: '2024-08-31' }), {
      endDate: ['End date must be the same as or after the start date'],
    })
    assert.deepEqual(errorsOf({ ...minimal, startDate: '2024-09-01', endDate: '2024-09-01' }), {})
  })

  test('LH-08: a supervisor training date after today is refused when today is known', () => {
    const schema = makePersonFieldsSchema({ today: '2025-03-14' })
    assert.deepEqual(errorsOf({ ...minimal, supervisorTrainedOn: '2025-03-15' }, schema), {
      supervisorTrainedOn: ['Supervisor training date must be today or in the past'],
    })
    assert.deepEqual(errorsOf({ ...minimal, supervisorTrainedOn: '2025-03-14' }, schema), {})
    assert.deepEqual(errorsOf({ ...minimal, supervisorTrainedOn: '2099-01-01' }), {}, 'no today, no check')
  })

  test('a person cannot be their own line manager', () => {
    assert.deepEqual(errorsOf({ ...minimal, lineManagerEmail: 'SIAN.OBRIEN@example.org' }), {
      lineManagerEmail: ['A person cannot be their own line manager'],
    })
  })

  test('every problem is reported at once, one message per field, cross-field rules included', () => {
    assert.deepEqual(
      errorsOf({
        name: '',
        email: 'not an email',
        lineManagerEmail: 'also not',
        employmentType: 'x',
        workingDays: [],
        startDate: '2025-01-01',
        endDate: '2024-01-01',
      }),
      {
        name: ['Enter a name'],
        email: ['Enter an email address in the correct format, like name@example.com'],
        lineManagerEmail: ['Enter the line manager’s email address in the correct format, like name@example.com'],
        employmentType: ['Select the type of employment'],
        workingDays: ['Select at least one working day'],
        endDate: ['End date must be the same as or after the start date'],
      },
    )
  })
})

describe('findLineManagementLoop', () => {
  const p = (id: string, lineManagerId: string | null) => ({ id, lineManagerId })

  test('a tree has no loop', () => {
    assert.equal(
      findLineManagementLoop([p('head', null), p('dsl', 'head'), p('ta', 'dsl'), p('teacher', 'head')]),
      null,
    )
    assert.equal(findLineManagementLoop([]), null)
  })

  test('a line manager who is not in the list ends the chain', () => {
    assert.equal(findLineManagementLoop([p('a', 'outside'), p('b', 'a')]), null)
  })

  test('someone who manages themself is a loop of one', () => {
    assert.deepEqual(findLineManagementLoop([p('a', null), p('b', 'b')]), ['b'])
  })

  test('returns the cycle in reporting order, starting with its first member in the list', () => {
    // c -> a -> b -> c, with d hanging off the loop (d is not part of it).
    const people = [p('d', 'c'), p('b', 'c'), p('a', 'b'), p('c', 'a')]
    assert.deepEqual(findLineManagementLoop(people), ['b', 'c', 'a'])
  })

  test('finds every loop, in the order they first appear', () => {
    const people = [p('x', 'y'), p('a', 'b'), p('y', 'x'), p('b', 'a'), p('solo', null)]
    assert.deepEqual(findLineManagementLoops(people), [
      ['x', 'y'],
      ['a', 'b'],
    ])
  })

  test('handles a long chain without deep recursion', () => {
    const people = Array.from({ length: 50_000 }, (_, i) => p(`p${i}`, i === 0 ? null : `p${i - 1}`))
    assert.equal(findLineManagementLoop(people), null)
    people[0] = p('p0', 'p49999')
    assert.equal(findLineManagementLoop(people)?.length, 50_000)
  })

  test('property: a reported loop is a real loop, and no loop means every chain ends', () => {
    const graph = fc
      .integer({ min: 1, max: 30 })
      .chain((n) =>
        fc.array(fc.option(fc.integer({ min: 0, max: n + 2 }), { nil: null }), { minLength: n, maxLength: n }),
      )
      .map((managers) => managers.map((m, i) => p(`p${i}`, m === null ? null : `p${m}`)))
    fc.assert(
      fc.property(graph, (people) => {
        const managerOf = new Map(people.map((person) => [person.id, person.lineManagerId]))
        const loops = findLineManagementLoops(people)
        for (const loop of loops) {
          assert.equal(new Set(loop).size, loop.length)
          loop.forEach((id, i) => {
            assert.equal(managerOf.get(id), loop[(i + 1) % loop.length])
          })
        }
        assert.deepEqual(findLineManagementLoop(people), loops[0] ?? null)
        const inLoops = new Set(loops.flat())
        for (const person of people) {
          // Follow the chain: it either ends, or reaches a reported loop.
          const seen = new Set<string>()
          let current: string | null | undefined = person.id
          while (current != null && managerOf.has(current) && !seen.has(current)) {
            seen.add(current)
            current = managerOf.get(current)
          }
          if (current != null && seen.has(current)) assert.ok(inLoops.has(current))
        }
      }),
      { numRuns: 300 },
    )
  })
})
