/**
 * Records for the staff member's file (issue 14): the list of records (or answers) waiting to be
 * filed in staff files, and marking one filed. Only those who manage staff (the DSL, the
 * administrators) see it, for the schools they reach.
 */
import type { FastifyInstance } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { field } from '../../../forms/errors.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { markFiledInStaffFile, staffFileList, staffFilingSchoolOf } from '../../../services/records/staff-file.ts'
import { schoolFor, schoolPage, schoolQuery, withQuery } from '../../school-scope.ts'
import { actorOf } from './shared.ts'

const manageStaff = { access: { permission: Permission.StaffManage } }

export function staffFileRoutes(app: FastifyInstance): void {
  const db = app.db

  app.get<{ Querystring: { school?: string; filed?: string } }>(
    paths.records.staffFile.pattern,
    { config: manageStaff },
    schoolPage(schoolFor, async (req, reply, found) => {
      return reply.view('records/views/staff-file.njk', {
        pageTitle: 'Records for staff files',
        backLink: { href: paths.records.index(), text: 'Records' },
        school: found.school,
        schools: found.schools,
        schoolQuery: schoolQuery(found.school, found.schools),
        pending: await staffFileList(db, found.school.id),
        filed: req.query.filed === '1',
      })
    }),
  )

  app.post<{ Params: { recordId: string } }>(
    paths.records.staffFiled.pattern,
    { config: manageStaff },
    async (req, reply) => {
      const actor = actorOf(req)
      const schoolId = await staffFilingSchoolOf(db, actor.organisationId, req.params.recordId)
      if (schoolId === null || !req.actor!.inReach(schoolId)) return renderNotFound(req, reply)
      await markFiledInStaffFile(db, { schoolId, recordId: req.params.recordId, actor })
      const back = withQuery(paths.records.staffFile(), field(req.body, 'schoolQuery'))
      return reply.redirect(withQuery(back, 'filed=1'), 303)
    },
  )
}
