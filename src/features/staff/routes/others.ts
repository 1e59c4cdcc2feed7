/**
 * People who are not employees (issue 14): the list of a school's governors, committee chairs,
 * volunteers and external supervisors, adding one, and changing one. They are never on the staff
 * list; their own page is the person page (/staff/:id), which links here to change them.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { isStaff } from '../../../domain/people/kinds.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { changeOtherPerson, createOtherPerson } from '../../../services/staff/others.ts'
import { getStoredPerson, listStaff } from '../../../services/staff/people.ts'
import { customRolesFor } from '../../../services/staff/roles.ts'
import { pageNumber, pagination } from '../../outbox/pagination.ts'
import { type FoundSchool, schoolById, schoolFor, schoolQuery } from '../../school-scope.ts'
import {
  emptyOtherPersonValues,
  type OtherPersonFormValues,
  otherPersonForm,
  otherPersonHrefs,
  otherPersonValues,
  otherPersonValuesOf,
  readVersion,
} from '../forms.ts'
import { capabilityItems, invitationTag, personKindItems, roleNamer } from '../presenters.ts'
import { conflictMessage, manage, organisationOf, todayOf } from './shared.ts'

const PAGE_SIZE = 50

const othersRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { school?: string; page?: string } }>(
    paths.staff.others.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const page = pageNumber(req.query.page)
      if (page === null) return renderNotFound(req, reply)
      const { school, schools } = found
      const sq = schoolQuery(school, schools)
      const customRoles = await customRolesFor(app.db, school.organisationId, school.id)
      const roleName = roleNamer(customRoles)
      const list = await listStaff(
        app.db,
        school,
        { q: '', role: null, flag: null, page, pageSize: PAGE_SIZE, people: 'not-staff' },
        app.clock(),
      )
      const today = todayOf(app)
      return reply.view('staff/views/others.njk', {
        pageTitle: 'People who are not staff',
        school,
        addHref: paths.staff.addOther(sq),
        total: list.total,
        people: list.people.map((p) => ({
          ...p,
          href: paths.staff.person({ id: p.id }),
          kindName: personKindItems().find((k) => k.value === p.kind)?.text ?? '',
          roles: p.roles.map(roleName),
          accessEnded: p.accessEndsOn !== null && p.accessEndsOn < today,
          invitation: invitationTag(p.invitation),
        })),
        pagination: pagination(page, Math.max(1, Math.ceil(list.total / PAGE_SIZE)), (n) =>
          paths.staff.others({
            school: schools.length > 1 ? school.slug : undefined,
            page: n > 1 ? n : undefined,
          }),
        ),
      })
    },
  )

  async function renderForm(
    reply: FastifyReply,
    options: {
      found: FoundSchool
      values: OtherPersonFormValues
      person?: { id: string; name: string }
      errors?: FormErrors
      status?: 400 | 409
    },
  ) {
    const { school, schools } = options.found
    const customRoles = await customRolesFor(app.db, school.organisationId, school.id)
    const adding = options.person === undefined
    const heading = adding ? 'Add someone who is not staff' : `Change ${options.person!.name}’s details`
    const context = {
      pageTitle: heading,
      heading,
      school,
      adding,
      backLink: adding
        ? { href: paths.staff.others(schoolQuery(school, schools)), text: 'People who are not staff' }
        : { href: paths.staff.person({ id: options.person!.id }), text: options.person!.name },
      action: adding
        ? paths.staff.addOther(schoolQuery(school, schools))
        : paths.staff.editOther({ id: options.person!.id }),
      values: options.values,
      kindItems: personKindItems(),
      capabilityItems: capabilityItems(options.values.capabilities),
      roleItems: [...roleCatalogue, ...customRoles].map((r) => ({
        value: r.id,
        text: r.name,
        checked: options.values.roles.includes(r.id),
      })),
    }
    if (options.errors)
      return renderInvalid(reply, 'staff/views/other-person-form.njk', context, options.errors, options.status)
    return reply.view('staff/views/other-person-form.njk', { ...context, errors: noErrors })
  }

  async function roleIdsOf(found: FoundSchool) {
    const customRoles = await customRolesFor(app.db, found.school.organisationId, found.school.id)
    return [...roleCatalogue, ...customRoles].map((r) => r.id)
  }

  app.get<{ Querystring: { school?: string } }>(
    paths.staff.addOther.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      return renderForm(reply, { found, values: { ...emptyOtherPersonValues } })
    },
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.staff.addOther.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const values = otherPersonValues(req.body)
      const form = parseForm(
        otherPersonForm({ adding: true, roleIds: await roleIdsOf(found) }),
        req.body,
        otherPersonHrefs,
      )
      if (!form.ok) return renderForm(reply, { found, values, errors: form.errors })
      const { version: _, ...fields } = form.value
      const result = await createOtherPerson(app.db, {
        scope: { organisationId: found.school.organisationId, schoolId: found.school.id },
        fields,
        actor: req.actor!,
        today: todayOf(app),
      })
      if (result.ok) return reply.redirect(paths.staff.person({ id: result.id }, { saved: 'added' }), 303)
      const errors =
        result.kind === 'field'
          ? problemErrors([result], otherPersonHrefs)
          : problemErrors([{ field: 'name', message: 'Try again' }])
      return renderForm(reply, { found, values, errors })
    },
  )

  /** The person, when they are not an employee; a member of staff is changed on the staff form. */
  async function loadOther(req: FastifyRequest<{ Params: { id: string } }>) {
    const stored = await getStoredPerson(app.db, organisationOf(req), req.params.id)
    if (!stored || stored.person.schoolId === null) return null
    if (isStaff(stored.person)) return { staff: true as const }
    const found = await schoolById(req, stored.person.schoolId)
    return found ? { staff: false as const, stored, found } : null
  }

  app.get<{ Params: { id: string } }>(paths.staff.editOther.pattern, { config: manage }, async (req, reply) => {
    const loaded = await loadOther(req)
    if (!loaded) return renderNotFound(req, reply)
    if (loaded.staff) return reply.redirect(paths.staff.edit({ id: req.params.id }), 303)
    const { stored, found } = loaded
    return renderForm(reply, {
      found,
      person: stored.person,
      values: otherPersonValuesOf(stored.person, {
        organisationName: stored.externalOrganisation,
        version: stored.version,
      }),
    })
  })

  app.post<{ Params: { id: string } }>(paths.staff.editOther.pattern, { config: manage }, async (req, reply) => {
    const loaded = await loadOther(req)
    if (!loaded) return renderNotFound(req, reply)
    if (loaded.staff) return reply.redirect(paths.staff.edit({ id: req.params.id }), 303)
    const { stored, found } = loaded
    const values = { ...otherPersonValues(req.body), email: stored.person.email }
    const form = parseForm(
      otherPersonForm({ adding: false, roleIds: await roleIdsOf(found) }),
      req.body,
      otherPersonHrefs,
    )
    if (!form.ok) return renderForm(reply, { found, person: stored.person, values, errors: form.errors })
    const version = readVersion(req.body)
    const { version: _, email: __, ...fields } = form.value
    const result =
      version === null
        ? ({ ok: false, kind: 'conflict' } as const)
        : await changeOtherPerson(app.db, {
            organisationId: organisationOf(req),
            personId: stored.person.id,
            version,
            fields,
            actor: req.actor!,
            today: todayOf(app),
            now: app.clock(),
          })
    if (result.ok) return reply.redirect(paths.staff.person({ id: stored.person.id }, { saved: 'changed' }), 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    if (result.kind === 'conflict') {
      const fresh = await getStoredPerson(app.db, organisationOf(req), stored.person.id)
      if (!fresh) return renderNotFound(req, reply)
      return renderForm(reply, {
        found,
        person: fresh.person,
        values: otherPersonValuesOf(fresh.person, {
          organisationName: fresh.externalOrganisation,
          version: fresh.version,
        }),
        errors: formErrors([['form', conflictMessage]], { form: 'other-person-form' }),
        status: 409,
      })
    }
    return renderForm(reply, {
      found,
      person: stored.person,
      values,
      errors: problemErrors([result], otherPersonHrefs),
    })
  })
}

export default othersRoutes
