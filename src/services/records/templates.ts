/**
 * Templates as a school uses them (X-01, issue 7): the built-in templates of the five packs, and
 * the school's own copies, each version kept (table record_template). A save never changes a
 * version: it adds the next one, so a record always has the template it was written on.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import * as stored from '../../db/repositories/templates.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import {
  copyTemplate,
  type Template,
  type TemplateKind,
  type TemplateProblem,
  templateIdPattern,
  validateTemplate,
} from '../../domain/records/template.ts'
import { builtInTemplates, packOfTemplate, templateById } from '../../packs/templates.ts'
import { recordAudit } from '../audit.ts'

export interface SchoolTemplate {
  template: Template
  version: number
  createdAt: Date
  createdBy: string | null
}

export interface TemplateSummary {
  id: string
  name: string
  kind: TemplateKind
  version: number
  source: 'built-in' | 'school'
  packId: string | null
  basedOn: { id: string; version: number } | null
  /** The policy in force names it (contract, agenda, preparation or a record). */
  usedByPolicy: boolean
}

function asTemplate(document: unknown): Template | null {
  const checked = validateTemplate(document)
  return checked.ok ? checked.template : null
}

/** Template ids the policy names. */
export function policyTemplateIds(policy: PolicyDocument | null): Set<string> {
  const ids = new Set<string>()
  if (!policy) return ids
  const t = policy.templates
  for (const id of [t.contract, t.agenda, t.preparation]) if (id) ids.add(id)
  for (const r of t.records) ids.add(r.templateId)
  return ids
}

/** The latest version of each of the school's own templates, by name. */
export async function schoolTemplates(db: DbOrTrx, schoolId: string): Promise<SchoolTemplate[]> {
  return validVersions(await stored.latestTemplateVersions(db, schoolId)).sort((a, b) =>
    a.template.name.localeCompare(b.template.name, 'en-GB'),
  )
}

/** The versions whose template still validates, as the school's templates. */
function validVersions(versions: readonly stored.StoredTemplateVersion[]): SchoolTemplate[] {
  const out: SchoolTemplate[] = []
  for (const r of versions) {
    const template = asTemplate(r.document)
    if (template) out.push({ template, version: r.version, createdAt: r.createdAt, createdBy: r.createdBy })
  }
  return out
}

/** Every version of one of the school's templates, newest first. */
export async function schoolTemplateVersions(
  db: DbOrTrx,
  schoolId: string,
  templateId: string,
): Promise<SchoolTemplate[]> {
  return validVersions(await stored.templateVersions(db, schoolId, templateId))
}

/** One version of the school's template (the latest when no version is given). */
export async function schoolTemplate(
  db: DbOrTrx,
  schoolId: string,
  templateId: string,
  version?: number,
): Promise<Template | null> {
  const document = await stored.templateDocument(db, schoolId, templateId, version)
  return document === undefined ? null : asTemplate(document)
}

/** The school's own template with this id if it has one, else the built-in one, else null. */
export async function resolveTemplate(db: DbOrTrx, schoolId: string, templateId: string): Promise<Template | null> {
  return (await schoolTemplate(db, schoolId, templateId)) ?? templateById(templateId) ?? null
}

/** Built-in and school templates together, for the templates page. */
export async function templateSummaries(
  db: DbOrTrx,
  schoolId: string,
  policy: PolicyDocument | null,
): Promise<TemplateSummary[]> {
  const used = policyTemplateIds(policy)
  const own = await schoolTemplates(db, schoolId)
  return [
    ...own.map((s) => ({
      id: s.template.id,
      name: s.template.name,
      kind: s.template.kind,
      version: s.version,
      source: 'school' as const,
      packId: null,
      basedOn: s.template.basedOn ?? null,
      usedByPolicy: used.has(s.template.id),
    })),
    ...builtInTemplates().map((t) => ({
      id: t.id,
      name: t.name,
      kind: t.kind,
      version: t.version,
      source: 'built-in' as const,
      packId: packOfTemplate(t.id) ?? null,
      basedOn: null,
      usedByPolicy: used.has(t.id),
    })),
  ]
}

/** A free template id for a copy, made from the school's slug and the name. */
export async function freeTemplateId(db: DbOrTrx, schoolId: string, wanted: string): Promise<string> {
  const base = wanted
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^[0-9-]+/, '')
    .slice(0, 56)
    .replace(/-+$/, '')
  const stem = base === '' ? 'template' : base
  const taken = await stored.templateIdsOfSchool(db, schoolId)
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? stem : `${stem}-${String(n)}`
    if (!taken.has(candidate) && templateById(candidate) === undefined && templateIdPattern.test(candidate))
      return candidate
  }
}

export interface TemplateActor {
  actorId: string
  organisationId: string
  schoolId: string
  ip?: string | null
}

/** Copies a template (built-in or the school's own) as the school's own, version 1. Returns the new id. */
export async function copyToSchool(db: Db, actor: TemplateActor, from: Template, name: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const id = await freeTemplateId(trx, actor.schoolId, name)
    const copy = copyTemplate(from, id, name)
    const inserted = await stored.insertTemplateVersion(trx, actor.schoolId, {
      templateId: id,
      version: 1,
      document: copy,
      basedOn: copy.basedOn ?? null,
      createdBy: actor.actorId,
    })
    if (!inserted) throw new Error(`template ${id} was taken while it was being copied`)
    await recordAudit(trx, {
      action: 'template.copy',
      subjectType: 'template',
      subjectId: id,
      actorId: actor.actorId,
      organisationId: actor.organisationId,
      schoolId: actor.schoolId,
      detail: { from: from.id, fromVersion: from.version },
      ip: actor.ip ?? null,
    })
    return id
  })
}

export type SaveTemplateResult =
  | { ok: true; version: number }
  | { ok: false; problems: TemplateProblem[] }
  | { ok: false; conflict: true; latest: number }

/**
 * Saves an edited template as the next version. `basedOnVersion` is the version the editor
 * started from: if someone saved another version since, nothing is saved (conflict).
 */
export async function saveTemplateVersion(
  db: Db,
  actor: TemplateActor,
  input: { templateId: string; basedOnVersion: number; template: Template; change: string },
): Promise<SaveTemplateResult> {
  const next: Template = { ...input.template, id: input.templateId, version: input.basedOnVersion + 1 }
  const checked = validateTemplate(next)
  if (!checked.ok) return { ok: false, problems: checked.problems }
  return db.transaction().execute(async (trx) => {
    const latest = await stored.lockLatestVersion(trx, actor.schoolId, input.templateId)
    if (latest === null || latest !== input.basedOnVersion) {
      return { ok: false, conflict: true, latest: latest ?? 0 } as const
    }
    const inserted = await stored.insertTemplateVersion(trx, actor.schoolId, {
      templateId: input.templateId,
      version: next.version,
      document: checked.template,
      basedOn: checked.template.basedOn ?? null,
      createdBy: actor.actorId,
    })
    if (!inserted) return { ok: false, conflict: true, latest: next.version } as const
    await recordAudit(trx, {
      action: 'template.save',
      subjectType: 'template',
      subjectId: input.templateId,
      actorId: actor.actorId,
      organisationId: actor.organisationId,
      schoolId: actor.schoolId,
      detail: { version: next.version, change: input.change },
      ip: actor.ip ?? null,
    })
    return { ok: true, version: next.version } as const
  })
}

export interface TemplateChoice {
  template: Template
  description: string
  perChildOrFamily: boolean
}

/**
 * The templates a record of this session type may be written on: the policy's record templates
 * for the type and its agenda (the school's own copy when it has one of that id), then the
 * school's own record and agenda templates.
 */
export async function recordTemplateChoices(
  db: DbOrTrx,
  schoolId: string,
  policy: PolicyDocument | null,
  typeId: string,
): Promise<TemplateChoice[]> {
  const choices: TemplateChoice[] = []
  const seen = new Set<string>()
  const add = (template: Template | null, description: string, perChildOrFamily = false) => {
    if (!template || seen.has(template.id)) return
    if (template.kind !== 'record' && template.kind !== 'agenda') return
    seen.add(template.id)
    choices.push({ template, description, perChildOrFamily })
  }
  for (const use of policy?.templates.records ?? []) {
    if (use.sessionTypes.length > 0 && !use.sessionTypes.includes(typeId)) continue
    add(await resolveTemplate(db, schoolId, use.templateId), use.description, use.perChildOrFamily)
  }
  if (policy?.templates.agenda)
    add(await resolveTemplate(db, schoolId, policy.templates.agenda), 'The agenda for the session')
  for (const own of await schoolTemplates(db, schoolId)) add(own.template, own.template.description)
  return choices
}

/** Who saved each version, by name (null when Haven does not know). */
export async function versionAuthors(
  db: DbOrTrx,
  organisationId: string,
  versions: readonly SchoolTemplate[],
): Promise<Map<string, string>> {
  const ids = [...new Set(versions.map((v) => v.createdBy).filter((x): x is string => x !== null))]
  return stored.namesOfPeople(db, organisationId, ids)
}
