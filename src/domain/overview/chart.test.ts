import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { parse } from 'node-html-parser'
import { barChartSvg, escapeXml } from './chart.ts'

describe('bar charts drawn on the server', () => {
  const chart = barChartSvg({
    id: 'status-chart',
    title: 'People in scope by status',
    description: '3 up to date, 1 overdue',
    unit: { one: 'person', many: 'people' },
    bars: [
      { label: 'Up to date', value: 3 },
      { label: 'Overdue', value: 1, note: 'needs a session booked' },
      { label: 'Never supervised', value: 0 },
    ],
  })
  const svg = parse(chart).querySelector('svg')!

  test('is an image named by its title and described by its description', () => {
    assert.equal(svg.getAttribute('role'), 'img')
    assert.equal(svg.getAttribute('aria-labelledby'), 'status-chart-title')
    assert.equal(svg.getAttribute('aria-describedby'), 'status-chart-desc')
    assert.equal(svg.querySelector('title#status-chart-title')?.textContent, 'People in scope by status')
    assert.equal(svg.querySelector('desc#status-chart-desc')?.textContent, '3 up to date, 1 overdue')
  })

  test('every bar has its label and its value as text; lengths are in proportion', () => {
    const texts = svg.querySelectorAll('text').map((t) => t.textContent)
    assert.deepEqual(texts, [
      'Up to date',
      '3 people',
      'Overdue',
      '1 person: needs a session booked',
      'Never supervised',
      '0 people',
    ])
    const widths = svg.querySelectorAll('rect[height="20"]').map((r) => Number(r.getAttribute('width')))
    assert.ok(widths[0]! > 100, `the longest bar is ${widths[0]}`)
    assert.ok(Math.abs(widths[1]! - widths[0]! / 3) < 0.1)
    assert.equal(widths[2], 0)
  })

  test('a bar with a note is hatched as well as described, so nothing rests on colour alone', () => {
    const rects = svg.querySelectorAll('rect[height="20"]')
    assert.equal(rects[1]?.getAttribute('fill'), 'url(#status-chart-hatch)')
    assert.ok(svg.querySelector('pattern#status-chart-hatch'))
    assert.notEqual(rects[0]?.getAttribute('fill'), rects[1]?.getAttribute('fill'))
  })

  test('an empty chart says so', () => {
    const empty = barChartSvg({ id: 'empty', title: 'Nothing', description: 'No sessions', bars: [] })
    assert.match(empty, /No figures to show/)
  })

  test('long labels are shortened in the picture (the table beside it has them in full)', () => {
    const long = barChartSvg({ id: 'long', title: 't', description: 'd', bars: [{ label: 'A'.repeat(50), value: 1 }] })
    assert.match(long, />A{21}…</)
  })

  test('text from people (names) can never break out of the markup', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(1000), (label, note, value) => {
        const out = barChartSvg({ id: 'p', title: label, description: note, bars: [{ label, value, note }] })
        const root = parse(out)
        assert.equal(root.querySelectorAll('svg').length, 1)
        assert.equal(root.querySelector('title')?.textContent, label)
        assert.equal(root.querySelector('svg')?.childNodes.filter((n) => n.nodeType === 1).length, note ? 4 : 3)
      }),
    )
  })

  test('escapes the five XML characters', () => {
    assert.equal(
      escapeXml(`<a href="x">Tom & Jerry's</a>`),
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    )
  })

  test('refuses an id that would not be a safe element id', () => {
    assert.throws(() => barChartSvg({ id: 'a"b', title: 't', description: 'd', bars: [] }))
  })
})
