/**
 * Subject access (issue 15): everything Haven holds about one person of a school, read for the
 * DSL's export. Rows come back camelCased; every query is scoped by the school (and the person).
 */
import { organisationAuditEntries } from './audit.ts'
import type { DbOrTrx } from './connection.ts'

export async function subjectPerson(db: DbOrTrx, schoolId: string, personId: string) {
  const p = await db
    .selectFrom('person as p')
    .leftJoin('person as lm', 'lm.id', 'p.line_manager_id')
    .select([
      'p.id',
      'p.name',
      'p.email',
      'p.job_title',
      'p.roles',
      'lm.name as line_manager_name',
      'p.employment_type',
      'p.external_organisation',
      'p.part_time',
      'p.working_days',
      'p.start_date',
      'p.end_date',
      'p.early_career',
      'p.in_probation',
      'p.works_in_eyfs',
      'p.pastoral_responsibilities',
      'p.trained_dsl',
      'p.additional_support',
      'p.flag_dates',
      'p.supervisor_trained_on',
      'p.kind',
      'p.capabilities',
      'p.access_ends_on',
      'p.created_at',
      'p.updated_at',
    ])
    .where('p.id', '=', personId)
    .where('p.school_id', '=', schoolId)
    .executeTakeFirst()
  if (!p) return null
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    jobTitle: p.job_title,
    roles: p.roles,
    lineManager: p.line_manager_name,
    employmentType: p.employment_type,
    externalOrganisation: p.external_organisation,
    partTime: p.part_time,
    workingDays: p.working_days,
    startDate: p.start_date,
    endDate: p.end_date,
    flags: {
      earlyCareer: p.early_career,
      inProbation: p.in_probation,
      worksInEyfs: p.works_in_eyfs,
      pastoralResponsibilities: p.pastoral_responsibilities,
      trainedDsl: p.trained_dsl,
      additionalSupport: p.additional_support,
    },
    flagDates: p.flag_dates,
    supervisorTrainedOn: p.supervisor_trained_on,
    kind: p.kind,
    capabilities: p.capabilities,
    accessEndsOn: p.access_ends_on,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  }
}

export async function subjectSupervisionAssignments(db: DbOrTrx, organisationId: string, personId: string) {
  const rows = await db
    .selectFrom('supervision_assignment as a')
    .leftJoin('person as sup', 'sup.id', 'a.supervisor_id')
    .leftJoin('person as sub', 'sub.id', 'a.supervisee_id')
    .select(['a.kind', 'a.starts_on', 'a.ends_on', 'sup.name as supervisor_name', 'sub.name as supervisee_name'])
    .where('a.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('a.supervisor_id', '=', personId), eb('a.supervisee_id', '=', personId)]))
    .orderBy('a.starts_on')
    .execute()
  return rows.map((r) => ({
    kind: r.kind,
    supervisor: r.supervisor_name,
    supervisee: r.supervisee_name,
    from: r.starts_on,
    until: r.ends_on,
  }))
}

export async function subjectSessions(db: DbOrTrx, schoolId: string, personId: string) {
  const sessions = await db
    .selectFrom('supervision_session as s')
    .innerJoin('session_participant as me', 'me.session_id', 's.id')
    .select([
      's.id',
      's.date',
      's.start_time',
      's.duration_minutes',
      's.type_id',
      's.status',
      's.unplanned',
      's.venue',
      'me.role',
      'me.attended',
    ])
    .where('s.school_id', '=', schoolId)
    .where('me.person_id', '=', personId)
    .orderBy('s.date')
    .orderBy('s.id')
    .execute()
  const others =
    sessions.length === 0
      ? []
      : await db
          .selectFrom('session_participant as sp')
          .innerJoin('person as p', 'p.id', 'sp.person_id')
          .select(['sp.session_id', 'p.name', 'sp.role'])
          .where(
            'sp.session_id',
            'in',
            sessions.map((s) => s.id),
          )
          .where('sp.person_id', '<>', personId)
          .execute()
  return sessions.map((s) => ({
    id: s.id,
    date: s.date,
    startTime: s.start_time,
    durationMinutes: s.duration_minutes,
    type: s.type_id,
    status: s.status,
    unplanned: s.unplanned,
    venue: s.venue,
    role: s.role,
    attended: s.attended,
    others: others.filter((o) => o.session_id === s.id).map((o) => ({ name: o.name, role: o.role })),
  }))
}

/** The records of the sessions the person took part in (as supervisor or supervisee). */
export async function subjectRecordIds(db: DbOrTrx, schoolId: string, personId: string) {
  const rows = await db
    .selectFrom('supervision_record as r')
    .innerJoin('supervision_session as s', 's.id', 'r.session_id')
    .select(['r.id', 's.date', 'r.status', 'r.removed_at', 'r.content_hash'])
    .where('r.school_id', '=', schoolId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('session_participant as sp')
          .select('sp.person_id')
          .whereRef('sp.session_id', '=', 'r.session_id')
          .where('sp.person_id', '=', personId),
      ),
    )
    .orderBy('s.date')
    .orderBy('r.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    date: r.date,
    status: r.status,
    removedAt: r.removed_at,
    contentHash: r.content_hash,
  }))
}

export async function subjectContracts(db: DbOrTrx, schoolId: string, personId: string) {
  const rows = await db
    .selectFrom('contract as c')
    .leftJoin('person as sub', 'sub.id', 'c.supervisee_id')
    .leftJoin('person as sup', 'sup.id', 'c.supervisor_id')
    .select([
      'c.id',
      'c.academic_year',
      'c.status',
      'c.agreed',
      'c.rendered',
      'c.content_hash',
      'c.issued_at',
      'c.signed_at',
      'c.review_on',
      'c.removed_at',
      'sub.name as supervisee_name',
      'sup.name as supervisor_name',
      'c.supervisee_id',
    ])
    .where('c.school_id', '=', schoolId)
    .where((eb) => eb.or([eb('c.supervisee_id', '=', personId), eb('c.supervisor_id', '=', personId)]))
    .orderBy('c.created_at')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    academicYear: r.academic_year,
    status: r.status,
    role: r.supervisee_id === personId ? 'supervisee' : 'supervisor',
    supervisee: r.supervisee_name,
    supervisor: r.supervisor_name,
    agreed: r.agreed,
    text: r.rendered,
    contentHash: r.content_hash,
    issuedAt: r.issued_at,
    signedAt: r.signed_at,
    reviewOn: r.review_on,
    removedUnderRetention: r.removed_at,
  }))
}

export async function subjectActions(db: DbOrTrx, schoolId: string, personId: string) {
  const rows = await db
    .selectFrom('record_action as a')
    .innerJoin('supervision_session as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.record_id', 's.date', 'a.description', 'a.owner_kind', 'a.due_on', 'a.status', 'a.drop_reason'])
    .where('a.school_id', '=', schoolId)
    .where('a.owner_person_id', '=', personId)
    .orderBy('s.date')
    .orderBy('a.position')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    recordId: r.record_id,
    agreedOn: r.date,
    description: r.description,
    owner: r.owner_kind,
    dueOn: r.due_on,
    status: r.status,
    dropReason: r.drop_reason,
  }))
}

export async function subjectRequests(db: DbOrTrx, schoolId: string, personId: string) {
  const rows = await db
    .selectFrom('session_request')
    .select(['id', 'topic', 'note', 'preferred_dates', 'status', 'decline_reason', 'created_at', 'answered_at'])
    .where('school_id', '=', schoolId)
    .where('requester_id', '=', personId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    note: r.note,
    preferredDates: r.preferred_dates,
    status: r.status,
    declineReason: r.decline_reason,
    askedAt: r.created_at,
    answeredAt: r.answered_at,
  }))
}

/**
 * Audit entries about the person (as subject), and what they did, in this school or with no
 * school: the organisation's, those written before the school joined it here, those the school
 * brought from its previous installation (marked, first: they came before), and the person's own
 * entries of no organisation (sign-ins).
 */
export async function subjectAuditEntries(db: DbOrTrx, organisationId: string, schoolId: string, personId: string) {
  const rows = await db
    .selectFrom(organisationAuditEntries(db, organisationId, { unowned: true }).as('ae'))
    .select(['id', 'occurred_at', 'action', 'subject_type', 'subject_id', 'actor_id', 'detail', 'brought'])
    .where((eb) => eb.or([eb('school_id', '=', schoolId), eb('school_id', 'is', null)]))
    .where((eb) => eb.or([eb('subject_id', '=', personId), eb('actor_id', '=', personId)]))
    .orderBy('brought', 'desc')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.occurred_at,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    byThisPerson: r.actor_id === personId,
    broughtFromPreviousInstallation: r.brought,
    detail: r.detail,
  }))
}

export async function subjectWellbeing(db: DbOrTrx, schoolId: string, personId: string) {
  const [assessments, referrals, plan] = await Promise.all([
    db
      .selectFrom('stress_risk_assessment')
      .select(['id', 'started_on', 'review_on', 'actions', 'closed_on', 'closing_note'])
      .where('school_id', '=', schoolId)
      .where('person_id', '=', personId)
      .orderBy('started_on')
      .execute(),
    db
      .selectFrom('occupational_health_referral')
      .select(['id', 'referred_on', 'reason', 'outcome', 'follow_up_on'])
      .where('school_id', '=', schoolId)
      .where('person_id', '=', personId)
      .orderBy('referred_on')
      .execute(),
    db
      .selectFrom('development_plan_item')
      .select(['id', 'need', 'action', 'owner_name', 'due_on', 'status', 'created_at'])
      .where('school_id', '=', schoolId)
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .execute(),
  ])
  return {
    stressRiskAssessments: assessments.map((a) => ({
      id: a.id,
      startedOn: a.started_on,
      reviewOn: a.review_on,
      actions: a.actions,
      closedOn: a.closed_on,
      closingNote: a.closing_note,
    })),
    referrals: referrals.map((r) => ({
      id: r.id,
      referredOn: r.referred_on,
      reason: r.reason,
      outcome: r.outcome,
      followUpOn: r.follow_up_on,
    })),
    developmentPlan: plan.map((d) => ({
      id: d.id,
      need: d.need,
      action: d.action,
      owner: d.owner_name,
      dueOn: d.due_on,
      status: d.status,
    })),
  }
}
