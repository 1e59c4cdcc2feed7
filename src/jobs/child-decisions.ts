import type { Config } from '../config.ts'
import { deliverDueDecisions, type Fetch, remindWaitingDecisions } from '../services/children/decisions.ts'
import type { Job } from './scheduler.ts'

/**
 * Issue 15: decisions ready for a child's record are sent to the school's webhook, signed;
 * failures are tried again with growing waits (domain/children/decisions.ts: retryMinutes). Every
 * tick: nothing is due most of the time, and claiming makes overlapping runs safe.
 */
export function childDecisionDeliveryJob(options: { fetch?: Fetch } = {}): Job {
  return {
    name: 'child-decision-delivery',
    everySeconds: 0,
    async run(db, now) {
      await deliverDueDecisions(db, { now, fetch: options.fetch })
    },
  }
}

/** Decisions waiting longer than the policy allows: whoever signs them off is reminded, once a day. */
export function childDecisionRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 3600): Job {
  return {
    name: 'child-decision-reminders',
    everySeconds,
    async run(db, now) {
      await remindWaitingDecisions(db, { now, baseUrl: config.baseUrl })
    },
  }
}
