/**
 * The policy (issue 5): the policy in force as a plain-English summary with its details and
 * review dates (X-01, X-08, LH-01), every version with its effective date, each downloadable as
 * JSON; uploading a new version from a JSON file (every problem listed with where it is, nothing
 * saved until there are none); and the editor (editor/routes.ts).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { versionLabel } from '../../domain/policy/adoption.ts'
import {
  lifecycleWarnings,
  ownerWords,
  type PolicyDocument,
  policyReview,
  roleName,
  summarisePolicy,
  validatePolicy,
} from '../../domain/policy/index.ts'
import { describeRecurrence, upperFirst } from '../../domain/policy/wording.ts'
import { datePartsFrom } from '../../forms/date-input.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../forms/errors.ts'
import { parseForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import multipart, { uploadedFile } from '../../plugins/multipart.ts'
import { loadDraft } from '../../services/policy/drafts.ts'
import { type PolicyBook, policyBook, policyTimeline, type TimelineVersion } from '../../services/policy/on-date.ts'
import { policyVersions, savePolicyVersion } from '../../services/policy/store.ts'
import type { SchoolSummary } from '../../services/staff/schools.ts'
import { withQuery } from '../school-scope.ts'
import editorRoutes from './editor/routes.ts'
import { effectiveFromHrefs, effectiveFromSchema } from './forms.ts'
import { MAX_POLICY_BYTES, readJsonText } from './json-text.ts'
import reviewRoutes from './review.ts'
import { currentSchool, today } from './school.ts'

const read = { access: { permission: Permission.PolicyRead } }
const manage = { access: { permission: Permission.PolicyManage } }

const MAX_PROBLEMS_SHOWN = 200

function detailRows(policy: PolicyDocument, todayIso: string) {
  const { metadata } = policy
  const review = policyReview(policy, todayIso)
  const owner = ownerWords(metadata, (role) => roleName(policy, role))
  const approved = [metadata.approvedBy, metadata.approvedOn ? formatLongDate(metadata.approvedOn) : null]
    .filter((x) => x)
    .join(', ')
  const rows = [
    {
      key: { text: metadata.owner.kind === 'organisation' ? 'Owner' : 'Lead (owner)' },
      value: { text: owner ?? 'Not recorded' },
    },
    ...(metadata.provenance ? [{ key: { text: 'Based on' }, value: { text: metadata.provenance } }] : []),
    ...(metadata.createdOn ? [{ key: { text: 'Created' }, value: { text: formatLongDate(metadata.createdOn) } }] : []),
    ...(metadata.consultation
      ? [
          {
            key: { text: 'Staff consulted' },
            value: { text: `${metadata.consultation.who}, ${formatLongDate(metadata.consultation.consultedOn)}` },
          },
        ]
      : []),
    { key: { text: 'Governor committee' }, value: { text: metadata.governorCommittee ?? 'Not recorded' } },
    // Never a made-up approval (issue 14): a blank approval says so, and the page warns.
    { key: { text: 'Approved' }, value: { text: approved || 'Not recorded' } },
    {
      key: { text: 'Last reviewed' },
      value: {
        text: metadata.lastReviewedOn
          ? `${formatLongDate(metadata.lastReviewedOn)}${metadata.lastReviewedBy ? `, by ${metadata.lastReviewedBy}` : ''}`
          : 'Not recorded',
      },
    },
    {
      key: { text: 'Review frequency' },
      value: { text: metadata.reviewEvery ? upperFirst(describeRecurrence(metadata.reviewEvery)) : 'Not recorded' },
    },
    {
      key: { text: 'Next review due' },
      value: { text: review.nextReviewDue ? formatLongDate(review.nextReviewDue) : 'No review date' },
    },
  ]
  return { rows, review, warnings: lifecycleWarnings(policy, todayIso) }
}

function versionRows(
  versions: readonly TimelineVersion[],
  inForce: PolicyDocument | null,
  todayIso: string,
  keep: (href: string) => string,
) {
  return [...versions].reverse().map((v) => ({
    version: v.version,
    label: versionLabel(v.document),
    effectiveFrom: formatLongDate(v.effectiveFrom),
    status:
      inForce && v.version === inForce.version
        ? { text: 'In force', classes: 'govuk-tag--green' }
        : v.effectiveFrom > todayIso
          ? { text: 'Scheduled', classes: 'govuk-tag--blue' }
          : { text: 'Replaced', classes: 'govuk-tag--grey' },
    createdAt: v.createdAt,
    viewHref: keep(paths.policy.version(v.version)),
    downloadHref: keep(paths.policy.versionJson(v.version)),
  }))
}

const policyRoutes: FastifyPluginAsync = async (app) => {
  // Only the upload form sends multipart/form-data; everywhere else keeps refusing it.
  await app.register(multipart, { limits: { maxFileBytes: MAX_POLICY_BYTES } })
  await app.register(editorRoutes)
  await app.register(reviewRoutes)

  async function renderSummary(
    req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
    school: SchoolSummary,
    versions: TimelineVersion[],
    book: PolicyBook,
    shown: TimelineVersion,
    viewing: boolean,
  ) {
    const todayIso = today(req)
    // A school chosen by the trust's central people (`?school=`) stays chosen from page to page.
    const keep = (href: string) => withQuery(href, req.query.school ? `school=${encodeURIComponent(school.slug)}` : '')
    // The policy on today's date (ADR 0021), tagged "In force" only once it has taken effect.
    const onToday = book.on(todayIso)
    const inForce = onToday && onToday.effectiveFrom <= todayIso ? onToday : null
    const policy = shown.document
    const canManage = can(req.actor, Permission.PolicyManage)
    const draft = canManage ? await loadDraft(app.db, { schoolId: school.id }) : null
    const summary = summarisePolicy(policy)
    const scheduled = versions.filter((v) => v.effectiveFrom > todayIso)
    const published = /^\d{1,9}$/.test(req.query.published ?? '') ? Number(req.query.published) : null
    const uploaded = /^\d{1,9}$/.test(req.query.uploaded ?? '') ? Number(req.query.uploaded) : null
    const reviewed = /^\d{1,9}$/.test(req.query.reviewed ?? '') ? Number(req.query.reviewed) : null
    const banner = published ?? uploaded ?? reviewed
    const bannerVersion = banner === null ? null : versions.find((v) => v.version === banner)
    return reply.view('policy/views/summary.njk', {
      pageTitle: viewing ? `Policy version ${versionLabel(shown.document)}` : 'Supervision policy',
      versionLabel: versionLabel(shown.document),
      adopted: shown.document.sources ? { trustName: shown.document.sources.trust.name } : null,
      school,
      heading: summary.heading,
      viewing,
      version: shown.version,
      effectiveFrom: formatLongDate(shown.effectiveFrom),
      isInForce: inForce?.version === shown.version,
      details: detailRows(policy, todayIso),
      sections: summary.sections.filter((s) => s.id !== 'about'),
      contents: summary.sections.filter((s) => s.id !== 'about').map((s) => ({ id: s.id, heading: s.heading })),
      about: summary.sections.find((s) => s.id === 'about') ?? null,
      versions: versionRows(versions, inForce, todayIso, keep),
      scheduled: viewing
        ? []
        : scheduled.map((v) => ({ version: v.version, effectiveFrom: formatLongDate(v.effectiveFrom) })),
      canManage,
      hasDraft: draft !== null,
      downloadHref: keep(paths.policy.versionJson(shown.version)),
      banner: bannerVersion
        ? {
            kind: published !== null ? 'published' : uploaded !== null ? 'uploaded' : 'reviewed',
            version: bannerVersion.version,
            effectiveFrom: formatLongDate(bannerVersion.effectiveFrom),
          }
        : null,
      backLink: viewing ? { href: keep(paths.policy.index()), text: 'The policy in force' } : null,
    })
  }

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.policy.index.pattern,
    { config: read },
    async (req, reply) => {
      const school = await currentSchool(req, req.query.school)
      if (!school) return renderNotFound(req, reply)
      const [versions, book] = await Promise.all([policyTimeline(app.db, school.id), policyBook(app.db, school.id)])
      // The policy on today's date (ADR 0021): before the first version takes effect, the first.
      const shown = versions.find((v) => v.version === book.on(today(req))?.version)
      if (!shown) {
        return reply.view('policy/views/no-policy.njk', { pageTitle: 'Supervision policy', school })
      }
      return renderSummary(req, reply, school, versions, book, shown, false)
    },
  )

  app.get<{ Params: { file: string }; Querystring: Record<string, string | undefined> }>(
    paths.policy.versionFile.pattern,
    { config: read },
    async (req, reply) => {
      const match = /^(\d{1,9})(\.json)?$/.exec(req.params.file)
      if (!match) return renderNotFound(req, reply)
      const school = await currentSchool(req, req.query.school)
      if (!school) return renderNotFound(req, reply)
      const [versions, book] = await Promise.all([policyTimeline(app.db, school.id), policyBook(app.db, school.id)])
      const version = versions.find((v) => v.version === Number(match[1]))
      if (!version) return renderNotFound(req, reply)
      if (match[2]) {
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="policy-${school.slug}-version-${version.version}.json"`)
          .send(`${JSON.stringify(version.document, null, 2)}\n`)
      }
      return renderSummary(req, reply, school, versions, book, version, true)
    },
  )

  // -------------------------------------------------------------------------------------------
  // Upload a new version from a JSON file
  // -------------------------------------------------------------------------------------------

  async function renderUpload(
    reply: FastifyReply,
    school: SchoolSummary,
    extra: {
      status?: number
      errors?: FormErrors
      problems?: { path: string; message: string }[]
      date?: { day: string; month: string; year: string }
      reason?: string
      askReason?: boolean
    } = {},
  ) {
    const versions = await policyVersions(app.db, school.id)
    const latest = versions.at(-1) ?? null
    const problems = extra.problems ?? []
    return reply.code(extra.status ?? 200).view('policy/views/upload.njk', {
      pageTitle: 'Upload a new version of the policy',
      school,
      backLink: { href: paths.policy.index(), text: 'Policy' },
      latest: latest ? { version: latest.version, effectiveFrom: formatLongDate(latest.effectiveFrom) } : null,
      errors: extra.errors ?? noErrors,
      problems: problems.slice(0, MAX_PROBLEMS_SHOWN),
      moreProblems: Math.max(0, problems.length - MAX_PROBLEMS_SHOWN),
      date: extra.date ?? { day: '', month: '', year: '' },
      reason: extra.reason ?? '',
      askReason: extra.askReason ?? false,
    })
  }

  app.get(paths.policy.upload.pattern, { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school) return renderNotFound(req, reply)
    return renderUpload(reply, school)
  })

  app.post(paths.policy.upload.pattern, { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school) return renderNotFound(req, reply)
    const file = uploadedFile(req.body, 'file')
    const form = parseForm(effectiveFromSchema, req.body, effectiveFromHrefs)
    const date = { parts: datePartsFrom(req.body, 'effectiveFrom') }
    const pairs: [string, string][] = []
    const fail = (extra: { problems?: { path: string; message: string }[] } = {}) =>
      renderUpload(reply, school, {
        status: 400,
        errors: formErrors(pairs, effectiveFromHrefs),
        date: date.parts,
        ...extra,
      })

    let json: unknown = null
    if (!file || (file.filename === '' && file.data.length === 0 && !file.tooLarge))
      pairs.push(['file', 'Select a policy file'])
    else if (file.tooLarge) pairs.push(['file', 'The selected file must be smaller than 2 MB'])
    else if (file.data.length === 0) pairs.push(['file', 'The selected file is empty'])
    else {
      const read = readJsonText(file.data.toString('utf8'))
      if (read.ok) json = read.value
      else
        pairs.push([
          'file',
          `The selected file must be a policy in JSON format: at line ${read.line}, column ${read.column}, ${read.message}`,
        ])
    }
    if (!form.ok) for (const s of form.errors.summary) pairs.push(['effectiveFrom', s.text])
    if (pairs.length > 0 || !form.ok) return fail()

    const checked = validatePolicy(json)
    if (!checked.ok) {
      const n = checked.problems.length
      // Every problem in the error summary, with where it is in the file.
      for (const problem of checked.problems.slice(0, MAX_PROBLEMS_SHOWN)) {
        pairs.push([`file:${pairs.length}`, `${problem.path || 'The whole file'}: ${problem.message}`])
      }
      const summary = formErrors(pairs).summary.map((s) => ({ ...s, href: '#file' }))
      const errors: FormErrors = {
        fields: {
          file: {
            text: `The selected file has ${n === 1 ? '1 problem' : `${n} problems`}. Nothing has been saved. Correct the file and upload it again`,
          },
        },
        summary,
      }
      return renderUpload(reply, school, { status: 400, errors, problems: checked.problems, date: date.parts })
    }
    const reason = field(req.body, 'reason').trim()
    const result = await savePolicyVersion(app.db, {
      schoolId: school.id,
      organisationId: school.organisationId,
      document: json,
      effectiveFrom: form.value.effectiveFrom,
      actorId: req.actor!.personId,
      today: today(req),
      reason: reason === '' ? null : reason,
      origin: 'uploaded',
    })
    if (!result.ok) {
      // X-01: the effective date and the reason for backdating name their own fields; a template
      // the school does not have names its place in the file.
      for (const problem of result.problems) {
        if (problem.path === 'effectiveFrom' || problem.path === 'reason') pairs.push([problem.path, problem.message])
        else pairs.push(['file', `${problem.path}: ${problem.message}`])
      }
      return renderUpload(reply, school, {
        status: 400,
        errors: formErrors(pairs, effectiveFromHrefs),
        date: date.parts,
        reason,
        askReason: result.problems.some((p) => p.path === 'reason'),
      })
    }
    return reply.redirect(paths.policy.index({ uploaded: result.version }), 303)
  })
}

export default policyRoutes
