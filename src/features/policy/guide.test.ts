/**
 * The worked examples of docs/writing-a-policy.md stay valid (issue 14): the first JSON example is
 * a whole policy; every later one replaces top-level parts of it, and the result must validate.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { validatePolicy } from '../../domain/policy/index.ts'
import { projectRoot } from '../../root.ts'

const guidePath = path.join(projectRoot, 'docs/writing-a-policy.md')

/** The text of every ```json block of a Markdown document, in order. */
export function jsonBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
}

test('X-01: every JSON example of the guide to writing a policy is valid', () => {
  const blocks = jsonBlocks(fs.readFileSync(guidePath, 'utf8'))
  assert.ok(blocks.length >= 4, 'a minimal policy, a stricter frequency, cancellation with rebooking, supervisors')
  const minimal = JSON.parse(blocks[0]!) as Record<string, unknown>
  const first = validatePolicy(minimal)
  assert.deepEqual(first.ok ? [] : first.problems, [], 'the minimal policy')
  blocks.slice(1).forEach((block, n) => {
    const part = JSON.parse(block) as Record<string, unknown>
    const result = validatePolicy({ ...structuredClone(minimal), ...part })
    assert.deepEqual(result.ok ? [] : result.problems, [], `example ${n + 2} (${Object.keys(part).join(', ')})`)
  })
})

test('the guide is linked from the README', () => {
  assert.match(fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8'), /\(docs\/writing-a-policy\.md\)/)
})
