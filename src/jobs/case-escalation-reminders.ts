import type { Config } from '../config.ts'
import { londonDateOf } from '../domain/calendar/london.ts'
import { sendCaseEscalationReminders } from '../services/escalations/case-escalations.ts'
import type { Job } from './scheduler.ts'

/**
 * Case escalation reminders (LH-10): when a stage's working days are up, the DSL and the person
 * who raised it are reminded. Hourly is plenty: each email's dedupe key makes it go once a stage.
 */
export function caseEscalationRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 3600): Job {
  return {
    name: 'case-escalation-reminders',
    everySeconds,
    async run(db, now) {
      await sendCaseEscalationReminders(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}
