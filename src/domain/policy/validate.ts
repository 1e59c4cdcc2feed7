/**
 * validatePolicy (X-01, issue 5): checks a policy document and lists every problem with where it
 * is, as a JSON path like `requirements[1].frequency.every`, in GOV.UK wording.
 *
 * Two passes, both always run so that a school sees everything at once:
 * 1. the Zod schema (schema.ts): shape, types, allowed values;
 * 2. checks across the document, read defensively from the raw input: ids used twice, and ids or
 *    roles that name nothing (a requirement counting an unknown session type, a rule naming a role
 *    that is neither built in nor declared in customRoles ...).
 */
import type * as z from 'zod'
import { roleCatalogue } from '../people/roles.ts'
import type { PolicyDocument } from './model.ts'
import { reviewCycleYears } from './model.ts'
import { policyDocumentSchema } from './schema.ts'

export interface PolicyProblem {
  /** Where the problem is, e.g. `requirements[1].frequency.every`; '' for the whole document. */
  path: string
  message: string
}

export type PolicyValidation = { ok: true; policy: PolicyDocument } | { ok: false; problems: PolicyProblem[] }

type PathPart = string | number

/** `['requirements', 1, 'frequency', 'every']` as `requirements[1].frequency.every`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

function problemsFromZod(error: z.ZodError): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          path: formatPath([...issue.path, key]),
          message: `Remove '${key}': it is not a field Haven recognises here (check the spelling)`,
        })
      }
    } else {
      problems.push({ path: formatPath(issue.path), message: issue.message })
    }
  }
  return problems
}

// ---------------------------------------------------------------------------------------------
// Defensive readers for the raw document

type Raw = Record<string, unknown>

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function stringField(value: unknown, key: string): string | null {
  const found = field(value, key)
  return typeof found === 'string' ? found : null
}

const builtInRoleIds: ReadonlySet<string> = new Set(roleCatalogue.map((role) => role.id))

class CrossChecker {
  readonly problems: PolicyProblem[] = []
  readonly roles = new Set(builtInRoleIds)
  readonly sessionTypes = new Set<string>()
  readonly countingSessionTypes = new Set<string>()
  readonly scopeRules = new Set<string>()
  readonly doc: unknown

  constructor(doc: unknown) {
    this.doc = doc
  }

  add(path: readonly PathPart[], message: string): void {
    this.problems.push({ path: formatPath(path), message })
  }

  /** Records the ids of a list, reporting any used twice. Returns the set of ids. */
  uniqueIds(list: unknown, path: readonly PathPart[], noun: string, key = 'id'): Set<string> {
    const seen = new Set<string>()
    items(list).forEach((entry, index) => {
      const value = stringField(entry, key)
      if (value === null) return
      if (seen.has(value)) {
        this.add(
          [...path, index, key],
          `The ${noun} id '${value}' is used more than once: give each ${noun} its own id`,
        )
      }
      seen.add(value)
    })
    return seen
  }

  role(value: unknown, path: readonly PathPart[]): void {
    if (typeof value === 'string' && !this.roles.has(value)) {
      this.add(
        path,
        `There is no role '${value}': use a role from Haven's role catalogue, or declare it in customRoles (check the spelling)`,
      )
    }
  }

  roleList(value: unknown, path: readonly PathPart[]): void {
    items(value).forEach((role, index) => {
      this.role(role, [...path, index])
    })
  }

  sessionType(value: unknown, path: readonly PathPart[]): void {
    if (typeof value === 'string' && !this.sessionTypes.has(value)) {
      this.add(path, `There is no session type '${value}': add it to sessionTypes, or check the spelling`)
    }
  }

  sessionTypeList(value: unknown, path: readonly PathPart[]): void {
    items(value).forEach((type, index) => {
      this.sessionType(type, [...path, index])
    })
  }

  selector(value: unknown, path: readonly PathPart[]): void {
    if (!isRecord(value)) return
    this.roleList(value.roles, [...path, 'roles'])
    const hasCriterion =
      value.everyone === true ||
      value.trainedSupervisors === true ||
      items(value.roles).length > 0 ||
      items(value.flags).length > 0 ||
      items(value.conditions).length > 0
    if (!hasCriterion) {
      this.add(path, 'Say who this applies to: set everyone to true, or list roles or flags, or set trainedSupervisors')
    }
  }

  frequency(value: unknown, path: readonly PathPart[]): void {
    if (!isRecord(value)) return
    if (value.termTimeOnly === true && value.unit !== undefined && value.unit !== 'weeks' && value.unit !== 'months') {
      this.add(
        [...path, 'termTimeOnly'],
        'Only a frequency in weeks or months can count term time only: remove termTimeOnly',
      )
    }
    if (typeof value.times === 'number' && value.times > 1) {
      if (value.unit === 'weeks' || value.unit === 'months') {
        this.add(
          [...path, 'times'],
          'How many times can only be given for a frequency per half term, term or academic year: remove times, or choose half terms, terms or academic years',
        )
      } else if (typeof value.every === 'number' && value.every > 1) {
        this.add(
          [...path, 'every'],
          'A frequency of more than once a period must be each half term, term or academic year: set every to 1',
        )
      }
    }
  }

  positiveDuration(value: unknown, path: readonly PathPart[], label: string): void {
    if (isRecord(value) && value.amount === 0) this.add([...path, 'amount'], `${label} must be 1 or more`)
  }

  supervisorSpecs(value: unknown, path: readonly PathPart[]): void {
    items(value).forEach((spec, index) => {
      this.role(field(spec, 'role'), [...path, index, 'role'])
      this.roleList(field(spec, 'roles'), [...path, index, 'roles'])
    })
  }

  run(): PolicyProblem[] {
    const doc = this.doc
    if (!isRecord(doc)) return this.problems

    // Roles first: everything else may name them.
    const customRoles = items(doc.customRoles)
    this.uniqueIds(customRoles, ['customRoles'], 'custom role')
    customRoles.forEach((role, index) => {
      const roleId = stringField(role, 'id')
      if (roleId === null) return
      if (builtInRoleIds.has(roleId)) {
        this.add(
          ['customRoles', index, 'id'],
          `'${roleId}' is already a built-in role: remove it from customRoles, or give it a different id`,
        )
      }
      this.roles.add(roleId)
    })

    // Session types.
    for (const typeId of this.uniqueIds(doc.sessionTypes, ['sessionTypes'], 'session type')) {
      this.sessionTypes.add(typeId)
    }
    for (const type of items(doc.sessionTypes)) {
      const typeId = stringField(type, 'id')
      if (typeId !== null && field(type, 'countsTowardEntitlement') === true) this.countingSessionTypes.add(typeId)
    }

    const metadata = field(doc, 'metadata')
    const owner = field(metadata, 'owner')
    this.role(field(owner, 'role'), ['metadata', 'owner', 'role'])
    const ownerNamed = isRecord(owner) && typeof owner.name === 'string' && owner.name.trim() !== ''
    if (isRecord(owner) && owner.kind === 'organisation') {
      if (!ownerNamed)
        this.add(['metadata', 'owner', 'name'], 'Enter the name of the organisation that owns the policy')
    } else if (isRecord(owner) && !ownerNamed && !owner.role) {
      this.add(['metadata', 'owner'], "Enter the policy owner's name, or the role that owns the policy")
    }
    // X-08, LH-01: the review cycle is in years, every year or every two years.
    const reviewEvery = field(metadata, 'reviewEvery')
    if (
      isRecord(reviewEvery) &&
      (reviewEvery.unit !== 'years' || !reviewCycleYears.includes(reviewEvery.amount as number))
    ) {
      this.add(['metadata', 'reviewEvery'], 'The review cycle must be 1 year or 2 years')
    }
    const lastReviewed = stringField(metadata, 'lastReviewedOn')
    const nextReview = stringField(metadata, 'nextReviewDue')
    if (lastReviewed !== null && nextReview !== null && nextReview <= lastReviewed) {
      this.add(
        ['metadata', 'nextReviewDue'],
        'The date the next review is due must be after the date the policy was last reviewed',
      )
    }

    // Scope.
    const scope = field(doc, 'scope')
    for (const ruleId of this.uniqueIds(field(scope, 'rules'), ['scope', 'rules'], 'scope rule')) {
      this.scopeRules.add(ruleId)
    }
    items(field(scope, 'rules')).forEach((rule, index) => {
      this.selector(field(rule, 'who'), ['scope', 'rules', index, 'who'])
    })
    this.uniqueIds(field(scope, 'qualifyingPeriods'), ['scope', 'qualifyingPeriods'], 'qualifying period')

    // Requirements.
    const requirements = items(doc.requirements)
    this.uniqueIds(requirements, ['requirements'], 'requirement')
    if (requirements.length === 0 && items(field(scope, 'rules')).length > 0) {
      this.add(['requirements'], 'Add at least one requirement saying how often staff in scope are supervised')
    }
    requirements.forEach((requirement, index) => {
      const path: PathPart[] = ['requirements', index]
      items(field(requirement, 'scopeRules')).forEach((ruleId, ruleIndex) => {
        if (typeof ruleId === 'string' && !this.scopeRules.has(ruleId)) {
          this.add(
            [...path, 'scopeRules', ruleIndex],
            `There is no scope rule '${ruleId}': add it to scope.rules, or check the spelling`,
          )
        }
      })
      items(field(requirement, 'sessionTypes')).forEach((typeId, typeIndex) => {
        if (typeof typeId !== 'string') return
        if (!this.sessionTypes.has(typeId)) {
          this.sessionType(typeId, [...path, 'sessionTypes', typeIndex])
        } else if (!this.countingSessionTypes.has(typeId)) {
          this.add(
            [...path, 'sessionTypes', typeIndex],
            `Session type '${typeId}' does not count towards the entitlement, so a requirement cannot count it: set its countsTowardEntitlement to true, or remove it here`,
          )
        }
      })
      this.frequency(field(requirement, 'frequency'), [...path, 'frequency'])
      this.positiveDuration(field(requirement, 'maximumGap'), [...path, 'maximumGap'], 'The maximum gap')
      const stricter = field(requirement, 'stricterFor')
      this.uniqueIds(stricter, [...path, 'stricterFor'], 'stricter rule')
      items(stricter).forEach((rule, ruleIndex) => {
        this.selector(field(rule, 'who'), [...path, 'stricterFor', ruleIndex, 'who'])
        this.frequency(field(rule, 'frequency'), [...path, 'stricterFor', ruleIndex, 'frequency'])
        this.positiveDuration(
          field(rule, 'maximumGap'),
          [...path, 'stricterFor', ruleIndex, 'maximumGap'],
          'The maximum gap',
        )
      })
      const agreed = field(requirement, 'agreedFrequency')
      const allowed = field(agreed, 'allowed')
      const options = items(field(agreed, 'options'))
      options.forEach((option, optionIndex) => {
        this.frequency(option, [...path, 'agreedFrequency', 'options', optionIndex])
      })
      if (allowed === 'listed' && options.length === 0) {
        this.add(
          [...path, 'agreedFrequency', 'options'],
          "List the frequencies that may be agreed, or set allowed to 'any'",
        )
      }
      if (allowed !== 'listed' && options.length > 0) {
        this.add(
          [...path, 'agreedFrequency', 'allowed'],
          "Set allowed to 'listed' to use the listed options, or remove them",
        )
      }
      if (field(requirement, 'frequency') === null && allowed !== 'listed' && allowed !== 'any') {
        this.add(
          [...path, 'frequency'],
          'Enter how often sessions must happen, or allow a frequency to be agreed for each person',
        )
      }
    })

    // Who may supervise whom.
    const supervisorRules = field(field(doc, 'supervisors'), 'rules')
    this.uniqueIds(supervisorRules, ['supervisors', 'rules'], 'supervisor rule')
    items(supervisorRules).forEach((rule, index) => {
      this.selector(field(rule, 'supervisees'), ['supervisors', 'rules', index, 'supervisees'])
      this.supervisorSpecs(field(rule, 'supervisors'), ['supervisors', 'rules', index, 'supervisors'])
      // Issue 14: a rule for some kinds of supervision names types whose supervisor Haven checks.
      items(field(rule, 'sessionTypes')).forEach((typeId, typeIndex) => {
        const path = ['supervisors', 'rules', index, 'sessionTypes', typeIndex]
        if (typeof typeId !== 'string') return
        if (!this.sessionTypes.has(typeId)) this.sessionType(typeId, path)
        else if (!this.countingSessionTypes.has(typeId))
          this.add(
            path,
            `Session type '${typeId}' does not count towards the entitlement, so anyone may lead it and no rule for who may supervise applies: set its countsTowardEntitlement to true, or remove it here`,
          )
      })
    })

    // Cancellation.
    const cancellation = field(doc, 'cancellation')
    const reasons = field(cancellation, 'reasons')
    this.uniqueIds(reasons, ['cancellation', 'reasons'], 'cancellation reason')
    this.roleList(field(cancellation, 'visibleTo'), ['cancellation', 'visibleTo'])
    this.roleList(field(cancellation, 'notifyRoles'), ['cancellation', 'notifyRoles'])
    const rebooking = field(cancellation, 'rebooking')
    if (isRecord(rebooking)) {
      this.sessionTypeList(rebooking.sessionTypes, ['cancellation', 'rebooking', 'sessionTypes'])
      this.positiveDuration(rebooking.within, ['cancellation', 'rebooking', 'within'], 'The time allowed to rebook')
      this.positiveDuration(
        rebooking.warnAfter,
        ['cancellation', 'rebooking', 'warnAfter'],
        'The time before a warning that a session is not rebooked',
      )
      if (isRecord(rebooking.warnAfter) && isRecord(rebooking.within)) {
        this.add(
          ['cancellation', 'rebooking', 'warnAfter'],
          'A warning time is only for rebooking as soon as possible: remove warnAfter, or set within to null',
        )
      }
      this.positiveDuration(
        rebooking.afterAbsence,
        ['cancellation', 'rebooking', 'afterAbsence'],
        'The time allowed to rebook',
      )
      const hasAbsenceReason = items(reasons).some((reason) => field(reason, 'absence') === true)
      if (isRecord(rebooking.afterAbsence) && !hasAbsenceReason) {
        this.add(
          ['cancellation', 'rebooking', 'afterAbsence'],
          'Add a cancellation reason for staff absence or illness (absence: true), or remove afterAbsence',
        )
      }
    }

    // Escalation.
    const chains = items(doc.escalation)
    this.uniqueIds(chains, ['escalation'], 'escalation chain')
    chains.forEach((chain, index) => {
      const steps = items(field(chain, 'steps'))
      this.uniqueIds(steps, ['escalation', index, 'steps'], 'escalation step')
      let previous = -1
      steps.forEach((step, stepIndex) => {
        const path: PathPart[] = ['escalation', index, 'steps', stepIndex]
        this.role(field(field(step, 'target'), 'role'), [...path, 'target', 'role'])
        const after = field(step, 'afterWorkingDays')
        if (typeof after === 'number') {
          if (after < previous) {
            this.add(
              [...path, 'afterWorkingDays'],
              'Each escalation step must come on or after the step before it: put the steps in order',
            )
          }
          previous = after
        }
      })
    })

    // Templates, contract, frameworks.
    const templates = field(doc, 'templates')
    items(field(templates, 'records')).forEach((record, index) => {
      this.sessionTypeList(field(record, 'sessionTypes'), ['templates', 'records', index, 'sessionTypes'])
    })
    this.roleList(field(field(doc, 'contract'), 'returnTo'), ['contract', 'returnTo'])
    const frameworks = items(doc.frameworks)
    this.uniqueIds(frameworks, ['frameworks'], 'framework')
    frameworks.forEach((framework, index) => {
      this.uniqueIds(field(framework, 'items'), ['frameworks', index, 'items'], 'framework item')
      if (isRecord(field(framework, 'coverageLookback')) && field(framework, 'tagSessions') !== true) {
        this.add(
          ['frameworks', index, 'coverageLookback'],
          'Set tagSessions to true to check coverage, or remove coverageLookback',
        )
      }
    })
    this.uniqueIds(
      field(field(doc, 'disputeResolution'), 'steps'),
      ['disputeResolution', 'steps'],
      'dispute resolution step',
    )
    items(field(field(doc, 'disputeResolution'), 'steps')).forEach((step, index) => {
      const path: PathPart[] = ['disputeResolution', 'steps', index]
      this.roleList(field(step, 'whenWithRoles'), [...path, 'whenWithRoles'])
      this.role(field(step, 'meetingWithRole'), [...path, 'meetingWithRole'])
      if (field(step, 'meetingWithRole') && field(step, 'meetingWithTeam'))
        this.add([...path, 'meetingWithTeam'], 'Give a role or a team for the meeting, not both')
    })

    // Sharing a record (CA-09, AM-05, MW-10).
    const disclosure = field(field(doc, 'confidentiality'), 'disclosure')
    if (disclosure && typeof disclosure === 'object') {
      const path: PathPart[] = ['confidentiality', 'disclosure']
      this.uniqueIds(field(disclosure, 'reasons'), [...path, 'reasons'], 'reason for sharing')
      this.roleList(field(disclosure, 'toRoles'), [...path, 'toRoles'])
      const toRoles = items(field(disclosure, 'toRoles'))
      if (field(disclosure, 'toSupervisorsLineManager') !== true && toRoles.length === 0)
        this.add(
          [...path, 'toRoles'],
          'Say who a record may be shared with: the supervisor’s own line manager, staff in named roles, or both',
        )
      if (toRoles.includes('headteacher') && field(field(doc, 'recording'), 'headteacherFeedback') === 'general-only')
        this.add(
          [...path, 'toRoles'],
          'The headteacher receives general feedback only, never content: remove the headteacher from the roles a record may be shared with, or change what the headteacher is told',
        )
      if (field(disclosure, 'superviseeTold') === 'after' && Number(field(disclosure, 'noticeDays') ?? 0) > 0)
        this.add(
          [...path, 'noticeDays'],
          'A notice period applies only when the supervisee is told before the record is shared: set the days to 0, or tell the supervisee before',
        )
    }

    // The rest.
    this.role(field(field(doc, 'childRecord'), 'signOffRole'), ['childRecord', 'signOffRole'])
    this.sessionTypeList(field(field(doc, 'requests'), 'sessionTypes'), ['requests', 'sessionTypes'])
    const groups = items(doc.standingGroups)
    this.uniqueIds(groups, ['standingGroups'], 'standing group')
    groups.forEach((group, index) => {
      this.sessionType(field(group, 'sessionTypeId'), ['standingGroups', index, 'sessionTypeId'])
      this.supervisorSpecs(field(group, 'ledBy'), ['standingGroups', index, 'ledBy'])
      const members = field(group, 'members')
      if (members !== null && members !== undefined) this.selector(members, ['standingGroups', index, 'members'])
      this.frequency(field(group, 'frequency'), ['standingGroups', index, 'frequency'])
    })
    this.uniqueIds(doc.furtherSupport, ['furtherSupport'], 'further support')
    this.uniqueIds(
      field(field(doc, 'practice'), 'caseEscalationStages'),
      ['practice', 'caseEscalationStages'],
      'case escalation stage',
    )
    // PL-06: the feedback questionnaire's statements, and the one about workload among them.
    const practice = field(doc, 'practice')
    const questions = this.uniqueIds(
      field(practice, 'feedbackQuestions'),
      ['practice', 'feedbackQuestions'],
      'feedback question',
    )
    const workload = field(practice, 'feedbackWorkloadQuestion')
    if (typeof workload === 'string' && !questions.has(workload))
      this.add(
        ['practice', 'feedbackWorkloadQuestion'],
        items(field(practice, 'feedbackQuestions')).length === 0
          ? 'Leave the workload question blank while Haven asks its own questions, or add your own questions'
          : `There is no feedback question '${workload}': use the id of one of the questions, or check the spelling`,
      )
    if (
      field(practice, 'feedbackFromSupervisees') === true &&
      field(practice, 'workloadMonitored') === true &&
      items(field(practice, 'feedbackQuestions')).length > 0 &&
      (workload === null || workload === undefined)
    )
      this.add(
        ['practice', 'feedbackWorkloadQuestion'],
        'Enter the id of the question about workload, to watch workload against capacity, or set workloadMonitored to false',
      )
    this.uniqueIds(doc.commitments, ['commitments'], 'commitment')
    return this.problems
  }
}

function withoutSchemaKey(json: unknown): unknown {
  if (!isRecord(json) || !('$schema' in json)) return json
  const { $schema: _ignored, ...rest } = json
  return rest
}

/**
 * Checks a policy document. On success, `policy` has every default filled in. On failure,
 * `problems` lists every problem found, in document order within each pass.
 */
export function validatePolicy(json: unknown): PolicyValidation {
  const input = withoutSchemaKey(json)
  const parsed = policyDocumentSchema.safeParse(input)
  const problems = parsed.success ? [] : problemsFromZod(parsed.error)
  const seen = new Set(problems.map((problem) => `${problem.path}\u0000${problem.message}`))
  for (const problem of new CrossChecker(input).run()) {
    const key = `${problem.path}\u0000${problem.message}`
    if (!seen.has(key)) problems.push(problem)
    seen.add(key)
  }
  if (parsed.success && problems.length === 0) return { ok: true, policy: parsed.data }
  return { ok: false, problems }
}

/** Like validatePolicy, but throws (listing the problems) when the document is not valid. */
export function parsePolicy(json: unknown, label = 'policy'): PolicyDocument {
  const result = validatePolicy(json)
  if (result.ok) return result.policy
  const lines = result.problems.map((problem) => `  ${problem.path || '(document)'}: ${problem.message}`)
  throw new Error(`The ${label} is not valid:\n${lines.join('\n')}`)
}
