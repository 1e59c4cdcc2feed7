/**
 * Issue 14 (ADR 0050): a single school on the same installation joins a trust as a new academy,
 * keeping its history. Two people consent: the trust's administrator makes an invitation (a
 * one-time code, and the date from which the school follows the trust's policy); the school's
 * administrator accepts it with the code. Accepting, in one transaction: every row of the school's
 * organisation moves to the trust (people, policy versions, sessions, records, contracts, kept
 * figures), except its audit entries, which are append-only and stay readable by school and
 * person; the school adopts the trust's policy from the date, keeping as its own overrides the
 * rules of its policy the trust's lets it keep (a stricter frequency, a requirement of its own:
 * domain/policy/joining.ts), shown before it consents; its own versions still govern every day
 * before, so no past day is judged again.
 */
import { createHash, randomInt } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { organisationSummary, schoolsOf } from '../../db/repositories/schools.ts'
import {
  type CustomRoleClash,
  clashingCustomRoles,
  clashingEmails,
  giveCentralPeopleTheSchool,
  insertInvitation,
  invitationsOf,
  lockInvitationByCode,
  lockOrganisation,
  markInvitationAccepted,
  mergeSameCustomRoles,
  moveOrganisationInto,
  type StoredInvitation,
  standDownAdministrators,
} from '../../db/repositories/trust-join.ts'
import { trustPolicyVersionsOf } from '../../db/repositories/trust-policy.ts'
import { addDays, type IsoDate, maxDate } from '../../domain/calendar/index.ts'
import { composeAcademyPolicy, noOverrides } from '../../domain/policy/adoption.ts'
import { validatePolicy } from '../../domain/policy/index.ts'
import { type KeptOnJoining, overridesKeptOnJoining } from '../../domain/policy/joining.ts'
import { recordAudit } from '../audit.ts'
import { policyBook } from './on-date.ts'
import { saveAdoptionIn } from './trust.ts'

export type { StoredInvitation }

/** How long an invitation's code can be used. */
export const invitationDays = 30

/** Letters and digits that cannot be mistaken for each other when read out or typed. */
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A code of 12 characters in three groups: about 59 bits, single use, for 30 days. */
function newCode(): string {
  let code = ''
  for (let i = 0; i < 12; i++) code += alphabet[randomInt(alphabet.length)]
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`
}

/** The code as typed, without spaces or hyphens, upper case: what is hashed. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

/** The SHA-256 a code is kept as (and a school's file names its invitation by, ADR 52). */
export function hashCode(code: string): string {
  return createHash('sha256')
    .update(`haven-join:${normaliseCode(code)}`)
    .digest('hex')
}

export type InviteResult =
  | { ok: true; code: string; expiresOn: IsoDate }
  | { ok: false; field: string; message: string }

/** The trust invites a school to join it, following its policy from `effectiveFrom` (today or later). */
export async function inviteSchool(
  db: Db,
  input: { organisationId: string; effectiveFrom: IsoDate; today: IsoDate; actorId: string },
): Promise<InviteResult> {
  return db.transaction().execute(async (trx): Promise<InviteResult> => {
    const organisation = await organisationSummary(trx, input.organisationId)
    if (organisation.kind !== 'trust')
      return { ok: false, field: 'effectiveFrom', message: 'Only a trust invites a school to join it' }
    if ((await trustPolicyVersionsOf(trx, input.organisationId)).length === 0)
      return {
        ok: false,
        field: 'effectiveFrom',
        message: 'Publish the trust policy before inviting a school: the school follows it from the date',
      }
    if (input.effectiveFrom < input.today)
      return {
        ok: false,
        field: 'effectiveFrom',
        message: 'The date the school follows the trust policy must be today or in the future',
      }
    const code = newCode()
    const expiresOn = addDays(input.today, invitationDays)
    const id = await insertInvitation(trx, input.organisationId, {
      codeHash: hashCode(code),
      effectiveFrom: input.effectiveFrom,
      expiresOn,
      createdBy: input.actorId,
    })
    await recordAudit(trx, {
      action: 'trust.join-invited',
      subjectType: 'trust-join-invitation',
      subjectId: id,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: null,
      detail: { effectiveFrom: input.effectiveFrom, expiresOn },
    })
    return { ok: true, code, expiresOn }
  })
}

export async function trustInvitations(db: Db, organisationId: string): Promise<StoredInvitation[]> {
  return invitationsOf(db, organisationId)
}

export type JoinPreview =
  | {
      ok: true
      trustName: string
      effectiveFrom: IsoDate
      schoolName: string
      kept: string[]
      notKept: string[]
      /** The school's roles that are the trust's already, each said in words. */
      rolesJoined: string[]
    }
  | { ok: false; field: string; message: string }

export type JoinResult =
  | { ok: true; trustOrganisationId: string; schoolId: string; effectiveFrom: IsoDate }
  | { ok: false; field: string; message: string }

const badCode = { ok: false as const, field: 'code', message: 'Enter the code the trust gave you, as it was given' }

/**
 * What of the school's own policy on the date it keeps as its first adoption's overrides
 * (overridesKeptOnJoining), checked against the trust's newest version: when the result would not
 * be a valid policy, nothing is kept and everything is listed as replaced.
 */
async function keptOnJoining(
  trx: DbOrTrx,
  school: { id: string; name: string },
  trust: { organisationId: string; name: string },
  effectiveFrom: IsoDate,
): Promise<KeptOnJoining> {
  const own = (await policyBook(trx, school.id)).on(effectiveFrom)
  const newest = (await trustPolicyVersionsOf(trx, trust.organisationId)).at(-1)
  if (!own || !newest) return { overrides: noOverrides, kept: [], notKept: [] }
  const kept = overridesKeptOnJoining(own, newest.document)
  if (kept.kept.length === 0) return kept
  const { sources: _sources, ...composed } = composeAcademyPolicy(
    newest.document,
    { version: 1, effectiveFrom, overrides: kept.overrides },
    { name: school.name, trustName: trust.name },
  )
  if (validatePolicy(composed).ok) return kept
  return { overrides: noOverrides, kept: [], notKept: [...kept.kept, ...kept.notKept] }
}

export class JoinRefused extends Error {
  readonly result: { ok: false; field: string; message: string }
  constructor(result: { ok: false; field: string; message: string }) {
    super(result.message)
    this.result = result
  }
}

/**
 * What joining keeps and whether it can go ahead, in the caller's transaction: refused when a
 * custom role of the school has a name (or the id made from it) the trust already uses, or someone
 * of the school has the email address of someone of the trust (each unique in an organisation:
 * moving them would fail); otherwise what of the school's own
 * policy it keeps. Shared by joining on the same installation and importing a school's file (ADR 52).
 */
export async function prepareJoining(
  trx: DbOrTrx,
  input: {
    organisationId: string
    school: { id: string; name: string }
    invitation: { organisationId: string; trustName: string }
    effectiveFrom: IsoDate
  },
): Promise<
  | {
      ok: true
      kept: KeptOnJoining
      /** The school's roles with the id of one of the trust's: completeJoining makes them the trust's. */
      sameRoles: CustomRoleClash[]
      /** The same, each said in words. */
      rolesJoined: string[]
    }
  | { ok: false; field: string; message: string }
> {
  const from = input.organisationId
  const to = input.invitation.organisationId
  // A role with the trust's role's id is that role (completeJoining makes them one); the same name
  // on a role Haven holds apart (a policy's own role id) cannot be made one.
  const roles = await clashingCustomRoles(trx, from, to)
  const clashes = [
    ...roles
      .filter((r) => r.id !== r.trustId)
      .map(
        (r) =>
          `The trust already has a role called ${r.trustName}, which Haven holds apart from the school’s role ${r.name}: the school cannot join with two roles of one name`,
      ),
    ...(await clashingEmails(trx, from, to)).map(
      (e) =>
        `The trust already has someone with the email address ${e.email} (${e.trustName}): change it for one of them before joining`,
    ),
  ]
  if (clashes.length > 0) return { ok: false, field: 'code', message: clashes.join('. ') }
  const kept = await keptOnJoining(
    trx,
    input.school,
    { organisationId: input.invitation.organisationId, name: input.invitation.trustName },
    input.effectiveFrom,
  )
  const sameRoles = roles.filter((r) => r.id === r.trustId)
  const rolesJoined = sameRoles.map((r) =>
    r.name === r.trustName
      ? `${r.name}: the trust has this role already`
      : `${r.name}: the trust has this role already, as ${r.trustName}`,
  )
  return { ok: true, kept, sameRoles, rolesJoined }
}

/**
 * The school joins the trust, in the caller's transaction, once both have consented: its
 * administrators stood down, its central people given the school, every row of its organisation
 * moved to the trust, the invitation used, the trust's policy adopted from the date keeping what
 * `prepareJoining` found, and the join audited in both organisations. Throws JoinRefused (the
 * caller's transaction then writes nothing) when the adoption is refused. Shared by joining on the
 * same installation and importing a school's file (ADR 52).
 */
export async function completeJoining(
  trx: DbOrTrx,
  input: {
    organisationId: string
    school: { id: string; name: string }
    invitation: { id: string; organisationId: string }
    effectiveFrom: IsoDate
    kept: KeptOnJoining
    /** The school's roles that become the trust's (prepareJoining's `sameRoles`). */
    sameRoles: readonly CustomRoleClash[]
    today: IsoDate
    actorId: string
    at: Date
    field?: string
  },
): Promise<Record<string, unknown>> {
  const { school, invitation, effectiveFrom, kept } = input
  // The school's administrators: in a trust, administrators manage every school, so the
  // trust's administrators take over and the school's keep their other roles.
  const administrators = await standDownAdministrators(trx, input.organisationId)
  const centralPeople = await giveCentralPeopleTheSchool(trx, input.organisationId, school.id)
  await mergeSameCustomRoles(trx, input.organisationId, invitation.organisationId, input.sameRoles)
  const moved = await moveOrganisationInto(trx, input.organisationId, invitation.organisationId, input.at)
  await markInvitationAccepted(trx, invitation.id, { schoolId: school.id, acceptedBy: input.actorId, at: input.at })
  const adopted = await saveAdoptionIn(trx, {
    organisationId: invitation.organisationId,
    schoolId: school.id,
    change: () => kept.overrides,
    effectiveFrom,
    today: input.today,
    reason: null,
    actorId: input.actorId,
    action: 'trust-policy.adopted',
  })
  if (!adopted.ok)
    throw new JoinRefused({
      ok: false,
      field: input.field ?? 'code',
      message: `${school.name} cannot follow the trust policy from that date: ${adopted.problems[0]?.message ?? ''}`,
    })
  const detail = {
    fromOrganisationId: input.organisationId,
    trustOrganisationId: invitation.organisationId,
    invitationId: invitation.id,
    effectiveFrom,
    ownRulesKept: kept.kept.length,
    ownRulesReplaced: kept.notKept.length,
    administratorsStoodDown: administrators,
    centralPeopleGivenSchool: centralPeople,
    rolesMadeTheTrusts: input.sameRoles.map((r) => r.id),
    moved,
  }
  // Written in both organisations: the school's old one (where its earlier entries stay) and the trust.
  await recordAudit(trx, {
    action: 'organisation.joined-trust',
    subjectType: 'organisation',
    subjectId: input.organisationId,
    actorId: input.actorId,
    organisationId: input.organisationId,
    schoolId: school.id,
    detail,
  })
  await recordAudit(trx, {
    action: 'trust.school-joined',
    subjectType: 'school',
    subjectId: school.id,
    actorId: input.actorId,
    organisationId: invitation.organisationId,
    schoolId: school.id,
    detail,
  })
  return detail
}

/**
 * The school accepts the trust's invitation (`confirm` false: only checks the code and says what
 * would happen). Refused, with nothing written, when the code is unknown, used, withdrawn or out of
 * date, when the organisation is not a single school, or when the move or the adoption would be.
 */
export async function joinTrust(
  db: Db,
  input: { organisationId: string; code: string; today: IsoDate; actorId: string; at: Date; confirm: boolean },
): Promise<JoinResult | JoinPreview> {
  try {
    return await db.transaction().execute(async (trx): Promise<JoinResult | JoinPreview> => {
      if (normaliseCode(input.code).length !== 12) return badCode
      const invitation = await lockInvitationByCode(trx, hashCode(input.code))
      if (!invitation || invitation.acceptedAt || invitation.withdrawnAt) return badCode
      if (invitation.expiresOn < input.today)
        return { ok: false, field: 'code', message: 'The code has expired: ask the trust for a new one' }
      if (invitation.trustKind !== 'trust' || invitation.organisationId === input.organisationId) return badCode
      const organisation = await lockOrganisation(trx, input.organisationId)
      if (organisation?.kind !== 'single-school' || organisation.joinedOrganisationId)
        return { ok: false, field: 'code', message: 'Only a single school joins a trust' }
      const schools = await schoolsOf(trx, input.organisationId)
      const school = schools.length === 1 ? schools[0]! : null
      if (!school) return { ok: false, field: 'code', message: 'Only a single school joins a trust' }
      // A code accepted after its date: the school follows the trust's policy from today, never a past day.
      const effectiveFrom = maxDate(invitation.effectiveFrom, input.today)
      const kept = await prepareJoining(trx, {
        organisationId: input.organisationId,
        school,
        invitation,
        effectiveFrom,
      })
      if (!kept.ok) return kept
      if (!input.confirm)
        return {
          ok: true,
          trustName: invitation.trustName,
          effectiveFrom,
          schoolName: school.name,
          kept: kept.kept.kept,
          notKept: kept.kept.notKept,
          rolesJoined: kept.rolesJoined,
        }

      await completeJoining(trx, {
        organisationId: input.organisationId,
        school,
        invitation,
        effectiveFrom,
        kept: kept.kept,
        sameRoles: kept.sameRoles,
        today: input.today,
        actorId: input.actorId,
        at: input.at,
      })
      return { ok: true, trustOrganisationId: invitation.organisationId, schoolId: school.id, effectiveFrom }
    })
  } catch (error) {
    if (error instanceof JoinRefused) return error.result
    throw error
  }
}
