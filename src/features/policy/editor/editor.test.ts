/**
 * The policy editor's form engine: every page of every pack, saved unchanged, gives back the same
 * policy (so the forms hold every field they show); problem paths land on the right page and
 * field; form input that cannot be read gets GOV.UK messages.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PolicyDocument } from '../../../domain/policy/index.ts'
import { riversidePolicy } from '../../../domain/policy/kinds-builders.ts'
import { policyDocumentSchema } from '../../../domain/policy/schema.ts'
import { loadPack, packIds } from '../../../packs/index.ts'
import {
  anchorFor,
  anchorsOf,
  componentsFor,
  type FieldSpec,
  getPath,
  readForm,
  splitName,
  type Values,
  valuesOf,
} from './fields.ts'
import {
  changedDocument,
  checkSave,
  fieldProblems,
  locateProblem,
  type Page,
  problemsOf,
  resolvePage,
} from './pages.ts'
import { type ListDef, sections, slugify, uniqueId } from './sections.ts'

/** The body a browser sends for a form showing these values. */
function bodyOf(values: Values): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value)) body[name] = value.map(String)
    else if (value && typeof value === 'object') {
      const parts = value as { day: string; month: string; year: string }
      body[`${name}-day`] = parts.day
      body[`${name}-month`] = parts.month
      body[`${name}-year`] = parts.year
    } else body[name] = String(value ?? '')
  }
  return body
}

/** Every page of a policy: each section, and each item of each list, however deep. */
function allPages(doc: PolicyDocument): Page[] {
  const pages: Page[] = []
  const walk = (sectionId: string, segments: string[], lists: readonly ListDef[], root: (string | number)[]) => {
    for (const list of lists) {
      const items = getPath(doc, [...root, ...list.path])
      if (!Array.isArray(items)) continue
      items.forEach((_, index) => {
        const next = [...segments, list.key, String(index)]
        const page = resolvePage(doc, sectionId, next)
        assert.ok(page, `${sectionId}/${next.join('/')}`)
        pages.push(page)
        walk(sectionId, next, list.sublists ?? [], [...root, ...list.path, index])
      })
    }
  }
  for (const section of sections.filter((s) => s.editable)) {
    const page = resolvePage(doc, section.id, [])
    assert.ok(page)
    if (section.fields) pages.push(page)
    walk(section.id, [], section.lists, [])
  }
  return pages
}

describe('the editor’s forms', () => {
  for (const id of packIds) {
    test(`X-01: every page of the ${id} pack, saved unchanged, leaves the policy as it was`, () => {
      const doc = loadPack(id)
      const pages = allPages(doc)
      assert.ok(pages.length > 10)
      for (const page of pages) {
        const values = valuesOf(page.fields, page.item ?? doc)
        const read = readForm(page.fields, bodyOf(values))
        assert.deepEqual([...read.errors], [], page.href)
        const saved = changedDocument(doc, page, read)
        assert.deepEqual(saved, doc, page.href)
        assert.deepEqual(problemsOf(saved), [], page.href)
      }
    })
  }

  test('issue 14: the kinds of supervision a rule is for are on its page, saved unchanged and changed', () => {
    const doc = riversidePolicy()
    const page = resolvePage(doc, 'supervisors', ['rules', '0'])!
    const values = valuesOf(page.fields, page.item)
    assert.deepEqual(values.sessionTypes, ['safeguarding'])
    assert.deepEqual(changedDocument(doc, page, readForm(page.fields, bodyOf(values))), doc)
    const both = changedDocument(
      doc,
      page,
      readForm(page.fields, { ...bodyOf(values), sessionTypes: ['safeguarding', 'management'] }),
    )
    assert.deepEqual(both.supervisors.rules[0]?.sessionTypes, ['safeguarding', 'management'])
  })

  test('a number or a date that cannot be read gets a GOV.UK message; blank optional values are none', () => {
    const doc = loadPack('meanwood')
    const page = resolvePage(doc, 'requirements', ['items', '0'])!
    const values = valuesOf(page.fields, page.item)
    const read = readForm(page.fields, { ...bodyOf(values), 'frequency.every': '1.5', expectedMinutes: '' })
    assert.equal(read.errors.get('frequency.every'), 'Every must be a whole number, like 1')
    assert.ok(read.writes.some((w) => w.name === 'expectedMinutes' && w.value === null))

    const details = resolvePage(doc, 'details', [])!
    const detailValues = valuesOf(details.fields, doc)
    const dates = readForm(details.fields, {
      ...bodyOf(detailValues),
      'metadata.approvedOn-day': '29',
      'metadata.approvedOn-month': '2',
      'metadata.approvedOn-year': '2027',
      'metadata.lastReviewedOn-day': '1',
      'metadata.lastReviewedOn-month': '9',
      'metadata.lastReviewedOn-year': '26',
    })
    assert.equal(dates.errors.get('metadata.approvedOn'), 'Date approved must be a real date')
    assert.equal(dates.errors.get('metadata.lastReviewedOn'), 'Year must include 4 numbers')
  })

  test('problems show on the field that holds them, walking up to the nearest field', () => {
    const doc = loadPack('lode-heath')
    const page = resolvePage(doc, 'requirements', ['items', '0'])!
    const anchors = anchorsOf(page.fields)
    assert.equal(anchorFor(anchors, 'frequency.every')?.href, 'frequency-every')
    assert.equal(anchorFor(anchors, 'scopeRules[3]')?.href, 'scopeRules')
    assert.equal(anchorFor(anchors, 'stricterFor[0].frequency'), null, 'a sublist is another page')
    const shown = fieldProblems(page, [
      { path: 'requirements[0].sessionTypes[0]', message: 'There is no session type' },
      { path: 'requirements[0].description', message: 'Enter a description of the requirement' },
      { path: 'requirements[10].description', message: 'Not this page' },
      { path: 'requirements[0].stricterFor[0].who', message: 'Not this page either' },
    ])
    assert.deepEqual(shown.summary, [
      { text: 'Enter a description of the requirement', href: '#description' },
      { text: 'There is no session type', href: '#sessionTypes' },
    ])
  })

  test('the publish page links each problem to its page and field', () => {
    const doc = loadPack('lode-heath')
    const at = (path: string) => locateProblem(doc, { path, message: '' }).href
    assert.equal(
      at('requirements[0].stricterFor[0].frequency.every'),
      '/policy/edit/requirements/items/0/stricter/0#frequency-every',
    )
    assert.equal(at('requirements[1].agreedFrequency.options'), '/policy/edit/requirements/items/1#list-options')
    assert.equal(at('sessionTypes'), '/policy/edit/session-types#list-items')
    assert.equal(at('metadata.nextReviewDue'), '/policy/edit/details#metadata-nextReviewDue-day')
    assert.equal(
      at('cancellation.rebooking.within.amount'),
      '/policy/edit/cancellation#cancellation-rebooking-within-amount',
    )
    assert.equal(at('escalation[0].steps[2].target.role'), '/policy/edit/escalation/chains/0/steps/2#target-role')
    assert.equal(at('frameworks[0].items[1].name'), '/policy/edit/frameworks/frameworks/0/items/1#name')
    assert.equal(at('standingGroups[0].sessionTypeId'), '/policy/edit/requests/groups/0#sessionTypeId')
    assert.equal(at('contract.issuedAt'), '/policy/edit/contract#contract-issuedAt')
    assert.equal(at('disputeResolution.steps'), '/policy/edit/confidentiality#list-steps')
    assert.equal(at('confidentiality'), '/policy/edit/confidentiality#confidentiality-present')
    assert.equal(at('unknownField'), '/policy/edit/other')
    assert.equal(locateProblem(doc, { path: 'scope.rules[0].who', message: '' }).section.id, 'scope')
  })

  test('new items get a reference made from their words, unique in their list', () => {
    assert.equal(slugify('Staff working in the EYFS (all of them)'), 'staff-working-in-the-eyfs-all')
    assert.equal(slugify('Zoë’s café'), 'zoe-s-cafe')
    assert.equal(uniqueId('One-to-one', new Set(['one-to-one', 'one-to-one-2']), 'type'), 'one-to-one-3')
    assert.equal(uniqueId('!!!', new Set(), 'session type'), 'session-type')
  })
})

/** Parts of the document Haven sets itself: the format, the policy's id, its version and start date. */
const systemKeys = new Set(['schemaVersion', 'id', 'version', 'effectiveFrom'])

/** The leaf names a list of field specs writes (a group's children; a booleans group's items). */
function writtenNames(specs: readonly FieldSpec[]): string[] {
  return specs.flatMap((spec) => {
    if (spec.kind === 'group') return [spec.name, ...writtenNames(spec.children)]
    if (spec.kind === 'booleans') return spec.items.map((i) => i.name)
    if (spec.kind === 'radios' && spec.conditional) return [spec.name, spec.conditional.field.name]
    return [spec.name]
  })
}

/** Every leaf of a JSON value, as paths (array items by index). */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [at] : value.flatMap((v, i) => leafPaths(v, [...at, i]))
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    return entries.length === 0 ? [at] : entries.flatMap(([k, v]) => leafPaths(v, [...at, k]))
  }
  return [at]
}

describe('the editor covers the whole policy', () => {
  test('X-01: every top-level part of the policy model has an editor section with a form or list for it', () => {
    const keys = Object.keys(policyDocumentSchema.shape).filter((k) => !systemKeys.has(k))
    assert.ok(keys.length >= 20, 'the model’s top-level parts are read from its schema')
    const doc = loadPack('cornerstone')
    const missing = keys.filter((key) => {
      const section = sections.find((s) => s.editable && s.owns.includes(key))
      if (!section) return true
      const fields = writtenNames(section.fields?.(doc) ?? []).map((n) => splitName(n)[0])
      const lists = section.lists.map((l) => l.path[0])
      return !fields.includes(key) && !lists.includes(key)
    })
    assert.deepEqual(missing, [], 'parts of the policy with no editor section: add one in sections.ts')
  })

  for (const id of packIds) {
    test(`X-01: every field of the ${id} pack is written by some form of the editor (no upload needed)`, () => {
      const doc = loadPack(id)
      // The only value Haven supports, stated on the scope page (MW-04).
      const written = new Set<string>(['scope.partTimeStaff'])
      for (const section of sections.filter((s) => s.editable))
        for (const list of section.lists) written.add(list.path.join('.'))
      for (const page of allPages(doc)) {
        for (const name of writtenNames(page.fields)) written.add([...page.root, ...splitName(name)].join('.'))
        // A list's items are made on its pages; its emptiness is the list's own.
        for (const list of page.list ? (page.list.sublists ?? []) : page.section.lists)
          written.add([...page.root, ...list.path].join('.'))
      }
      const unwritten = leafPaths(doc)
        .filter((path) => !systemKeys.has(String(path[0])))
        .filter((path) => !path.some((_, n) => written.has(path.slice(0, n + 1).join('.'))))
        .map((path) => path.join('.'))
      assert.deepEqual(unwritten, [], 'fields no form can change: give them an input in sections.ts')
    })
  }

  test('a part the policy may leave out is ticked in or out; ticked in, its blank fields are named', () => {
    const doc = loadPack('meanwood')
    const page = resolvePage(doc, 'confidentiality', [])!
    const values = valuesOf(page.fields, doc)
    const body = bodyOf(values)
    const off = readForm(page.fields, { ...body, 'confidentiality-present': [] })
    assert.equal(changedDocument(doc, page, off).confidentiality, null)
    const on = readForm(page.fields, {
      ...body,
      'confidentiality-present': ['yes'],
      'confidentiality.summary': '',
    })
    assert.equal(on.errors.get('confidentiality.summary'), 'Enter what stays confidential')
    const check = checkSave(doc, page, on)
    assert.equal(check.ok, false)
    if (!check.ok)
      assert.deepEqual(check.errors.summary[0], {
        text: 'Enter what stays confidential',
        href: '#confidentiality-summary',
      })
    const shown = componentsFor(page.fields, values, new Map())
    const toggle = shown[0]!.children![0]!
    assert.equal((toggle.params as { name: string }).name, 'confidentiality-present')
  })
})
