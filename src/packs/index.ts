/**
 * The policy packs (issue 5): the five seed schools' policies as data, each a faithful encoding of
 * its section of REQUIREMENTS.md, plus a blank starting policy. A new school picks the pack nearest
 * its own and edits it.
 */
import type { IsoDate } from '../domain/calendar/index.ts'
import { type PolicyDocument, parsePolicy, policySchemaVersion } from '../domain/policy/index.ts'
import ashburyMeadow from './ashbury-meadow/policy.json' with { type: 'json' }
import cornerstone from './cornerstone/policy.json' with { type: 'json' }
import lodeHeath from './lode-heath/policy.json' with { type: 'json' }
import meanwood from './meanwood/policy.json' with { type: 'json' }
import thePlace from './the-place/policy.json' with { type: 'json' }

export const PackId = {
  Meanwood: 'meanwood',
  LodeHeath: 'lode-heath',
  Cornerstone: 'cornerstone',
  ThePlace: 'the-place',
  AshburyMeadow: 'ashbury-meadow',
} as const
export type PackId = (typeof PackId)[keyof typeof PackId]

const documents: Readonly<Record<PackId, unknown>> = {
  meanwood,
  'lode-heath': lodeHeath,
  cornerstone,
  'the-place': thePlace,
  'ashbury-meadow': ashburyMeadow,
}

export const packIds: readonly PackId[] = Object.freeze(Object.values(PackId))

export function isPackId(value: unknown): value is PackId {
  return typeof value === 'string' && (packIds as readonly string[]).includes(value)
}

export interface PackListing {
  id: PackId
  school: string
  /** What is distinctive about the pack's policy. */
  summary: string
}

const loaded = new Map<PackId, PolicyDocument>()

/**
 * The pack's policy, validated (and cached). Throws if the pack is not valid, which its tests
 * prevent; the caller gets its own copy to edit.
 */
export function loadPack(id: PackId): PolicyDocument {
  let policy = loaded.get(id)
  if (policy === undefined) {
    policy = parsePolicy(documents[id], `${id} policy pack`)
    loaded.set(id, policy)
  }
  return structuredClone(policy)
}

/** The packs a school can start from, in a stable order. */
export function listPacks(): PackListing[] {
  return packIds.map((id) => {
    const { metadata } = loadPack(id)
    return { id, school: metadata.school, summary: metadata.description ?? '' }
  })
}

export interface BlankPolicyOptions {
  school: string
  effectiveFrom: IsoDate
  /** Defaults to 'the-school'. */
  id?: string
  ownerName?: string | null
}

/**
 * A minimal, valid starting policy for a school that wants none of the packs: all staff have
 * one-to-one supervision with their line manager at least once a term; cancellations record a
 * reason; overdue supervision goes to the supervisor, then the DSL.
 */
export function blankPolicy(options: BlankPolicyOptions): PolicyDocument {
  return parsePolicy(
    {
      schemaVersion: policySchemaVersion,
      id: options.id ?? 'the-school',
      version: 1,
      effectiveFrom: options.effectiveFrom,
      metadata: {
        title: 'Staff supervision policy',
        school: options.school,
        owner: { name: options.ownerName ?? null, role: 'dsl' },
        reviewEvery: { amount: 1, unit: 'years' },
      },
      sessionTypes: [
        {
          id: 'one-to-one',
          name: 'One-to-one supervision',
          description: 'Planned, private supervision with an agreed agenda',
          countsTowardEntitlement: true,
          group: false,
          planned: true,
          formal: true,
        },
        {
          id: 'group',
          name: 'Group supervision',
          description: 'Supervision in a group, which complements one-to-one supervision',
          countsTowardEntitlement: false,
          group: true,
          planned: true,
          formal: true,
        },
      ],
      scope: {
        rules: [{ id: 'all-staff', description: 'All staff', who: { everyone: true } }],
      },
      requirements: [
        {
          id: 'one-to-one',
          description: 'One-to-one supervision',
          sessionTypes: ['one-to-one'],
          frequency: { every: 1, unit: 'terms' },
          expectedMinutes: 60,
          agreedFrequency: { allowed: 'any' },
        },
      ],
      supervisors: {
        rules: [
          {
            id: 'line-manager',
            description: 'Staff are supervised by their line manager',
            supervisees: { everyone: true },
            supervisors: [{ kind: 'line-manager' }],
          },
        ],
      },
      // LH-07 as a safe start: a change of line manager records a handover note (the school may turn it off).
      practice: { handoverOnLineManagerChange: true },
      cancellation: {
        reasons: [
          { id: 'staff-absence', name: 'Staff absence or illness', absence: true },
          { id: 'other', name: 'Another reason', absence: false },
        ],
      },
      escalation: [
        {
          id: 'overdue',
          trigger: 'entitlement-unmet',
          description: 'Overdue supervision is raised with the supervisor, then the DSL',
          steps: [
            {
              id: 'supervisor',
              afterWorkingDays: 0,
              target: { kind: 'supervisor' },
              action: 'The supervisor is reminded',
            },
            {
              id: 'dsl',
              afterWorkingDays: 10,
              target: { kind: 'role', role: 'dsl' },
              action: 'The DSL makes sure the session is booked',
            },
          ],
        },
      ],
    },
    'blank policy',
  )
}
