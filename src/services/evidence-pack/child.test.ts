/**
 * The evidence pack's process loads only what a pack needs (issue 16: its memory, ADR 53): zod
 * (about 15 MB) comes only through the validation barrels, fontkit (about 20 MB) only through
 * pdfkit's font embedding, and neither is any use to a pack.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'

test("issue 16: the evidence pack's process loads neither zod nor fontkit", () => {
  const child = new URL('./child.ts', import.meta.url).href
  const script = `
    import { registerHooks } from 'node:module'
    const loaded = []
    registerHooks({ resolve: (specifier, context, next) => { const found = next(specifier, context); loaded.push(found.url); return found } })
    process.argv.push('--prepare')
    process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(loaded) + '\\n'))
    await import(${JSON.stringify(child)})
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  const line = run.stderr.split('\n').find((l) => l.startsWith('LOADED '))
  assert.ok(line, run.stderr)
  const loaded = JSON.parse(line.slice('LOADED '.length)) as string[]
  assert.ok(
    loaded.some((url) => url.includes('/pack.ts')),
    'the pack itself is loaded',
  )
  assert.deepEqual(
    loaded.filter((url) => /\/node_modules\/(zod|fontkit)\//.test(url)),
    [],
  )
})
