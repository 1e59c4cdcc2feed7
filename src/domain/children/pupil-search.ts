/**
 * Choosing a child from the pupil register in a record (issue 15) when the register is long: a
 * big school has well over a thousand pupils, too many for one select on a page with several
 * decisions. A short register is offered whole; a long one offers the child already chosen and
 * the pupils matching what was typed in "Find a pupil", a few at a time. Pure: no database.
 */

export interface SearchablePupil {
  id: string
  name: string
  upn: string | null
  misId: string | null
  yearGroup: string
}

/** A register this long or shorter is offered whole. */
export const wholeRegisterUpTo = 40
/** At most this many matches are offered at once. */
export const matchesOffered = 25

export interface PupilChoices<T> {
  /** The pupils to offer, the chosen one first when it is not a match. */
  offered: T[]
  /** Whether the register is long enough to be searched. */
  searchable: boolean
  /** Matches left out: the person should type more of the name. */
  more: number
  /** How many pupils matched what was typed (0 when nothing was typed). */
  matched: number
}

/** Lower case, accents removed, spaces squeezed: "Zoë  O'Brien" finds "zoe o'brien". */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** Whether the pupil matches: every word typed is in the name, or it is their UPN or MIS id. */
export function pupilMatches(pupil: SearchablePupil, term: string): boolean {
  const typed = normaliseForSearch(term)
  if (typed === '') return false
  if (pupil.upn?.toLowerCase() === typed || pupil.misId?.toLowerCase() === typed) return true
  const name = normaliseForSearch(pupil.name)
  return typed.split(' ').every((word) => name.includes(word))
}

export function pupilChoices<T extends SearchablePupil>(
  register: readonly T[],
  options: { chosenId: string | null; term: string },
): PupilChoices<T> {
  if (register.length <= wholeRegisterUpTo) return { offered: [...register], searchable: false, more: 0, matched: 0 }
  const matches = register.filter((p) => pupilMatches(p, options.term))
  const shown = matches.slice(0, matchesOffered)
  const chosen = options.chosenId ? register.find((p) => p.id === options.chosenId) : undefined
  const offered = chosen && !shown.some((p) => p.id === chosen.id) ? [chosen, ...shown] : shown
  return { offered, searchable: true, more: matches.length - shown.length, matched: matches.length }
}
