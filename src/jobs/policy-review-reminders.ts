import type { Config } from '../config.ts'
import { londonDateOf } from '../domain/calendar/london.ts'
import { sendPolicyReviewReminders } from '../services/policy/review.ts'
import type { Job } from './scheduler.ts'

/**
 * Policy review reminders: the policy's owner is emailed from the reminder date before the
 * review is due. Hourly is plenty: each email's dedupe key makes it go once per review date.
 */
export function policyReviewRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 3600): Job {
  return {
    name: 'policy-review-reminders',
    everySeconds,
    async run(db, now) {
      await sendPolicyReviewReminders(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}
