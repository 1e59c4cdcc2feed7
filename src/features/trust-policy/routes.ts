/**
 * The trust's policy (issue 14, ADR 0024), for the trust's central team: its versions, published
 * from a school's policy or a JSON file; each academy's adoption, with its own additions and
 * overrides made in forms (a frequency, a template, an extra requirement, or taking a change
 * away), each in force from a date. And, for an administrator of a single school, becoming a trust
 * without losing anything the school has.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import type { AcademyOverrides } from '../../domain/policy/adoption.ts'
import { describeFrequency, roleName } from '../../domain/policy/index.ts'
import { upperFirst } from '../../domain/policy/wording.ts'
import { datePartsFrom, datePartsOf } from '../../forms/date-input.ts'
import { type FormErrors, field, formErrors } from '../../forms/errors.ts'
import { parseForm, renderForm } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import multipart, { uploadedFile } from '../../plugins/multipart.ts'
import {
  type AcademyAdoption,
  academyAdoption,
  becomeTrust,
  publishTrustVersion,
  saveAdoption,
  type TrustResult,
  trustPolicyOverview,
  trustVersion,
} from '../../services/policy/trust.ts'
import { organisationOf } from '../../services/staff/schools.ts'
import { registerEditor } from '../policy/editor/routes.ts'
import { MAX_POLICY_BYTES, readJsonText } from '../policy/json-text.ts'
import { today } from '../policy/school.ts'
import { refuseUnlessTrustWide, trustTarget } from './editor.ts'
import {
  adoptForm,
  becomeTrustForm,
  datedHrefs,
  frequencyForm,
  frequencyHrefs,
  publishForm,
  publishHrefs,
  removeForm,
  requirementForm,
  requirementHrefs,
  templateForm,
  templateHrefs,
} from './forms.ts'
import { joinTrustRoutes } from './join.ts'

const manage = { access: { permission: Permission.PolicyManage } }
const organisation = { access: { permission: Permission.OrganisationManage } }

const unitWords = [
  { value: 'weeks', text: 'Weeks' },
  { value: 'months', text: 'Months' },
  { value: 'half-terms', text: 'Half terms' },
  { value: 'terms', text: 'Terms' },
  { value: 'academic-years', text: 'Academic years' },
]

/** A lower-case, hyphenated id from words, starting with `prefix`. */
function idFrom(prefix: string, words: string): string {
  const slug = words
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return `${prefix}-${slug || 'rule'}`
}

/** Problems a service found, on the form's fields: the date and reason on their own, the rest on `other`. */
function resultErrors(result: Extract<TrustResult, { ok: false }>, other: string, hrefs: Record<string, string>) {
  return formErrors(
    result.problems.map((p) =>
      p.path === 'effectiveFrom' || p.path === 'reason' || p.path === 'source'
        ? ([p.path, p.message] as const)
        : // A frequency looser than the trust's (issue 14): its own message, on the frequency's field.
          other === 'requirementId' && /^frequencies\[\d+\]\.frequency$/.test(p.path)
          ? (['every', p.message] as const)
          : ([other, p.path ? `${p.path}: ${p.message}` : p.message] as const),
    ),
    hrefs,
  )
}

function changeRows(found: AcademyAdoption) {
  const preview = found.preview
  const requirementName = (id: string) =>
    preview?.requirements.find((r) => r.id === id)?.description ?? `the requirement '${id}'`
  const { overrides } = found
  return [
    ...overrides.frequencies.map((f) => ({
      value: `frequency:${f.requirementId}`,
      text: `How often for ${requirementName(f.requirementId)}: ${describeFrequency(f.frequency)}`,
    })),
    ...overrides.templates.map((t) => ({
      value: `template:${t.replaces}`,
      text: `The academy's template '${t.with}' in place of the trust's '${t.replaces}'`,
    })),
    ...overrides.extraRequirements.map((r) => ({
      value: `requirement:${r.id}`,
      text: `An extra requirement: ${r.description}${r.frequency ? `, ${describeFrequency(r.frequency)}` : ''}`,
    })),
  ]
}

/** The overrides without one change (a frequency, a template, or a requirement with its own scope rule). */
function withoutChange(overrides: AcademyOverrides, change: string): AcademyOverrides {
  const [kind, id] = change.split(':') as [string, string]
  if (kind === 'frequency')
    return { ...overrides, frequencies: overrides.frequencies.filter((f) => f.requirementId !== id) }
  if (kind === 'template') return { ...overrides, templates: overrides.templates.filter((t) => t.replaces !== id) }
  const removed = overrides.extraRequirements.find((r) => r.id === id)
  const scopeIds = new Set(removed?.scopeRules ?? [])
  const stillUsed = new Set(overrides.extraRequirements.filter((r) => r.id !== id).flatMap((r) => r.scopeRules))
  return {
    ...overrides,
    extraRequirements: overrides.extraRequirements.filter((r) => r.id !== id),
    extraScopeRules: overrides.extraScopeRules.filter((s) => !scopeIds.has(s.id) || stillUsed.has(s.id)),
  }
}

const trustPolicyRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { maxFileBytes: MAX_POLICY_BYTES } })
  // The trust's policy in the school editor's forms (issue 14): its own draft, published as a trust version.
  registerEditor(app, trustTarget)

  // -------------------------------------------------------------------------------------------
  // The trust's versions and its academies

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.trustPolicy.index.pattern,
    { config: manage },
    async (req, reply) => {
      const refused = refuseUnlessTrustWide(req, reply)
      if (refused) return refused
      const todayIso = today(req)
      const overview = await trustPolicyOverview(app.db, req.actor!.organisationId)
      const inForce = [...overview.trustVersions].reverse().find((v) => v.effectiveFrom <= todayIso) ?? null
      const published = /^\d{1,9}$/.test(req.query.published ?? '') ? Number(req.query.published) : null
      return reply.view('trust-policy/views/index.njk', {
        pageTitle: 'Trust policy',
        organisation: { name: overview.name, kind: overview.kind },
        published: overview.trustVersions.find((v) => v.version === published) ?? null,
        publishedFrom: (() => {
          const v = overview.trustVersions.find((x) => x.version === published)
          return v ? formatLongDate(v.effectiveFrom) : null
        })(),
        versions: [...overview.trustVersions].reverse().map((v) => ({
          version: v.version,
          effectiveFrom: formatLongDate(v.effectiveFrom),
          status:
            inForce?.version === v.version
              ? { text: 'In force', classes: 'govuk-tag--green' }
              : v.effectiveFrom > todayIso
                ? { text: 'Scheduled', classes: 'govuk-tag--blue' }
                : { text: 'Replaced', classes: 'govuk-tag--grey' },
          title: v.document.metadata.title,
          downloadHref: paths.trustPolicy.versionJson(v.version),
        })),
        academies: overview.academies.map(({ school, adoptions }) => {
          const first = adoptions[0]
          const changes = adoptions.at(-1)?.overrides
          const count = changes
            ? changes.frequencies.length + changes.templates.length + changes.extraRequirements.length
            : 0
          return {
            name: school.name,
            href: paths.trustPolicy.academy({ slug: school.slug }),
            status: first
              ? `Follows the trust's policy from ${formatLongDate(first.effectiveFrom)}${count > 0 ? `, with ${count === 1 ? '1 change' : `${count} changes`} of its own` : ''}`
              : 'Keeps its own policy',
          }
        }),
      })
    },
  )

  app.get<{ Params: { file: string } }>(
    paths.trustPolicy.versionFile.pattern,
    { config: manage },
    async (req, reply) => {
      const refused = refuseUnlessTrustWide(req, reply)
      if (refused) return refused
      const match = /^(\d{1,9})\.json$/.exec(req.params.file)
      if (!match) return renderNotFound(req, reply)
      const version = await trustVersion(app.db, req.actor!.organisationId, Number(match[1]))
      if (!version) return renderNotFound(req, reply)
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="trust-policy-version-${version.version}.json"`)
        .send(`${JSON.stringify(version.document, null, 2)}\n`)
    },
  )

  // -------------------------------------------------------------------------------------------
  // Publish a trust version

  async function renderPublish(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: FormErrors } = {},
  ) {
    const overview = await trustPolicyOverview(app.db, req.actor!.organisationId)
    const latest = overview.trustVersions.at(-1)
    const context = {
      pageTitle: 'Publish a version of the trust policy',
      backLink: { href: paths.trustPolicy.index(), text: 'Trust policy' },
      organisation: { name: overview.name, kind: overview.kind },
      latest: latest ? { version: latest.version, effectiveFrom: formatLongDate(latest.effectiveFrom) } : null,
      schools: overview.academies.map((a) => ({ value: a.school.id, text: a.school.name })),
      values: extra.values ?? { source: '', fromSchool: '', reason: '', date: { day: '', month: '', year: '' } },
    }
    return renderForm(reply, 'trust-policy/views/publish.njk', context, extra.errors)
  }

  app.get(paths.trustPolicy.publish.pattern, { config: manage }, async (req, reply) => {
    return refuseUnlessTrustWide(req, reply) ?? renderPublish(req, reply)
  })

  app.post(paths.trustPolicy.publish.pattern, { config: manage }, async (req, reply) => {
    const refused = refuseUnlessTrustWide(req, reply)
    if (refused) return refused
    const values = {
      source: field(req.body, 'source'),
      fromSchool: field(req.body, 'fromSchool'),
      reason: field(req.body, 'reason'),
      date: datePartsFrom(req.body, 'effectiveFrom'),
    }
    const form = parseForm(publishForm, req.body, publishHrefs)
    if (!form.ok) return renderPublish(req, reply, { values, errors: form.errors })
    let document: unknown = null
    if (form.value.source === 'file') {
      const file = uploadedFile(req.body, 'file')
      const problem =
        !file || file.data.length === 0
          ? 'Select a policy file'
          : file.tooLarge
            ? 'The selected file must be smaller than 2 MB'
            : null
      if (problem) return renderPublish(req, reply, { values, errors: formErrors([['file', problem]]) })
      const read = readJsonText(file!.data.toString('utf8'))
      if (!read.ok)
        return renderPublish(req, reply, {
          values,
          errors: formErrors([
            [
              'file',
              `The selected file must be a policy in JSON format: at line ${read.line}, column ${read.column}, ${read.message}`,
            ],
          ]),
        })
      document = read.value
    } else if (form.value.fromSchool === '') {
      return renderPublish(req, reply, { values, errors: formErrors([['fromSchool', 'Select the school']]) })
    }
    const result = await publishTrustVersion(app.db, {
      organisationId: req.actor!.organisationId,
      document,
      fromSchoolId: form.value.source === 'school' ? form.value.fromSchool : null,
      effectiveFrom: form.value.effectiveFrom,
      today: today(req),
      reason: form.value.reason || null,
      actorId: req.actor!.personId,
    })
    if (!result.ok)
      return renderPublish(req, reply, {
        values,
        errors: resultErrors(result, form.value.source === 'file' ? 'file' : 'fromSchool', publishHrefs),
      })
    return reply.redirect(paths.trustPolicy.index({ published: result.version }), 303)
  })

  // -------------------------------------------------------------------------------------------
  // An academy's adoption

  async function renderAcademy(
    req: FastifyRequest<{ Params: { slug: string } }>,
    reply: FastifyReply,
    extra: { form?: string; values?: Record<string, unknown>; errors?: FormErrors; saved?: boolean } = {},
  ) {
    const found = await academyAdoption(app.db, req.actor!.organisationId, req.params.slug)
    if (!found) return renderNotFound(req, reply)
    const preview = found.preview
    const trustLatest = found.trustVersions.at(-1)?.document ?? null
    const slug = found.school.slug
    const blankDate = datePartsOf(today(req))
    const requirementSources = (preview?.requirements ?? []).map((r) => {
      const own = preview?.sources?.academy.includes(`requirement:${r.id}`) ?? false
      const frequency = preview?.sources?.academy.includes(`requirement:${r.id}:frequency`) ?? false
      return [
        { text: r.description },
        { text: r.frequency ? upperFirst(describeFrequency(r.frequency)) : 'No minimum' },
        {
          text: own
            ? found.school.name
            : frequency
              ? `${found.trustName}, with the academy's frequency`
              : found.trustName,
        },
      ]
    })
    const templateIds = trustLatest
      ? [
          ...new Set(
            [
              trustLatest.templates.contract,
              trustLatest.templates.agenda,
              trustLatest.templates.preparation,
              ...trustLatest.templates.records.map((r) => r.templateId),
            ].filter((t): t is string => !!t),
          ),
        ]
      : []
    const context = {
      pageTitle: `${found.school.name}: trust policy`,
      backLink: { href: paths.trustPolicy.index(), text: 'Trust policy' },
      school: found.school,
      trustName: found.trustName,
      hasTrustPolicy: trustLatest !== null,
      adopted: found.adoptions.length > 0,
      saved: extra.saved ?? false,
      form: extra.form ?? null,
      adoptions: [...found.adoptions].reverse().map((a) => ({
        version: a.version,
        effectiveFrom: formatLongDate(a.effectiveFrom),
        changes: a.overrides.frequencies.length + a.overrides.templates.length + a.overrides.extraRequirements.length,
        reason: a.backdatingReason,
      })),
      requirementRows: requirementSources,
      changes: changeRows(found),
      trustRequirements: (trustLatest?.requirements ?? []).map((r) => ({ value: r.id, text: r.description })),
      trustTemplates: templateIds.map((id) => ({ value: id, text: id })),
      sessionTypes: (preview?.sessionTypes ?? []).map((t) => ({ value: t.id, text: t.name })),
      roles: roleCatalogue.map((r) => ({ value: r.id, text: preview ? roleName(preview, r.id) : r.name })),
      units: unitWords,
      actions: {
        adopt: paths.trustPolicy.adopt({ slug }),
        frequency: paths.trustPolicy.frequency({ slug }),
        template: paths.trustPolicy.template({ slug }),
        requirement: paths.trustPolicy.requirement({ slug }),
        remove: paths.trustPolicy.remove({ slug }),
      },
      values: extra.values ?? {},
      blankDate,
    }
    return renderForm(reply, 'trust-policy/views/academy.njk', context, extra.errors)
  }

  app.get<{ Params: { slug: string }; Querystring: { saved?: string } }>(
    paths.trustPolicy.academy.pattern,
    { config: manage },
    async (req, reply) => {
      return refuseUnlessTrustWide(req, reply) ?? renderAcademy(req, reply, { saved: req.query.saved === 'yes' })
    },
  )

  /** One form of the academy page: parse, save the change, render again or go back to the page. */
  function academyPost<T extends { effectiveFrom: string; reason: string }>(
    route: { pattern: string },
    name: string,
    schema: Parameters<typeof parseForm>[0],
    hrefs: Record<string, string>,
    change: (value: T) => (overrides: AcademyOverrides) => AcademyOverrides,
    action: string,
    otherField: string,
  ) {
    app.post<{ Params: { slug: string } }>(route.pattern, { config: manage }, async (req, reply) => {
      const refused = refuseUnlessTrustWide(req, reply)
      if (refused) return refused
      const body = (req.body ?? {}) as Record<string, unknown>
      const values = { ...body, date: datePartsFrom(req.body, 'effectiveFrom') }
      // The page has several forms: the fields they share have ids prefixed with the form's name.
      const formHrefs = {
        ...hrefs,
        effectiveFrom: `${name}-effectiveFrom-day`,
        reason: `${name}-reason`,
        every: `${name}-every`,
        unit: `${name}-unit`,
      }
      const form = parseForm(schema, req.body, formHrefs)
      if (!form.ok) return renderAcademy(req, reply, { form: name, values, errors: form.errors })
      const value = form.value as T
      const found = await academyAdoption(app.db, req.actor!.organisationId, req.params.slug)
      if (!found) return renderNotFound(req, reply)
      const result = await saveAdoption(app.db, {
        organisationId: req.actor!.organisationId,
        schoolId: found.school.id,
        change: change(value),
        effectiveFrom: value.effectiveFrom,
        today: today(req),
        reason: value.reason || null,
        actorId: req.actor!.personId,
        action,
      })
      if (!result.ok)
        return renderAcademy(req, reply, { form: name, values, errors: resultErrors(result, otherField, formHrefs) })
      return reply.redirect(paths.trustPolicy.academy({ slug: found.school.slug }, { saved: 'yes' }), 303)
    })
  }

  academyPost(
    paths.trustPolicy.adopt,
    'adopt',
    adoptForm,
    datedHrefs,
    () => (o) => o,
    'trust-policy.adopted',
    'effectiveFrom',
  )

  academyPost<{
    effectiveFrom: string
    reason: string
    requirementId: string
    every: number
    unit: 'weeks'
    termTimeOnly: boolean
  }>(
    paths.trustPolicy.frequency,
    'frequency',
    frequencyForm,
    frequencyHrefs,
    (v) => (o) => ({
      ...o,
      frequencies: [
        ...o.frequencies.filter((f) => f.requirementId !== v.requirementId),
        {
          requirementId: v.requirementId,
          frequency: {
            every: v.every,
            unit: v.unit,
            termTimeOnly: v.termTimeOnly && (v.unit === 'weeks' || v.unit === 'months'),
            wording: null,
          },
        },
      ],
    }),
    'trust-policy.frequency-changed',
    'requirementId',
  )

  academyPost<{ effectiveFrom: string; reason: string; replaces: string; with: string }>(
    paths.trustPolicy.template,
    'template',
    templateForm,
    templateHrefs,
    (v) => (o) => ({
      ...o,
      templates: [...o.templates.filter((t) => t.replaces !== v.replaces), { replaces: v.replaces, with: v.with }],
    }),
    'trust-policy.template-changed',
    'with',
  )

  academyPost<{
    effectiveFrom: string
    reason: string
    description: string
    sessionTypes: string[]
    roles: string[]
    every: number
    unit: 'weeks'
    termTimeOnly: boolean
  }>(
    paths.trustPolicy.requirement,
    'requirement',
    requirementForm,
    requirementHrefs,
    (v) => (o) => {
      const id = idFrom('academy', v.description)
      const scopeId = `${id}-who`
      return {
        ...o,
        extraScopeRules: [
          ...o.extraScopeRules.filter((s) => s.id !== scopeId),
          {
            id: scopeId,
            description: v.description,
            who: {
              everyone: v.roles.length === 0,
              roles: v.roles,
              flags: [],
              trainedSupervisors: false,
              conditions: [],
            },
          },
        ],
        extraRequirements: [
          ...o.extraRequirements.filter((r) => r.id !== id),
          {
            id,
            description: v.description,
            scopeRules: [scopeId],
            sessionTypes: v.sessionTypes,
            frequency: {
              every: v.every,
              unit: v.unit,
              termTimeOnly: v.termTimeOnly && (v.unit === 'weeks' || v.unit === 'months'),
              wording: null,
            },
            maximumGap: null,
            expectedMinutes: null,
            planning: 'rolling',
            stricterFor: [],
            agreedFrequency: { allowed: 'none', options: [], description: null },
          },
        ],
      }
    },
    'trust-policy.requirement-added',
    'description',
  )

  academyPost<{ effectiveFrom: string; reason: string; change: string }>(
    paths.trustPolicy.remove,
    'remove',
    removeForm,
    { ...datedHrefs, change: 'change' },
    (v) => (o) => withoutChange(o, v.change),
    'trust-policy.change-removed',
    'change',
  )

  // -------------------------------------------------------------------------------------------
  // A single school becomes a trust

  async function renderBecome(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: FormErrors } = {},
  ) {
    const org = await organisationOf(app.db, req.actor!.organisationId)
    const context = {
      pageTitle: 'Make the organisation a trust',
      backLink: { href: paths.admin.index(), text: 'Administration' },
      organisation: org,
      values: extra.values ?? { name: '', reason: '', date: datePartsOf(today(req)) },
    }
    return renderForm(reply, 'trust-policy/views/become-trust.njk', context, extra.errors)
  }

  app.get(paths.trustPolicy.becomeTrust.pattern, { config: organisation }, async (req, reply) =>
    renderBecome(req, reply),
  )

  app.post(paths.trustPolicy.becomeTrust.pattern, { config: organisation }, async (req, reply) => {
    const values = {
      name: field(req.body, 'name'),
      reason: field(req.body, 'reason'),
      date: datePartsFrom(req.body, 'effectiveFrom'),
    }
    const form = parseForm(becomeTrustForm, req.body, datedHrefs)
    if (!form.ok) return renderBecome(req, reply, { values, errors: form.errors })
    const result = await becomeTrust(app.db, {
      organisationId: req.actor!.organisationId,
      name: form.value.name,
      firstAcademyFrom: form.value.effectiveFrom,
      today: today(req),
      reason: form.value.reason || null,
      actorId: req.actor!.personId,
    })
    if (!result.ok)
      return renderBecome(req, reply, {
        values,
        errors: formErrors([[result.field, result.message]], datedHrefs),
      })
    return reply.redirect(paths.trustPolicy.index(), 303)
  })

  joinTrustRoutes(app)
}

export default trustPolicyRoutes
