/**
 * One policy on a date (issue 14, ADR 0021): "which version of the policy applies on this date"
 * and "what is this session type called" are asked only of a PolicyBook (`policyBook(db, schoolId)`,
 * src/services/policy/on-date.ts). This test scans src/ and fails on any other way of picking a
 * version: the strict domain rule used directly, a book built by hand, the school's versions
 * loaded to pick from, one of the old helpers, or a book's versions indexed or searched.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { projectRoot } from '../../root.ts'

const src = path.join(projectRoot, 'src')

interface Rule {
  what: string
  pattern: RegExp
  /** Files (or folders, ending in /) where it is the module's own business. */
  allowedIn: string[]
}

const rules: Rule[] = [
  {
    what: 'the strict domain rule policyInForce (ask policyBook(...).on(date))',
    pattern: /\bpolicyInForce\b/,
    // The rule's own module, and the compliance engine: before any version took effect nothing is owed.
    allowedIn: ['src/domain/policy/versions.ts', 'src/domain/compliance/assess.ts'],
  },
  {
    what: 'the rule versionInForce, kept for composing a trust policy with an academy adoption (ask policyBook)',
    pattern: /\bversionInForce\b/,
    allowedIn: ['src/domain/policy/versions.ts', 'src/domain/policy/adoption.ts'],
  },
  {
    what: 'a policy book built by hand (load it with policyBook(db, schoolId))',
    pattern: /\bpolicyBookOf\b/,
    allowedIn: ['src/domain/policy/versions.ts', 'src/domain/policy/index.ts', 'src/services/policy/on-date.ts'],
  },
  {
    what: "the school's policy versions loaded to pick from (use policyBook)",
    pattern: /\b(policyVersions|policyVersionsOf|latestPolicyDocument)\s*\(/,
    // The repository, the policy's own services (saving, the editor, the book) and the policy pages
    // that list every version; the demo builder reads the pack it just stored.
    allowedIn: ['src/db/', 'src/services/policy/', 'src/features/policy/', 'src/services/demo/'],
  },
  {
    what: 'an old "policy on a date" helper (use policyBook)',
    pattern: /\b(policyOn|policyOnDate|policyCache|policyDocuments|typeNamer|sessionTypeOf)\b/,
    allowedIn: [],
  },
  {
    what: "a book's versions indexed or searched (ask .on(date), .version(n), .latest or .typeName)",
    pattern: /\.versions\s*(\[|\.(at|find|findLast|filter|reverse|slice|toReversed|toSorted)\s*\()/,
    allowedIn: ['src/domain/policy/versions.ts'],
  },
]

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(full)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield full
  }
}

function allowed(file: string, rule: Rule): boolean {
  return rule.allowedIn.some((a) => (a.endsWith('/') ? file.startsWith(a) : file === a))
}

/** Where a file picks a policy version by itself: one line per finding. `file` is relative, with '/'. */
export function versionPickings(file: string, text: string): string[] {
  const findings: string[] = []
  const lines = text.split('\n')
  for (const rule of rules) {
    if (allowed(file, rule)) continue
    lines.forEach((line, i) => {
      if (rule.pattern.test(line)) findings.push(`${file}:${i + 1}: ${rule.what}`)
    })
  }
  return findings
}

test('issue 14: the check finds a version picked outside the one module', () => {
  const at = 'src/services/x/y.ts'
  assert.equal(versionPickings(at, "import { policyInForce } from '../../domain/policy/versions.ts'").length, 1)
  assert.equal(versionPickings(at, 'const p = policyInForce(versions, today) ?? versions[0]').length, 1)
  assert.equal(versionPickings(at, 'const versions = await policyVersions(db, schoolId)').length, 1)
  assert.equal(versionPickings(at, 'const latest = (await policyVersionsOf(db, id)).at(-1)').length, 1)
  assert.equal(versionPickings(at, 'const policy = policyOn(versions, date)').length, 1)
  assert.equal(versionPickings(at, 'const first = book.versions[0]').length, 1)
  assert.equal(versionPickings(at, 'const last = judge.book.versions.at(-1)').length, 1)
  assert.equal(versionPickings(at, 'const book = policyBookOf(docs)').length, 1)
  // The one way to ask, and lookalikes that pick nothing, pass.
  assert.deepEqual(versionPickings(at, 'const policy = (await policyBook(db, schoolId)).on(date)'), [])
  assert.deepEqual(versionPickings(at, 'const name = book.typeName(s.typeId, s.date)'), [])
  assert.deepEqual(versionPickings(at, 'reasonName(judge.book.versions, id)'), [])
  assert.deepEqual(versionPickings(at, 'const latest = templateVersions[0]'), [])
  assert.deepEqual(versionPickings('src/domain/policy/versions.ts', 'export function policyInForce('), [])
})

test('issue 14: nothing outside the one module picks a policy version', () => {
  const findings: string[] = []
  for (const file of sourceFiles(src)) {
    const relative = path.relative(projectRoot, file).split(path.sep).join('/')
    findings.push(...versionPickings(relative, fs.readFileSync(file, 'utf8')))
  }
  assert.deepEqual(
    findings,
    [],
    `A policy version picked outside src/services/policy/on-date.ts:\n${findings.join('\n')}`,
  )
})
