/**
 * Reminders and escalations (issue 6; LH-09, AM-09), for every school, run by the scheduler:
 * preparation reminders to supervisees before planned sessions, reminders to supervisors of held
 * sessions with no record, and escalation of overdue supervision step by step. Every few minutes
 * is plenty: each email's dedupe key (and each escalation step's unique row) makes it go once.
 */
import type { Config } from '../config.ts'
import { londonDateOf } from '../domain/calendar/london.ts'
import { runEscalations } from '../services/reminders/escalations.ts'
import { sendPreparationReminders, sendRecordReminders } from '../services/reminders/sessions.ts'
import type { Job } from './scheduler.ts'

export function preparationRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 900): Job {
  return {
    name: 'preparation-reminders',
    everySeconds,
    async run(db, now) {
      await sendPreparationReminders(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}

export function recordRemindersJob(config: Pick<Config, 'baseUrl'>, everySeconds = 900): Job {
  return {
    name: 'record-reminders',
    everySeconds,
    async run(db, now) {
      await sendRecordReminders(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}

export function escalationsJob(config: Pick<Config, 'baseUrl'>, everySeconds = 900): Job {
  return {
    name: 'escalations',
    everySeconds,
    async run(db, now) {
      await runEscalations(db, { today: londonDateOf(now), baseUrl: config.baseUrl })
    },
  }
}

/** The reminder jobs, in the order they run each tick (before the outbox is delivered). */
export function reminderJobs(config: Pick<Config, 'baseUrl'>): Job[] {
  return [preparationRemindersJob(config), recordRemindersJob(config), escalationsJob(config)]
}
