/**
 * The policy editor's form engine: every page of every pack, saved unchanged, gives back the same
 * policy (so the forms hold every field they show); problem paths land on the right page and
 * field; form input that cannot be read gets GOV.UK messages.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PolicyDocument } from '../../../domain/policy/index.ts'
import { riversidePolicy } from '../../../domain/policy/kinds-builders.ts'
import { loadPack, packIds } from '../../../packs/index.ts'
import { anchorFor, anchorsOf, getPath, readForm, type Values, valuesOf } from './fields.ts'
import { changedDocument, fieldProblems, locateProblem, type Page, problemsOf, resolvePage } from './pages.ts'
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
    assert.equal(at('standingGroups[0].sessionTypeId'), '/policy/edit/other')
    assert.equal(locateProblem(doc, { path: 'scope.rules[0].who', message: '' }).section.id, 'scope')
  })

  test('new items get a reference made from their words, unique in their list', () => {
    assert.equal(slugify('Staff working in the EYFS (all of them)'), 'staff-working-in-the-eyfs-all')
    assert.equal(slugify('Zoë’s café'), 'zoe-s-cafe')
    assert.equal(uniqueId('One-to-one', new Set(['one-to-one', 'one-to-one-2']), 'type'), 'one-to-one-3')
    assert.equal(uniqueId('!!!', new Set(), 'session type'), 'session-type')
  })
})
