/**
 * Haven roles from job titles (issue 18). Most MIS exports have no Roles column, only a job title
 * such as "Teacher, Reception" or "Family Support Worker". Each distinct job title gets a suggested
 * role; the preview lets the school choose another (or none), and the choice is remembered for the
 * school's next import, keyed by the job title ignoring case, spaces and punctuation.
 *
 * Roles from job titles are given to people the import adds, and to people in Haven who have no
 * roles yet when the school has chosen a role for their title: roles already given in Haven are
 * never taken away by a job title, and a suggestion alone never changes someone already in Haven.
 */
import type { RoleId } from '../roles.ts'
import { normaliseHeading } from './headers.ts'

/** The school's remembered choices: job title key to a role, or `null` for no role. */
export type JobTitleMappings = ReadonlyMap<string, RoleId | null>

/** A job title in the file and the role it would give. */
export interface JobTitleChoice {
  /** As the file writes it (the first row's spelling). */
  title: string
  /** `jobTitleKey(title)`, the key the choice is remembered by. */
  key: string
  /** How many rows have it. */
  count: number
  suggested: RoleId | null
  /** The school's remembered choice; `undefined` when not chosen (the suggestion is used). */
  chosen: RoleId | null | undefined
}

export function jobTitleKey(title: string): string {
  return normaliseHeading(title)
}

/** Words in a job title and the role they suggest, most specific first. */
const suggestions: readonly [RegExp, RoleId][] = [
  [/\bdeputy (designated safeguarding|dsl)|\bddsl\b|\bdeputy safeguarding\b/, 'deputy-dsl'],
  [/\bdesignated safeguarding\b|\bdsl\b|\bsafeguarding lead\b/, 'dsl'],
  [/\b(associate|executive) (head|principal)/, 'associate-headteacher'],
  [/^(head ?teacher|head|principal|head of school)$/, 'headteacher'],
  [/\bsend?co\b|\bsen co ?ordinator\b|\bspecial educational needs\b/, 'senco'],
  [/\blooked after\b|\blac\b|\bvirtual school\b/, 'lac-coordinator'],
  [/\bhead of year\b|\byear head\b|\bhoy\b|\bhead of key stage\b/, 'year-head'],
  [/\bpastoral\b|\bwellbeing lead\b|\bbehaviour lead\b/, 'pastoral-lead'],
  [/\blearning mentor\b|\bmentor\b/, 'learning-mentor'],
  [/\bfamily support\b|\bparent support\b|\bhome school link\b|\bfamily liaison\b/, 'child-family-support-worker'],
  [/\bcounsel+or\b|\btherapist\b|\bpsychologist\b|\bsocial worker\b/, 'specialist-support-worker'],
  [/\bearly years\b|\beyfs\b|\bnursery\b/, 'eyfs-practitioner'],
  [
    /\bteaching assistant\b|\bhlta\b|\bta\b|\blearning support assistant\b|\blsa\b|\bclassroom assistant\b/,
    'teaching-assistant',
  ],
  [/\bteacher\b|\bteaching\b/, 'class-teacher'],
  [/\bchair of governors\b/, 'chair-of-governors'],
]

/**
 * The role a job title suggests: a role's own name or spelling first ("Headteacher", "SENCO"),
 * then words in the title ("Teacher, Reception" is a class teacher). `null` when nothing fits.
 */
export function suggestRoleForJobTitle(title: string, matchRole: (text: string) => RoleId | undefined): RoleId | null {
  const exact = matchRole(title)
  if (exact !== undefined) return exact
  const words = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
  for (const [pattern, role] of suggestions) if (pattern.test(words)) return role
  return null
}

/** The role a job title gives: the school's remembered choice, or (with `suggest`) the suggestion. */
export function roleForJobTitle(
  title: string,
  mappings: JobTitleMappings,
  matchRole: (text: string) => RoleId | undefined,
  suggest = true,
): RoleId | null {
  const key = jobTitleKey(title)
  if (key === '') return null
  if (mappings.has(key)) return mappings.get(key)!
  return suggest ? suggestRoleForJobTitle(title, matchRole) : null
}
