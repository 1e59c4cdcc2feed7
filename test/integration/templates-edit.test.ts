/**
 * Templates as data (issue 7, X-01): a school copies a built-in template and edits its copy one
 * change per page (sections, and fields of any kind); each save is a new version; problems are
 * reported with where they are; two editors at once do not overwrite each other; records keep the
 * version they were written on. Only those who manage the policy edit; everyone else is refused.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testToday } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  formValues,
  hidden,
  insertSession,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

const today = testToday

describe('copying and editing templates', () => {
  let s: RecordsTestApp
  let id: string
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone' })
  })

  async function versionOf(templateId: string): Promise<number> {
    const rows = await s.database.db
      .selectFrom('record_template')
      .select('version')
      .where('template_id', '=', templateId)
      .execute()
    return Math.max(...rows.map((r) => r.version))
  }

  test('X-01: the templates page lists built-in templates and marks those the policy uses; built-ins cannot be edited', async () => {
    const list = await s.dsl.browser.get('/templates')
    assert.equal(list.statusCode, 200)
    const builtIn = textOf(list.body, '#built-in-templates')
    assert.match(builtIn, /The Cornerstone Academy Supervision Record Used by your policy/)
    assert.match(builtIn, /Supervision Decision Record/)
    const view = await s.dsl.browser.get('/templates/built-in/ca-supervision-record')
    assert.equal(view.statusCode, 200)
    assert.match(view.body, /Make a copy to change/)
    assert.match(view.body, /Progress on tasks from last supervision session/)
    assert.equal((await s.dsl.browser.get('/templates/built-in/nope')).statusCode, 404)
  })

  test('X-01: only those who manage the policy copy and edit templates', async () => {
    assert.equal((await s.bystander.browser.get('/templates')).statusCode, 403)
    assert.equal((await s.bystander.browser.get('/templates/copy?from=built-in:ca-supervision-record')).statusCode, 403)
    const refused = await s.headteacher.browser.post(
      '/templates/copy',
      { from: 'built-in:ca-supervision-record', name: 'Mine' },
      { formPage: '/templates' },
    )
    assert.equal(refused.statusCode, 403)
    assert.equal((await s.headteacher.browser.get('/templates')).statusCode, 200, 'the headteacher reads the policy')
    const noToken = await s.dsl.browser.post(
      '/templates/copy',
      { from: 'built-in:ca-supervision-record', name: 'Mine' },
      { csrf: null },
    )
    assert.equal(noToken.statusCode, 403, 'CSRF')
    assert.equal((await s.database.db.selectFrom('record_template').select('id').execute()).length, 0)
  })

  test('X-01: a copy is version 1 of the school’s own template, remembering where it came from', async () => {
    const form = await s.dsl.browser.get('/templates/copy?from=built-in:ca-supervision-record')
    assert.equal(form.statusCode, 200)
    const blank = await s.dsl.browser.post(
      '/templates/copy',
      { from: 'built-in:ca-supervision-record', name: '' },
      { formPage: '/templates/copy?from=built-in:ca-supervision-record' },
    )
    assert.equal(blank.statusCode, 400)
    assert.match(textOf(blank.body, '#name-error'), /Enter a name for your copy/)
    const res = await s.dsl.browser.post(
      '/templates/copy',
      { from: 'built-in:ca-supervision-record', name: 'Oakfield supervision record' },
      { formPage: '/templates/copy?from=built-in:ca-supervision-record' },
    )
    assert.equal(res.statusCode, 303)
    id = /\/templates\/school\/([a-z0-9-]+)/.exec(String(res.headers.location))![1]!
    assert.equal(id, 'oakfield-supervision-record')
    const row = await s.database.db.selectFrom('record_template').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.version, 1)
    assert.deepEqual(row.based_on, { id: 'ca-supervision-record', version: 1 })
    const page = await s.dsl.browser.get(String(res.headers.location))
    assert.match(page.body, /Your copy has been made/)
    // By name, never by id (issue 18).
    assert.match(page.body, /Copied from The Cornerstone Academy Supervision Record, version 1\./)
    assert.doesNotMatch(textOf(page.body, 'main'), /ca-supervision-record/)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'template.copy')
      .execute()
    assert.equal(audit.length, 1)
  })

  test('X-01: add, change and remove a section, each save a new version', async () => {
    const form = await s.dsl.browser.get(`/templates/school/${id}/sections/new`)
    const noTitle = await s.dsl.browser.post(`/templates/school/${id}/sections/new`, {
      version: hidden(form.body, 'version'),
      title: '',
      hint: '',
      after: '',
    })
    assert.equal(noTitle.statusCode, 400)
    assert.match(textOf(noTitle.body, '#title-error'), /Enter a title for the section/)
    const added = await s.dsl.browser.post(`/templates/school/${id}/sections/new`, {
      version: hidden(form.body, 'version'),
      title: 'Wellbeing check',
      hint: 'Ask first.',
      after: 'details',
    })
    assert.equal(added.statusCode, 303)
    assert.equal(await versionOf(id), 2)
    const page = await s.dsl.browser.get(`/templates/school/${id}`)
    const headings = html(page.body)
      .querySelectorAll('h2.govuk-heading-m')
      .map((h) => h.textContent.trim())
    assert.equal(headings[1], 'Wellbeing check', 'placed after the first section')
    const change = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/change`)
    assert.equal(change.statusCode, 200)
    const changed = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/change`, {
      version: hidden(change.body, 'version'),
      title: 'Wellbeing and workload',
      hint: '',
    })
    assert.equal(changed.statusCode, 303)
    assert.equal(await versionOf(id), 3)
    assert.match((await s.dsl.browser.get(`/templates/school/${id}`)).body, /Wellbeing and workload/)
  })

  test('X-01: add a field of every kind, one per page; validateTemplate problems are shown with where they are', async () => {
    const kinds = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/fields/new`)
    assert.equal(kinds.statusCode, 200)
    assert.equal(html(kinds.body).querySelectorAll('input[name=kind]').length, 14)
    const unknown = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/fields/new?kind=colour`)
    assert.equal(unknown.statusCode, 400)
    const fields: [string, Record<string, string | string[]>][] = [
      ['short-text', { label: 'Venue', required: 'no' }],
      ['long-text', { label: 'How are you finding the workload?', required: 'yes', maxLength: '4000' }],
      ['date', { label: 'Date of the last absence', required: 'no', notInFuture: 'yes' }],
      ['time', { label: 'Start time', required: 'no' }],
      ['yes-no', { label: 'Do you need more support?', required: 'yes' }],
      ['single-choice', { label: 'Mood', required: 'no', options: 'Good\nOK\nPoor' }],
      ['multiple-choice', { label: 'Topics', required: 'no', options: 'Cases\nTraining\nWellbeing' }],
      [
        'scale',
        {
          label: 'Confidence',
          required: 'no',
          scaleMin: '0',
          scaleMax: '10',
          minLabel: 'Not at all',
          maxLabel: 'Very',
        },
      ],
      ['person', { label: 'Who else was told', required: 'no' }],
      ['child-or-family', { label: 'Family discussed', required: 'no', allow: ['family'] }],
      [
        'table',
        {
          label: 'Risks',
          required: 'no',
          columns: 'Risk | long answer\nOwner | person | optional\nLevel | choice | required | Low; Medium; High',
        },
      ],
      ['actions', { label: 'Wellbeing actions', required: 'no', requireOwner: 'yes' }],
      ['framework-tags', { label: 'Themes', required: 'no', framework: 'oakfield-themes', options: 'Workload\nCases' }],
      ['signatures', { label: 'Witnessed by', required: 'no', signatories: 'Witness' }],
    ]
    for (const [kind, values] of fields) {
      const form = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/fields/new?kind=${kind}`)
      assert.equal(form.statusCode, 200, kind)
      const res = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/fields/new`, {
        version: hidden(form.body, 'version'),
        kind,
        ...values,
      })
      assert.equal(res.statusCode, 303, `${kind}: ${textOf(res.body, '.govuk-error-summary')}`)
    }
    assert.equal(await versionOf(id), 3 + fields.length)
    const page = await s.dsl.browser.get(`/templates/school/${id}`)
    for (const [, values] of fields) assert.match(page.body, new RegExp(String(values['label']).replace(/[?]/g, '\\?')))

    // Problems: a label missing, an id already used, a column with an unknown kind, options used twice.
    const form = await s.dsl.browser.get(
      `/templates/school/${id}/sections/wellbeingCheck/fields/new?kind=single-choice`,
    )
    const version = hidden(form.body, 'version')
    const noLabel = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/fields/new`, {
      version,
      kind: 'single-choice',
      label: '',
      required: 'no',
      options: 'A',
    })
    assert.match(textOf(noLabel.body, '#label-error'), /Enter the question or label/)
    const taken = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/fields/new`, {
      version,
      kind: 'single-choice',
      label: 'Again',
      fieldId: 'summary',
      required: 'no',
      options: 'A',
    })
    assert.match(textOf(taken.body, '#fieldId-error'), /The id summary is already used/)
    const twice = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/fields/new`, {
      version,
      kind: 'single-choice',
      label: 'Twice',
      required: 'no',
      options: 'Yes!\nYes?',
    })
    assert.equal(twice.statusCode, 400)
    assert.match(
      textOf(twice.body, '#options-error'),
      /The option value "yes" is used more than once \(options\.1\.value\)/,
    )
    const tableForm = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/fields/new?kind=table`)
    const table = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/fields/new`, {
      version: hidden(tableForm.body, 'version'),
      kind: 'table',
      label: 'Bad table',
      required: 'no',
      columns: 'Risk | colour',
    })
    assert.match(textOf(table.body, '#columns-error'), /The kind of column on line 1 must be one of/)
    const scaleForm = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/fields/new?kind=scale`)
    const scale = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/fields/new`, {
      version: hidden(scaleForm.body, 'version'),
      kind: 'scale',
      label: 'Upside down',
      required: 'no',
      scaleMin: '10',
      scaleMax: '2',
    })
    assert.match(
      textOf(scale.body, '#scaleMax-error'),
      /The top of the scale \(2\) must be greater than the bottom \(10\)/,
    )
    assert.equal(await versionOf(id), 3 + fields.length, 'nothing saved')
  })

  test('X-01: change and remove a field; a second editor on an old version is told and nothing is overwritten', async () => {
    const change = await s.dsl.browser.get(`/templates/school/${id}/fields/mood/change`)
    assert.equal(change.statusCode, 200)
    const stale = hidden(change.body, 'version')
    const changed = await s.dsl.browser.post(`/templates/school/${id}/fields/mood/change`, {
      version: stale,
      kind: 'single-choice',
      label: 'Mood today',
      required: 'yes',
      options: 'Good\nPoor',
    })
    assert.equal(changed.statusCode, 303)
    const late = await s.admin.post(
      `/templates/school/${id}/fields/mood/change`,
      { version: stale, kind: 'single-choice', label: 'Mood this week', required: 'no', options: 'Good' },
      { formPage: `/templates/school/${id}/fields/mood/change` },
    )
    assert.equal(late.statusCode, 409)
    assert.match(
      textOf(late.body, '.govuk-error-summary'),
      /Someone else changed this template while you were editing\. Your changes have not been saved/,
    )
    const latest = await s.database.db
      .selectFrom('record_template')
      .select(['document', 'version'])
      .where('template_id', '=', id)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow()
    assert.match(JSON.stringify(latest.document), /Mood today/)
    const remove = await s.dsl.browser.get(`/templates/school/${id}/fields/venue/remove`)
    const notSure = await s.dsl.browser.post(`/templates/school/${id}/fields/venue/remove`, {
      version: hidden(remove.body, 'version'),
    })
    assert.equal(notSure.statusCode, 400)
    assert.match(textOf(notSure.body, '#confirm-error'), /Select yes if you want to remove the field/)
    const removed = await s.dsl.browser.post(`/templates/school/${id}/fields/venue/remove`, {
      version: hidden(remove.body, 'version'),
      confirm: 'yes',
    })
    assert.equal(removed.statusCode, 303)
    assert.doesNotMatch((await s.dsl.browser.get(`/templates/school/${id}`)).body, /id="field-venue"/)
    const older = await s.dsl.browser.get(`/templates/school/${id}?version=2`)
    assert.match(older.body, /This is an earlier version/)
    assert.equal((await s.dsl.browser.get(`/templates/school/${id}/fields/venue/change`)).statusCode, 404)
  })

  test('X-01: a record written on one version keeps it after the template changes', async () => {
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const hub = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
    const version = await versionOf(id)
    const choice = `${id}@${String(version)}`
    assert.ok(
      html(hub.body)
        .querySelectorAll('input[name=template]')
        .some((i) => i.getAttribute('value') === choice),
      'the school’s own template is offered',
    )
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: choice },
      { formPage: `/records/sessions/${sessionId}` },
    )
    const recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(page.body, /Wellbeing and workload/)
    assert.ok(html(page.body).querySelector('#confidence-10'), 'the scale is on the form')
    assert.ok(html(page.body).querySelector('#risks-0-level'), 'a table row with a choice column')
    // The template changes again: the record does not.
    const remove = await s.dsl.browser.get(`/templates/school/${id}/sections/wellbeingCheck/remove`)
    const res = await s.dsl.browser.post(`/templates/school/${id}/sections/wellbeingCheck/remove`, {
      version: hidden(remove.body, 'version'),
      confirm: 'yes',
    })
    assert.equal(res.statusCode, 303)
    const still = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(still.body, /Wellbeing and workload/)
    assert.match(still.body, new RegExp(`Written on the form “[^”]+”, version ${String(version)}\\.`))
    assert.doesNotMatch(textOf(still.body, 'main'), new RegExp(`Written on ${id}`))
    const saved = await s.supervisor.browser.post(
      `/records/${recordId}`,
      { ...formValues(still.body), confidence: '7', 'risks-0-risk': 'Late nights', 'risks-0-level': 'medium' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(saved.statusCode, 303)
    const row = await s.database.db
      .selectFrom('supervision_record')
      .select(['template_version', 'document'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(row.template_version, version)
    const values = (row.document as { values: Record<string, unknown> }).values
    assert.equal(values['confidence'], 7)
    assert.deepEqual(values['risks'], [{ risk: 'Late nights', owner: '', level: 'medium' }])
  })
})
