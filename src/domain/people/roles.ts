/**
 * The role catalogue: every role named in the five seed policies, each with a plain
 * description. A school may add its own roles; those carry `custom: true` and an id of its choosing.
 */
export const BuiltInRole = {
  Dsl: 'dsl',
  DeputyDsl: 'deputy-dsl',
  Headteacher: 'headteacher',
  AssociateHeadteacher: 'associate-headteacher',
  Senco: 'senco',
  LacCoordinator: 'lac-coordinator',
  EyfsPractitioner: 'eyfs-practitioner',
  LearningMentor: 'learning-mentor',
  YearHead: 'year-head',
  PastoralLead: 'pastoral-lead',
  ClassTeacher: 'class-teacher',
  TeachingAssistant: 'teaching-assistant',
  ChildAndFamilySupportWorker: 'child-family-support-worker',
  SpecialistSupportWorker: 'specialist-support-worker',
  EducationLead: 'education-lead',
  LineManager: 'line-manager',
  ChairOfGovernors: 'chair-of-governors',
  SafeguardingGovernor: 'safeguarding-governor',
  ExternalSupervisor: 'external-supervisor',
  Administrator: 'administrator',
} as const
export type BuiltInRole = (typeof BuiltInRole)[keyof typeof BuiltInRole]

/** A role id: one of the built-in ids, or a school's own (lower-case, hyphenated). */
export type RoleId = string

export interface RoleDefinition {
  id: RoleId
  name: string
  description: string
  custom: boolean
}

export const roleCatalogue: readonly RoleDefinition[] = Object.freeze(
  [
    {
      id: 'dsl',
      name: 'Designated safeguarding lead (DSL)',
      description: 'Leads safeguarding and child protection in the school and owns the supervision process.',
    },
    {
      id: 'deputy-dsl',
      name: 'Deputy designated safeguarding lead',
      description: 'Trained to the same standard as the DSL and acts for them when needed.',
    },
    {
      id: 'headteacher',
      name: 'Headteacher or principal',
      description: 'Leads the school; receives general feedback on supervision and is a point of escalation.',
    },
    {
      id: 'associate-headteacher',
      name: 'Associate headteacher',
      description: 'Senior leader who may supervise the DSL and other safeguarding staff.',
    },
    {
      id: 'senco',
      name: 'SENCO or SENDCO',
      description: 'Co-ordinates provision for pupils with special educational needs and disabilities.',
    },
    {
      id: 'lac-coordinator',
      name: 'Looked-after children co-ordinator',
      description: 'Co-ordinates support for looked-after and previously looked-after children.',
    },
    {
      id: 'eyfs-practitioner',
      name: 'EYFS practitioner',
      description: 'Works with children in the early years foundation stage, where supervision is statutory.',
    },
    {
      id: 'learning-mentor',
      name: 'Learning mentor',
      description: 'Supports pupils facing barriers to learning, often with their families.',
    },
    { id: 'year-head', name: 'Head of year', description: 'Leads a year group and its pastoral care.' },
    { id: 'pastoral-lead', name: 'Pastoral lead', description: 'Leads pastoral support and wellbeing for pupils.' },
    { id: 'class-teacher', name: 'Class teacher', description: 'Teaches a class or subject.' },
    { id: 'teaching-assistant', name: 'Teaching assistant', description: 'Supports teaching and learning in class.' },
    {
      id: 'child-family-support-worker',
      name: 'Child and family support worker',
      description: 'Works with children and families who need early help or more.',
    },
    {
      id: 'specialist-support-worker',
      name: 'Other specialist support worker',
      description:
        'Provides specialist support, for example counselling or therapy, and may be supervised by their professional body.',
    },
    {
      id: 'education-lead',
      name: 'Education lead',
      description: 'Leads a team such as student services or SEND and runs its group supervision.',
    },
    { id: 'line-manager', name: 'Line manager', description: 'Manages other staff and is accountable for their work.' },
    {
      id: 'chair-of-governors',
      name: 'Chair of governors',
      description: 'Chairs the governing body; a point of escalation when a disagreement involves the headteacher.',
    },
    {
      id: 'safeguarding-governor',
      name: 'Safeguarding governor',
      description: 'The governor who oversees safeguarding; sees the termly figures on supervision, never its content.',
    },
    {
      id: 'external-supervisor',
      name: 'External supervisor',
      description:
        'Supervises from outside the school: a local authority team, an independent supervisor or a professional body.',
    },
    {
      id: 'administrator',
      name: 'Administrator',
      description: 'Manages Haven for the school: staff, calendar and settings.',
    },
  ].map((r) => Object.freeze({ ...r, custom: false })),
)

export function isBuiltInRole(id: string): id is BuiltInRole {
  return roleCatalogue.some((r) => r.id === id)
}
