/** The addresses of the contracts pages (see define.ts). */
import { path } from './define.ts'

export const contracts = {
  /** The school's contracts, by status (`?status=issued`, `?school=<slug>`). */
  index: path('/contracts'),
  /** The signed-in person's own contracts. */
  mine: path('/contracts/mine'),
  /** Issuing contracts to everyone in scope (`?year=2026-27`). */
  issue: path('/contracts/issue'),
  /** A contract for one person (`?person=<id>&year=2026-27`; without a person, choosing one). */
  new: path('/contracts/new'),
  show: path('/contracts/:id'),
  edit: path('/contracts/:id/edit'),
  /** Issuing a draft as it stands. */
  issueDraft: path('/contracts/:id/issue'),
  pdf: path('/contracts/:id/contract.pdf'),
  sign: path('/contracts/:id/sign'),
}
