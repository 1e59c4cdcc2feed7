/**
 * A record's status and how pages name it, apart from the record's rules so that what only
 * names a status (the evidence pack's tables) does not load the templates' schema (zod).
 */
export const RecordStatus = { Draft: 'draft', Completed: 'completed', Signed: 'signed' } as const
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus]

export const recordStatusLabels: Readonly<Record<RecordStatus, string>> = {
  draft: 'Draft',
  completed: 'Waiting for signatures',
  signed: 'Signed and locked',
}
