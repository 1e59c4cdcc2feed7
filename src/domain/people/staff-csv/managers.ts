/**
 * Line managers given by name or staff code (issue 18): MIS exports often write "Mrs M Threlkeld",
 * "Threlkeld, Margaret" or "MTH" rather than an email address. A reference is matched by staff
 * code within the file, then by name within the file and within Haven. One match is the line
 * manager; several are a question the preview asks (the school's answer is remembered by the
 * reference); none leaves the person without a line manager, and the preview says so.
 */
import { normaliseHeading } from './headers.ts'

const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'rev', 'revd', 'sir', 'dame'])

/** The words of a name, lower case without accents or punctuation, with any leading title removed. */
function nameWords(text: string): string[] {
  let name = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  // "Threlkeld, Margaret" is Margaret Threlkeld.
  const comma = name.indexOf(',')
  if (comma > 0) name = `${name.slice(comma + 1)} ${name.slice(0, comma)}`
  const words = name
    .replace(/['’]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')
  while (words.length > 1 && titles.has(words[0]!)) words.shift()
  return words
}

/** How a reference to a line manager is remembered and compared: "Mrs M. Threlkeld" is "m threlkeld". */
export function managerReferenceKey(reference: string): string {
  return nameWords(reference).join(' ')
}

/**
 * The ways a person's names can be written in a line manager column: the whole name, first and
 * last name without middle names, and initial with surname; for each first name given (a preferred
 * and a legal forename, say).
 */
export function nameKeysOf(fullNames: readonly string[], firstNames: readonly string[] = [], lastName = ''): string[] {
  const keys = new Set<string>()
  const add = (words: readonly string[]) => {
    if (words.length === 0) return
    keys.add(words.join(' '))
    if (words.length < 2) return
    const first = words[0]!
    const last = words[words.length - 1]!
    keys.add(`${first} ${last}`)
    keys.add(`${first[0]} ${last}`)
  }
  for (const name of fullNames) add(nameWords(name))
  const last = nameWords(lastName)
  if (last.length > 0) for (const first of firstNames) add([...nameWords(first), ...last])
  return [...keys]
}

/** A staff code compared ignoring case, spaces and punctuation. */
export function staffCodeKey(code: string): string {
  return normaliseHeading(code)
}

/** Someone a reference could mean. */
export interface ManagerCandidate {
  /** Normalised email: the key a choice is remembered by. */
  email: string
  name: string
  jobTitle: string
  /** In the file (otherwise already in Haven). */
  inFile: boolean
}

/** A reference that fits more than one person: the preview asks which one. */
export interface ManagerQuestion {
  /** As the file writes it (the first row's spelling). */
  reference: string
  /** `managerReferenceKey(reference)`: the key the answer is remembered by. */
  key: string
  /** The spreadsheet rows that give this reference. */
  rows: number[]
  candidates: ManagerCandidate[]
  /** The school's answer: a candidate's email, `null` for no line manager, `undefined` when not answered. */
  chosen: string | null | undefined
}

/** A reference that fits nobody: those rows get no line manager. */
export interface ManagerNotFound {
  reference: string
  rows: number[]
}

/** The school's answers to manager questions: reference key to a person's email, or `null` for none. */
export type ManagerChoices = ReadonlyMap<string, string | null>

/** Someone who could be named as a line manager, with the keys their name and staff code match. */
export interface ManagerPool {
  email: string
  name: string
  jobTitle: string
  inFile: boolean
  nameKeys: readonly string[]
  staffCode: string | null
}

export type ManagerMatch =
  | { kind: 'found'; email: string }
  /** Several people fit: `chosen` is the school's answer (an email among the candidates, or `null` for none), if any. */
  | { kind: 'ambiguous'; key: string; candidates: ManagerCandidate[]; chosen: string | null | undefined }
  | { kind: 'not-found'; key: string }

/**
 * Whom a name or staff code means, among the people in the file and in Haven (`pool`, with people
 * in both listed once, from the file), leaving out the person themself (`selfEmail`).
 */
export function matchManager(
  reference: string,
  pool: readonly ManagerPool[],
  selfEmail: string | null,
  choices: ManagerChoices,
): ManagerMatch {
  const others = pool.filter((p) => p.email !== selfEmail)
  const code = staffCodeKey(reference)
  const byCode = others.filter((p) => p.inFile && p.staffCode !== null && p.staffCode === code)
  if (code !== '' && byCode.length === 1) return { kind: 'found', email: byCode[0]!.email }
  const key = managerReferenceKey(reference)
  const byName = key === '' ? [] : others.filter((p) => p.nameKeys.includes(key))
  if (byName.length === 1) return { kind: 'found', email: byName[0]!.email }
  if (byName.length === 0) return { kind: 'not-found', key }
  const candidates = byName
    .map(({ email, name, jobTitle, inFile }) => ({ email, name, jobTitle, inFile }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email))
  const answer = choices.get(key)
  // An answer naming someone who no longer fits (they left the file, say) is asked again.
  const chosen = answer === null || candidates.some((c) => c.email === answer) ? answer : undefined
  return { kind: 'ambiguous', key, candidates, chosen }
}
