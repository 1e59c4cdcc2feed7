/**
 * A school's own roles: the catalogue is extendable. A new role's id is a slug of its name;
 * a name that means a role Haven already has (by id, name or common spelling, as the staff import
 * matches them) is refused, so one role never has two ids.
 */

import { normaliseText } from './person-rules.ts'
import type { RoleDefinition } from './roles.ts'
import { roleCatalogue } from './roles.ts'
import { makeRoleMatcher } from './staff-csv/index.ts'

export const customRoleLimits = Object.freeze({ name: 100, description: 500, id: 60 })

/** "Head of Maths (KS4)" is "head-of-maths-ks4": accents dropped, lower case, hyphens, at most 60 characters. */
export function customRoleIdFor(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length <= customRoleLimits.id) return slug
  const cut = slug.slice(0, customRoleLimits.id)
  const lastHyphen = cut.lastIndexOf('-')
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '')
}

export interface CustomRoleInput {
  name: string
  description: string
}

export type CustomRoleCheck =
  | { ok: true; role: { id: string; name: string; description: string } }
  | { ok: false; errors: [field: 'name' | 'description', message: string][] }

/**
 * Checks a new role against the catalogue and the organisation's own roles. Returns the role to
 * save (text tidied, id derived) or every problem, by field.
 */
export function checkCustomRole(
  input: CustomRoleInput,
  existing: readonly Pick<RoleDefinition, 'id' | 'name'>[],
): CustomRoleCheck {
  const name = normaliseText(input.name)
  const description = normaliseText(input.description)
  const errors: [field: 'name' | 'description', message: string][] = []
  const id = customRoleIdFor(name)
  if (name === '') errors.push(['name', 'Enter a name for the role'])
  else if (name.length > customRoleLimits.name)
    errors.push(['name', `Role name must be ${customRoleLimits.name} characters or fewer`])
  else if (id === '') errors.push(['name', 'Role name must include letters or numbers'])
  else {
    const match = makeRoleMatcher(existing)
    const clash = match(name) ?? match(id)
    const sameId = [...roleCatalogue, ...existing].find((r) => r.id === id || r.id === clash)
    if (clash !== undefined || sameId !== undefined) {
      const named = sameId ?? roleCatalogue.find((r) => r.id === clash)
      errors.push([
        'name',
        `A role called “${named?.name ?? name}” already exists. Use that role, or choose another name`,
      ])
    }
  }
  if (description.length > customRoleLimits.description)
    errors.push(['description', `Description must be ${customRoleLimits.description} characters or fewer`])
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, role: { id, name, description } }
}
