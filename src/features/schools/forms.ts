/** The schools form: a trust's administrator adds a school with its name, short name and region. */
import { z } from 'zod'
import { text } from '../../forms/fields.ts'

/** A school's name, short name and region: the same rules here and at first-run setup. */
export const schoolFields = {
  name: text.pipe(
    z.string().min(1, 'Enter the name of the school').max(200, 'School name must be 200 characters or fewer'),
  ),
  slug: text.pipe(
    z
      .string()
      .toLowerCase()
      .min(1, 'Enter a short name for the school')
      .max(40, 'Short name must be 40 characters or fewer')
      .regex(
        /^[a-z0-9]+(-[a-z0-9]+)*$/,
        'Short name must only include letters a to z, numbers and hyphens, like meanwood-primary',
      ),
  ),
  region: text.pipe(
    z.enum(['england-and-wales', 'scotland', 'northern-ireland'], { error: 'Select where the school is' }),
  ),
}

export const schoolForm = z.object(schoolFields)

export const schoolFormHrefs = { region: 'region' }
