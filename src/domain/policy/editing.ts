/**
 * The rules of editing a draft policy (issue 5): a save or a removal may not add problems the
 * person cannot see and put right on the page they are on. Pure: problems in, problems out; which
 * parts of the policy are editable is passed in (the editor's sections decide it).
 */
import type { PolicyProblem } from './validate.ts'

function key(problem: PolicyProblem): string {
  return `${problem.path}\u0000${problem.message}`
}

/** Problems in `after` that were not in `before`. */
export function newProblems(before: readonly PolicyProblem[], after: readonly PolicyProblem[]): PolicyProblem[] {
  const seen = new Set(before.map(key))
  return after.filter((p) => !seen.has(key(p)))
}

/** Whether the editor has a page for the part of the policy at this problem path. */
export type IsEditable = (path: string) => boolean

/** Problems in the parts of the policy the editor does not change. */
export function uneditableProblems(problems: readonly PolicyProblem[], isEditable: IsEditable): PolicyProblem[] {
  return problems.filter((p) => !isEditable(p.path))
}

/**
 * What stops a save beyond the page's own fields: problems it adds where the editor cannot reach
 * them (a save must not add any there).
 */
export function problemsAddedElsewhere(
  before: readonly PolicyProblem[],
  after: readonly PolicyProblem[],
  isEditable: IsEditable,
): PolicyProblem[] {
  return newProblems(uneditableProblems(before, isEditable), uneditableProblems(after, isEditable))
}

/**
 * What stops removing an item from a list (at `listPath`, as formatPath writes it): a problem the
 * removal adds to the list itself ("at least one ...") or to a part the editor cannot reach.
 * Problems it adds to other editable pages (a reference now dangling) are shown, not refused.
 */
export function removalBlockers(
  before: readonly PolicyProblem[],
  after: readonly PolicyProblem[],
  listPath: string,
  isEditable: IsEditable,
): PolicyProblem[] {
  return newProblems(before, after).filter((p) => p.path === listPath || !isEditable(p.path))
}

/** The message refusing a removal because of `problem`. */
export function removalRefusal(problem: PolicyProblem): string {
  return `You cannot remove it: ${problem.message.charAt(0).toLowerCase()}${problem.message.slice(1)}`
}

/** A title cut to `max` characters, ending in an ellipsis when cut. */
export function shortTitle(title: string, max: number): string {
  return title.length > max ? `${title.slice(0, max - 3)}…` : title
}
