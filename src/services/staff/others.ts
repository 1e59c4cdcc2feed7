/**
 * People who are not employees (issue 14): governors, committee chairs, volunteers and external
 * supervisors. Adding and changing them (they sign in as everyone does: the same invitation,
 * password and two-step rules of services/auth), listing them apart from the staff, and who
 * receives a school's reports.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  findPerson,
  insertOtherPerson,
  type OtherPersonColumns,
  type PersonScope,
  type ReportRecipientRow,
  reportReceiversOf,
  updateOtherPerson,
} from '../../db/repositories/staff/people.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { roleChangeProblem } from '../../domain/access/role-changes.ts'
import { accessEnded, isStaff, reportRecipients as reportRecipientsOn } from '../../domain/people/kinds.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { recordAudit } from '../audit.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { applyRecordRoleRule } from '../auth/role-grants.ts'
import { schoolDsls } from '../auth/school-dsls.ts'
import { addPersonInTransaction, type SavePersonResult } from './people.ts'

export type OtherPersonFields = OtherPersonColumns
export type { ReportRecipientRow }

/**
 * Adds someone who is not an employee to a school, or to the trust itself (`schoolId` null, issue
 * 14: a trust's governor, volunteer or external supervisor, who belongs to no one academy), with an
 * audit entry.
 */
export async function createOtherPerson(
  db: Db,
  input: { scope: PersonScope; fields: OtherPersonFields; actor: Actor; today: IsoDate },
): Promise<SavePersonResult> {
  const { scope, fields } = input
  return addPersonInTransaction(
    db,
    { scope, actor: input.actor, today: input.today, name: fields.name, email: fields.email, roles: fields.roles },
    {
      action: 'staff.other-person-created',
      detail: { kind: fields.kind, capabilities: fields.capabilities, accessEndsOn: fields.accessEndsOn },
    },
    (trx) => insertOtherPerson(trx, scope, fields),
  )
}

/**
 * Changes someone who is not an employee (their email address is changed as anyone's is, on their
 * page's own journey). When their access now ends before `today`, their sessions and links end at once.
 */
export async function changeOtherPerson(
  db: Db,
  input: {
    organisationId: string
    personId: string
    version: number
    fields: Omit<OtherPersonFields, 'email'>
    actor: Actor
    today: IsoDate
    now: Date
  },
): Promise<SavePersonResult> {
  return db.transaction().execute(async (trx) => {
    const stored = await findPerson(trx, input.organisationId, input.personId, { forUpdate: true })
    if (!stored || isStaff(stored.person)) return { ok: false, kind: 'not-found' }
    if (stored.version !== input.version) return { ok: false, kind: 'conflict' }
    const before = stored.person
    const scope = { organisationId: input.organisationId, schoolId: stored.person.schoolId }
    const rolesChanged = [...before.roles].sort().join() !== [...input.fields.roles].sort().join()
    let roles = [...input.fields.roles]
    if (rolesChanged) {
      const problem = roleChangeProblem(input.actor, before.id, before.roles, roles)
      if (problem) return { ok: false, kind: 'field', field: 'roles', message: problem }
      roles = await applyRecordRoleRule(
        trx,
        { ...scope, personId: before.id, personName: input.fields.name, before: before.roles, after: roles },
        { actorId: input.actor.personId, dsls: await schoolDsls(trx, scope, input.today) },
      )
    }
    const saved = await updateOtherPerson(trx, input.organisationId, before.id, input.version, {
      ...input.fields,
      roles,
    })
    if (!saved) return { ok: false, kind: 'conflict' }
    await recordAudit(trx, {
      action: 'staff.other-person-updated',
      subjectType: 'person',
      subjectId: before.id,
      actorId: input.actor.personId,
      organisationId: input.organisationId,
      schoolId: scope.schoolId,
      detail: {
        kind: input.fields.kind,
        capabilities: input.fields.capabilities,
        accessEndsOn: input.fields.accessEndsOn,
        version: input.version + 1,
      },
    })
    if (accessEnded(input.fields, input.today) && !accessEnded(before, input.today))
      await revokeAndAudit(
        trx,
        {
          personId: before.id,
          organisationId: input.organisationId,
          schoolId: scope.schoolId,
          actorId: input.actor.personId,
          reason: 'left',
        },
        input.now,
      )
    return { ok: true, id: before.id }
  })
}

/**
 * Issue 14: who receives the school's reports on `today` (a governors' report goes to them): the
 * people of the school, or of its trust centrally, who may receive reports and can still sign in.
 */
export async function reportRecipients(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<ReportRecipientRow[]> {
  return reportRecipientsOn(await reportReceiversOf(db, schoolId), today)
}
