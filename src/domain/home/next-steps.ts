/**
 * The home page says what to do next (issue 18): for each person, the blocks of work that are
 * theirs, each item with a count and the place where the work is done.
 *
 * - The DSL (whoever sees the school's compliance): staff requests waiting, decisions about
 *   children to sign off, records waiting for signatures, rebooking deadlines at risk, people
 *   overdue, case escalations open.
 * - Whoever sets the school up (manages its policy): while any step is not done, a checklist:
 *   policy adopted, calendar checked, staff imported, supervisors assigned, year planned,
 *   contracts issued, each ticked from the school's own data.
 * - A supervisor: sessions this week, records to write or sign, supervisees' preparation received.
 * - A supervisee: their next session, preparation to do, records waiting for their signature.
 *
 * A person with several roles gets each block that applies. Pure: the service gathers the facts,
 * the page turns each link into an address.
 */
import { addDays, formatLongDate, type IsoDate, isoWeekday } from '../calendar/dates.ts'

/** Where an item's work is done; the page maps each to its address. */
export type HomeLink =
  | { to: 'requests' }
  | { to: 'new-request' }
  | { to: 'decisions' }
  | { to: 'escalations' }
  | { to: 'overview-list'; list: 'overdue' | 'never-supervised' | 'rebookings-at-risk' | 'records-awaiting-signature' }
  | { to: 'your-sessions' }
  | { to: 'records' }
  | { to: 'session'; sessionId: string }
  | { to: 'session-records'; sessionId: string }
  | { to: 'preparation'; sessionId: string }
  | { to: 'record'; recordId: string }
  | { to: 'policy' }
  | { to: 'calendar' }
  | { to: 'staff-import' }
  | { to: 'staff' }
  | { to: 'planner' }
  | { to: 'contracts-issue' }

export interface HomeItem {
  /** Stable name of the kind of item (for tests and ids). */
  key: string
  /** The link's words. */
  text: string
  /** How many things it stands for, where it stands for several. */
  count: number | null
  link: HomeLink
}

export interface SetupStep {
  key: 'policy' | 'calendar' | 'staff' | 'supervisors' | 'plan' | 'contracts'
  text: string
  done: boolean
  /** What is left, when not done and more can be said. */
  hint: string | null
  link: HomeLink
}

/** Figures the DSL already has (the overview, the requests, the decision queue, escalations); null: not theirs to see. */
export interface DslFacts {
  requestsWaiting: number | null
  decisionsPending: number | null
  openEscalations: number | null
  /** The overview's figures; null when no policy is in force. */
  figures: {
    overdue: number
    neverSupervised: number
    rebookingsAtRisk: number
    recordsAwaitingSignature: number
  } | null
}

/** What the school's own data says about its setting up, for the year `academicYear`. */
export interface SetupFacts {
  academicYear: string
  policyAdopted: boolean
  /** The school has saved its own dates for the year. */
  calendarSaved: boolean
  /** Current staff of the school (the person setting it up counts as one). */
  staffCount: number
  inScope: number
  inScopeWithoutSupervisor: number
  inScopeWithoutSession: number
  inScopeWithoutContract: number
}

export type SessionRole = 'supervisor' | 'supervisee' | 'recorder'

/** One of the person's sessions near today. */
export interface PersonSession {
  id: string
  date: IsoDate
  startTime: string | null
  typeName: string
  status: 'planned' | 'held'
  role: SessionRole
  /** Names of the others in the session. */
  withNames: readonly string[]
  /** The person writes its record (the supervisor, unless someone else was named; or that someone). */
  writesRecord: boolean
  /** The statuses of its records. */
  recordStatuses: readonly ('draft' | 'completed' | 'signed')[]
  /** Names of the supervisees who have prepared for it. */
  preparedBy: readonly string[]
  /** The person has prepared for it themselves. */
  preparedByMe: boolean
}

export interface RecordToSign {
  recordId: string
  date: IsoDate
  typeName: string
  role: 'supervisor' | 'supervisee'
}

export interface PersonFacts {
  /** Has current supervisees (or line reports). */
  supervises: boolean
  /** Has a current supervisor or line manager. */
  supervised: boolean
  /** Their sessions from a while ago to a few weeks ahead. */
  sessions: readonly PersonSession[]
  recordsToSign: readonly RecordToSign[]
  /** Open requests for a session waiting for their answer (as a supervisor asked, or for everyone as the DSL). */
  requestsWaiting: number
}

export interface HomeInput {
  today: IsoDate
  /** Null: not someone who sees the school's compliance. */
  dsl: DslFacts | null
  /** Null: not someone who sets the school up. */
  setup: SetupFacts | null
  person: PersonFacts
}

export interface SuperviseeBlock {
  next: { text: string; link: HomeLink } | null
  items: HomeItem[]
}

export interface HomeBlocks {
  /** The checklist while the school is being set up; null once every step is done, or not theirs. */
  setup: SetupStep[] | null
  dsl: HomeItem[] | null
  supervisor: HomeItem[] | null
  supervisee: SuperviseeBlock | null
}

/** How far ahead preparation is asked for. */
export const prepareWithinDays = 14
/** How far back a record still to write is looked for. */
export const recordsToWriteWithinDays = 90
/** How many single items of one kind are listed before "and more". */
export const listedAtMost = 5

/** "1 person", "2 people". */
export function counted(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`
}

function sessionWords(s: { typeName: string; date: IsoDate }): string {
  return `${s.typeName.charAt(0).toLowerCase()}${s.typeName.slice(1)} on ${formatLongDate(s.date)}`
}

function withWords(names: readonly string[]): string {
  return names.length === 0 ? '' : ` with ${names.join(', ')}`
}

/** Monday and Sunday of the week `today` is in. */
export function weekOf(today: IsoDate): { from: IsoDate; to: IsoDate } {
  const from = addDays(today, 1 - isoWeekday(today))
  return { from, to: addDays(from, 6) }
}

function byDate<T extends { date: IsoDate }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

function dslItems(f: DslFacts): HomeItem[] {
  const items: HomeItem[] = []
  const add = (key: string, n: number | null, text: (n: number) => string, link: HomeLink) => {
    if (n !== null && n > 0) items.push({ key, text: text(n), count: n, link })
  }
  add(
    'requests',
    f.requestsWaiting,
    (n) => `${counted(n, 'request', 'requests')} for a session waiting for an answer`,
    { to: 'requests' },
  )
  add(
    'decisions',
    f.decisionsPending,
    (n) => `${counted(n, 'decision', 'decisions')} about children to sign off or put on their records`,
    { to: 'decisions' },
  )
  add(
    'records-awaiting-signature',
    f.figures?.recordsAwaitingSignature ?? null,
    (n) => `${counted(n, 'record', 'records')} waiting for signatures`,
    { to: 'overview-list', list: 'records-awaiting-signature' },
  )
  add(
    'rebookings-at-risk',
    f.figures?.rebookingsAtRisk ?? null,
    (n) => `${counted(n, 'rebooking deadline', 'rebooking deadlines')} at risk`,
    { to: 'overview-list', list: 'rebookings-at-risk' },
  )
  add('overdue', f.figures?.overdue ?? null, (n) => `${counted(n, 'person', 'people')} overdue for supervision`, {
    to: 'overview-list',
    list: 'overdue',
  })
  add(
    'never-supervised',
    f.figures?.neverSupervised ?? null,
    (n) => `${counted(n, 'person', 'people')} never supervised`,
    { to: 'overview-list', list: 'never-supervised' },
  )
  add('escalations', f.openEscalations, (n) => `${counted(n, 'case escalation', 'case escalations')} open`, {
    to: 'escalations',
  })
  return items
}

/** The setup checklist, or null once every step is done. */
export function setupSteps(f: SetupFacts): SetupStep[] | null {
  const left = (n: number, what: string) =>
    f.inScope === 0
      ? 'No one is in scope of the policy yet'
      : n > 0
        ? `${counted(n, 'person', 'people')} ${what}`
        : null
  const steps: SetupStep[] = [
    {
      key: 'policy',
      text: 'Adopt your supervision policy',
      done: f.policyAdopted,
      hint: null,
      link: { to: 'policy' },
    },
    {
      key: 'calendar',
      text: `Check the school calendar for ${f.academicYear}`,
      done: f.calendarSaved,
      hint: null,
      link: { to: 'calendar' },
    },
    { key: 'staff', text: 'Import your staff', done: f.staffCount > 1, hint: null, link: { to: 'staff-import' } },
    {
      key: 'supervisors',
      text: 'Give everyone in scope a supervisor',
      done: f.inScope > 0 && f.inScopeWithoutSupervisor === 0,
      hint: left(f.inScopeWithoutSupervisor, 'in scope with no supervisor or line manager'),
      link: { to: 'staff' },
    },
    {
      key: 'plan',
      text: `Plan the sessions for ${f.academicYear}`,
      done: f.inScope > 0 && f.inScopeWithoutSession === 0,
      hint: left(f.inScopeWithoutSession, 'in scope with no session this year'),
      link: { to: 'planner' },
    },
    {
      key: 'contracts',
      text: `Issue supervision contracts for ${f.academicYear}`,
      done: f.inScope > 0 && f.inScopeWithoutContract === 0,
      hint: left(f.inScopeWithoutContract, 'in scope with no contract for the year'),
      link: { to: 'contracts-issue' },
    },
  ]
  return steps.every((s) => s.done) ? null : steps.map((s) => (s.done ? { ...s, hint: null } : s))
}

/** Single items of one kind, the first few by date, then one "more" item leading to the list. */
function listed<T>(all: readonly T[], item: (t: T) => HomeItem, more: (n: number) => HomeItem): HomeItem[] {
  const shown = all.slice(0, listedAtMost).map(item)
  return all.length > listedAtMost ? [...shown, more(all.length - listedAtMost)] : shown
}

function supervisorItems(p: PersonFacts, today: IsoDate, requestsWaiting: number | null): HomeItem[] {
  const items: HomeItem[] = []
  const week = weekOf(today)
  const leads = (s: PersonSession) => s.role === 'supervisor'
  const thisWeek = byDate(p.sessions.filter((s) => leads(s) && s.date >= week.from && s.date <= week.to))
  if (thisWeek.length > 0)
    items.push({
      key: 'this-week',
      text: `${counted(thisWeek.length, 'session', 'sessions')} to lead this week`,
      count: thisWeek.length,
      link: { to: 'your-sessions' },
    })
  if (requestsWaiting !== null && requestsWaiting > 0)
    items.push({
      key: 'requests',
      text: `${counted(requestsWaiting, 'request', 'requests')} for a session waiting for your answer`,
      count: requestsWaiting,
      link: { to: 'requests' },
    })
  const toWrite = byDate(
    p.sessions.filter(
      (s) =>
        s.writesRecord &&
        // Held, or planned on a day gone by and not yet marked: not one still to come today.
        (s.status === 'held' ? s.date <= today : s.date < today) &&
        s.date >= addDays(today, -recordsToWriteWithinDays) &&
        !s.recordStatuses.some((r) => r === 'completed' || r === 'signed'),
    ),
  )
  items.push(
    ...listed(
      toWrite,
      (s) => ({
        key: 'record-to-write',
        text: `Write the record of the ${sessionWords(s)}${withWords(s.withNames)}`,
        count: null,
        link: { to: 'session-records', sessionId: s.id },
      }),
      (n) => ({
        key: 'records-to-write-more',
        text: `${counted(n, 'more record', 'more records')} to write`,
        count: n,
        link: { to: 'records' },
      }),
    ),
  )
  items.push(...signItems(p, 'supervisor'))
  const prepared = byDate(
    p.sessions.filter((s) => leads(s) && s.status === 'planned' && s.date >= today && s.preparedBy.length > 0),
  )
  items.push(
    ...listed(
      prepared,
      (s) => ({
        key: 'preparation-received',
        text: `Read what ${s.preparedBy.join(', ')} prepared for the ${sessionWords(s)}`,
        count: null,
        link: { to: 'session-records', sessionId: s.id },
      }),
      (n) => ({
        key: 'preparation-received-more',
        text: `Preparation received for ${counted(n, 'more session', 'more sessions')}`,
        count: n,
        link: { to: 'your-sessions' },
      }),
    ),
  )
  return items
}

function signItems(p: PersonFacts, role: 'supervisor' | 'supervisee'): HomeItem[] {
  return listed(
    byDate(p.recordsToSign.filter((r) => r.role === role)),
    (r) => ({
      key: 'record-to-sign',
      text: `Read and sign the record of the ${sessionWords(r)}`,
      count: null,
      link: { to: 'record', recordId: r.recordId },
    }),
    (n) => ({
      key: 'records-to-sign-more',
      text: `${counted(n, 'more record', 'more records')} to sign`,
      count: n,
      link: { to: 'records' },
    }),
  )
}

function superviseeBlock(p: PersonFacts, today: IsoDate): SuperviseeBlock {
  const upcoming = byDate(
    p.sessions.filter((s) => s.role === 'supervisee' && s.status === 'planned' && s.date >= today),
  )
  const first = upcoming[0]
  const next = first
    ? {
        text: `${first.typeName} on ${formatLongDate(first.date)}${first.startTime ? ` at ${first.startTime}` : ''}${withWords(first.withNames)}`,
        link: { to: 'session', sessionId: first.id } as HomeLink,
      }
    : null
  const items: HomeItem[] = []
  const toPrepare = upcoming.filter((s) => !s.preparedByMe && s.date <= addDays(today, prepareWithinDays))
  items.push(
    ...toPrepare.slice(0, listedAtMost).map((s) => ({
      key: 'prepare',
      text: `Prepare for your ${sessionWords(s)}`,
      count: null,
      link: { to: 'preparation', sessionId: s.id } as HomeLink,
    })),
  )
  items.push(...signItems(p, 'supervisee'))
  if (!first)
    items.push({ key: 'ask', text: 'Ask for a supervision session', count: null, link: { to: 'new-request' } })
  return { next, items }
}

/** The home page's blocks for one person. */
export function homeBlocks(input: HomeInput): HomeBlocks {
  const { person: p, today } = input
  const dsl = input.dsl ? dslItems(input.dsl) : null
  const leadsAny =
    p.sessions.some((s) => s.role !== 'supervisee') || p.recordsToSign.some((r) => r.role === 'supervisor')
  // The DSL's block holds the requests when it shows them; otherwise a supervisor's own are in theirs.
  const requestsInDsl = input.dsl !== null && input.dsl.requestsWaiting !== null
  const supervisor =
    p.supervises || leadsAny || (!requestsInDsl && p.requestsWaiting > 0)
      ? supervisorItems(p, today, requestsInDsl ? null : p.requestsWaiting)
      : null
  const receivesAny =
    p.sessions.some((s) => s.role === 'supervisee') || p.recordsToSign.some((r) => r.role === 'supervisee')
  const supervisee = p.supervised || receivesAny ? superviseeBlock(p, today) : null
  return { setup: input.setup ? setupSteps(input.setup) : null, dsl, supervisor, supervisee }
}
