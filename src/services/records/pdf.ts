/**
 * A record as a PDF (issue 7, X-06: evidence for a serious case review or an internal management
 * review): the template's sections with their answers, last time's actions, the actions agreed,
 * decisions for the child's record, the signatures (who, when, the hash they signed), comments
 * and dated addenda. Real text, so it can be searched and read aloud: a tagged PDF with a title
 * and a language, headings and paragraphs in the structure tree.
 */
import { actionStatusLabels } from '../../domain/records/actions.ts'
import { formatTime as clockTime } from '../../domain/records/contract.ts'
import { displayLines, displaySections } from '../../domain/records/display.ts'
import { actionsFieldOf, type IntegrityCheck, recordStatusLabels } from '../../domain/records/record.ts'
import { formatDate, formatDateTime } from '../../presenters/format.ts'
import { pdfSafe, taggedPdf } from '../pdf/tagged.ts'
import { shownTemplate } from './records.ts'
import type { LoadedRecord } from './store.ts'

export interface PdfContext {
  record: LoadedRecord
  schoolName: string
  integrity: IntegrityCheck
  generatedAt: Date
  /** The system children's records are kept in (CPOMS ...), for decisions. */
  childRecordSystem: string | null
}

export { pdfSafe }

export function recordTitle(record: LoadedRecord): string {
  const date = record.document.session?.date
  return `${record.template.name}${date ? `, ${formatDate(date)}` : ''}`
}

export async function recordPdf(ctx: PdfContext): Promise<Buffer> {
  const { record } = ctx
  const { h, p, finish } = taggedPdf({
    title: recordTitle(record),
    author: ctx.schoolName,
    subject: 'Supervision record',
    createdAt: ctx.generatedAt,
  })
  const pair = (label: string, value: string) => p(`${label}: ${value === '' ? 'Not answered' : value}`)

  const session = record.document.session
  h(1, record.template.name)
  p(ctx.schoolName, { colour: '#505a5f' })
  if (record.group) p('Group supervision: one record for the whole group.', { bold: true })
  p(`Status: ${recordStatusLabels[record.status]}`, { bold: true })
  if (ctx.integrity.altered) {
    p('Warning: this record has been altered since it was completed or signed.', { bold: true, colour: '#d4351c' })
    for (const reason of ctx.integrity.reasons) p(reason, { colour: '#d4351c' })
  }

  h(2, 'Session')
  if (session) {
    pair('Date', formatDate(session.date))
    if (session.startTime) pair('Time', clockTime(session.startTime))
    pair('Type of supervision', session.typeName)
    pair(
      session.supervisors.length > 1 ? 'Supervisors' : 'Supervisor',
      session.supervisors.map((s) => s.name).join(', '),
    )
    if (session.group) {
      pair(
        'Present',
        session.supervisees
          .filter((s) => s.attended !== false)
          .map((s) => s.name)
          .join(', '),
      )
      const absent = session.supervisees.filter((s) => s.attended === false)
      if (absent.length > 0) pair('Absent', absent.map((s) => s.name).join(', '))
    } else {
      pair(
        session.supervisees.length > 1 ? 'Supervisees' : 'Supervisee',
        session.supervisees.map((s) => s.name).join(', '),
      )
    }
  }
  pair('Template', `${record.template.name} (${record.template.id}, version ${String(record.templateVersion)})`)

  if (record.group) {
    h(2, 'Confidentiality boundary agreed by the group')
    p(record.document.boundary === '' ? 'Not recorded' : record.document.boundary)
  }

  if (record.document.carried.length > 0) {
    h(2, 'Issues carried forward from informal supervision')
    for (const issue of record.document.carried) p(`${formatDate(issue.sourceDate)}: ${issue.text}`)
  }

  if (record.document.reviews.length > 0) {
    h(2, 'Actions from last time')
    record.document.reviews.forEach((r, i) => {
      p(`${String(i + 1)}. ${r.text}`, { bold: true })
      p(
        `Agreed ${formatDate(r.raisedOn)}${r.ownerName ? `, by ${r.ownerName}` : ''}${r.dueOn ? `, due ${formatDate(r.dueOn)}` : ''}`,
      )
      p(
        `Status: ${actionStatusLabels[r.status] ?? r.status}${r.status === 'dropped' && r.reason ? `. Why: ${r.reason}` : ''}`,
      )
    })
  }

  const actionsField = actionsFieldOf(record.template)
  // Only the items the record's session showed (issue 14).
  const shown = shownTemplate(record.template, record.document, record.group)
  for (const section of displaySections(shown, record.document.values, {
    skipFieldIds: actionsField ? [actionsField.id] : [],
  })) {
    if (section.fields.length === 0) continue
    h(2, section.title)
    for (const field of section.fields) {
      h(3, field.label)
      const lines = displayLines(field.display)
      if (lines.length === 0) p('Not answered', { colour: '#505a5f' })
      for (const line of lines) p(line)
    }
  }

  h(2, actionsField?.label ?? 'Agreed actions')
  const agreed = record.document.actions.filter((a) => a.text.trim() !== '')
  if (agreed.length === 0) p('None')
  agreed.forEach((a, i) => {
    p(`${String(i + 1)}. ${a.text}`, { bold: true })
    p(`Who: ${a.ownerName || 'Not given'}${a.dueOn ? `. Due: ${formatDate(a.dueOn)}` : ''}`)
  })

  if (record.document.decisions.length > 0) {
    h(2, 'Decisions for the child’s record')
    record.document.decisions.forEach((d, i) => {
      p(
        `${String(i + 1)}. ${d.kind === 'family' ? 'Family' : d.kind === 'pseudonym' ? 'Child, by a pseudonym' : 'Child'}: ${d.name}${d.reference ? ` (reference ${d.reference})` : ''}`,
        { bold: true },
      )
      p(d.decision)
      const mark = record.decisionMarks.get(d.id)
      p(
        mark
          ? `Recorded in ${mark.recordedIn} by ${mark.recordedByName ?? 'someone'} on ${formatDateTime(mark.recordedAt)}`
          : `Still to be recorded on the child’s own record${ctx.childRecordSystem ? ` in ${ctx.childRecordSystem}` : ''}`,
      )
    })
  }

  h(2, 'Signatures')
  const active = record.signatures.filter((s) => !s.superseded)
  if (active.length === 0) p('Not yet signed')
  for (const s of active) {
    p(`${s.name} (${s.role}) signed on ${formatDateTime(s.signedAt)}`, { bold: true })
    p(
      `Confirmed with ${s.method === 'password' ? 'their password' : 'a two-step verification code'}. Content hash (SHA-256): ${s.contentHash}`,
      { size: 9 },
    )
  }
  if (record.contentHash) p(`Content hash when completed (SHA-256): ${record.contentHash}`, { size: 9 })
  if (record.lockedAt) p(`Locked on ${formatDateTime(record.lockedAt)}: later changes are dated addenda.`)

  if (record.comments.length > 0) {
    h(2, 'Comments and disagreements')
    for (const c of record.comments) {
      p(
        `${c.kind === 'disagreement' ? 'Disagreement' : 'Comment'} by ${c.personName}, ${formatDateTime(c.createdAt)}`,
        { bold: true },
      )
      p(c.text)
      if (c.thirdPersonName) p(`Third person named to help resolve it: ${c.thirdPersonName}`)
    }
  }

  if (record.addenda.length > 0) {
    h(2, 'Addenda')
    for (const a of record.addenda) {
      p(`Addendum by ${a.authorName}, ${formatDateTime(a.createdAt)}`, { bold: true })
      p(a.text)
      p(`Hash (SHA-256): ${a.contentHash}`, { size: 9 })
    }
  }

  p(`Printed from Haven on ${formatDateTime(ctx.generatedAt)}.`, { size: 9, colour: '#505a5f' })
  return finish()
}
