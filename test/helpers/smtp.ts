/**
 * A real SMTP server for tests (smtp-server), on a random local port, with no TLS and no
 * authentication. `refuse` decides, per message, whether to answer with a temporary error.
 */
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
}

export interface TestSmtpServer {
  url: string
  received: ReceivedMail[]
  /** Every DATA the server was offered, accepted or not. */
  offered: number
  /** Return true to refuse the message with "451 try again later". */
  refuse: (attempt: number) => boolean
  close(): Promise<void>
}

export async function startSmtpServer(t: Pick<TestContext, 'after'>): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    url: '',
    received: [],
    offered: 0,
    refuse: () => false,
    close: () => Promise.resolve(),
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        state.offered++
        if (state.refuse(state.offered)) {
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 })
          callback(error)
          return
        }
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  state.url = `smtp://127.0.0.1:${port}`
  let closed: Promise<void> | undefined
  state.close = () => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
    return closed
  }
  t.after(() => state.close())
  return state
}

/** A header of a raw message (unfolded), or undefined. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line?.slice(name.length + 1).trim()
}
