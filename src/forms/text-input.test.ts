import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { parse as fastQuerystring } from 'fast-querystring'
import {
  decodeUtf8Strictly,
  fileProblem,
  findTextProblems,
  humaniseFieldName,
  parseUrlencoded,
  problemMessage,
  textProblem,
  withoutRefusedCharacters,
} from './text-input.ts'

const file = (data: Buffer | string, filename = 'staff.csv', contentType = 'text/csv') => ({
  filename,
  contentType,
  data: typeof data === 'string' ? Buffer.from(data) : data,
  tooLarge: false,
})

describe('text as people send it (issue 12)', () => {
  test('well-formed urlencoded text parses exactly as before (fast-querystring), names and values round-trip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })), { maxLength: 8 }),
        (pairs) => {
          const params = new URLSearchParams()
          for (const [k, v] of pairs) params.append(k.replaceAll('\u0000', ''), v.replaceAll('\u0000', ''))
          const text = params.toString()
          const parsed = parseUrlencoded(Buffer.from(text))
          assert.deepEqual({ ...parsed }, { ...fastQuerystring(text) })
          assert.deepEqual(findTextProblems(parsed), [])
        },
      ),
    )
    const odd = parseUrlencoded('a&=b&c=&a=2&__proto__=x&d=1=2&e=%2&f=a+b%20c&&g=%zz')
    assert.equal(Object.getPrototypeOf(odd), null)
    assert.deepEqual({ ...odd }, { ...fastQuerystring('a&=b&c=&a=2&__proto__=x&d=1=2&e=%2&f=a+b%20c&&g=%zz') })
  })

  test('bytes that are not UTF-8, percent-encoded or raw, are found and named, never kept silently', () => {
    for (const bad of ['%C3%28', '%FF', '%ED%A0%80', '%ED%B0%80', '%E2%82', '%F4%90%80%80', '%C0%AF']) {
      const parsed = parseUrlencoded(Buffer.from(`name=Ann&notes=a${bad}b`))
      assert.deepEqual(findTextProblems(parsed), [{ field: 'notes', kind: 'unreadable' }], bad)
      assert.equal(parsed.name, 'Ann')
    }
    const raw = parseUrlencoded(Buffer.concat([Buffer.from('notes=caf'), Buffer.from([0xe9]), Buffer.from('&x=1')]))
    assert.deepEqual(findTextProblems(raw), [{ field: 'notes', kind: 'unreadable' }])
    assert.equal(withoutRefusedCharacters(raw.notes as string), 'caf')
    const badName = parseUrlencoded(Buffer.from('no%FFtes=x'))
    assert.equal(findTextProblems(badName)[0]?.kind, 'unreadable')
    assert.equal(decodeUtf8Strictly(Buffer.from('Zoë 🌱')), 'Zoë 🌱')
    assert.equal(decodeUtf8Strictly(Buffer.from([0xed, 0xa0, 0x80])), null)
  })

  test('a NUL or a lone surrogate in a name or value is found; a NUL is named first', () => {
    assert.equal(textProblem('a\u0000b'), 'null-character')
    assert.equal(textProblem('a\uD800b'), 'unreadable')
    assert.equal(textProblem('a\uDC00'), 'unreadable')
    assert.equal(textProblem('🌱 \uD83C\uDF31'), null)
    assert.deepEqual(findTextProblems({ jobTitle: 'x', notes: ['ok', 'a\u0000'], 'b\u0000': 'y', c: '\uD800' }), [
      { field: 'notes', kind: 'null-character' },
      { field: 'b\u0000', kind: 'null-character' },
      { field: 'c', kind: 'unreadable' },
    ])
    assert.deepEqual(findTextProblems(parseUrlencoded('notes=a%00b')), [{ field: 'notes', kind: 'null-character' }])
    assert.deepEqual(findTextProblems(null), [])
    assert.equal(withoutRefusedCharacters('a\u0000b\uD800c\uFFFD🌱'), 'abc🌱')
  })

  test('uploaded text files: a NUL anywhere, JSON escapes standing for refused characters, JSON that is not UTF-8', () => {
    assert.equal(fileProblem(file('Full name\r\nAnn\r\n')), null)
    assert.equal(fileProblem(file(`${'x'.repeat(100_000)}\u0000`)), 'null-character')
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\r\nA\u0000n\r\n', 'utf16le')])
    assert.equal(fileProblem(file(utf16)), 'null-character')
    assert.equal(fileProblem(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ann', 'utf16le')]))), null)
    // A CSV file that is not UTF-8 is left to the page that reads it, which says how to save it.
    assert.equal(fileProblem(file(Buffer.from([0x41, 0xe9, 0x0d, 0x0a]))), null)
    const json = (text: string | Buffer) => fileProblem(file(text, 'policy.json', 'application/json'))
    assert.equal(json('{"a": "\\u0000"}'), 'null-character')
    assert.equal(json('{"a": ["\\ud800"]}'), 'unreadable')
    assert.equal(json('{"\\udc00": 1}'), 'unreadable')
    assert.equal(json('{"a": "\\ud83c\\udf31"}'), null)
    assert.equal(json('not json'), null)
    assert.equal(json(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d])), 'unreadable')
    assert.deepEqual(findTextProblems({ _csrf: 't', file: file('a\u0000') }), [
      { field: 'file', kind: 'null-character' },
    ])
    assert.equal(fileProblem({ ...file('a\u0000'), tooLarge: true }), null)
  })

  test('field names read as words in messages', () => {
    assert.equal(humaniseFieldName('jobTitle'), 'Job title')
    assert.equal(humaniseFieldName('startDate-day'), 'Start date')
    assert.equal(humaniseFieldName('caseManagement-1-advice'), 'Case management 1 advice')
    assert.equal(humaniseFieldName('q'), 'Search')
    assert.equal(humaniseFieldName('no\u0000tes'), 'Notes')
    assert.equal(humaniseFieldName(''), 'The form')
    assert.equal(
      problemMessage('Notes', 'null-character'),
      'Notes must not contain unusual characters such as a null character',
    )
  })
})
