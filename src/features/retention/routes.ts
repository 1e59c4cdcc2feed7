/**
 * Retention and subject access (issue 15), for the DSL: the records due for removal under the
 * school's policy, reviewed and confirmed; legal holds placed and released with a reason; and a
 * person's subject access export, a ZIP streamed as it is made.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../domain/access/permissions.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { RetentionKind, type RetentionPolicy } from '../../domain/policy/model.ts'
import { retentionItemKey, retentionKinds } from '../../domain/retention/kinds.ts'
import { type FormErrors, formErrors } from '../../forms/errors.ts'
import { parseForm, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { formatDate, formatDateTime } from '../../presenters/format.ts'
import {
  confirmRemoval,
  liftHold,
  placeHold,
  type RetentionActor,
  type ReviewItem,
  retentionReview,
} from '../../services/retention/retention.ts'
import { subjectAccessExport, subjectAccessPeople } from '../../services/retention/subject-access.ts'
import { type FoundSchool, schoolFor, schoolPage } from '../school-scope.ts'
import { confirmForm, holdForm, subjectAccessForm } from './forms.ts'

/** The DSL: the person who reads every record of the school. */
const dslOnly = { access: { permission: Permission.RecordsReadAll } }

async function dslSchool(req: FastifyRequest, slug: unknown): Promise<FoundSchool | null> {
  const found = await schoolFor(req, slug)
  if (!found || !can(req.actor!.in(found.school.id), Permission.RecordsReadAll)) return null
  return found
}

function actorOf(req: FastifyRequest): RetentionActor {
  return { personId: req.actor!.personId, organisationId: req.actor!.organisationId, ip: req.ip }
}

function schoolParam(found: FoundSchool): string | undefined {
  return found.schools.length > 1 ? found.school.slug : undefined
}

type SchoolQuery = { Querystring: { school?: string; done?: string } }

const doneMessages: Record<string, string> = {
  removed: 'The records you confirmed have been removed. Their dates and content hashes are kept.',
  held: 'The legal hold is in place.',
  released: 'The legal hold is released.',
}

/** What each kind of record is called on the DSL's list. */
const kindNames: Record<RetentionKind, string> = {
  supervisionRecords: 'Supervision record',
  contracts: 'Supervision contract',
  stressRiskAssessments: 'Stress risk assessment',
  referrals: 'Occupational Health referral',
  decisionsAboutChildren: 'Decision about a child',
}

/** The same, for the periods the policy sets. */
const kindPlurals: Record<RetentionKind, string> = {
  supervisionRecords: 'Supervision records',
  contracts: 'Supervision contracts',
  stressRiskAssessments: 'Stress risk assessments',
  referrals: 'Occupational Health referrals',
  decisionsAboutChildren: 'Decisions about children',
}

/** "Supervision contract of 3 September 2026: Priya Shah". */
function itemText(i: ReviewItem): string {
  const names = i.people.map((p) => p.name).join(', ')
  return `${kindNames[i.kind]} of ${formatDate(i.recordDate)}${names ? `: ${names}` : ''}`
}

/** "6 years after the person leaves", "25 years from the record's date". */
function periodText(period: { years: number; from: 'leaving' | 'record' }): string {
  const years = period.years === 1 ? '1 year' : `${period.years} years`
  return `${years} ${period.from === 'leaving' ? 'after the person leaves' : 'from the date of the record'}`
}

const retentionRoutes: FastifyPluginAsync = async (app) => {
  const today = () => londonDateOf(app.clock())

  async function renderReview(
    _req: FastifyRequest,
    reply: FastifyReply,
    found: FoundSchool,
    extra: { errors?: FormErrors; values?: Record<string, unknown>; done?: string; skipped?: number } = {},
  ) {
    const review = await retentionReview(app.db, found.school.id, today())
    const people = await subjectAccessPeople(app.db, found.school.id)
    const school = schoolParam(found)
    const statusText = {
      due: 'Due',
      held: 'Held',
      'not-yet': 'Not due',
      'in-post': 'Not due',
      unfinished: 'Not due',
    } as const
    const due = review.items.filter((i) => i.status === 'due')
    const raw = extra.values?.['recordIds']
    const chosen = new Set(Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
    const dueRecords = due.filter((i) => i.kind === RetentionKind.SupervisionRecords)
    return renderForm(
      reply,
      'retention/views/review.njk',
      {
        pageTitle: 'Records due for removal',
        school: found.school,
        done: extra.done ? (doneMessages[extra.done] ?? null) : null,
        listedAt: review.listedAt ? formatDateTime(review.listedAt) : null,
        periods: review.policy
          ? `Your policy keeps supervision records for ${periodText(review.policy.supervisionRecords)}, and records with child-protection content for at least ${periodText(review.policy.childProtection)}.`
          : null,
        otherPeriods: review.policy
          ? retentionKinds
              .filter((k) => k !== RetentionKind.SupervisionRecords)
              .map((k) => `${kindPlurals[k]}: ${periodText((review.policy as RetentionPolicy)[k])}`)
          : [],
        due,
        dueItems: due.map((i) => {
          const value = retentionItemKey(i.kind, i.id)
          return {
            value,
            checked: chosen.has(value),
            text: `${itemText(i)}${i.childProtection ? ' (child-protection content)' : ''}`,
            hint: { text: i.dueOn ? `Due for removal since ${formatDate(i.dueOn)}` : '' },
          }
        }),
        notDue: review.items
          .filter((i) => i.status !== 'due')
          .map((i) => ({ text: itemText(i), status: statusText[i.status] })),
        holds: review.holds.map((h) => ({
          on: h.personName ?? (h.recordDate ? `The record of ${formatDate(h.recordDate)}` : 'A record'),
          reason: h.reason,
          placed: `${h.placedByName ?? 'Someone'}, ${formatDateTime(h.placedAt)}`,
          releaseAction: paths.retention.holdRelease({ holdId: h.id }, { school }),
        })),
        personOptions: [
          { value: '', text: 'Choose a person' },
          ...people.map((p) => ({ value: p.id, text: p.name, selected: p.id === extra.values?.['personId'] })),
        ],
        recordOptions: [
          { value: '', text: 'Choose a record' },
          ...dueRecords.map((i) => ({
            value: i.id,
            text: `${formatDate(i.recordDate)}: ${i.people.map((p) => p.name).join(', ')}`,
            selected: i.id === extra.values?.['recordId'],
          })),
        ],
        values: extra.values ?? {},
        skipped: extra.skipped ?? 0,
        confirmAction: paths.retention.confirm({ school }),
        holdAction: paths.retention.holds({ school }),
        subjectAccessHref: paths.retention.subjectAccess({ school }),
      },
      extra.errors,
    )
  }

  app.get<SchoolQuery>(paths.retention.review.pattern, { config: dslOnly }, async (req, reply) => {
    const found = await dslSchool(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderReview(req, reply, found, { done: req.query.done })
  })

  app.post<SchoolQuery>(paths.retention.confirm.pattern, { config: dslOnly }, async (req, reply) => {
    const found = await dslSchool(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const form = parseForm(confirmForm, req.body, { recordIds: 'record-0' })
    if (!form.ok) return renderReview(req, reply, found, { errors: form.errors, values: req.body as never })
    const result = await confirmRemoval(app.db, {
      schoolId: found.school.id,
      actor: actorOf(req),
      items: form.value.recordIds,
      today: today(),
    })
    if (!result.ok)
      return renderReview(req, reply, found, {
        errors: formErrors(
          [['recordIds', 'The list has changed since you opened it. Check the records below and confirm again']],
          { recordIds: 'record-0' },
        ),
      })
    if (result.skipped.length > 0)
      return renderReview(req, reply, found, {
        done: result.removed.length > 0 ? 'removed' : undefined,
        errors: formErrors(
          [
            [
              'recordIds',
              `${result.skipped.length === 1 ? '1 record was' : `${result.skipped.length} records were`} not removed: a hold was placed or it is no longer due`,
            ],
          ],
          { recordIds: 'record-0' },
        ),
      })
    return reply.redirect(paths.retention.review({ school: schoolParam(found), done: 'removed' }), 303)
  })

  app.post<SchoolQuery>(paths.retention.holds.pattern, { config: dslOnly }, async (req, reply) => {
    const found = await dslSchool(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const form = parseForm(holdForm, req.body, { on: 'on-person' })
    if (!form.ok) return renderReview(req, reply, found, { errors: form.errors, values: req.body as never })
    const v = form.value
    const result = await placeHold(app.db, {
      schoolId: found.school.id,
      actor: actorOf(req),
      on: v.on === 'person' ? { personId: v.personId } : { recordId: v.recordId },
      reason: v.reason,
    })
    if (!result.ok)
      return renderReview(req, reply, found, {
        errors: formErrors([[v.on === 'person' ? 'personId' : 'recordId', 'Select a person or record from the list']]),
        values: req.body as never,
      })
    return reply.redirect(paths.retention.review({ school: schoolParam(found), done: 'held' }), 303)
  })

  app.post<SchoolQuery & { Params: { holdId: string } }>(
    paths.retention.holdRelease.pattern,
    { config: dslOnly },
    schoolPage(dslSchool, async (req, reply, found) => {
      const released = await liftHold(app.db, {
        schoolId: found.school.id,
        actor: actorOf(req),
        holdId: req.params.holdId,
      })
      if (!released) return renderNotFound(req, reply)
      return reply.redirect(paths.retention.review({ school: schoolParam(found), done: 'released' }), 303)
    }),
  )

  async function renderSubjectAccess(reply: FastifyReply, found: FoundSchool, errors?: FormErrors) {
    const people = await subjectAccessPeople(app.db, found.school.id)
    return renderForm(
      reply,
      'retention/views/subject-access.njk',
      {
        pageTitle: 'Subject access export',
        school: found.school,
        backLink: { href: paths.retention.review({ school: schoolParam(found) }), text: 'Records due for removal' },
        personOptions: [{ value: '', text: 'Choose a person' }, ...people.map((p) => ({ value: p.id, text: p.name }))],
        action: paths.retention.subjectAccess({ school: schoolParam(found) }),
      },
      errors,
    )
  }

  app.get<SchoolQuery>(paths.retention.subjectAccess.pattern, { config: dslOnly }, async (req, reply) => {
    const found = await dslSchool(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderSubjectAccess(reply, found)
  })

  app.post<SchoolQuery>(paths.retention.subjectAccess.pattern, { config: dslOnly }, async (req, reply) => {
    const found = await dslSchool(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const form = parseForm(subjectAccessForm, req.body)
    if (!form.ok) return renderSubjectAccess(reply, found, form.errors)
    const exported = await subjectAccessExport(app.db, {
      schoolId: found.school.id,
      schoolName: found.school.name,
      personId: form.value.personId,
      actor: actorOf(req),
      now: app.clock(),
    })
    if (!exported) return renderSubjectAccess(reply, found, formErrors([['personId', 'Select a person from the list']]))
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${exported.filename}"`)
      .send(exported.stream)
  })
}

export default retentionRoutes
