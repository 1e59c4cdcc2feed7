import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blankPolicy, loadPack } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import { riversideJson, riversidePolicy } from './kinds-builders.ts'
import type { PolicyDocument } from './model.ts'
import { summarisePolicy } from './summary.ts'
import { maySupervise, supervisorEligibility } from './supervisors.ts'
import { validatePolicy } from './validate.ts'

const blank = blankPolicy({ school: 'Test School', effectiveFrom: '2025-09-01' })

describe('maySupervise', () => {
  test('the line manager rule: the line manager may, others may not, nobody supervises themselves', () => {
    const manager = aPerson({ id: 'm', name: 'Maya Manager' })
    const other = aPerson({ id: 'o', name: 'Omar Other' })
    const teacher = aPerson({ id: 't', name: 'Tia Teacher', lineManagerId: 'm' })
    const allowed = maySupervise(blank, manager, teacher)
    assert.ok(allowed.allowed)
    assert.equal(allowed.rule.ruleId, 'line-manager')
    assert.deepEqual(allowed.rule.via, { kind: 'line-manager' })
    const refused = maySupervise(blank, other, teacher)
    assert.equal(refused.allowed, false)
    assert.equal(
      !refused.allowed && refused.reason,
      'Omar Other cannot supervise Tia Teacher under the policy. Staff are supervised by their line manager. Omar Other is none of these',
    )
    const self = maySupervise(blank, teacher, teacher)
    assert.equal(!self.allowed && self.reason, 'Tia Teacher cannot supervise themselves')
  })

  test('someone no rule covers cannot be booked, and the reason says how to fix it', () => {
    const policy: PolicyDocument = {
      ...blank,
      supervisors: {
        ...blank.supervisors,
        rules: [
          {
            ...(blank.supervisors.rules[0] as PolicyDocument['supervisors']['rules'][number]),
            supervisees: { everyone: false, roles: ['dsl'], flags: [], trainedSupervisors: false, conditions: [] },
          },
        ],
      },
    }
    const result = maySupervise(
      policy,
      aPerson({ name: 'Anyone' }),
      aPerson({ name: 'Cleo Cook', roles: ['teaching-assistant'] }),
    )
    assert.equal(result.allowed, false)
    assert.match(
      !result.allowed ? result.reason : '',
      /does not say who may supervise Cleo Cook: add a rule for their role/,
    )
  })

  test('a fallback rule applies only to supervisees no other rule covers', () => {
    const lodeHeath = loadPack('lode-heath')
    const manager = aPerson({ id: 'm', name: 'Line Manager', roles: ['year-head'] })
    // A trained deputy DSL is covered by the deputy DSL row, so their line manager (a year head) may not.
    const deputy = aPerson({
      name: 'Deputy',
      roles: ['deputy-dsl'],
      lineManagerId: 'm',
      supervisorTrainedOn: '2024-01-01',
    })
    assert.equal(maySupervise(lodeHeath, { ...manager, supervisorTrainedOn: '2024-01-01' }, deputy).allowed, false)
    // The Associate Headteacher, a trained supervisor in no row, may be supervised by their line manager.
    const associate = aPerson({
      name: 'Associate',
      roles: ['associate-headteacher'],
      lineManagerId: 'h',
      supervisorTrainedOn: '2024-01-01',
    })
    const head = aPerson({ id: 'h', name: 'Head', roles: ['headteacher'], supervisorTrainedOn: '2024-01-01' })
    const result = maySupervise(lodeHeath, head, associate)
    assert.ok(result.allowed)
    assert.equal(result.rule.ruleId, 'lh-who-other-supervisors')
  })

  test('someone who has left cannot supervise on a later date', () => {
    const manager = aPerson({ id: 'm', name: 'Maya Manager', endDate: '2025-07-31' })
    const teacher = aPerson({ name: 'Tia', lineManagerId: 'm' })
    assert.ok(maySupervise(blank, manager, teacher, { on: '2025-07-01' }).allowed)
    const later = maySupervise(blank, manager, teacher, { on: '2025-09-01' })
    assert.match(!later.allowed ? later.reason : '', /left on 31 July 2025/)
  })
})

describe('rules per kind of supervision (issue 14)', () => {
  const riverside = riversidePolicy()
  const manager = aPerson({ id: 'lm', name: 'Lena Manager', roles: ['class-teacher'] })
  const dsl = aPerson({ id: 'dsl', name: 'Dina Lead', roles: ['dsl'] })
  const teacher = aPerson({ id: 't', name: 'Tom Teacher', roles: ['class-teacher'], lineManagerId: 'lm' })
  const localAuthority = aPerson({
    id: 'la',
    name: 'Lou Council',
    schoolId: null,
    employmentType: 'external',
  })

  test('LH-05: safeguarding supervision is with the DSL and management supervision with the line manager', () => {
    const on = '2026-10-01'
    assert.ok(maySupervise(riverside, dsl, teacher, { on, sessionTypeId: 'safeguarding' }).allowed)
    assert.ok(maySupervise(riverside, manager, teacher, { on, sessionTypeId: 'management' }).allowed)
    const managerSafeguarding = maySupervise(riverside, manager, teacher, { on, sessionTypeId: 'safeguarding' })
    assert.equal(
      !managerSafeguarding.allowed && managerSafeguarding.reason,
      'Lena Manager cannot supervise Tom Teacher under the policy. In safeguarding supervision, all staff may be supervised by a designated safeguarding lead (DSL), a deputy designated safeguarding lead or a local authority team. Lena Manager is none of these',
    )
    const dslManagement = maySupervise(riverside, dsl, teacher, { on, sessionTypeId: 'management' })
    assert.deepEqual(!dslManagement.allowed && dslManagement.ruleIds, ['rf-management'])
  })

  test('a kind of supervision no rule covers is refused, naming the kind; no kind given means the rules for every kind only', () => {
    const noPeerRule = maySupervise(riverside, dsl, teacher, { sessionTypeId: 'peer' })
    assert.match(
      !noPeerRule.allowed ? noPeerRule.reason : '',
      /who may supervise Tom Teacher in peer supervision: add a rule/,
    )
    assert.equal(maySupervise(riverside, dsl, teacher).allowed, false)
  })

  test('PL-03: a rule for one kind wins over the rule for every kind, which still governs the other kinds', () => {
    const policy = riversidePolicy((doc) => {
      const supervisors = doc.supervisors as { rules: Record<string, unknown>[] }
      supervisors.rules = [
        {
          id: 'everyone-line-manager',
          description: null,
          supervisees: { everyone: true },
          supervisors: [{ kind: 'line-manager' }],
        },
        supervisors.rules[0] as Record<string, unknown>,
      ]
    })
    const on = '2026-10-01'
    assert.ok(maySupervise(policy, manager, teacher, { on, sessionTypeId: 'management' }).allowed)
    assert.equal(maySupervise(policy, manager, teacher, { on, sessionTypeId: 'safeguarding' }).allowed, false)
    const byDsl = maySupervise(policy, dsl, teacher, { on, sessionTypeId: 'safeguarding' })
    assert.ok(byDsl.allowed && byDsl.rule.ruleId === 'rf-safeguarding')
    assert.equal(maySupervise(policy, dsl, teacher, { on, sessionTypeId: 'management' }).allowed, false)
  })

  test('CA-12: an external supervisor in Haven is eligible as the external body the rule for that kind allows', () => {
    const on = '2026-10-01'
    const safeguarding = supervisorEligibility(riverside, localAuthority, teacher, {
      on,
      sessionTypeId: 'safeguarding',
    })
    assert.ok(safeguarding.allowed)
    assert.deepEqual(safeguarding.rule.via, { kind: 'external', body: 'local-authority' })
    assert.equal(
      supervisorEligibility(riverside, localAuthority, teacher, { on, sessionTypeId: 'management' }).allowed,
      false,
    )
    // As a person, without the external check, they are no one the rule names.
    assert.equal(maySupervise(riverside, localAuthority, teacher, { on, sessionTypeId: 'safeguarding' }).allowed, false)
    const left = supervisorEligibility(riverside, { ...localAuthority, endDate: '2026-09-30' }, teacher, {
      on,
      sessionTypeId: 'safeguarding',
    })
    assert.match(!left.allowed ? left.reason : '', /left on 30 September 2026/)
  })

  test('AM-04: an external supervisor the pack allows for the DSL (an independent supervisor) is eligible', () => {
    const policy = loadPack('ashbury-meadow')
    const independent = aPerson({ id: 'ind', name: 'Indie Pendent', schoolId: null, employmentType: 'external' })
    const lead = aPerson({ id: 'd', name: 'Dee', roles: ['dsl'] })
    assert.ok(
      supervisorEligibility(policy, independent, lead, { on: '2026-10-01', sessionTypeId: 'one-to-one' }).allowed,
    )
  })

  test('LH-08, PL-05: where supervisors must be trained, an untrained DSL cannot lead safeguarding supervision; an external supervisor is not asked', () => {
    const trained = riversidePolicy((doc) => {
      ;(doc.supervisors as Record<string, unknown>).trainingRequired = true
    })
    const on = '2026-10-01'
    const untrained = supervisorEligibility(trained, dsl, teacher, { on, sessionTypeId: 'safeguarding' })
    assert.match(
      !untrained.allowed ? untrained.reason : '',
      /no supervisor training is recorded for them by 1 October 2026/,
    )
    const dslTrained = { ...dsl, supervisorTrainedOn: '2026-09-15' as const }
    assert.ok(supervisorEligibility(trained, dslTrained, teacher, { on, sessionTypeId: 'safeguarding' }).allowed)
    assert.ok(supervisorEligibility(trained, localAuthority, teacher, { on, sessionTypeId: 'safeguarding' }).allowed)
  })

  test('CA-12, issue 14: an external supervisor who is not an employee is eligible as an external body while their access lasts', () => {
    const on = '2026-10-01'
    const team = aPerson({
      id: 'cit',
      name: 'Crisis Team',
      kind: 'external-supervisor',
      capabilities: ['supervise', 'sign'],
      accessEndsOn: '2026-12-31',
    })
    const allowed = supervisorEligibility(riverside, team, teacher, { on, sessionTypeId: 'safeguarding' })
    assert.ok(allowed.allowed)
    assert.equal(allowed.rule.via.kind, 'external')
    const after = supervisorEligibility(riverside, team, teacher, { on: '2027-01-04', sessionTypeId: 'safeguarding' })
    assert.match(!after.allowed ? after.reason : '', /their access ended on 31 December 2026/)
  })

  test('issue 14: only people who may supervise can supervise, and only people who may be supervised can be', () => {
    const manager = aPerson({ id: 'm', name: 'Maya Manager' })
    const teacher = aPerson({ id: 't', name: 'Tia Teacher', lineManagerId: 'm' })
    const governor = { ...manager, name: 'Gill Moss', kind: 'governor' as const, capabilities: ['sign' as const] }
    const refused = supervisorEligibility(blank, governor, teacher)
    assert.equal(!refused.allowed && refused.reason, 'Gill Moss is not someone who may supervise')
    const volunteer = { ...teacher, kind: 'volunteer' as const, capabilities: ['sign' as const] }
    const notSupervised = supervisorEligibility(blank, manager, volunteer)
    assert.equal(!notSupervised.allowed && notSupervised.reason, 'Tia Teacher is not someone who may be supervised')
    assert.ok(supervisorEligibility(blank, manager, teacher).allowed, 'staff may by default')
  })

  test('a version saved before rules had kinds (no sessionTypes) reads as rules for every kind', () => {
    const old = JSON.parse(JSON.stringify(blank)) as PolicyDocument
    for (const rule of old.supervisors.rules) delete (rule as Partial<typeof rule>).sessionTypes
    const manager = aPerson({ id: 'm', name: 'Maya Manager' })
    const report = aPerson({ name: 'Tia', lineManagerId: 'm' })
    assert.ok(supervisorEligibility(old, manager, report, { sessionTypeId: 'one-to-one' }).allowed)
    assert.ok(summarisePolicy(old).sections.some((s) => s.id === 'supervisors'))
  })

  test('the kinds a rule is for are checked: a list, ids that exist, and kinds whose supervisor is checked', () => {
    const problems = (change: (rule: Record<string, unknown>) => void) => {
      const result = validatePolicy(
        riversideJson((doc) => change((doc.supervisors as { rules: Record<string, unknown>[] }).rules[0] ?? {})),
      )
      return result.ok ? [] : result.problems
    }
    assert.deepEqual(
      problems((rule) => {
        rule.sessionTypes = 'safeguarding'
      }),
      [
        {
          path: 'supervisors.rules[0].sessionTypes',
          message: 'The kinds of supervision the rule is for must be a list, written [ ... ]',
        },
      ],
    )
    assert.deepEqual(
      problems((rule) => {
        rule.sessionTypes = ['safeguardin']
      }),
      [
        {
          path: 'supervisors.rules[0].sessionTypes[0]',
          message: "There is no session type 'safeguardin': add it to sessionTypes, or check the spelling",
        },
      ],
    )
    assert.deepEqual(
      problems((rule) => {
        rule.sessionTypes = ['safeguarding', 'peer']
      }),
      [
        {
          path: 'supervisors.rules[0].sessionTypes[1]',
          message:
            "Session type 'peer' does not count towards the entitlement, so anyone may lead it and no rule for who may supervise applies: set its countsTowardEntitlement to true, or remove it here",
        },
      ],
    )
    // Omitted: the rule is for every kind.
    const general = validatePolicy(
      riversideJson((doc) => {
        delete (doc.supervisors as { rules: Record<string, unknown>[] }).rules[0]?.sessionTypes
      }),
    )
    assert.ok(general.ok)
    assert.deepEqual(general.policy.supervisors.rules[0]?.sessionTypes, [])
  })

  test('the summary says which kind of supervision each rule is for', () => {
    const section = summarisePolicy(riverside).sections.find((s) => s.id === 'supervisors')
    assert.deepEqual(section?.items, [
      'In safeguarding supervision, all staff may be supervised by a designated safeguarding lead (DSL), a deputy designated safeguarding lead or a local authority team.',
      'In management supervision, all staff may be supervised by their line manager or someone their line manager delegates to.',
    ])
    const described = riversidePolicy((doc) => {
      const rule = (doc.supervisors as { rules: Record<string, unknown>[] }).rules[0] as Record<string, unknown>
      rule.description = 'Safeguarding leads supervise casework'
    })
    assert.equal(
      summarisePolicy(described).sections.find((s) => s.id === 'supervisors')?.items?.[0],
      'Safeguarding leads supervise casework (safeguarding supervision only).',
    )
  })
})

describe('issue 14: trust-level people', () => {
  const policy: PolicyDocument = {
    ...blank,
    customRoles: [{ id: 'regional-lead', name: 'Regional safeguarding lead', description: 'Of the trust' }],
    supervisors: {
      ...blank.supervisors,
      rules: [
        {
          id: 'leads-by-region',
          description: null,
          supervisees: { everyone: false, roles: ['dsl'], flags: [], trainedSupervisors: false, conditions: [] },
          supervisors: [{ kind: 'trust-central', role: 'regional-lead' }],
          fallback: false,
          sessionTypes: [],
        },
      ],
    },
  }
  const central = aPerson({ id: 'c', name: 'Rhiannon Reed', schoolId: null, roles: ['regional-lead'] })
  const dsl = aPerson({ id: 'd', name: 'Dev Dsl', schoolId: 'school-a', roles: ['dsl'] })

  test('LH-05: a central lead of the trust (no school) may supervise in any school of the trust the policy allows', () => {
    assert.ok(supervisorEligibility(policy, central, dsl, { trustSchoolIds: ['school-a', 'school-b'] }).allowed)
    // Not in a school outside the trust, nor without the role, nor as someone with a school of their own.
    assert.equal(supervisorEligibility(policy, central, dsl, { trustSchoolIds: ['school-b'] }).allowed, false)
    assert.equal(
      supervisorEligibility(policy, { ...central, roles: ['dsl'] }, dsl, { trustSchoolIds: ['school-a'] }).allowed,
      false,
    )
    assert.equal(
      supervisorEligibility(policy, { ...central, schoolId: 'school-b' }, dsl, {
        trustSchoolIds: ['school-a', 'school-b'],
      }).allowed,
      false,
    )
    const section = summarisePolicy(policy).sections.find((s) => s.id === 'supervisors')
    assert.match([...(section?.paragraphs ?? []), ...(section?.items ?? [])].join(' '), /of the trust's central team/)
    const checked = validatePolicy({ ...policy })
    assert.ok(checked.ok, JSON.stringify(checked))
  })
})
