/**
 * `haven demo --pack <id>`: a living school in a minute. Creates a school whose short name is the
 * pack id, with realistic (invented) staff, a term of supervision history chosen so that the
 * school shows every status — compliant, due soon, overdue, never supervised — and a cancelled
 * session whose rebooking deadline has passed; then prints how to sign in.
 */
import crypto from 'node:crypto'
import type { Db } from '../../db/database.ts'
import {
  demoPeople,
  firstOrganisationId,
  insertDemoAccount,
  insertDemoCancellation,
  insertDemoIssuedContract,
  insertDemoOverride,
  insertDemoPerson,
  insertDemoRequest,
  insertDemoSchool,
  insertDemoSession,
  replaceDemoOverrides,
  schoolSlugTaken,
  setDemoLineManager,
  updateDemoDsl,
} from '../../db/repositories/demo.ts'
import { latestPolicyDocument } from '../../db/repositories/policy.ts'
import { recordInOrganisation } from '../../db/repositories/records/records.ts'
import { sessionForRecord } from '../../db/repositories/records/sessions.ts'
import { academicYearIdFor, addDays, type SchoolCalendar } from '../../domain/calendar/index.ts'
import {
  assessCompliance,
  type CancellationFact,
  type ComplianceStatus,
  type SessionFact,
} from '../../domain/compliance/index.ts'
import type { AgreedTerms } from '../../domain/contracts/model.ts'
import { contractContentHash, renderContractText } from '../../domain/contracts/render.ts'
import type { EmploymentType, IsoDate, Person, PersonFlags } from '../../domain/people/person.ts'
import { noFlags } from '../../domain/people/person.ts'
import type { PersonOverride, PolicyDocument } from '../../domain/policy/index.ts'
import { closedDayWarning } from '../../domain/scheduling/closed-days.ts'
import { requestTopics } from '../../domain/scheduling/session-types.ts'
import { isPackId, loadPack } from '../../packs/index.ts'
import { templateById } from '../../packs/templates.ts'
import { recordAudit } from '../audit.ts'
import { setUpOrganisation } from '../auth/accounts.ts'
import { hashPassword } from '../auth/passwords.ts'
import { stepUp } from '../auth/step-up.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { adoptablePolicy } from '../policy/store.ts'
import { completeRecord, type DraftInput, signRecord, startRecord } from '../records/records.ts'

export class DemoError extends Error {
  override name = 'DemoError'
}

interface RosterEntry {
  key: string
  name: string
  jobTitle: string
  roles: string[]
  flags?: Partial<PersonFlags>
  employmentType?: EmploymentType
  partTime?: boolean
  workingDays?: (1 | 2 | 3 | 4 | 5)[]
  /** Days before today that the person started. */
  startedDaysAgo: number
  manager: 'head' | 'dsl' | 'deputy' | null
  supervisorTrained?: boolean
}

/** Invented people. Every pack's scope rules find several of them. */
const roster: RosterEntry[] = [
  {
    key: 'head',
    name: 'Helen Ashworth',
    jobTitle: 'Headteacher',
    roles: ['headteacher', 'line-manager'],
    startedDaysAgo: 3000,
    manager: null,
    supervisorTrained: true,
  },
  {
    key: 'dsl',
    name: 'Daniel Okafor',
    jobTitle: 'Designated safeguarding lead',
    roles: ['dsl', 'administrator', 'line-manager'],
    flags: { trainedDsl: true, pastoralResponsibilities: true },
    startedDaysAgo: 2500,
    manager: 'head',
    supervisorTrained: true,
  },
  {
    key: 'deputy',
    name: 'Priya Raman',
    jobTitle: 'Deputy designated safeguarding lead',
    roles: ['deputy-dsl', 'line-manager'],
    flags: { trainedDsl: true, pastoralResponsibilities: true },
    startedDaysAgo: 1800,
    manager: 'dsl',
    supervisorTrained: true,
  },
  {
    key: 'senco',
    name: 'Grace Whitfield',
    jobTitle: 'SENCO',
    roles: ['senco'],
    flags: { pastoralResponsibilities: true },
    startedDaysAgo: 1500,
    manager: 'dsl',
  },
  {
    key: 'mentor',
    name: 'Tom Birch',
    jobTitle: 'Learning mentor',
    roles: ['learning-mentor'],
    flags: { pastoralResponsibilities: true },
    startedDaysAgo: 900,
    manager: 'dsl',
  },
  {
    key: 'eyfs1',
    name: 'Sophie Lambert',
    jobTitle: 'Reception teacher',
    roles: ['eyfs-practitioner', 'class-teacher'],
    flags: { worksInEyfs: true },
    startedDaysAgo: 1200,
    manager: 'deputy',
  },
  {
    key: 'eyfs2',
    name: 'Aisha Begum',
    jobTitle: 'Nursery practitioner',
    roles: ['eyfs-practitioner'],
    flags: { worksInEyfs: true },
    partTime: true,
    workingDays: [1, 2, 3],
    startedDaysAgo: 700,
    manager: 'deputy',
  },
  {
    key: 'eyfs3',
    name: 'Kieran Doyle',
    jobTitle: 'Early years teaching assistant',
    roles: ['eyfs-practitioner', 'teaching-assistant'],
    flags: { worksInEyfs: true },
    startedDaysAgo: 400,
    manager: 'deputy',
  },
  {
    key: 'pastoral',
    name: 'Marcus Reid',
    jobTitle: 'Pastoral lead',
    roles: ['pastoral-lead'],
    flags: { pastoralResponsibilities: true },
    startedDaysAgo: 1100,
    manager: 'dsl',
    supervisorTrained: true,
  },
  {
    key: 'yearhead',
    name: 'Olivia Grant',
    jobTitle: 'Head of Year 6',
    roles: ['year-head', 'class-teacher'],
    flags: { pastoralResponsibilities: true },
    startedDaysAgo: 1300,
    manager: 'dsl',
  },
  {
    key: 'family',
    name: 'Naomi Fletcher',
    jobTitle: 'Child and family support worker',
    roles: ['child-family-support-worker'],
    flags: { pastoralResponsibilities: true },
    startedDaysAgo: 600,
    manager: 'dsl',
  },
  {
    key: 'teacher1',
    name: 'Ben Carter',
    jobTitle: 'Year 3 teacher',
    roles: ['class-teacher'],
    flags: { earlyCareer: true },
    startedDaysAgo: 200,
    manager: 'yearhead' as never,
  },
  {
    key: 'teacher2',
    name: 'Ruth Menon',
    jobTitle: 'Year 5 teacher',
    roles: ['class-teacher'],
    startedDaysAgo: 2000,
    manager: 'deputy',
  },
  {
    key: 'ta1',
    name: 'Jake Holloway',
    jobTitle: 'Teaching assistant',
    roles: ['teaching-assistant'],
    employmentType: 'agency',
    startedDaysAgo: 20,
    manager: 'deputy',
  },
  {
    key: 'ta2',
    name: 'Ella Novak',
    jobTitle: 'Teaching assistant',
    roles: ['teaching-assistant'],
    startedDaysAgo: 800,
    manager: 'deputy',
  },
]

const targets: ComplianceStatus[] = [
  'compliant',
  'due-soon',
  'overdue',
  'never-supervised',
  'compliant',
  'due-soon',
  'overdue',
]

export interface DemoResult {
  schoolSlug: string
  schoolName: string
  signIn: { email: string; password: string; name: string }[]
  counts: Record<string, number>
}

function randomPassword(): string {
  const words = ['amber', 'harbour', 'lantern', 'meadow', 'copper', 'willow', 'beacon', 'thistle', 'granite', 'orchard']
  const pick = () => words[crypto.randomInt(words.length)]
  return `${pick()} ${pick()} ${pick()} ${crypto.randomInt(100, 999)}`
}

/**
 * Moves a date back to the nearest day the school is open (issue 18): sessions are not held at
 * weekends, on bank holidays, on closure days or in the school holidays: the booking pages' own rule.
 */
export function openDayOnOrBefore(calendar: SchoolCalendar, date: IsoDate): IsoDate {
  let d = date
  while (closedDayWarning(calendar, d) !== null) d = addDays(d, -1)
  return d
}

export async function buildDemo(
  db: Db,
  input: { packId: string; today: IsoDate; baseUrl: string },
): Promise<DemoResult> {
  if (!isPackId(input.packId))
    throw new DemoError(`there is no policy pack "${input.packId}"; run "haven packs" to see them`)
  const packName = loadPack(input.packId).metadata.school
  // In force from the start of last academic year, so the history has a policy to be judged by.
  const pack: PolicyDocument = adoptablePolicy(input.packId, packName, addDays(input.today, -365))
  const slug = input.packId
  if (await schoolSlugTaken(db, slug)) {
    throw new DemoError(`a school with the short name "${slug}" already exists`)
  }
  const domain = `${slug}.demo.invalid`
  const password = randomPassword()
  const dslEntry = roster.find((r) => r.key === 'dsl')!
  const dslEmail = `${dslEntry.name.toLowerCase().replace(/\s+/g, '.')}@${domain}`
  const org = await firstOrganisationId(db)
  let organisationId: string
  let schoolId: string
  let dslId: string
  if (org === null) {
    const created = await setUpOrganisation(db, {
      policy: pack,
      organisationKind: 'single-school',
      organisationName: '',
      schoolName: pack.metadata.school,
      schoolSlug: slug,
      region: 'england-and-wales',
      adminName: dslEntry.name,
      adminEmail: dslEmail,
      password,
      alsoDsl: true,
      packId: input.packId,
    })
    ;({ organisationId, schoolId, personId: dslId } = created)
  } else {
    organisationId = org
    const hash = await hashPassword(password)
    const made = await db.transaction().execute((trx) =>
      insertDemoSchool(trx, organisationId, {
        slug,
        name: pack.metadata.school,
        policy: pack,
        dsl: { name: dslEntry.name, email: dslEmail, passwordHash: hash },
      }),
    )
    schoolId = made.schoolId
    dslId = made.dslId
  }

  const today = input.today
  const policy = (await latestPolicyDocument(db, schoolId))!
  const calendar = await schoolCalendar(db, schoolId, today)
  const openDay = (date: IsoDate) => openDayOnOrBefore(calendar, date)
  const teacherPassword = randomPassword()
  const teacherHash = await hashPassword(teacherPassword)

  const ids = new Map<string, string>([['dsl', dslId]])
  const result = await db.transaction().execute(async (trx) => {
    // People, managers first.
    await updateDemoDsl(trx, schoolId, dslId, {
      jobTitle: dslEntry.jobTitle,
      roles: dslEntry.roles,
      startDate: addDays(today, -dslEntry.startedDaysAgo),
      supervisorTrainedOn: addDays(today, -400),
    })
    for (const entry of roster) {
      if (entry.key === 'dsl') continue
      const id = await insertDemoPerson(trx, organisationId, schoolId, {
        name: entry.name,
        email: `${entry.name.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}`,
        jobTitle: entry.jobTitle,
        roles: entry.roles,
        employmentType: entry.employmentType ?? 'permanent',
        partTime: entry.partTime ?? false,
        workingDays: entry.workingDays ?? [1, 2, 3, 4, 5],
        startDate: addDays(today, -entry.startedDaysAgo),
        endDate: null,
        flags: { ...noFlags, ...entry.flags },
        supervisorTrainedOn: entry.supervisorTrained ? addDays(today, -400) : null,
      })
      ids.set(entry.key, id)
    }
    for (const entry of roster) {
      const manager = entry.manager ? ids.get(entry.manager) : null
      if (manager) await setDemoLineManager(trx, schoolId, ids.get(entry.key)!, manager)
    }
    const teacherId = ids.get('teacher2')!
    await insertDemoAccount(trx, schoolId, teacherId, teacherHash)

    const people: Person[] = await demoPeople(trx, schoolId)
    const byId = new Map(people.map((p) => [p.id, p]))

    // The PLACE agrees each person's frequency in their contract: give everyone half-termly.
    const overrides: PersonOverride[] = []
    const firstRequirement = policy.requirements[0]
    if (firstRequirement && firstRequirement.frequency === null) {
      for (const p of people) {
        overrides.push({
          kind: 'frequency',
          personId: p.id,
          requirementId: firstRequirement.id,
          frequency: { every: 1, unit: 'half-terms', termTimeOnly: true, wording: 'every half term' },
          reason: 'Agreed in the supervision contract',
          from: null,
          source: 'contract',
        })
      }
    }
    for (const o of overrides) {
      await insertDemoOverride(trx, schoolId, o)
    }

    const base = assessCompliance({ policy, calendar, people, sessions: [], overrides, today })
    const required = base.filter((r) => r.required)
    const sessions: SessionFact[] = []
    const cancellations: CancellationFact[] = []
    const supervisorOf = (personId: string) => {
      const person = byId.get(personId)!
      const candidate = person.lineManagerId ?? ids.get('head')!
      if (candidate !== personId) return candidate
      return personId === ids.get('dsl') ? ids.get('deputy')! : ids.get('dsl')!
    }
    const insertSession = async (fact: Omit<SessionFact, 'id'>, extra: { notes?: string } = {}) => {
      const id = await insertDemoSession(trx, schoolId, {
        typeId: fact.typeId,
        date: fact.date,
        startTime: '15:45',
        durationMinutes: firstRequirement?.expectedMinutes ?? 60,
        venue: 'Meeting room 2',
        status: fact.status,
        notes: extra.notes ?? null,
        createdBy: dslId,
        supervisorIds: fact.supervisorIds,
        superviseeIds: fact.superviseeIds,
      })
      sessions.push({ ...fact, id })
      return id
    }

    const counts: Record<string, number> = {}
    let cancellationMade = false
    // Ruth Menon's sessions and records are the live work made below.
    for (const [index, person] of required.filter((r) => r.personId !== teacherId).entries()) {
      const target = targets[index % targets.length]!
      const requirement = person.requirements[0]
      const typeId =
        policy.requirements.find((r) => r.id === requirement?.requirementId)?.sessionTypes[0] ??
        policy.sessionTypes[0]!.id
      const supervisor = supervisorOf(person.personId)
      const assessOne = (last: IsoDate | null) =>
        assessCompliance({
          policy,
          calendar,
          people: [byId.get(person.personId)!],
          sessions: last
            ? [
                {
                  id: 'probe',
                  typeId,
                  date: last,
                  supervisorIds: [supervisor],
                  superviseeIds: [person.personId],
                  status: 'held',
                },
              ]
            : [],
          overrides,
          today,
        })[0]!
      let last: IsoDate | null = null
      // Walk back from today, over days the school is open, until the person has the status wanted.
      const walk = (): IsoDate | null => {
        for (let back = 7; back < 400; back += 1) {
          const candidate = openDay(addDays(today, -back))
          if (assessOne(candidate).status === target)
            return target === 'overdue' ? openDay(addDays(candidate, -10)) : candidate
        }
        return null
      }
      if (target !== 'never-supervised') {
        last = walk()
        // Issue 18: someone is due soon on any day the demo is made. Under the policy's own rule nobody
        // may be (early in a half term, or in the holidays, when a term-time rule falls due at the end
        // of term): this person's contract then agrees a frequency in weeks of the calendar, the
        // longest that makes them due soon after a session on a day the school was open.
        const original = overrides.filter((o) => o.personId === person.personId)
        for (const weeks of [8, 7, 6, 5, 4, 3, 2]) {
          if (last !== null || target !== 'due-soon' || !requirement) break
          const agreed: PersonOverride = {
            kind: 'frequency',
            personId: person.personId,
            requirementId: requirement.requirementId,
            frequency: { every: weeks, unit: 'weeks', termTimeOnly: false, wording: `every ${weeks} weeks` },
            reason: 'Agreed in the supervision contract',
            from: null,
            source: 'contract',
          }
          const own = overrides.findIndex((o) => o.personId === person.personId && o.kind === 'frequency')
          if (own >= 0) overrides.splice(own, 1, agreed)
          else overrides.push(agreed)
          last = walk()
          if (last !== null) await replaceDemoOverrides(trx, schoolId, person.personId, [agreed])
        }
        if (last === null && target === 'due-soon') {
          // None would do: the contract follows the policy after all.
          const kept = overrides.filter((o) => o.personId !== person.personId)
          overrides.splice(0, overrides.length, ...kept, ...original)
        }
        // Some statuses cannot happen on some days (nobody is "due soon" early in a half term under a
        // half-termly rule): such a person is simply up to date.
        last ??= openDay(addDays(today, -7))
      }
      if (last) {
        await insertSession({
          typeId,
          date: last,
          supervisorIds: [supervisor],
          superviseeIds: [person.personId],
          status: 'held',
          tags: [],
        })
        // Earlier sessions back to the start of the policy, at a comfortable spacing, so each person
        // has a real history and only the recent weeks decide their status.
        const frequency = policy.requirements.find((r) => r.id === requirement?.requirementId)?.frequency ?? {
          every: 1,
          unit: 'half-terms',
        }
        const unitDays =
          { weeks: 7, months: 30, 'half-terms': 42, terms: 84, 'academic-years': 252 }[frequency.unit] ?? 42
        const spacing = Math.max(14, Math.floor(frequency.every * unitDays * 0.6))
        for (
          let d = openDay(addDays(last, -spacing));
          d > addDays(policy.effectiveFrom, 7);
          d = openDay(addDays(d, -spacing))
        ) {
          await insertSession({
            typeId,
            date: d,
            supervisorIds: [supervisor],
            superviseeIds: [person.personId],
            status: 'held',
            tags: [],
          })
        }
      }
      if (!cancellationMade && target === 'overdue' && policy.cancellation.reasons.length > 0) {
        // A session cancelled three weeks ago and never rebooked: its deadline has passed.
        const date = openDay(addDays(today, -21))
        const sessionId = await insertSession(
          {
            typeId,
            date,
            supervisorIds: [supervisor],
            superviseeIds: [person.personId],
            status: 'cancelled',
            tags: [],
          },
          { notes: 'Cancelled for the demonstration' },
        )
        const reason = policy.cancellation.reasons.find((r) => !r.absence) ?? policy.cancellation.reasons[0]!
        const cancellationId = await insertDemoCancellation(trx, schoolId, {
          sessionId,
          reasonId: reason.id,
          reasonNote: 'A safeguarding meeting ran over',
          cancelledBy: supervisor,
        })
        cancellations.push({
          id: cancellationId,
          sessionId,
          typeId,
          date,
          superviseeIds: [person.personId],
          reasonId: reason.id,
          returnDate: null,
          rebookedFor: null,
        })
        cancellationMade = true
      }
    }
    const final = assessCompliance({ policy, calendar, people, sessions, cancellations, overrides, today })
    for (const r of final) counts[r.status] = (counts[r.status] ?? 0) + 1
    counts['rebooking-deadline-missed'] = final.filter((r) =>
      r.breaches.some((b) => b.kind === 'rebooking-deadline-missed'),
    ).length
    await recordAudit(trx, {
      action: 'demo.created',
      subjectType: 'school',
      subjectId: schoolId,
      organisationId,
      schoolId,
      detail: { packId: slug, people: people.length, sessions: sessions.length },
    })
    return {
      schoolSlug: slug,
      schoolName: pack.metadata.school,
      signIn: [
        { name: `${dslEntry.name} (DSL and administrator)`, email: dslEmail, password },
        {
          name: 'Ruth Menon (class teacher)',
          email: byId.get(teacherId)!.email,
          password: teacherPassword,
        },
      ],
      counts,
    }
  })
  await addLiveWork(db, {
    organisationId,
    schoolId,
    schoolName: pack.metadata.school,
    policy,
    calendar,
    today,
    baseUrl: input.baseUrl,
    dsl: { id: dslId, name: dslEntry.name, password },
    teacher: { id: ids.get('teacher2')!, name: nameOf('teacher2'), password: teacherPassword },
    requester: { id: ids.get('ta2')!, name: nameOf('ta2') },
  })
  return result
}

function nameOf(key: string): string {
  return roster.find((r) => r.key === key)!.name
}

interface Signer {
  id: string
  name: string
  password: string
}

/**
 * Issue 18: the work a school has in hand on any day the demo is made, made through the services
 * the pages use so every record, signature and hash is as Haven would have left it. Ruth Menon,
 * supervised by the DSL, has three sessions on days the school was open, about three weeks apart:
 * - the first record is signed by both and holds a decision about a child, now waiting for the DSL;
 * - its action "Complete the attendance follow-up" is carried forward at the next two sessions (drifting);
 * - the second agrees an action due after today (open), and is signed by both;
 * - the third is signed by the DSL only: it waits for Ruth's signature.
 * Ruth's contract for the year is issued and unsigned; Ella Novak's request for a session waits.
 */
async function addLiveWork(
  db: Db,
  input: {
    organisationId: string
    schoolId: string
    schoolName: string
    policy: PolicyDocument
    calendar: SchoolCalendar
    today: IsoDate
    baseUrl: string
    dsl: Signer
    teacher: Signer
    requester: { id: string; name: string }
  },
): Promise<void> {
  const { policy, calendar, today, dsl, teacher } = input
  const mailer = { baseUrl: input.baseUrl }
  const actorOf = (s: Signer) => ({ personId: s.id, name: s.name, organisationId: input.organisationId })
  const typeId = policy.requirements[0]?.sessionTypes[0] ?? policy.sessionTypes[0]!.id
  const third = openDayOnOrBefore(calendar, addDays(today, -7))
  const second = openDayOnOrBefore(calendar, addDays(third, -21))
  const first = openDayOnOrBefore(calendar, addDays(second, -21))
  const template = templateById('ca-supervision-record')!

  const recordOn = async (
    date: IsoDate,
    draft: Pick<DraftInput, 'actions' | 'reviews' | 'decisions'>,
    summary: string,
    signers: Signer[],
  ) => {
    const sessionId = await insertDemoSession(db, input.schoolId, {
      typeId,
      date,
      startTime: '15:45',
      durationMinutes: policy.requirements[0]?.expectedMinutes ?? 60,
      venue: 'Meeting room 2',
      status: 'held',
      notes: null,
      createdBy: dsl.id,
      supervisorIds: [dsl.id],
      superviseeIds: [teacher.id],
    })
    const session = (await sessionForRecord(db, input.organisationId, sessionId))!
    const recordId = await startRecord(db, { session, policy, template, actor: actorOf(dsl) })
    const started = (await recordInOrganisation(db, input.organisationId, recordId))!
    const completed = await completeRecord(db, {
      recordId,
      expectedDraftVersion: started.draftVersion,
      draft: {
        values: { ...started.document.values, supervisionType: 'formal', progressOnTasks: 'Discussed', summary },
        boundary: '',
        ...draft,
      },
      actor: actorOf(dsl),
      today,
      mailer,
    })
    if (completed.outcome !== 'completed')
      throw new DemoError(`the demonstration record could not be completed: ${JSON.stringify(completed)}`)
    for (const signer of signers) {
      const step = await stepUp(db, {
        personId: signer.id,
        organisationId: input.organisationId,
        method: 'password',
        secret: signer.password,
        purpose: 'sign-record',
        targetId: recordId,
      })
      if (!step.ok) throw new DemoError('the demonstration record could not be signed')
      const signed = await signRecord(db, step.proof, {
        recordId,
        actor: actorOf(signer),
        shownHash: completed.contentHash,
        mailer,
      })
      if (!signed.ok && signed.reason !== 'not-a-signer')
        throw new DemoError(`the demonstration record could not be signed: ${signed.reason}`)
    }
    // Haven gives each new action its id when the record is saved: the ids the next records review.
    return (await recordInOrganisation(db, input.organisationId, recordId))!.document.actions.map((a) => a.id)
  }

  const action = (text: string, dueOn: IsoDate) => ({
    id: crypto.randomUUID(),
    text,
    ownerKind: 'supervisee' as const,
    ownerId: teacher.id,
    ownerName: teacher.name,
    dueOn,
  })
  const [drifting] = await recordOn(
    first,
    {
      actions: [action('Complete the attendance follow-up for the Year 5 pupil discussed', addDays(first, 14))],
      reviews: [],
      decisions: [
        {
          id: crypto.randomUUID(),
          kind: 'child',
          name: 'Child A (Year 5)',
          reference: '',
          decision: 'Refer to early help; the class teacher to log each absence the same day',
        },
      ],
    },
    'Attendance concerns about a pupil in Year 5 and the early help referral.',
    [dsl, teacher],
  )
  const [open] = await recordOn(
    second,
    {
      actions: [action('Read the updated guidance on online safety', addDays(today, 21))],
      reviews: [{ actionId: drifting!, status: 'carried-forward', reason: '' }],
      decisions: [],
    },
    'Workload and the attendance follow-up, not yet done.',
    [dsl, teacher],
  )
  await recordOn(
    third,
    {
      actions: [],
      reviews: [
        { actionId: drifting!, status: 'carried-forward', reason: '' },
        { actionId: open!, status: 'in-progress', reason: '' },
      ],
      decisions: [],
    },
    'The attendance follow-up is still waiting; online safety reading under way.',
    [dsl],
  )

  const topic = requestTopics(policy)[0]
  if (topic)
    await insertDemoRequest(db, input.organisationId, input.schoolId, {
      requesterId: input.requester.id,
      supervisorId: dsl.id,
      topic,
      note: 'A difficult conversation with a parent this week: could we talk it through?',
      preferredDates: [],
    })

  await issueDemoContract(db, input)
}

/** Ruth Menon's contract for this academic year, issued by the DSL and signed by nobody yet. */
async function issueDemoContract(
  db: Db,
  input: {
    organisationId: string
    schoolId: string
    schoolName: string
    policy: PolicyDocument
    today: IsoDate
    dsl: Signer
    teacher: Signer
  },
): Promise<void> {
  const template = templateById(input.policy.templates.contract ?? '') ?? templateById('mw-contract')
  if (!template) return
  const requirement = input.policy.requirements[0] ?? null
  const academicYear = academicYearIdFor(input.today)
  const terms: AgreedTerms = { requirementId: requirement?.id ?? null, frequency: null, values: {} }
  const { title, clauses } = renderContractText({
    template,
    policy: input.policy,
    requirement,
    schoolName: input.schoolName,
    supervisee: { name: input.teacher.name, role: 'Year 5 teacher' },
    supervisor: { name: input.dsl.name, role: 'Designated safeguarding lead' },
    terms,
  })
  const text = { title, clauses }
  const contentHash = contractContentHash({
    templateId: template.id,
    templateVersion: 1,
    policyVersion: 1,
    academicYear,
    superviseeId: input.teacher.id,
    supervisorId: input.dsl.id,
    agreed: terms,
    reviewOn: null,
    text,
  })
  await insertDemoIssuedContract(db, input.organisationId, input.schoolId, {
    superviseeId: input.teacher.id,
    supervisorId: input.dsl.id,
    issuedBy: input.dsl.id,
    templateId: template.id,
    academicYear,
    policyVersion: 1,
    agreed: terms,
    rendered: text,
    contentHash,
    issuedAt: new Date(),
  })
}
