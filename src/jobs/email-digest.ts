import { formatLongDate } from '../domain/calendar/index.ts'
import { londonDateOf, londonToInstant } from '../domain/calendar/london.ts'
import { sendDailyDigests } from '../services/mail/outbox.ts'
import type { Job } from './scheduler.ts'

/** When each day's digest goes (London time): before the school day starts. */
export const DIGEST_TIME = '07:00'

/**
 * The daily digest (issue 18 item 5): people who chose one email a day get, from 07:00, one message
 * with everything non-urgent held for them before 07:00. What arrives later waits for tomorrow's,
 * so however often the job runs, each person gets at most one digest a day.
 */
export function emailDigestJob(everySeconds = 900): Job {
  return {
    name: 'email-digest',
    everySeconds,
    async run(db, now) {
      const today = londonDateOf(now)
      const cutoff = londonToInstant(today, DIGEST_TIME)
      if (now < cutoff) return
      await sendDailyDigests(db, cutoff, formatLongDate(today))
    },
  }
}
