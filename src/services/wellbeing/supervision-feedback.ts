/**
 * Supervisee feedback on the quality of supervision (PL-06; issue 17; ADR 0038). When a record is
 * signed by everyone, each supervisee is asked (a questionnaire on their home page, and an email
 * through the outbox) once per round the policy sets; they answer; management (the overview's
 * readers) sees the figures for a year, each group's only where enough responses exist, with the
 * workload flag, as a page and as CSV. The rules are in src/domain/wellbeing/supervision-feedback.ts.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import type { SessionInfo } from '../../db/repositories/records/sessions.ts'
import {
  answerFeedbackRequest,
  feedbackAskedBetween,
  feedbackRequestInOrganisation,
  feedbackResponsesOf,
  insertFeedbackRequest,
  markFeedbackReminded,
  openFeedbackRequestsOf,
  type StoredFeedbackRequest,
  schoolsWithUnremindedFeedback,
  supervisorNames,
  unremindedFeedbackRequests,
} from '../../db/repositories/supervision-feedback.ts'
import type { RequestActor } from '../../domain/access/actor.ts'
import { can, Permission } from '../../domain/access/permissions.ts'
import { academicYearIdFor, addDays, formatLongDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { toCsv } from '../../domain/overview/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { FeedbackQuestionnaire, PolicyDocument } from '../../domain/policy/model.ts'
import {
  type AnnualEvaluation,
  annualEvaluation,
  defaultQuestionnaire,
  evaluationCsvRows,
  feedbackAnswerProblems,
  feedbackReminderDue,
  feedbackRoundFor,
  questionnaireOf,
} from '../../domain/wellbeing/supervision-feedback.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { overviewSchoolFor } from '../overview/overview.ts'
import { policyBook } from '../policy/on-date.ts'

/**
 * PL-06: on the signature that locks a record, each supervisee who took part is asked for feedback
 * on the session's supervisor, once per round (in the signing transaction). Returns how many were asked.
 */
export async function askForFeedback(
  trx: DbOrTrx,
  input: { session: SessionInfo; policy: PolicyDocument | null; today: IsoDate; baseUrl: string },
): Promise<number> {
  const questionnaire = questionnaireOf(input.policy)
  if (!questionnaire) return 0
  const { session } = input
  const calendar =
    questionnaire.asked === 'termly' ? await schoolCalendar(trx as Db, session.schoolId, input.today) : null
  const round = feedbackRoundFor(questionnaire, session, calendar ?? { region: 'england-and-wales', years: [] })
  if (!round) return 0
  const supervisor = session.participants.find((p) => p.role === 'supervisor') ?? null
  let asked = 0
  for (const p of session.participants) {
    if (p.role !== 'supervisee' || p.attended === false) continue
    const id = await insertFeedbackRequest(trx, {
      organisationId: session.organisationId,
      schoolId: session.schoolId,
      personId: p.personId,
      supervisorId: supervisor?.personId ?? null,
      sessionId: session.id,
      roundKey: round.key,
      askedOn: input.today,
    })
    if (!id) continue
    asked++
    if (p.email.trim() !== '')
      await enqueueEmail(trx, {
        kind: 'wellbeing.feedback',
        to: p.email,
        subject: 'Tell us about your supervision',
        text: [
          `Dear ${p.name},`,
          '',
          'The record of your supervision session has been signed. Please take 2 minutes to say how your supervision is going. Your supervisor will not see your answers: the school sees only totals from 5 or more answers.',
          '',
          `${input.baseUrl.replace(/\/$/, '')}${paths.wellbeing.feedback({ requestId: id })}`,
          '',
          'Haven',
        ].join('\n'),
        organisationId: session.organisationId,
      })
  }
  if (asked > 0)
    await recordAudit(trx, {
      action: 'feedback.asked',
      subjectType: 'session',
      subjectId: session.id,
      organisationId: session.organisationId,
      schoolId: session.schoolId,
      detail: { asked },
    })
  return asked
}

/**
 * PL-06: reminds each supervisee who has not answered a questionnaire, once, the number of days
 * after asking the school's policy in force sets (`practice.feedbackReminderAfterDays`), by an
 * email holding the link and nothing of the session. Run by the scheduler (in its transaction);
 * returns how many were reminded. Someone who has left, or has no address, is not reminded.
 */
export async function sendFeedbackReminders(db: DbOrTrx, input: { today: IsoDate; baseUrl: string }): Promise<number> {
  let reminded = 0
  for (const schoolId of await schoolsWithUnremindedFeedback(db, addDays(input.today, -1))) {
    const questionnaire = questionnaireOf((await policyBook(db, schoolId)).on(input.today))
    if (!questionnaire) continue
    let here = 0
    let organisationId: string | null = null
    for (const request of await unremindedFeedbackRequests(db, schoolId, addDays(input.today, -1))) {
      if (!feedbackReminderDue(questionnaire, request.askedOn, input.today)) continue
      if (request.email.trim() === '' || (request.endDate !== null && request.endDate < input.today)) continue
      if (!(await markFeedbackReminded(db, schoolId, request.id, input.today))) continue
      organisationId = request.organisationId
      await enqueueEmail(db, {
        kind: 'wellbeing.feedback',
        to: request.email,
        subject: 'Reminder: tell us about your supervision',
        text: [
          `Dear ${request.name},`,
          '',
          `On ${formatLongDate(request.askedOn)} you were asked to say how your supervision is going. It takes 2 minutes. Your supervisor will not see your answers: the school sees only totals from 5 or more answers.`,
          '',
          `${input.baseUrl.replace(/\/$/, '')}${paths.wellbeing.feedback({ requestId: request.id })}`,
          '',
          'This is the only reminder you will get.',
          '',
          'Haven',
        ].join('\n'),
        organisationId: request.organisationId,
        dedupeKey: `feedback-reminder:${request.id}`,
      })
      here++
    }
    if (here > 0)
      await recordAudit(db, {
        action: 'feedback.reminded',
        subjectType: 'school',
        subjectId: schoolId,
        organisationId,
        schoolId,
        detail: { reminded: here },
      })
    reminded += here
  }
  return reminded
}

/** The questionnaires a person has still to answer (their home page). */
export async function openFeedbackOf(db: Db, actor: RequestActor): Promise<StoredFeedbackRequest[]> {
  return openFeedbackRequestsOf(db, actor.organisationId, actor.personId)
}

export interface QuestionnairePage {
  request: StoredFeedbackRequest
  questionnaire: FeedbackQuestionnaire
}

/** A questionnaire for the person it asks, and nobody else (null: not found). */
export async function questionnairePage(
  db: DbOrTrx,
  actor: RequestActor,
  requestId: string,
  options: { forUpdate?: boolean } = {},
): Promise<QuestionnairePage | null> {
  const request = await feedbackRequestInOrganisation(db, actor.organisationId, requestId, options)
  if (!request || request.personId !== actor.personId) return null
  const policy = (await policyBook(db, request.schoolId)).on(request.sessionDate ?? request.askedOn)
  // The policy may since have stopped asking: the questions asked are still answered.
  return { request, questionnaire: questionnaireOf(policy) ?? defaultQuestionnaire }
}

export type AnswerResult =
  | { ok: true }
  | { ok: false; kind: 'missing' | 'answered' }
  | { ok: false; kind: 'invalid'; problems: { field: string; message: string }[]; page: QuestionnairePage }

/** Records a person's answers to their questionnaire, once. */
export async function answerQuestionnaire(
  db: Db,
  input: { actor: RequestActor; requestId: string; answers: Record<string, unknown>; comment: string; today: IsoDate },
): Promise<AnswerResult> {
  return db.transaction().execute(async (trx) => {
    const page = await questionnairePage(trx, input.actor, input.requestId, { forUpdate: true })
    if (!page) return { ok: false, kind: 'missing' } as const
    if (page.request.answeredOn !== null) return { ok: false, kind: 'answered' } as const
    const { questionnaire } = page
    const problems = feedbackAnswerProblems(questionnaire, input.answers, input.comment)
    if (problems.length > 0) return { ok: false, kind: 'invalid', problems, page } as const
    const answers = Object.fromEntries(questionnaire.questions.map((q) => [q.id, input.answers[q.id] as number]))
    const comment = questionnaire.comment && input.comment.trim() !== '' ? input.comment.trim() : null
    await answerFeedbackRequest(trx, page.request.schoolId, {
      requestId: page.request.id,
      supervisorId: page.request.supervisorId,
      answeredOn: input.today,
      answers,
      comment,
    })
    // Who answered is kept (the request is theirs); what they answered is not in the audit log.
    await recordAudit(trx, {
      action: 'feedback.answered',
      subjectType: 'feedback-request',
      subjectId: page.request.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: page.request.schoolId,
      detail: {},
      ip: null,
    })
    return { ok: true } as const
  })
}

export interface FeedbackReport {
  school: { id: string; slug: string; name: string }
  choices: { slug: string; name: string }[]
  academicYearId: string
  years: { id: string; name: string }[]
  asks: boolean
  evaluation: AnnualEvaluation
  questionnaire: FeedbackQuestionnaire
  names: Map<string, string>
}

export function academicYearName(id: string): string {
  const bounds = parseAcademicYearId(id)
  return bounds ? `${bounds.start.slice(0, 4)} to ${bounds.end.slice(0, 4)}` : id
}

/**
 * The annual evaluation of supervision quality for an academic year (`2026-27`; the current one
 * when none or an unknown one is given), for whoever sees the school's compliance. Null when the
 * school is out of reach or the year is not one of the last five.
 */
export async function feedbackReport(
  db: Db,
  input: { actor: RequestActor; slug: string | undefined; yearId: string | undefined; today: IsoDate },
): Promise<FeedbackReport | null> {
  const found = await overviewSchoolFor(db, input.actor, input.slug)
  if (!found || !can(input.actor.in(found.school.id), Permission.ComplianceRead)) return null
  const current = academicYearIdFor(input.today)
  const start = Number(current.slice(0, 4))
  const years = [0, 1, 2, 3, 4].map((back) => {
    const id = academicYearIdFor(`${start - back}-09-01`)
    return { id, name: academicYearName(id) }
  })
  const academicYearId = input.yearId ?? current
  if (!years.some((y) => y.id === academicYearId)) return null
  const bounds = parseAcademicYearId(academicYearId)!
  const book = await policyBook(db, found.school.id)
  const policy = book.on(input.today)
  const questionnaire = questionnaireOf(policy) ?? defaultQuestionnaire
  const [responses, asked, calendar] = await Promise.all([
    feedbackResponsesOf(db, found.school.id, bounds.start, bounds.end),
    feedbackAskedBetween(db, found.school.id, bounds.start, bounds.end),
    schoolCalendar(db, found.school.id, input.today),
  ])
  const evaluation = annualEvaluation(questionnaire, responses, {
    academicYearId,
    from: bounds.start,
    to: bounds.end,
    calendar,
    workloadMonitored: policy?.practice.workloadMonitored ?? false,
    asked,
  })
  const names = await supervisorNames(
    db,
    found.school.organisationId,
    evaluation.supervisors.map((s) => s.supervisorId),
  )
  evaluation.supervisors.sort((a, b) =>
    (names.get(a.supervisorId) ?? '').localeCompare(names.get(b.supervisorId) ?? ''),
  )
  return {
    school: found.school,
    choices: found.choices,
    academicYearId,
    years,
    asks: questionnaireOf(policy) !== null,
    evaluation,
    questionnaire,
    names,
  }
}

/** The evaluation as CSV; the download is audited (ids only). */
export async function feedbackReportCsv(
  db: Db,
  input: { actor: RequestActor; slug: string | undefined; yearId: string | undefined; today: IsoDate },
): Promise<{ slug: string; academicYearId: string; csv: string } | null> {
  const report = await feedbackReport(db, input)
  if (!report) return null
  await recordAudit(db, {
    action: 'feedback.export',
    subjectType: 'school',
    subjectId: report.school.id,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: report.school.id,
    detail: { academicYearId: report.academicYearId },
  })
  const { head, rows } = evaluationCsvRows(
    report.evaluation,
    (id) => report.names.get(id) ?? 'Someone no longer in Haven',
  )
  return { slug: report.school.slug, academicYearId: report.academicYearId, csv: toCsv(head, rows) }
}
