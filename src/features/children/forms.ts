/**
 * The children forms (issue 15): signing a decision off (AM-04: approve, return with a comment,
 * or amend), marking it entered on the child's record, the school's webhook, confirming an import.
 */
import { z } from 'zod'
import { formText, longText, text, version } from '../../forms/fields.ts'

export const maxDecisionText = 5000

export const signOffForm = z
  .object({
    version,
    choice: formText(z.enum(['approve', 'return', 'amend'], { error: 'Select what to do with the decision' })),
    comment: longText,
    about: text,
    pupilId: text,
    aboutName: text,
    category: text,
    decision: longText,
    actions: longText,
  })
  .superRefine((v, ctx) => {
    if (v.choice === 'return' && v.comment.trim() === '')
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Enter a comment for the supervisor' })
    if (v.comment.length > maxDecisionText)
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'The comment must be 5,000 characters or fewer' })
    if (v.choice !== 'amend') return
    if (!['child', 'family', 'pseudonym'].includes(v.about))
      ctx.addIssue({ code: 'custom', path: ['about'], message: 'Select who the decision is about' })
    if (v.about === 'child' && v.pupilId === '')
      ctx.addIssue({ code: 'custom', path: ['pupilId'], message: 'Select the child from the register' })
    if ((v.about === 'family' || v.about === 'pseudonym') && v.aboutName === '')
      ctx.addIssue({
        code: 'custom',
        path: ['aboutName'],
        message: v.about === 'family' ? 'Enter the family’s name' : 'Enter the pseudonym',
      })
    if (v.aboutName.length > 200)
      ctx.addIssue({ code: 'custom', path: ['aboutName'], message: 'The name must be 200 characters or fewer' })
    if (v.category.length > 200)
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'The category must be 200 characters or fewer' })
    if (v.decision.trim() === '') ctx.addIssue({ code: 'custom', path: ['decision'], message: 'Enter the decision' })
    if (v.decision.length > maxDecisionText)
      ctx.addIssue({ code: 'custom', path: ['decision'], message: 'The decision must be 5,000 characters or fewer' })
    if (v.actions.length > maxDecisionText)
      ctx.addIssue({ code: 'custom', path: ['actions'], message: 'The actions must be 5,000 characters or fewer' })
  })

export const enteredForm = z.object({
  version,
  reference: formText(
    z
      .string()
      .min(1, { error: 'Enter the reference of the entry in the child’s record' })
      .max(200, { error: 'The reference must be 200 characters or fewer' }),
  ),
  system: formText(z.string().max(100, { error: 'The name of the system must be 100 characters or fewer' })),
})

export const webhookForm = z.object({
  action: text,
  url: text,
})

export const importConfirmForm = z.object({ digest: text })
