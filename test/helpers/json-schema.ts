/**
 * A small JSON Schema validator for the subset the integration API's OpenAPI document uses
 * (z.toJSONSchema's output: type, properties, required, additionalProperties, items, enum, const,
 * anyOf, oneOf, minLength, maxLength, pattern, minimum, maximum, format date and date-time).
 * Returns the problems found, each with the path into the value. An unknown keyword fails, so a
 * schema the validator cannot check is noticed rather than passed.
 */
type Schema = Record<string, unknown>

const known = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'format',
  'title',
  'description',
  'default',
])

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  const problems: string[] = []
  for (const key of Object.keys(schema)) if (!known.has(key)) problems.push(`${path}: unknown keyword ${key}`)
  if (schema.anyOf || schema.oneOf) {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[]
    const passing = options.filter((s) => validate(s, value, path).length === 0).length
    if (schema.oneOf ? passing !== 1 : passing === 0) problems.push(`${path}: matches ${passing} of the options`)
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    const actual = typeOf(value)
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number')))
      return [...problems, `${path}: expected ${types.join(' or ')}, got ${actual}`]
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    problems.push(`${path}: ${String(value)} is not in the enum`)
  if ('const' in schema && schema.const !== value) problems.push(`${path}: not the constant`)
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(`${path}: too short`)
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) problems.push(`${path}: too long`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`${path}: does not match ${schema.pattern}`)
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) problems.push(`${path}: not a date-time`)
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: below the minimum`)
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: above the maximum`)
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) => {
      problems.push(...validate(schema.items as Schema, item, `${path}[${i}]`))
    })
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const name of (schema.required ?? []) as string[])
      if (!(name in object)) problems.push(`${path}.${name}: required`)
    for (const [name, v] of Object.entries(object)) {
      if (properties[name]) problems.push(...validate(properties[name], v, `${path}.${name}`))
      else if (schema.additionalProperties === false) problems.push(`${path}.${name}: not in the schema`)
    }
  }
  return problems
}
