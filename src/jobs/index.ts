/**
 * The background jobs Haven runs (see scheduler.ts), in the order they run each tick.
 * ADD NEW JOBS HERE (reminders, escalations, retention ...): server.ts starts the scheduler with
 * this list when SCHEDULER_INTERVAL_SECONDS is not 0.
 */
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { createTransport, type SenderLog } from '../services/mail/sender.ts'
import { caseEscalationRemindersJob } from './case-escalation-reminders.ts'
import { childDecisionDeliveryJob, childDecisionRemindersJob } from './child-decisions.ts'
import { contractRemindersJob } from './contract-reminders.ts'
import { emailDigestJob } from './email-digest.ts'
import { feedbackRemindersJob } from './feedback-reminders.ts'
import { outboxDeliveryJob } from './outbox-delivery.ts'
import { policyReviewRemindersJob } from './policy-review-reminders.ts'
import { reminderJobs } from './reminders.ts'
import { retentionListJob } from './retention.ts'
import type { Job } from './scheduler.ts'
import { trustRollupCountsJob } from './trust-rollup.ts'

/** `db` is the app's database: a job whose work goes on after its transaction (the rollup's counts) uses it. */
export function backgroundJobs(config: Config, log: SenderLog, db: Db): Job[] {
  const jobs: Job[] = []
  jobs.push(contractRemindersJob(config))
  jobs.push(policyReviewRemindersJob(config))
  jobs.push(caseEscalationRemindersJob(config))
  jobs.push(feedbackRemindersJob(config))
  jobs.push(...reminderJobs(config))
  jobs.push(childDecisionDeliveryJob(), childDecisionRemindersJob(config))
  jobs.push(retentionListJob())
  jobs.push(trustRollupCountsJob(db))
  // After every job that writes email, so what they held today joins the digest.
  jobs.push(emailDigestJob())
  // Without an SMTP server, emails stay in the outbox for administrators to read.
  if (config.smtpUrl) jobs.push(outboxDeliveryJob(createTransport(config.smtpUrl, { from: config.mailFrom }), log))
  return jobs
}
