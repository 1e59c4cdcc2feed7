/**
 * Templates compiled ahead (ADR 0056): every page renders the same from the compiled code as from
 * its text, and a template edited after the build is compiled from its text again.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import type nunjucks from 'nunjucks'
import { precompileViews, viewFolders } from './precompiled-views.ts'
import { createViewEnvironment } from './view.ts'

const made: string[] = []
const tempDir = (label: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `haven-views-${label}-`))
  made.push(dir)
  return dir
}
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

/** Whether Nunjucks was handed the template as code (not its text to compile). */
function fromCode(env: nunjucks.Environment, name: string): boolean {
  return (env.getTemplate(name) as unknown as { tmplProps?: unknown }).tmplProps !== undefined
}

function rendered(env: nunjucks.Environment, name: string, context: object): string {
  try {
    return env.render(name, context)
  } catch (error) {
    return `failed: ${(error as Error).message}`
  }
}

describe('templates compiled ahead (ADR 0056)', () => {
  test('every template renders the same from its compiled code as compiled from its text', () => {
    const dir = tempDir('all')
    assert.ok(precompileViews(createViewEnvironment(), { dir }) > 100)
    const compiled = createViewEnvironment({ compiledDir: dir })
    const fromText = createViewEnvironment({ compiledDir: tempDir('none') })
    const names = viewFolders.flatMap((folder) =>
      fs
        .readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.njk'))
        .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name))),
    )
    const context = { pageTitle: 'A page', cspNonce: 'nonce', csrfToken: 'token', navigation: [] }
    for (const name of names) {
      assert.equal(rendered(compiled, name, context), rendered(fromText, name, context), name)
    }
    assert.ok(fromCode(compiled, 'governors/views/report.njk'))
    assert.ok(!fromCode(fromText, 'governors/views/report.njk'))
  })

  test('a template edited after the build is compiled from its text, as it now reads', () => {
    const folder = tempDir('folder')
    const dir = tempDir('compiled')
    const page = path.join(folder, 'page.njk')
    fs.writeFileSync(page, '<p>Hello {{ name }}</p>')
    assert.equal(precompileViews(createViewEnvironment(), { folders: [folder], dir }), 1)
    assert.equal(precompileViews(createViewEnvironment(), { folders: [folder], dir }), 0, 'already compiled')
    const before = createViewEnvironment({ folders: [folder], compiledDir: dir })
    assert.equal(before.render('page.njk', { name: '<Sam>' }), '<p>Hello &lt;Sam&gt;</p>')
    assert.ok(fromCode(before, 'page.njk'))

    fs.writeFileSync(page, '<p>Goodbye {{ name }}</p>')
    const afterEdit = createViewEnvironment({ folders: [folder], compiledDir: dir })
    assert.equal(afterEdit.render('page.njk', { name: 'Sam' }), '<p>Goodbye Sam</p>')
    assert.ok(!fromCode(afterEdit, 'page.njk'))
    // The next build compiles it again and removes what no template has any more.
    assert.equal(precompileViews(createViewEnvironment(), { folders: [folder], dir }), 1)
    assert.equal(fs.readdirSync(dir).length, 1)
  })
})
