import type { Config } from '../config.ts'
import { londonDateOf } from '../domain/calendar/london.ts'
import { sendContractReminders } from '../services/contracts/reminders.ts'
import type { Job } from './scheduler.ts'

/**
 * Contract reminders (MW-02): unsigned contracts once a week per party, a weekly summary to the
 * people contracts are returned to, and a reminder before each review date. Hourly is plenty:
 * each email's dedupe key makes it go once.
 */
export function contractRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 3600): Job {
  return {
    name: 'contract-reminders',
    everySeconds,
    async run(db, now) {
      await sendContractReminders(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}
