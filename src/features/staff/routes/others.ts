/**
 * People who are not employees (issue 14): the list of a school's governors, committee chairs,
 * volunteers and external supervisors, adding one, and changing one. They are never on the staff
 * list; their own page is the person page (/staff/:id), which links here to change them.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { reachesEverySchool } from '../../../domain/access/schools.ts'
import { isStaff } from '../../../domain/people/kinds.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { changeOtherPerson, createOtherPerson } from '../../../services/staff/others.ts'
import { getStoredPerson, listStaff, listTrustOthers, type StaffListItem } from '../../../services/staff/people.ts'
import { customRolesFor, organisationCustomRoles } from '../../../services/staff/roles.ts'
import { organisationOf as organisationNamed } from '../../../services/staff/schools.ts'
import { pageNumber, pagination } from '../../outbox/pagination.ts'
import { type FoundSchool, schoolById, schoolFor, schoolPage, schoolQuery } from '../../school-scope.ts'
import { refuseUnlessTrustWide } from '../../trust-policy/editor.ts'
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
    schoolPage(schoolFor, async (req, reply, found) => {
      const page = pageNumber(req.query.page)
      if (page === null) return renderNotFound(req, reply)
      const { school, schools } = found
      const list = await listStaff(
        app.db,
        school,
        { q: '', role: null, flag: null, page, pageSize: PAGE_SIZE, people: 'not-staff' },
        app.clock(),
      )
      return listOf(reply, schoolPlace(found), list, page, (n) =>
        paths.staff.others({
          school: schools.length > 1 ? school.slug : undefined,
          page: n > 1 ? n : undefined,
        }),
      )
    }),
  )

  /** Where the person belongs: a school, or the trust itself (issue 14: no academy of their own). */
  interface Place {
    organisationId: string
    schoolId: string | null
    name: string
    list: { href: string; text: string }
    addHref: string
  }

  function schoolPlace(found: FoundSchool): Place {
    const { school, schools } = found
    const sq = schoolQuery(school, schools)
    return {
      organisationId: school.organisationId,
      schoolId: school.id,
      name: school.name,
      list: { href: paths.staff.others(sq), text: 'People who are not staff' },
      addHref: paths.staff.addOther(sq),
    }
  }

  /** The trust, for its central team only; null (after answering) for anyone else or a single school. */
  async function trustPlace(req: FastifyRequest, reply: FastifyReply): Promise<Place | null> {
    if (refuseUnlessTrustWide(req, reply)) return null
    const organisation = await organisationNamed(app.db, organisationOf(req))
    if (organisation.kind !== 'trust') {
      await renderNotFound(req, reply)
      return null
    }
    return {
      organisationId: organisationOf(req),
      schoolId: null,
      name: organisation.name,
      list: { href: paths.staff.trustOthers(), text: 'The trust’s people who are not staff' },
      addHref: paths.staff.addTrustOther(),
    }
  }

  /** The roles a person of the place may hold: the school's, or for the trust's own people any of the trust's. */
  function rolesOf(place: Place) {
    return place.schoolId === null
      ? organisationCustomRoles(app.db, place.organisationId)
      : customRolesFor(app.db, place.organisationId, place.schoolId)
  }

  async function renderForm(
    reply: FastifyReply,
    options: {
      place: Place
      values: OtherPersonFormValues
      person?: { id: string; name: string }
      errors?: FormErrors
      status?: 400 | 409
    },
  ) {
    const { place } = options
    const customRoles = await rolesOf(place)
    const adding = options.person === undefined
    const heading = adding ? 'Add someone who is not staff' : `Change ${options.person!.name}’s details`
    const context = {
      pageTitle: heading,
      heading,
      school: { name: place.name },
      adding,
      backLink: adding
        ? place.list
        : { href: paths.staff.person({ id: options.person!.id }), text: options.person!.name },
      action: adding ? place.addHref : paths.staff.editOther({ id: options.person!.id }),
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

  async function roleIdsOf(place: Place) {
    const customRoles = await rolesOf(place)
    return [...roleCatalogue, ...customRoles].map((r) => r.id)
  }

  /** Adds the person to the place (school or trust) from the form posted. */
  async function addTo(req: FastifyRequest, reply: FastifyReply, place: Place) {
    const values = otherPersonValues(req.body)
    const form = parseForm(
      otherPersonForm({ adding: true, roleIds: await roleIdsOf(place) }),
      req.body,
      otherPersonHrefs,
    )
    if (!form.ok) return renderForm(reply, { place, values, errors: form.errors })
    const { version: _, ...fields } = form.value
    const result = await createOtherPerson(app.db, {
      scope: { organisationId: place.organisationId, schoolId: place.schoolId },
      fields,
      actor: req.actor!,
      today: todayOf(app),
    })
    if (result.ok) return reply.redirect(paths.staff.person({ id: result.id }, { saved: 'added' }), 303)
    const errors =
      result.kind === 'field'
        ? problemErrors([result], otherPersonHrefs)
        : problemErrors([{ field: 'name', message: 'Try again' }])
    return renderForm(reply, { place, values, errors })
  }

  /** The list of a place's people who are not staff. */
  async function listOf(
    reply: FastifyReply,
    place: Place,
    list: { total: number; people: StaffListItem[] },
    page: number,
    pageHref: (n: number) => string,
  ) {
    const customRoles = await rolesOf(place)
    const roleName = roleNamer(customRoles)
    const today = todayOf(app)
    return reply.view('staff/views/others.njk', {
      pageTitle: place.list.text,
      heading: place.list.text,
      trust: place.schoolId === null,
      school: { name: place.name },
      addHref: place.addHref,
      total: list.total,
      people: list.people.map((p) => ({
        ...p,
        href: paths.staff.person({ id: p.id }),
        kindName: personKindItems().find((k) => k.value === p.kind)?.text ?? '',
        roles: p.roles.map(roleName),
        accessEnded: p.accessEndsOn !== null && p.accessEndsOn < today,
        invitation: invitationTag(p.invitation),
      })),
      pagination: pagination(page, Math.max(1, Math.ceil(list.total / PAGE_SIZE)), pageHref),
    })
  }

  app.get<{ Querystring: { page?: string } }>(
    paths.staff.trustOthers.pattern,
    { config: manage },
    async (req, reply) => {
      const place = await trustPlace(req, reply)
      if (!place) return reply
      const page = pageNumber(req.query.page)
      if (page === null) return renderNotFound(req, reply)
      const list = await listTrustOthers(app.db, place.organisationId, { page, pageSize: PAGE_SIZE }, app.clock())
      return listOf(reply, place, list, page, (n) => paths.staff.trustOthers({ page: n > 1 ? n : undefined }))
    },
  )

  app.get(paths.staff.addTrustOther.pattern, { config: manage }, async (req, reply) => {
    const place = await trustPlace(req, reply)
    if (!place) return reply
    return renderForm(reply, { place, values: { ...emptyOtherPersonValues } })
  })

  app.post(paths.staff.addTrustOther.pattern, { config: manage }, async (req, reply) => {
    const place = await trustPlace(req, reply)
    if (!place) return reply
    return addTo(req, reply, place)
  })

  app.get<{ Querystring: { school?: string } }>(
    paths.staff.addOther.pattern,
    { config: manage },
    schoolPage(schoolFor, async (_req, reply, found) => {
      return renderForm(reply, { place: schoolPlace(found), values: { ...emptyOtherPersonValues } })
    }),
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.staff.addOther.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      return addTo(req, reply, schoolPlace(found))
    }),
  )

  /** The person, when they are not an employee; a member of staff is changed on the staff form. */
  async function loadOther(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    const stored = await getStoredPerson(app.db, organisationOf(req), req.params.id)
    if (!stored) return null
    if (isStaff(stored.person)) return stored.person.schoolId === null ? null : { staff: true as const }
    // Issue 14: one of the trust's own people, changed by its central team only.
    if (stored.person.schoolId === null) {
      if (!reachesEverySchool(req.actor!)) return null
      const place = await trustPlace(req, reply)
      return place ? { staff: false as const, stored, place } : { answered: true as const }
    }
    const found = await schoolById(req, stored.person.schoolId)
    return found ? { staff: false as const, stored, place: schoolPlace(found) } : null
  }

  app.get<{ Params: { id: string } }>(paths.staff.editOther.pattern, { config: manage }, async (req, reply) => {
    const loaded = await loadOther(req, reply)
    if (!loaded) return renderNotFound(req, reply)
    if ('answered' in loaded) return reply
    if (loaded.staff) return reply.redirect(paths.staff.edit({ id: req.params.id }), 303)
    const { stored, place } = loaded
    return renderForm(reply, {
      place,
      person: stored.person,
      values: otherPersonValuesOf(stored.person, {
        organisationName: stored.externalOrganisation,
        version: stored.version,
      }),
    })
  })

  app.post<{ Params: { id: string } }>(paths.staff.editOther.pattern, { config: manage }, async (req, reply) => {
    const loaded = await loadOther(req, reply)
    if (!loaded) return renderNotFound(req, reply)
    if ('answered' in loaded) return reply
    if (loaded.staff) return reply.redirect(paths.staff.edit({ id: req.params.id }), 303)
    const { stored, place } = loaded
    const values = { ...otherPersonValues(req.body), email: stored.person.email }
    const form = parseForm(
      otherPersonForm({ adding: false, roleIds: await roleIdsOf(place) }),
      req.body,
      otherPersonHrefs,
    )
    if (!form.ok) return renderForm(reply, { place, person: stored.person, values, errors: form.errors })
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
        place,
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
      place,
      person: stored.person,
      values,
      errors: problemErrors([result], otherPersonHrefs),
    })
  })
}

export default othersRoutes
