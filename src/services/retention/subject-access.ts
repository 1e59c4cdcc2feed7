/**
 * Subject access (issue 15): everything Haven holds about one person, for the DSL to give them,
 * as a ZIP streamed with archiver: the person and their employment and roles, sessions, a PDF of
 * every record they are in (the record PDF service), contracts, actions, requests, audit entries
 * about them or by them, and their wellbeing items, as JSON. Other people's names and words are
 * not removed by Haven: `redaction-review.json` lists, file by file, what must be reviewed for
 * third parties before the export is handed over. `manifest.json` gives each file's SHA-256.
 * The export is audited (ids only).
 */
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { ZipArchive } from 'archiver'
import type { Db } from '../../db/database.ts'
import { pupilsOfSchool } from '../../db/repositories/children.ts'
import { findContract, peopleByIds, signaturesOf } from '../../db/repositories/contracts.ts'
import { recordInOrganisation } from '../../db/repositories/records/records.ts'
import { peopleOfSchool } from '../../db/repositories/staff/people.ts'
import {
  subjectActions,
  subjectAuditEntries,
  subjectContracts,
  subjectPerson,
  subjectRecordIds,
  subjectRequests,
  subjectSessions,
  subjectSupervisionAssignments,
  subjectWellbeing,
} from '../../db/repositories/subject-access.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { contractSigners } from '../../domain/contracts/signers.ts'
import { recordAudit } from '../audit.ts'
import { contractPdf } from '../contracts/pdf.ts'
import { contractSetting, roleOnContract } from '../contracts/setting.ts'
import { policyBook } from '../policy/on-date.ts'
import { recordIntegrity } from '../records/integrity.ts'
import { recordPdf } from '../records/pdf.ts'
import type { LoadedRecord } from '../records/store.ts'
import type { RetentionActor } from './retention.ts'

/** The people of the school a DSL may export for, in name order. */
export async function subjectAccessPeople(db: Db, schoolId: string): Promise<{ id: string; name: string }[]> {
  return (await peopleOfSchool(db, schoolId)).map((p) => ({ id: p.id, name: p.name }))
}

export interface ThirdPartyNote {
  file: string
  /** Other people named in it (as parties, or found in its text). */
  names: string[]
  why: string
}

export interface SubjectAccessExport {
  filename: string
  stream: Readable
}

/** The text of a record in which other people's names may appear. */
function recordText(record: LoadedRecord): string {
  return JSON.stringify([
    record.document.values,
    record.document.actions,
    record.document.decisions,
    record.document.carried,
    record.document.boundary,
    record.comments.map((c) => c.text),
    record.addenda.map((a) => a.text),
  ])
}

/**
 * A signed (or since superseded) contract as the PDF the contract page gives (services/contracts/pdf.ts),
 * with the policy version it was issued under; null for a draft, an unsigned or a removed contract.
 */
async function signedContractPdf(
  db: Db,
  input: { organisationId: string; schoolName: string; contractId: string; today: string },
): Promise<Buffer | null> {
  const contract = await findContract(db, input.organisationId, input.contractId)
  if (!contract || contract.signedAt === null || contract.status === 'draft' || contract.status === 'issued')
    return null
  const [signatures, setting, people] = await Promise.all([
    signaturesOf(db, input.organisationId, [contract.id]),
    contractSetting(db, contract.schoolId, input.today, { policyVersion: contract.policyVersion }),
    peopleByIds(db, input.organisationId, [contract.superviseeId, contract.supervisorId]),
  ])
  const supervisee = people.get(contract.superviseeId)
  const supervisor = people.get(contract.supervisorId)
  if (!supervisee || !supervisor) return null
  const role = (p: typeof supervisee) => (setting ? roleOnContract(setting.policy, p) : p.jobTitle)
  return contractPdf({
    schoolName: input.schoolName,
    academicYear: contract.academicYear,
    status: contract.status,
    text: contract.text,
    supervisee: { name: supervisee.name, role: role(supervisee) },
    supervisor: { name: supervisor.name, role: role(supervisor) },
    signedBy: contractSigners(setting?.policySignedBy, { supervisee, supervisor }),
    signatures,
    reviewOn: contract.reviewOn,
    issuedAt: contract.issuedAt,
    contentHash: contract.contentHash,
  })
}

function slugDate(date: string | null | undefined): string {
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : 'undated'
}

/**
 * The export for a person of the school; null when there is no such person. Audited before the
 * first byte is sent.
 */
export async function subjectAccessExport(
  db: Db,
  input: {
    schoolId: string
    schoolName: string
    personId: string
    actor: RetentionActor
    now: Date
  },
): Promise<SubjectAccessExport | null> {
  const person = await subjectPerson(db, input.schoolId, input.personId)
  if (!person) return null
  const [assignments, sessions, records, contracts, actions, requests, audit, wellbeing] = await Promise.all([
    subjectSupervisionAssignments(db, input.actor.organisationId, input.personId),
    subjectSessions(db, input.schoolId, input.personId),
    subjectRecordIds(db, input.schoolId, input.personId),
    subjectContracts(db, input.schoolId, input.personId),
    subjectActions(db, input.schoolId, input.personId),
    subjectRequests(db, input.schoolId, input.personId),
    subjectAuditEntries(db, input.actor.organisationId, input.schoolId, input.personId),
    subjectWellbeing(db, input.schoolId, input.personId),
  ])

  await recordAudit(db, {
    action: 'subject-access.exported',
    subjectType: 'person',
    subjectId: input.personId,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: input.schoolId,
    ip: input.actor.ip ?? null,
    detail: { records: records.length, sessions: sessions.length, contracts: contracts.length },
  })

  const zip = new ZipArchive({ zlib: { level: 6 } })
  const manifest: { file: string; sha256: string; bytes: number }[] = []
  const notes: ThirdPartyNote[] = []
  const add = (name: string, content: Buffer | string) => {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    manifest.push({ file: name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length })
    zip.append(bytes, { name, date: input.now })
  }
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
  // Everyone else Haven knows at the school (staff and pupils), looked for in the records' free text.
  const known = [
    ...(await peopleOfSchool(db, input.schoolId)).map((p) => p.name),
    ...(await pupilsOfSchool(db, input.schoolId)).map((p) => p.name),
  ]
  const others = known.filter((n) => n.trim() !== '' && n !== person.name)

  // Written as the archive is read: each record's PDF is made only when the previous one is in.
  const fill = async () => {
    add(
      'README.txt',
      [
        `Everything ${input.schoolName} holds about ${person.name} in Haven, exported on ${input.now.toISOString()}.`,
        '',
        'person.json: their details, employment and roles; who supervises or line-manages them, and whom they do.',
        'sessions.json: the supervision sessions they took part in.',
        'records/: a PDF of every record of those sessions; records.json lists them.',
        'contracts/: a PDF of every signed supervision contract; contracts.json lists them all.',
        'contracts.json, actions.json, requests.json, wellbeing.json: their contracts, actions, requests,',
        '  stress risk assessments, referrals and development plan.',
        'audit.json: audit entries about them, and what they did in Haven; those the school brought from its',
        '  previous Haven installation, when it joined its trust, are marked broughtFromPreviousInstallation.',
        '',
        'Before handing this over, review redaction-review.json: it lists the files that name or quote',
        'other people (colleagues, children, families), which may need to be redacted.',
        'manifest.json gives the SHA-256 of every file.',
        '',
      ].join('\n'),
    )
    add('person.json', json({ ...person, supervision: assignments }))
    add('sessions.json', json(sessions))
    const sessionNames = [...new Set(sessions.flatMap((s) => s.others.map((o) => o.name)))]
    if (sessionNames.length > 0)
      notes.push({ file: 'sessions.json', names: sessionNames, why: 'Other people who took part in sessions.' })

    const listed: unknown[] = []
    const book = await policyBook(db, input.schoolId)
    for (const r of records) {
      if (r.removedAt) {
        listed.push({
          id: r.id,
          date: r.date,
          status: r.status,
          removedUnderRetention: r.removedAt,
          contentHash: r.contentHash,
        })
        continue
      }
      const record = await recordInOrganisation(db, input.actor.organisationId, r.id)
      if (!record) continue
      const file = `records/${slugDate(r.date)}-${r.id.slice(0, 8)}.pdf`
      const pdf = await recordPdf({
        record,
        schoolName: input.schoolName,
        integrity: await recordIntegrity(db, record),
        generatedAt: input.now,
        childRecordSystem: book.on(r.date)?.childRecord.system ?? null,
      })
      add(file, pdf)
      listed.push({ id: r.id, date: r.date, status: r.status, file, contentHash: r.contentHash })
      const session = record.document.session
      const parties = [...(session?.supervisors ?? []), ...(session?.supervisees ?? [])]
        .filter((p) => p.personId !== input.personId)
        .map((p) => p.name)
      const children = record.document.decisions.map((d) => d.name).filter((n) => n)
      const text = recordText(record)
      const mentioned = others.filter((n) => text.includes(n))
      const names = [...new Set([...parties, ...children, ...mentioned])]
      notes.push({
        file,
        names,
        why:
          children.length > 0
            ? 'Names colleagues and children or families discussed in supervision; its answers may quote other people.'
            : 'Names colleagues; its answers may quote or describe other people.',
      })
    }
    add('records.json', json(listed))
    // A PDF of every signed contract, as its page gives it; contracts.json lists each with its file.
    const listedContracts: unknown[] = []
    for (const c of contracts) {
      const pdf = c.removedUnderRetention
        ? null
        : await signedContractPdf(db, {
            organisationId: input.actor.organisationId,
            schoolName: input.schoolName,
            contractId: c.id,
            today: londonDateOf(input.now),
          })
      if (!pdf) {
        listedContracts.push(c)
        continue
      }
      const file = `contracts/${c.academicYear}-${c.id.slice(0, 8)}.pdf`
      add(file, pdf)
      listedContracts.push({ ...c, file })
      const other = c.role === 'supervisee' ? c.supervisor : c.supervisee
      notes.push({ file, names: other ? [other] : [], why: 'The other party to the contract, who signed it too.' })
    }
    add('contracts.json', json(listedContracts))
    const contractNames = [...new Set(contracts.map((c) => (c.role === 'supervisee' ? c.supervisor : c.supervisee)))]
    if (contractNames.length > 0)
      notes.push({
        file: 'contracts.json',
        names: contractNames.filter((n): n is string => n !== null),
        why: 'The other party to each contract.',
      })
    add('actions.json', json(actions))
    add('requests.json', json(requests))
    add('audit.json', json(audit))
    add('wellbeing.json', json(wellbeing))
    if (wellbeing.developmentPlan.some((d) => d.owner && d.owner !== person.name))
      notes.push({ file: 'wellbeing.json', names: [], why: 'Development plan items owned by other people.' })
    add(
      'redaction-review.json',
      json({
        instructions:
          'Each file below names or may quote people other than the person this export is for. Review it, and redact third parties’ personal data where the law requires, before handing the export over.',
        files: notes,
      }),
    )
    const manifestBytes = Buffer.from(
      json({ person: person.id, generatedAt: input.now.toISOString(), files: manifest }),
    )
    zip.append(manifestBytes, { name: 'manifest.json', date: input.now })
    await zip.finalize()
  }
  fill().catch((err: unknown) => zip.destroy(err instanceof Error ? err : new Error(String(err))))
  return {
    filename: `subject-access-${input.now.toISOString().slice(0, 10)}-${person.id.slice(0, 8)}.zip`,
    stream: zip,
  }
}
