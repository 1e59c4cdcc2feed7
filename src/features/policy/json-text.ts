/**
 * Reading a policy file's text as JSON, and saying where it is not JSON: the line and column of
 * the first mistake, with what was expected there in plain words (issue 14). JSON.parse does not
 * always give a position ("Unexpected end of JSON input"), so the text is scanned to find it.
 */

/** The largest policy file taken, uploaded (the school's and the trust's pages) or read by the CLI: 2 MB. */
export const MAX_POLICY_BYTES = 2 * 1024 * 1024

export type JsonRead = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string }

class Stop extends Error {
  readonly at: number
  constructor(at: number, message: string) {
    super(message)
    this.at = at
  }
}

/** Scans JSON text; throws Stop at the first mistake. */
class Scanner {
  private i = 0
  private readonly text: string
  constructor(text: string) {
    this.text = text
  }

  run(): void {
    this.space()
    if (this.i >= this.text.length) throw new Stop(this.i, 'the file is empty: expected a policy, written { ... }')
    this.value()
    this.space()
    if (this.i < this.text.length) throw new Stop(this.i, 'expected the end of the file after the policy')
  }

  private space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++
  }

  private peek(): string | undefined {
    return this.text[this.i]
  }

  private describe(): string {
    const c = this.peek()
    return c === undefined ? 'the end of the file' : `'${c}'`
  }

  private value(): void {
    this.space()
    const c = this.peek()
    if (c === '{') this.object()
    else if (c === '[') this.array()
    else if (c === '"') this.string()
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number()
    else this.word(c)
  }

  private word(c: string | undefined): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length
        return
      }
    }
    if (c === "'") throw new Stop(this.i, 'found \' : JSON text must be in double quotes (")')
    throw new Stop(
      this.i,
      `expected a value (text in double quotes, a number, true, false, null, { or [), found ${this.describe()}`,
    )
  }

  private object(): void {
    this.i++
    this.space()
    if (this.peek() === '}') {
      this.i++
      return
    }
    for (;;) {
      this.space()
      if (this.peek() !== '"') {
        if (this.peek() === '}') throw new Stop(this.i, "found '}' after a comma: remove the comma before it")
        throw new Stop(this.i, `expected a field name in double quotes, found ${this.describe()}`)
      }
      this.string()
      this.space()
      if (this.peek() !== ':') throw new Stop(this.i, `expected ':' after the field name, found ${this.describe()}`)
      this.i++
      this.value()
      this.space()
      const c = this.peek()
      if (c === ',') {
        this.i++
        continue
      }
      if (c === '}') {
        this.i++
        return
      }
      throw new Stop(this.i, `expected ',' or '}' after a field's value, found ${this.describe()}`)
    }
  }

  private array(): void {
    this.i++
    this.space()
    if (this.peek() === ']') {
      this.i++
      return
    }
    for (;;) {
      this.space()
      if (this.peek() === ']') throw new Stop(this.i, "found ']' after a comma: remove the comma before it")
      this.value()
      this.space()
      const c = this.peek()
      if (c === ',') {
        this.i++
        continue
      }
      if (c === ']') {
        this.i++
        return
      }
      throw new Stop(this.i, `expected ',' or ']' after an item of a list, found ${this.describe()}`)
    }
  }

  private string(): void {
    const start = this.i
    this.i++
    while (this.i < this.text.length) {
      const c = this.text[this.i]!
      if (c === '"') {
        this.i++
        return
      }
      if (c === '\\') {
        const next = this.text[this.i + 1]
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6)))
            throw new Stop(this.i, 'expected four hexadecimal digits after \\u')
          this.i += 6
          continue
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next))
          throw new Stop(this.i, 'a backslash in text must be written \\\\')
        this.i += 2
        continue
      }
      if (c < ' ') throw new Stop(this.i, 'a line break inside text: write it as \\n, or close the text with "')
      this.i++
    }
    throw new Stop(start, 'this text is never closed: add the closing double quote (")')
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i))
    if (!match) throw new Stop(this.i, `expected a number, found ${this.describe()}`)
    this.i += match[0].length
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - (before.lastIndexOf('\n') + 1) + 1
  return { line, column }
}

/** The text as JSON, or the line and column (from 1) of the first mistake and what it is. */
export function readJsonText(raw: string): JsonRead {
  const text = raw.replace(/^\uFEFF/, '')
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    try {
      new Scanner(text).run()
    } catch (stop) {
      if (stop instanceof Stop) return { ok: false, ...position(text, stop.at), message: stop.message }
      throw stop
    }
    // JSON.parse refused what the scanner accepts (it should not happen): its own words.
    return { ok: false, line: 1, column: 1, message: (error as Error).message }
  }
}
