/**
 * Supervisee feedback on the quality of supervision (PL-06; issue 17). Pure: the policy, the
 * calendar and the answers in, what to ask and the figures management may see out.
 *
 * - When: the policy's `practice.feedbackAsked`. After each session, a supervisee is
 *   asked once for each session whose record everyone has signed; termly, once a term (the first
 *   session of the term whose record is signed asks). A round has a key, so asking twice is a no-op.
 * - What: statements answered from 1 (strongly disagree) to 5 (strongly agree), plus a comment
 *   when the policy allows one. Haven's own statements stand in when the policy asks for
 *   feedback without writing one.
 * - Who sees what: management (the overview's readers) sees averages per supervisor and for the
 *   school, each only where at least 5 responses exist (from at least 3 people); below that,
 *   nothing but that there are too few. Nobody sees one person's answers, and comments are shown only for the whole school
 *   (never per supervisor), in the annual evaluation, where at least 5 responses exist.
 * - Workload (`practice.workloadMonitored`): a supervisee says workload exceeds capacity by
 *   answering 1 or 2 to the workload question in their latest response of the period. The school
 *   (or one supervisor's supervisees) is flagged when at least `workloadFlagAt` supervisees say so,
 *   and only where the group's figures are shown at all.
 */
import { diffDays, periodsFor, type SchoolCalendar } from '../calendar/index.ts'
import type { IsoDate } from '../people/person.ts'
import type { FeedbackQuestionnaire, PolicyDocument } from '../policy/model.ts'

/** Fewer responses than this and a group's figures are not shown (PL-06, as X-04 does for governors). */
export const minimumResponses = 5

/**
 * And from fewer people than this: asked after each session, one supervisee alone soon gives 5
 * responses, whose averages would be theirs.
 */
export const minimumRespondents = 3

/** Answers at or below this on the workload question say workload exceeds capacity. */
export const exceedsCapacityAtOrBelow = 2

/** The answer scale, as the questionnaire's radios show it. */
export const feedbackScale: readonly { value: number; text: string }[] = Object.freeze([
  { value: 5, text: 'Strongly agree' },
  { value: 4, text: 'Agree' },
  { value: 3, text: 'Neither agree nor disagree' },
  { value: 2, text: 'Disagree' },
  { value: 1, text: 'Strongly disagree' },
])

/** Haven's own questionnaire: its statements are asked when the policy lists none. */
export const defaultQuestionnaire: FeedbackQuestionnaire = Object.freeze({
  asked: 'after-each-session',
  questions: [
    { id: 'listened-to', text: 'I felt listened to' },
    { id: 'time-protected', text: 'The time for my supervision was protected' },
    { id: 'actions-useful', text: 'The actions we agreed are useful' },
    { id: 'workload-manageable', text: 'My workload is manageable' },
  ],
  comment: true,
  workloadQuestion: 'workload-manageable',
  workloadFlagAt: 3,
  remindAfterDays: 7,
}) as FeedbackQuestionnaire

/** Days after asking when an unanswered questionnaire is reminded, when the policy does not say (PL-06). */
export const feedbackReminderDefaultDays = 7

/**
 * The questionnaire the policy sets (`practice.feedbackAsked`, `feedbackQuestions`,
 * `feedbackComment`, `feedbackWorkloadQuestion`, `workloadFlagAt`), Haven's own four statements
 * when it lists none, or null when it asks for no feedback.
 */
export function questionnaireOf(policy: PolicyDocument | null): FeedbackQuestionnaire | null {
  if (!policy?.practice.feedbackFromSupervisees) return null
  const practice = policy.practice
  const own = practice.feedbackQuestions.length > 0
  return {
    asked: practice.feedbackAsked,
    questions: own ? practice.feedbackQuestions : defaultQuestionnaire.questions,
    comment: practice.feedbackComment,
    workloadQuestion: own ? practice.feedbackWorkloadQuestion : defaultQuestionnaire.workloadQuestion,
    workloadFlagAt: practice.workloadFlagAt,
    remindAfterDays: practice.feedbackReminderAfterDays ?? feedbackReminderDefaultDays,
  }
}

/**
 * PL-06: whether a supervisee asked on `askedOn` who has not answered is reminded on `today`: once
 * `remindAfterDays` days have passed (never when it is 0). The caller reminds each request once.
 */
export function feedbackReminderDue(
  questionnaire: Pick<FeedbackQuestionnaire, 'remindAfterDays'>,
  askedOn: IsoDate,
  today: IsoDate,
): boolean {
  return questionnaire.remindAfterDays > 0 && diffDays(askedOn, today) >= questionnaire.remindAfterDays
}

/** One asking: its key (unique per supervisee) and the session or term it is about. */
export interface FeedbackRound {
  key: string
  /** The term's id (`2026-27/autumn`) for a termly round, else null. */
  termId: string | null
}

/**
 * The round a session's signed record asks for (PL-06): the session's own after each session,
 * the term it fell in when termly. Null when the session falls outside every term of the calendar
 * (a holiday) under a termly questionnaire: the next session in term asks.
 */
export function feedbackRoundFor(
  questionnaire: FeedbackQuestionnaire,
  session: { id: string; date: IsoDate },
  calendar: SchoolCalendar,
): FeedbackRound | null {
  if (questionnaire.asked === 'after-each-session') return { key: `session:${session.id}`, termId: null }
  const term = periodsFor(calendar, 'term', session.date, session.date).find(
    (p) => p.start <= session.date && p.end >= session.date,
  )
  return term ? { key: `term:${term.id}`, termId: term.id } : null
}

/** Problems with a submitted questionnaire, by question id (or `comment`); empty when it is complete. */
export function feedbackAnswerProblems(
  questionnaire: FeedbackQuestionnaire,
  answers: Readonly<Record<string, unknown>>,
  comment: string,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  for (const q of questionnaire.questions) {
    const value = answers[q.id]
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5))
      problems.push({ field: q.id, message: `Select how much you agree with “${q.text}”` })
  }
  if (questionnaire.comment && comment.length > 2000)
    problems.push({ field: 'comment', message: 'Your comment must be 2000 characters or fewer' })
  return problems
}

/** One answered questionnaire, as the aggregation reads it. The respondent is used to count people, never shown. */
export interface FeedbackResponse {
  respondentId: string
  supervisorId: string | null
  answeredOn: IsoDate
  answers: Readonly<Record<string, number>>
  comment: string | null
}

export interface QuestionFigure {
  id: string
  text: string
  /** The average answer to one decimal place, null when hidden or unanswered. */
  average: number | null
  /** How many answered 4 or 5, null when hidden. */
  agreeing: number | null
}

export interface FeedbackFigures {
  responses: number
  /** False when there are fewer than `minimumResponses` responses: nothing else is given. */
  shown: boolean
  questions: QuestionFigure[]
  workload: {
    /** Whether the policy watches workload and the questionnaire has a workload question. */
    watched: boolean
    /** Supervisees whose latest answer says workload exceeds capacity; null when hidden or not watched. */
    exceeding: number | null
    flagged: boolean
  }
}

function figuresOf(
  questionnaire: FeedbackQuestionnaire,
  responses: readonly FeedbackResponse[],
  workloadMonitored: boolean,
): FeedbackFigures {
  const shown =
    responses.length >= minimumResponses && new Set(responses.map((r) => r.respondentId)).size >= minimumRespondents
  const watched = workloadMonitored && questionnaire.workloadQuestion !== null
  const questions = questionnaire.questions.map((q) => {
    const values = responses.map((r) => r.answers[q.id]).filter((v): v is number => typeof v === 'number')
    return {
      id: q.id,
      text: q.text,
      average:
        shown && values.length > 0 ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null,
      agreeing: shown ? values.filter((v) => v >= 4).length : null,
    }
  })
  let exceeding: number | null = null
  if (watched && shown) {
    // Each supervisee counts once, by their latest answer.
    const latest = new Map<string, FeedbackResponse>()
    for (const r of responses) {
      const seen = latest.get(r.respondentId)
      if (!seen || seen.answeredOn <= r.answeredOn) latest.set(r.respondentId, r)
    }
    exceeding = [...latest.values()].filter((r) => {
      const answer = r.answers[questionnaire.workloadQuestion!]
      return typeof answer === 'number' && answer <= exceedsCapacityAtOrBelow
    }).length
  }
  return {
    responses: responses.length,
    shown,
    questions,
    workload: { watched, exceeding, flagged: exceeding !== null && exceeding >= questionnaire.workloadFlagAt },
  }
}

export interface SupervisorFeedback {
  supervisorId: string
  figures: FeedbackFigures
}

export interface FeedbackSummary {
  from: IsoDate
  to: IsoDate
  school: FeedbackFigures
  /** One row per supervisor with any response, by id (the caller names and sorts them). */
  supervisors: SupervisorFeedback[]
}

/**
 * The figures for the responses answered between two days (both included): the school's and each
 * supervisor's, each hidden under `minimumResponses` responses, with the workload flag.
 */
export function summariseFeedback(
  questionnaire: FeedbackQuestionnaire,
  responses: readonly FeedbackResponse[],
  options: { from: IsoDate; to: IsoDate; workloadMonitored: boolean },
): FeedbackSummary {
  const within = responses.filter((r) => r.answeredOn >= options.from && r.answeredOn <= options.to)
  const bySupervisor = new Map<string, FeedbackResponse[]>()
  for (const r of within) {
    if (r.supervisorId === null) continue
    const list = bySupervisor.get(r.supervisorId) ?? []
    list.push(r)
    bySupervisor.set(r.supervisorId, list)
  }
  return {
    from: options.from,
    to: options.to,
    school: figuresOf(questionnaire, within, options.workloadMonitored),
    supervisors: [...bySupervisor].map(([supervisorId, list]) => ({
      supervisorId,
      figures: figuresOf(questionnaire, list, options.workloadMonitored),
    })),
  }
}

export interface AnnualEvaluation extends FeedbackSummary {
  academicYearId: string
  /** Questionnaires asked in the year and how many were answered. */
  asked: number
  answered: number
  /** The school's comments, in no particular order that could point to a person (alphabetical); empty when hidden. */
  comments: string[]
  /** Each term of the year with any response: the school's figures for it. */
  terms: { id: string; name: string; figures: FeedbackFigures }[]
}

/**
 * The annual evaluation of supervision quality for an academic year (PL-06): the year's figures,
 * each term's, the response rate, and the school's comments where enough responses exist.
 */
export function annualEvaluation(
  questionnaire: FeedbackQuestionnaire,
  responses: readonly FeedbackResponse[],
  options: {
    academicYearId: string
    from: IsoDate
    to: IsoDate
    calendar: SchoolCalendar
    workloadMonitored: boolean
    asked: number
  },
): AnnualEvaluation {
  const summary = summariseFeedback(questionnaire, responses, options)
  const within = responses.filter((r) => r.answeredOn >= options.from && r.answeredOn <= options.to)
  const terms = periodsFor(options.calendar, 'term', options.from, options.to)
    .filter((t) => t.academicYearId === options.academicYearId)
    .map((t) => {
      const inTerm = within.filter((r) => r.answeredOn >= t.start && r.answeredOn <= t.end)
      return { id: t.id, name: t.name, figures: figuresOf(questionnaire, inTerm, options.workloadMonitored) }
    })
    .filter((t) => t.figures.responses > 0)
  const comments = summary.school.shown
    ? within
        .map((r) => r.comment?.trim() ?? '')
        .filter((c) => c.length > 0)
        .sort((a, b) => a.localeCompare(b))
    : []
  return {
    ...summary,
    academicYearId: options.academicYearId,
    asked: options.asked,
    answered: within.length,
    comments,
    terms,
  }
}

/** The evaluation as CSV rows: one row for the school, one per supervisor, hidden figures left blank. */
export function evaluationCsvRows(
  evaluation: AnnualEvaluation,
  nameOf: (supervisorId: string) => string,
): { head: string[]; rows: (string | number)[][] } {
  const questions = evaluation.school.questions
  const head = [
    'Group',
    'Responses',
    ...questions.map((q) => `${q.text}: average (1 to 5)`),
    'Supervisees saying workload exceeds capacity',
    'Workload flagged',
  ]
  const row = (group: string, f: FeedbackFigures): (string | number)[] => [
    group,
    f.shown ? f.responses : `Fewer than ${minimumResponses}`,
    ...f.questions.map((q) => q.average ?? ''),
    f.workload.exceeding ?? '',
    f.workload.watched && f.shown ? (f.workload.flagged ? 'Yes' : 'No') : '',
  ]
  return {
    head,
    rows: [
      row('Whole school', evaluation.school),
      ...evaluation.supervisors.map((s) => row(`Supervised by ${nameOf(s.supervisorId)}`, s.figures)),
    ],
  }
}
