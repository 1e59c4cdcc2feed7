/**
 * Issue 14: every setting of the policy has behaviour, or it is not a setting. This test lists
 * every leaf setting of the policy document by walking the Zod schema (schema.ts), so a setting
 * added later is caught without anyone remembering to list it here, and fails when a setting is
 * read by nothing but the files that merely define, check, edit, describe or ship it.
 *
 * "Read" is decided from the source text: a setting `a.b.c` is read by a file that names `c` and
 * (for a nested setting) its parent `b`, in code or in a template, once comments are removed. It
 * is a cheap check, not a proof; the tests beside each behaviour prove the behaviour.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { describe, test } from 'node:test'
import type * as z from 'zod'
import { policyDocumentSchema } from './schema.ts'

const root = join(import.meta.dirname, '..', '..', '..')

/** Files that define, check, edit, summarise or ship the policy: reading a setting there is not behaviour. */
const notBehaviour: readonly RegExp[] = [
  /^src\/domain\/policy\/(model|schema|validate|summary|wording|editing|diff)\.ts$/,
  /^src\/features\/policy\//, // the policy's summary page, upload and editor
  /^src\/features\/trust-policy\//, // the trust policy's pages: they show and edit the trust's rules (ADR 0024)
  /^src\/packs\//,
  /\.test\.ts$/,
]

/**
 * Settings with no behaviour of their own, each with the reason. Keep this list short: a setting
 * belongs here only when it is text shown to staff in a named place (beyond the policy's summary),
 * or when another piece of work owns its behaviour ("pending: helper X", to be removed once that
 * work is merged).
 */
const allowed: Readonly<Record<string, string>> = {
  // The document format's own version: schema.ts refuses any other value, so it has nothing to steer.
  schemaVersion: 'the document format version, checked by the schema itself',

  // "Anything else the policy commits to, in plain words" (model.ts): text with nothing for
  // software to act on, shown to staff on the policy's summary page under its topic.
  'commitments[].id': 'text shown on the policy summary page',
  'commitments[].topic': 'text shown on the policy summary page',
  'commitments[].text': 'text shown on the policy summary page',

  // Owned by other work (issue 14); the lead removes each line once that work is merged.
  'metadata.governorCommittee': 'pending: helper identity',

  'metadata.description': 'pending: helper identity (metadata)',
  'supervisors.trainingDescription': 'pending: helper kinds',
}

interface Setting {
  /** Dotted, with [] for each list: `standingGroups[].ledBy[].role`. */
  path: string
  /** The object keys along the path, outermost first. */
  keys: string[]
  /** The object (or union) schema the setting is a field of. */
  parent: AnySchema | null
}

type AnySchema = z.core.$ZodType
type Def = { type: string; [key: string]: unknown }

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

/** Every leaf setting under `schema`: objects and lists are walked into, anything else is a leaf. */
export function leafSettings(
  schema: AnySchema,
  path = '',
  keys: string[] = [],
  parent: AnySchema | null = null,
): Setting[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'optional':
      return leafSettings(def.innerType as AnySchema, path, keys, parent)
    case 'pipe': {
      // A transform after a check (optional text) reads the check; a clean-up before it (z.preprocess) the schema after.
      const first = def.in as AnySchema
      return leafSettings(defOf(first).type === 'transform' ? (def.out as AnySchema) : first, path, keys, parent)
    }
    case 'array': {
      const items = leafSettings(def.element as AnySchema, `${path}[]`, keys, parent)
      // A list of plain values (roles, words) is one setting; a list of objects has settings of its own.
      return items.length === 1 && items[0]?.path === `${path}[]` ? [{ ...items[0], path }] : items
    }
    case 'object':
      return Object.entries(def.shape as Record<string, AnySchema>).flatMap(([key, value]) =>
        leafSettings(value, path === '' ? key : `${path}.${key}`, [...keys, key], schema),
      )
    case 'union': {
      const seen = new Map<string, Setting>()
      for (const option of def.options as AnySchema[])
        for (const s of leafSettings(option, path, keys, schema)) seen.set(s.path, s)
      return [...seen.values()]
    }
    default:
      return path === '' ? [] : [{ path, keys, parent }]
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return sourceFiles(full)
    return full.endsWith('.ts') || full.endsWith('.njk') ? [full] : []
  })
}

/** The text with comments removed: `/* ... *\/`, `// ...` at a line's start or after a space, and `{# ... #}`. */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\{#[\s\S]*?#\}/g, ' ')
    .replace(/(^|\s)\/\/.*$/gm, '$1')
}

function behaviourSources(): Map<string, string> {
  const sources = new Map<string, string>()
  for (const file of sourceFiles(join(root, 'src'))) {
    const name = relative(root, file).split(sep).join('/')
    if (notBehaviour.some((pattern) => pattern.test(name))) continue
    sources.set(name, withoutComments(readFileSync(file, 'utf8')))
  }
  return sources
}

function names(text: string, word: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_$])${word}(?![A-Za-z0-9_$])`).test(text)
}

/**
 * Whether the text reads the key as a property: `x.key`, `x?.key`, `x['key']`, or a destructuring
 * `{ ..., key, ... } =` / `({ key })`. A variable or function that merely shares the name
 * (`const visibleTo = []`, `reasonRequired(policy)`) is not a read.
 */
function readsProperty(text: string, key: string): boolean {
  const end = '(?![A-Za-z0-9_$])'
  return (
    new RegExp(`\\.${key}${end}(?!\\s*\\()`).test(text) ||
    new RegExp(`\\[['"]${key}['"]\\]`).test(text) ||
    new RegExp(`\\{[^{}=;]*(?<![A-Za-z0-9_$.])${key}${end}[^{}=;]*\\}\\s*(=|:|\\))`).test(text)
  )
}

function containerOf(setting: Setting): string {
  return setting.path.slice(0, Math.max(0, setting.path.lastIndexOf('.')))
}

/**
 * The files that read the setting. A key that names one setting only (`reasonRequired`) is read
 * where it is named. A key several settings share (`name`, `description`) is read where it is
 * named beside its parent's key (`furtherSupport` ... `name`), unless its parent is a part the
 * policy uses in several places (a length of time, a frequency, a selector of staff): those parts
 * are read by general code that never names where they sit. Either way every key on the way
 * must be named somewhere, so `standingGroups[].ledBy[].role` needs something to name `standingGroups`.
 */
export function readersOf(
  setting: Setting,
  sources: ReadonlyMap<string, string>,
  settings: readonly Setting[],
): string[] {
  const files = [...sources]
  const namedAnywhere = (word: string) => files.some(([, text]) => names(text, word))
  if (!setting.keys.slice(0, -1).every(namedAnywhere)) return []
  const key = setting.keys.at(-1) as string
  const parent = setting.keys.at(-2)
  const parentsOfKey = new Set(settings.filter((s) => s.keys.at(-1) === key).map((s) => s.parent))
  const placesOfParent = new Set(settings.filter((s) => s.parent === setting.parent).map(containerOf))
  const alone = parent === undefined || parentsOfKey.size === 1 || placesOfParent.size > 1
  // A key shared by several settings is read where its parent is named, and, in a section of plain
  // objects (no lists on the way), the parent's own parent too: `retention.contracts.years` is not
  // read by a file that reads a calendar's `years` and mentions contracts.
  const grandparent = setting.path.includes('[]') ? undefined : setting.keys.at(-3)
  const namesParents = (text: string) =>
    names(text, parent as string) && (grandparent === undefined || names(text, grandparent))
  return files.filter(([, text]) => readsProperty(text, key) && (alone || namesParents(text))).map(([file]) => file)
}

describe('issue 14: every policy setting has behaviour', () => {
  const settings = leafSettings(policyDocumentSchema as unknown as AnySchema)
  const sources = behaviourSources()

  test('the settings are found by walking the schema, so a new one is caught without being listed', () => {
    const paths = settings.map((s) => s.path)
    for (const expected of [
      'cancellation.reasonRequired',
      'cancellation.visibleTo',
      'standingGroups[].ledBy[].role',
      'furtherSupport[].providedBy',
      'sessionTypes[].focuses[].name',
      'metadata.owner.role',
    ])
      assert.ok(paths.includes(expected), expected)
    assert.ok(settings.length > 100, `only ${settings.length} settings found`)
  })

  test('every setting is read by some behaviour outside the files that define, check, edit, summarise or ship it', () => {
    const unread = settings
      .filter((s) => !(s.path in allowed))
      .filter((s) => readersOf(s, sources, settings).length === 0)
      .map((s) => s.path)
    assert.deepEqual(
      unread,
      [],
      `These policy settings change nothing Haven does: give each behaviour (and a test), or remove it from the policy:\n  ${unread.join('\n  ')}`,
    )
  })

  test('the allow-list names only settings that exist and that nothing reads yet', () => {
    const paths = new Set(settings.map((s) => s.path))
    const nowRead: string[] = []
    for (const [path, why] of Object.entries(allowed)) {
      assert.ok(paths.has(path), `${path} is allowed but is no longer a setting`)
      assert.ok(why.trim().length > 0, `${path} is allowed without a reason`)
      const setting = settings.find((s) => s.path === path) as Setting
      if (why.startsWith('pending:') && readersOf(setting, sources, settings).length > 0) nowRead.push(path)
    }
    assert.deepEqual(nowRead, [], `Now read: take these off the allow-list:\n  ${nowRead.join('\n  ')}`)
  })

  test('a setting read only by the summary, the editor, a pack or a comment counts as unread', () => {
    const only = new Map([
      ['src/features/sessions/views/x.njk', 'policy.cancellation.notifyRoles'],
      ['src/services/x.ts', '// cancellation.reasonRequired is not read here\nconst reasons = cancellation.reasons'],
      ['src/services/y.ts', 'const groups = policy.standingGroups.map((g) => g.id)'],
      ['src/services/z.ts', 'const visibleTo = []\nexport const reasonRequired = (p) => true\nreasonRequired(null)'],
    ])
    for (const [file, text] of only) only.set(file, withoutComments(text))
    const find = (path: string) => settings.find((s) => s.path === path) as Setting
    assert.deepEqual(readersOf(find('cancellation.reasonRequired'), only, settings), [])
    assert.deepEqual(readersOf(find('cancellation.notifyRoles'), only, settings), ['src/features/sessions/views/x.njk'])
    assert.deepEqual(readersOf(find('standingGroups[].id'), only, settings), ['src/services/y.ts'])
    assert.deepEqual(readersOf(find('standingGroups[].name'), only, settings), [])
    assert.deepEqual(readersOf(find('furtherSupport[].id'), only, settings), [])
    assert.deepEqual(
      readersOf(find('cancellation.visibleTo'), only, settings),
      [],
      'a variable of the same name is not a read',
    )
  })
})
