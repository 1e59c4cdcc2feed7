/**
 * The built-in templates of the five seed packs (issues 7 and 8): record forms, agendas,
 * preparation proformas and contracts, each a JSON file under src/packs/<pack-id>/templates/.
 * They are checked once, on first use, and frozen: a school changes a template by copying it
 * (copyTemplate), never by editing a built-in.
 */

import { deepFreeze } from '../domain/frozen.ts'
import { type Template, validateTemplate } from '../domain/records/template.ts'
import amAgenda from './ashbury-meadow/templates/am-agenda.json' with { type: 'json' }
import amContract from './ashbury-meadow/templates/am-contract.json' with { type: 'json' }
import amNotesActions from './ashbury-meadow/templates/am-notes-actions.json' with { type: 'json' }
import caCaseProforma from './cornerstone/templates/ca-case-proforma.json' with { type: 'json' }
import caContract from './cornerstone/templates/ca-contract.json' with { type: 'json' }
import caSupervisionRecord from './cornerstone/templates/ca-supervision-record.json' with { type: 'json' }
import lhContract from './lode-heath/templates/lh-contract.json' with { type: 'json' }
import lhManagementOversight from './lode-heath/templates/lh-management-oversight.json' with { type: 'json' }
import mwContract from './meanwood/templates/mw-contract.json' with { type: 'json' }
import mwDecisionRecord from './meanwood/templates/mw-decision-record.json' with { type: 'json' }
import mwEyfsRecord from './meanwood/templates/mw-eyfs-record.json' with { type: 'json' }
import plContract from './the-place/templates/pl-contract.json' with { type: 'json' }
import plSupervisionRecord from './the-place/templates/pl-supervision-record.json' with { type: 'json' }

export const TemplatePackId = {
  Meanwood: 'meanwood',
  LodeHeath: 'lode-heath',
  Cornerstone: 'cornerstone',
  ThePlace: 'the-place',
  AshburyMeadow: 'ashbury-meadow',
} as const
export type TemplatePackId = (typeof TemplatePackId)[keyof typeof TemplatePackId]

/** Each built-in template's JSON, with the pack it belongs to and its file (for error messages). */
const sources: readonly { packId: TemplatePackId; file: string; json: unknown }[] = [
  { packId: 'meanwood', file: 'meanwood/templates/mw-decision-record.json', json: mwDecisionRecord },
  { packId: 'meanwood', file: 'meanwood/templates/mw-eyfs-record.json', json: mwEyfsRecord },
  { packId: 'meanwood', file: 'meanwood/templates/mw-contract.json', json: mwContract },
  { packId: 'lode-heath', file: 'lode-heath/templates/lh-management-oversight.json', json: lhManagementOversight },
  { packId: 'lode-heath', file: 'lode-heath/templates/lh-contract.json', json: lhContract },
  { packId: 'cornerstone', file: 'cornerstone/templates/ca-supervision-record.json', json: caSupervisionRecord },
  { packId: 'cornerstone', file: 'cornerstone/templates/ca-case-proforma.json', json: caCaseProforma },
  { packId: 'cornerstone', file: 'cornerstone/templates/ca-contract.json', json: caContract },
  { packId: 'the-place', file: 'the-place/templates/pl-supervision-record.json', json: plSupervisionRecord },
  { packId: 'the-place', file: 'the-place/templates/pl-contract.json', json: plContract },
  { packId: 'ashbury-meadow', file: 'ashbury-meadow/templates/am-agenda.json', json: amAgenda },
  { packId: 'ashbury-meadow', file: 'ashbury-meadow/templates/am-notes-actions.json', json: amNotesActions },
  { packId: 'ashbury-meadow', file: 'ashbury-meadow/templates/am-contract.json', json: amContract },
]

interface Loaded {
  packId: TemplatePackId
  template: Template
}

let loaded: readonly Loaded[] | undefined

/** Checks every built-in template. Throws one error listing every problem in every file. */
function load(): readonly Loaded[] {
  if (loaded !== undefined) return loaded
  const problems: string[] = []
  const result: Loaded[] = []
  const ids = new Set<string>()
  for (const source of sources) {
    const checked = validateTemplate(structuredClone(source.json))
    if (!checked.ok) {
      for (const p of checked.problems) problems.push(`${source.file}: ${p.path || '(template)'}: ${p.message}`)
      continue
    }
    if (ids.has(checked.template.id)) problems.push(`${source.file}: template id ${checked.template.id} is used twice`)
    ids.add(checked.template.id)
    result.push({ packId: source.packId, template: deepFreeze(checked.template) })
  }
  if (problems.length > 0) throw new Error(`Built-in templates are not valid:\n${problems.join('\n')}`)
  loaded = Object.freeze(result)
  return loaded
}

/** Every built-in template, checked and frozen. */
export function builtInTemplates(): Template[] {
  return load().map((l) => l.template)
}

/** The built-in template with this id, if any. */
export function templateById(id: string): Template | undefined {
  return load().find((l) => l.template.id === id)?.template
}

/** The built-in templates of one seed pack, in a stable order. */
export function templatesForPack(packId: string): Template[] {
  return load()
    .filter((l) => l.packId === packId)
    .map((l) => l.template)
}

/** The pack a built-in template belongs to. */
export function packOfTemplate(id: string): TemplatePackId | undefined {
  return load().find((l) => l.template.id === id)?.packId
}
