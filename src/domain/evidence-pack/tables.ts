/**
 * The evidence pack's spreadsheets (issue 16, ADR 34), as headings and rows from plain facts:
 * names, dates, kinds and statuses, never what was said in supervision. Dates as YYYY-MM-DD
 * (the CSV convention of the overview's files). The service writes them with `toCsv`. Pure.
 */
import type { IsoDate, SchoolCalendar } from '../calendar/index.ts'
import {
  type CancellationFact,
  type ComplianceStatus,
  type PersonCompliance,
  rebookingDeadline,
  type SessionFact,
} from '../compliance/index.ts'
import type { CsvCell } from '../overview/csv.ts'
import type { SupervisorEntry } from '../overview/model.ts'
import { flagHolds, type Person } from '../people/person.ts'
import type { PolicyBook, PolicyDocument } from '../policy/index.ts'
import { type RecordStatus, recordStatusLabels } from '../records/status.ts'
import type { PackRange } from './files.ts'

export interface Sheet {
  head: string[]
  rows: CsvCell[][]
}

const within = (date: IsoDate, range: PackRange) => date >= range.from && date <= range.to

export const complianceStatusLabels: Readonly<Record<ComplianceStatus, string>> = {
  'not-required': 'Not required',
  compliant: 'Up to date',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  'never-supervised': 'Never supervised',
}

export const sessionStatusLabels: Readonly<Record<SessionFact['status'], string>> = {
  held: 'Held',
  cancelled: 'Cancelled',
  'did-not-attend': 'Did not attend',
  planned: 'Planned',
}

/** Every version of the policy, and whether it was in force at some time in the range. */
export function versionsSheet(versions: readonly PolicyDocument[], inForce: ReadonlySet<number>): Sheet {
  return {
    head: [
      'Version',
      'In force from',
      'In force in the period',
      'Title',
      'Approved on',
      'Approved by',
      'Next review due',
    ],
    rows: [...versions]
      .sort((a, b) => a.version - b.version)
      .map((v) => [
        v.version,
        v.effectiveFrom,
        inForce.has(v.version),
        v.metadata.title,
        v.metadata.approvedOn,
        v.metadata.approvedBy,
        v.metadata.nextReviewDue,
      ]),
  }
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-GB')

/** Who must be supervised on the range's last day, from when, and why. */
export function inScopeSheet(compliance: readonly PersonCompliance[], people: readonly Person[]): Sheet {
  const byId = new Map(people.map((p) => [p.id, p]))
  return {
    head: ['Name', 'Job title', 'In scope from', 'Why'],
    rows: compliance
      .filter((c) => c.required)
      .sort(byName)
      .map((c) => [c.name, byId.get(c.personId)?.jobTitle ?? '', c.inScopeFrom, c.reason]),
  }
}

/** How each person in scope stood on the range's last day, and the breaches that fell in the range. */
export function complianceSheet(compliance: readonly PersonCompliance[], range: PackRange): Sheet {
  return {
    head: [
      'Name',
      'Status',
      'Last session',
      'Next due',
      'Why due then',
      'Breaches in the period',
      'What was breached',
      'Escalation reached',
    ],
    rows: compliance
      .filter((c) => c.required)
      .sort(byName)
      .map((c) => {
        const breaches = c.breaches.filter((b) =>
          within(b.kind === 'rebooking-deadline-missed' ? b.deadline : b.dueBy, range),
        )
        return [
          c.name,
          complianceStatusLabels[c.status],
          c.lastSession,
          c.nextDue,
          c.requirements.map((r) => r.dueBecause).join('; '),
          breaches.length,
          breaches.map((b) => b.message).join('; '),
          c.escalations.map((e) => e.action).join('; '),
        ]
      }),
  }
}

export interface RecordState {
  status: RecordStatus
}

/** Every session dated in the range, oldest first: who took part and the state of its record. */
export function sessionsSheet(input: {
  sessions: readonly SessionFact[]
  range: PackRange
  book: Pick<PolicyBook, 'typeName'>
  names: ReadonlyMap<string, string>
  records: ReadonlyMap<string, RecordState>
}): Sheet {
  const name = (id: string) => input.names.get(id) ?? 'Someone no longer at the school'
  return {
    head: ['Date', 'Kind of supervision', 'Status', 'Supervisors', 'Supervisees', 'Record'],
    rows: input.sessions
      .filter((s) => within(s.date, input.range))
      .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.id < b.id ? -1 : 1))
      .map((s) => {
        const record = input.records.get(s.id)
        return [
          s.date,
          input.book.typeName(s.typeId, s.date),
          sessionStatusLabels[s.status],
          s.supervisorIds.map(name).join('; '),
          s.superviseeIds.map(name).join('; '),
          record ? recordStatusLabels[record.status] : s.status === 'held' ? 'No record' : '',
        ]
      }),
  }
}

export type DeadlineOutcome = 'met' | 'missed' | 'open' | 'none'

export const deadlineOutcomeLabels: Readonly<Record<DeadlineOutcome, string>> = {
  met: 'Met',
  missed: 'Missed',
  open: 'Not yet passed',
  none: 'No deadline',
}

/** Whether a cancelled session was rebooked by its deadline, on `asAt` (CA-03). */
export function deadlineOutcome(deadline: IsoDate | null, rebookedFor: IsoDate | null, asAt: IsoDate): DeadlineOutcome {
  if (deadline === null) return 'none'
  if (rebookedFor !== null && rebookedFor <= deadline) return 'met'
  return deadline < asAt ? 'missed' : 'open'
}

/** Sessions in the range that did not take place: reason, rebooking deadline, rebooking, and the outcome on the range's last day. */
export function cancellationsSheet(input: {
  cancellations: readonly CancellationFact[]
  range: PackRange
  book: Pick<PolicyBook, 'on' | 'typeName'>
  calendar: SchoolCalendar
  names: ReadonlyMap<string, string>
}): Sheet {
  const name = (id: string) => input.names.get(id) ?? 'Someone no longer at the school'
  return {
    head: ['Date', 'Kind of supervision', 'Reason', 'Supervisees', 'Rebooking deadline', 'Rebooked for', 'Deadline'],
    rows: input.cancellations
      .filter((c) => within(c.date, input.range))
      .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.id < b.id ? -1 : 1))
      .map((c) => {
        const policy = input.book.on(c.date)
        const deadline = policy ? rebookingDeadline(policy, input.calendar, c) : null
        const reason = policy?.cancellation.reasons.find((r) => r.id === c.reasonId)?.name ?? c.reasonId
        return [
          c.date,
          c.typeId ? input.book.typeName(c.typeId, c.date) : '',
          reason,
          c.superviseeIds.map(name).join('; '),
          deadline,
          c.rebookedFor,
          deadlineOutcomeLabels[deadlineOutcome(deadline, c.rebookedFor, input.range.to)],
        ]
      }),
  }
}

export interface SignedContract {
  superviseeName: string
  supervisorName: string
  academicYear: string
  issuedOn: IsoDate | null
  signedOn: IsoDate
  /** Signed, or since replaced by a newer contract. */
  status: 'signed' | 'superseded'
}

export function contractsSheet(contracts: readonly SignedContract[]): Sheet {
  return {
    head: ['Supervisee', 'Supervisor', 'Academic year', 'Issued on', 'Signed by everyone on', 'Still in force'],
    rows: [...contracts]
      .sort((a, b) =>
        a.signedOn !== b.signedOn
          ? a.signedOn < b.signedOn
            ? -1
            : 1
          : a.superviseeName.localeCompare(b.superviseeName),
      )
      .map((c) => [c.superviseeName, c.supervisorName, c.academicYear, c.issuedOn, c.signedOn, c.status === 'signed']),
  }
}

/**
 * The training Haven holds (LH-08, PL-05, MW-01): for every supervisor (as the overview counts
 * them) and every trained designated safeguarding lead, the supervisor training date, the DSL
 * training and since when, and when each supervisor was last supervised themselves.
 */
export function trainingSheet(input: {
  supervisors: readonly SupervisorEntry[]
  people: readonly Person[]
  asAt: IsoDate
}): Sheet {
  const byId = new Map(input.people.map((p) => [p.id, p]))
  const supervisorIds = new Set(input.supervisors.map((s) => s.id))
  const dsls = input.people.filter((p) => !supervisorIds.has(p.id) && flagHolds(p, 'trainedDsl', input.asAt))
  const rows: { name: string; cells: CsvCell[] }[] = [
    ...input.supervisors.map((s) => {
      const person = byId.get(s.id)
      const dsl = person ? flagHolds(person, 'trainedDsl', input.asAt) : false
      return {
        name: s.name,
        cells: [
          s.name,
          s.jobTitle,
          true,
          s.trainedOn,
          dsl,
          dsl ? (person?.flagDates?.trainedDsl?.since ?? null) : null,
          s.lastSupervisedOn,
        ],
      }
    }),
    ...dsls.map((p) => ({
      name: p.name,
      cells: [p.name, p.jobTitle, false, p.supervisorTrainedOn, true, p.flagDates?.trainedDsl?.since ?? null, null],
    })),
  ]
  return {
    head: [
      'Name',
      'Job title',
      'Supervises others',
      'Supervisor training completed on',
      'Trained designated safeguarding lead',
      'DSL training recorded from',
      'Last supervised themselves on',
    ],
    rows: rows.sort(byName).map((r) => r.cells),
  }
}
