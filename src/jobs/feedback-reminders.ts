import type { Config } from '../config.ts'
import { londonDateOf } from '../domain/calendar/london.ts'
import { sendFeedbackReminders } from '../services/wellbeing/supervision-feedback.ts'
import type { Job } from './scheduler.ts'

/**
 * Supervisee feedback reminders (PL-06): a questionnaire not answered within the days the policy
 * sets is reminded once. Hourly is plenty: each request's reminded day makes it go once.
 */
export function feedbackRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 3600): Job {
  return {
    name: 'feedback-reminders',
    everySeconds,
    async run(db, now) {
      await sendFeedbackReminders(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}
