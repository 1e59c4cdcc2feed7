/**
 * Builds Haven's browser assets into public/build/: the Sass (govuk-frontend with a system font
 * stack) and the small ES modules. Skips work when the output is newer than every input. Also
 * compiles the page templates ahead into build/views/ (ADR 0056), only those changed since.
 */
import fs from 'node:fs'
import path from 'node:path'
import { compile, NodePackageImporter } from 'sass'
import { precompileViews } from '../src/plugins/precompiled-views.ts'
import { createViewEnvironment } from '../src/plugins/view.ts'
import { projectRoot } from '../src/root.ts'

const out = path.join(projectRoot, 'public/build')
const scssDir = path.join(projectRoot, 'src/assets/scss')
const jsDir = path.join(projectRoot, 'src/assets/js')
const govukJs = path.join(projectRoot, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js')

function newest(dir: string): number {
  return Math.max(...fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs))
}

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
}

export function buildAssets({ force = false } = {}): boolean {
  // The templates, compiled ahead: content-addressed, so only a changed template is compiled again.
  const views = precompileViews(createViewEnvironment())
  fs.mkdirSync(out, { recursive: true })
  const css = path.join(out, 'app.css')
  const packageJson = path.join(projectRoot, 'package-lock.json')
  const inputs = Math.max(newest(scssDir), newest(jsDir), mtime(packageJson))
  if (!force && mtime(css) > inputs && fs.existsSync(path.join(out, 'app.js'))) return views > 0
  const result = compile(path.join(scssDir, 'app.scss'), {
    importers: [new NodePackageImporter(projectRoot)],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  })
  fs.writeFileSync(css, result.css)
  fs.copyFileSync(govukJs, path.join(out, 'govuk-frontend.min.js'))
  for (const file of fs.readdirSync(jsDir)) {
    const target = file === 'app.mjs' ? 'app.js' : file.replace(/\.mjs$/, '.js')
    fs.writeFileSync(
      path.join(out, target),
      fs.readFileSync(path.join(jsDir, file), 'utf8').replaceAll(/from '\.\/(.+)\.mjs'/g, "from './$1.js'"),
    )
  }
  return true
}

if (import.meta.main) {
  const built = buildAssets({ force: process.argv.includes('--force') })
  console.log(built ? 'Built assets into public/build' : 'Assets are up to date')
}
