/**
 * The forms of a person's own account (issue 13: one Zod schema per form, read with `parseForm`):
 * turning on two-step verification, and moving it to a new authenticator app.
 */
import { z } from 'zod'
import { formText } from '../../forms/fields.ts'

/** The first code from the app, proving the secret it scanned. */
export const twoStepSetUpForm = z.object({
  code: formText(z.string().min(1, 'Enter the 6-digit code from your authenticator app')),
})

/** Moving two-step verification: the password, a code from the current app, a code from the new one. */
export const newAuthenticatorForm = z.object({
  password: formText(z.string().min(1, 'Enter your password'), { trim: false }),
  currentCode: formText(z.string().min(1, 'Enter the code from your current authenticator app, or a recovery code')),
  code: formText(z.string().min(1, 'Enter the 6-digit code from your new authenticator app')),
})

export const codeNotCorrect = 'The code is not correct. Enter the 6-digit code shown in your app now'

/** Issue 18: how the person wants Haven's emails. */
export const emailChoiceForm = z.object({
  emails: z.enum(['each', 'daily'], { message: 'Select how you want to get emails from Haven' }),
})
