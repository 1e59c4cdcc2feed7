/**
 * Accessible bar charts drawn on the server as SVG (issue 9). Each chart is an image with a name
 * and a description (role="img", <title> and <desc> referenced by aria-labelledby and
 * aria-describedby), every bar carries its label and its value as text, and a bar that means
 * something more (over a limit) is hatched and says so in words: nothing rests on colour alone.
 * Pages put a table of the same figures next to each chart.
 *
 * Pure: returns a string of SVG markup with every piece of text escaped.
 */

export interface Bar {
  label: string
  value: number
  /** Words after the value, e.g. "over the weekly limit of 10"; the bar is hatched as well. */
  note?: string
}

export interface BarChartInput {
  /** Unique in the page: lower-case letters, digits and hyphens. */
  id: string
  title: string
  description: string
  bars: readonly Bar[]
  /** How to read a value, e.g. { one: 'person', many: 'people' }; values alone when absent. */
  unit?: { one: string; many: string }
}

/** Drawn 640 units wide: one unit a pixel in a two-thirds column on a desktop screen. */
const width = 640
const labelWidth = 200
/** About 8.5 units a character of 16-unit text; labels longer than the column are shortened. */
const charWidth = 8.5
const maxLabelChars = Math.floor((labelWidth - 12) / charWidth)
const rowHeight = 32
const barHeight = 20
const top = 8
const ink = '#0b0c0c'
const barColour = '#1d70b8'
const hatchColour = '#0b0c0c'

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function shorten(label: string): string {
  const chars = [...label]
  return chars.length <= maxLabelChars ? label : `${chars.slice(0, maxLabelChars - 1).join('')}…`
}

function valueText(value: number, unit: BarChartInput['unit']): string {
  const n = value.toLocaleString('en-GB')
  if (!unit) return n
  return `${n} ${value === 1 ? unit.one : unit.many}`
}

/** A horizontal bar chart: one row per bar, the label on the left, the value after the bar. */
export function barChartSvg(input: BarChartInput): string {
  if (!/^[a-z][a-z0-9-]*$/.test(input.id))
    throw new Error(`Chart id '${input.id}' must be lower-case letters, digits and hyphens`)
  const bars = input.bars.map((bar) => ({ ...bar, value: Number.isFinite(bar.value) && bar.value > 0 ? bar.value : 0 }))
  const max = Math.max(1, ...bars.map((bar) => bar.value))
  const words = bars.map((bar) =>
    bar.note ? `${valueText(bar.value, input.unit)}: ${bar.note}` : valueText(bar.value, input.unit),
  )
  // Room after the longest bar for the longest value text; the bars share what is left.
  const textRoom = Math.min(width - labelWidth - 120, 16 + Math.max(8, ...words.map((w) => [...w].length)) * charWidth)
  const barArea = Math.floor(width - labelWidth - textRoom)
  const height = top * 2 + Math.max(1, bars.length) * rowHeight
  const titleId = `${input.id}-title`
  const descId = `${input.id}-desc`
  const hatchId = `${input.id}-hatch`
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" viewBox="0 0 ${width} ${height}" width="100%" focusable="false" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="16">`,
    `<title id="${titleId}">${escapeXml(input.title)}</title>`,
    `<desc id="${descId}">${escapeXml(input.description)}</desc>`,
  ]
  if (bars.some((bar) => bar.note)) {
    parts.push(
      `<defs><pattern id="${hatchId}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><rect width="4" height="8" fill="${hatchColour}"/></pattern></defs>`,
    )
  }
  if (bars.length === 0) {
    parts.push(`<text x="0" y="${top + 21}" fill="${ink}">No figures to show</text>`)
  }
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight
    const length = Math.round((bar.value / max) * barArea * 10) / 10
    const textY = y + 15
    const fill = bar.note ? `url(#${hatchId})` : barColour
    parts.push(
      `<g>`,
      `<text x="${labelWidth - 8}" y="${textY}" text-anchor="end" fill="${ink}">${escapeXml(shorten(bar.label))}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" fill="${fill}" stroke="${ink}" stroke-width="${length > 0 ? 1 : 0}"/>`,
      `<text x="${labelWidth + length + 8}" y="${textY}" fill="${ink}">${escapeXml(words[index] ?? '')}</text>`,
      `</g>`,
    )
  })
  parts.push(`</svg>`)
  return parts.join('')
}
