/** Further support (LH-04) as the templates show it. */
import { ReferralReason, referralReasonLabels } from '../../domain/wellbeing/further-support.ts'

/** The words for a referral's reason category. */
export function reasonLabel(reason: string): string {
  return referralReasonLabels[reason as ReferralReason] ?? 'Other'
}

/** The reason categories as radio items. */
export function reasonItems(selected: string) {
  return Object.values(ReferralReason).map((value) => ({
    value,
    text: referralReasonLabels[value],
    checked: value === selected,
  }))
}
