/**
 * Test data for rules per kind of supervision (issue 14): an invented policy, not one of the packs,
 * in which safeguarding supervision is with the DSL, the deputy DSL or the local authority, and
 * management supervision is with the line manager (or someone they delegate to).
 */
import { blankPolicy } from '../../packs/index.ts'
import type { PolicyDocument } from './model.ts'
import { parsePolicy } from './validate.ts'

/** The invented policy as the JSON a school would write; `change` edits it before it is parsed. */
export function riversideJson(change: (doc: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    ...JSON.parse(JSON.stringify(blankPolicy({ school: 'Riverside Federation', effectiveFrom: '2026-09-01' }))),
    sessionTypes: [
      {
        id: 'safeguarding',
        name: 'Safeguarding supervision',
        description: 'Casework and concerns about children, with a safeguarding lead',
        countsTowardEntitlement: true,
        group: false,
        planned: true,
        formal: true,
      },
      {
        id: 'management',
        name: 'Management supervision',
        description: 'Workload, wellbeing and development, with the line manager',
        countsTowardEntitlement: true,
        group: false,
        planned: true,
        formal: true,
      },
      {
        id: 'peer',
        name: 'Peer supervision',
        description: 'Colleagues reflecting together',
        countsTowardEntitlement: false,
        group: false,
        planned: false,
        formal: false,
      },
    ],
    requirements: [
      {
        id: 'rf-safeguarding',
        description: 'Safeguarding supervision each half term',
        sessionTypes: ['safeguarding'],
        frequency: { every: 1, unit: 'half-terms' },
        expectedMinutes: 60,
        planning: 'start-of-year',
      },
      {
        id: 'rf-management',
        description: 'Management supervision each term',
        sessionTypes: ['management'],
        frequency: { every: 1, unit: 'terms' },
        expectedMinutes: 45,
      },
    ],
    supervisors: {
      rules: [
        {
          id: 'rf-safeguarding',
          description: null,
          supervisees: { everyone: true },
          supervisors: [
            { kind: 'role', role: 'dsl' },
            { kind: 'role', role: 'deputy-dsl' },
            { kind: 'external', body: 'local-authority' },
          ],
          sessionTypes: ['safeguarding'],
        },
        {
          id: 'rf-management',
          description: null,
          supervisees: { everyone: true },
          supervisors: [{ kind: 'line-manager' }, { kind: 'line-manager-delegate', roles: [] }],
          sessionTypes: ['management'],
        },
      ],
      trainingRequired: false,
      trainingDescription: null,
      accountability: 'The line manager stays accountable for the work when someone else supervises',
    },
  }
  change(doc)
  return doc
}

export function riversidePolicy(change?: (doc: Record<string, unknown>) => void): PolicyDocument {
  return parsePolicy(riversideJson(change), 'Riverside policy')
}
