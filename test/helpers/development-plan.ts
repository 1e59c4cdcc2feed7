/**
 * For the development plan tests (issue 17, PL-07): a record on a pack's template, completed with
 * the values given and signed by the supervisor and the supervisee, through the services.
 */
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/database.ts'
import { recordByIdAcrossOrganisations as loadRecord } from '../../src/db/repositories/records/records.ts'
import { sessionByIdAcrossOrganisations as loadSession } from '../../src/db/repositories/records/sessions.ts'
import type { EntryValues } from '../../src/domain/records/entry.ts'
import { templateById } from '../../src/packs/templates.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { completeRecord, signRecord, startRecord } from '../../src/services/records/records.ts'
import { insertSession, passStepUp } from './records.ts'

interface Party {
  id: string
  name: string
}

export async function signedRecord(
  db: Db,
  input: {
    organisationId: string
    schoolId: string
    date: string
    typeId: string
    template: string
    supervisor: Party
    supervisee: Party
    values: Record<string, unknown>
  },
): Promise<string> {
  const mailer = { baseUrl: 'http://localhost:3000' }
  const sessionId = await insertSession(db, {
    schoolId: input.schoolId,
    typeId: input.typeId,
    date: input.date,
    supervisors: [input.supervisor.id],
    supervisees: [input.supervisee.id],
  })
  const actorOf = (p: Party) => ({ personId: p.id, name: p.name, organisationId: input.organisationId })
  const supervisor = actorOf(input.supervisor)
  const recordId = await startRecord(db, {
    session: (await loadSession(db, sessionId))!,
    policy: (await policyBook(db, input.schoolId)).on(input.date),
    template: templateById(input.template)!,
    actor: supervisor,
  })
  const completed = await completeRecord(db, {
    recordId,
    expectedDraftVersion: 1,
    draft: {
      values: { ...(await loadRecord(db, recordId))!.document.values, ...input.values } as EntryValues,
      actions: [],
      reviews: [],
      decisions: [],
      boundary: '',
    },
    actor: supervisor,
    today: input.date,
    mailer,
  })
  assert.equal(completed.outcome, 'completed', JSON.stringify(completed))
  const shownHash = (completed as { contentHash: string }).contentHash
  for (const who of [supervisor, actorOf(input.supervisee)]) {
    const signed = await signRecord(db, await passStepUp(db, who, recordId), {
      recordId,
      actor: who,
      shownHash,
      mailer,
    })
    assert.ok(signed.ok, JSON.stringify(signed))
  }
  return recordId
}
