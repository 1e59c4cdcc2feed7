import { deliverPending, type MailTransport, type SenderLog } from '../services/mail/sender.ts'
import type { Job } from './scheduler.ts'

/** Sends the due emails in the outbox (only registered when SMTP_URL is set). */
export function outboxDeliveryJob(transport: MailTransport, log: SenderLog, batchSize = 20): Job {
  return {
    name: 'outbox-delivery',
    // Every tick: delivery is cheap when nothing is due, and claiming makes overlapping runs safe.
    everySeconds: 0,
    async run(db, now) {
      await deliverPending(db, transport, { now, batchSize, log })
    },
  }
}
