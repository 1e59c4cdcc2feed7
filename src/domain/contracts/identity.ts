/**
 * A contract carries the school's own name (issue 14, MW-02). A built-in contract template was
 * written for its seed school and names it ("Supervision Contract – Meanwood CE Primary School",
 * "the records belong to The Cornerstone Academy"); a school that started from that pack, or
 * copied the template, issues contracts headed with its own name instead. A template the school
 * wrote itself keeps its words.
 */
import type { Template } from '../records/template.ts'

function replaceAll(text: string, from: string, to: string): string {
  return text.split(from).join(to)
}

/**
 * The template with `seedSchool` replaced by `school` in its name and its clauses. Unchanged when
 * there is no seed school, or it is the school itself.
 */
export function templateForSchool(template: Template, seedSchool: string | null, school: string): Template {
  if (seedSchool === null || seedSchool.trim() === '' || seedSchool === school) return template
  const swap = (text: string) => replaceAll(text, seedSchool, school)
  return {
    ...template,
    name: swap(template.name),
    ...(template.clauses
      ? {
          clauses: template.clauses.map((clause) => ({
            ...clause,
            heading: swap(clause.heading),
            text: swap(clause.text),
            ...(clause.items === undefined ? {} : { items: clause.items.map(swap) }),
          })),
        }
      : {}),
  }
}
