/**
 * Templates compiled before Haven serves (issue 16, ADR 0056). Nunjucks compiles a template to
 * JavaScript the first time a process renders it: lexing, parsing, transforming and generating
 * code, about 150 ms of one thread for the governors' report with the layout and the govuk
 * macros it imports, paid by whoever asks first. `scripts/build-assets.ts` (run by `npm start`)
 * compiles every template once, ahead, into `build/views/`: one file of the compiler's output per
 * template, named by a hash of everything that output depends on (the nunjucks version, the
 * environment's options, the template's full path and its text). The loader reads a template's
 * text as it always did and hands Nunjucks the compiled code when a file of that hash exists;
 * otherwise (a template edited since the build, no build) Nunjucks compiles it as before. The
 * code is the compiler's own, turned into a function as Nunjucks does it (`new Function`), so a
 * page is rendered by the same code either way.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import nunjucks from 'nunjucks'
import { projectRoot } from '../root.ts'

/** Where the compiled templates are written (not in git, not served). */
export const precompiledDir = path.join(projectRoot, 'build/views')

/** The folders templates are found in, in the order Nunjucks searches them. */
export const viewFolders = [
  path.join(projectRoot, 'src/views'),
  path.join(projectRoot, 'src/features'),
  path.join(projectRoot, 'node_modules/govuk-frontend/dist'),
]

/** What Nunjucks keeps on an environment and compiles with (not in its type declarations). */
interface CompilingEnvironment {
  opts: Record<string, unknown>
  asyncFilters: string[]
  extensionsList: unknown[]
}

interface NunjucksCompiler {
  compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object): string
}
const compiler = (nunjucks as unknown as { compiler: NunjucksCompiler }).compiler

let nunjucksVersion: string | undefined
function versionOfNunjucks(): string {
  nunjucksVersion ??= (
    JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules/nunjucks/package.json'), 'utf8')) as {
      version: string
    }
  ).version
  return nunjucksVersion
}

/** The name of a template's compiled file: everything the compiler's output depends on. */
function compiledName(env: CompilingEnvironment, fullPath: string, src: string): string {
  const hash = crypto.createHash('sha256')
  hash.update(`${versionOfNunjucks()}\n${JSON.stringify(env.opts)}\n${env.asyncFilters.join(',')}\n`)
  hash.update(`${env.extensionsList.length}\n${fullPath}\n`)
  hash.update(src)
  return `${hash.digest('hex')}.js`
}

function compileTemplate(env: CompilingEnvironment, fullPath: string, src: string): string {
  return compiler.compile(src, env.asyncFilters, env.extensionsList, fullPath, env.opts)
}

/**
 * A FileSystemLoader that answers with the compiled code when `build/views/` holds it for the
 * template's text as read now. `environment` is the one it loads for (the options are its own).
 */
export class PrecompiledFileSystemLoader extends nunjucks.FileSystemLoader {
  environment: CompilingEnvironment | null = null
  readonly compiledDir: string

  constructor(folders: string[], options: nunjucks.FileSystemLoaderOptions, compiledDir = precompiledDir) {
    super(folders, options)
    this.compiledDir = compiledDir
  }

  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name)
    if (!source || !this.environment) return source
    let code: string
    try {
      code = fs.readFileSync(
        path.join(this.compiledDir, compiledName(this.environment, source.path, source.src)),
        'utf8',
      )
    } catch {
      return source
    }
    // As Nunjucks turns its compiler's output into a template's functions (Template._compile).
    const props = new Function(code)() as Record<string, unknown>
    return { ...source, src: { type: 'code', obj: props } } as unknown as nunjucks.LoaderSource
  }
}

/** Every template under the folders, by full path. */
function templateFiles(folders: readonly string[]): string[] {
  const files: string[] = []
  for (const folder of folders) {
    for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.njk')) files.push(path.join(entry.parentPath, entry.name))
    }
  }
  return files.sort()
}

/**
 * Compiles every template for `env` into `build/views/` (only those not already there) and
 * removes compiled files no template has any more. Returns how many were compiled.
 */
export function precompileViews(
  env: nunjucks.Environment,
  { folders = viewFolders, dir = precompiledDir }: { folders?: readonly string[]; dir?: string } = {},
): number {
  const compiling = env as unknown as CompilingEnvironment
  fs.mkdirSync(dir, { recursive: true })
  const wanted = new Set<string>()
  let compiled = 0
  for (const file of templateFiles(folders)) {
    const src = fs.readFileSync(file, 'utf8')
    const name = compiledName(compiling, file, src)
    wanted.add(name)
    const target = path.join(dir, name)
    if (fs.existsSync(target)) continue
    fs.writeFileSync(`${target}.tmp`, compileTemplate(compiling, file, src))
    fs.renameSync(`${target}.tmp`, target)
    compiled++
  }
  for (const name of fs.readdirSync(dir)) if (!wanted.has(name)) fs.rmSync(path.join(dir, name))
  return compiled
}
