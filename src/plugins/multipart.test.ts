import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { findTextProblems } from '../forms/text-input.ts'
import { boundaryOf, MultipartError, parseMultipart, type UploadedFile, uploadedFile } from './multipart.ts'

const boundary = '----haventest7MA4YWxkTrZu0gW'

function form(parts: { name: string; value: string | Buffer; filename?: string; type?: string }[], b = boundary) {
  const chunks: Buffer[] = []
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`
    const type = part.filename === undefined ? '' : `\r\nContent-Type: ${part.type ?? 'text/csv'}`
    chunks.push(Buffer.from(`--${b}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`))
    chunks.push(typeof part.value === 'string' ? Buffer.from(part.value) : part.value)
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${b}--\r\n`))
  return Buffer.concat(chunks)
}

describe('multipart/form-data', () => {
  test('the boundary comes from the content type, quoted or not, and must be well-formed', () => {
    assert.equal(boundaryOf(`multipart/form-data; boundary=${boundary}`), boundary)
    assert.equal(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b:c"'), 'a b:c')
    assert.equal(boundaryOf('Multipart/Form-Data; BOUNDARY=xyz'), 'xyz')
    assert.equal(boundaryOf('multipart/form-data'), null)
    assert.equal(boundaryOf('multipart/form-data; boundary='), null)
    assert.equal(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`), null)
    assert.equal(boundaryOf('multipart/mixed; boundary=xyz'), null)
    assert.equal(boundaryOf(undefined), null)
  })

  test('text fields land as strings (arrays when repeated) and the file with its name, type and bytes', () => {
    const csv = Buffer.from('\uFEFFFull name,Email\r\nZoë,z@example.org\r\n', 'utf8')
    const body = parseMultipart(
      form([
        { name: '_csrf', value: 'token-123' },
        { name: 'file', value: csv, filename: 'C:\\Users\\office\\staff list.csv' },
        { name: 'tag', value: 'a' },
        { name: 'tag', value: 'b' },
      ]),
      boundary,
    )
    assert.equal(body._csrf, 'token-123')
    assert.deepEqual(body.tag, ['a', 'b'])
    const file = uploadedFile(body, 'file')!
    assert.equal(file.filename, 'staff list.csv')
    assert.equal(file.contentType, 'text/csv')
    assert.equal(file.tooLarge, false)
    assert.deepEqual(file.data, csv)
    assert.equal(uploadedFile(body, '_csrf'), null)
    assert.equal(uploadedFile(body, 'missing'), null)
  })

  test('binary content, CRLFs and boundary-like text inside a file survive exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const data = Buffer.from(bytes)
        const body = parseMultipart(form([{ name: 'file', value: data, filename: 'x.bin' }]), boundary)
        return (body.file as UploadedFile).data.equals(data)
      }),
    )
    const tricky = Buffer.from(`line\r\n--${boundary.slice(0, -1)}\r\n--\r\n`)
    const body = parseMultipart(form([{ name: 'file', value: tricky, filename: 'x.csv' }]), boundary)
    assert.deepEqual((body.file as UploadedFile).data, tricky)
  })

  test('issue 12: text fields are decoded strictly; one that is not UTF-8 is noted for the input guard', () => {
    const body = parseMultipart(
      form([
        { name: 'good', value: 'Zoë 🌱' },
        { name: 'bad', value: Buffer.from([0x31, 0xff]) },
        { name: 'nul', value: 'a\u0000b' },
        { name: 'file', value: Buffer.from('Name\r\nA\u0000n'), filename: 'staff.csv' },
      ]),
      boundary,
    )
    assert.equal(body.good, 'Zoë 🌱')
    assert.deepEqual(findTextProblems(body), [
      { field: 'bad', kind: 'unreadable' },
      { field: 'nul', kind: 'null-character' },
      { field: 'file', kind: 'null-character' },
    ])
  })

  test('a file over the limit is reported, not kept; no file chosen gives an empty file', () => {
    const big = parseMultipart(form([{ name: 'file', value: Buffer.alloc(11), filename: 'a.csv' }]), boundary, {
      maxFileBytes: 10,
      maxParts: 5,
      maxFieldBytes: 100,
      maxFiles: 1,
    })
    assert.equal((big.file as UploadedFile).tooLarge, true)
    assert.equal((big.file as UploadedFile).data.length, 0)
    const none = parseMultipart(
      form([{ name: 'file', value: '', filename: '', type: 'application/octet-stream' }]),
      boundary,
    )
    assert.equal((none.file as UploadedFile).filename, '')
    assert.equal((none.file as UploadedFile).data.length, 0)
  })

  test('a preamble before the first boundary is ignored; field names cannot pollute prototypes', () => {
    const body = parseMultipart(
      Buffer.concat([Buffer.from('preamble\r\n'), form([{ name: '__proto__', value: 'x' }])]),
      boundary,
    )
    assert.equal(({} as Record<string, unknown>).x, undefined)
    assert.equal(Object.getPrototypeOf(body), null)
    assert.equal(Object.getOwnPropertyDescriptor(body, '__proto__')?.value, 'x')
  })

  test('malformed bodies and broken limits are refused with status 400', () => {
    const limits = { maxFileBytes: 100, maxParts: 3, maxFieldBytes: 10, maxFiles: 1 }
    const bad: Buffer[] = [
      Buffer.from('no boundary here at all'),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nnever closed`),
      Buffer.from(`--${boundary}\r\nno header end`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--${boundary}--`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${boundary}--`),
      Buffer.from(`--${boundary}XX\r\n`),
      form([{ name: 'a', value: 'x'.repeat(11) }]),
      form([
        { name: 'a', value: '1' },
        { name: 'b', value: '2' },
        { name: 'c', value: '3' },
        { name: 'd', value: '4' },
      ]),
      form([
        { name: 'f', value: 'x', filename: 'a.csv' },
        { name: 'g', value: 'y', filename: 'b.csv' },
      ]),
      form([
        { name: 'f', value: 'x', filename: 'a.csv' },
        { name: 'f', value: 'y' },
      ]),
    ]
    for (const [index, body] of bad.entries()) {
      assert.throws(
        () => parseMultipart(body, boundary, limits),
        (error: unknown) => error instanceof MultipartError && error.statusCode === 400,
        `body ${index}`,
      )
    }
  })

  test('random bytes never crash the parser with anything but a MultipartError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.boolean(), (bytes, prefix) => {
        const body = Buffer.concat([prefix ? Buffer.from(`--${boundary}`) : Buffer.alloc(0), Buffer.from(bytes)])
        try {
          parseMultipart(body, boundary)
          return true
        } catch (error) {
          return error instanceof MultipartError
        }
      }),
    )
  })
})
