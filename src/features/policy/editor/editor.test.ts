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

/** The form of a page as a browser sends it, with some fields changed. */
function submitted(page: Page, item: unknown, changes: Record<string, string | string[]> = {}) {
  return readForm(page.fields, { ...bodyOf(valuesOf(page.fields, item)), ...changes })
}

describe('issue 14: the newer parts of the policy have inputs', () => {
  /** An invented policy (not a pack) using every newer part. */
  const invented = () =>
    riversidePolicy((doc) => {
      const requirements = doc.requirements as Record<string, unknown>[]
      requirements[0]!.frequency = { every: 1, unit: 'academic-years', times: 3 }
      requirements[1]!.frequency = { every: 2, unit: 'months', termTimeOnly: true }
      const cancellation = doc.cancellation as Record<string, unknown>
      cancellation.rebooking = { within: null, warnAfter: { amount: 10, unit: 'working-days' } }
      const scope = doc.scope as { rules: { who: Record<string, unknown> }[] }
      scope.rules[0]!.who.conditions = [
        { kind: 'in-post-for-less-than', duration: { amount: 1, unit: 'years' } },
        { kind: 'flag-for-less-than', flag: 'early-career', duration: { amount: 2, unit: 'years' } },
      ]
      const metadata = doc.metadata as Record<string, unknown>
      metadata.owner = { kind: 'organisation', name: 'Northshire Safeguarding Partnership', role: null }
      metadata.provenance = 'Based on the partnership’s model, 2023'
      metadata.createdOn = '2026-06-01'
      metadata.consultation = { who: 'All staff, at the staff meeting', consultedOn: '2026-07-10' }
      metadata.lastReviewedBy = 'Jo Adams, DSL'
      metadata.reviewEvery = { amount: 2, unit: 'years' }
    })

  test('X-01: every page of an invented policy using them, saved unchanged, leaves it as it was', () => {
    const doc = invented()
    assert.deepEqual(problemsOf(doc), [])
    for (const page of allPages(doc)) {
      const read = submitted(page, page.item ?? doc)
      assert.deepEqual([...read.errors], [], page.href)
      assert.deepEqual(changedDocument(doc, page, read), doc, page.href)
    }
  })

  test('X-02: times in each period and academic years; a blank times is left out, never written as null', () => {
    const doc = invented()
    const page = resolvePage(doc, 'requirements', ['items', '1'])!
    const blank = changedDocument(doc, page, submitted(page, page.item))
    assert.ok(!('times' in blank.requirements[1]!.frequency!), 'no times: null where the policy had none')
    const thrice = submitted(page, page.item, {
      'frequency.unit': 'terms',
      'frequency.every': '1',
      'frequency.times': '3',
      'frequency.termTimeOnly': [],
    })
    assert.deepEqual(changedDocument(doc, page, thrice).requirements[1]!.frequency, {
      every: 1,
      unit: 'terms',
      termTimeOnly: false,
      times: 3,
      wording: null,
    })
    const weekly = checkSave(
      doc,
      page,
      submitted(page, page.item, { 'frequency.unit': 'weeks', 'frequency.times': '3' }),
    )
    assert.equal(weekly.ok, false)
    if (!weekly.ok)
      assert.deepEqual(weekly.errors.summary, [
        {
          text: 'How many times can only be given for a frequency per half term, term or academic year: leave it blank, or choose half terms, terms or academic years',
          href: '#frequency-times',
        },
      ])
    const cleared = submitted(resolvePage(doc, 'requirements', ['items', '0'])!, doc.requirements[0], {
      'frequency.times': '',
    })
    const first = changedDocument(doc, resolvePage(doc, 'requirements', ['items', '0'])!, cleared)
    assert.ok(!('times' in first.requirements[0]!.frequency!), 'a blank times removes it')
  })

  test('CA-03: rebooking within a set time, as soon as possible with a warning, or not said', () => {
    const doc = invented()
    const page = resolvePage(doc, 'cancellation', [])!
    assert.equal(valuesOf(page.fields, doc)['cancellation.rebooking.deadline'], 'as-soon-as-possible')
    const within = changedDocument(
      doc,
      page,
      submitted(page, doc, {
        'cancellation.rebooking.deadline': 'within',
        'cancellation.rebooking.within.amount': '5',
        'cancellation.rebooking.within.unit': 'working-days',
      }),
    )
    assert.deepEqual(within.cancellation.rebooking, {
      within: { amount: 5, unit: 'working-days' },
      afterAbsence: null,
      sessionTypes: [],
    })
    const noTime = submitted(page, doc, {
      'cancellation.rebooking.deadline': 'within',
      'cancellation.rebooking.within.amount': '',
    })
    assert.equal(noTime.errors.get('cancellation.rebooking.within.amount'), 'Enter rebook within, as a number')
    const asap = changedDocument(
      within,
      page,
      submitted(page, within, {
        'cancellation.rebooking.deadline': 'as-soon-as-possible',
        'cancellation.rebooking.warnAfter.amount': '',
      }),
    )
    assert.deepEqual(asap.cancellation.rebooking, { within: null, afterAbsence: null, sessionTypes: [] })
    const none = changedDocument(doc, page, submitted(page, doc, { 'cancellation.rebooking.deadline': 'none' }))
    assert.equal(none.cancellation.rebooking, null)
    const unanswered = submitted(page, doc, { 'cancellation.rebooking.deadline': '' })
    assert.equal(unanswered.errors.get('cancellation.rebooking.deadline'), 'Select how soon a session must be rebooked')
  })

  test('LH-03: conditions that end by themselves, in the shared choice of staff, with messages naming the row', () => {
    const doc = invented()
    const page = resolvePage(doc, 'scope', ['rules', '0'])!
    const values = valuesOf(page.fields, page.item)
    assert.equal(values['who.conditions.1.flag'], 'early-career')
    assert.equal(values['who.conditions.2.kind'], '', 'a blank row to add one')
    const changed = changedDocument(
      doc,
      page,
      submitted(page, page.item, {
        'who.conditions.0.kind': '',
        'who.conditions.2.kind': 'flag-for-less-than',
        'who.conditions.2.flag': 'in-probation',
        'who.conditions.2.amount': '6',
        'who.conditions.2.unit': 'months',
      }),
    )
    assert.deepEqual(changed.scope.rules[0]!.who.conditions, [
      { kind: 'flag-for-less-than', flag: 'early-career', duration: { amount: 2, unit: 'years' } },
      { kind: 'flag-for-less-than', flag: 'in-probation', duration: { amount: 6, unit: 'months' } },
    ])
    const bad = checkSave(
      doc,
      page,
      submitted(page, page.item, {
        'who.conditions.1.flag': '',
        'who.conditions.2.kind': 'in-post-for-less-than',
        'who.conditions.2.amount': 'a year',
      }),
    )
    assert.equal(bad.ok, false)
    if (!bad.ok)
      assert.deepEqual(bad.errors.summary, [
        { text: 'Select the circumstance for condition 2', href: '#who-conditions-1-kind' },
        {
          text: 'How long condition 3 lasts must be a whole number, 1 or more, like 1',
          href: '#who-conditions-2-kind',
        },
      ])
    const shown = componentsFor(page.fields, values, new Map())
    const who = shown.find((c) => (c.params as { legend?: { text: string } }).legend?.text === 'Who this applies to')!
    assert.equal(who.children!.at(-1)!.children!.length, 3, 'two conditions and a blank row')
  })

  test('X-08: the lead, provenance, creation, consultation, last reviewer and review cycle are in the details', () => {
    const doc = invented()
    const page = resolvePage(doc, 'details', [])!
    const values = valuesOf(page.fields, doc)
    assert.equal(values['metadata.owner.kind'], 'organisation')
    assert.equal(values['metadata.reviewEvery'], '2')
    const changed = changedDocument(
      doc,
      page,
      submitted(page, doc, {
        'metadata.owner.kind': 'person',
        'metadata.owner.name': 'Jo Adams',
        'metadata.reviewEvery': '1',
        'metadata.consultation-present': [],
        'metadata.lastReviewedBy': '',
      }),
    )
    assert.deepEqual(changed.metadata.owner, { kind: 'person', name: 'Jo Adams', role: null })
    assert.deepEqual(changed.metadata.reviewEvery, { amount: 1, unit: 'years' })
    assert.equal(changed.metadata.consultation, null)
    assert.equal(changed.metadata.lastReviewedBy, null)
    const consulted = submitted(page, doc, {
      'metadata.consultation.who': '',
      'metadata.consultation.consultedOn-day': '31',
      'metadata.consultation.consultedOn-month': '2',
    })
    assert.equal(consulted.errors.get('metadata.consultation.who'), 'Enter who was consulted')
    assert.equal(
      consulted.errors.get('metadata.consultation.consultedOn'),
      'Date staff were consulted must be a real date',
    )
    const unnamed = checkSave(doc, page, submitted(page, doc, { 'metadata.owner.name': '' }))
    assert.equal(unnamed.ok, false)
    if (!unnamed.ok)
      assert.deepEqual(unnamed.errors.summary, [
        { text: 'Enter the name of the organisation that owns the policy', href: '#metadata-owner-name' },
      ])
  })
})

describe('CA-09, AM-05, MW-10: the confidentiality exceptions a record may be shared under are edited with confidentiality', () => {
  test('CA-09, AM-05: sharing is ticked in or out, who may receive it and when the supervisee is told are written', () => {
    const doc = loadPack('cornerstone')
    const page = resolvePage(doc, 'confidentiality', [])!
    const off = submitted(page, doc, { 'confidentiality.disclosure-present': [] })
    assert.equal((changedDocument(doc, page, off).confidentiality as { disclosure: unknown }).disclosure, null)
    const on = submitted(page, doc, {
      'confidentiality.disclosure.to': [],
      'confidentiality.disclosure.toRoles': ['deputy-dsl'],
      'confidentiality.disclosure.superviseeTold': 'after',
      'confidentiality.disclosure.noticeDays': '0',
    })
    const check = checkSave(doc, page, on)
    assert.ok(check.ok, JSON.stringify(check.ok ? null : check.errors.summary))
    const disclosure = check.changed.confidentiality!.disclosure!
    assert.equal(disclosure.toSupervisorsLineManager, false)
    assert.deepEqual(disclosure.toRoles, ['deputy-dsl'])
    assert.equal(disclosure.superviseeTold, 'after')
    assert.deepEqual(
      disclosure.reasons.map((r) => r.label),
      doc.confidentiality!.disclosure!.reasons.map((r) => r.label),
      'the reasons are kept: they are edited in their own list',
    )
  })

  test('CA-09: a notice period out of range, or sharing with no reason to choose, is refused with a message on the field', () => {
    const doc = loadPack('cornerstone')
    const page = resolvePage(doc, 'confidentiality', [])!
    const late = submitted(page, doc, { 'confidentiality.disclosure.noticeDays': '31' })
    const refused = checkSave(doc, page, late)
    assert.equal(refused.ok, false)
    if (!refused.ok)
      assert.deepEqual(refused.errors.summary, [
        {
          text: 'Days between telling the supervisee and sharing the record must be 30 or fewer',
          href: '#confidentiality-disclosure-noticeDays',
        },
      ])
    const after = submitted(page, doc, {
      'confidentiality.disclosure.superviseeTold': 'after',
      'confidentiality.disclosure.noticeDays': '2',
    })
    const contradictory = checkSave(doc, page, after)
    assert.equal(contradictory.ok, false)
    if (!contradictory.ok)
      assert.match(
        contradictory.errors.summary[0]!.text,
        /A notice period applies only when the supervisee is told before/,
      )
    const nobody = submitted(page, doc, {
      'confidentiality.disclosure.to': [],
      'confidentiality.disclosure.toRoles': [],
    })
    const toNobody = checkSave(doc, page, nobody)
    assert.equal(toNobody.ok, false)
    if (!toNobody.ok)
      assert.deepEqual(toNobody.errors.summary, [
        {
          text: 'Say who a record may be shared with: the supervisor’s own line manager, staff in named roles, or both',
          href: '#confidentiality-disclosure-toRoles',
        },
      ])
    const blank = submitted(page, doc, { 'confidentiality.disclosure.noticeDays': '' })
    assert.equal(blank.errors.get('confidentiality.disclosure.noticeDays'), 'Enter the number of days, like 2, or 0')

    // Ticked in on a policy that does not share records: the reasons list must have one.
    const none = structuredClone(doc)
    none.confidentiality!.disclosure = null
    const fresh = resolvePage(none, 'confidentiality', [])!
    const ticked = submitted(fresh, none, { 'confidentiality.disclosure-present': ['yes'] })
    const noReasons = checkSave(none, fresh, ticked)
    assert.equal(noReasons.ok, false)
    if (!noReasons.ok)
      assert.ok(
        noReasons.errors.summary.some((e) => e.text === 'Add at least one reason for sharing'),
        JSON.stringify(noReasons.errors.summary),
      )
    const list = sections.find((s) => s.id === 'confidentiality')!.lists.find((l) => l.key === 'reasons')!
    assert.deepEqual(list.path, ['confidentiality', 'disclosure', 'reasons'])
    const reason = resolvePage(doc, 'confidentiality', ['reasons', 'new'])
    assert.ok(reason, 'a reason is added on its own page')
  })
})
