/**
 * Who an escalation step goes to (LH-09, AM-09, CA-03): the policy names a target (the
 * supervisor, the supervisor's manager, further up, the headteacher ...); this turns it into
 * people, from the supervisee's reporting lines on the day.
 */
import type { IsoDate } from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import { type EscalationTarget, type PolicyDocument, roleNoun } from '../policy/index.ts'

export interface ReportingLines {
  /** Everyone of the organisation who might be a target, by id. */
  people: ReadonlyMap<string, Person>
  /** The person's current supervisor, or null when they have none (then their line manager is used). */
  supervisorOf(personId: string): string | null
  /** Everyone of the school holding the role. */
  holdersOf(schoolId: string | null, role: string): readonly string[]
}

export interface EscalationRecipients {
  personIds: string[]
  /** The target in words, for the email and the DSL: "Ben Carter’s supervisor". */
  description: string
}

function present(lines: ReportingLines, id: string | null | undefined, today: IsoDate): Person | null {
  if (!id) return null
  const person = lines.people.get(id)
  if (!person) return null
  if (person.endDate !== null && person.endDate < today) return null
  return person
}

/** The supervisor, or the line manager when there is no supervisor. */
export function supervisorFor(lines: ReportingLines, supervisee: Person): string | null {
  return lines.supervisorOf(supervisee.id) ?? supervisee.lineManagerId
}

/**
 * The people a step goes to. "Next manager up" climbs one level above the supervisor's manager,
 * and one more each time the step repeats (LH-09 "further up until resolved"); at the top of the
 * organisation there is no one further to tell. The supervisee is never their own target.
 */
export function escalationRecipients(
  target: EscalationTarget,
  repeats: number,
  supervisee: Person,
  lines: ReportingLines,
  today: IsoDate,
  policy: Pick<PolicyDocument, 'customRoles'> = { customRoles: [] },
): EscalationRecipients {
  const supervisorId = supervisorFor(lines, supervisee)
  const one = (id: string | null | undefined, description: string): EscalationRecipients => {
    const person = present(lines, id, today)
    return { personIds: person && person.id !== supervisee.id ? [person.id] : [], description }
  }
  switch (target.kind) {
    case 'supervisor':
      return one(supervisorId, `${supervisee.name}’s supervisor`)
    case 'line-manager':
      return one(supervisee.lineManagerId, `${supervisee.name}’s line manager`)
    case 'supervisors-line-manager': {
      const supervisor = supervisorId ? lines.people.get(supervisorId) : undefined
      return one(supervisor?.lineManagerId, `the manager of ${supervisee.name}’s supervisor`)
    }
    case 'next-manager-up': {
      const supervisor = supervisorId ? lines.people.get(supervisorId) : undefined
      let current: Person | undefined = supervisor?.lineManagerId
        ? lines.people.get(supervisor.lineManagerId)
        : undefined
      const seen = new Set<string>(supervisor ? [supervisor.id] : [])
      for (let level = 0; level <= repeats && current !== undefined; level++) {
        seen.add(current.id)
        const up: Person | undefined = current.lineManagerId ? lines.people.get(current.lineManagerId) : undefined
        current = up && !seen.has(up.id) ? up : undefined
      }
      return one(current?.id, 'the next manager up')
    }
    case 'role': {
      const ids = lines
        .holdersOf(supervisee.schoolId, target.role)
        .filter((id) => id !== supervisee.id && present(lines, id, today) !== null)
      return { personIds: [...new Set(ids)].sort(), description: `the ${roleNoun(policy, target.role)}` }
    }
  }
}
