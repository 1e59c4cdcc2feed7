/**
 * The template editor sets when an item is shown (by who the supervisor is) and where its answer
 * is filed (issue 14): GOV.UK radios, errors naming the field, the stored template keeps both.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { html, textOf } from '../helpers/html.ts'
import { formValues as fieldsOf, type RecordsTestApp, recordsTestApp } from '../helpers/records.ts'

/** The editor form's fields as the page has them. */
const formValues = (body: string) => fieldsOf(body, 'main form')

describe('conditions and filing in the template editor (issue 14)', () => {
  let s: RecordsTestApp
  let id: string
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone' })
    const res = await s.dsl.browser.post(
      '/templates/copy',
      { from: 'built-in:ca-supervision-record', name: 'Oakfield record' },
      { formPage: '/templates/copy?from=built-in:ca-supervision-record' },
    )
    assert.equal(res.statusCode, 303)
    id = /\/templates\/school\/([a-z0-9-]+)/.exec(String(res.headers.location))![1]!
  })

  const latest = async () =>
    (
      await s.database.db
        .selectFrom('record_template')
        .select(['document', 'version'])
        .where('template_id', '=', id)
        .orderBy('version', 'desc')
        .executeTakeFirstOrThrow()
    ).document as { sections: { fields: { id: string; showWhen?: string; fileTo?: string }[] }[] }

  test('a field is shown always unless a school chooses a condition; a made-up one is refused, naming the field', async () => {
    const url = `/templates/school/${id}/fields/summary/change`
    const page = await s.dsl.browser.get(url)
    assert.equal(page.statusCode, 200)
    const checked = html(page.body).querySelector('input[name=showWhen]:checked')?.getAttribute('value')
    assert.equal(checked, 'always')
    assert.ok(html(page.body).querySelector('input[name=showWhen][value=supervisor-is-not-line-manager]'))
    assert.ok(html(page.body).querySelector('input[name=fileTo][value=staff-file]'))
    const bad = await s.dsl.browser.post(
      url,
      { ...formValues(page.body), showWhen: 'when-it-rains', fileTo: 'the-bin' },
      { formPage: url },
    )
    assert.equal(bad.statusCode, 400)
    assert.match(textOf(bad.body, '#showWhen-error'), /Select when the question is shown/)
    assert.match(textOf(bad.body, '#fileTo-error'), /Select where the answer is filed/)
    const ok = await s.dsl.browser.post(
      url,
      { ...formValues(page.body), showWhen: 'supervisor-is-not-line-manager', fileTo: 'staff-file' },
      { formPage: url },
    )
    assert.equal(ok.statusCode, 303, textOf(ok.body, '.govuk-error-summary'))
    const summary = (await latest()).sections.flatMap((x) => x.fields).find((f) => f.id === 'summary')!
    assert.equal(summary.showWhen, 'supervisor-is-not-line-manager')
    assert.equal(summary.fileTo, 'staff-file')
    const overview = await s.dsl.browser.get(`/templates/school/${id}`)
    assert.match(textOf(overview.body, '#field-summary'), /Only when the supervisor is not the line manager/)
    assert.match(textOf(overview.body, '#field-summary'), /also filed in the staff member’s file/)
    const again = await s.dsl.browser.get(url)
    assert.equal(
      html(again.body).querySelector('input[name=showWhen]:checked')?.getAttribute('value'),
      'supervisor-is-not-line-manager',
    )
    // Back to always: the condition is removed from the stored template.
    const back = await s.dsl.browser.post(
      url,
      { ...formValues(again.body), showWhen: 'always', fileTo: 'record-only' },
      { formPage: url },
    )
    assert.equal(back.statusCode, 303)
    const cleared = (await latest()).sections.flatMap((x) => x.fields).find((f) => f.id === 'summary')!
    assert.equal(cleared.showWhen, undefined)
    assert.equal(cleared.fileTo, undefined)
  })

  test('a section can be shown only by who the supervisor is; a made-up condition is refused, naming the field', async () => {
    const doc = (await latest()) as unknown as { sections: { id: string; showWhen?: string }[] }
    const sectionId = doc.sections[0]!.id
    const url = `/templates/school/${id}/sections/${sectionId}/change`
    const page = await s.dsl.browser.get(url)
    assert.equal(page.statusCode, 200)
    assert.equal(html(page.body).querySelector('input[name=showWhen]:checked')?.getAttribute('value'), 'always')
    const bad = await s.dsl.browser.post(url, { ...formValues(page.body), showWhen: 'never' }, { formPage: url })
    assert.equal(bad.statusCode, 400)
    assert.match(textOf(bad.body, '#showWhen-error'), /Select when the section is shown/)
    const ok = await s.dsl.browser.post(
      url,
      { ...formValues(page.body), showWhen: 'supervisor-is-external' },
      { formPage: url },
    )
    assert.equal(ok.statusCode, 303, textOf(ok.body, '.govuk-error-summary'))
    const after = (await latest()) as unknown as { sections: { id: string; showWhen?: string }[] }
    assert.equal(after.sections[0]!.showWhen, 'supervisor-is-external')
  })
})
