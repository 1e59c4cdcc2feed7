import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar } from '../calendar/index.ts'
import type { FeedbackQuestionnaire, PolicyDocument } from '../policy/model.ts'
import { validatePolicy } from '../policy/validate.ts'
import {
  annualEvaluation,
  defaultQuestionnaire,
  evaluationCsvRows,
  type FeedbackResponse,
  feedbackAnswerProblems,
  feedbackReminderDue,
  feedbackRoundFor,
  questionnaireOf,
  summariseFeedback,
} from './supervision-feedback.ts'

const calendar = englandDefaultCalendar('england-and-wales', 2025, 2027)
const place = loadPack('the-place')
const questionnaire: FeedbackQuestionnaire = { ...defaultQuestionnaire, workloadFlagAt: 2 }

function response(respondentId: string, supervisorId: string, answeredOn: string, workload = 4): FeedbackResponse {
  return {
    respondentId,
    supervisorId,
    answeredOn,
    answers: { 'listened-to': 5, 'time-protected': 4, 'actions-useful': 3, 'workload-manageable': workload },
    comment: `Comment from ${respondentId}`,
  }
}

const year = { from: '2026-09-01', to: '2027-08-31', workloadMonitored: true }

describe('PL-06: supervisee feedback on supervision quality', () => {
  test('PL-06: the policy sets the questionnaire and when it is asked; none when it asks for no feedback', () => {
    const asked = questionnaireOf(place)
    assert.ok(asked)
    assert.equal(asked.asked, 'after-each-session')
    assert.ok(asked.questions.some((q) => q.id === asked.workloadQuestion))
    const off: PolicyDocument = { ...place, practice: { ...place.practice, feedbackFromSupervisees: false } }
    assert.equal(questionnaireOf(off), null)
    const own: PolicyDocument = {
      ...place,
      practice: { ...place.practice, feedbackQuestions: [], feedbackWorkloadQuestion: null, feedbackAsked: 'termly' },
    }
    const havens = questionnaireOf(own)!
    assert.deepEqual(
      havens.questions,
      defaultQuestionnaire.questions,
      "Haven's own statements when the policy lists none",
    )
    assert.equal(havens.workloadQuestion, 'workload-manageable')
    assert.equal(havens.asked, 'termly', 'asked when the policy says')
  })

  test('PL-06: asked once per signed session, or once per term', () => {
    const session = { id: 's1', date: '2026-10-05' }
    assert.deepEqual(feedbackRoundFor(questionnaire, session, calendar), { key: 'session:s1', termId: null })
    const termly = { ...questionnaire, asked: 'termly' as const }
    const autumn = feedbackRoundFor(termly, session, calendar)
    assert.deepEqual(autumn, { key: 'term:2026-27/autumn', termId: '2026-27/autumn' })
    assert.deepEqual(
      feedbackRoundFor(termly, { id: 's2', date: '2026-12-01' }, calendar),
      autumn,
      'same term, same round',
    )
    assert.equal(feedbackRoundFor(termly, { id: 's3', date: '2027-01-11' }, calendar)?.key, 'term:2026-27/spring')
    assert.equal(feedbackRoundFor(termly, { id: 's4', date: '2026-08-10' }, calendar), null, 'in the summer holiday')
  })

  test('PL-06: every question needs an answer from 1 to 5', () => {
    const problems = feedbackAnswerProblems(questionnaire, { 'listened-to': 5, 'time-protected': 6 }, '')
    assert.deepEqual(
      problems.map((p) => p.field),
      ['time-protected', 'actions-useful', 'workload-manageable'],
    )
    assert.match(problems[0]!.message, /Select how much you agree with “The time for my supervision was protected”/)
  })

  test('PL-06: figures are hidden under 5 responses and shown at 5, per supervisor and for the school', () => {
    const four = ['a', 'b', 'c', 'd'].map((p) => response(p, 'sup1', '2026-10-01'))
    const under = summariseFeedback(questionnaire, four, year)
    assert.equal(under.school.shown, false)
    assert.equal(under.school.responses, 4)
    assert.deepEqual(
      under.school.questions.map((q) => [q.average, q.agreeing]),
      [
        [null, null],
        [null, null],
        [null, null],
        [null, null],
      ],
    )
    const five = [...four, response('e', 'sup1', '2026-10-02', 1)]
    const at = summariseFeedback(questionnaire, five, year)
    assert.equal(at.school.shown, true)
    assert.deepEqual(
      at.school.questions.map((q) => q.average),
      [5, 4, 3, 3.4],
    )
    assert.equal(at.supervisors[0]?.figures.shown, true)
    // Another supervisor with one response: hidden, while the school's are shown.
    const mixed = summariseFeedback(questionnaire, [...five, response('f', 'sup2', '2026-10-03')], year)
    assert.equal(mixed.supervisors.find((s) => s.supervisorId === 'sup2')?.figures.shown, false)
    assert.equal(mixed.supervisors.find((s) => s.supervisorId === 'sup2')?.figures.questions[0]?.average, null)
    // Five responses from one person are still one person's answers.
    const one = ['1', '2', '3', '4', '5'].map((d) => response('a', 'sup1', `2026-10-0${d}`))
    assert.equal(summariseFeedback(questionnaire, one, year).school.shown, false)
    // Outside the dates asked for: not counted.
    assert.equal(summariseFeedback(questionnaire, five, { ...year, from: '2026-10-02' }).school.responses, 1)
  })

  test('PL-06: workload is flagged when enough supervisees say it exceeds capacity, by their latest answer', () => {
    const base = ['a', 'b', 'c', 'd', 'e'].map((p) => response(p, 'sup1', '2026-10-01'))
    const one = summariseFeedback(questionnaire, [...base, response('a', 'sup1', '2026-11-01', 2)], year)
    assert.deepEqual(one.school.workload, { watched: true, exceeding: 1, flagged: false })
    const two = summariseFeedback(
      questionnaire,
      [...base, response('a', 'sup1', '2026-11-01', 2), response('b', 'sup1', '2026-11-01', 1)],
      year,
    )
    assert.deepEqual(two.school.workload, { watched: true, exceeding: 2, flagged: true })
    // A later answer that says it is manageable again takes the person out.
    const better = summariseFeedback(
      questionnaire,
      [
        ...base,
        response('a', 'sup1', '2026-11-01', 2),
        response('b', 'sup1', '2026-11-01', 1),
        response('b', 'sup1', '2026-12-01', 4),
      ],
      year,
    )
    assert.deepEqual(better.school.workload, { watched: true, exceeding: 1, flagged: false })
    // Not watched when the policy does not monitor workload.
    const unwatched = summariseFeedback(questionnaire, [...base, response('a', 'sup1', '2026-11-01', 1)], {
      ...year,
      workloadMonitored: false,
    })
    assert.deepEqual(unwatched.school.workload, { watched: false, exceeding: null, flagged: false })
  })

  test('PL-06: the annual evaluation of a year: figures, terms, response rate, comments only when shown', () => {
    const responses = [
      ...['a', 'b', 'c', 'd', 'e'].map((p) => response(p, 'sup1', '2026-10-01')),
      response('f', 'sup2', '2027-02-01'),
      response('g', 'sup2', '2025-10-01'),
    ]
    const evaluation = annualEvaluation(questionnaire, responses, {
      ...year,
      academicYearId: '2026-27',
      calendar,
      asked: 9,
    })
    assert.equal(evaluation.answered, 6)
    assert.equal(evaluation.asked, 9)
    assert.deepEqual(
      evaluation.terms.map((t) => [t.id, t.figures.responses, t.figures.shown]),
      [
        ['2026-27/autumn', 5, true],
        ['2026-27/spring', 1, false],
      ],
    )
    assert.equal(evaluation.comments.length, 6)
    assert.equal(evaluation.comments[0], 'Comment from a')
    const csv = evaluationCsvRows(evaluation, (id) => (id === 'sup1' ? 'Ada' : 'Ben'))
    assert.deepEqual(csv.rows[0]?.slice(0, 3), ['Whole school', 6, 5])
    assert.deepEqual(csv.rows[2], ['Supervised by Ben', 'Fewer than 5', '', '', '', '', '', ''])
    const few = annualEvaluation(questionnaire, responses.slice(0, 3), {
      ...year,
      academicYearId: '2026-27',
      calendar,
      asked: 3,
    })
    assert.deepEqual(few.comments, [], 'no comments under 5 responses')
  })

  test('PL-06: the policy questionnaire is checked, with messages by JSON path', () => {
    const doc = structuredClone(place) as unknown as { practice: Record<string, unknown> }
    doc.practice.feedbackAsked = 'weekly'
    doc.practice.feedbackQuestions = [
      { id: 'one', text: 'One' },
      { id: 'one', text: 'Again' },
    ]
    doc.practice.feedbackWorkloadQuestion = 'two'
    const result = validatePolicy(doc)
    assert.equal(result.ok, false)
    const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)
    assert.ok(
      problems.some((p) =>
        p.startsWith(
          "practice.feedbackAsked: When supervisees are asked for feedback must be 'after-each-session' or 'termly'",
        ),
      ),
      problems.join('\n'),
    )
    assert.ok(problems.some((p) => p.startsWith('practice.feedbackQuestions[1].id: The feedback question id')))
    assert.ok(
      problems.some((p) => p.startsWith("practice.feedbackWorkloadQuestion: There is no feedback question 'two'")),
    )
  })
  test('PL-06: the policy sets the days before the reminder, and 0 turns it off', () => {
    const practice = loadPack('the-place').practice
    const policy = (days: number | undefined) =>
      ({ ...loadPack('the-place'), practice: { ...practice, feedbackReminderAfterDays: days } }) as PolicyDocument
    const asked = '2026-11-02'
    const due = (days: number | undefined, on: string) => feedbackReminderDue(questionnaireOf(policy(days))!, asked, on)
    assert.equal(due(3, '2026-11-04'), false)
    assert.equal(due(3, '2026-11-05'), true)
    assert.equal(due(undefined, '2026-11-08'), false)
    assert.equal(due(undefined, '2026-11-09'), true, 'a week when the policy does not say')
    assert.equal(due(0, '2027-11-09'), false, 'never')
  })
})
