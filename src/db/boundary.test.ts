/**
 * All SQL lives under src/db/ (issue 13, ADR 0018): no query builder call, no `sql` template and no
 * value import from kysely anywhere else in src/. Tests (*.test.ts) may build their own fixtures.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { projectRoot } from '../root.ts'

const src = path.join(projectRoot, 'src')

const forbidden: { what: string; pattern: RegExp }[] = [
  {
    what: 'a query builder call',
    pattern: /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(/,
  },
  { what: 'a sql template', pattern: /\bsql\s*(<[^>]*>)?\s*`/ },
  {
    what: 'raw SQL through .query()',
    pattern: /\.query\s*\(\s*['"`]\s*(select|insert|update|delete|with|create|alter|drop)\b/i,
  },
  { what: 'a value import from kysely', pattern: /^import\s+(?!type\b)[^;]*from\s+'kysely'/m },
]

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(full)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield full
  }
}

/** Where SQL appears in a file's text: one line per finding. */
export function sqlFindings(file: string, text: string): string[] {
  const findings: string[] = []
  const lines = text.split('\n')
  for (const { what, pattern } of forbidden) {
    if (pattern.flags.includes('m')) {
      if (pattern.test(text)) findings.push(`${file}: ${what}`)
      continue
    }
    lines.forEach((line, i) => {
      if (pattern.test(line)) findings.push(`${file}:${i + 1}: ${what}`)
    })
  }
  return findings
}

test('the boundary check finds SQL when it is there', () => {
  assert.equal(sqlFindings('x.ts', "await db.selectFrom('person').selectAll()").length, 1)
  assert.equal(sqlFindings('x.ts', 'await sql`select 1`.execute(db)').length, 1)
  assert.equal(sqlFindings('x.ts', "import { sql } from 'kysely'").length, 1)
  assert.equal(sqlFindings('x.ts', "import type { Kysely } from 'kysely'").length, 0)
  assert.equal(sqlFindings('x.ts', 'const selected = people.filter((p) => p.selected)').length, 0)
})

test('no SQL outside src/db/', () => {
  const findings: string[] = []
  for (const file of sourceFiles(src)) {
    const relative = path.relative(projectRoot, file)
    if (relative.startsWith(`src${path.sep}db${path.sep}`)) continue
    findings.push(...sqlFindings(relative, fs.readFileSync(file, 'utf8')))
  }
  assert.deepEqual(findings, [], `SQL outside src/db/:\n${findings.join('\n')}`)
})
