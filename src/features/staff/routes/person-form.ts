/** Adding someone, and changing someone's details (with optimistic locking on their version). */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { canSeeAdditionalSupport, canSeeAllAdditionalSupport } from '../../../domain/access/sensitive.ts'
import { isStaff } from '../../../domain/people/kinds.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { createPerson, getPersonDetail, getStoredPerson, updatePerson } from '../../../services/staff/people.ts'
import { customRolesFor } from '../../../services/staff/roles.ts'
import { supervisionCandidates } from '../../../services/staff/supervision.ts'
import { type FoundSchool, schoolById, schoolFor, schoolQuery } from '../../school-scope.ts'
import {
  emptyPersonFormValues,
  flagKeys,
  type PersonFormValues,
  personFormHrefs,
  personFormValues,
  readPersonForm,
  readVersion,
} from '../forms.ts'
import { employmentTypeLabels, flagLabels } from '../presenters.ts'
import { candidateItems, conflictMessage, manage, organisationOf, todayOf } from './shared.ts'

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

function roleItems(
  customRoles: readonly { id: string; name: string; description: string }[],
  checked: readonly string[],
) {
  return [...roleCatalogue, ...customRoles].map((r) => ({
    value: r.id,
    text: r.name,
    hint: { text: r.description },
    checked: checked.includes(r.id),
  }))
}

function flagItems(values: PersonFormValues, showAdditionalSupport: boolean) {
  return flagKeys
    .filter((k) => k !== 'additionalSupport' || showAdditionalSupport)
    .map((k) => ({
      value: k,
      text: flagLabels[k],
      checked: values.flags.includes(k),
      ...(k === 'additionalSupport'
        ? {
            hint: {
              text: 'For example stress, personal difficulties or performance. Only the DSL, deputy DSL and their line manager and supervisor see this.',
            },
          }
        : {}),
    }))
}

const personFormRoutes: FastifyPluginAsync = async (app) => {
  async function renderPersonForm(
    reply: FastifyReply,
    options: {
      mode: 'add' | 'edit'
      found: FoundSchool
      values: PersonFormValues
      errors?: FormErrors
      status?: 400 | 409
      personId?: string
      personName?: string
      showAdditionalSupport: boolean
    },
  ) {
    const { school, schools } = options.found
    const customRoles = await customRolesFor(app.db, school.organisationId, school.id)
    const candidates =
      options.mode === 'add'
        ? await supervisionCandidates(app.db, {
            organisationId: school.organisationId,
            schoolId: school.id,
            kind: 'line-manager',
            today: todayOf(app),
          })
        : []
    const sq = schoolQuery(school, schools)
    const adding = options.mode === 'add'
    const heading = adding ? 'Add a person' : `Change ${options.personName}’s details`
    const context = {
      pageTitle: heading,
      heading,
      backLink: adding
        ? { href: paths.staff.index(sq), text: 'Staff' }
        : { href: paths.staff.person({ id: options.personId! }), text: options.personName },
      mode: options.mode,
      school,
      action: adding ? paths.staff.add(sq) : paths.staff.edit({ id: options.personId! }),
      values: options.values,
      roleItems: roleItems(customRoles, options.values.roles),
      flagItems: flagItems(options.values, options.showAdditionalSupport),
      lineManagerItems: candidateItems(candidates, options.values.lineManagerId, 'No line manager', school.id),
      employmentItems: Object.entries(employmentTypeLabels).map(([value, text]) => ({ value, text })),
      weekdayItems: weekdayNames.map((text, i) => ({
        value: String(i + 1),
        text,
        checked: options.values.workingDays.includes(String(i + 1)),
      })),
    }
    if (options.errors)
      return renderInvalid(reply, 'staff/views/person-form.njk', context, options.errors, options.status)
    return reply.view('staff/views/person-form.njk', { ...context, errors: noErrors })
  }

  // -------------------------------------------------------------------------------------------
  // Adding someone
  // -------------------------------------------------------------------------------------------

  app.get<{ Querystring: { school?: string } }>(paths.staff.add.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    return renderPersonForm(reply, {
      mode: 'add',
      found,
      values: { ...emptyPersonFormValues },
      showAdditionalSupport: canSeeAllAdditionalSupport(req.actor!),
    })
  })

  app.post<{ Querystring: { school?: string } }>(paths.staff.add.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, req.query.school)
    if (!found) return renderNotFound(req, reply)
    const actor = req.actor!
    const showAdditionalSupport = canSeeAllAdditionalSupport(actor)
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    const form = readPersonForm(req.body, { customRoleIds: customRoles.map((r) => r.id), today: todayOf(app) })
    const common = { mode: 'add' as const, found, values: form.values, showAdditionalSupport }
    if (!form.ok) return renderPersonForm(reply, { ...common, errors: form.errors })
    const fields = showAdditionalSupport
      ? form.fields
      : {
          ...form.fields,
          flags: { ...form.fields.flags, additionalSupport: false },
          flagDates: { ...form.fields.flagDates, additionalSupport: undefined },
        }
    const result = await createPerson(app.db, {
      scope: { organisationId: found.school.organisationId, schoolId: found.school.id },
      fields,
      externalOrganisation: form.externalOrganisation,
      actor,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.staff.person({ id: result.id }, { saved: 'added' }), 303)
    const errors =
      result.kind === 'field' ? problemErrors([result]) : problemErrors([{ field: 'name', message: 'Try again' }])
    return renderPersonForm(reply, { ...common, errors })
  })

  // -------------------------------------------------------------------------------------------
  // Changing someone's details (optimistic locking)
  // -------------------------------------------------------------------------------------------

  async function loadForEdit(req: FastifyRequest, id: string) {
    const stored = await getStoredPerson(app.db, organisationOf(req), id)
    if (!stored || stored.person.schoolId === null) return null
    const row = stored.person
    const found = await schoolById(req, row.schoolId)
    if (!found) return null
    const detail = await getPersonDetail(app.db, organisationOf(req), id)
    if (!detail) return null
    const mayChangeAdditionalSupport = canSeeAdditionalSupport(req.actor!, {
      id: row.id,
      lineManagerId: row.lineManagerId,
      supervisorIds: detail.supervisor ? [detail.supervisor.id] : [],
    })
    return { stored, row, found, mayChangeAdditionalSupport }
  }

  app.get<{ Params: { id: string } }>(paths.staff.edit.pattern, { config: manage }, async (req, reply) => {
    const loaded = await loadForEdit(req, req.params.id)
    if (!loaded) return renderNotFound(req, reply)
    // People who are not employees (issue 14) are changed on their own form (routes/others.ts).
    if (!isStaff(loaded.row)) return reply.redirect(paths.staff.editOther({ id: loaded.row.id }), 303)
    const person = loaded.row
    return renderPersonForm(reply, {
      mode: 'edit',
      found: loaded.found,
      values: personFormValues(person, {
        externalOrganisation: loaded.stored.externalOrganisation,
        version: loaded.stored.version,
      }),
      personId: person.id,
      personName: person.name,
      showAdditionalSupport: loaded.mayChangeAdditionalSupport,
    })
  })

  app.post<{ Params: { id: string } }>(paths.staff.edit.pattern, { config: manage }, async (req, reply) => {
    const loaded = await loadForEdit(req, req.params.id)
    if (!loaded) return renderNotFound(req, reply)
    if (!isStaff(loaded.row)) return reply.redirect(paths.staff.editOther({ id: loaded.row.id }), 303)
    const { row, found, mayChangeAdditionalSupport } = loaded
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    const form = readPersonForm(req.body, { customRoleIds: customRoles.map((r) => r.id), today: todayOf(app) })
    const common = {
      mode: 'edit' as const,
      found,
      personId: row.id,
      personName: row.name,
      showAdditionalSupport: mayChangeAdditionalSupport,
    }
    const version = readVersion(req.body)
    if (!form.ok) return renderPersonForm(reply, { ...common, values: form.values, errors: form.errors })
    const result =
      version === null
        ? ({ ok: false, kind: 'conflict' } as const)
        : await updatePerson(app.db, {
            organisationId: organisationOf(req),
            personId: row.id,
            version,
            fields: { ...form.fields, lineManagerId: row.lineManagerId },
            externalOrganisation: form.externalOrganisation,
            mayChangeAdditionalSupport,
            actor: req.actor!,
            baseUrl: app.config.baseUrl,
          })
    if (result.ok) {
      const saved = result.emailWaiting ? 'email-waiting' : 'changed'
      return reply.redirect(paths.staff.person({ id: row.id }, { saved }), 303)
    }
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    if (result.kind === 'conflict') {
      // Show what is saved now, with the new version: nothing the other person saved is overwritten.
      const fresh = await getStoredPerson(app.db, organisationOf(req), row.id)
      if (!fresh) return renderNotFound(req, reply)
      return renderPersonForm(reply, {
        ...common,
        values: personFormValues(fresh.person, {
          externalOrganisation: fresh.externalOrganisation,
          version: fresh.version,
        }),
        errors: formErrors([['form', conflictMessage]], { form: 'person-form' }),
        status: 409,
      })
    }
    return renderPersonForm(reply, {
      ...common,
      values: form.values,
      errors: problemErrors([result], personFormHrefs),
    })
  })
}

export default personFormRoutes
