/**
 * Issue 15 (X-07, CA-10): one child's decisions from supervision as a PDF, each in the fields a
 * CPOMS or MyConcern incident takes, to attach to or file in the child's own record.
 */

import type { QueuedDecision } from '../../domain/children/decisions.ts'
import { copyEntryFields, decisionStatusLabels, enteredLine } from '../../domain/children/decisions.ts'
import { formatDate, formatDateTime } from '../../presenters/format.ts'
import { taggedPdf } from '../pdf/tagged.ts'

export function childDecisionsPdf(input: {
  schoolName: string
  pupil: { name: string; upn: string | null; misId: string | null; dateOfBirth: string; yearGroup: string }
  decisions: readonly QueuedDecision[]
  generatedAt: Date
}): Promise<Buffer> {
  const { h, p, finish } = taggedPdf({
    title: `Decisions from supervision: ${input.pupil.name}`,
    author: input.schoolName,
    subject: 'Decisions for the child’s safeguarding record',
    createdAt: input.generatedAt,
  })
  h(1, `Decisions from supervision: ${input.pupil.name}`)
  p(input.schoolName, { colour: '#505a5f' })
  p(
    [
      input.pupil.upn ? `UPN ${input.pupil.upn}` : null,
      input.pupil.misId ? `MIS id ${input.pupil.misId}` : null,
      `born ${formatDate(input.pupil.dateOfBirth)}`,
      input.pupil.yearGroup || null,
    ]
      .filter((x) => x)
      .join(', '),
  )
  if (input.decisions.length === 0) p('There are no decisions about this child from supervision.')
  for (const [i, d] of input.decisions.entries()) {
    h(2, `Decision ${i + 1}, ${formatDate(d.decidedOn)}`)
    p(decisionStatusLabels[d.status], { bold: true })
    for (const f of copyEntryFields(d)) p(`${f.label}: ${f.value}`)
    const entered = enteredLine(d, formatDateTime)
    if (entered) p(entered)
  }
  p(`Printed from Haven on ${formatDateTime(input.generatedAt)}.`, { size: 9, colour: '#505a5f' })
  return finish()
}
