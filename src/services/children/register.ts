/** Issue 15: one pupil of the school's register, for its PDF and for choosing a child. */

import { type PupilRow, pupilInSchool, pupilsOfSchool } from '../../db/repositories/children.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  type ChildDecision,
  type DecisionChoices,
  decisionChoices,
  settleDecision,
} from '../../domain/records/record.ts'

export function pupilInRegister(db: DbOrTrx, schoolId: string, pupilId: string): Promise<PupilRow | null> {
  return pupilInSchool(db, schoolId, pupilId)
}

/**
 * How the people writing a record name who a decision is about (issue 15 item 1): the school's
 * register for its own staff (and the register itself, to choose from), a pseudonym for an
 * external supervisor (CA-12). The register is never shown to an external supervisor.
 */
export async function decisionRegister(
  db: DbOrTrx,
  schoolId: string,
  session: { participants: readonly { role: string; external: boolean }[] },
): Promise<{ choices: DecisionChoices; pupils: PupilRow[] }> {
  const supervisorIsExternal = session.participants.some((p) => p.role === 'supervisor' && p.external)
  const pupils = supervisorIsExternal ? [] : await pupilsOfSchool(db, schoolId)
  const choices = decisionChoices({ supervisorIsExternal, registerHasPupils: pupils.length > 0 })
  return { choices, pupils: choices.register ? pupils : [] }
}

/** The decisions as kept: a child chosen from this school's register takes its name and reference. */
export async function settleDecisions(
  db: DbOrTrx,
  schoolId: string,
  decisions: readonly ChildDecision[],
  choices: DecisionChoices,
): Promise<ChildDecision[]> {
  const out: ChildDecision[] = []
  for (const d of decisions) {
    const pupil = d.pupilId && choices.register ? await pupilInSchool(db, schoolId, d.pupilId) : null
    out.push(settleDecision(d, choices, pupil))
  }
  return out
}
