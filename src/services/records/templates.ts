/**
 * Templates as a school uses them (X-01, issue 7): the built-in templates of the five packs, and
 * the school's own copies, each version kept (table record_template). A save never changes a
 * version: it adds the next one, so a record always has the template it was written on.
 */
import type { Db } from '../../db/database.ts'
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
import type { DbOrTrx } from '../staff/repository.ts'

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
  const rows = await db
    .selectFrom('record_template')
    .select(['template_id', 'version', 'document', 'created_at', 'created_by'])
    .where('school_id', '=', schoolId)
    .where((eb) =>
      eb(
        'version',
        '=',
        eb
          .selectFrom('record_template as later')
          .select((e) => e.fn.max('later.version').as('v'))
          .whereRef('later.school_id', '=', 'record_template.school_id')
          .whereRef('later.template_id', '=', 'record_template.template_id'),
      ),
    )
    .execute()
  const out: SchoolTemplate[] = []
  for (const r of rows) {
    const template = asTemplate(r.document)
    if (template) out.push({ template, version: r.version, createdAt: r.created_at, createdBy: r.created_by })
  }
  return out.sort((a, b) => a.template.name.localeCompare(b.template.name, 'en-GB'))
}

/** Every version of one of the school's templates, newest first. */
export async function schoolTemplateVersions(
  db: DbOrTrx,
  schoolId: string,
  templateId: string,
): Promise<SchoolTemplate[]> {
  const rows = await db
    .selectFrom('record_template')
    .select(['version', 'document', 'created_at', 'created_by'])
    .where('school_id', '=', schoolId)
    .where('template_id', '=', templateId)
    .orderBy('version', 'desc')
    .execute()
  const out: SchoolTemplate[] = []
  for (const r of rows) {
    const template = asTemplate(r.document)
    if (template) out.push({ template, version: r.version, createdAt: r.created_at, createdBy: r.created_by })
  }
  return out
}

/** One version of the school's template (the latest when no version is given). */
export async function schoolTemplate(
  db: DbOrTrx,
  schoolId: string,
  templateId: string,
  version?: number,
): Promise<Template | null> {
  let query = db
    .selectFrom('record_template')
    .select(['document'])
    .where('school_id', '=', schoolId)
    .where('template_id', '=', templateId)
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version)
  const row = await query.executeTakeFirst()
  return row ? asTemplate(row.document) : null
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
  const taken = new Set(
    (
      await db
        .selectFrom('record_template')
        .select('template_id')
        .where('school_id', '=', schoolId)
        .distinct()
        .execute()
    ).map((r) => r.template_id),
  )
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
    await trx
      .insertInto('record_template')
      .values({
        school_id: actor.schoolId,
        template_id: id,
        version: 1,
        document: JSON.stringify(copy),
        based_on: JSON.stringify(copy.basedOn ?? null),
        created_by: actor.actorId,
      })
      .execute()
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
    const latest = await trx
      .selectFrom('record_template')
      .select(['version', 'based_on'])
      .where('school_id', '=', actor.schoolId)
      .where('template_id', '=', input.templateId)
      .orderBy('version', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst()
    if (!latest || latest.version !== input.basedOnVersion) {
      return { ok: false, conflict: true, latest: latest?.version ?? 0 } as const
    }
    const inserted = await trx
      .insertInto('record_template')
      .values({
        school_id: actor.schoolId,
        template_id: input.templateId,
        version: next.version,
        document: JSON.stringify(checked.template),
        based_on: JSON.stringify(checked.template.basedOn ?? null),
        created_by: actor.actorId,
      })
      .onConflict((oc) => oc.columns(['school_id', 'template_id', 'version']).doNothing())
      .returning('id')
      .executeTakeFirst()
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
