/**
 * The invented policies in test/fixtures/policies (issue 14, "Show it"): every one is a valid policy
 * (the schema and the checks across the document, as `haven policy validate` runs them) and reads as
 * a sensible summary in plain English, with no internal ids (requirement, rule or session type ids,
 * role ids) leaking into the words a school reads. A pure test: no database.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../src/cli.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { summarisePolicy, validatePolicy } from '../../src/domain/policy/index.ts'

const dir = path.join(import.meta.dirname, '../fixtures/policies')
const fixtureFiles = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()

function read(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
}

/** Ids a school never wrote as words: hyphenated ids that are not in the school's own names. */
function internalIds(policy: PolicyDocument): string[] {
  const ids = new Set<string>([
    policy.id,
    ...policy.requirements.map((r) => r.id),
    ...policy.requirements.flatMap((r) => r.stricterFor.map((s) => s.id)),
    ...policy.supervisors.rules.map((r) => r.id),
    ...policy.scope.rules.map((r) => r.id),
    ...policy.sessionTypes.map((t) => t.id),
    ...policy.customRoles.map((r) => r.id),
    ...policy.cancellation.reasons.map((r) => r.id),
  ])
  // Only ids that cannot be ordinary words: 'group' or 'one-to-one' can be, and are when the
  // school's own names and descriptions use them.
  const words = [
    ...policy.sessionTypes.flatMap((t) => [t.name, t.description]),
    ...policy.customRoles.flatMap((r) => [r.name, r.description]),
    ...policy.requirements.map((r) => r.description),
  ]
    .join(' ')
    .toLowerCase()
  return [...ids].filter((id) => id.includes('-') && !words.includes(id))
}

test('X-01: there are at least three invented policies', () => {
  assert.ok(fixtureFiles.length >= 3, fixtureFiles.join(', '))
})

for (const file of fixtureFiles) {
  test(`X-01: ${file} is a valid policy, as "haven policy validate" checks it`, () => {
    const result = validatePolicy(read(file))
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 2))
    assert.equal(result.policy.schemaVersion, 1)
    assert.ok(
      result.policy.notes.some((n) => /invented/.test(n)),
      'says it is invented',
    )
  })

  test(`X-01: haven policy validate ${file} says it is valid`, async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(['policy', 'validate', path.join(dir, file)], {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      env: {},
    })
    assert.equal(code, 0, err.join('\n'))
    assert.match(out.join('\n'), /: valid \(/)
  })

  test(`X-01, X-08: ${file} summarises as plain English with no internal ids`, () => {
    const result = validatePolicy(read(file))
    assert.ok(result.ok)
    const policy = result.policy
    const summary = summarisePolicy(policy)
    assert.equal(summary.heading, `${policy.metadata.title}: ${policy.metadata.school}`)
    const ids = new Set(summary.sections.map((s) => s.id))
    for (const expected of ['about', 'who', 'how-often', 'supervisors', 'cancellation'])
      assert.ok(ids.has(expected), `${file}: a ${expected} section`)
    const lines = summary.sections.flatMap((s) => [s.heading, ...s.paragraphs, ...s.items])
    for (const line of lines) {
      assert.doesNotMatch(line, /undefined|null|NaN|\[object|\.\.|\?\.| {2}|\s[,.]/, `${file}: ${line}`)
      assert.match(line, /^[A-Z0-9'(“"]/, `${file}: ${line}`)
      assert.doesNotMatch(line, /\d{4}-\d{2}-\d{2}/, `${file}: no raw ISO dates: ${line}`)
    }
    // The notes are the school's own words and may name a role as they please; the rest may not.
    const spoken = summary.sections
      .filter((s) => s.id !== 'notes')
      .flatMap((s) => [s.heading, ...s.paragraphs, ...s.items])
      .join('\n')
    for (const id of internalIds(policy))
      assert.ok(!new RegExp(`(^|[^a-z-])${id}([^a-z-]|$)`).test(spoken), `${file}: the summary shows the id ${id}`)
    // the policy's lifecycle: its lead or owner, where it comes from, who was consulted.
    const about = summary.sections.find((s) => s.id === 'about')
    const aboutLines = [...(about?.paragraphs ?? []), ...(about?.items ?? [])]
    assert.ok(
      aboutLines.some((l) => /^(Lead|Owner): /.test(l)),
      `${file}: names its lead or owner`,
    )
    if (policy.metadata.provenance) assert.ok(aboutLines.includes(policy.metadata.provenance), `${file}: provenance`)
    if (policy.metadata.consultation)
      assert.ok(
        aboutLines.some((l) => l.startsWith(`Staff consulted: ${policy.metadata.consultation?.who}, on `)),
        `${file}: consultation`,
      )
    // Every requirement is described with its frequency in the school's words.
    const howOften = summary.sections.find((s) => s.id === 'how-often')
    const text = [...(howOften?.paragraphs ?? []), ...(howOften?.items ?? [])].join('\n')
    for (const requirement of policy.requirements) {
      const wording = requirement.frequency?.wording
      if (wording) assert.ok(text.includes(wording), `${file}: "${wording}" in\n${text}`)
    }
  })
}

test('X-01: a requirement for a group of one reads "has", not "have"', () => {
  const result = validatePolicy(read('little-acorns-nursery.json'))
  assert.ok(result.ok)
  const text =
    summarisePolicy(result.policy)
      .sections.find((s) => s.id === 'how-often')
      ?.paragraphs.join('\n') ?? ''
  assert.doesNotMatch(text, /The nursery manager have/)
  assert.match(text, /The nursery manager has one-to-one supervision/)
  assert.match(text, /Practitioners working with the children have one-to-one supervision/)
})
