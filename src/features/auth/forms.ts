/**
 * The forms of signing in and of choosing a password (issue 13: one Zod schema per form, read with
 * `parseForm`). Messages are the GOV.UK Design System's wording.
 */
import { z } from 'zod'
import type { PasswordContext } from '../../domain/auth/password-policy.ts'
import { emailAddress, formText } from '../../forms/fields.ts'
import { newPasswordProblem } from '../../services/auth/passwords.ts'

export const signInForm = z.object({
  email: emailAddress,
  password: formText(z.string().min(1, 'Enter your password'), { trim: false }),
})

export const secondStepForm = z.object({
  code: formText(z.string().min(1, 'Enter the 6-digit code from your authenticator app, or a recovery code')),
})

export const resetRequestForm = z.object({ email: emailAddress })

/** A new password, twice: the password rules for this person first, then that both match. */
export function setPasswordForm(who: PasswordContext) {
  return z
    .object({
      password: formText(z.string(), { trim: false }),
      confirmPassword: formText(z.string(), { trim: false }),
    })
    .superRefine((value, ctx) => {
      const problem = newPasswordProblem(value.password, who)
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
      else if (value.password !== value.confirmPassword)
        ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords must match' })
    })
}
