/**
 * Issue 14 (ADR 0052): a single school joins a trust that runs on another Haven installation,
 * keeping its history.
 *
 * On the school's installation, its administrator enters the code of the trust's invitation and
 * confirms: the school has moved (its data read-only here, no more mail), and an Ed25519 key is
 * made for its file. The administrator downloads the school's file (every row of the school, found
 * in the catalogue, and its audit entries, with a SHA-256 manifest signed by the key) and reads the
 * key's fingerprint to the trust's administrator.
 *
 * On the trust's installation, the trust's administrator uploads the file and types the
 * fingerprint. The file is checked (signature, manifest, fingerprint, the invitation it answers,
 * the same version of Haven), then in ONE transaction: every row goes in with its own id (refused
 * if any id is already there), the school's audit entries are kept as a read-only segment beside
 * the trust's chain, its head recorded in a `trust.school-imported` entry, and the school joins
 * exactly as on the same installation (prepareJoining, completeJoining: its own versions still
 * judge every day before the date, X-01). Anything wrong: a message, and nothing written.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { PassThrough, type Readable } from 'node:stream'
import { createGzip, gunzipSync } from 'node:zlib'
import type { Db } from '../../db/database.ts'
import {
  appliedMigrations,
  deleteExport,
  exportOf,
  hasMovedAway,
  insertAuditSegment,
  insertExport,
  insertStaged,
  markDownloaded,
  readSchoolFile,
  schoolTables,
  stagedClashes,
  stageRows,
  stopWaitingMail,
} from '../../db/repositories/school-bundle.ts'
import { organisationSummary, schoolsOf } from '../../db/repositories/schools.ts'
import { lockInvitationByCode } from '../../db/repositories/trust-join.ts'
import { type IsoDate, maxDate } from '../../domain/calendar/index.ts'
import {
  BUNDLE_FORMAT,
  BUNDLE_MAGIC,
  BUNDLE_VERSION,
  type BundleManifest,
  type CarriedAuditEntry,
  keyFingerprint,
  manifestLines,
  normaliseFingerprint,
  rawPublicKey,
  readBundle,
  type SectionDigest,
  SectionHasher,
} from '../../domain/trust/bundle.ts'
import { checkCarriedEntries, recordAudit } from '../audit.ts'
import { completeJoining, hashCode, JoinRefused, normaliseCode, prepareJoining } from '../policy/trust-join.ts'

/** The largest school's file the trust's installation takes (as uploaded, gzipped). */
export const MAX_SCHOOL_FILE_BYTES = 100 * 1024 * 1024
/** The most it may hold unzipped: a file that unzips to more is refused, not read. */
const MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024

export { hasMovedAway }

type Refusal = { ok: false; field: string; message: string }

// The school's installation ----------------------------------------------------------------------

export interface MovedAway {
  fingerprint: string
  movedAt: Date
  downloadedAt: Date | null
  schoolId: string
}

export async function movedAway(db: Db, organisationId: string): Promise<MovedAway | null> {
  const stored = await exportOf(db, organisationId)
  return stored
    ? {
        fingerprint: keyFingerprint(stored.publicKey),
        movedAt: stored.movedAt,
        downloadedAt: stored.downloadedAt,
        schoolId: stored.schoolId,
      }
    : null
}

export type MovePreview = { ok: true; preview: true; schoolName: string }
export type MoveResult = { ok: true; preview: false; fingerprint: string }

/**
 * The school's administrator enters the trust's code (`confirm` false: only checks it and says what
 * happens). Confirmed: the school has moved (read-only here, no more mail), with a new signing key.
 * The code itself can only be checked by the trust's installation, when the file arrives.
 */
export async function moveToTrustElsewhere(
  db: Db,
  input: { organisationId: string; code: string; actorId: string; at: Date; confirm: boolean },
): Promise<MovePreview | MoveResult | Refusal> {
  if (normaliseCode(input.code).length !== 12 || !/^[A-Z0-9]{12}$/.test(normaliseCode(input.code)))
    return { ok: false, field: 'code', message: 'Enter the code the trust gave you, as it was given' }
  return db.transaction().execute(async (trx): Promise<MovePreview | MoveResult | Refusal> => {
    const organisation = await organisationSummary(trx, input.organisationId)
    const schools = await schoolsOf(trx, input.organisationId)
    if (organisation.kind !== 'single-school' || schools.length !== 1)
      return { ok: false, field: 'code', message: 'Only a single school joins a trust' }
    const school = schools[0]!
    if (await exportOf(trx, input.organisationId))
      return { ok: false, field: 'code', message: `${school.name} has already moved: download its file below` }
    if (!input.confirm) return { ok: true, preview: true, schoolName: school.name }
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const raw = rawPublicKey(publicKey)
    await insertExport(trx, {
      organisationId: input.organisationId,
      schoolId: school.id,
      invitationHash: hashCode(input.code),
      publicKey: raw,
      privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      movedBy: input.actorId,
      movedAt: input.at,
    })
    const mailStopped = await stopWaitingMail(trx, input.organisationId)
    const fingerprint = keyFingerprint(raw)
    await recordAudit(trx, {
      action: 'organisation.moved-to-trust-elsewhere',
      subjectType: 'organisation',
      subjectId: input.organisationId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: school.id,
      detail: { fingerprint, mailStopped },
    })
    return { ok: true, preview: false, fingerprint }
  })
}

/** The school stays here after all (the trust never imported it): writable again, mail again. */
export async function cancelMove(db: Db, input: { organisationId: string; actorId: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const stored = await exportOf(trx, input.organisationId)
    if (!stored) return false
    await deleteExport(trx, input.organisationId)
    await recordAudit(trx, {
      action: 'organisation.move-cancelled',
      subjectType: 'organisation',
      subjectId: input.organisationId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: stored.schoolId,
      detail: { fingerprint: keyFingerprint(stored.publicKey) },
    })
    return true
  })
}

/**
 * The school's file, gzipped, streamed as it is read from one snapshot of the database; null when
 * the school has not moved. The manifest and its signature end it.
 */
export async function schoolFile(
  db: Db,
  input: { organisationId: string; actorId: string; at: Date },
): Promise<{ stream: Readable; filename: string } | null> {
  const stored = await exportOf(db, input.organisationId)
  if (!stored) return null
  const organisation = await organisationSummary(db, input.organisationId)
  const school = (await schoolsOf(db, input.organisationId)).find((s) => s.id === stored.schoolId)
  if (!school) return null
  const privateKey: KeyObject = createPrivateKey(stored.privateKey)
  const gzip = createGzip()
  const write = async (text: string) => {
    if (!gzip.write(text)) await new Promise<void>((resolve) => gzip.once('drain', resolve))
  }
  const out = new PassThrough()
  gzip.pipe(out)
  const run = async () => {
    let migrations: string[] = []
    const tables: SectionDigest[] = []
    let section: SectionHasher | null = null
    let audit: SectionDigest | null = null
    let head: { id: number; hash: string } | null = null
    await write(`${BUNDLE_MAGIC}\n`)
    await readSchoolFile(db, input.organisationId, {
      header: async (h) => {
        migrations = h.migrations
      },
      table: async (name) => {
        section = new SectionHasher(name)
        await write(`${JSON.stringify(['table', name])}\n`)
      },
      rows: async (lines) => {
        for (const line of lines) section!.add(line)
        await write(`${lines.join('\n')}\n`)
      },
      endTable: async (name) => {
        tables.push(section!.digest())
        await write(`${JSON.stringify(['end', name])}\n`)
      },
      audit: async () => {
        section = new SectionHasher('audit')
        await write(`${JSON.stringify(['audit'])}\n`)
      },
      auditRows: async (lines) => {
        for (const line of lines) section!.add(line)
        await write(`${lines.join('\n')}\n`)
      },
      endAudit: async (h) => {
        audit = section!.digest()
        head = h
        await write(`${JSON.stringify(['end', 'audit'])}\n`)
      },
    })
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      createdAt: input.at.toISOString(),
      migrations,
      organisation: { id: input.organisationId, name: organisation.name },
      school: { id: school.id, name: school.name },
      invitation: stored.invitationHash,
      publicKey: stored.publicKey,
      tables,
      audit: { ...(audit as unknown as SectionDigest), head },
    }
    await write(`${manifestLines(manifest, privateKey).join('\n')}\n`)
    gzip.end()
    await markDownloaded(db, input.organisationId, input.at)
  }
  run().catch((error: unknown) => out.destroy(error as Error))
  return { stream: out, filename: `${school.slug}.haven-school` }
}

// The trust's installation -----------------------------------------------------------------------

export interface ImportedSchool {
  ok: true
  schoolId: string
  schoolName: string
  effectiveFrom: IsoDate
  kept: string[]
  notKept: string[]
  /** The school's roles that were the trust's already, each said in words. */
  rolesJoined: string[]
  rows: number
  auditEntries: number
}

const messages = {
  notAFile: 'The selected file must be a school’s file from Haven',
  altered:
    'The school’s file has been changed since the school made it: ask the school’s administrator to download it again',
  version:
    'The school’s file was made by a different version of Haven: update both installations to the same version, then ask the school to download its file again',
  invitation: 'The school’s file was not made with the code of one of this trust’s invitations',
  expired:
    'The code the school’s file was made with has expired: make a new invitation, and ask the school to make its file with the new code',
  clash:
    'Some of the school’s records are already on this installation, so nothing was imported. The school may have been imported already',
  used: 'Something in the school’s file is already used on this installation (for example a school’s web address or a single sign-on account), so nothing was imported',
}

const fileRefusal = (message: string): Refusal => ({ ok: false, field: 'file', message })

/** Thrown inside the import's transaction to undo everything and say why. */
class ImportRefused extends Error {
  readonly result: Refusal
  constructor(result: Refusal) {
    super(result.message)
    this.result = result
  }
}

function unzip(file: Buffer): string | Refusal {
  try {
    return gunzipSync(file, { maxOutputLength: MAX_UNZIPPED_BYTES }).toString('utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      return fileRefusal('The school’s file is too large to import here: ask your hosting partner to move it')
    return fileRefusal(messages.notAFile)
  }
}

/**
 * The trust's administrator imports a school's file, with the fingerprint its administrator read
 * out. Refused, with nothing written, for a file that is not one, has been altered, does not match
 * the fingerprint, answers no open invitation of this trust, was made by another version of Haven,
 * or holds a row whose id is already here.
 */
export async function importSchoolFile(
  db: Db,
  input: { organisationId: string; file: Buffer; fingerprint: string; today: IsoDate; actorId: string; at: Date },
): Promise<ImportedSchool | Refusal> {
  if (input.file.length > MAX_SCHOOL_FILE_BYTES)
    return fileRefusal(`The school’s file must be smaller than ${MAX_SCHOOL_FILE_BYTES / 1024 / 1024} MB`)
  const text = unzip(input.file)
  if (typeof text !== 'string') return text
  const read = readBundle(text)
  if (!read.ok)
    return fileRefusal(
      read.problem === 'altered'
        ? messages.altered
        : read.problem === 'unknown-version'
          ? messages.version
          : messages.notAFile,
    )
  const { bundle } = read
  const { manifest } = bundle
  if (normaliseFingerprint(input.fingerprint) !== normaliseFingerprint(bundle.fingerprint))
    return {
      ok: false,
      field: 'fingerprint',
      message: 'The fingerprint does not match the school’s file: check it with the school’s administrator',
    }

  try {
    return await db.transaction().execute(async (trx): Promise<ImportedSchool | Refusal> => {
      const migrations = await appliedMigrations(trx)
      if (JSON.stringify(migrations) !== JSON.stringify(manifest.migrations)) return fileRefusal(messages.version)
      const trust = await organisationSummary(trx, input.organisationId)
      if (trust.kind !== 'trust') return fileRefusal('Only a trust imports a school')
      const invitation = await lockInvitationByCode(trx, manifest.invitation)
      if (
        !invitation ||
        invitation.acceptedAt ||
        invitation.withdrawnAt ||
        invitation.organisationId !== input.organisationId
      )
        return fileRefusal(messages.invitation)
      if (invitation.expiresOn < input.today) return fileRefusal(messages.expired)

      // Every row, parents first, with its own id; only tables that hold a school's rows here too.
      const tables = await schoolTables(trx)
      const known = new Set(tables.map((t) => t.shape.name))
      if (bundle.tables.some((t) => !known.has(t.name))) return fileRefusal(messages.version)
      const sections = new Map(bundle.tables.map((t) => [t.name, t.lines]))
      if (sections.get('organisation')?.length !== 1) throw new ImportRefused(fileRefusal(messages.altered))
      let rows = 0
      for (const table of tables) {
        const lines = sections.get(table.shape.name)
        if (!lines || lines.length === 0) continue
        await stageRows(trx, lines)
        if ((await stagedClashes(trx, table.shape)) > 0) throw new ImportRefused(fileRefusal(messages.clash))
        const { inserted, foreign } = await insertStaged(trx, table, manifest.organisation.id)
        // Rows that are not the school's by this installation's own rule: the file is not what it says.
        if (inserted !== lines.length || foreign > 0) throw new ImportRefused(fileRefusal(messages.altered))
        rows += inserted
      }
      const schools = await schoolsOf(trx, manifest.organisation.id)
      const school = schools.length === 1 && schools[0]!.id === manifest.school.id ? schools[0]! : null
      const organisation = await organisationSummary(trx, manifest.organisation.id)
      if (!school || organisation.kind !== 'single-school') throw new ImportRefused(fileRefusal(messages.altered))

      // The school's audit entries: each as its installation wrote it, the segment's head as signed.
      const entries = bundle.audit.map((line) => JSON.parse(line) as CarriedAuditEntry)
      const segment = checkCarriedEntries(entries, manifest.audit.head)
      if (!segment.ok) throw new ImportRefused(fileRefusal(messages.altered))

      // From here, exactly as a school on the same installation joins (ADR 50).
      const effectiveFrom = maxDate(invitation.effectiveFrom, input.today)
      const prepared = await prepareJoining(trx, {
        organisationId: manifest.organisation.id,
        school,
        invitation,
        effectiveFrom,
      })
      if (!prepared.ok) throw new ImportRefused(fileRefusal(prepared.message))
      const segmentId = await insertAuditSegment(trx, {
        organisationId: input.organisationId,
        schoolId: school.id,
        sourceOrganisationId: manifest.organisation.id,
        publicKey: manifest.publicKey,
        head: segment.head,
        at: input.at,
        lines: bundle.audit,
      })
      await completeJoining(trx, {
        organisationId: manifest.organisation.id,
        school,
        invitation,
        effectiveFrom,
        kept: prepared.kept,
        sameRoles: prepared.sameRoles,
        today: input.today,
        actorId: input.actorId,
        at: input.at,
        field: 'file',
      })
      await recordAudit(trx, {
        action: 'trust.school-imported',
        subjectType: 'school',
        subjectId: school.id,
        actorId: input.actorId,
        organisationId: input.organisationId,
        schoolId: school.id,
        detail: {
          sourceOrganisationId: manifest.organisation.id,
          invitationId: invitation.id,
          fingerprint: bundle.fingerprint,
          madeAt: manifest.createdAt,
          rows,
          tables: bundle.tables.filter((t) => t.lines.length > 0).length,
          auditSegmentId: segmentId,
          auditEntries: segment.entries,
          auditGaps: segment.gaps,
          auditHeadId: segment.head?.id ?? null,
          auditHeadHash: segment.head?.hash ?? null,
        },
      })
      return {
        ok: true,
        schoolId: school.id,
        schoolName: school.name,
        effectiveFrom,
        kept: prepared.kept.kept,
        notKept: prepared.kept.notKept,
        rolesJoined: prepared.rolesJoined,
        rows,
        auditEntries: segment.entries,
      }
    })
  } catch (error) {
    if (error instanceof ImportRefused || error instanceof JoinRefused) return error.result
    const code = (error as { code?: string }).code
    if (code === '23505') return fileRefusal(messages.used)
    // A row pointing at something that is not in the file, or a value this installation refuses.
    if (code === '23503' || code === '23514' || code === '23502' || code === '22P02')
      return fileRefusal(messages.altered)
    throw error
  }
}
