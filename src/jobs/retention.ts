import { listDueForRemoval } from '../services/retention/retention.ts'
import type { Job } from './scheduler.ts'

/**
 * Issue 15: once a day, each school's list of signed records due for removal under its retention
 * policy is found again (services/retention). Nothing is removed here: the DSL reviews the list
 * and confirms it.
 */
export function retentionListJob(everySeconds = 24 * 3600): Job {
  return {
    name: 'retention-list',
    everySeconds,
    async run(db, now) {
      await listDueForRemoval(db, now)
    },
  }
}
