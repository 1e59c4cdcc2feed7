/**
 * Escalation of overdue supervision (LH-09, AM-09) and of missed rebooking deadlines (CA-03),
 * step by step along the policy's chain, each step after its delay. The compliance engine says
 * which step each person has reached (EscalationState); this resolves the step's target to
 * people (the supervisor, the supervisor's manager, further up, the headteacher, the DSL ...),
 * records the step in escalation_event and writes the emails, once.
 *
 * Exactly once, whatever runs it: escalation_event is unique per person, chain, step, repeat and
 * day reached, and it is inserted ON CONFLICT DO NOTHING before any email is written, in the same
 * transaction. With two Haven instances on one PostgreSQL, the second insert waits for the first
 * transaction and then does nothing, so only one of them writes the emails; each email also has
 * a dedupe key. Only the step reached today is acted on: a step passed while Haven was not
 * running is not sent late.
 */
import type { Db } from '../../db/database.ts'
import { everySchool, insertEscalationEvent, organisationLines } from '../../db/repositories/reminders.ts'
import type { IsoDate } from '../../domain/calendar/index.ts'
import type { EscalationState } from '../../domain/compliance/index.ts'
import { escalationRecipients, type ReportingLines } from '../../domain/planning/index.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { paths } from '../../paths/index.ts'
import { type AuditEvent, recordAudit } from '../audit.ts'
import { NoPolicyError, schoolCompliance } from '../compliance/school-compliance.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { policyBook } from '../policy/on-date.ts'

export function escalationKey(
  personId: string,
  state: Pick<EscalationState, 'chainId' | 'stepId' | 'repeats' | 'since'>,
  recipientId: string,
): string {
  return `escalation:${personId}:${state.chainId}:${state.stepId}:${state.repeats}:${state.since}:${recipientId}`
}

export interface EscalationRun {
  /** Steps newly reached and recorded. */
  events: number
  /** Emails newly written to the outbox. */
  emails: number
}

function messageDomain(baseUrl: string): string | undefined {
  const host = new URL(baseUrl).hostname
  return /^[A-Za-z0-9.-]+$/.test(host) ? host : undefined
}

async function reportingLines(db: Db, organisationId: string): Promise<ReportingLines> {
  const { people, supervisors } = await organisationLines(db, organisationId)
  return {
    people,
    supervisorOf: (personId) => supervisors.get(personId) ?? null,
    holdersOf: (schoolId, role) =>
      [...people.values()].filter((p) => p.schoolId === schoolId && p.roles.includes(role)).map((p) => p.id),
  }
}

/**
 * Acts on every escalation step reached today, in every school, in one transaction (the caller's,
 * or its own): a step is recorded together with its emails, or not at all.
 */
export async function runEscalations(db: Db, options: { today: IsoDate; baseUrl: string }): Promise<EscalationRun> {
  if (!db.isTransaction) return db.transaction().execute((trx) => runEscalations(trx, options))
  const run: EscalationRun = { events: 0, emails: 0 }
  const audits: AuditEvent[] = []
  const schools = await everySchool(db)
  const lines = new Map<string, ReportingLines>()
  for (const school of schools) {
    let results: Awaited<ReturnType<typeof schoolCompliance>>
    try {
      results = await schoolCompliance(db, school.id, options.today)
    } catch (error) {
      if (error instanceof NoPolicyError) continue
      throw error
    }
    const due = results.filter((r) => r.escalations.length > 0)
    if (due.length === 0) continue
    const policy: PolicyDocument | null = (await policyBook(db, school.id)).on(options.today)
    let organisationLines = lines.get(school.organisationId)
    if (!organisationLines) {
      organisationLines = await reportingLines(db, school.organisationId)
      lines.set(school.organisationId, organisationLines)
    }
    for (const result of due) {
      const supervisee = organisationLines.people.get(result.personId)
      if (!supervisee) continue
      const states = [...result.escalations].sort((a, b) =>
        `${a.chainId}:${a.since}:${a.stepId}` < `${b.chainId}:${b.since}:${b.stepId}` ? -1 : 1,
      )
      for (const state of states) {
        const recipients = escalationRecipients(
          state.target,
          state.repeats,
          supervisee,
          organisationLines,
          options.today,
          policy ?? { customRoles: [] },
        )
        const inserted = await insertEscalationEvent(db, school.id, {
          personId: supervisee.id,
          chainId: state.chainId,
          stepId: state.stepId,
          repeats: state.repeats,
          reachedOn: state.since,
          recipientIds: recipients.personIds,
        })
        if (!inserted) continue
        run.events++
        const chain = policy?.escalation.find((c) => c.id === state.chainId)
        for (const recipientId of recipients.personIds) {
          const recipient = organisationLines.people.get(recipientId)
          if (!recipient?.email) continue
          const email = await enqueueEmail(db, {
            kind: 'supervision.overdue',
            to: recipient.email,
            subject: `Supervision overdue: ${supervisee.name}`,
            text: [
              `Dear ${recipient.name},`,
              '',
              `${state.about}.`,
              '',
              `You are receiving this as ${recipients.description}. The supervision policy of ${school.name} says: ${state.action}.`,
              ...(chain ? ['', chain.description] : []),
              '',
              `Book the session, or make sure it is booked, in Haven: ${options.baseUrl}${paths.sessions.index()}`,
              '',
              'Haven',
            ].join('\n'),
            organisationId: school.organisationId,
            dedupeKey: escalationKey(supervisee.id, state, recipientId),
            messageIdDomain: messageDomain(options.baseUrl),
          })
          if (email.created) run.emails++
        }
        // The supervisee is told who it has been raised with.
        if (
          recipients.personIds.length > 0 &&
          supervisee.email &&
          (supervisee.endDate === null || supervisee.endDate >= options.today)
        ) {
          const email = await enqueueEmail(db, {
            kind: 'supervision.overdue',
            to: supervisee.email,
            subject: 'Your supervision is overdue',
            text: [
              `Dear ${supervisee.name},`,
              '',
              `${state.about}. Haven has raised it with ${recipients.description}, as your school’s supervision policy says.`,
              '',
              'Haven',
            ].join('\n'),
            organisationId: school.organisationId,
            dedupeKey: escalationKey(supervisee.id, state, supervisee.id),
            messageIdDomain: messageDomain(options.baseUrl),
          })
          if (email.created) run.emails++
        }
        audits.push({
          action: 'escalation.raised',
          subjectType: 'person',
          subjectId: supervisee.id,
          actorId: null,
          organisationId: school.organisationId,
          schoolId: school.id,
          detail: {
            eventId: inserted,
            chainId: state.chainId,
            stepId: state.stepId,
            repeats: state.repeats,
            reachedOn: state.since,
            recipients: recipients.personIds.length,
          },
        })
      }
    }
  }
  // Audit entries last: the audit lock is held until the transaction ends.
  for (const audit of audits) await recordAudit(db, audit)
  return run
}
