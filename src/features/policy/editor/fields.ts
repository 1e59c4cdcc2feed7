/**
 * The policy editor's small form engine. Each page of the editor is described as a list of field
 * specs, named by their path inside the part of the policy the page edits (`frequency.every`).
 * From the specs it:
 *  - reads a submitted form into writes on the policy document, with GOV.UK messages for what
 *    cannot be read (a number that is not a number, a date that is not a date);
 *  - turns part of a document back into the values a form shows;
 *  - builds the govuk-frontend macro parameters the page renders (views/components.njk);
 *  - maps a validatePolicy problem path (`requirements[1].frequency.every`) to the field that
 *    holds it, so problems show inline and link from the error summary.
 * Field ids are the names with dots as hyphens: `frequency.every` is `#frequency-every`.
 */
import { datePartsFrom, datePartsOf, emptyDateParts, isBlankDate, readDateInput } from '../../../forms/date-input.ts'
import { field, fieldList } from '../../../forms/errors.ts'

export type PathPart = string | number
export type Path = PathPart[]

export interface Option {
  value: string
  text: string
  hint?: string
}

interface Base {
  /** Dotted path from the page's root, e.g. `frequency.every`. */
  name: string
  label: string
  hint?: string
  /**
   * A value the document may leave out (`times`, `warnAfter`): left blank, the key is removed
   * rather than set to null (a null already there stays), so saving unchanged changes nothing.
   */
  omitWhenNone?: boolean
}

/** One answer of a choice: the fields it asks for, and what choosing it writes. */
export interface ChoiceOption extends Option {
  /** Fields read only when this answer is chosen (shown after the radios, labelled for it). */
  fields?: FieldSpec[]
  /** Fixed writes made when it is chosen (undefined removes a key). */
  writes?: Write[]
  /** This answer means "none": a group gated on the choice (`presentWhen`) is then null. */
  absent?: boolean
}

/** A condition of a selector, as a row of the conditions field. */
export interface ConditionRow {
  kind: string
  flag: string
  amount: string
  unit: string
}

export type FieldSpec =
  | (Base & { kind: 'text'; optional?: boolean; classes?: string; blankError?: string })
  | (Base & { kind: 'textarea'; optional?: boolean; rows?: number; blankError?: string })
  /** A list of strings, one per line. */
  | (Base & { kind: 'lines'; rows?: number })
  | (Base & { kind: 'integer'; optional?: boolean; min?: number; max?: number; suffix?: string; blankError?: string })
  | (Base & { kind: 'date'; optional?: boolean; blankError?: string })
  | (Base & {
      kind: 'radios'
      options: Option[]
      inline?: boolean
      blankError?: string
      /** A follow-up field revealed under one option (for example the role when the target is a role). */
      conditional?: { value: string; field: FieldSpec & { kind: 'select' } }
    })
  | (Base & { kind: 'select'; options: Option[]; optional?: boolean; blankError?: string })
  | (Base & { kind: 'checkboxes'; options: Option[] })
  /** Several true/false fields shown as one group of checkboxes; `name` only names the group. */
  | (Base & { kind: 'booleans'; items: { name: string; text: string; hint?: string }[] })
  /**
   * A fieldset of fields that make one value (a frequency, a length of time, who a rule covers).
   * With `presentWhen`, the whole value is null when every one of those leaf fields is blank.
   */
  | (Base & { kind: 'group'; children: FieldSpec[]; presentWhen?: string[]; toggle?: Toggle })
  /** Who may supervise: a list of supervisor specs (LH-05), as checkboxes by kind. */
  | (Base & { kind: 'supervisors'; roles: Option[]; bodies: Option[] })
  /**
   * Radios whose answer is not stored itself but decides what is written: "within a set time" or
   * "as soon as possible". `name` is a form field only; `chosen` reads the answer the document
   * holds from the page's item ('' when none fits).
   */
  | (Base & { kind: 'choice'; options: ChoiceOption[]; chosen: (item: unknown) => string; blankError?: string })
  /**
   * The date-derived conditions of a selector (issue 14): one row each (a kind, a flag for the flag
   * kind, and a length of time), and a blank row to add one. A row with no kind is no condition.
   */
  | (Base & { kind: 'conditions'; kinds: Option[]; flags: Option[]; units: Option[] })

/**
 * A part of the policy that may be left out altogether (a contract, a confidentiality statement):
 * one checkbox says whether the policy has it; unticked, the whole value is null.
 */
export interface Toggle {
  text: string
  hint?: string
  /** What a newly ticked part starts with, for what its fields do not write (a list of steps). */
  blank?: () => Record<string, unknown>
}

/** Gives each ticked part the keys of its blank that it lacks (a route to resolve disagreements gets its list of steps). */
export function fillToggled(specs: readonly FieldSpec[], document: Record<string, unknown>, root: Path): void {
  for (const spec of specs) {
    if (spec.kind !== 'group') continue
    const value = getPath(document, [...root, ...splitName(spec.name)])
    if (spec.toggle?.blank && value && typeof value === 'object' && !Array.isArray(value)) {
      const part = value as Record<string, unknown>
      for (const [key, initial] of Object.entries(spec.toggle.blank())) if (!(key in part)) part[key] = initial
    }
    fillToggled(spec.children, document, root)
  }
}

/** The name of a group's toggle checkbox: not a path in the document (it has no dot for its own). */
export function toggleName(groupName: string): string {
  return `${groupName}-present`
}

export type Values = Record<string, unknown>

export interface Write {
  name: string
  value: unknown
}

export interface ReadResult {
  writes: Write[]
  /** Field key -> message, for what could not be read. */
  errors: Map<string, string>
  values: Values
}

// ---------------------------------------------------------------------------------------------
// Paths

export function idOf(name: string): string {
  return name.replace(/\./g, '-')
}

export function splitName(name: string): string[] {
  return name === '' ? [] : name.split('.')
}

/** `requirements[1].frequency.every` as ['requirements', '1', 'frequency', 'every']. */
export function problemSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '')
}

export function getPath(root: unknown, path: readonly PathPart[]): unknown {
  let current = root
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[String(part)]
  }
  return current
}

/** Sets a value, creating objects on the way where there is none (a null frequency, say). */
export function setPath(root: Record<string, unknown>, path: readonly PathPart[], value: unknown): void {
  if (path.length === 0) return
  let current: Record<string, unknown> = root
  for (let i = 0; i < path.length - 1; i++) {
    const key = String(path[i])
    const next = current[key]
    if (next === null || typeof next !== 'object') current[key] = {}
    current = current[key] as Record<string, unknown>
  }
  // Undefined removes the key: a field that no longer applies (a target's role when it is not a role).
  if (value === undefined) delete current[String(path.at(-1))]
  else current[String(path.at(-1))] = value
}

// ---------------------------------------------------------------------------------------------
// Reading a submitted form

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function stripOptional(label: string): string {
  return label.replace(/\s*\(optional\)$/, '')
}

/** True when a leaf field was left blank in the submitted form. */
function leafBlank(spec: FieldSpec, body: unknown): boolean {
  switch (spec.kind) {
    case 'date': {
      return isBlankDate(datePartsFrom(body, spec.name))
    }
    case 'checkboxes':
      return fieldList(body, spec.name).length === 0
    case 'booleans':
      return fieldList(body, spec.name).length === 0
    case 'lines':
      return field(body, spec.name) === ''
    case 'choice': {
      const raw = field(body, spec.name)
      // Nothing chosen is not "none": the choice then asks for an answer.
      return spec.options.some((o) => o.value === raw && o.absent)
    }
    default:
      return field(body, spec.name) === ''
  }
}

function findSpec(specs: readonly FieldSpec[], name: string): FieldSpec | null {
  for (const spec of specs) {
    if (spec.name === name && spec.kind !== 'booleans') return spec
    if (spec.kind === 'group') {
      const found = findSpec(spec.children, name)
      if (found) return found
    }
    if (spec.kind === 'radios' && spec.conditional?.field.name === name) return spec.conditional.field
    if (spec.kind === 'choice') {
      const found = findSpec(
        spec.options.flatMap((o) => o.fields ?? []),
        name,
      )
      if (found) return found
    }
  }
  return null
}

const supervisorKinds = {
  role: 'role',
  trust: 'another-school-in-trust',
  other: 'another-school',
  central: 'trust-central',
} as const

type Spec = { kind: string; role?: string; roles?: string[]; body?: string }

/** Reads the form into writes on the page's root, with messages for what cannot be read. */
export function readForm(specs: readonly FieldSpec[], body: unknown): ReadResult {
  const result: ReadResult = { writes: [], errors: new Map(), values: {} }
  const visit = (spec: FieldSpec) => {
    const label = stripOptional(spec.label)
    switch (spec.kind) {
      case 'text':
      case 'textarea': {
        const raw = field(body, spec.name)
        result.values[spec.name] = raw
        if (raw === '' && !spec.optional) {
          // Kept as '' so that the draft can hold it; validatePolicy or the error below says so.
          result.errors.set(spec.name, spec.blankError ?? `Enter ${lowerFirst(label)}`)
        }
        result.writes.push({ name: spec.name, value: raw === '' && spec.optional ? null : raw })
        return
      }
      case 'lines': {
        const raw = field(body, spec.name)
        result.values[spec.name] = raw
        const lines = raw
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '')
        result.writes.push({ name: spec.name, value: lines })
        return
      }
      case 'integer': {
        const raw = field(body, spec.name).replace(/,/g, '')
        result.values[spec.name] = field(body, spec.name)
        if (raw === '') {
          if (spec.optional) result.writes.push({ name: spec.name, value: spec.omitWhenNone ? undefined : null })
          else result.errors.set(spec.name, spec.blankError ?? `Enter ${lowerFirst(label)}`)
          return
        }
        if (!/^-?\d{1,7}$/.test(raw)) {
          result.errors.set(
            spec.name,
            `${upperFirst(label)} must be a whole number, like ${Math.max(spec.min ?? 1, 1)}`,
          )
          return
        }
        const n = Number(raw)
        if (spec.min !== undefined && n < spec.min) {
          result.errors.set(spec.name, `${upperFirst(label)} must be ${spec.min} or more`)
          return
        }
        if (spec.max !== undefined && n > spec.max) {
          result.errors.set(spec.name, `${upperFirst(label)} must be ${spec.max} or fewer`)
          return
        }
        result.writes.push({ name: spec.name, value: n })
        return
      }
      case 'date': {
        const read = readDateInput(body, spec.name, label, {
          required: !spec.optional,
          blank: spec.blankError ?? `Enter ${lowerFirst(label)}`,
        })
        result.values[spec.name] = read.parts
        if (read.error) result.errors.set(spec.name, read.error)
        else result.writes.push({ name: spec.name, value: read.value })
        return
      }
      case 'radios':
      case 'select': {
        const raw = field(body, spec.name)
        result.values[spec.name] = raw
        const allowed = spec.options.some((o) => o.value === raw)
        if (raw === '' || !allowed) {
          if (spec.kind === 'select' && spec.optional && raw === '') {
            result.writes.push({ name: spec.name, value: null })
          } else {
            result.errors.set(spec.name, spec.blankError ?? `Select ${lowerFirst(label)}`)
          }
          return
        }
        result.writes.push({ name: spec.name, value: raw })
        if (spec.kind === 'radios' && spec.conditional) {
          const cond = spec.conditional.field
          const condRaw = field(body, cond.name)
          result.values[cond.name] = condRaw
          if (raw === spec.conditional.value) {
            if (!cond.options.some((o) => o.value === condRaw)) {
              result.errors.set(cond.name, cond.blankError ?? `Select ${lowerFirst(stripOptional(cond.label))}`)
            } else {
              result.writes.push({ name: cond.name, value: condRaw })
            }
          } else {
            result.writes.push({ name: cond.name, value: undefined })
          }
        }
        return
      }
      case 'checkboxes': {
        const allowed = new Set(spec.options.map((o) => o.value))
        const chosen = fieldList(body, spec.name).filter((v) => allowed.has(v))
        result.values[spec.name] = chosen
        result.writes.push({ name: spec.name, value: [...new Set(chosen)] })
        return
      }
      case 'booleans': {
        const chosen = new Set(fieldList(body, spec.name))
        result.values[spec.name] = [...chosen]
        for (const item of spec.items) result.writes.push({ name: item.name, value: chosen.has(item.name) })
        return
      }
      case 'group': {
        if (spec.toggle) {
          const name = toggleName(spec.name)
          const ticked = fieldList(body, name).includes('yes')
          result.values[name] = ticked ? ['yes'] : []
          if (!ticked) {
            const inner = readForm(spec.children, body)
            Object.assign(result.values, inner.values)
            result.writes.push({ name: spec.name, value: null })
            return
          }
        }
        if (spec.presentWhen) {
          const gates = spec.presentWhen.map((n) => findSpec(spec.children, n))
          const absent = gates.every((g) => g === null || leafBlank(g, body))
          if (absent) {
            // Keep what was typed elsewhere in the group, but the value is "none".
            const inner = readForm(spec.children, body)
            Object.assign(result.values, inner.values)
            result.writes.push({ name: spec.name, value: spec.omitWhenNone ? undefined : null })
            return
          }
        }
        for (const child of spec.children) visit(child)
        return
      }
      case 'choice': {
        const raw = field(body, spec.name)
        result.values[spec.name] = raw
        const chosen = spec.options.find((o) => o.value === raw)
        if (!chosen) result.errors.set(spec.name, spec.blankError ?? `Select ${lowerFirst(label)}`)
        for (const option of spec.options) {
          if (option === chosen) {
            result.writes.push(...(option.writes ?? []))
            for (const child of option.fields ?? []) visit(child)
          } else {
            // Keep what was typed under another answer, to show it again; it writes nothing.
            Object.assign(result.values, readForm(option.fields ?? [], body).values)
          }
        }
        return
      }
      case 'conditions': {
        const rows = conditionRowsFrom(body, spec.name)
        const conditions: unknown[] = []
        rows.forEach((row, index) => {
          const at = `${spec.name}.${index}`
          result.values[`${at}.kind`] = row.kind
          result.values[`${at}.flag`] = row.flag
          result.values[`${at}.amount`] = row.amount
          result.values[`${at}.unit`] = row.unit
          if (row.kind === '') return
          const which = `condition ${index + 1}`
          const amount = row.amount.replace(/,/g, '')
          let error: string | null = null
          if (!spec.kinds.some((k) => k.value === row.kind)) error = `Select the kind of ${which}`
          else if (row.kind === 'flag-for-less-than' && !spec.flags.some((f) => f.value === row.flag))
            error = `Select the circumstance for ${which}`
          else if (amount === '') error = `Enter how long ${which} lasts, as a number, like 1`
          else if (!/^\d{1,4}$/.test(amount) || Number(amount) < 1)
            error = `How long ${which} lasts must be a whole number, 1 or more, like 1`
          else if (!spec.units.some((u) => u.value === row.unit)) error = `Select the unit of time for ${which}`
          if (error) {
            result.errors.set(at, error)
            return
          }
          const duration = { amount: Number(amount), unit: row.unit }
          conditions.push(
            row.kind === 'flag-for-less-than'
              ? { kind: row.kind, flag: row.flag, duration }
              : { kind: row.kind, duration },
          )
        })
        result.writes.push({ name: spec.name, value: conditions })
        return
      }
      case 'supervisors': {
        const pick = (suffix: string, options: readonly Option[]) => {
          const allowed = new Set(options.map((o) => o.value))
          return fieldList(body, `${spec.name}.${suffix}`).filter((v) => allowed.has(v))
        }
        const roles = pick('roles', spec.roles)
        const trust = pick('trust', spec.roles)
        const other = pick('other', spec.roles)
        const central = pick('central', spec.roles)
        const bodies = pick('bodies', spec.bodies)
        const more = new Set(fieldList(body, `${spec.name}.more`))
        result.values[`${spec.name}.roles`] = roles
        result.values[`${spec.name}.trust`] = trust
        result.values[`${spec.name}.other`] = other
        result.values[`${spec.name}.central`] = central
        result.values[`${spec.name}.bodies`] = bodies
        result.values[`${spec.name}.more`] = [...more]
        const delegateRoles = pick('delegateRoles', spec.roles)
        const specs: Spec[] = [
          ...(more.has('line-manager') ? [{ kind: 'line-manager' }] : []),
          ...(more.has('line-manager-delegate') ? [{ kind: 'line-manager-delegate', roles: delegateRoles }] : []),
          ...roles.map((role) => ({ kind: supervisorKinds.role, role })),
          ...trust.map((role) => ({ kind: supervisorKinds.trust, role })),
          ...other.map((role) => ({ kind: supervisorKinds.other, role })),
          ...central.map((role) => ({ kind: supervisorKinds.central, role })),
          ...bodies.map((b) => ({ kind: 'external', body: b })),
          ...(more.has('any-staff') ? [{ kind: 'any-staff' }] : []),
        ]
        result.values[`${spec.name}.delegateRoles`] = delegateRoles
        result.writes.push({ name: spec.name, value: specs })
        return
      }
    }
  }
  for (const spec of specs) visit(spec)
  return result
}

/** The most rows a conditions field reads: far more than any selector needs. */
const maxConditionRows = 20

/** The condition rows a form sent: `who.conditions.0.kind`, ... up to the first row it lacks. */
function conditionRowsFrom(body: unknown, name: string): ConditionRow[] {
  const rows: ConditionRow[] = []
  const has = (key: string) =>
    typeof body === 'object' && body !== null && Object.hasOwn(body as Record<string, unknown>, key)
  for (let i = 0; i < maxConditionRows && has(`${name}.${i}.kind`); i++) {
    const part = (key: string) => field(body, `${name}.${i}.${key}`)
    rows.push({ kind: part('kind'), flag: part('flag'), amount: part('amount'), unit: part('unit') })
  }
  return rows
}

/** Applies writes under `root` (a path in the document). */
export function applyWrites(document: Record<string, unknown>, root: Path, writes: readonly Write[]): void {
  for (const write of writes) setPath(document, [...root, ...splitName(write.name)], write.value)
}

// ---------------------------------------------------------------------------------------------
// Values shown by a form, from the document

export function valuesOf(specs: readonly FieldSpec[], item: unknown): Values {
  const values: Values = {}
  const visit = (spec: FieldSpec) => {
    const value = getPath(item, splitName(spec.name))
    switch (spec.kind) {
      case 'text':
      case 'textarea':
      case 'radios':
      case 'select':
        values[spec.name] = value === null || value === undefined ? '' : String(value)
        if (spec.kind === 'radios' && spec.conditional) {
          const cond = getPath(item, splitName(spec.conditional.field.name))
          values[spec.conditional.field.name] = typeof cond === 'string' ? cond : ''
        }
        return
      case 'lines':
        values[spec.name] = Array.isArray(value) ? value.join('\n') : ''
        return
      case 'integer':
        values[spec.name] = typeof value === 'number' ? String(value) : ''
        return
      case 'date':
        values[spec.name] = datePartsOf(value)
        return
      case 'checkboxes':
        values[spec.name] = Array.isArray(value) ? value.map(String) : []
        return
      case 'booleans':
        values[spec.name] = spec.items.filter((i) => getPath(item, splitName(i.name)) === true).map((i) => i.name)
        return
      case 'group':
        if (spec.toggle) values[toggleName(spec.name)] = value === null || value === undefined ? [] : ['yes']
        for (const child of spec.children) visit(child)
        return
      case 'choice':
        values[spec.name] = spec.chosen(item)
        for (const option of spec.options) for (const child of option.fields ?? []) visit(child)
        return
      case 'conditions': {
        const list = (Array.isArray(value) ? value : []) as {
          kind?: string
          flag?: string
          duration?: { amount?: number; unit?: string }
        }[]
        // Each condition, then a blank row to add one.
        const rows = [...list, {}] as typeof list
        rows.forEach((condition, index) => {
          const at = `${spec.name}.${index}`
          values[`${at}.kind`] = condition.kind ?? ''
          values[`${at}.flag`] = condition.flag ?? ''
          values[`${at}.amount`] =
            typeof condition.duration?.amount === 'number' ? String(condition.duration.amount) : ''
          values[`${at}.unit`] = condition.duration?.unit ?? ''
        })
        return
      }
      case 'supervisors': {
        const list = (Array.isArray(value) ? value : []) as Spec[]
        const rolesOf = (kind: string) => list.filter((s) => s.kind === kind && s.role).map((s) => s.role as string)
        values[`${spec.name}.roles`] = rolesOf(supervisorKinds.role)
        values[`${spec.name}.trust`] = rolesOf(supervisorKinds.trust)
        values[`${spec.name}.other`] = rolesOf(supervisorKinds.other)
        values[`${spec.name}.central`] = rolesOf(supervisorKinds.central)
        values[`${spec.name}.bodies`] = list.filter((s) => s.kind === 'external').map((s) => s.body as string)
        values[`${spec.name}.more`] = list
          .filter((s) => s.kind === 'line-manager' || s.kind === 'line-manager-delegate' || s.kind === 'any-staff')
          .map((s) => s.kind)
        values[`${spec.name}.delegateRoles`] = list.find((s) => s.kind === 'line-manager-delegate')?.roles ?? []
        return
      }
    }
  }
  for (const spec of specs) visit(spec)
  return values
}

// ---------------------------------------------------------------------------------------------
// Where a problem shows

export interface Anchor {
  /** The key errors are stored under (the field that shows the message). */
  key: string
  /** The element the error summary links to. */
  href: string
}

/** Every key a problem path may end at on this page, in page order, with where it shows. */
export function anchorsOf(specs: readonly FieldSpec[]): Map<string, Anchor> {
  const anchors = new Map<string, Anchor>()
  const firstHref = (spec: FieldSpec): string => {
    switch (spec.kind) {
      case 'date':
        return `${idOf(spec.name)}-day`
      case 'group':
        if (spec.toggle) return idOf(toggleName(spec.name))
        return spec.children[0] ? firstHref(spec.children[0]) : idOf(spec.name)
      case 'supervisors':
        return `${idOf(spec.name)}-more`
      case 'conditions':
        return `${idOf(spec.name)}-0-kind`
      default:
        return idOf(spec.name)
    }
  }
  const visit = (spec: FieldSpec) => {
    const anchor = { key: spec.name, href: firstHref(spec) }
    anchors.set(spec.name, anchor)
    if (spec.kind === 'booleans') for (const item of spec.items) anchors.set(item.name, anchor)
    if (spec.kind === 'group') for (const child of spec.children) visit(child)
    if (spec.kind === 'choice') for (const option of spec.options) for (const child of option.fields ?? []) visit(child)
    if (spec.kind === 'conditions') {
      // Each row shows its own message; a problem in a row's length of time links to its amount.
      for (let i = 0; i < maxConditionRows; i++) {
        const at = `${spec.name}.${i}`
        const row = `${idOf(spec.name)}-${i}`
        anchors.set(at, { key: at, href: `${row}-kind` })
        anchors.set(`${at}.flag`, { key: at, href: `${row}-flag` })
        anchors.set(`${at}.duration`, { key: at, href: `${row}-amount` })
      }
    }
    if (spec.kind === 'radios' && spec.conditional) {
      anchors.set(spec.conditional.field.name, {
        key: spec.conditional.field.name,
        href: idOf(spec.conditional.field.name),
      })
    }
  }
  for (const spec of specs) visit(spec)
  return anchors
}

/** The anchor for a path relative to the page root, walking up to the nearest field; null if none. */
export function anchorFor(anchors: Map<string, Anchor>, relative: string): Anchor | null {
  const segments = problemSegments(relative)
  for (let n = segments.length; n > 0; n--) {
    const found = anchors.get(segments.slice(0, n).join('.'))
    if (found) return found
  }
  return null
}

/** The path of a problem relative to a page's root (formatted), or null when it is not under it. */
export function relativeTo(root: string, path: string): string | null {
  if (root === '') return path
  if (path === root) return ''
  if (path.startsWith(`${root}.`)) return path.slice(root.length + 1)
  if (path.startsWith(`${root}[`)) return path.slice(root.length)
  return null
}

// ---------------------------------------------------------------------------------------------
// What the page renders: govuk-frontend macro parameters

export interface Component {
  macro: 'input' | 'textarea' | 'select' | 'radios' | 'checkboxes' | 'date' | 'fieldset'
  params: Record<string, unknown>
  /** Fieldsets: what is inside, and a message shown above it. */
  children?: Component[]
  error?: string | null
  /** Fieldsets: a hint under the legend. */
  hint?: string
  /** Fieldsets: the id of their message. */
  errorId?: string
  /** Radios: a select revealed under one option. */
  conditional?: { value: string; select: Record<string, unknown> }
}

function errorMessage(errors: ReadonlyMap<string, string>, key: string) {
  const text = errors.get(key)
  return text ? { text } : undefined
}

export function componentsFor(
  specs: readonly FieldSpec[],
  values: Values,
  errors: ReadonlyMap<string, string>,
  depth = 0,
): Component[] {
  return specs.map((spec) => componentFor(spec, values, errors, depth))
}

function componentFor(spec: FieldSpec, values: Values, errors: ReadonlyMap<string, string>, depth: number): Component {
  const legendClasses = 'govuk-fieldset__legend--s'
  const labelClasses = depth === 0 ? 'govuk-label--s' : ''
  const id = idOf(spec.name)
  const hint = spec.hint ? { text: spec.hint } : undefined
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '')
  const list = (name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : [])
  switch (spec.kind) {
    case 'text':
      return {
        macro: 'input',
        params: {
          id,
          name: spec.name,
          label: { text: spec.label, classes: labelClasses },
          hint,
          value: str(spec.name),
          classes: spec.classes,
          errorMessage: errorMessage(errors, spec.name),
          spellcheck: false,
        },
      }
    case 'integer':
      return {
        macro: 'input',
        params: {
          id,
          name: spec.name,
          label: { text: spec.label, classes: labelClasses },
          hint,
          value: str(spec.name),
          classes: 'govuk-input--width-4',
          inputmode: 'numeric',
          suffix: spec.suffix ? { text: spec.suffix } : undefined,
          errorMessage: errorMessage(errors, spec.name),
        },
      }
    case 'textarea':
    case 'lines':
      return {
        macro: 'textarea',
        params: {
          id,
          name: spec.name,
          label: { text: spec.label, classes: labelClasses },
          hint,
          value: str(spec.name),
          rows: spec.rows ?? (spec.kind === 'lines' ? 5 : 3),
          errorMessage: errorMessage(errors, spec.name),
        },
      }
    case 'date':
      return {
        macro: 'date',
        // The parameters of the one date-input macro (views/macros/date-input.njk).
        params: {
          id,
          name: spec.name,
          legend: spec.label,
          legendClasses,
          hint: spec.hint,
          values: values[spec.name] ?? { ...emptyDateParts },
          error: errorMessage(errors, spec.name),
        },
      }
    case 'select': {
      const selected = str(spec.name)
      const options = spec.options.some((o) => o.value === '')
        ? spec.options
        : [{ value: '', text: spec.optional ? 'None' : 'Choose one' }, ...spec.options]
      return {
        macro: 'select',
        params: {
          id,
          name: spec.name,
          label: { text: spec.label, classes: labelClasses },
          hint,
          items: options.map((o) => ({ value: o.value, text: o.text, selected: o.value === selected })),
          errorMessage: errorMessage(errors, spec.name),
        },
      }
    }
    case 'radios': {
      const component: Component = {
        macro: 'radios',
        params: {
          idPrefix: id,
          name: spec.name,
          classes: spec.inline ? 'govuk-radios--inline govuk-radios--small' : 'govuk-radios--small',
          fieldset: { legend: { text: spec.label, classes: legendClasses } },
          hint,
          value: str(spec.name),
          items: spec.options.map((o) => ({
            value: o.value,
            text: o.text,
            hint: o.hint ? { text: o.hint } : undefined,
          })),
          errorMessage: errorMessage(errors, spec.name),
        },
      }
      if (spec.conditional) {
        const cond = spec.conditional.field
        const selected = str(cond.name)
        component.conditional = {
          value: spec.conditional.value,
          select: {
            id: idOf(cond.name),
            name: cond.name,
            label: { text: cond.label },
            hint: cond.hint ? { text: cond.hint } : undefined,
            items: [
              { value: '', text: 'Choose one', selected: selected === '' },
              ...cond.options.map((o) => ({ value: o.value, text: o.text, selected: o.value === selected })),
            ],
            errorMessage: errorMessage(errors, cond.name),
          },
        }
      }
      return component
    }
    case 'checkboxes': {
      const checked = new Set(list(spec.name))
      return {
        macro: 'checkboxes',
        params: {
          idPrefix: id,
          name: spec.name,
          classes: 'govuk-checkboxes--small',
          fieldset: { legend: { text: spec.label, classes: legendClasses } },
          hint,
          items: spec.options.map((o) => ({
            value: o.value,
            text: o.text,
            hint: o.hint ? { text: o.hint } : undefined,
            checked: checked.has(o.value),
          })),
          errorMessage: errorMessage(errors, spec.name),
        },
      }
    }
    case 'booleans': {
      const checked = new Set(list(spec.name))
      return {
        macro: 'checkboxes',
        params: {
          idPrefix: id,
          name: spec.name,
          classes: 'govuk-checkboxes--small',
          fieldset: { legend: { text: spec.label, classes: legendClasses } },
          hint,
          items: spec.items.map((i) => ({
            value: i.name,
            text: i.text,
            hint: i.hint ? { text: i.hint } : undefined,
            checked: checked.has(i.name),
          })),
          errorMessage: errorMessage(errors, spec.name),
        },
      }
    }
    case 'group': {
      const children = componentsFor(spec.children, values, errors, depth + 1)
      if (spec.toggle) {
        const name = toggleName(spec.name)
        children.unshift({
          macro: 'checkboxes',
          params: {
            idPrefix: idOf(name),
            name,
            classes: 'govuk-checkboxes--small',
            items: [
              {
                value: 'yes',
                text: spec.toggle.text,
                hint: spec.toggle.hint ? { text: spec.toggle.hint } : undefined,
                checked: list(name).includes('yes'),
              },
            ],
          },
        })
      }
      return {
        macro: 'fieldset',
        params: { legend: { text: spec.label, classes: 'govuk-fieldset__legend--m' } },
        children,
        error: errors.get(spec.name) ?? null,
        errorId: `${idOf(spec.name)}-error`,
        hint: spec.hint,
      }
    }
    case 'choice': {
      const shown = spec.options.flatMap((o) => o.fields ?? [])
      return {
        macro: 'radios',
        params: {
          idPrefix: id,
          name: spec.name,
          classes: 'govuk-radios--small',
          fieldset: { legend: { text: spec.label, classes: legendClasses } },
          hint,
          value: str(spec.name),
          items: spec.options.map((o) => ({
            value: o.value,
            text: o.text,
            hint: o.hint ? { text: o.hint } : undefined,
          })),
          errorMessage: errorMessage(errors, spec.name),
        },
        // The fields of each answer follow the radios, each labelled with the answer it is for.
        children: componentsFor(shown, values, errors, depth + 1),
      }
    }
    case 'conditions': {
      const rows: Component[] = []
      for (let i = 0; i < maxConditionRows && typeof values[`${spec.name}.${i}.kind`] === 'string'; i++) {
        const at = `${spec.name}.${i}`
        const row = `${id}-${i}`
        const select = (key: string, label: string, options: readonly Option[], blank: string): Component => ({
          macro: 'select',
          params: {
            id: `${row}-${key}`,
            name: `${at}.${key}`,
            label: { text: label },
            items: [{ value: '', text: blank }, ...options].map((o) => ({
              value: o.value,
              text: o.text,
              selected: o.value === str(`${at}.${key}`),
            })),
          },
        })
        rows.push({
          macro: 'fieldset',
          params: { legend: { text: `Condition ${i + 1}`, classes: legendClasses } },
          error: errors.get(at) ?? null,
          errorId: `${row}-error`,
          children: [
            select('kind', 'Kind', spec.kinds, 'None'),
            select('flag', 'Circumstance, if the kind is a circumstance', spec.flags, 'Choose one'),
            {
              macro: 'input',
              params: {
                id: `${row}-amount`,
                name: `${at}.amount`,
                label: { text: 'For less than' },
                value: str(`${at}.amount`),
                classes: 'govuk-input--width-4',
                inputmode: 'numeric',
              },
            },
            select('unit', 'Unit of time', spec.units, 'Choose one'),
          ],
        })
      }
      return {
        macro: 'fieldset',
        params: { legend: { text: spec.label, classes: legendClasses } },
        error: errors.get(spec.name) ?? null,
        errorId: `${id}-error`,
        hint: spec.hint,
        children: rows,
      }
    }
    case 'supervisors': {
      const boxes = (suffix: string, legend: string, options: readonly Option[], hintText?: string): Component => {
        const name = `${spec.name}.${suffix}`
        const checked = new Set(list(name))
        return {
          macro: 'checkboxes',
          params: {
            idPrefix: idOf(name),
            name,
            classes: 'govuk-checkboxes--small',
            fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } },
            hint: hintText ? { text: hintText } : undefined,
            items: options.map((o) => ({ value: o.value, text: o.text, checked: checked.has(o.value) })),
          },
        }
      }
      return {
        macro: 'fieldset',
        params: { legend: { text: spec.label, classes: 'govuk-fieldset__legend--m' } },
        error: errors.get(spec.name) ?? null,
        errorId: `${idOf(spec.name)}-error`,
        hint: spec.hint,
        children: [
          boxes('more', 'Their own managers and colleagues', [
            { value: 'line-manager', text: 'Their line manager' },
            { value: 'line-manager-delegate', text: 'Someone their line manager delegates supervision to' },
            { value: 'any-staff', text: 'Any member of staff of the school' },
          ]),
          boxes(
            'delegateRoles',
            'If a delegate: the roles a delegate must hold (optional)',
            spec.roles,
            'Leave blank if the line manager may delegate to anyone',
          ),
          boxes('roles', 'Staff of the same school in these roles', spec.roles),
          boxes('trust', 'Staff of another school in the trust in these roles', spec.roles),
          boxes('other', 'Staff of another school (a reciprocal arrangement) in these roles', spec.roles),
          boxes('central', "The trust's central team (no school of their own) in these roles", spec.roles),
          boxes('bodies', 'Someone from outside the school', spec.bodies),
        ],
      }
    }
  }
}
