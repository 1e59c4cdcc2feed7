/**
 * A small school for the overview tests (issue 9), with every figure's expected value worked out by
 * hand for Monday 23 November 2026 (autumn term, second half term: 2 November to 18 December).
 *
 * The policy is Lode Heath's (LH-02 five functions, LH-08 trained supervisors, at least once a term
 * and never more than 3 months apart), in force from 1 September 2024, with The Cornerstone
 * Academy's rebooking rule (CA-03: within 5 working days) for every session type, and a review due
 * on 10 December 2026 (X-08: within the month's reminder).
 *
 * People (in scope unless said):
 * - Helen Ashworth, headteacher: not in scope; Daniel's line manager; led Daniel's session on
 *   15 October 2026; no supervisor training; never supervised herself.
 * - Daniel Okafor, DSL: trained 2023; supervised on 15 October 2026 (all five functions) → up to date.
 * - Ada Brook, pastoral lead: sessions 20 May (external Sam), 15 September and 2 November 2026 →
 *   up to date; Eve's line manager; untrained. Functions: four covered, personal support not.
 * - Bea Clarke, head of year: last session 1 September 2026 → due by 1 December (3-month gap) →
 *   due soon; Eve's current supervisor; untrained. Her session of 17 November was cancelled and
 *   not rebooked: deadline 24 November, within 2 working days → at risk.
 * - Cal Doyle, SENCO, needs additional support (LH-03): last session 1 July 2026 → overdue; a
 *   session of 5 October was cancelled and never rebooked: deadline 12 October → missed.
 * - Dev Evans, child and family support worker: never supervised; his job title looks like a
 *   spreadsheet formula. A cancellation of 2 June 2025 (deadline 9 June 2025) is too old to count.
 * - Eve Fox, class teacher: not in scope; had a session with Daniel on 4 November 2026.
 * - Sam Gale, external supervisor: left out of the supervisor figures.
 * - Priya Raman, deputy DSL with supervisor training: supervised on 20 October 2026 → up to date.
 *
 * In scope 6; up to date 4 (66%); overdue 1; due soon 1; never supervised 1; rebooking at risk 1;
 * missed 1; records awaiting a signature 1 (Bea's, signed by Daniel only); contracts unsigned 1
 * (Bea's, waiting for the supervisor); overdue actions 1 (Bea's, due 1 November); drifting
 * actions 1 (Ada's, carried forward on 15 September and 2 November); supervisors untrained 3 (Ada,
 * Bea, Helen); not supervised 1 (Helen); functions not covered 5 (everyone but Daniel); over the
 * weekly limit of 1: Daniel (2 sessions in the week of 2 November).
 */
import crypto from 'node:crypto'
import type { Db } from '../../src/db/database.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { loadPack } from '../../src/packs/index.ts'
import { templateById } from '../../src/packs/templates.ts'
import { ADMIN_PASSWORD, insertOrganisation } from '../builders/organisation.ts'
import { testPasswordHash } from '../helpers/passwords.ts'

export const fixedToday = '2026-11-23'
export const driftingWording = 'Chase the review date of the child in need plan with the social worker'
export const overdueWording = 'Book the multi-agency meeting about the Year 9 pupil'
export const formulaJobTitle = "=cmd|' /C calc'!A0"

export function overviewPolicy(): PolicyDocument {
  const lodeHeath = loadPack('lode-heath')
  const cornerstone = loadPack('cornerstone')
  return {
    ...lodeHeath,
    effectiveFrom: '2024-09-01',
    metadata: { ...lodeHeath.metadata, nextReviewDue: '2026-12-10' },
    cancellation: {
      ...cornerstone.cancellation,
      rebooking: { ...cornerstone.cancellation.rebooking!, sessionTypes: [] },
    },
  }
}

const hash = (text: string) => crypto.createHash('sha256').update(text).digest('hex')

export interface OverviewSchool {
  organisationId: string
  schoolId: string
  adminId: string
  school: { id: string; organisationId: string; slug: string; name: string }
  ids: Record<string, string>
  emails: { dsl: string; head: string; teacher: string; deputy: string }
}

export async function buildOverviewSchool(db: Db): Promise<OverviewSchool> {
  const policy = overviewPolicy()
  const org = await insertOrganisation(db, { policy, packId: 'lode-heath' })
  const { organisationId, schoolId } = org
  const at = { organisation_id: organisationId, school_id: schoolId }
  const passwordHash = await testPasswordHash(ADMIN_PASSWORD)
  const ids: Record<string, string> = {}
  const person = async (
    key: string,
    values: {
      name: string
      roles: string[]
      job?: string
      trained?: string | null
      manager?: string
      additionalSupport?: boolean
      employment?: string
      account?: boolean
    },
  ) => {
    const row = await db
      .insertInto('person')
      .values({
        ...at,
        name: values.name,
        email: `${key}@oakfield.example`,
        job_title: values.job ?? '',
        roles: values.roles,
        start_date: '2020-09-01',
        supervisor_trained_on: values.trained ?? null,
        additional_support: values.additionalSupport ?? false,
        employment_type: values.employment ?? 'permanent',
        line_manager_id: values.manager ? ids[values.manager]! : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[key] = row.id
    if (values.account)
      await db.insertInto('account').values({ person_id: row.id, password_hash: passwordHash }).execute()
    return row.id
  }
  await person('helen', { name: 'Helen Ashworth', roles: ['headteacher'], job: 'Headteacher', account: true })
  await person('daniel', {
    name: 'Daniel Okafor',
    roles: ['dsl'],
    job: 'Designated safeguarding lead',
    trained: '2023-01-01',
    manager: 'helen',
    account: true,
  })
  await person('ada', { name: 'Ada Brook', roles: ['pastoral-lead'], job: 'Pastoral lead', manager: 'daniel' })
  await person('bea', { name: 'Bea Clarke', roles: ['year-head'], job: 'Head of Year 9', manager: 'daniel' })
  await person('cal', { name: 'Cal Doyle', roles: ['senco'], job: 'SENCO', manager: 'daniel', additionalSupport: true })
  await person('dev', {
    name: 'Dev Evans',
    roles: ['child-family-support-worker'],
    job: formulaJobTitle,
    manager: 'daniel',
  })
  await person('eve', {
    name: 'Eve Fox',
    roles: ['class-teacher'],
    job: 'Class teacher',
    manager: 'ada',
    account: true,
  })
  await person('sam', {
    name: 'Sam Gale',
    roles: ['external-supervisor'],
    job: 'Independent supervisor',
    employment: 'external',
  })
  await person('priya', {
    name: 'Priya Raman',
    roles: ['deputy-dsl'],
    job: 'Deputy DSL',
    manager: 'daniel',
    trained: '2024-01-01',
    account: true,
  })

  await db
    .insertInto('supervision_assignment')
    .values({
      organisation_id: organisationId,
      supervisee_id: ids.eve!,
      supervisor_id: ids.bea!,
      kind: 'supervisor',
      starts_on: '2026-09-01',
    })
    .execute()
  await db.insertInto('planner_setting').values({ school_id: schoolId, max_per_week: 1 }).execute()

  const session = async (
    key: string,
    date: string,
    supervisor: string,
    supervisee: string,
    over: { status?: 'held' | 'planned' | 'cancelled'; tags?: string[] } = {},
  ) => {
    const row = await db
      .insertInto('supervision_session')
      .values({
        school_id: schoolId,
        type_id: 'one-to-one',
        date,
        status: over.status ?? 'held',
        tags: over.tags ?? [],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const held = (over.status ?? 'held') === 'held'
    await db
      .insertInto('session_participant')
      .values([
        { session_id: row.id, person_id: ids[supervisor]!, role: 'supervisor', attended: held ? true : null },
        { session_id: row.id, person_id: ids[supervisee]!, role: 'supervisee', attended: held ? true : null },
      ])
      .execute()
    ids[key] = row.id
    return row.id
  }
  const allFive = [
    'management-oversight',
    'professional-development',
    'multi-agency-working',
    'voice-of-the-child',
    'personal-support',
  ]
  await session('s4', '2026-10-15', 'helen', 'daniel', { tags: allFive })
  await session('s5', '2026-05-20', 'sam', 'ada')
  await session('s1b', '2026-09-15', 'daniel', 'ada')
  await session('s1', '2026-11-02', 'daniel', 'ada', { tags: ['management-oversight', 'voice-of-the-child'] })
  await session('s10', '2026-11-04', 'daniel', 'eve')
  await session('s2', '2026-09-01', 'daniel', 'bea')
  await session('s3', '2026-07-01', 'daniel', 'cal')
  await session('s9', '2026-12-07', 'daniel', 'dev', { status: 'planned' })
  await session('p1', '2026-10-20', 'daniel', 'priya')
  const cancel = async (key: string, date: string, supervisee: string) => {
    const id = await session(key, date, 'daniel', supervisee, { status: 'cancelled' })
    await db
      .insertInto('session_cancellation')
      .values({
        session_id: id,
        school_id: schoolId,
        kind: 'cancelled',
        reason_id: 'unavoidable-circumstances',
        reason_note: 'The DSL was called to a strategy meeting',
      })
      .execute()
  }
  await cancel('s6', '2026-11-17', 'bea')
  await cancel('s7', '2026-10-05', 'cal')
  await cancel('s8', '2025-06-02', 'dev')

  // Records: a signed one for each of Ada's sessions (the 2 November one with functions ticked),
  // Bea's completed and signed by Daniel only, and a draft for Daniel's.
  const template = templateById('lh-management-oversight')!
  const record = async (
    key: string,
    sessionKey: string,
    status: 'draft' | 'completed' | 'signed',
    values: Record<string, unknown> = {},
  ) => {
    const document = { values, actions: [], reviews: [], carried: [], decisions: [], boundary: '', session: null }
    const done = status !== 'draft'
    const row = await db
      .insertInto('supervision_record')
      .values({
        school_id: schoolId,
        session_id: ids[sessionKey]!,
        template_id: template.id,
        template_version: template.version,
        template: JSON.stringify(template),
        document: JSON.stringify(document),
        status,
        content_hash: done ? hash(key) : null,
        completed_at: done ? new Date('2026-11-03T10:00:00Z') : null,
        locked_at: status === 'signed' ? new Date('2026-11-04T10:00:00Z') : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[key] = row.id
    return row.id
  }
  await record('r0', 's5', 'signed')
  await record('r1b', 's1b', 'signed')
  await record('r1', 's1', 'signed', { functions: ['professional-development', 'multi-agency-working'] })
  await record('r2', 's2', 'completed')
  await record('r3', 's4', 'draft')
  await db
    .insertInto('record_signature')
    .values({
      record_id: ids.r2!,
      person_id: ids.daniel!,
      role: 'supervisor',
      name: 'Daniel Okafor',
      content_hash: hash('r2'),
      method: 'password',
    })
    .execute()

  const action = async (
    key: string,
    recordKey: string,
    sessionKey: string,
    values: {
      description: string
      owner: string
      ownerName: string
      due?: string
      status: 'open' | 'carried-forward' | 'done'
    },
  ) => {
    const id = crypto.randomUUID()
    await db
      .insertInto('record_action')
      .values({
        id,
        school_id: schoolId,
        record_id: ids[recordKey]!,
        session_id: ids[sessionKey]!,
        description: values.description,
        owner_kind: 'supervisee',
        owner_person_id: ids[values.owner]!,
        owner_name: values.ownerName,
        due_on: values.due ?? null,
        status: values.status,
      })
      .execute()
    ids[key] = id
    return id
  }
  await action('act1', 'r2', 's2', {
    description: overdueWording,
    owner: 'bea',
    ownerName: 'Bea Clarke',
    due: '2026-11-01',
    status: 'open',
  })
  await action('act2', 'r0', 's5', {
    description: driftingWording,
    owner: 'ada',
    ownerName: 'Ada Brook',
    status: 'carried-forward',
  })
  await action('act3', 'r1b', 's1b', {
    description: 'Read the new guidance',
    owner: 'ada',
    ownerName: 'Ada Brook',
    status: 'done',
  })
  await action('act4', 'r3', 's4', {
    description: 'A draft action',
    owner: 'daniel',
    ownerName: 'Daniel Okafor',
    due: '2026-10-01',
    status: 'open',
  })
  await db
    .insertInto('record_action_review')
    .values([
      {
        action_id: ids.act2!,
        session_id: ids.s1b!,
        record_id: ids.r1b!,
        session_date: '2026-09-15',
        status: 'carried-forward',
      },
      {
        action_id: ids.act2!,
        session_id: ids.s1!,
        record_id: ids.r1!,
        session_date: '2026-11-02',
        status: 'carried-forward',
      },
    ])
    .execute()

  const contract = async (
    supervisee: string,
    status: 'draft' | 'issued' | 'signed',
    signed: ('supervisee' | 'supervisor')[],
  ) => {
    const row = await db
      .insertInto('contract')
      .values({
        organisation_id: organisationId,
        school_id: schoolId,
        supervisee_id: ids[supervisee]!,
        supervisor_id: ids.daniel!,
        template_id: 'lh-contract',
        template_version: 1,
        policy_version: 1,
        academic_year: '2026-27',
        status,
        agreed: JSON.stringify({ requirementId: 'lh-safeguarding-supervision', frequency: null, values: {} }),
        rendered: JSON.stringify({ title: 'Supervision contract', clauses: [] }),
        content_hash: status === 'draft' ? null : hash(supervisee),
        issued_at: status === 'draft' ? null : new Date('2026-09-07T09:00:00Z'),
        signed_at: status === 'signed' ? new Date('2026-09-10T09:00:00Z') : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const role of signed) {
      await db
        .insertInto('contract_signature')
        .values({
          contract_id: row.id,
          person_id: role === 'supervisee' ? ids[supervisee]! : ids.daniel!,
          role,
          name: role,
          content_hash: hash(supervisee),
          method: 'password',
        })
        .execute()
    }
    ids[`contract-${supervisee}`] = row.id
  }
  await contract('bea', 'issued', ['supervisee'])
  await contract('ada', 'signed', ['supervisee', 'supervisor'])
  await contract('cal', 'draft', [])

  const school = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'slug', 'name'])
    .where('id', '=', schoolId)
    .executeTakeFirstOrThrow()
  return {
    organisationId,
    schoolId,
    adminId: org.personId,
    school: { id: school.id, organisationId: school.organisation_id, slug: school.slug, name: school.name },
    ids,
    emails: {
      dsl: 'daniel@oakfield.example',
      head: 'helen@oakfield.example',
      teacher: 'eve@oakfield.example',
      deputy: 'priya@oakfield.example',
    },
  }
}
