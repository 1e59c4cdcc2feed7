import { z } from 'zod'
import { isValidEmail, normaliseEmail } from '../../domain/people/person-rules.ts'
import { packIds } from '../../packs/index.ts'

export const setupForm = z.object({
  organisationKind: z.enum(['trust', 'single-school'], {
    error: 'Select whether you are a trust or a single school',
  }),
  organisationName: z.string().trim().max(200, 'Trust name must be 200 characters or fewer'),
  schoolName: z
    .string()
    .trim()
    .min(1, 'Enter the name of the school')
    .max(200, 'School name must be 200 characters or fewer'),
  schoolSlug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter a short name for the school')
    .max(40, 'Short name must be 40 characters or fewer')
    .regex(
      /^[a-z0-9]+(-[a-z0-9]+)*$/,
      'Short name must only include letters a to z, numbers and hyphens, like meanwood-primary',
    ),
  region: z.enum(['england-and-wales', 'scotland', 'northern-ireland'], { error: 'Select where the school is' }),
  adminName: z.string().trim().min(1, 'Enter your full name').max(200, 'Full name must be 200 characters or fewer'),
  adminEmail: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .refine(isValidEmail, 'Enter an email address in the correct format, like name@example.com')
    .transform(normaliseEmail),
  password: z.string(),
  alsoDsl: z.boolean(),
  packId: z.enum([...packIds, 'blank'], { error: 'Select the policy to start from' }),
})

export type SetupForm = z.infer<typeof setupForm>

const fieldOrder = [
  'organisationKind',
  'organisationName',
  'schoolName',
  'schoolSlug',
  'region',
  'packId',
  'adminName',
  'adminEmail',
  'password',
]

/**
 * Every problem with the setup answers, in the order of the form, as [field, message] pairs:
 * the schema, the trust name (needed only for a trust) and the password rules together.
 */
export function setupProblems(
  values: Record<string, unknown>,
  passwordProblem: string | null,
): { data: SetupForm | null; pairs: [string, string][] } {
  const parsed = setupForm.safeParse(values)
  const pairs: [string, string][] = parsed.success ? [] : parsed.error.issues.map((i) => [String(i.path[0]), i.message])
  if (values.organisationKind === 'trust' && String(values.organisationName ?? '').trim() === '') {
    pairs.push(['organisationName', 'Enter the name of the trust'])
  }
  if (passwordProblem) pairs.push(['password', passwordProblem])
  pairs.sort((a, b) => fieldOrder.indexOf(a[0]) - fieldOrder.indexOf(b[0]))
  return { data: parsed.success && pairs.length === 0 ? parsed.data : null, pairs }
}
